"""Worked examples with published MSSP parameters.

Sources (named beside each number):
- MSR table: 42 CFR 425.604(b), Medicare Shared Savings Program final rule, 76 FR 67802
  (2 November 2011): 5,000-5,999 beneficiaries 3.9% (low end) to 3.6% (high end), ...,
  10,000-14,999: 3.0% to 2.7%, 20,000-49,999: 2.5% to 2.2%, 60,000+: 2.0%.
- ENHANCED track: 42 CFR 425.610 as amended by 83 FR 67816 (31 December 2018): final
  sharing rate 75%, savings cap 20% of the benchmark, loss rate 1 - final sharing rate
  bounded to [40%, 75%], losses capped at 15% of the benchmark.
- Sliding scale for ACOs meeting only the alternative quality standard: CY 2023 PFS final
  rule, 87 FR 69404 (18 November 2022): 75% x quality score.
"""

from decimal import Decimal

import pytest

from ihms.errors import InputError
from ihms.payment import (
    CountyYear,
    FamilyPhysicianFee,
    PastYear,
    SettlementInputs,
    YearSpending,
    blended_primary_care_payment,
    load_rules,
    minimum_savings_rate,
    settle_shared_savings,
    settle_year,
)

D = Decimal
MSSP = load_rules("mssp").shared_savings
DOLLAR = 100  # the engine counts in hundredths: cents for MSSP


@pytest.mark.parametrize(
    ("n", "msr"),
    [
        (5_000, D("0.039")),  # 425.604(b): 5,000-5,999 low end 3.9%
        (5_999, D("0.036")),  # high end 3.6%
        (10_000, D("0.030")),  # 10,000-14,999 low end 3.0%
        (14_999, D("0.027")),  # high end 2.7%
        (20_000, D("0.025")),  # 20,000-49,999 low end 2.5%
        (60_000, D("0.020")),  # 60,000+: 2.0%
        (442_000, D("0.020")),  # Deqing's catchment (seed 004), far above 60,000
    ],
)
def test_msr_table_endpoints(n, msr):
    assert minimum_savings_rate(MSSP, n) == msr


def test_msr_interpolated_within_a_band():
    # 12,500 in the 10,000-14,999 band: 3.0% + (2,500 / 4,999) x (2.7% - 3.0%)
    expected = D("0.030") + D(2_500) / D(4_999) * (D("0.027") - D("0.030"))
    assert minimum_savings_rate(MSSP, 12_500) == expected
    assert D("0.0284") < expected < D("0.0285")


def test_msr_below_table_is_an_error():
    with pytest.raises(InputError, match="at least 5,000 assigned beneficiaries"):
        minimum_savings_rate(MSSP, 4_999)


def _settle(expenditure_dollars, *, met=True, alt=None, score=None, n=20_000, pc=11_000):
    return settle_shared_savings(
        MSSP,
        assigned=n,
        benchmark_per_capita_fen=pc * DOLLAR,
        actual_fen=expenditure_dollars * DOLLAR,
        quality_score=score,
        quality_standard_met=met,
        alternative_quality_standard_met=alt,
    )


def test_enhanced_savings_shared_worked_example():
    # benchmark 20,000 x $11,000 = $220,000,000; expenditure $212,000,000
    # savings $8,000,000 = 3.636% >= MSR 2.5% (20,000 beneficiaries, 425.604(b))
    # shared = 75% x $8,000,000 = $6,000,000 (cap 20% x $220M = $44M not binding)
    r = _settle(212_000_000)
    assert r.benchmark_fen == 220_000_000 * DOLLAR
    assert r.msr == D("0.025")
    assert r.shared_savings_fen == 6_000_000 * DOLLAR
    assert r.savings_cap_fen == 44_000_000 * DOLLAR
    assert r.outcome == "savings shared"


def test_savings_below_msr_not_shared():
    # savings $4,000,000 = 1.818% < 2.5%
    r = _settle(216_000_000)
    assert r.shared_savings_fen == 0 and r.shared_losses_fen == 0
    assert r.outcome == "savings below the minimum savings rate"


def test_savings_cap_binds():
    # savings $70,000,000 x 75% = $52.5M > cap 20% x $220M = $44M
    assert _settle(150_000_000).shared_savings_fen == 44_000_000 * DOLLAR


def test_losses_shared_at_floor_rate():
    # losses $10,000,000 = 4.545% >= MLR 2.5%; loss rate 1 - 75% = 25% -> floor 40%
    # shared losses = 40% x $10M = $4,000,000 (cap 15% x $220M = $33M)
    r = _settle(230_000_000)
    assert r.loss_rate == D("0.40")
    assert r.shared_losses_fen == 4_000_000 * DOLLAR
    assert r.loss_cap_fen == 33_000_000 * DOLLAR
    assert r.outcome == "losses shared"


def test_losses_when_quality_missed_use_the_ceiling_rate():
    # quality standard and alternative both missed: final sharing rate 0 -> loss rate 1 -> 75%
    r = _settle(230_000_000, met=False, alt=False, score=D("0.5"))
    assert r.final_sharing_rate == 0
    assert r.loss_rate == D("0.75")
    assert r.shared_losses_fen == 7_500_000 * DOLLAR


def test_loss_cap_binds():
    # losses $100M x 40% = $40M > cap $33M
    assert _settle(320_000_000).shared_losses_fen == 33_000_000 * DOLLAR


def test_losses_below_mlr_owe_nothing():
    # losses $4M = 1.8% < MLR 2.5% (MLR = MSR, symmetrical)
    r = _settle(224_000_000)
    assert r.shared_losses_fen == 0 and r.mlr == D("0.025")


def test_sliding_scale_when_only_alternative_standard_met():
    # 87 FR 69404: sharing rate 75% x quality score 0.8 = 60%; savings $8M -> $4.8M
    r = _settle(212_000_000, met=False, alt=True, score=D("0.8"))
    assert r.final_sharing_rate == D("0.600")
    assert r.shared_savings_fen == 4_800_000 * DOLLAR


def test_the_alternative_standard_is_not_guessed_when_the_standard_is_missed():
    # sliding scale (87 FR 69404): whether the alternative standard was met decides
    # between 75 % × score and 0, so a missing answer is refused, naming it
    with pytest.raises(InputError, match="alternative_quality_standard_met"):
        _settle(212_000_000, met=False, alt=None, score=D("0.8"))


def test_quality_inputs_required():
    with pytest.raises(InputError, match="quality_standard_met"):
        _settle(212_000_000, met=None)


def test_blended_primary_care_payment_worked_example():
    # Deqing (seed 004): FFS + per-member-per-year fee x registered residents.
    # FFS 500,000.00 yuan + 150,000 x 100.00 yuan = 15,500,000.00 yuan
    b = blended_primary_care_payment(
        FamilyPhysicianFee(10_000), fee_for_service_fen=50_000_000, registered=150_000
    )
    assert b.family_physician_fee_fen == 1_500_000_000
    assert b.total_fen == 1_550_000_000
    rows = _rows(b.summary())
    assert rows == {
        "fee for service": D("500000.00"),
        "family-physician fee (150,000 registered × 100.00)": D("15000000.00"),
        "blended primary-care payment": D("15500000.00"),
    }
    assert str(b.summary()).startswith("Blended primary-care payment (yuan)")


def test_deqing_settlement_total_cost_of_care_with_history():
    # Total cost of care counts care inside and outside the organisation (seed 004).
    # 2017: 1,000,000 + 200,000 + 50,000 = 1,250,000 yuan over 10,000 residents = 125.00
    # 2018 benchmark per capita = 125.00 x 1.05 = 131.25 -> benchmark 1,312,500.00 yuan
    # 2018 actual 1,150,000 + 60,000 + 50,000 = 1,260,000 -> savings 52,500 = 4.0%
    # MSR for 10,000 people = 3.0% -> shared 50% = 26,250.00 (cap 10% = 131,250 not binding)
    # family-physician fee 4,000 x 100.00 = 400,000.00 yuan
    rules = load_rules("deqing-shared-savings")
    hist = (PastYear(2017, 10_000, YearSpending(2017, {"CH": 100_000_000}, 20_000_000, 5_000_000)),)
    county = CountyYear(2018, 10_000, family_physician_registered=4_000, quality_score=D("0.7"))
    sp = YearSpending(
        2018, {"CH": 80_000_000, "THC": 35_000_000}, 6_000_000, 5_000_000, primary_care=35_000_000
    )
    rec = settle_year(rules, SettlementInputs(county, sp, history=hist))
    ss = rec.shared_savings
    assert ss.benchmark_per_capita_fen == 13_125
    assert ss.benchmark_fen == 131_250_000
    assert ss.actual_fen == 126_000_000
    assert ss.msr == D("0.030")
    assert ss.shared_savings_fen == 2_625_000
    assert rec.family_physician_fee_fen == 40_000_000
    assert rec.insurer_outlay_fen == 126_000_000 + 2_625_000 + 40_000_000
    assert sum(rec.distribution.allocations.values()) == 2_625_000


def test_a_fee_without_registrations_refuses_to_settle():
    # An unknown registration count is not zero registrations: Deqing's rules would pay
    # a fee of 0 for "nobody registered" and understate the insurer's outlay.
    rules = load_rules("deqing-shared-savings")
    hist = (PastYear(2017, 10_000, YearSpending(2017, {"CH": 100_000_000}, 20_000_000, 5_000_000)),)
    county = CountyYear(2018, 10_000, quality_score=D("0.7"))
    sp = YearSpending(2018, {"CH": 80_000_000}, 6_000_000, 5_000_000)
    with pytest.raises(InputError, match="family_physician_registered is not given"):
        settle_year(rules, SettlementInputs(county, sp, history=hist))


def test_mssp_needs_given_benchmark():
    rules = load_rules("mssp")
    with pytest.raises(InputError, match="benchmark_per_capita_fen"):
        settle_year(
            rules, SettlementInputs(CountyYear(2023, 20_000), YearSpending(2023, {"ACO": 1}))
        )


def _rows(summary):
    frame = summary.to_frame()
    return dict(zip(frame.index, frame["yuan"], strict=True))


def test_summary_shows_benchmark_savings_and_the_split_exact_to_the_fen():
    # A hand-worked one-sided year under the Deqing rules (sharing 50%, cap 10% of the
    # benchmark, quality standard 60 points, MSSP MSR table):
    # benchmark 12,345 × 1,234.57 yuan = 15,240,766.65 yuan (1,524,076,665 fen)
    # actual 14,500,000.02 yuan -> savings 1,524,076,665 − 1,450,000,002 = 74,076,663 fen
    # savings rate 74,076,663 / 1,524,076,665 = 4.86% >= MSR 3.0% + 2,345/4,999 × −0.3% = 2.86%
    # shared 50% × 74,076,663 = 37,038,331.5 -> half up 37,038,332 fen = 370,383.32 yuan
    # cap 10% × 1,524,076,665 = 152,407,666.5 -> 152,407,667 fen = 1,524,076.67 yuan
    # insurer keeps 74,076,663 − 37,038,332 = 37,038,331 fen = 370,383.31 yuan
    rule = load_rules("deqing-shared-savings").shared_savings
    r = settle_shared_savings(
        rule,
        assigned=12_345,
        benchmark_per_capita_fen=123_457,
        actual_fen=1_450_000_002,
        quality_score=D("0.72"),
    )
    s = r.summary()
    assert _rows(s) == {
        "benchmark (12,345 × 1,234.57 per capita)": D("15240766.65"),
        "actual expenditure (total cost of care)": D("14500000.02"),
        "savings (benchmark − actual; negative: losses)": D("740766.63"),
        "cap on shared savings": D("1524076.67"),
        "shared savings paid to the consortium": D("370383.32"),
        "consortium's result": D("370383.32"),
        "insurer's saving (savings − consortium's result)": D("370383.31"),
    }
    assert all(isinstance(v, D) for v in _rows(s).values())  # money stays exact
    text = str(s)
    assert text.startswith("Shared savings, 12,345 assigned people (yuan): savings shared")
    assert "15,240,766.65" in text and "370,383.31" in text
    assert "Savings rate 4.86% ≥ minimum savings rate 2.86%: met; final sharing rate 50%" in text
    assert "Quality gate: quality score 72% ≥ standard 60%." in text
    assert "shared losses" not in text  # one-sided: no loss lines
    assert "<caption>Shared savings, 12,345 assigned people (yuan)" in s.to_html()


def test_the_savings_note_never_rounds_a_rate_onto_the_minimum():
    import dataclasses

    from ihms.payment.shared_savings_result import savings_note

    rule = load_rules("deqing-shared-savings").shared_savings
    r = settle_shared_savings(
        rule, assigned=12_345, benchmark_per_capita_fen=123_457, actual_fen=1_450_000_002,
        quality_score=D("0.72"),
    )  # fmt: skip
    # 1.996 % against a 2 % minimum printed "2.00% < … 2.00%"; it needs three decimals
    below = dataclasses.replace(r, savings_rate=D("0.01996"), msr=D("0.02"))
    assert savings_note(below).startswith("Savings rate 1.996% < minimum savings rate 2.00%")
    # 2.004 % rounds to 2.00 on the right side: two decimals are enough
    above = dataclasses.replace(r, savings_rate=D("0.02004"), msr=D("0.02"))
    assert savings_note(above).startswith("Savings rate 2.00% ≥ minimum savings rate 2.00%")


def test_summary_of_shared_losses_splits_the_loss():
    # MSSP ENHANCED (sources at the top): losses $10,000,000 on a $220M benchmark,
    # quality standard met: loss rate 1 − 75% = 25% -> floor 40%; shared losses 40% ×
    # $10M = $4,000,000 (cap 15% × $220M = $33M); the insurer bears $10M − $4M = $6M
    s = _settle(230_000_000).summary()
    rows = _rows(s)
    assert rows["savings (benchmark − actual; negative: losses)"] == D("-10000000.00")
    assert rows["shared savings paid to the consortium"] == 0
    assert rows["cap on shared losses"] == D("33000000.00")
    assert rows["shared losses owed by the consortium"] == D("4000000.00")
    assert rows["consortium's result"] == D("-4000000.00")
    assert rows["insurer's saving (savings − consortium's result)"] == D("-6000000.00")
    assert "minimum loss rate (2.50% of the benchmark) are shared at 40%" in str(s)


def test_result_repr_is_one_short_line_naming_the_figures():
    r = _settle(212_000_000)
    text = repr(r)
    # before: the generated repr printed all 18 fields and every audit step (~1,600 chars)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<SharedSavingsResult: assigned=20000, benchmark_fen=22000000000")
    assert "shared_savings_fen=600000000" in text and "outcome='savings shared'" in text


def test_rates_in_words_round_half_up():
    # 1.2345 % to 4 significant digits: half up gives 1.235 (half even gave 1.234), as
    # the payment module's other shown figures round
    from ihms.payment._quality_gate import percent_text

    assert percent_text(D("0.012345")) == "1.235%"
    assert percent_text(D("0.5")) == "50%" and percent_text(D("0.025")) == "2.5%"


def test_a_distributions_shares_round_half_up():
    # a share of 12.345 % shows as 12.35 (half even gave 12.34)
    from ihms.payment.record import Distribution

    d = Distribution(
        total_fen=100_000,
        allocations={"staff_incentive": 12_345, "development": 87_655},
        shares={"staff_incentive": D("0.12345"), "development": D("0.87655")},
    )
    assert d.summary().frame["Share (%)"].tolist() == [D("12.35"), D("87.66")]
