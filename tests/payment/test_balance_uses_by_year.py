"""Balance-use shares by year (payment review #14): ``staff_incentive: {2018: 16%, 2019:
20%}`` takes the year-keyed form the premium's ``by_year_yuan`` has."""

from decimal import Decimal

import pytest
import yaml

from ihms.errors import ConfigError
from ihms.payment import (
    CountyYear,
    SettlementInputs,
    YearSpending,
    builtin_rules_text,
    load_rules,
    rules_from_mapping,
    settle_year,
)

from .test_settlement import PASSING

D = Decimal


def _data(uses: dict, years=(2018, 2019)) -> dict:
    """Sanming's rules, a round premium (1,000 yuan) every year, no reserves: 1,000
    insured give a global budget of exactly 1,000,000 yuan."""
    data = yaml.safe_load(builtin_rules_text("sanming"))
    data["budget"]["premium"] = {"by_year_yuan": dict.fromkeys(years, 1000)}
    data["budget"]["private_reserve_share"] = "0%"
    data["budget"]["risk_adjustment_share"] = "0%"
    data["balance_uses"] = uses
    return data


BY_YEAR = {
    "staff_incentive": {2018: "16%", 2019: "20%"},
    "cooperation": {2018: "24%", 2019: "20%"},
    "health_promotion": "20%",
    "institutional_development": "40%",
}


def _write(tmp_path, data) -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def _settle(rules, year):
    # GB 100,000,000 fen; charged 89,999,975 fen: balance 10,000,025 fen, kept whole
    spending = YearSpending(year, {"CH01": 89_999_975}, 0, 0)
    inputs = SettlementInputs(CountyYear(year, 1_000), spending, assessment_values=PASSING)
    return settle_year(rules, inputs)


def test_each_year_settles_with_its_own_share():
    # worked by hand: balance 10,000,025 fen; pool = balance x share, exact (no remainder):
    # 2018: 16% -> 1,600,004 fen; cooperation 24% -> 2,400,006
    # 2019: 20% -> 2,000,005 fen; cooperation 20% -> 2,000,005
    # both years: health promotion 20% -> 2,000,005; institutional development 40% -> 4,000,010
    rules = rules_from_mapping(_data(BY_YEAR))
    for year, staff, coop in ((2018, "0.16", "0.24"), (2019, "0.20", "0.20")):
        rec = _settle(rules, year)
        assert rec.retained_fen == 10_000_025
        pool = D(rec.retained_fen) * D(staff)
        assert pool == pool.to_integral_value()  # exact: no rounding in the worked example
        assert rec.distribution.staff_incentive_fen == int(pool)
        assert dict(rec.distribution.allocations) == {
            "staff_incentive": int(pool),
            "cooperation": int(D(10_000_025) * D(coop)),
            "health_promotion": 2_000_005,
            "institutional_development": 4_000_010,
        }
    assert rules.balance_uses.share_of("staff_incentive", 2018) == D("0.16")
    assert rules.balance_uses.share_of("staff_incentive", 2019) == D("0.2")


def test_a_share_without_a_year_keeps_the_digest_of_the_builtin():
    data = yaml.safe_load(builtin_rules_text("sanming"))
    same = rules_from_mapping(data).digest
    assert same == load_rules("sanming").digest
    data["balance_uses"]["staff_incentive"] = {2018: "16%"}
    other = rules_from_mapping(data)
    assert other.digest != same  # by year is another rule
    assert other.balance_uses.share_of("staff_incentive", 2018) == D("0.16")


def test_a_year_the_rules_do_not_give_is_refused_naming_file_key_and_year(tmp_path):
    rules = load_rules(_write(tmp_path, _data(BY_YEAR, years=(2018, 2019, 2020))))
    with pytest.raises(ConfigError) as err:
        _settle(rules, 2020)
    msg = str(err.value)
    assert "rules.yaml" in msg
    assert "'balance_uses.staff_incentive'" in msg
    assert "no share for 2020" in msg and "2018, 2019" in msg


@pytest.mark.parametrize(
    "bad",
    [["16%", "20%"], {"2018x": "16%"}, {2018: [1]}, {}, True],
)
def test_a_wrong_shape_names_file_key_and_what_is_expected(tmp_path, bad):
    uses = dict(BY_YEAR, staff_incentive=bad)
    with pytest.raises(ConfigError) as err:
        load_rules(_write(tmp_path, _data(uses)))
    msg = str(err.value)
    assert "rules.yaml line " in msg
    assert "key 'balance_uses.staff_incentive'" in msg
    assert "{2018: 16%, 2019: 20%}" in msg  # what is expected
    assert "Decimal input" not in msg and "should be" not in msg  # not pydantic's words


def test_each_years_shares_must_add_up(tmp_path):
    uses = dict(BY_YEAR, cooperation={2018: "24%", 2019: "25%"})
    with pytest.raises(ConfigError, match=r"rules.yaml line \d+: balance_uses: shares for 2019 "):
        load_rules(_write(tmp_path, _data(uses)))


def test_every_use_by_year_gives_the_same_years(tmp_path):
    uses = dict(BY_YEAR, cooperation={2018: "24%"})
    with pytest.raises(ConfigError) as err:
        load_rules(_write(tmp_path, _data(uses)))
    assert "balance_uses.cooperation" in str(err.value) and "2019" in str(err.value)


def test_a_share_out_of_range_in_a_year_is_named():
    uses = dict(BY_YEAR, staff_incentive={2018: "16%", 2019: "120%"})
    with pytest.raises(ConfigError, match=r"balance_uses\.staff_incentive\[2019\]"):
        rules_from_mapping(_data(uses))


@pytest.mark.parametrize("bad", [[640, 678.4], {"2018x": 640}, {2018: "640,5"}])
def test_the_premiums_year_map_is_read_by_the_same_parser(tmp_path, bad):
    # one parser for every year-keyed key: the premium's wrong shape was pydantic's
    # "Input should be a valid dictionary" / "Input should be a valid integer"
    data = _data(BY_YEAR)
    data["budget"]["premium"] = {"by_year_yuan": bad}
    with pytest.raises(ConfigError) as err:
        load_rules(_write(tmp_path, data))
    msg = str(err.value)
    assert "rules.yaml line " in msg and "key 'budget.premium.by_year_yuan'" in msg
    assert "{2018: 640, 2019: 678.40}" in msg or "expected an amount in yuan" in msg
    assert "Input should be" not in msg


def test_a_share_by_year_asked_for_no_year_is_refused_naming_the_file(tmp_path):
    rules = load_rules(_write(tmp_path, _data(BY_YEAR)))
    assert rules.balance_uses.share_of("health_promotion", 2019) == D("0.2")
    with pytest.raises(
        ConfigError, match=r"rules\.yaml: key 'balance_uses\.staff_incentive': shares"
    ):
        rules.balance_uses.share_of("staff_incentive")
