"""A single-valued option given twice is refused, naming the option and both values
(review session 24, finding 8: ``settle --year 2018 --year 2019 --ledger L`` posted 2019
with exit 0, the 2018 silently dropped — settle now takes several years and posts each; ``--rules other-areas --rules sanming`` settled
under sanming). Click keeps the last value of such an option without a word."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
TABLES = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]


def text(result) -> str:
    return " ".join(result.output.split())


def test_a_year_given_twice_to_a_one_year_command_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "d.xlsx"
    args = ["payment", "distribute", *TABLES, "--assume-passed", "--year", "2018"]
    r = runner.invoke(app, [*args, "--year", "2019", "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "--year given twice: 2018, 2019" in text(r)
    assert "takes one value" in text(r)
    assert not out.exists()


def test_settle_given_two_years_posts_both(tmp_path):
    # the finding's command: settle now takes --year repeatedly, and neither is dropped
    ledger = tmp_path / "lg.sqlite"
    args = ["payment", "settle", *TABLES, "--assume-passed", "--year", "2018"]
    r = runner.invoke(app, [*args, "--year", "2019", "--ledger", str(ledger), "--json"])
    assert r.exit_code == 0, r.output
    assert [(s["year"], s["ledger"]["status"]) for s in json.loads(r.stdout)] == [
        (2018, "posted"),
        (2019, "posted"),
    ]


def test_rules_given_twice_is_refused_also_as_option_equals_value():
    args = ["payment", "settle", *TABLES, "--assume-passed", "--year", "2018"]
    r = runner.invoke(app, [*args, "--rules=other-areas", "--rules", "sanming"])
    assert r.exit_code == 2, r.output
    assert "--rules given twice: other-areas, sanming" in text(r)


def test_json_gets_the_refusal_as_json():
    args = ["payment", "distribute", *TABLES, "--assume-passed", "--json"]
    r = runner.invoke(app, [*args, "--year", "2018", "--year", "2019"])
    assert r.exit_code == 2
    assert json.loads(r.stdout)["error"].startswith("--year given twice: 2018, 2019")


def test_repeatable_options_flags_and_the_same_value_twice_stay_allowed():
    # compare takes --year and --rules repeatedly
    args = ["payment", "compare", *TABLES, "--assume-passed", "--saving", "0%", "--json"]
    r = runner.invoke(app, [*args, "--year", "2018", "--year", "2019", "--rules", "sanming"])
    assert r.exit_code == 0, r.output
    # budget takes --year repeatedly (a row per year)
    args = ["payment", "budget", "--population", str(EX / "population.csv"), "--json"]
    r = runner.invoke(app, [*args, "--year", "2018", "--year", "2019"])
    assert r.exit_code == 0, r.output
    assert [b["year"] for b in json.loads(r.stdout)] == [2018, 2019]
    # a flag twice, and one value repeated, lose nothing
    args = ["payment", "budget", "--population", str(EX / "population.csv"), "--json", "--json"]
    r = runner.invoke(app, [*args, "--year", "2018", "--year", "2018"])
    assert r.exit_code == 0, r.output


def test_a_value_that_looks_like_the_option_is_a_value():
    # '--year' as the value of --county is not a second --year (refused for its own reason)
    r = runner.invoke(app, ["payment", "settle", *TABLES, "--county", "--year", "--year", "2018"])
    assert "given twice" not in text(r)
