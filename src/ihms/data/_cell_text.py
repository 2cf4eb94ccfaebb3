"""A cell as text, the one way every column kind reads it (:mod:`ihms.data._coerce`,
:mod:`ihms.data._yes_no`): stripped, full-width forms as ASCII."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ihms.stats._cells import normal_text

#: Excel's formula error values (lower case, as a cell's text is compared) and what each
#: means, for the message that refuses one.
EXCEL_ERRORS = {
    "#n/a": "a lookup found nothing",
    "#value!": "an argument of the wrong type, such as text in a sum",
    "#div/0!": "a division by zero or by an empty cell",
    "#ref!": "a reference to a cell that was deleted",
    "#name?": "a name Excel does not know, such as a misspelt function",
    "#num!": "a number out of range",
    "#null!": "two ranges that do not intersect",
    "#spill!": "an array result blocked by other cells",
    "#calc!": "a calculation Excel could not do, such as an empty array",
}


def is_blank(s: pd.Series) -> pd.Series:
    """Missing, or an empty / whitespace string."""
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        text = s.astype("string")
        if text.dtype.storage == "pyarrow":
            return pd.Series(blank_cells(s, stripped_text(text)), index=s.index, name=s.name)
        return (s.isna() | (text.str.strip() == "").fillna(False)).astype(bool)
    return s.isna().astype(bool)


# What ``text.str.strip()`` and ``== ""`` compute on pyarrow strings (pandas calls
# utf8_trim_whitespace), in pyarrow: each pandas step cost 0.05 ms on a column of a few
# rows, and reading a table asks it of every column, twice.
def stripped_text(text: pd.Series) -> pa.Array:
    """``text.str.strip()`` of a column of pyarrow strings, as Arrow."""
    return pc.utf8_trim_whitespace(pa.array(text.array))


def blank_cells(s: pd.Series, stripped: pa.Array) -> np.ndarray:
    """:func:`is_blank` of ``s`` as a numpy mask, from :func:`stripped_text` of its
    ``s.astype("string")``."""
    empty = pc.equal(stripped, pa.scalar("", stripped.type)).fill_null(False)
    return s.isna().to_numpy(dtype=bool) | empty.to_numpy(zero_copy_only=False)


def stripped_cells(s: pd.Series, text: pd.Series) -> pd.Series:
    """``text`` (``s`` as pyarrow-backed strings) stripped, its blank cells null: what
    ``text.str.strip().mask(is_blank(s))`` gives, computed in pyarrow."""
    stripped = stripped_text(text)
    blank = pa.array(blank_cells(s, stripped))
    cells = pc.if_else(blank, pa.scalar(None, stripped.type), stripped)
    return pd.Series(pd.arrays.ArrowStringArray(cells), index=s.index, name=s.name)


def cell_text(s: pd.Series) -> pd.Series:
    """Cells as stripped text, full-width forms as ASCII (:func:`~ihms.stats._cells.normal_text`,
    applied to the cells that are not ASCII already, once per distinct value)."""
    text = s.astype("string")
    if text.dtype.storage == "pyarrow":  # the ASCII column, every cell stripped, in pyarrow
        ascii_ = pc.string_is_ascii(pa.array(text.array)).fill_null(True)
        wide = ~ascii_.to_numpy(zero_copy_only=False)
        if not wide.any():
            stripped = pd.arrays.ArrowStringArray(stripped_text(text))
            return pd.Series(stripped, index=text.index, name=text.name)
    else:
        wide = ~text.str.isascii().fillna(True).astype(bool).to_numpy()
    if wide.any():
        # a column repeats a few Chinese names (乡镇卫生院, 门诊, 是) down a million rows:
        # each is folded once, then put back at its rows (Series.mask aligning a million
        # labels took longer than the folding)
        codes, uniques = pd.factorize(text[wide])
        cells = pa.array(text.array)
        folded = pa.array([normal_text(v) for v in uniques.tolist()], type=cells.type)
        values = pc.replace_with_mask(cells, pa.array(wide), folded.take(codes))
        text = pd.Series(pd.array(values, dtype="string"), index=text.index)
    return text.str.strip()
