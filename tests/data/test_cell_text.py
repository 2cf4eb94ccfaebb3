"""The cells' text (``ihms.data._cell_text.cell_text``): each cell as ``normal_text``
makes it (full-width forms as ASCII, stripped), found once per distinct value and put
back at every row that holds it."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ihms.data._cell_text import cell_text
from ihms.stats._cells import normal_text

#: Cells as a county's tables hold them: ASCII, full-width digits and brackets, the
#: ideographic space, Chinese names repeated down the column, empty cells.
_CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        ["门诊", "乡镇卫生院\u3000", "县医院（１）", " １２．５ ", "是", "R001", " a "]
    ),
    st.text(alphabet="0１a Ａ\u3000门（)", max_size=4),
)


@given(st.lists(_CELLS, max_size=40), st.randoms(use_true_random=False))
def test_every_cell_is_its_own_normal_text_at_its_own_row(cells, rnd):
    index = list(range(100, 100 + len(cells)))
    rnd.shuffle(index)  # rows out of order: values must go back by position, not label
    s = pd.Series(cells, index=index, dtype=object)
    got = cell_text(s)
    assert list(got.index) == index
    assert str(got.dtype) == "string"
    for cell, out in zip(cells, got, strict=True):
        if cell is None:
            assert out is pd.NA
        else:
            assert out == normal_text(cell).strip()


def test_a_column_of_one_name_repeated_reads_as_that_name_in_every_row():
    s = pd.Series(
        ["乡镇卫生院\u3000", None, "门诊１", "乡镇卫生院\u3000", "R1 "], index=[9, 3, 7, 1, 5]
    )
    assert cell_text(s).tolist() == ["乡镇卫生院", pd.NA, "门诊1", "乡镇卫生院", "R1"]


def test_a_text_column_in_pieces_reads_as_a_whole():
    # pandas.concat leaves an Arrow column in two chunks, as a workbook's sheets read
    # one after another do
    s = pd.concat([pd.Series(["门诊１", " x"], dtype="string"), pd.Series(["是\u3000", None])])
    assert cell_text(s).tolist() == ["门诊1", "x", "是", pd.NA]
