"""``ihms indicators compute --out``: a month without any encounter is an empty cell, not
0, and ``ihms its fit`` refuses the file naming the row and column.

The tiny county's 2016 (``tests/indicators/conftest.py``) has no encounter at all in
January, July, September, October and December; February has encounters (p1-p3,
preventive) but no outpatient visit; June has o1 (CH, 20,000 fen), o2 (THC1, 5,000)
and o3 (CH, emergency, 30,000) in county c1 (o4 is at PH, outside it).
"""

from __future__ import annotations

import pytest
from tests.cli.test_indicators_cli import flat
from tests.indicators.conftest import tiny_dataset_of_2016
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("empty") / "ihms.duckdb"
    with Store(path) as s:
        s.write(tiny_dataset_of_2016())
    return path


def _compute(store, out, *indicators, period="month"):
    args = ["indicators", "compute", "--store", str(store), "--period", period]
    args += ["--unit", "c1", "--min-cell", "1", "--out", str(out)]
    for ind in indicators:
        args += ["-i", ind]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


def test_the_csv_leaves_a_month_without_encounters_empty(store, tmp_path):
    out = tmp_path / "cost.csv"
    result = _compute(store, out, "cost_per_outpatient_visit")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    rows = {
        line.split(",")[2]: dict(zip(header, line.split(","), strict=True)) for line in lines[1:]
    }
    jan, feb, jun = rows["2016-01"], rows["2016-02"], rows["2016-06"]
    assert (jan["numerator"], jan["denominator"], jan["value"]) == ("", "", "")
    assert (feb["numerator"], feb["denominator"], feb["value"]) == ("0", "0", "")
    assert (jun["numerator"], jun["denominator"]) == ("55000", "3")
    assert (
        "note: encounters: none in 5 of the period's 12 months (2016-01, 2016-07, 2016-09 "
        "to 2016-10, 2016-12); the indicators reading encounters are left empty there"
    ) in flat(result.output)


def test_its_refuses_the_empty_month_naming_row_and_column(store, tmp_path):
    out = tmp_path / "visits.csv"
    _compute(store, out, "outpatient_emergency_visits")
    args = ["its", "fit", str(out), "--outcome", "value", "--time", "period"]
    result = runner.invoke(app, [*args, "--interruption", "2016-07"])
    assert result.exit_code == 2
    text = flat(result.output)
    # the file's row 2 is January (the header is row 1)
    assert "column 'value'" in text and "5 missing values (rows 2, 8, 10, 11, 13" in text
    assert "an interrupted time series needs a value at every time point" in text
