"""``ihms sim run --rules``: a county's own payment rules settle the reform years.

A consortium manager tries a reform by editing the rule template (`ihms payment rules
sanming`); the budgets below are worked by hand from the Sanming rules (seed 002: the
global budget is the insured population times the premium, less the private-hospital and
risk-adjustment reserves; the built-in file's premium, the national minimum financing of
resident medical insurance: 710 yuan in 2018 (subsidy 490 + individual 220, Xinhua, 25 July
2018) and 770 in 2019 (520 + 250: Xinhua, 13 May 2019, for the subsidy); reserves 3 % and
5 % (assumptions), each amount rounded half up to the fen).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _fen(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


#: The built-in premium in fen per insured (the sources above).
PREMIUM_FEN = {2018: 71_000, 2019: 77_000}


def _sanming_budget_fen(insured: int, year: int) -> int:
    premium = PREMIUM_FEN[year]
    pooled = insured * premium
    reserves = _fen(pooled * Decimal("0.03")) + _fen(pooled * Decimal("0.05"))
    return pooled - reserves


def _run(tmp_path, example_path, name, *extra):
    args = ["sim", "run", "--config", str(example_path), "--residents", "3000", "--seed", "5"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / name), *extra, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def builtin(tmp_path_factory, example_path):
    """``sim run --json`` of 3,000 residents, seed 5, under the built-in rules, run once
    for the tests below (which only read it)."""
    return _run(tmp_path_factory.mktemp("builtin"), example_path, "builtin")


def test_a_rule_file_settles_the_reform_years(tmp_path, example_path, builtin):
    flat = _flat_sanming(tmp_path)
    own = _run(tmp_path, example_path, "own", "--rules", str(flat))
    assert own["rules"]["from"] == str(flat) and builtin["rules"]["from"] == "built in"
    assert own["rules"]["digest"] != builtin["rules"]["digest"]
    # the whole years of the 2017-10 reform; 2017 is the baseline, not settled
    assert sorted(own["settlements"]) == sorted(builtin["settlements"]) == ["2018", "2019"]
    for year in (2018, 2019):
        # 1,000 yuan flat, less 3 % and 5 %: 920 yuan = 92,000 fen per insured resident
        budget = own["settlements"][str(year)]["global_budget_fen"]
        insured, rest = divmod(budget, 92000)
        assert rest == 0 and 2500 < insured < 3500
        # the same residents under the built-in premium, by hand
        expected = _sanming_budget_fen(insured, year)
        assert builtin["settlements"][str(year)]["global_budget_fen"] == expected


def test_rules_that_pay_otherwise_than_the_regime_are_refused(tmp_path, example_path):
    out = tmp_path / "refused"
    args = ["sim", "run", "--config", str(example_path), "--residents", "3000"]
    result = runner.invoke(app, [*args, "--out", str(out), "--rules", "deqing-shared-savings"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "option '--rules': deqing-shared-savings is a shared savings rule set" in text
    assert "the sanming regime's providers are paid by a global budget rule set" in text
    assert not out.exists()  # refused before any simulating


def test_the_run_prints_each_settled_year(tmp_path, example_path, builtin):
    # A manager read only volumes and money charged; the budget, balance and what the
    # consortium kept were in summary.json alone.
    args = ["sim", "run", "--config", str(example_path), "--residents", "3000", "--seed", "5"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "shown")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Year-end settlements, regime sanming (sanming)" in text
    assert "each whole calendar year of the reform is settled" in text
    assert "2017, in which the reform ran only from October, is the baseline year" in text
    for year, settled in builtin["settlements"].items():
        # the budget in yuan, as the hand formula gives it above (fen / 100), on the
        # insured counted from the run's own store (not worked back from the budget)
        budget = settled["global_budget_fen"]
        insured = _insured_in_store(tmp_path / "shown" / "ihms.duckdb", int(year))
        assert budget == _sanming_budget_fen(insured, int(year))
        assert f"{budget // 100:,}.{budget % 100:02d}" in text


def _insured_in_store(path, year: int) -> int:
    """The year's insured population as the payment rules define it (seed 002: the
    insured residents; ``payment.population_from_store``'s documented rule), counted here
    in SQL: the mean over the year's twelve month ends of the insured residents present
    on that day (entered on or before it, left after it), rounded half up; the example
    county is the store's only one."""
    import duckdb

    query = """
        WITH ends AS (
            SELECT (date_trunc('month', d) + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS e
            FROM range(make_date($y, 1, 1), make_date($y + 1, 1, 1), INTERVAL 1 MONTH) t(d)
        )
        SELECT count(*) FROM ends JOIN residents r
          ON (r.entry_date IS NULL OR r.entry_date <= e)
         AND (r.exit_date IS NULL OR r.exit_date > e) AND r.insured
    """
    with duckdb.connect(str(path), read_only=True) as con:
        present = con.execute(query, {"y": year}).fetchone()[0]
    return _fen(Decimal(present) / 12)


def _flat_sanming(tmp_path):
    """The rules template with a flat premium of 1,000 yuan from 2017."""
    template = runner.invoke(app, ["payment", "rules", "sanming"]).output
    premium = (
        "    by_year_yuan: {2017: 630, 2018: 710, 2019: 770}\n"
        "    base_year: 2019         # later years grow from 2019's amount (assumption)\n"
        "    base_yuan: 770\n"
        "    growth: 6%              # (assumption)\n"
    )
    assert template.count(premium) == 1
    flat = tmp_path / "county.yaml"
    text = "    base_year: 2017\n    base_yuan: 1000\n    growth: 0%\n"
    flat.write_text(template.replace(premium, text), encoding="utf-8")
    return flat


def _compare(example_path, *extra):
    args = ["sim", "compare", "--config", str(example_path), "--residents", "3000", "--seed", "5"]
    regimes = ["--regime", "sanming", "--regime", "other-areas"]
    return runner.invoke(app, [*args, *regimes, *extra])


def test_compare_settles_a_regime_under_its_own_rule_file(tmp_path, example_path, simulated_once):
    import ihms.sim.compare

    # the file's comparison is said twice (--json, then the table): simulated once
    simulated_once(ihms.sim.compare, "compare_regimes")
    flat = _flat_sanming(tmp_path)
    result = _compare(example_path, "--rules", f"sanming={flat}", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rules"]["sanming"]["from"] == str(flat)
    assert data["rules"]["other-areas"]["from"] == "built in"
    budget = {
        (row["regime"], row["year"]): row["value"]
        for row in data["figures"]
        if row["figure"] == "global_budget" and row["value"] is not None
    }
    builtin = json.loads(_compare(example_path, "--json").output)
    builtin_budget = {
        (row["regime"], row["year"]): row["value"]
        for row in builtin["figures"]
        if row["figure"] == "global_budget" and row["value"] is not None
    }
    for year in (2018, 2019):
        # the file's flat 1,000 yuan less 3 % + 5 %: 920 yuan per insured resident (million
        # yuan in the table); the built-in premium on the same insured, worked by hand
        insured = round(budget["sanming", year] * 1e6 / 920)
        assert abs(budget["sanming", year] * 1e6 - insured * 920) < 1e-3
        expected = _sanming_budget_fen(insured, year) / 100 / 1e6
        assert abs(builtin_budget["sanming", year] - expected) < 1e-9
        # the regime given no file keeps its built-in rules
        assert budget["other-areas", year] == builtin_budget["other-areas", year]
    text = " ".join(_compare(example_path, "--rules", f"sanming={flat}").output.split())
    assert "Rules for sanming: sanming v" in text and f"from {flat}" in text


def test_compare_refuses_a_rule_file_of_the_wrong_kind_or_regime(tmp_path, example_path):
    result = _compare(example_path, "--rules", "sanming=deqing-shared-savings")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert (
        "option '--rules': sanming=deqing-shared-savings: deqing-shared-savings is a shared "
        "savings rule set (deqing-shared-savings); the sanming regime's providers are paid by "
        "a global budget rule set" in text
    )
    result = _compare(example_path, "--rules", "deqing=deqing-shared-savings")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "option '--rules': deqing=deqing-shared-savings: deqing is not a compared regime" in text
    assert "sanming, other-areas" in text
    result = _compare(example_path, "--rules", "sanming")
    assert result.exit_code == 2
    assert "expected REGIME=NAME|FILE (e.g. sanming=county.yaml), got 'sanming'" in " ".join(
        result.output.split()
    )
    flat = _flat_sanming(tmp_path)
    result = _compare(example_path, "--rules", f"sanming={flat}", "--rules", "sanming=sanming")
    assert result.exit_code == 2
    assert "sanming is given rules twice" in " ".join(result.output.split())
