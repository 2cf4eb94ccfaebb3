"""``ihms indicators compute --out``: a month without any encounter is an empty cell, not
0, and ``ihms its fit`` refuses the file naming the row and column; counts and
denominators are integer columns in every format.

The tiny county's 2016 (``tests/indicators/conftest.py``) has no encounter at all in
January, July, September, October and December; February has encounters (p1-p3,
preventive) but no outpatient visit; June has o1 (CH, 20,000 fen), o2 (THC1, 5,000)
and o3 (CH, emergency, 30,000) in county c1 (o4 is at PH, outside it).
"""

from __future__ import annotations

import json

import pandas as pd
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
        "to 2016-10, 2016-12); the indicators by month over encounters are left empty there"
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


def test_parquet_keeps_counts_and_denominators_integer(store, tmp_path):
    out = tmp_path / "cost.parquet"
    _compute(store, out, "cost_per_outpatient_visit")
    back = pd.read_parquet(out)
    assert str(back["numerator"].dtype) == "Int64"
    assert str(back["denominator"].dtype) == "Int64"
    jan = back[back["period"] == "2016-01"].iloc[0]
    assert pd.isna(jan["numerator"]) and pd.isna(jan["denominator"])
    assert back.loc[back["period"] == "2016-06", "denominator"].iloc[0] == 3


def test_stata_stores_counts_and_denominators_as_integers(store, tmp_path):
    import pyreadstat

    out = tmp_path / "cost.dta"
    _compute(store, out, "cost_per_outpatient_visit")
    _, meta = pyreadstat.read_dta(out, metadataonly=True)
    # Stata's long (int32): a count or fen sum up to 2,147,483,620 (pandas' bound for it)
    assert meta.readstat_variable_types["numerator"] == "int32"
    assert meta.readstat_variable_types["denominator"] == "int32"
    with pd.io.stata.StataReader(out) as reader:
        back = reader.read(convert_dates=False)
    by_period = back.set_index("period")
    assert pd.isna(by_period.loc["2016-01", "numerator"])
    assert pd.isna(by_period.loc["2016-01", "denominator"])
    assert by_period.loc["2016-06", "numerator"] == 55000
    assert by_period.loc["2016-06", "denominator"] == 3
    assert by_period.loc["2016-02", "denominator"] == 0


def test_an_average_population_keeps_its_half_and_the_whole_ones_stay_whole(store, tmp_path):
    # c1's residents at the ends of January and February 2016: r1-r8 and r10 = 9, so
    # February's average is 9; at the end of March r9 (arrived 03-15) too: (9 + 10) / 2
    out = tmp_path / "rate.csv"
    _compute(store, out, "hospitalization_rate")
    back = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("period")
    assert back.loc["2016-02", "denominator"] == "9"  # not 9.0
    assert back.loc["2016-03", "denominator"] == "9.5"
    assert back.loc["2016-01", "numerator"] == ""  # no encounter at all that month
    parquet = tmp_path / "rate.parquet"
    _compute(store, parquet, "hospitalization_rate")
    frame = pd.read_parquet(parquet).set_index("period")
    assert str(frame["numerator"].dtype) == "Int64"
    assert frame.loc["2016-03", "denominator"] == 9.5


def test_a_sum_past_statas_long_is_written_as_an_exact_double(tmp_path):
    # Stata has no 64-bit integer: pandas writes an integer column whose values exceed
    # long's 2,147,483,620 as double, exact below 2**53 (a county's yearly cost in fen)
    from ihms.cli.indicators import _write

    frame = pd.DataFrame(
        {
            "indicator": ["cost_per_hospitalization"] * 2,
            "period_type": ["year"] * 2,
            "period": ["2016", "2017"],
            "period_key": [2016, 2017],
            "numerator": pd.array([3_000_000_001, None], dtype="Int64"),
            "denominator": pd.array([1_234.0, None], dtype="Float64"),
            "value": [3_000_000_001 / 1_234 / 100, float("nan")],
        }
    )
    out = tmp_path / "big.dta"
    _write(frame, out)
    import pyreadstat

    _, meta = pyreadstat.read_dta(out, metadataonly=True)
    assert meta.readstat_variable_types["numerator"] == "double"
    assert meta.readstat_variable_types["denominator"] == "int32"
    with pd.io.stata.StataReader(out) as reader:
        back = reader.read(convert_dates=False)
    assert back["numerator"].iloc[0] == 3_000_000_001 and pd.isna(back["numerator"].iloc[1])
    assert back["denominator"].iloc[0] == 1_234 and pd.isna(back["denominator"].iloc[1])


def test_a_count_indicators_value_is_an_integer_too(store, tmp_path):
    # hospitalizations has no denominator and factor 1: its value is the count
    # (c1, 2016-05: i1 at CH; 2016-08: i2 at THC1), written as an integer
    out = tmp_path / "stays.parquet"
    _compute(store, out, "hospitalizations")
    back = pd.read_parquet(out).set_index("period")
    assert str(back["value"].dtype) == "Int64"
    assert back.loc["2016-05", "value"] == 1 and pd.isna(back.loc["2016-01", "value"])
    # beside a rate the column holds fractions
    mixed = tmp_path / "mixed.parquet"
    _compute(store, mixed, "hospitalizations", "hospitalization_rate")
    assert pd.read_parquet(mixed)["value"].dtype == "float64"
    args = ["indicators", "compute", "--store", str(store), "--period", "month", "--unit", "c1"]
    result = runner.invoke(
        app, [*args, "-i", "hospitalizations", "-i", "hospitalization_rate", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by = {(r["indicator"], r["period"]): r for r in rows}
    assert by[("hospitalizations", "2016-02")]["value"] == 0
    assert isinstance(by[("hospitalizations", "2016-02")]["value"], int)
    assert isinstance(by[("hospitalization_rate", "2016-02")]["value"], float)
    assert by[("hospitalizations", "2016-01")]["value"] is None
