"""The money unit of a numerator and a denominator travels with the long table.

A county analyst's own small extract (Qingshan, tests/system/data/qingshan.yaml),
imported and computed through the CLI; every golden number is worked by hand below from
the rows written here.
"""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
KEY = {"IHMS_PSEUDONYM_KEY": "0123456789abcdef" * 4}

RESIDENTS = """resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes
R01,1950,F,G1,true,true,true,false
R02,1955,M,G1,true,false,true,true
R03,1980,F,G2,true,false,false,false
R04,1990,M,G3,true,true,false,true
"""
# 2021 outpatient and emergency care in Qingshan's institutions, in yuan:
# 120.50 + 300.00 + 80.00 + 400.00 + 60.00 + 200.00 = 1,160.50 over 6 visits
# (193.416... yuan a visit); E07 is an admission at the university hospital outside.
ENCOUNTERS = """encounter_id,resident_id,institution_id,date,type,total_cost_yuan,\
insurance_paid_yuan,out_of_pocket_yuan,length_of_stay_days
E01,R01,QS-THC1,2021-02-03,outpatient,120.50,80.00,40.50,
E02,R01,QS-CH,2021-03-10,inpatient,5000.00,3500.00,1500.00,7
E03,R02,QS-CH,2021-04-01,outpatient,300.00,150.00,150.00,
E04,R03,QS-THC2,2021-05-01,outpatient,80.00,60.00,20.00,
E05,R03,QS-TCM,2021-07-01,emergency,400.00,0.00,400.00,
E06,R04,QS-THC3,2021-09-01,outpatient,60.00,40.00,20.00,
E07,R02,UH,2021-08-01,inpatient,30000.00,20000.00,10000.00,12
E08,R04,QS-PRIV,2021-10-01,outpatient,200.00,100.00,100.00,
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qs")
    (folder / "residents.csv").write_text(RESIDENTS, encoding="utf-8")
    (folder / "encounters.csv").write_text(ENCOUNTERS, encoding="utf-8")
    path = folder / "qs.duckdb"
    args = ["data", "import", str(folder), "--system", "tests/system/data/qingshan.yaml"]
    result = runner.invoke(app, [*args, "--store", str(path)], env=KEY)
    assert result.exit_code == 0, result.output
    return path


def _compute(store, *extra):
    ids = ["cost_per_outpatient_visit", "insurance_inside_county_share", "hospitalizations"]
    args = ["indicators", "compute", "--store", str(store), "--unit", "qingshan"]
    args += ["--min-cell", "1", *[a for i in ids for a in ("-i", i)], *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


def _rows_2021(rows):
    return {r["indicator"]: r for r in rows if str(r["period"]) == "2021"}


def test_json_names_the_fen_of_money_numerators_and_denominators(store):
    rows = _rows_2021(json.loads(_compute(store, "--json").stdout))
    cost = rows["cost_per_outpatient_visit"]
    # 1,160.50 yuan = 116,050 fen over 6 visits; the value is in yuan
    assert (cost["numerator"], cost["denominator"]) == (116050, 6)
    assert cost["value"] == pytest.approx(1160.50 / 6, rel=1e-12)
    assert (cost["numerator_unit"], cost["denominator_unit"]) == ("fen", None)
    # insurance paid inside the county over all insurance paid for residents' care, fen:
    # 80 + 3,500 + 150 + 60 + 0 + 40 + 100 = 3,930 yuan of 3,930 + 20,000 (UH, outside)
    share = rows["insurance_inside_county_share"]
    assert (share["numerator"], share["denominator"]) == (393000, 2393000)
    # money is integer fen in --json, the denominator too (walk17: 2393000.0)
    assert type(share["numerator"]) is int and type(share["denominator"]) is int
    assert type(cost["denominator"]) is int  # a count
    assert (share["numerator_unit"], share["denominator_unit"]) == ("fen", "fen")
    assert share["value"] == pytest.approx(100 * 3930 / 23930, rel=1e-12)
    # a count has no money unit
    stays = rows["hospitalizations"]
    assert (stays["numerator"], stays["numerator_unit"]) == (1, None)


def test_the_csv_a_spreadsheet_reads_carries_the_units(store, tmp_path):
    out = tmp_path / "ind.csv"
    _compute(store, "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = _rows_2021(list(csv.DictReader(f)))
    cost = rows["cost_per_outpatient_visit"]
    assert (cost["numerator"], cost["numerator_unit"], cost["denominator_unit"]) == (
        "116050",
        "fen",
        "",
    )
    assert rows["hospitalizations"]["numerator_unit"] == ""
