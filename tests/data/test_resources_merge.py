"""A resources file beside a system file that gives resources too: the file's rows are
added to the system file's, a file row replacing the system file's row of the same
institution and year, and a note says so (session 22 review D, MEDIUM 2: the file
replaced all of the system file's rows, so following the note "give their rows" for
the institutions lacking one broke the rows that were fine)."""

from __future__ import annotations

import pytest
from tests.data.test_gaps import PERIOD, SYSTEM

from ihms.data import data_gaps, read_tables
from ihms.system import load_system

RESIDENTS = (
    "resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes\n"
    "a,1950,F,N,true,false,false,false\n"
)


@pytest.fixture
def county(tmp_path):
    path = tmp_path / "hexi.yaml"
    path.write_text(SYSTEM, encoding="utf-8")
    return load_system(path)


def _read(tmp_path, county, resources: str):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "residents.csv").write_text(RESIDENTS, encoding="utf-8")
    (folder / "resources.csv").write_text(resources, encoding="utf-8")
    return read_tables(folder, system=county, period=PERIOD)


def _rows(dataset):
    frame = dataset.to_pandas("resources").sort_values("institution_id")
    return frame[["institution_id", "year", "beds", "gps"]].values.tolist()


def test_a_resources_file_adds_the_rows_the_system_file_lacks(tmp_path, county):
    # the system file gives CH1 2020 (10 beds, 1 GP); the note asked for VC1's row
    data = _read(tmp_path, county, "institution_id,year,beds,gps\nVC1,2020,0,0\n")
    assert _rows(data) == [["CH1", 2020, 10, 1], ["VC1", 2020, 0, 0]]
    assert not [n for n in data_gaps(data) if n.startswith("resources: no row")]
    notes = data.labels["resources"].notes
    assert (
        "resources.csv: its 1 row (1 institution) added to the system file's resources; "
        "the system file's 1 row of the institution-years the file lacks kept (CH1 2020)"
    ) in notes


def test_a_file_row_wins_over_the_system_files_row_field_by_field(tmp_path, county):
    # the system file's CH1 2020: 10 beds, 1 GP, 4 nurses; the file gives beds and GPs
    data = _read(tmp_path, county, "institution_id,year,beds,gps\nCH1,2020,12,2\nVC1,2020,0,0\n")
    assert _rows(data) == [["CH1", 2020, 12, 2], ["VC1", 2020, 0, 0]]
    frame = data.to_pandas("resources").set_index("institution_id")
    assert frame.loc["CH1", "nurses"] == 4  # not given by the file: the system file's
    (note,) = [n for n in data.labels["resources"].notes if n.startswith("resources.csv: its")]
    assert (
        "1 institution-year both give, merged field by field (a blank or absent field keeps "
        "the system file's figure) — CH1 2020: beds, gps from the file, and specialists, nurses "
        "from the system file"
    ) in note


def test_a_revenue_only_row_keeps_the_system_files_beds_and_staff(tmp_path, county):
    # review of the data import, 2026-11-25, finding 4: a resources.csv giving only the
    # revenue a note asked for erased the THC's beds and staff for that year
    data = _read(
        tmp_path,
        county,
        "institution_id,year,revenue_yuan,medical_income_yuan,gps\nCH1,2020,5000000.00,4000000.00,\n",
    )
    row = data.to_pandas("resources").set_index("institution_id").loc["CH1"]
    # revenue and medical income from the file (in fen), the rest from the system file;
    # a blank cell (gps) keeps the system file's figure as an absent column does
    assert (row.revenue_fen, row.medical_income_fen) == (500_000_000, 400_000_000)
    assert (row.beds, row.gps, row.specialists, row.nurses) == (10, 1, 3, 4)
    (note,) = [n for n in data.labels["resources"].notes if n.startswith("resources.csv: its")]
    assert (
        "CH1 2020: revenue_yuan, medical_income_yuan from the file, and gps, beds, "
        "specialists, nurses from the system file"
    ) in note


def test_the_system_files_amounts_join_a_file_giving_yuan(tmp_path):
    # CH1's revenue in the system file is 123,456 fen; the file writes its amounts in
    # yuan: the row kept is read as 1,234.56 yuan, the same 123,456 fen.
    path = tmp_path / "hexi.yaml"
    path.write_text(SYSTEM.replace("nurses: 4}", "nurses: 4, revenue_fen: 123456}"), "utf-8")
    data = _read(
        tmp_path, load_system(path), "institution_id,year,beds,gps,revenue_yuan\nVC1,2020,0,0,5.5\n"
    )
    frame = data.to_pandas("resources").set_index("institution_id")
    assert frame.loc["CH1", "revenue_fen"] == 123456
    assert frame.loc["VC1", "revenue_fen"] == 550
