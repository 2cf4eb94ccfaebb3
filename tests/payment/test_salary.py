from decimal import Decimal

import pytest

from ihms.errors import ConfigError, InputError
from ihms.payment import (
    CappedRatioScoring,
    LinearScoring,
    Scorecard,
    ScorecardIndicator,
    StaffMember,
    StaffPay,
    ThresholdScoring,
    annual_salaries,
    load_rules,
    score_card,
)

D = Decimal


def test_linear_scoring():
    s = LinearScoring(floor=D("0.5"), target=D("0.8"))
    assert s.score(D("0.4")) == 0
    assert s.score(D("0.65")) == D("0.5")  # (0.65 - 0.5) / 0.3
    assert s.score(D("0.9")) == 1
    # lower is better when the target is below the floor (e.g. a cost indicator)
    cost = LinearScoring(floor=D(200), target=D(100))
    assert cost.score(D(150)) == D("0.5")
    assert cost.score(D(90)) == 1
    with pytest.raises(ConfigError, match="floor and target"):
        LinearScoring(floor=D(1), target=D(1))


def test_threshold_and_capped_ratio():
    assert ThresholdScoring(D(12)).score(D(12)) == 1
    assert ThresholdScoring(D(12)).score(D(11)) == 0
    assert ThresholdScoring(D(5), "at_most").score(D(4)) == 1
    ratio = CappedRatioScoring(target=D(24))
    assert ratio.score(D(18)) == D("0.75")
    assert ratio.score(D(48)) == 1
    assert CappedRatioScoring(target=D(24), cap=D("1.2")).score(D(48)) == D("1.2")
    with pytest.raises(ConfigError, match="target must be > 0"):
        CappedRatioScoring(target=D(0))


def test_director_scorecard_worked_example():
    # Built-in Sanming director card (weights 0.4/0.2/0.1/0.3, assumptions), Youxi's 2018
    # control rates and primary-care share (Zhong et al. 2023, Tables 5 and 4):
    #   fund balance 1.5% on 0..3%            -> 0.5   x 0.4 = 0.20
    #   hypertension control 71.8% on 50..75% -> 0.872 x 0.2 = 0.1744
    #   diabetes control 65.9% on 50..75%     -> 0.636 x 0.1 = 0.0636
    #   primary share 60.8% on 40..70%        -> 0.6933.. x 0.3 = 0.208
    #   total = 0.20 + 0.1744 + 0.0636 + 0.208 = 0.646 (64.6 points) -> passes 60
    card = load_rules("sanming").staff_pay.scorecards["director"]
    values = {
        "fund_balance_rate": D("0.015"),
        "hypertension_control_rate": D("0.718"),
        "diabetes_control_rate": D("0.659"),
        "outpatient_contacts_primary_share": D("0.608"),
    }
    result = score_card(card, values, subject="D-CH01")
    assert result.total == D("0.646")
    assert result.passed
    assert "64.6 points (passed)" in result.summary().title


def test_missing_values_are_errors_not_zeros():
    card = load_rules("sanming").staff_pay.scorecards["doctor"]
    with pytest.raises(
        InputError, match="no value for health_management_rate, thc_consultation_days"
    ):
        score_card(card, {"health_education_sessions": D(10)}, subject="DR1")


def _card():
    return Scorecard(
        "doctor", (ScorecardIndicator("x", "x", D(1), LinearScoring(D(0), D(100))),), D("0.6")
    )


def test_annual_salary_and_incentive_pool_worked_example():
    # factor = 0.6 + (1.2 - 0.6) x score; salary = base x factor (half up to the fen)
    #   A: score 0.9 -> factor 1.14 -> 100,000 x 1.14 = 114,000.00 yuan
    #   B: score 0.6 -> factor 0.96 -> 150,000 x 0.96 = 144,000.00 yuan
    #   C: score 0.3 -> fails (0.3 < 0.6): factor 0.78, no incentive share
    # pool 10,000.00 yuan shared 0.9 : 0.6 -> 6,000.00 and 4,000.00
    pay = StaffPay("annual_salary", {"doctor": _card()}, D("0.6"), D("1.2"))
    staff = [
        StaffMember("A", "doctor", "THC1", 10_000_000),
        StaffMember("B", "doctor", "CH1", 15_000_000),
        StaffMember("C", "doctor", "CH1", 12_000_000),
    ]
    values = {"A": {"x": D(90)}, "B": {"x": D(60)}, "C": {"x": D(30)}}
    res = annual_salaries(pay, staff, values, pool_fen=1_000_000)
    by = {ln.staff_id: ln for ln in res.lines}
    assert by["A"].annual_salary_fen == 11_400_000
    assert by["B"].annual_salary_fen == 14_400_000
    assert by["C"].annual_salary_fen == 9_360_000
    assert (by["A"].incentive_fen, by["B"].incentive_fen, by["C"].incentive_fen) == (
        600_000,
        400_000,
        0,
    )
    assert sum(ln.incentive_fen for ln in res.lines) + res.unshared_fen == 1_000_000
    assert "Annual salaries" in res.summary().title


def test_pool_unshared_when_nobody_passes():
    pay = StaffPay("annual_salary", {"doctor": _card()}, D(1), D(1))
    res = annual_salaries(
        pay, [StaffMember("A", "doctor", "X", 100)], {"A": {"x": D(10)}}, pool_fen=999
    )
    assert res.unshared_fen == 999 and res.lines[0].incentive_fen == 0


def test_roles_without_scorecard_and_volume_pay_rejected():
    pay = StaffPay("annual_salary", {"doctor": _card()})
    with pytest.raises(InputError, match=r"no scorecard in the rules for N \(nurse\)"):
        annual_salaries(pay, [StaffMember("N", "nurse", "X", 100)], {})
    with pytest.raises(InputError, match="annual_salary"):
        annual_salaries(StaffPay("volume"), [], {})
    with pytest.raises(InputError, match="base_salary_fen must be >= 0"):
        StaffMember("A", "doctor", "X", -1)


def test_summary_shows_the_factor_with_the_digits_the_salary_needs():
    from ihms.payment import SalaryLine, SalaryResult

    def line(factor: str, salary_fen: int) -> SalaryLine:
        return SalaryLine("s", "doctor", "i", 30_000_000, D(1), True, D(factor), salary_fen,
                          D(1), 0)  # fmt: skip

    # hand arithmetic: 30,000,000 fen × 1.19963 = 35,988,900 fen; 4 decimals (1.1996) would
    # give 35,988,000, so 5 are shown; × 1.2 = 36,000,000 shows as 1.2000
    res = SalaryResult((line("1.19963", 35_988_900), line("1.2", 36_000_000)), (), 0, 0)
    assert list(res.summary().frame["Salary factor"]) == [D("1.19963"), D("1.2000")]


def test_summary_says_yes_or_no_for_passed_not_python_booleans():
    pay = StaffPay("annual_salary", {"doctor": _card()}, D("0.6"), D("1.2"))
    staff = [StaffMember("A", "doctor", "X", 100), StaffMember("B", "doctor", "X", 100)]
    res = annual_salaries(pay, staff, {"A": {"x": D(90)}, "B": {"x": D(10)}}, pool_fen=0)
    html = res.summary().to_html()
    assert '<td class="label">yes</td>' in html and '<td class="label">no</td>' in html
    assert "True" not in html and "False" not in html
    # the data keep the booleans (CSV, XLSX)
    assert list(res.summary().to_frame()["Passed"]) == [True, False]


def test_an_empty_pool_is_said_to_be_none_not_shared():
    # a year with no balance kept (an overspend, a failed assessment) has no incentive
    # pool: the note says so instead of "Incentive pool 0.00 yuan shared by ..."
    pay = StaffPay("annual_salary", {"doctor": _card()}, D(1), D(1))
    res = annual_salaries(
        pay, [StaffMember("A", "doctor", "X", 100)], {"A": {"x": D(10)}}, pool_fen=0
    )
    notes = res.summary().notes
    assert not any("0.00 yuan" in n for n in notes)
    assert notes[0] == "No incentive pool this year (no balance kept to share): no incentives."
