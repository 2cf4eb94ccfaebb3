"""``ihms indicators compute --level city|province`` and ``--county``, on the worked
example "two counties of one city" of ``tests/indicators/test_city_rollup.py`` (its
docstring gives the arithmetic: City's 2016 outpatient cost 56,000 fen over 4 visits)."""

from __future__ import annotations

import json

import pytest
from tests.indicators.test_city_rollup import two_county_dataset
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("city") / "ihms.duckdb"
    with Store(path) as s:
        s.write(two_county_dataset())
    return path


def _rows(output: str, indicator: str, period: str = "2016") -> dict[str, dict]:
    rows = json.loads(output)
    return {r["unit"]: r for r in rows if r["indicator"] == indicator and r["period"] == period}


def test_city_level_and_the_indicators_left_by_county(store):
    args = ["indicators", "compute", "--store", str(store), "--min-cell", "1"]
    ids = ["-i", "cost_per_outpatient_visit"]
    result = runner.invoke(app, [*args, *ids, "--level", "city", "--json"])
    assert result.exit_code == 0, result.output
    city = _rows(result.stdout, "cost_per_outpatient_visit")["City"]
    assert (city["numerator"], city["denominator"], city["level"]) == (56_000, 4, "city")
    # the whole catalogue: those that cannot be summed over counties stay by county
    result = runner.invoke(app, [*args, "--level", "city"], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Not by city (their definitions do not add up over counties): by county:" in out
    assert "beds_per_1000" in out.split("by county:")[1].split(".")[0]


def test_county_option_keeps_some_counties_and_names_unknown_ones(store):
    args = ["indicators", "compute", "--store", str(store), "--min-cell", "1", "--json"]
    ids = ["-i", "cost_per_outpatient_visit", "--level", "province"]
    for county in ("c1,c2", "study"):  # c1 and c2 are the study counties
        result = runner.invoke(app, [*args, *ids, "--county", county])
        assert result.exit_code == 0, result.output
        cell = _rows(result.stdout, "cost_per_outpatient_visit")["province"]
        assert (cell["numerator"], cell["denominator"]) == (56_000, 4)
    result = runner.invoke(app, [*args, *ids, "--county", "c1", "--county", "c9"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert "--county" in error and "'c9'" in error and "'c1'" not in error


def test_spending_per_insured_named_with_grid_populations_is_refused(store, tmp_path):
    from tests.indicators.test_city_rollup import TWO_COUNTY_YAML

    system = tmp_path / "two.yaml"
    system.write_text(TWO_COUNTY_YAML, encoding="utf-8")
    args = ["indicators", "compute", "--store", str(store), "--system", str(system)]
    result = runner.invoke(
        app, [*args, "--population", "grids", "-i", "insurance_paid_per_insured", "--json"]
    )
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert "insured residents" in error and "use --population register" in error
    assert "another --level" not in error


def test_the_province_counts_its_districts_when_asked(store):
    # review of the roll-up, finding 3: the province is the counties (县) by default,
    # the capital's district `out` named in a note; --include-districts adds it
    # (116,000 fen over 5 visits, tests/indicators/test_city_rollup.py)
    args = ["indicators", "compute", "--store", str(store), "--min-cell", "1"]
    args += ["-i", "cost_per_outpatient_visit", "--level", "province"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    cell = _rows(result.stdout, "cost_per_outpatient_visit")["province"]
    assert (cell["numerator"], cell["denominator"]) == (56_000, 4)
    table = runner.invoke(app, args, terminal_width=200)
    text = " ".join(table.output.split())  # the notes, on stderr
    assert "without its 1 district (市辖区): out (Capital district)" in text
    assert "--include-districts counts them" in text
    result = runner.invoke(app, [*args, "--include-districts", "--json"])
    assert result.exit_code == 0, result.output
    cell = _rows(result.stdout, "cost_per_outpatient_visit")["province"]
    assert (cell["numerator"], cell["denominator"]) == (116_000, 5)
    result = runner.invoke(app, [*args[:-2], "--level", "city", "--include-districts", "--json"])
    assert result.exit_code == 2
    assert "--include-districts applies to --level province" in json.loads(result.stdout)["error"]
