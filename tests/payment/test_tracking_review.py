"""In-year budget tracking: the review's findings (data starting after January, claims
of one encounter settled in several months, known late claims in the projection, a
near-zero profile share), each worked by hand."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from tests.payment.test_tracking_store import _row as _month
from tests.payment.test_tracking_store import _track, store_with_claims

from ihms.data import Period, Store
from ihms.errors import InputError
from ihms.payment import (
    CountyMonths,
    LateClaims,
    MonthlySpendingTable,
    PopulationTable,
    budget_tracking,
    load_rules,
    spending_from_store,
    tracking_from_store,
    tracking_from_tables,
)
from ihms.payment.tracking_from_store import _check_period, _profile_years

SANMING = load_rules("sanming")


def _tables(tmp_path, name: str, rows: list[str], years=(2018,)):
    """A monthly spending table ``name`` of consortium ``rows`` ("YYYY-MM,fen") and a
    population table of 100 insured in each of ``years``, read."""
    path = tmp_path / name
    path.write_text(
        "month,setting,institution_id,insurance_paid_fen\n"
        + "".join(f"{r.split(',')[0]},consortium,CH01,{r.split(',')[1]}\n" for r in rows),
        encoding="utf-8",
    )
    pop = tmp_path / "pop.csv"
    pop.write_text(
        "year,insured_population\n" + "".join(f"{y},100\n" for y in years), encoding="utf-8"
    )
    return MonthlySpendingTable.read(path), PopulationTable.read(pop)


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
    tables = _tables(tmp_path, "mid.csv", [f"2018-{m:02d},600000" for m in (4, 5, 6)])
    with pytest.raises(InputError, match=r"mid\.csv: the first month held is 2018-04, after "
                       r"2018-01"):  # fmt: skip
        tracking_from_tables(SANMING, *tables, year=2018, through="2018-06")


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    """The tiny county (``tests/indicators/conftest.py``; its 2016–2017 store worked by
    hand in ``test_tracking_store.py``) with encounters of several claims: o6 (2 April
    2017, CH) claims c9 settled 10 May 2017 for 5,000 fen and c10 settled 10 August for
    7,000; i5 (1 September 2017) claims c11 settled 1 October 2017 for 300,000 and c12
    settled 15 January 2018 for 100,000 (an interim settlement of a long stay)."""
    extra = pd.DataFrame(
        {
            "claim_id": ["c9", "c10", "c11", "c12"],
            "encounter_id": ["o6", "o6", "i5", "i5"],
            "settled_date": [date(2017, 5, 10), date(2017, 8, 10), date(2017, 10, 1),
                             date(2018, 1, 15)],
            "insurance_paid_fen": [5000, 7000, 300000, 100000],
            "out_of_pocket_fen": [6000, 6500, 100000, 50000],
        }
    )  # fmt: skip
    return store_with_claims(tmp_path_factory.mktemp("multi") / "ihms.duckdb", extra)


def test_a_claim_paid_by_the_month_tracked_counts_and_only_later_claims_are_late(multi):
    t = _track(multi, "2017-06")
    # April: o5 1,500 at the point of service + o6's c9, 5,000 paid on 10 May; c10's
    # 7,000 is paid in August, after June: one claim late
    april = _month(t, 4)
    assert (april["spent_fen"], april["late_claims"], april["late_fen"]) == (6_500, 1, 7_000)
    assert _month(t, 6)["to_date_fen"] == 86_500  # February's i4 80,000 + 6,500
    assert "2017-04 has 1 claim(s) settled after 2017-06, 70.00 yuan" in " ".join(t.notes)


def test_dated_by_settlement_an_open_encounter_waits_for_its_last_claim_as_settle_does(multi):
    t = _track(multi, "2017-06", date="settled")
    # o6's last claim is settled in August: o6 counts whole then (as settle --date
    # settled dates it), so April has o5's 1,500 only and May nothing counted, but the
    # 5,000 paid in May is named, and May is not called a month without spending
    assert (_month(t, 4)["spent_fen"], _month(t, 5)["spent_fen"]) == (1_500, 0)
    said = " ".join(t.notes)
    assert "1 claim(s) paid in 2017-05, 50.00 yuan by insurance, belong to encounters" in said
    assert "no spending paid in 2017-01, 2017-03, 2017-06:" in said


@pytest.mark.parametrize("dating", ["encounter", "settled"])
def test_december_with_claims_settled_after_the_year_matches_settle(multi, dating):
    t = _track(multi, "2017-12", date=dating)
    dec = _month(t, 12)
    with Store(multi, read_only=True) as s:
        year = spending_from_store(s, date=dating).for_year(2017)
    charged = year.consortium_total + year.outside_county
    late = sum(r["late_fen"] for r in t.rows)
    if dating == "encounter":
        # i4 80,000 + o5 1,500 + o6 12,000 + i5's c11 300,000 paid; c12's 100,000 paid
        # in January 2018 is late: 393,500 + 100,000 = settle's 493,500
        assert (dec["to_date_fen"], late, charged) == (393_500, 100_000, 493_500)
    else:
        # i5's last claim is settled in 2018: settle leaves it whole to 2018
        assert (dec["to_date_fen"], late, charged) == (93_500, 0, 93_500)


def test_known_late_claims_enter_the_projection_the_flag_reads_worked_by_hand():
    # the 2017 profile: 100,000 fen every month, so half the year's spending by June.
    # 2018: January to May 100,000 each, June 40,000 paid and 30 claims, 60,000 fen,
    # settled later. Paid to date 540,000 ÷ 1/2 = 1,080,000: a 70,000 balance on a
    # 1,150,000 budget; with the late 60,000, 600,000 ÷ 1/2 = 1,200,000: 50,000 over
    c = CountyMonths(
        "c1",
        1_150_000,
        {**{m: 100_000 for m in range(1, 6)}, 6: 40_000},
        history={2017: {m: 100_000 for m in range(1, 13)}},
        late={6: LateClaims(30, 60_000)},
    )
    t = budget_tracking([c], year=2018, through="2018-06")
    june = _month(t, 6)
    assert (june["projected_fen"], june["projected_balance_fen"]) == (1_080_000, 70_000)
    assert (june["late_to_date_claims"], june["late_to_date_fen"]) == (30, 60_000)
    assert june["projected_with_late_fen"] == 1_200_000
    assert june["projected_with_late_balance_fen"] == -50_000
    assert june["over_budget"] is True
    # May, nothing late yet: 500,000 ÷ 5/12 = 1,200,000 both ways, over the budget
    may = _month(t, 5)
    assert (may["late_to_date_fen"], may["projected_with_late_fen"]) == (0, 1_200_000)
    assert may["over_budget"] is True
    assert "this is the projection over_budget flags" in " ".join(t.notes)


def test_late_claims_to_date_add_up_and_the_projection_with_them_closes_on_settle(multi):
    with Store(multi, read_only=True) as s:
        t = tracking_from_store(s, SANMING, year=2017, through="2017-12", counties=["c1"])
    dec = _month(t, 12)
    # September's c12 (100,000) is the only late claim: to date from September on;
    # the 2016 profile's share to December is the whole year, so the projection with
    # it is 393,500 + 100,000 = 493,500, what settle charges 2017
    assert (_month(t, 8)["late_to_date_fen"], dec["late_to_date_claims"]) == (0, 1)
    assert (dec["late_to_date_fen"], dec["projected_with_late_fen"]) == (100_000, 493_500)


@pytest.mark.parametrize(
    ("february", "projected", "how"),
    [
        # January 1 fen of 1,000,001: 0.0001 % of the year. Projected from it, 100,000
        # fen would become 100,000 × 1,000,001 = 100,000,100,000 fen (a billion yuan);
        # under a quarter of the even 1/12, so linear: 100,000 × 12 = 1,200,000
        (None, 1_200_000, "linear"),
        # January 1 of 48: exactly a quarter of 1/12, kept: 100,000 × 48 = 4,800,000
        (47, 4_800_000, "profile"),
        # January 1 of 49: just under a quarter (2.04 % < 2.08 %): linear
        (48, 1_200_000, "linear"),
    ],
)
def test_a_profile_share_under_a_quarter_of_the_even_share_falls_back_to_linear(
    february, projected, how
):
    history = {1: 1, 12: 1_000_000} if february is None else {1: 1, 2: february}
    c = CountyMonths("c1", 1_200_000, {1: 100_000}, history={2017: history})
    t = budget_tracking([c], year=2018, through="2018-01")
    assert (t.latest()[0]["projected_fen"], t.counties[0].projection) == (projected, how)
    said = " ".join(t.notes)
    if how == "linear":
        assert "under a quarter of the time-proportional 8.33%" in t.counties[0].fallback
        assert "projected time-proportionally" in said
    else:
        assert "2.08% of it fell in January)" in said  # not "January to January"


def test_notes_name_the_month_tracked_as_normalised_not_as_typed(multi, tmp_path):
    t = _track(multi, "2017-6")  # typed without the leading zero
    assert "paid by the end of 2017-06;" in t.notes[0]
    tables = _tables(tmp_path, "m.csv", ["2018-01,600000"])
    t = tracking_from_tables(SANMING, *tables, year=2018, through="2018-1")
    assert "as paid by month to 2018-01;" in t.notes[0]


def test_track_date_help_speaks_of_months_not_years():
    from typer.testing import CliRunner

    from ihms.cli.main import app

    r = CliRunner().invoke(app, ["payment", "track", "--help"], env={"COLUMNS": "200"})
    text = " ".join(r.output.replace("│", " ").split())
    assert "the month spending counts in" in text
    assert "the year spending counts in" not in text


def test_the_total_says_it_sums_the_counties_projections():
    a = CountyMonths("a", 120_000, {1: 10_000})
    b = CountyMonths("b", 240_000, {1: 30_000})
    # linear: a 10,000 × 12 = 120,000, b 30,000 × 12 = 360,000; total 480,000
    t = budget_tracking([a, b], year=2018, through="2018-01")
    total = next(r for r in t.latest() if r["county"] == "total")
    assert (total["projected_fen"], total["budget_fen"]) == (480_000, 360_000)
    assert any(n.startswith("total: the counties' budgets") for n in t.notes)
    alone = budget_tracking([a], year=2018, through="2018-01")
    assert not any(n.startswith("total:") for n in alone.notes)


def test_money_not_in_whole_fen_and_a_history_year_not_before_the_budget_are_refused():
    with pytest.raises(InputError, match=r"county c1: months: month 1: expected whole fen "
                       r"\(an int\), got 100\.5 \(float\)"):  # fmt: skip
        CountyMonths("c1", 120_000, {1: 100.5})
    with pytest.raises(InputError, match=r"budget_fen: expected whole fen"):
        CountyMonths("c1", 1200.0, {1: 100})
    c = CountyMonths("c1", 120_000, {1: 100}, history={2018: {1: 100}})
    with pytest.raises(InputError, match=r"history: 2018 is not a previous year of the "
                       r"budget year 2018"):  # fmt: skip
        budget_tracking([c], year=2018, through="2018-01")


def test_a_yearly_file_and_a_year_held_in_part_are_explained(tmp_path):
    yearly = tmp_path / "yearly.csv"
    yearly.write_text(
        "year,setting,institution_id,insurance_paid_fen\n2017,consortium,CH01,4800000\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"yearly\.csv: column 'month' missing.*looks like a "
                       r"yearly spending table"):  # fmt: skip
        MonthlySpendingTable.read(yearly)
    # other-areas budgets 2018 from 2017's spending; the table has 2017-01 to 2017-11
    # only, so 2017 is no full year and the refusal says it is held in part
    rows = [f"2017-{m:02d},400000" for m in range(1, 12)] + ["2018-01,400000"]
    tables = _tables(tmp_path, "monthly.csv", rows, years=(2017, 2018))
    with pytest.raises(InputError, match=r"no budget for 2018: .*held in part: 2017 \(11 of "
                       r"12 months\), 2018 \(1 of 12 months\)"):  # fmt: skip
        tracking_from_tables(load_rules("other-areas"), *tables, year=2018, through="2018-01")


def test_profile_years_takes_the_most_recent_full_years():
    # data 2014-01-01 to 2017-12-31: 2014 to 2017 are full; at most 1 → 2017, 3 → 2015–2017
    assert _profile_years(date(2014, 1, 1), date(2017, 12, 31), 2018, 1) == [2017]
    assert _profile_years(date(2014, 1, 1), date(2017, 12, 31), 2018, 3) == [2015, 2016, 2017]


def test_a_leap_february_is_held_only_to_its_29th():
    # 2020 is a leap year: data to 29 February hold February whole, to the 28th do not
    leap = SimpleNamespace(path="db", period=Period(date(2020, 1, 1), date(2020, 2, 29)))
    assert _check_period(leap, 2020, 2) == (date(2020, 1, 1), date(2020, 2, 29))
    short = SimpleNamespace(path="db", period=Period(date(2020, 1, 1), date(2020, 2, 28)))
    with pytest.raises(
        InputError, match=r"2020-02 ends after the store's data.*at most to 2020-01"
    ):
        _check_period(short, 2020, 2)


def test_a_month_with_private_rows_only_does_not_make_a_full_year(tmp_path):
    rows = "month,setting,institution_id,insurance_paid_fen\n" + "".join(
        f"2017-{m:02d},{'private,PR01' if m == 12 else 'consortium,CH01'},400000\n"
        for m in range(1, 13)
    )
    path = tmp_path / "m.csv"
    path.write_text(rows, encoding="utf-8")
    # December 2017 has a private row only: the charged care of that month is missing
    assert MonthlySpendingTable.read(path).full_years() == ()
    path.write_text(rows + "2017-12,outside_county,,100000\n", encoding="utf-8")
    assert MonthlySpendingTable.read(path).full_years() == (2017,)
