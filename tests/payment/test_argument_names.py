"""A rule object built in code is told its own arguments; a rule file, its keys (session
36, B9). ``FamilyPhysicianFee`` built with a bad value named the rule file's keys
(``per_member_per_year_yuan: 110``, ``by_year_yuan``) and a ``per_member_per_year[...]``
that is neither; ``SharedSavingsRule`` named ``benchmark.years``,
``minimum_savings_rate`` and the like, which are keys of a rule file, not its arguments
(``history_years``, ``msr_fixed``). A rule file's messages still name its keys, at
their lines (``payment._config.as_file_keys``). An ``MsrBand``'s bad bounds said "bad
bounds" and named neither its arguments (``low_n``, ``high_n``) nor the file's keys (``from``,
``to``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ihms.errors import ConfigError
from ihms.payment import (
    FamilyPhysicianFee,
    MsrBand,
    SharedSavingsRule,
    builtin_rules_text,
    load_rules,
)

D = Decimal


def _refused(build) -> str:
    with pytest.raises(ConfigError) as info:
        build()
    text = str(info.value)
    assert "_yuan" not in text, text  # no rule-file key in code's message
    return text


def test_a_fee_in_code_names_its_arguments():
    text = _refused(FamilyPhysicianFee)
    assert text.startswith("family_physician_fee: give the fee in one form: per_member_per")
    assert "per_member_per_year_fen=11_000" in text and "from_month={'2019-01'" in text
    assert _refused(lambda: FamilyPhysicianFee(-1)) == (
        "family_physician_fee.per_member_per_year_fen: expected >= 0, got -1 fen"
    )
    assert _refused(lambda: FamilyPhysicianFee(by_year={2019: -5})).startswith(
        "family_physician_fee.by_year[2019]: expected >= 0"
    )
    assert _refused(lambda: FamilyPhysicianFee(from_month={"2019-07": -5})).startswith(
        "family_physician_fee.from_month[2019-07]: expected >= 0"
    )
    year = _refused(lambda: FamilyPhysicianFee(from_month={2019: 100}))
    assert year.startswith(
        "family_physician_fee.from_month: month 2019: a year, not a month; for a fee by "
        "year write by_year={2019: <fen>}, or the month 2019-01 here; the fee may be given "
        "as per_member_per_year_fen=11_000"
    )


def _shared(**given):
    return SharedSavingsRule("given", D("0.5"), D("0.1"), **{"msr_fixed": D("0.02"), **given})


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"msr_fixed": None}, "shared_savings: give exactly one of msr_fixed (a fixed minimum "
         "savings rate) and msr_table (a table by population)"),
        ({"msr_table": (MsrBand(0, None, D(0), D(0)),)}, "shared_savings: give exactly one of "
         "msr_fixed"),
        ({"msr_fixed": D(2)}, "shared_savings.msr_fixed: expected a rate >= 0 and <= 1, got 2"),
        ({"history_years": 0}, "shared_savings.history_years: expected >= 1, got 0"),
        ({"history_growth": D("0.6")}, "shared_savings.history_growth: expected a yearly growth"),
        ({"two_sided": True, "mlr_fixed": D(2)}, "shared_savings.mlr_fixed: expected a rate"),
        ({"msr_fixed": None, "msr_table": (MsrBand(0, None, D(0), D(0)),
                                           MsrBand(10, None, D(0), D(0)))},
         "shared_savings.msr_table: bands 0– and 10– overlap"),
    ],
)  # fmt: skip
def test_shared_savings_in_code_names_its_arguments(given, message):
    refused = _refused(lambda: _shared(**given))
    assert refused.startswith(message)
    # built in code: the arguments' names, not the YAML's
    assert "benchmark." not in refused and "minimum_" not in refused


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        ("years: 1, growth", "years: 0, growth", "  benchmark:", "shared_savings.benchmark.years: "
         "expected >= 1, got 0"),
        ("growth: 5%}", "growth: 60%}", "  benchmark:", "shared_savings.benchmark.growth: "
         "expected a yearly growth"),
        ("  savings_cap: 10%", "  savings_cap: 10%\n  minimum_savings_rate: 2%", "shared_savings:",
         "shared_savings: give exactly one of minimum_savings_rate (a fixed minimum savings "
         "rate) and minimum_savings_rate_table (a table by population)"),
        ("{from: 6000, to: 6999", "{from: 5500, to: 6999", "  minimum_savings_rate_table:",
         "shared_savings.minimum_savings_rate_table: bands 5000– and 5500– overlap"),
    ],
)  # fmt: skip
def test_a_rule_file_is_still_told_its_keys_at_their_lines(tmp_path, old, new, at, message):
    text = builtin_rules_text("deqing-shared-savings")
    line = text[: text.index(f"\n{at}") + 1].count("\n") + 1
    path = tmp_path / "deqing.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert str(info.value).startswith(f"{path} line {line}: {message}")


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ((6000, 5999), "shared_savings.msr_table: band low_n=6000, high_n=5999: expected "
         "high_n >= low_n"),
        ((-1, 6999), "shared_savings.msr_table: band low_n=-1, high_n=6999: expected low_n >= 0"),
        # an open band shows no upper bound (was "high_n=None")
        ((-1, None), "shared_savings.msr_table: band low_n=-1: expected low_n >= 0"),
    ],
)  # fmt: skip
def test_an_msr_band_in_code_names_its_arguments(band, message):
    assert _refused(lambda: MsrBand(*band, D(0), D(0))) == message
    rate = _refused(lambda: MsrBand(5000, 5999, D("0.039"), D("1.5")))
    assert rate == (
        "shared_savings.msr_table: band low_n=5000, high_n=5999: rate_at_high: expected a rate "
        ">= 0 and <= 1, got 1.5"
    )


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ("{from: 6000, to: 5999", "band from=6000, to=5999: expected to >= from"),
        ("{from: -1, to: 6999", "band from=-1, to=6999: expected from >= 0"),
        # an open band (as the table's last, {from: 60000, low: 2.0%}): no "to=None"
        ("{from: -1, to: null", "band from=-1: expected from >= 0"),
    ],
)
def test_an_msr_band_in_a_rule_file_names_its_keys_at_the_table_line(tmp_path, band, message):
    text = builtin_rules_text("deqing-shared-savings")
    line = text[: text.index("\n  minimum_savings_rate_table:") + 1].count("\n") + 1
    path = tmp_path / "deqing.yaml"
    path.write_text(text.replace("{from: 6000, to: 6999", band, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert str(info.value) == (
        f"{path} line {line}: shared_savings.minimum_savings_rate_table: {message}"
    )
