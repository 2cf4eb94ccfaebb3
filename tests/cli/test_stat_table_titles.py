"""A title row above the header (a merged ``2016–2019年门诊量`` in row 1, the header in
row 2): ``ihms data import`` leaves it out with a note, and so do ``ihms its``,
``ihms growth``, ``ihms trend`` and ``ihms agreement``, naming rows as the file numbers
them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SERIES = Path(__file__).resolve().parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
TITLE = "2016–2019年门诊量"
ITS = ["--outcome", "hospitalizations", "--time", "month", "--interruption", "2017-10", "--json"]


def flat(output: str) -> str:
    return " ".join(output.split())


def _titled_book(path: Path, frame: pd.DataFrame) -> Path:
    """``frame`` under a title merged over its columns in row 1, as a county sheet has it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=frame.shape[1])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(path)
    return path


def _titled_csv(path: Path, frame: pd.DataFrame) -> Path:
    path.write_text(f"{TITLE}\n" + frame.to_csv(index=False), "utf-8")
    return path


def test_its_fits_a_workbook_or_csv_with_a_title_row_as_the_table_under_it(tmp_path):
    frame = pd.read_csv(SERIES, dtype=str)
    plain = runner.invoke(app, ["its", "fit", str(SERIES), *ITS])
    assert plain.exit_code == 0, plain.output
    for path in (
        _titled_book(tmp_path / "series.xlsx", frame),
        _titled_csv(tmp_path / "series.csv", frame),
    ):
        result = runner.invoke(app, ["its", "fit", str(path), *ITS])
        assert result.exit_code == 0, result.output
        # the same fit as the file without its title
        assert json.loads(result.stdout) == json.loads(plain.stdout)
        # the note ihms data import prints for the same sheet
        assert f"{path}: row 1 above the header left out as the sheet's title" in flat(
            result.stderr
        )
    lags = runner.invoke(app, ["its", "lags", str(path), *ITS[:6], "--max-lag", "2"])
    assert lags.exit_code == 0, lags.output


def test_its_names_a_bad_cell_under_a_title_by_the_files_row_number(tmp_path):
    frame = pd.read_csv(SERIES, dtype=str)
    frame.loc[4, "hospitalizations"] = "abc"  # 5th record: row 7 under title and header
    for path in (
        _titled_book(tmp_path / "series.xlsx", frame),
        _titled_csv(tmp_path / "series.csv", frame),
    ):
        result = runner.invoke(app, ["its", "fit", str(path), *ITS])
        assert result.exit_code == 2, result.output
        assert "row 7" in flat(result.output) and "row 5" not in flat(result.output)
    frame = pd.read_csv(SERIES, dtype=str)
    frame.loc[6, "month"] = frame.loc[5, "month"]  # a month twice: rows 8 and 9
    result = runner.invoke(app, ["its", "fit", str(_titled_csv(tmp_path / "d.csv", frame)), *ITS])
    assert result.exit_code == 2
    assert "(rows 8, 9)" in flat(result.output)


def test_growth_reads_a_titled_table_and_numbers_its_rows_as_the_file(tmp_path):
    table = pd.DataFrame(
        {"year": ["2016", "2017", "2018", "2019"], "value": ["100", "110", "", "133.1"]}
    )
    plain = tmp_path / "plain.csv"
    table.to_csv(plain, index=False)
    expected = runner.invoke(app, ["growth", str(plain), "--json"])
    assert expected.exit_code == 0, expected.output
    path = _titled_book(tmp_path / "growth.xlsx", table)
    result = runner.invoke(app, ["growth", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(expected.stdout)
    assert "row 1 above the header left out as the sheet's title" in flat(result.stderr)
    table.loc[1, "value"] = "n/a?"  # 2nd record: row 4 of the file
    path = _titled_csv(tmp_path / "growth.csv", table)
    result = runner.invoke(app, ["growth", str(path), "--json"])
    assert result.exit_code == 2
    assert f"{path} row 4" in flat(result.output)


def test_trend_reads_a_titled_table(tmp_path):
    # R: prop.trend.test(c(83, 90, 129, 70), c(86, 93, 136, 82)) -> X-squared = 8.2249
    table = pd.DataFrame({"smokers": [83, 90, 129, 70], "patients": [86, 93, 136, 82]})
    path = _titled_book(tmp_path / "smokers.xlsx", table)
    args = ["trend", str(path), "--events-col", "smokers", "--totals-col", "patients", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert round(json.loads(result.stdout)["chi2"], 4) == 8.2249
    assert "row 1 above the header left out as the sheet's title" in flat(result.stderr)
    table["smokers"] = table["smokers"].astype(str)
    table.loc[2, "smokers"] = "x"  # 3rd record: row 5 of the file
    result = runner.invoke(app, [*args[:1], str(_titled_csv(tmp_path / "t.csv", table)), *args[2:]])
    assert result.exit_code == 2
    assert "row 5" in flat(result.output)


def test_agreement_reads_a_titled_table_and_numbers_its_rows_as_the_file(tmp_path):
    from tests.stats.test_agreement_wide import KRIPPENDORFF_2011, _long_text

    plain = tmp_path / "plain.csv"
    plain.write_text(_long_text(KRIPPENDORFF_2011), "utf-8")
    expected = runner.invoke(app, ["agreement", str(plain), "--json"])
    assert expected.exit_code == 0, expected.output
    table = pd.read_csv(plain, dtype=str)
    for path in (
        _titled_book(tmp_path / "codings.xlsx", table),
        _titled_csv(tmp_path / "codings.csv", table),
    ):
        result = runner.invoke(app, ["agreement", str(path), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == json.loads(expected.stdout)
        # the published nominal alpha of the worked example (Krippendorff 2011, section C)
        assert round(json.loads(result.stdout)["rows"][0]["alpha"], 3) == 0.743
        assert "row 1 above the header left out as the sheet's title" in flat(result.stderr)
    table.loc[2, "unit"] = ""  # 3rd record: row 5 of the file, under the title and header
    result = runner.invoke(app, ["agreement", str(_titled_csv(tmp_path / "bad.csv", table))])
    assert result.exit_code == 2
    assert "row 5" in flat(result.output) and "row 4" not in flat(result.output)
