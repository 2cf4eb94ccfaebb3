"""``ihms payment`` walked as a medical-insurance analyst reconciling every fen: what a
mature tool says when a year is outside the data or the rules, and tables whose columns
name their units."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
BOTH = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]


def run(*args: str):
    return runner.invoke(app, ["payment", *args])


def text(result) -> str:
    return " ".join(result.output.split())


def test_a_year_before_the_premium_rule_says_which_rules_and_what_to_do():
    # the example tables hold 2016, but Sanming's premium is given for 2017 and 2018 and
    # grows from 770 yuan in 2019 (rulesets/sanming.yaml)
    r = run("settle", *BOTH, "--year", "2016")
    assert r.exit_code == 2
    assert (
        "rules 'sanming': premium: year 2016 is before the base year 2019 of the growth rule "
        "(770.00 yuan in 2019, growing 6% a year); budget 2017, 2018, 2019 or later" in text(r)
    )


def test_a_scorecard_year_without_values_names_the_years_the_file_has():
    r = run("scorecard", "--indicators", str(EX / "indicators.csv"), "--year", "2016")
    assert r.exit_code == 2
    # examples/payment/indicators.csv holds the consortium's 2017-2019 rates (seed 002)
    assert "no values for subject 'consortium' in 2016 (it has them for 2017, 2018, 2019)" in (
        text(r)
    )


def test_the_settlement_table_names_its_units_like_the_other_tables():
    r = run("settle", *BOTH, "--year", "2018", "--assume-passed")
    assert r.exit_code == 0, r.output
    out = text(r)
    # Item / Amount (yuan) / Working, as the distribution's "Amount (yuan)" (before:
    # item / yuan, no working)
    assert "┃ Item" in out and "Amount (yuan)" in out and "Working" in out


def test_a_year_with_nothing_to_distribute_says_so():
    # fee for service settles no balance: the table of zeros now says why (before: only
    # "the amounts add up to the total to the fen", of a total of 0.00)
    r = run("distribute", "--rules", "fee-for-service", *BOTH, "--year", "2019")
    assert r.exit_code == 0, r.output
    out = text(r)
    assert "Distribution of 0.00 yuan" in out
    assert "Nothing to distribute: no balance was kept and no savings were shared." in out
    assert "Largest-remainder" not in out
