"""In-year budget tracking: the review's findings (data starting after January, claims
of one encounter settled in several months, known late claims in the projection, a
near-zero profile share), each worked by hand."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from ihms.data import Period
from ihms.errors import InputError
from ihms.payment import MonthlySpendingTable, PopulationTable, load_rules, tracking_from_tables
from ihms.payment.tracking_from_store import _check_period, _profile_years

SANMING = load_rules("sanming")


def test_a_store_starting_after_january_is_refused_naming_its_first_month():
    # the store holds 2017-03-01 to 2017-12-31: tracked from January, January and
    # February would read as months without spending
    store = SimpleNamespace(path="b.duckdb", period=Period(date(2017, 3, 1), date(2017, 12, 31)))
    with pytest.raises(InputError, match=r"store b\.duckdb: the first month held is 2017-03 "
                       r"\(from 2017-03-01\), after January 2017"):  # fmt: skip
        _check_period(store, 2017, 6)
    # a store from 1 January is tracked; the next year is too (the data cover its January)
    whole = SimpleNamespace(path="a", period=Period(date(2017, 1, 1), date(2018, 12, 31)))
    assert _check_period(whole, 2017, 6) == (date(2017, 1, 1), date(2018, 12, 31))
    assert _check_period(whole, 2018, 6) == (date(2017, 1, 1), date(2018, 12, 31))


def test_a_profile_year_the_data_hold_in_part_is_not_a_full_year():
    # data from 2 January 2016: 2016's first day is outside them, so 2016 is no profile year
    assert _profile_years(date(2016, 1, 2), date(2017, 12, 31), 2018, 3) == [2017]
    assert _profile_years(date(2016, 1, 1), date(2017, 12, 30), 2018, 3) == [2016]
    assert _profile_years(date(2016, 1, 1), date(2017, 12, 31), 2018, 3) == [2016, 2017]


def test_a_file_starting_after_january_is_refused_naming_its_first_month(tmp_path):
    # April to June 2018 at 600,000 fen each: from January, 1,800,000 over six months
    # projected linearly to 3,600,000, while the run rate is 7,200,000 a year
    path = tmp_path / "mid.csv"
    path.write_text(
        "month,setting,institution_id,insurance_paid_fen\n"
        + "".join(f"2018-{m:02d},consortium,CH01,600000\n" for m in (4, 5, 6)),
        encoding="utf-8",
    )
    pop = tmp_path / "pop.csv"
    pop.write_text("year,insured_population\n2018,100\n", encoding="utf-8")
    tables = MonthlySpendingTable.read(path), PopulationTable.read(pop)
    with pytest.raises(InputError, match=r"mid\.csv: the first month held is 2018-04, after "
                       r"2018-01"):  # fmt: skip
        tracking_from_tables(SANMING, *tables, year=2018, through="2018-06")
