"""One rule for the rows messages name: a table read from a file (``source=``) by the
file's row, an in-memory DataFrame by its index label, which ``df.loc`` takes (a user
walk, session 32: ``ITSModel`` named index 5 "row 5", ``agreement_report`` "row 7" and
``growth_table`` index 4 "row 6")."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.stats import ITSModel, agreement_report, growth_table


def _codings() -> pd.DataFrame:
    c = pd.DataFrame(
        {"unit": [1, 1, 2, 2, 3, 3, 4, 4], "coder": ["A", "B"] * 4, "code": list("xxyyxyxx")}
    )
    c.loc[5, "unit"] = None
    return c


def test_an_in_memory_frame_is_named_by_index_label_everywhere():
    with pytest.raises(DataError) as caught:
        agreement_report(_codings())
    assert "column 'unit' of row 5: expected a value" in str(caught.value.problems)
    df = pd.read_csv("examples/series/county_hospital_monthly.csv")
    df.loc[5, "hospitalizations"] = np.nan
    with pytest.raises(InputError, match=r"column 'hospitalizations' row 5\b"):
        ITSModel(df, outcome="hospitalizations", time="month", interruptions="2017-10").fit()
    g = pd.read_csv("examples/series/deqing_thc_growth.csv")
    g.loc[4, "value"] = -3
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        growth_table(g, indicator_col="indicator")
    said = " ".join(str(w.message) for w in got)
    assert "(column 'value' of row 4)" in said, said


def test_a_file_is_named_by_its_own_rows():
    with pytest.raises(DataError) as caught:
        agreement_report(_codings(), source="codings.csv")
    # index 5 is the file's row 7 under its header
    assert "column 'unit' of codings.csv row 7: expected a value" in str(caught.value.problems)
