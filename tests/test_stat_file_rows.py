"""A bad cell of a Stata ``.dta`` or SPSS ``.sav`` file is named at the same number by
every reader: its observation number, from 1, as Stata's ``list`` and SPSS's Data View
number the rows (a CSV's or a sheet's rows stay the file's lines, the header row 1).

Session 21: the payment tables and ``ihms its`` named the second observation "row 3"
(a CSV's numbering), while ``ihms data import`` named it "row 2".
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Period, read_tables
from ihms.errors import DataError
from ihms.payment import PopulationTable
from ihms.system import load_system

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
BAD = "about 346,000"  # in the 2nd observation of every table below


def _save(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` as a Stata user (pandas' ``to_stata``) or an SPSS user (pyreadstat)
    saves it."""
    if path.suffix == ".dta":
        frame.to_stata(path, write_index=False, version=118)
    else:
        pyreadstat.write_sav(frame, str(path))
    return path


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_payment_names_the_observation(tmp_path, suffix):
    frame = pd.read_csv(ROOT / "examples" / "payment" / "population.csv", dtype=str)
    frame.loc[1, "insured_population"] = BAD
    path = _save(frame, tmp_path / f"population{suffix}")
    with pytest.raises(DataError) as err:
        PopulationTable.read(path)
    (problem,) = err.value.problems
    assert problem.startswith(f"column 'insured_population' of {path} row 2: expected")


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_data_import_names_the_observation(tmp_path, suffix):
    encounters = (
        "encounter_id,resident_id,institution_id,date,type,total_cost_yuan\n"
        "V1,R1,YX-CH01,2016-03-01,outpatient,120.50\n"
        "V2,R1,YX-CH01,2016-04-01,outpatient,15\n"
    )
    (tmp_path / "e.csv").write_text(encounters, encoding="utf-8")
    frame = pd.read_csv(tmp_path / "e.csv", dtype=str)
    frame.loc[1, "total_cost_yuan"] = BAD
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "resident_id,birth_year,sex,grid_id,insured\nR1,1950,F,G01,true\n", encoding="utf-8"
    )
    _save(frame, folder / f"encounters{suffix}")
    with pytest.raises(DataError) as err:
        read_tables(folder, system=load_system(ROOT / "examples" / "youxi.yaml"),
                    period=Period.parse("2016", "2019"))  # fmt: skip
    problems = "\n".join(err.value.problems)
    assert f"column 'total_cost_yuan' of encounters{suffix} row 2" in problems


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_its_names_the_observation(tmp_path, suffix):
    frame = pd.read_csv(ROOT / "examples" / "series" / "county_hospital_monthly.csv", dtype=str)
    frame.loc[1, "hospitalizations"] = BAD
    path = _save(frame, tmp_path / f"series{suffix}")
    args = ["its", "fit", str(path), "--outcome", "hospitalizations", "--time", "month"]
    result = runner.invoke(app, [*args, "--interruption", "2017-10"])
    assert result.exit_code == 2
    out = _flat(result.output)
    assert "row 2" in out and "row 3" not in out, out
