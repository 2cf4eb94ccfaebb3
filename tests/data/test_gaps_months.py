"""Months without encounters are named for a data set, a store and a few years of it,
by one helper (:func:`ihms.data.month_gaps`) that ``ihms data import``, ``ihms
indicators compute`` and the ``ihms payment`` commands reading a store share."""

from __future__ import annotations

import pytest
from tests.data.test_gaps import PERIOD, SYSTEM, _frames
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Dataset, Store, data_gaps, month_gaps
from ihms.system import load_system

# tests/data/test_gaps.py's Hexi county: visits in January, February and May 2020 of
# the period January to June, so March, April and June are empty
EMPTY = "(2020-03 to 2020-04, 2020-06)"


@pytest.fixture
def county(tmp_path):
    path = tmp_path / "hexi.yaml"
    path.write_text(SYSTEM, encoding="utf-8")
    return load_system(path)


def test_the_store_names_the_months_the_data_set_names(county, tmp_path):
    dataset = Dataset.from_frames(_frames(county), period=PERIOD)
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        store.write(dataset)
    with Store(path, read_only=True) as store:
        from_store = month_gaps(store)
        in_2020 = month_gaps(store, years=[2020])
        in_2021 = month_gaps(store, years=[2021])
    assert from_store == month_gaps(dataset) == data_gaps(dataset)[-1]
    assert f"none in 3 of the period's 6 months {EMPTY}" in from_store
    # for the years asked about: all their months, those past the period's end
    # (June 2020) too — a year settled there lacks them as much as March
    assert "none in 9 of 2020's 12 months (2020-03 to 2020-04, 2020-06 to 2020-12;" in in_2020
    assert "2020-07 to 2020-12 are past the end of the data's period (2020-06)" in in_2020
    assert in_2021 is None  # outside the period: nothing to say


def test_indicators_compute_notes_the_empty_months(county, tmp_path):
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        store.write(Dataset.from_frames(_frames(county), period=PERIOD))
    args = ["indicators", "compute", "--store", str(path), "--min-cell", "1"]
    result = CliRunner().invoke(
        app, [*args, "--period", "month", "-i", "outpatient_emergency_visits"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"note: encounters: none in 3 of the period's 6 months {EMPTY}" in text
    # an indicator that reads no encounter has nothing to do with them
    result = CliRunner().invoke(app, [*args, "-i", "beds_per_1000", "--period", "year"])
    assert result.exit_code == 0, result.output
    assert "encounters: none" not in result.output
