from decimal import Decimal

import pytest

from ihms.errors import ConfigError, InputError
from ihms.payment import (
    BudgetRule,
    CountyYear,
    PastYear,
    PremiumRule,
    YearSpending,
    global_budget,
    load_rules,
)


def test_sanming_population_budget_worked_example():
    # Seed 002: GB = insured population x fixed premium, after the insurer reserves the
    # private-hospital fund and the risk-adjustment fund. Built-in rules: premium 630 yuan
    # in 2017, the national minimum financing (subsidy 450 + individual 180 yuan: 2018's
    # 490 + 220, Xinhua 25 July 2018, each less the 40 yuan it rose by from 2017); reserves
    # 3% and 5% (assumptions).
    #   pool    = 346,560 x 630.00           = 218,332,800.00 yuan
    #   private = 218,332,800.00 x 3%        =   6,549,984.00
    #   risk    = 218,332,800.00 x 5%        =  10,916,640.00
    #   GB      = 218,332,800 - 6,549,984 - 10,916,640 = 200,866,176.00
    b = global_budget(load_rules("sanming"), county=CountyYear(2017, 346_560))
    assert b.premium_fen == 63_000
    assert b.pooled_fund_fen == 21_833_280_000
    assert b.private_reserve_fen == 654_998_400
    assert b.risk_adjustment_fen == 1_091_664_000
    assert b.global_budget_fen == 20_086_617_600
    assert b.pooled_fund_fen == b.private_reserve_fen + b.risk_adjustment_fen + b.global_budget_fen


def test_premium_growth_rule_rounds_half_up_once():
    # 640 x 1.06^2 = 719.104 yuan -> 719.10 yuan (71,910 fen)
    rule = PremiumRule(base_year=2017, base_fen=64_000, growth=Decimal("0.06"))
    assert rule.for_year(2017) == 64_000
    assert rule.for_year(2018) == 67_840
    assert rule.for_year(2019) == 71_910
    with pytest.raises(ConfigError, match="before the base year"):
        rule.for_year(2016)


def test_premium_given_by_year_wins():
    rule = PremiumRule(
        by_year={2018: 70_000}, base_year=2017, base_fen=64_000, growth=Decimal("0.06")
    )
    assert rule.for_year(2018) == 70_000
    assert rule.for_year(2019) == 71_910
    only = PremiumRule(by_year={2018: 70_000})
    with pytest.raises(ConfigError, match="no amount for 2019"):
        only.for_year(2019)


def test_history_budget_ratchet_worked_example():
    # Other areas (seed 002 Table 1): GB from population and last year's spending.
    #   2017: charged = 480,000 + 20,000 = 500,000 yuan over 1,000 insured -> 500 per capita
    #   2018: GB = 1,010 x 500 x 1.05 = 530,250.00 yuan; private reserve 1,010 x 10 x 1.05
    rule = BudgetRule(method="history", history_years=1, history_growth=Decimal("0.05"))
    past = PastYear(2017, 1_000, YearSpending(2017, {"CH": 48_000_000}, 2_000_000, 1_000_000))
    b = global_budget(rule, county=CountyYear(2018, 1_010), history=[past])
    assert b.global_budget_fen == 53_025_000
    assert b.private_reserve_fen == 1_060_500
    assert b.method == "history"


def test_history_budget_two_years_trended():
    # mean( 400/cap x 1.1, 300/cap x 1.1^2 ) = mean(440, 363) = 401.5 per capita; x 2,000
    rule = BudgetRule(method="history", history_years=2, history_growth=Decimal("0.1"))
    h = [
        PastYear(2017, 1_000, YearSpending(2017, {"CH": 40_000_000})),
        PastYear(2016, 1_000, YearSpending(2016, {"CH": 30_000_000})),
    ]
    b = global_budget(rule, county=CountyYear(2018, 2_000), history=h)
    assert b.global_budget_fen == 80_300_000


def test_history_budget_excludes_outside_county_when_not_charged():
    rule = BudgetRule(method="history")
    past = PastYear(2017, 100, YearSpending(2017, {"CH": 1_000_000}, 500_000))
    b = global_budget(
        rule, county=CountyYear(2018, 100), history=[past], charge_outside_county=False
    )
    assert b.global_budget_fen == 1_000_000


def test_history_budget_needs_previous_year():
    rule = BudgetRule(method="history")
    with pytest.raises(InputError, match="needs spending and population for 2017"):
        global_budget(rule, county=CountyYear(2018, 100), history=[])


def test_fee_for_service_has_no_budget():
    with pytest.raises(InputError, match="no global budget"):
        global_budget(load_rules("fee-for-service"), county=CountyYear(2018, 100))


def test_negative_population_rejected():
    with pytest.raises(InputError, match="insured_population must be > 0"):
        CountyYear(2018, -5)


def test_budget_summary_shows_working():
    # 2018: 490 + 220 = 710 yuan (Xinhua, 25 July 2018); 100 x 710.00 = 71,000.00, less
    # 3% (2,130.00) and 5% (3,550.00) = 65,320.00 yuan
    text = global_budget(load_rules("sanming"), county=CountyYear(2018, 100)).summary().to_text()
    assert "710.00" in text and "global budget" in text and "65,320.00" in text


def test_a_year_before_the_premium_base_year_names_the_rules_and_the_fix():
    # before: "premium: year 2016 is before the base year 2017 of the growth rule", with
    # neither the rule set nor what to do; and (session 36) "budget 2019 or later" though
    # the rules give 2017 and 2018 by year
    with pytest.raises(ConfigError) as err:
        global_budget(load_rules("sanming"), county=CountyYear(2016, 100))
    assert str(err.value) == (
        "rules 'sanming': premium: year 2016 is before the base year 2019 of the growth "
        "rule (770.00 yuan in 2019, growing 6% a year); budget 2017, 2018, 2019 or later, "
        "or give the 2016 premium in a rule file (budget: premium: by_year_yuan: {2016: ...})"
    )
    # a growth rule alone names its base year only
    with pytest.raises(ConfigError, match=r"a year\); budget 2017 or later, or give"):
        PremiumRule(base_year=2017, base_fen=64_000, growth=Decimal("0.06")).for_year(2016)
    # the fix it names works: 100 × 600.00 yuan = 60,000.00 yuan pooled
    import yaml

    from ihms.payment import builtin_rules_text, rules_from_mapping

    data = yaml.safe_load(builtin_rules_text("sanming"))
    data["budget"]["premium"]["by_year_yuan"] = {2016: 600}
    b = global_budget(rules_from_mapping(data), county=CountyYear(2016, 100))
    assert b.pooled_fund_fen == 6_000_000
