"""Sex coded by the national standard GB/T 2261.1-2003 (人的性别代码: 1 男性, 2 女性, 0 and
9 unknown), as hospital systems code it, is refused saying so and how to give it
(review of the data import, 2026-11-25, finding 16)."""

from __future__ import annotations

import pytest

from ihms.data import Period, read_tables
from ihms.errors import DataError


def test_sex_coded_1_and_2_names_the_standard(csv_folder, youxi):
    res = csv_folder / "residents.csv"
    res.write_text(res.read_text(encoding="utf-8").replace(",1950,F,", ",1950,2,"))
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    (problem,) = err.value.problems
    assert problem.startswith("column 'sex' of residents.csv row 2: expected one of F, M")
    assert "GB/T 2261.1 codes sex 1 = 男 (M), 2 = 女 (F)" in problem
    assert "recode the column to M/F" in problem
