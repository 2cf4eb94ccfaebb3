"""Which population a population-based global budget multiplies the premium by:
``budget: population: insured | residents``.

Seed 002 ("The payment policies for IHC in IMPM", /work/shared/seeds/002, line 71) words
Sanming's budget as "the county's total population multiplied by the annual fixed
insurance premium"; ihms multiplied by the insured population only. A rule file may now
say which; without the key it stays ``insured``, so existing rule files, their digests and
their ledgers are unchanged.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import read_column_map
from ihms.errors import ConfigError, DataError, IhmsWarning, InputError
from ihms.payment import (
    TABLE_COLUMNS,
    CountyYear,
    PopulationTable,
    SpendingTable,
    global_budget,
    load_rules,
    rules_from_mapping,
    settlement_inputs,
)
from ihms.payment._config import builtin_rules_text

from .conftest import sanming_text_before_24, sanming_text_before_36

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
# the figures here were worked by hand with the premium before session 36 (640 yuan in
# 2017 grown 6 %): the former rule text (conftest.former_sanming_rules says why)
SANMING = sanming_text_before_36()
assert "  population: insured\n" in SANMING  # the shipped choice, written out
RESIDENTS = SANMING.replace("  population: insured\n", "  population: residents\n")


def flat(result) -> str:
    return " ".join(result.output.split())


def _rules_file(tmp_path: Path, text: str = RESIDENTS) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _residents_rules(tmp_path: Path):
    return load_rules(_rules_file(tmp_path))


# --------------------------------------------------------------------------- the rule key


def test_the_key_defaults_to_insured_and_reads_residents(tmp_path):
    assert load_rules("sanming").budget.population == "insured"
    assert load_rules("other-areas").budget.population == "insured"
    assert _residents_rules(tmp_path).budget.population == "residents"


def test_rule_digests_are_unchanged_without_the_key():
    # digests computed on main (47f6afd) before the key existed: a ledger posted with the
    # built-in rules is not reposted as "rule set changed" (sanming's file changed in
    # session 24: its digest without those additions is the one pinned)
    before = rules_from_mapping(yaml.safe_load(sanming_text_before_24()))
    assert before.digest == "a371f149a6b56a9a"
    assert before.budget.population == "insured"
    assert load_rules("other-areas").digest == "d253ee0b60a96025"
    assert load_rules("deqing-shared-savings").digest == "89f041cb52611882"


def test_residents_change_the_digest(tmp_path):
    assert _residents_rules(tmp_path).digest != load_rules("sanming").digest
    shown = _residents_rules(tmp_path).to_dict()["budget"]["population"]
    assert shown == "residents"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # a value outside the two: the key's line, what is allowed
        (
            "  population: everyone\n",
            "key 'budget.population': Input should be 'insured' or 'residents'; got 'everyone'",
        ),
        # a misspelt key: the nearest valid one, as every rule key
        (
            "  populaton: residents\n",
            "unknown key 'budget.populaton' — did you mean 'population'?",
        ),
    ],
)
def test_a_bad_key_names_the_file_line_and_what_is_allowed(tmp_path, line, message):
    text = SANMING.replace("  population: insured\n", line)
    path = _rules_file(tmp_path, text)
    at = text[: text.index(line)].count("\n") + 1
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert f"{path} line {at}: {message}" in " ".join(str(info.value).split())


def test_residents_are_refused_for_a_history_budget(tmp_path):
    text = builtin_rules_text("other-areas").replace(
        "  method: history\n", "  method: history\n  population: residents\n"
    )
    with pytest.raises(ConfigError, match=r"budget\.population: 'residents' applies to method"):
        load_rules(_rules_file(tmp_path, text))


# --------------------------------------------------------------------------- the arithmetic


@pytest.mark.usefixtures("former_sanming_rules")
def test_residents_budget_worked_example(tmp_path):
    # Sanming's built-in premium for 2018: 640.00 x 1.06 = 678.40 yuan (67,840 fen).
    # 1,001 residents, 970 of them insured; budget.population: residents.
    #   pool    = 1,001 x 678.40            = 679,078.40 yuan = 67,907,840 fen
    #   private = 67,907,840 x 3% = 2,037,235.2 -> 2,037,235 fen (half up)
    #   risk    = 67,907,840 x 5% = 3,395,392   fen
    #   GB      = 67,907,840 - 2,037,235 - 3,395,392 = 62,475,213 fen
    county = CountyYear(2018, 970, resident_population=1_001)
    b = global_budget(_residents_rules(tmp_path), county=county)
    assert (b.pooled_fund_fen, b.private_reserve_fen, b.risk_adjustment_fen) == (
        67_907_840,
        2_037_235,
        3_395_392,
    )
    assert b.global_budget_fen == 62_475_213
    assert b.population == "residents"
    assert b.to_dict()["population"] == "residents"
    assert b.to_dict()["resident_population"] == 1_001
    # the audit trail names the population used, and the pool's working multiplies it
    first = b.steps[0]
    assert first.label == "resident population (budget.population: residents)"
    assert first.value == "1,001"
    assert b.steps[2].formula == "1,001 × 678.40"
    # the same county under the insured basis: 970 x 678.40 = 658,048.00 yuan
    insured = global_budget(load_rules("sanming"), county=county)
    assert insured.pooled_fund_fen == 65_804_800
    assert insured.population == "insured"
    assert insured.steps[0].label == "insured population (budget.population: insured)"


def test_residents_without_a_count_are_refused_by_the_library(tmp_path):
    with pytest.raises(InputError, match="resident_population"):
        global_budget(_residents_rules(tmp_path), county=CountyYear(2018, 970))


# --------------------------------------------------------------------------- the table


def _population(tmp_path: Path, rows: list[dict], name: str = "population.csv") -> Path:
    path = tmp_path / name
    frame = pd.DataFrame(rows)
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("name", ["population.csv", "population.parquet"])
def test_the_table_reads_resident_population(tmp_path, name):
    path = _population(
        tmp_path,
        [
            {"year": 2017, "insured_population": "960", "resident_population": "990"},
            {"year": 2018, "insured_population": "970", "resident_population": "1001"},
        ],
        name,
    )
    table = PopulationTable.read(path)
    assert table.for_year(2018).resident_population == 1_001


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0", "expected a whole number > 0"),
        ("960", "expected at least the insured population (970)"),
        # 1,001 is read (session 19, F3: counts take thousands separators in threes)
        ("1,00", "a comma that is no thousands separator"),
    ],
)
def test_a_bad_resident_count_names_file_row_and_column(tmp_path, cell, expected):
    path = _population(
        tmp_path,
        [
            {"year": 2017, "insured_population": "960", "resident_population": "990"},
            {"year": 2018, "insured_population": "970", "resident_population": cell},
        ],
    )
    with pytest.raises(DataError) as info:
        PopulationTable.read(path)
    text = str(info.value) + " ".join(info.value.problems)
    assert f"column 'resident_population' of {path} row 3" in text
    assert expected in text


def test_county_year_checks_residents():
    with pytest.raises(InputError, match="resident_population must be > 0"):
        CountyYear(2018, 970, resident_population=0)
    with pytest.raises(InputError, match="at least insured_population"):
        CountyYear(2018, 970, resident_population=969)


def _settle_2018(tmp_path: Path, population: Path):
    """The 2018 settlement inputs of residents' rules on the example spending."""
    return settlement_inputs(
        _residents_rules(tmp_path),
        2018,
        spending=SpendingTable.read(EX / "spending.csv"),
        population=PopulationTable.read(population),
        assume_assessment_passed=True,
    )


def test_settling_residents_without_the_column_names_file_year_and_column(tmp_path):
    path = _population(tmp_path, [{"year": 2018, "insured_population": "970"}])
    with pytest.raises(InputError) as info:
        _settle_2018(tmp_path, path)
    text = str(info.value)
    assert f"{path}: no column resident_population" in text
    assert "budget.population: residents" in text
    assert "2018" in text
    assert "a whole number > 0, at least insured_population" in text


def test_settling_residents_with_an_empty_cell_names_the_row(tmp_path):
    path = _population(
        tmp_path,
        [
            {"year": 2017, "insured_population": "960", "resident_population": "990"},
            {"year": 2018, "insured_population": "970", "resident_population": ""},
        ],
    )
    with pytest.raises(InputError) as info:
        _settle_2018(tmp_path, path)
    assert f"column 'resident_population' of {path} row 3: empty for 2018" in str(info.value)


def test_input_digests_are_unchanged_for_insured_rules():
    # the example population table has had a resident_population column all along, which
    # was ignored; read now, it must not enter the inputs of rules that do not use it.
    # Digests computed on main (47f6afd) before the column was read.
    sp = SpendingTable.read(EX / "spending.csv")
    pop = PopulationTable.read(EX / "population.csv")
    assert pop.for_year(2018).resident_population == 362_000
    for name, digest in (("sanming", "9b063500bdd139a5"), ("other-areas", "b0176ac39b954522")):
        inputs = settlement_inputs(
            load_rules(name), 2018, spending=sp, population=pop, assume_assessment_passed=True
        )
        assert inputs.county.resident_population is None
        assert inputs.digest == digest


def test_residents_enter_the_inputs_of_rules_that_use_them(tmp_path):
    sp = SpendingTable.read(EX / "spending.csv")
    pop = PopulationTable.read(EX / "population.csv")
    inputs = settlement_inputs(
        _residents_rules(tmp_path), 2018, spending=sp, population=pop, assume_assessment_passed=True
    )
    assert inputs.county.resident_population == 362_000
    plain = dataclasses.replace(inputs.county, resident_population=None)
    assert inputs.digest != dataclasses.replace(inputs, county=plain).digest


# --------------------------------------------------------------------------- the CLI


@pytest.mark.usefixtures("former_sanming_rules")
def test_cli_budget_on_residents(tmp_path):
    # examples/payment/population.csv 2018: 362,000 residents; premium 678.40 yuan
    #   pool = 362,000 x 678.40 = 245,580,800.00 yuan; GB = pool x 92% = 225,934,336.00
    rules = _rules_file(tmp_path)
    result = runner.invoke(
        app,
        [
            "payment", "budget", "--rules", str(rules), "--year", "2018",
            "--population", str(EX / "population.csv"), "--json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["population"] == "residents"
    assert out["pooled_fund_fen"] == 24_558_080_000
    assert out["global_budget_fen"] == 22_593_433_600
    assert out["steps"][0]["step"] == "resident population (budget.population: residents)"


def test_cli_settle_refuses_and_writes_no_ledger(tmp_path):
    rules = _rules_file(tmp_path)
    pop = _population(tmp_path, [{"year": 2018, "insured_population": "347520"}])
    ledger = tmp_path / "ledger.db"
    result = runner.invoke(
        app,
        [
            "payment", "settle", "--rules", str(rules), "--year", "2018",
            "--spending", str(EX / "spending.csv"), "--population", str(pop),
            "--assume-passed", "--ledger", str(ledger),
        ],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "no column resident_population" in flat(result)
    assert not ledger.exists()


def test_cli_budget_refuses_residents_without_the_column(tmp_path):
    rules = _rules_file(tmp_path)
    pop = _population(tmp_path, [{"year": 2018, "insured_population": "347520"}])
    result = runner.invoke(
        app,
        ["payment", "budget", "--rules", str(rules), "--year", "2018", "--population", str(pop)],
    )
    assert result.exit_code == 2, result.output
    said = flat(result)
    assert f"{pop}: no column resident_population" in said
    assert "2018 needs the county's resident (total) population" in said


def test_a_mapped_header_is_named_in_the_error(tmp_path):
    # a county's own headers (年度, 参保人数, 常住人口) read through a column map: the
    # missing year's cell is named by the file's header, as every table's problems are
    path = tmp_path / "人口.csv"
    path.write_text("年度,参保人数,常住人口\n2017,960,990\n2018,970,\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(
        "population: {年度: year, 参保人数: insured_population, 常住人口: resident_population}\n",
        encoding="utf-8",
    )
    columns = read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS)
    with pytest.warns(IhmsWarning):  # the renames are a note
        table = PopulationTable.read(path, columns=columns)
    assert table.for_year(2017).resident_population == 990
    with pytest.raises(InputError) as info:
        table.residents_for(2018, why="rules 'x' set the budget on residents")
    assert f"column '常住人口' of {path} row 3: empty for 2018" in str(info.value)
