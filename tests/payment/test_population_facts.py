"""Shared savings read facts of the year only the payer has — the benchmark when it is
given, the quality measure —: every one a year lacks is named in one error, not one per
run (``mssp`` with the example files lacked ``quality_standard_met``, and after adding it,
the benchmark)."""

from __future__ import annotations

import csv
import dataclasses
import json
from decimal import Decimal
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
    assert (
        "rules 'mssp' need benchmark_per_capita_fen, quality_standard_met, "
        "alternative_quality_standard_met in the population table"
    ) in str(err.value)
    # the alternative standard is asked for as what decides a missed standard's year
    assert (
        "if the quality standard was not met, whether the payer's alternative standard was "
        "met decides"
    ) in " ".join(str(err.value).split())


@pytest.mark.parametrize(
    ("facts", "lacking"),
    [
        # the standard unknown: the alternative standard is asked for in the same error
        # (it decides the year if the standard turns out missed), not in a second one
        (
            {},
            [
                "benchmark_per_capita_fen",
                "quality_standard_met",
                "alternative_quality_standard_met",
            ],
        ),
        (
            {"benchmark_per_capita_fen": 1_100_000},
            ["quality_standard_met", "alternative_quality_standard_met"],
        ),
        # the standard unknown and the alternative said met: the scale needs the score
        (
            {"benchmark_per_capita_fen": 1, "alternative_quality_standard_met": True},
            ["quality_standard_met", "quality_score"],
        ),
        # the standard unknown and the alternative said missed: nothing more
        (
            {"benchmark_per_capita_fen": 1, "alternative_quality_standard_met": False},
            ["quality_standard_met"],
        ),
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
        # missed, and nothing said of the alternative standard: under the sliding scale
        # (87 FR 69404) it decides whether anything is shared, so it is named, not taken
        # as missed
        (
            {"benchmark_per_capita_fen": 1, "quality_standard_met": False},
            ["alternative_quality_standard_met"],
        ),
        # missed, alternative missed: sharing rate 0, nothing more needed
        (
            {
                "benchmark_per_capita_fen": 1,
                "quality_standard_met": False,
                "alternative_quality_standard_met": False,
            },
            [],
        ),
        # met: the alternative standard does not matter
        ({"benchmark_per_capita_fen": 1, "quality_standard_met": True}, []),
    ],
)
def test_fields_lacking_under_mssp(facts, lacking):
    county = CountyYear(2023, 20_000, **facts)
    assert list(population_fields_lacking(load_rules("mssp").shared_savings, county)) == lacking


def _gate(**quality):
    from ihms.payment.rules import QualityGate

    rule = load_rules("deqing-shared-savings").shared_savings
    return dataclasses.replace(rule, quality=QualityGate(**quality))


@pytest.mark.parametrize(
    ("quality", "facts", "lacking"),
    [
        # a score standard with the sliding scale and the alternative standard the
        # payer's: a score below the standard needs the payer's word on the alternative
        (
            {"standard": Decimal("0.6"), "sliding_scale": True},
            {"quality_score": Decimal("0.5")},
            ["alternative_quality_standard_met"],
        ),
        (
            {"standard": Decimal("0.6"), "sliding_scale": True},
            {"quality_score": Decimal("0.7")},
            [],
        ),
        # the alternative a score too: the score decides it, no flag needed
        (
            {"standard": Decimal("0.6"), "sliding_scale": True, "alternative": Decimal("0.4")},
            {"quality_score": Decimal("0.5")},
            [],
        ),
        # the standard the payer's, the alternative a score: the score is needed
        (
            {"sliding_scale": True, "alternative": Decimal("0.4")},
            {"quality_standard_met": False},
            ["quality_score"],
        ),
        # no score given: the score and, for a score below the standard, the payer's word
        # on the alternative standard, in one error
        (
            {"standard": Decimal("0.6"), "sliding_scale": True},
            {},
            ["quality_score", "alternative_quality_standard_met"],
        ),
        # ... unless the alternative is a score too: the score decides both
        (
            {"standard": Decimal("0.6"), "sliding_scale": True, "alternative": Decimal("0.4")},
            {},
            ["quality_score"],
        ),
        # no sliding scale (deqing-shared-savings as written): a missed standard shares
        # nothing, whatever the alternative
        ({"standard": Decimal("0.6")}, {"quality_score": Decimal("0.5")}, []),
    ],
)
def test_fields_lacking_under_a_sliding_scale(quality, facts, lacking):
    county = CountyYear(2018, 100, **facts)
    assert list(population_fields_lacking(_gate(**quality), county)) == lacking


def test_the_settlement_names_the_missing_alternative_standard():
    # MSSP, standard missed, alternative not given: refused, naming the column, not
    # settled as if the alternative were missed (which would share 0 and, two-sided,
    # charge the 75 % loss rate instead of 1 − 75 % × score)
    rules = load_rules("mssp")
    county = CountyYear(
        2023, 20_000, benchmark_per_capita_fen=1_100_000, quality_standard_met=False
    )
    with pytest.raises(InputError) as err:
        settle_year(rules, SettlementInputs(county, YearSpending(2023, {"ACO": 1})))
    assert "alternative_quality_standard_met" in str(err.value)
    assert "sliding scale" in str(err.value)


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
    assert (
        "rules 'mssp': 2018 needs benchmark_per_capita_fen, quality_standard_met and "
        "alternative_quality_standard_met"
    ) in flat(r)
    assert (
        "add columns benchmark_per_capita_fen, quality_standard_met and "
        "alternative_quality_standard_met to"
    ) in flat(r)
    # following the advice once is enough: the year settles (the example county's 347,520
    # insured at 1,100 yuan a head is a benchmark of 382,272,000.00 yuan), whether the
    # standard was met (the alternative then left empty) or missed
    pop = _population_with(tmp_path, benchmark_per_capita_yuan="1100", quality_standard_met="true")
    r = runner.invoke(app, [*args, "--population", str(pop), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["shared_savings"]["benchmark_fen"] == 38_227_200_000
    pop = _population_with(
        tmp_path,
        benchmark_per_capita_yuan="1100",
        quality_standard_met="false",
        alternative_quality_standard_met="false",
    )
    r = runner.invoke(app, [*args, "--population", str(pop), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["shared_savings"]["final_sharing_rate"] == "0"


def test_cli_names_the_alternative_standard_when_the_standard_is_missed(tmp_path):
    # mssp (sliding scale, the alternative standard determined by CMS) with the standard
    # missed: the error names the column to add, before anything is settled
    pop = _population_with(tmp_path, benchmark_per_capita_yuan="1100", quality_standard_met="false")
    args = ["payment", "settle", "--rules", "mssp", "--year", "2018"]
    r = runner.invoke(
        app, [*args, "--spending", str(EX / "spending.csv"), "--population", str(pop)]
    )
    assert r.exit_code == 2
    assert "rules 'mssp': 2018 needs alternative_quality_standard_met" in flat(r)
    assert f"add a column alternative_quality_standard_met to {pop}" in flat(r)


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
