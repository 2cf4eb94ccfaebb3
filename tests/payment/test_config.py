import copy

import pytest
import yaml

from ihms.errors import ConfigError
from ihms.payment import BUILTIN_RULES, builtin_rules_text, load_rules, rules_from_mapping


def _sanming() -> dict:
    return yaml.safe_load(builtin_rules_text("sanming"))


@pytest.mark.parametrize("name", BUILTIN_RULES)
def test_builtin_rules_load(name):
    rules = load_rules(name)
    assert rules.name == name
    assert len(rules.digest) == 16


def test_kinds_of_builtins():
    assert load_rules("sanming").kind == "global_budget"
    assert load_rules("other-areas").budget.method == "history"
    assert load_rules("fee-for-service").kind == "fee_for_service"
    assert load_rules("mssp").kind == "shared_savings"
    assert load_rules("deqing-shared-savings").family_physician_fee is not None


def test_sanming_staff_incentive_share_is_seed_002_figure():
    # seed 002, "The payment policies for IHC in IMPM", item 2: 16% of the balance in 2018
    from decimal import Decimal

    assert load_rules("sanming").balance_uses.share_of("staff_incentive") == Decimal("0.16")
    # seed 002 Table 1, other areas: balance only for institutional development
    assert dict(load_rules("other-areas").balance_uses.shares) == {
        "institutional_development": Decimal(1)
    }


def test_percent_strings_and_fractions_are_the_same():
    a = _sanming()
    assert a["balance_uses"]["staff_incentive"] == "16%"  # the file writes percentages
    b = copy.deepcopy(a)
    b["balance_uses"] = {
        "staff_incentive": 0.16,
        "cooperation": 0.24,
        "health_promotion": 0.2,
        "institutional_development": 0.4,
    }
    assert rules_from_mapping(a).balance_uses == rules_from_mapping(b).balance_uses


def test_unknown_key_suggests_nearest():
    data = _sanming()
    data["staff_pay"]["scorecards"]["director"]["indicators"][0]["wieght"] = data["staff_pay"][
        "scorecards"
    ]["director"]["indicators"][0].pop("weight")
    with pytest.raises(ConfigError) as err:
        rules_from_mapping(data, source="my-rules.yaml")
    msg = str(err.value)
    assert "my-rules.yaml" in msg
    assert "wieght" in msg and "did you mean 'weight'" in msg


def test_unknown_top_level_key_suggests_nearest():
    data = _sanming()
    data["balance_use"] = data.pop("balance_uses")
    with pytest.raises(ConfigError, match="did you mean 'balance_uses'"):
        rules_from_mapping(data)


def test_unknown_key_in_msr_band():
    data = yaml.safe_load(builtin_rules_text("mssp"))
    data["shared_savings"]["minimum_savings_rate_table"][0]["hihg"] = "3.6%"
    with pytest.raises(ConfigError, match="did you mean 'high'"):
        rules_from_mapping(data)


def test_shares_must_add_to_100_percent():
    data = _sanming()
    data["balance_uses"]["cooperation"] = "25%"
    with pytest.raises(ConfigError, match=r"add up to 100%.*101"):
        rules_from_mapping(data)


def test_scorecard_weights_must_add_to_one():
    data = _sanming()
    data["staff_pay"]["scorecards"]["doctor"]["indicators"][0]["weight"] = 0.35
    with pytest.raises(
        ConfigError, match=r"scorecards.doctor': weights must add up to 1, got 1.05"
    ):
        rules_from_mapping(data)


def test_negative_premium_rejected():
    data = _sanming()
    data["budget"]["premium"]["base_yuan"] = -640
    with pytest.raises(ConfigError, match=r"base_yuan': expected an amount of at least 0 yuan"):
        rules_from_mapping(data)


def test_negative_rate_rejected():
    data = _sanming()
    data["budget"]["private_reserve_share"] = "-3%"
    with pytest.raises(ConfigError, match=r"private_reserve_share.*-0.03"):
        rules_from_mapping(data)


def test_one_scoring_function_per_indicator():
    data = _sanming()
    data["staff_pay"]["scorecards"]["doctor"]["indicators"][0]["linear"] = {"floor": 0, "target": 1}
    with pytest.raises(ConfigError, match="exactly one scoring function"):
        rules_from_mapping(data)


def test_director_assessment_needs_director_scorecard():
    data = _sanming()
    del data["staff_pay"]["scorecards"]["director"]
    with pytest.raises(ConfigError, match="no director scorecard"):
        rules_from_mapping(data)


def test_budget_and_shared_savings_exclusive():
    data = _sanming()
    data["shared_savings"] = yaml.safe_load(builtin_rules_text("mssp"))["shared_savings"]
    with pytest.raises(ConfigError, match="cannot both apply"):
        rules_from_mapping(data)


def test_load_from_file_and_errors(tmp_path):
    path = tmp_path / "county.yaml"
    path.write_text(
        builtin_rules_text("other-areas").replace('version: "2018.1"', 'version: "local"'), "utf-8"
    )
    assert load_rules(path).version == "local"
    with pytest.raises(ConfigError, match="not found"):
        load_rules(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="did you mean 'sanming'"):
        load_rules("sanmign")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", "utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rules(bad)
    notmap = tmp_path / "list.yaml"
    notmap.write_text("- a\n- b\n", "utf-8")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_rules(notmap)


def test_rules_digest_changes_with_content():
    a = _sanming()
    b = copy.deepcopy(a)
    b["balance_uses"]["cooperation"] = "23%"
    b["balance_uses"]["health_promotion"] = "21%"
    assert rules_from_mapping(a).digest != rules_from_mapping(b).digest
    assert rules_from_mapping(a).digest == load_rules("sanming").digest


@pytest.mark.parametrize(
    ("section", "value", "message"),
    [
        (("budget", "premium", "growth"), 6, "write '6%'"),
        (("budget", "premium", "growth"), "0.6", "between -50% and 50%"),
        (("budget", "premium", "growth"), "-51%", "between -50% and 50%"),
    ],
)
def test_growth_is_bounded(section, value, message):
    data = _sanming()
    data[section[0]][section[1]][section[2]] = value
    with pytest.raises(ConfigError, match=message):
        rules_from_mapping(data)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # 60.125 %: half up 60.13 % as money.percent_shown rounds; ":.2%" (half-even)
        # showed 60.12 %
        ("60.125%", "got 60.13%"),
        ("-60.125%", "got -60.13%"),
        # just beyond the bound: the decimals that keep it beyond (":.2%" showed 50.00 %)
        ("50.0049%", "got 50.005%"),
        ("-50.0049%", "got -50.005%"),
        ("0.6", "got 60.00%"),
    ],
)
def test_a_growth_beyond_the_bound_is_shown_half_up_and_beyond_it(value, shown):
    data = _sanming()
    data["budget"]["premium"]["growth"] = value
    with pytest.raises(ConfigError) as err:
        rules_from_mapping(data)
    assert str(err.value).endswith(
        f"expected a yearly growth between -50% and 50%, {shown} (write 6% for six per cent a year)"
    )


def test_growth_bound_is_inclusive_and_applies_to_benchmarks():
    data = _sanming()
    data["budget"]["premium"]["growth"] = "50%"
    assert str(rules_from_mapping(data).budget.premium.growth) == "0.5"
    mssp = yaml.safe_load(builtin_rules_text("deqing-shared-savings"))
    mssp["shared_savings"]["benchmark"]["growth"] = 5
    with pytest.raises(ConfigError, match=r"shared_savings\.benchmark\.growth.*write '5%'"):
        rules_from_mapping(mssp)


def test_missing_budget_section_is_named():
    data = _sanming()
    del data["budget"]
    with pytest.raises(ConfigError, match="missing section budget"):
        rules_from_mapping(data)
    # rules built in code: the director assessment gates a budget's balance
    import dataclasses

    with pytest.raises(ConfigError, match="missing section budget"):
        dataclasses.replace(load_rules("sanming"), budget=None)


def _with_yuan(text: str, key: str = "base_yuan") -> dict:
    """The Sanming rules with one yuan key written as a user writes it in YAML."""
    data = _sanming()
    value = yaml.safe_load(f"v: {text}")["v"]
    if key == "base_yuan":
        data["budget"]["premium"]["base_yuan"] = value
    else:
        data["family_physician_fee"] = {"per_member_per_year_yuan": value}
    return data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a premium of 640.125 yuan is 64,012.5 fen: no such amount of money
        ("640.125", "expected yuan to the fen (at most two decimals), got 640.125"),
        ("-640", "expected an amount of at least 0 yuan, got -640"),
        # a decimal comma: read as thousands separator it would be 6,405 yuan
        ("'640,5'", "expected an amount in yuan such as 640.25 (digits and a decimal point, "),
        ("6%", "expected an amount in yuan such as 640.25 (digits and a decimal point, "),
        ("true", "expected an amount in yuan such as 640.25"),
    ],
)
def test_money_in_a_rule_file_is_yuan_to_the_fen_named_by_its_key(text, expected):
    with pytest.raises(ConfigError) as err:
        rules_from_mapping(_with_yuan(text), source="my.yaml")
    msg = str(err.value)
    # before: 640.125 gave "budget.premium.base_yuan: Decimal('640.125') yuan is not a
    # whole number of fen" without the file; -640 gave "premium: base amount must be >= 0,
    # got -64000 fen"; '640,5' a pydantic "Value error, ...; got '640,5'; got '640,5'"
    assert f"my.yaml: key 'budget.premium.base_yuan': {expected}" in msg
    assert "Value error" not in msg and "Decimal(" not in msg and msg.count("got") == 1


def test_the_family_physician_fee_is_checked_the_same_way():
    with pytest.raises(ConfigError) as err:
        rules_from_mapping(_with_yuan("12.345", "fee"), source="my.yaml")
    assert (
        "my.yaml: key 'family_physician_fee.per_member_per_year_yuan': expected yuan to the "
        "fen (at most two decimals), got 12.345"
    ) in str(err.value)
    rules = rules_from_mapping(_with_yuan("12.34", "fee"), source="my.yaml")
    assert rules.family_physician_fee.per_member_per_year_fen == 1234  # 12.34 yuan
