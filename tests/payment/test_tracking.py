"""In-year budget tracking (预算执行进度, review item #13): worked examples on paper.

Every figure below is worked by hand in the test's comments: money in fen, shares as
exact fractions shown half up to two decimals, projections half up to the fen.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ihms.errors import InputError
from ihms.payment import BudgetTracking, CountyMonths, LateClaims, budget_tracking
from ihms.payment.tracking import through_month

#: A county with 120,000.00 yuan of budget that spent 10,000.00, 9,000.00 and 13,000.00
#: yuan in January to March 2018.
A = CountyMonths("A", 12_000_000, {1: 1_000_000, 2: 900_000, 3: 1_300_000})

#: Two previous years: 2016 with 20,000.00 yuan in March and 10,000.00 in every other
#: month (130,000.00), 2017 with 10,000.00 in each month (120,000.00).
HISTORY = {
    2016: {m: (2_000_000 if m == 3 else 1_000_000) for m in range(1, 13)},
    2017: dict.fromkeys(range(1, 13), 1_000_000),
}


def _latest(t: BudgetTracking, county: str) -> dict:
    (row,) = [r for r in t.latest() if r["county"] == county]
    return dict(row)


def test_linear_projection_worked_by_hand():
    t = budget_tracking([A], year=2018, through="2018-03")
    r = _latest(t, "A")
    # to date 1,000,000 + 900,000 + 1,300,000 = 3,200,000 fen
    assert r["to_date_fen"] == 3_200_000
    # used 3,200,000 / 12,000,000 = 26.666…% → 26.67; elapsed 3/12 = 25.00;
    # pace 26.666… − 25 = 1.666… → 1.67 points ahead of the time line
    assert (r["used_pct"], r["elapsed_pct"], r["pace_pp"]) == (
        Decimal("26.67"),
        Decimal("25.00"),
        Decimal("1.67"),
    )
    # projected 3,200,000 × 12 / 3 = 12,800,000; balance 12,000,000 − 12,800,000 = −800,000
    assert (r["projected_fen"], r["projected_balance_fen"], r["over_budget"]) == (
        12_800_000,
        -800_000,
        True,
    )
    assert t.counties[0].projection == "linear"
    assert t.counties[0].fallback.startswith("no full previous year")
    assert any("A: projected time-proportionally" in n and "no full previous" in n for n in t.notes)
    # January alone: 1,000,000 × 12 = 12,000,000, exactly the budget: not over
    jan = next(r for r in t.rows if r["month"] == 1)
    assert (jan["projected_fen"], jan["projected_balance_fen"], jan["over_budget"]) == (
        12_000_000,
        0,
        False,
    )


def test_profile_projection_pools_the_previous_years_worked_by_hand():
    a = CountyMonths("A", 12_000_000, A.months, history=HISTORY)
    t = budget_tracking([a], year=2018, through="2018-03")
    r = _latest(t, "A")
    # pooled: 2016 + 2017 = 13,000,000 + 12,000,000 = 25,000,000 fen; January to March
    # (1 + 1 + 2) + (1 + 1 + 1) = 7,000,000: a share of 7/25 = 28.00 %
    # (the mean of the two years' shares, (4/13 + 3/12)/2 = 27.88 %, is not what is used)
    assert r["expected_pct"] == Decimal("28.00")
    # projected 3,200,000 ÷ 7/25 = 11,428,571.43 → 11,428,571 fen; balance 571,429:
    # where the linear line said an overspend, the profile says a surplus
    assert (r["projected_fen"], r["projected_balance_fen"], r["over_budget"]) == (
        11_428_571,
        571_429,
        False,
    )
    # February: 1,900,000 ÷ (1 + 1 + 1 + 1)/25 = 11,875,000; balance 125,000
    feb = next(r for r in t.rows if r["month"] == 2)
    assert (feb["expected_pct"], feb["projected_fen"]) == (Decimal("16.00"), 11_875_000)
    assert feb["projected_balance_fen"] == 125_000
    how = t.counties[0]
    assert (how.projection, how.profile_years, how.fallback) == ("profile", (2016, 2017), None)
    assert any("monthly profile of 2016, 2017" in n and "28.00%" in n for n in t.notes)
    # linear asked for: the profile is not used
    lin = budget_tracking([a], year=2018, through="2018-03", projection="linear")
    assert _latest(lin, "A")["projected_fen"] == 12_800_000


def test_a_profile_without_spending_to_the_month_falls_back_to_linear_and_says_why():
    quiet = {2017: {7: 5_000_000, 8: 5_000_000}}  # nothing January to June
    t = budget_tracking(
        [CountyMonths("A", 12_000_000, A.months, history=quiet)], year=2018, through="2018-03"
    )
    assert t.counties[0].projection == "linear"
    assert "no spending in the months to 03" in t.counties[0].fallback
    assert _latest(t, "A")["projected_fen"] == 12_800_000


def test_two_counties_and_the_consortium_total_worked_by_hand():
    b = CountyMonths("B", 8_000_000, {1: 500_000, 2: 500_000, 3: 500_000})
    t = budget_tracking([A, b], year=2018, through="2018-03")
    rb, total = _latest(t, "B"), _latest(t, "total")
    # B: 1,500,000 × 12/3 = 6,000,000; balance 8,000,000 − 6,000,000 = 2,000,000
    assert (rb["projected_fen"], rb["projected_balance_fen"], rb["over_budget"]) == (
        6_000_000,
        2_000_000,
        False,
    )
    # total: budget 20,000,000, to date 4,700,000 (23.50 % used), projected
    # 12,800,000 + 6,000,000 = 18,800,000, balance 1,200,000: A overspends, the total not
    assert (total["budget_fen"], total["to_date_fen"], total["used_pct"]) == (
        20_000_000,
        4_700_000,
        Decimal("23.50"),
    )
    assert (total["projected_fen"], total["projected_balance_fen"]) == (18_800_000, 1_200_000)
    assert total["over_budget"] is False and _latest(t, "A")["over_budget"] is True
    # the spending the projection expected by March: 4,700,000 / 18,800,000 = 25.00 %
    assert total["expected_pct"] == Decimal("25.00")
    assert [r["county"] for r in t.latest()] == ["A", "B", "total"]


def test_late_claims_and_an_empty_month_are_named_not_read_as_low_spending():
    c = CountyMonths("A", 12_000_000, {1: 1_000_000, 3: 1_300_000}, late={2: LateClaims(3, 45_000)})
    t = budget_tracking([c], year=2018, through="2018-03")
    feb = next(r for r in t.rows if r["month"] == 2)
    assert (feb["spent_fen"], feb["late_claims"], feb["late_fen"]) == (0, 3, 45_000)
    said = " ".join(t.notes)
    assert "A: 2018-02 has 3 claim(s) settled after 2018-03, 450.00 yuan" in said
    assert "not counted here" in said
    assert "no spending paid in 2018-02" in said


def test_tables_hold_exact_numbers_not_text():
    t = budget_tracking([A], year=2018, through="2018-03")
    frame = t.summary().frame
    row = frame.iloc[0]
    assert row["month"] == "2018-03"
    assert row["projected_balance_yuan"] == Decimal("-8000.00")
    assert row["budget_yuan"] == Decimal("120000.00")
    assert row["used_pct"] == Decimal("26.67")
    assert len(t.months_summary().frame) == 3
    d = t.to_dict()
    assert d["through"] == "2018-03"
    assert d["months"][2]["projected_balance_fen"] == -800_000
    assert d["months"][2]["used_pct"] == "26.67"
    assert t.to_frame()["to_date_fen"].tolist() == [1_000_000, 1_900_000, 3_200_000]


@pytest.mark.parametrize(
    ("through", "match"),
    [
        ("2019-03", r"through: 2019-03 is outside the budget year 2018 \(expected 2018-01 to"),
        (
            "2018-13",
            r"through: expected a month written 2018-06, 2018年6月, 2018/6, 2018.06, 2018m6, "
            r"Jun 2018, 201806 or 2018/6/1 \(a date on the first day of the month\), got "
            r"'2018-13'",
        ),
        ("March", r"expected a month written 2018-06, 2018年6月"),
        ("2018/6/15", r"through: '2018/6/15' is a date on day 15, not a month"),
        (0, r"through: expected a month 1 to 12 of 2018, got 0"),
    ],
)
def test_a_month_outside_the_year_is_refused(through, match):
    with pytest.raises(InputError, match=match):
        budget_tracking([A], year=2018, through=through)
    assert through_month("2018-6", 2018) == 6


@pytest.mark.parametrize(
    "written", ["2018年6月", "2018年06月", "2018 年 6 月", "2018/6", "2018/06", "2018/6/1",
                "2018-06-01", "2018年6月1日"],
)  # fmt: skip
def test_a_month_as_chinese_excel_writes_it(written):
    """Review zh32 F9: the forms of a county's monthly report are June 2018."""
    assert through_month(written, 2018) == 6


def test_bad_inputs_are_refused_naming_what_was_expected():
    with pytest.raises(InputError, match="county A: budget_fen expected a global budget > 0"):
        CountyMonths("A", 0, {1: 100})
    with pytest.raises(InputError, match="months: month 13 is not 1 to 12"):
        CountyMonths("A", 100, {13: 100})
    with pytest.raises(InputError, match="history 2017: month 2 has -5 fen < 0"):
        CountyMonths("A", 100, {1: 1}, history={2017: {2: -5}})
    with pytest.raises(InputError, match=r"spending in 2018-04, after the month tracked \(2018-03"):
        budget_tracking([CountyMonths("A", 100, {4: 5})], year=2018, through="2018-03")
    with pytest.raises(InputError, match="no spending charged to the budget in 2018 to 2018-03"):
        budget_tracking([CountyMonths("A", 100, {})], year=2018, through="2018-03")
    with pytest.raises(InputError, match="county: A given more than once"):
        budget_tracking([A, A], year=2018, through="2018-03")
    with pytest.raises(InputError, match="projection: expected one of profile, linear"):
        budget_tracking([A], year=2018, through="2018-03", projection="trend")
    with pytest.raises(InputError, match="county: expected at least one"):
        budget_tracking([], year=2018, through="2018-03")
