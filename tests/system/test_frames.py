"""``System.to_frame``: a system's objects as DataFrames for a notebook (a review of the
Python API for Jupyter, session 33), the tables ``ihms system show --json`` prints.
Figures from examples/youxi.yaml and seed 002 (Zhong et al. 2023), Table 2."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.system import load_system
from ihms.system.frames import FRAMES


@pytest.fixture(scope="module")
def youxi():
    return load_system("examples/youxi.yaml")


@pytest.mark.parametrize("what", list(FRAMES))
@pytest.mark.parametrize("year", [2016, 2019])
def test_the_tables_are_those_system_show_prints(youxi, what, year):
    # the CLI shows one year (the last by default); the library lists every year without one
    args = ["system", "show", "examples/youxi.yaml", "--what", what, "--json"]
    shown = CliRunner().invoke(app, [*args, "--year", str(year)])
    assert shown.exit_code == 0, shown.output
    frame = youxi.to_frame(what, year).reset_index()
    rows = json.loads(shown.stdout)
    assert list(rows[0]) == list(frame.columns) and len(rows) == len(frame)
    assert rows == json.loads(frame.to_json(orient="records", force_ascii=False))


def test_the_county_in_2018(youxi):
    grids = youxi.to_frame("grids", year=2018)
    # seed 002, Table 2: resident population 36.2 (10,000) in 2018, the grids' sum
    assert round(grids["population"].sum() / 10_000, 1) == 36.2
    assert len(grids) == 15 and grids.index[0] == "G01"
    consortia = youxi.to_frame("consortia", year=2018)
    ichc = consortia.loc["youxi-ichc"]
    assert (ichc["name_zh"], ichc["integration"], ichc["lead"]) == (
        "尤溪县总医院",
        "full",
        "YX-CH01",
    )
    assert (ichc["grids"], ichc["start_year"], ichc["refers_up_to"]) == (
        15,
        2017,
        ["FJ-PH", "SM-FH"],
    )
    assert pd.isna(ichc["end_year"])
    institutions = youxi.to_frame("institutions", year=2018)
    assert set(institutions.index) == {i.id for i in youxi.active_institutions(2018)}
    assert "youxi-ichc" in institutions.loc["YX-CH01", "consortia"]
    # before the reform (2016) the ICHC did not yet operate
    assert "youxi-ichc" not in youxi.to_frame("consortia", year=2016).index


def test_what_and_year_are_checked(youxi):
    with pytest.raises(
        InputError, match=r"parameter 'what': expected one of 'institutions'.*got 'staff'"
    ):
        youxi.to_frame("staff")
    with pytest.raises(InputError, match=r"parameter 'year': .* covers 2016–2019, got 2030"):
        youxi.to_frame("grids", year=2030)
    with pytest.raises(
        InputError, match=r"parameter 'year': expected a whole number, got str '2018'"
    ):
        youxi.to_frame("grids", year="2018")


def test_without_a_year_every_object_the_file_describes(youxi):
    institutions = youxi.to_frame("institutions")
    assert set(institutions.index) == {i.id for i in youxi.institutions}
    every_year = set().union(*(youxi.to_frame("consortia", year=y).index for y in youxi.years))
    assert set(youxi.to_frame("consortia").index) == every_year
