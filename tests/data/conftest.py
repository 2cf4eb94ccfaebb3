"""A user's CSV export for Youxi, written by hand: three residents, a few encounters."""

from __future__ import annotations

from pathlib import Path

import pytest

from ihms.system import load_system

FILES = {
    "residents.csv": """resident_id,birth_year,sex,grid_id,insured,fp_registered,fp_institution_id,hypertension,diabetes,entry_date,exit_date
350426195001011234,1950,F,G01,true,true,YX-THC01,true,false,,
350426196002022345,1960,M,G02,true,false,,false,true,,
350426198503033456,1985,F,G02,false,false,,false,false,2017-05-01,
""",
    "encounters.csv": """encounter_id,resident_id,institution_id,date,type,diagnosis_group,total_cost_yuan,insurance_paid_yuan,out_of_pocket_yuan,length_of_stay_days,referred_from_id,referred_to_id
V0001,350426195001011234,YX-CH01,2016-03-01,outpatient,J06,120.50,60.25,60.25,,,
V0002,350426195001011234,YX-THC01,2016-04-01,preventive,,15,0,15,,,
V0003,350426196002022345,FJ-PH,2017-06-10,inpatient,I63,12000.00,6000.00,6000.00,9,YX-CH01,
V0004,350426198503033456,YX-THC02,2018-01-05,outpatient,J02,35.8,20,15.8,,,
""",
    "followups.csv": """followup_id,resident_id,institution_id,date,condition,systolic_mmhg,diastolic_mmhg,fasting_glucose_mmol_l,encounter_id
F1,350426195001011234,YX-VC-G01-001,2016-05-01,hypertension,135,85,,
F2,350426196002022345,YX-THC02,2016-05-02,diabetes,,,6.4,
""",
}


@pytest.fixture(scope="session")
def youxi():
    """examples/youxi.yaml, loaded once a session (0.1 s a load, asked for by some 220
    tests): a :class:`~ihms.system.System` is frozen, its mappings read-only, so no test
    can change it for another."""
    return load_system("examples/youxi.yaml")


@pytest.fixture
def csv_folder(tmp_path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "pseudonym.key"
    path.write_text("3f1c9a4e7b2d8f6a0c5e1b9d7a3f2c4e\n", encoding="utf-8")
    return path
