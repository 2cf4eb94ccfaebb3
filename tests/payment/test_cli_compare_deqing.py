"""``ihms payment compare`` and Deqing: its shared-savings rule set needs each year's
quality score, so the default comparison is Sanming and the other areas, Deqing's joining
them when ``--quality-score`` gives the score; without it, the help and the output say
how to include it.

The tables and the Deqing figure are those of ``test_cli_compare_quality`` (hand-worked
there): 2018 saves 5,000,000.00 yuan against a benchmark of 105,000,000.00 yuan; a
score of 0.92 meets the 60 % standard, so 50 % is shared: 2,500,000.00 yuan.
"""

from __future__ import annotations

import json

from tests.payment.test_cli_compare_quality import tables  # noqa: F401 (a fixture)
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
HOW = "--rules deqing-shared-savings with --quality-score YEAR=SCORE"


def _compare(tables, *extra):  # noqa: F811
    args = ["payment", "compare", "--saving", "0%", "--year", "2018", *tables]
    return runner.invoke(app, [*args, "--assume-passed", *extra])


def test_the_help_says_how_to_include_deqing():
    result = runner.invoke(app, ["payment", "compare", "--help"])
    assert HOW in " ".join(result.output.replace("│", " ").split())


def test_the_default_comparison_says_how_to_include_deqing(tables):  # noqa: F811
    result = _compare(tables, "--json")
    assert result.exit_code == 0, result.output
    regimes = {s["regime"] for s in json.loads(result.stdout)["settlements"]}
    assert regimes == {"sanming", "other-areas"}
    stderr = " ".join(result.stderr.split())
    assert "note: compared sanming and other-areas (the default)" in stderr
    assert "add --quality-score YEAR=SCORE to compare Deqing's too" in stderr


def test_a_quality_score_adds_deqing_to_the_default(tables):  # noqa: F811
    result = _compare(tables, "--quality-score", "2018=0.92", "--json")
    assert result.exit_code == 0, result.output
    rows = {s["regime"]: s for s in json.loads(result.stdout)["settlements"]}
    assert set(rows) == {"sanming", "other-areas", "deqing-shared-savings"}
    assert rows["deqing-shared-savings"]["shared_savings_fen"] == 250_000_000
    assert "note: compared" not in result.stderr


def test_rules_given_get_no_note(tables):  # noqa: F811
    result = _compare(tables, "--rules", "sanming", "--json")
    assert result.exit_code == 0, result.output
    assert "note: compared" not in result.stderr


def test_a_population_giving_the_scores_is_not_told_to_add_them(example_dir):
    """Review P #3: examples/payment/population.csv gives 2018 a quality_score (0.77), so
    --quality-score would be refused; the note names the --rules that include Deqing's."""
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    result = _compare(files, "--json")
    assert result.exit_code == 0, result.output
    stderr = " ".join(result.stderr.split())
    assert "add --quality-score" not in stderr
    assert "gives each compared year's quality score" in stderr
    assert "--rules sanming --rules other-areas --rules deqing-shared-savings" in stderr
    # and doing what the note says works
    how = ["--rules", "sanming", "--rules", "other-areas", "--rules", "deqing-shared-savings"]
    done = _compare(files, *how, "--json")
    assert done.exit_code == 0, done.output
    regimes = {s["regime"] for s in json.loads(done.stdout)["settlements"]}
    assert "deqing-shared-savings" in regimes
