"""A whole number past its column's integer type is refused as too large, never read
wrapped round (review of the data import, 2026-11-25, finding 5: a 20-digit fen amount
was reported as -9,223,372,036,854,775,808 fen and the user told to net a refund)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.data import Period, read_tables
from ihms.data._coerce import coerce
from ihms.errors import DataError

INT64_MAX = 2**63 - 1


@pytest.mark.parametrize(
    "text",
    [
        "9223372036854775808",  # 2^63: wrapped to INT64_MIN, equal to the range's min
        "9223372036854775809",  # read as -9223372036854775807 before
        "18446744073709555194",  # past 2^64: INT64_MIN
        "-9223372036854775809",
        "100000000000000000000.0",
    ],
)
def test_text_past_int64_is_refused(text):
    values, bad = coerce(pd.Series([text, "12", None]), "fen")
    assert bad.tolist() == [True, False, False]
    assert values.iloc[1] == 12 and pd.isna(values.iloc[0])


def test_long_whole_numbers_within_int64_are_read_exactly_beside_a_blank():
    # between 2^53 and 2^63 a column with a blank went through float64
    cells = pd.Series(["9007199254740993", None, str(INT64_MAX), "-9223372036854775808"])
    values, bad = coerce(cells, "fen")
    assert not bad.any()
    assert values.tolist()[0] == 9007199254740993 and values.tolist()[2] == INT64_MAX
    assert values.tolist()[3] == -(2**63)


def test_a_uint64_column_past_int64_is_refused():
    values, bad = coerce(pd.Series(np.array([2**63 + 5, 7], dtype="uint64")), "fen")
    assert bad.tolist() == [True, False]
    assert values.iloc[1] == 7


def test_the_message_says_too_large_and_names_the_value_given(csv_folder, youxi):
    path = csv_folder / "encounters.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("total_cost_yuan", "total_cost_fen").replace(
            "V0001,350426195001011234,YX-CH01,2016-03-01,outpatient,J06,120.50",
            "V0001,350426195001011234,YX-CH01,2016-03-01,outpatient,J06,18446744073709555194",
        ).replace(",15,0,15,", ",1500,0,15,").replace("12000.00,6000.00", "1200000,6000.00")
        .replace("35.8,20", "3580,20"),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    (problem,) = [p for p in err.value.problems if p.column == "total_cost_fen"]
    assert problem == (
        "column 'total_cost_fen' of encounters.csv row 2: too large for an amount in fen "
        "(at most 9,223,372,036,854,775,807 fen, 19 digits), got '18446744073709555194'"
    )
    assert "refund" not in " ".join(err.value.problems)
