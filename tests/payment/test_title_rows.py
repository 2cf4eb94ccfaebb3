"""A payment table under a title row (session 21: an Excel export whose row 1 is
``2023年尤溪县医保基金结算表`` merged over the columns, the header on row 2) is read as
``ihms data import`` and the statistics commands read one — the title left out with
their note (:func:`ihms._layout.title_note`) — and every message names the row the file
shows. Each expected row number below is counted by hand from the file's lines (the
title is row 1; an empty line is a row, as a spreadsheet opening the CSV shows it)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from tests.payment.test_table_files import _xlsx
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError, IhmsWarning
from ihms.payment import IndicatorValues, PopulationTable, SpendingTable, StaffRoster

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
TITLE = "2023年尤溪县医保基金结算表"
runner = CliRunner()


def _csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _titled_book(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` under TITLE merged over its columns, the header on row 2."""
    return _xlsx(frame, path, title=TITLE)


def _problems(read, path: Path) -> list[str]:
    with pytest.raises(DataError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore", IhmsWarning)
        read(path)
    return err.value.problems


def test_a_csv_title_row_is_left_out_with_the_data_imports_note(tmp_path):
    path = _csv(
        tmp_path / "pop.csv",
        f"{TITLE},",  # row 1: the merged title as Excel writes it to CSV
        "year,insured_population",  # row 2
        "2017,350000",  # row 3
        "2018,352000",  # row 4
    )
    with pytest.warns(IhmsWarning, match="row 1 above the header left out as the sheet's title"):
        table = PopulationTable.read(path)
    assert {y: r.insured_population for y, r in table.rows.items()} == {
        2017: 350000,
        2018: 352000,
    }
    assert table.row_numbers == {2017: 3, 2018: 4}


def test_a_blank_row_above_the_header_is_noted_as_blank_not_as_a_title(tmp_path):
    # review 22a L7: the blank row was "left out as the sheet's title"
    path = _csv(tmp_path / "pop.csv", ",", "year,insured_population", "2017,350000")
    with pytest.warns(IhmsWarning, match=r"pop\.csv: blank row 1 above the header left out$"):
        table = PopulationTable.read(path)
    assert table.row_numbers == {2017: 3}


def test_a_workbook_title_merged_over_the_header_reads_as_its_untitled_table(tmp_path):
    spending = pd.read_csv(EX / "spending.csv")
    path = _titled_book(spending, tmp_path / "spending.xlsx")
    with pytest.warns(IhmsWarning, match=f"{path}: row 1 above the header left out"):
        titled = SpendingTable.read(path)
    pd.testing.assert_frame_equal(
        titled.to_frame(), SpendingTable.read(EX / "spending.csv").to_frame()
    )


def test_a_bad_cell_below_a_csv_title_names_its_file_row(tmp_path):
    path = _csv(
        tmp_path / "pop.csv",
        f"{TITLE},",  # row 1
        "year,insured_population",  # row 2
        "2017,350000",  # row 3
        "2018,abc",  # row 4
    )
    (problem,) = _problems(PopulationTable.read, path)
    assert problem.startswith(f"column 'insured_population' of {path} row 4: expected a whole")


@pytest.mark.parametrize(
    ("title", "encoding", "newline"),
    [(TITLE, "utf-8", "\n"), (f"{TITLE},", "gbk", "\r\n")],
    ids=["title-alone-utf8", "gbk-crlf"],
)
def test_a_title_line_however_saved_is_row_1(tmp_path, title, encoding, newline):
    # a title line without the merged columns' commas, and a GBK file from Excel on a
    # Chinese Windows: read_csv takes each by another way; the rows are the same
    lines = [title, "year,insured_population", "2017,350000", "2018,abc"]  # abc on row 4
    path = tmp_path / "pop.csv"
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    (problem,) = _problems(PopulationTable.read, path)
    assert problem.startswith(f"column 'insured_population' of {path} row 4: expected a whole")


def test_a_bad_cell_below_a_workbook_title_names_its_sheet_row(tmp_path):
    frame = pd.read_csv(EX / "population.csv").astype(object)
    # sheet rows: 1 title, 2 header, 3 → 2016, 4 → 2017, 5 → 2018
    frame.loc[2, "insured_population"] = "about 347,000"
    path = _titled_book(frame, tmp_path / "population.xlsx")
    (problem,) = _problems(PopulationTable.read, path)
    assert problem.startswith(f"column 'insured_population' of {path} row 5: expected a whole")


def test_rows_below_a_title_and_empty_lines_keep_the_files_numbers(tmp_path):
    path = _csv(
        tmp_path / "pop.csv",
        f"{TITLE},,",  # row 1
        "单位：人,,",  # row 2: a unit line
        "",  # row 3: an empty line between the title and the header
        "year,insured_population,resident_population",  # row 4
        "2017,350000,360000",  # row 5
        "2018,352000,340000",  # row 6: fewer residents than insured
        "2017,351000,361000",  # row 7: 2017 again
    )
    problems = _problems(PopulationTable.read, path)
    assert problems == [
        f"column 'year' of {path} row 7: year 2017 appears twice (first on row 5)",
        f"column 'resident_population' of {path} row 6: expected at least the insured "
        "population (352,000): it counts every resident, insured or not, got 340,000",
    ]


def test_a_blank_row_inside_a_titled_table_is_named_by_its_line(tmp_path):
    path = _csv(
        tmp_path / "pop.csv",
        f"{TITLE},",  # row 1
        "",  # row 2
        "year,insured_population",  # row 3
        "2017,100",  # row 4
        "",  # row 5: blank inside the table
        "2018,abc",  # row 6
    )
    (problem,) = _problems(PopulationTable.read, path)
    assert problem.startswith(f"{path} row 5: a wholly blank row inside the table")
    assert "(row 6 below it holds data)" in problem


def test_a_total_row_below_a_title_is_named_by_its_row(tmp_path):
    frame = pd.read_csv(EX / "staff.csv").head(3).astype(object)
    total = pd.DataFrame([["合计", "", "", 96000000, 3]], columns=frame.columns)
    # sheet rows: 1 title, 2 header, 3-5 the three staff, 6 the total
    path = _titled_book(pd.concat([frame, total], ignore_index=True), tmp_path / "staff.xlsx")
    (problem,) = _problems(StaffRoster.read, path)
    assert problem.startswith(f"{path} row 6: '合计' is a total row, not a record")


def test_indicator_values_below_a_title_keep_their_rows(tmp_path):
    path = _csv(
        tmp_path / "ind.csv",
        f"{TITLE},,,",  # row 1
        "year,subject,indicator,value",  # row 2
        "2017,consortium,hypertension_control_rate,0.699",  # row 3
        "2017,consortium,diabetes_control_rate,1.713",  # row 4: a rate above 1
    )
    (problem,) = _problems(IndicatorValues.read, path)
    assert problem.startswith(f"column 'value' of {path} row 4:")
    path = _csv(
        tmp_path / "ind.csv",
        f"{TITLE},,,",  # row 1
        "year,subject,indicator,value",  # row 2
        "2017,consortium,hypertension_control_rate,0.699",  # row 3
        "2017,consortium,primary_care_healthcare_share,0.630",  # row 4: a former id
    )
    with pytest.warns(IhmsWarning) as caught:
        values = IndicatorValues.read(path)
    assert any("'primary_care_healthcare_share' (row 4)" in str(w.message) for w in caught)
    assert values.rows[(2017, "consortium", "hypertension_control_rate")] == 3
    assert values.rows[(2017, "consortium", "healthcare_visits_primary_share")] == 4


def test_a_frame_given_to_from_frame_numbers_its_first_record_row_2():
    # only the file readers count title lines: a frame given to from_frame is the
    # caller's, under a header in row 1
    frame = pd.DataFrame({"year": ["2018"], "insured_population": ["x"]})
    with pytest.raises(DataError) as err:
        PopulationTable.from_frame(frame, source="pop")
    assert err.value.problems[0].startswith("column 'insured_population' of pop row 2:")


def test_payment_settle_reads_titled_workbooks_as_their_csv(tmp_path):
    spending = _titled_book(pd.read_csv(EX / "spending.csv"), tmp_path / "spending.xlsx")
    population = _titled_book(pd.read_csv(EX / "population.csv"), tmp_path / "population.xlsx")

    def settle(sp: Path, pop: Path):
        args = ["payment", "settle", "--year", "2018", "--spending", str(sp)]
        return runner.invoke(app, [*args, "--population", str(pop), "--assume-passed", "--json"])

    want = settle(EX / "spending.csv", EX / "population.csv")
    got = settle(spending, population)
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["figures"] == json.loads(want.stdout)["figures"]
    assert "row 1 above the header left out as the sheet's title" in got.stderr


def test_a_titled_table_read_through_a_column_map_keeps_its_rows(tmp_path):
    from ihms.data import read_column_map
    from ihms.payment import TABLE_COLUMNS

    (tmp_path / "map.yaml").write_text(
        "population:\n  年度: year\n  参保人数: insured_population\n", "utf-8"
    )
    columns = read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS)
    path = _csv(
        tmp_path / "pop.csv",
        f"{TITLE},",  # row 1
        "年度,参保人数",  # row 2
        "2017,350000",  # row 3
        "2018,三十五万",  # row 4
    )
    (problem,) = _problems(lambda p: PopulationTable.read(p, columns=columns), path)
    assert problem.startswith(f"column '参保人数' of {path} row 4: expected a whole")
