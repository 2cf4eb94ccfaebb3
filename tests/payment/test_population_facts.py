"""Shared savings read facts of the year only the payer has — the benchmark when it is
given, the quality measure —: every one a year lacks is named in one error, not one per
run (``mssp`` with the example files lacked ``quality_standard_met``, and after adding it,
the benchmark)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.payment import (
    CountyYear,
    SettlementInputs,
    YearSpending,
    load_rules,
    population_fields_lacking,
    settle_year,
)

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"


def flat(result) -> str:
    return " ".join(result.output.split())


def test_the_library_names_every_lacking_field_at_once():
    rules = load_rules("mssp")
    with pytest.raises(InputError) as err:
        settle_year(
            rules, SettlementInputs(CountyYear(2023, 20_000), YearSpending(2023, {"ACO": 1}))
        )
    assert "rules 'mssp' need benchmark_per_capita_fen, quality_standard_met" in str(err.value)


@pytest.mark.parametrize(
    ("facts", "lacking"),
    [
        ({}, ["benchmark_per_capita_fen", "quality_standard_met"]),
        ({"benchmark_per_capita_fen": 1_100_000}, ["quality_standard_met"]),
        ({"benchmark_per_capita_fen": 1, "quality_standard_met": True}, []),
        # missed, but the alternative standard met: the sliding scale needs the score
        (
            {
                "benchmark_per_capita_fen": 1,
                "quality_standard_met": False,
                "alternative_quality_standard_met": True,
            },
            ["quality_score"],
        ),
    ],
)
def test_fields_lacking_under_mssp(facts, lacking):
    county = CountyYear(2023, 20_000, **facts)
    assert list(population_fields_lacking(load_rules("mssp").shared_savings, county)) == lacking


def test_a_score_standard_needs_the_score_and_no_benchmark():
    # deqing-shared-savings: benchmark from history, standard a score of 60 %
    rule = load_rules("deqing-shared-savings").shared_savings
    assert list(population_fields_lacking(rule, CountyYear(2018, 100))) == ["quality_score"]


def _population_with(tmp_path, **columns: str) -> Path:
    rows = list(csv.DictReader((EX / "population.csv").open(encoding="utf-8")))
    path = tmp_path / "population.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*rows[0], *columns])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, **columns})
    return path


def test_cli_with_the_example_files_names_both_columns_in_one_error(tmp_path):
    args = ["payment", "settle", "--rules", "mssp", "--year", "2018"]
    args += ["--spending", str(EX / "spending.csv")]
    r = runner.invoke(app, [*args, "--population", str(EX / "population.csv")])
    assert r.exit_code == 2
    assert "rules 'mssp': 2018 needs benchmark_per_capita_fen and quality_standard_met" in flat(r)
    assert "add columns benchmark_per_capita_fen and quality_standard_met to" in flat(r)
    # following the advice once is enough: the year settles (the example county's 347,520
    # insured at 1,100 yuan a head is a benchmark of 382,272,000.00 yuan)
    pop = _population_with(tmp_path, benchmark_per_capita_yuan="1100", quality_standard_met="true")
    r = runner.invoke(app, [*args, "--population", str(pop), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["shared_savings"]["benchmark_fen"] == 38_227_200_000


def test_cli_compare_groups_the_years_and_the_rule_sets(tmp_path):
    pop = _population_with(tmp_path, quality_standard_met="true")
    r = runner.invoke(
        app,
        ["payment", "compare", "--year", "2018", "--year", "2019", "--rules", "mssp",
         "--rules", "deqing-shared-savings", "--spending", str(EX / "spending.csv"),
         "--population", str(pop)],
    )  # fmt: skip
    assert r.exit_code == 2
    text = flat(r)
    assert "rules 'mssp': 2018 and 2019 need benchmark_per_capita_fen (" in text
    # deqing-shared-savings reads the example's quality_score and a history benchmark
    assert "deqing-shared-savings" not in text
