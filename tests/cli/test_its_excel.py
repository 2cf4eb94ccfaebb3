"""``ihms its`` on Excel sheets as people keep them: months typed as text, ids with
leading zeros, a header over two rows, a column name in full-width brackets."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SERIES = Path(__file__).resolve().parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
FIT = ["its", "fit", "--time", "month", "--interruption", "2017-10", "--json"]


def flat(output: str) -> str:
    return " ".join(output.split())


def _sheet(path: Path, header: list, rows: list) -> Path:
    book = Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(path)
    return path


def test_months_typed_as_text_in_excel_are_read_as_typed(tmp_path):
    # "2016.10" typed as text (so Excel keeps its 0): pandas' read_excel parsed it again
    # into the number 2016.1, read as January, and the fit was refused for a January
    # given twice and October missing; the series is the CSV's, so are the numbers
    frame = pd.read_csv(SERIES, dtype=str)
    months = [f"{m[:4]}.{m[5:]}" for m in frame["month"]]
    rows = [[m, int(v)] for m, v in zip(months, frame["hospitalizations"], strict=True)]
    path = _sheet(tmp_path / "series.xlsx", ["month", "hospitalizations"], rows)
    got = runner.invoke(app, [*FIT, str(path), "--outcome", "hospitalizations"])
    want = runner.invoke(app, [*FIT, str(SERIES), "--outcome", "hospitalizations"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output)["params"] == json.loads(want.output)["params"]


def test_unit_ids_with_leading_zeros_stay_text_in_excel(tmp_path):
    # "001" typed as text was read as the number 1, so --treated 001 matched no unit
    frame = pd.read_csv(SERIES, dtype=str)
    rows = [
        [unit, m, int(v) + shift]
        for unit, shift in (("001", 0), ("002", 40))
        for m, v in zip(frame["month"], frame["hospitalizations"], strict=True)
    ]
    path = _sheet(tmp_path / "units.xlsx", ["unit", "month", "hospitalizations"], rows)
    result = runner.invoke(app, [*FIT, str(path), "--outcome", "hospitalizations",
                                 "--group", "unit", "--treated", "001"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["treated"] == "001"


def test_a_header_over_two_rows_and_a_full_width_bracket_are_explained(tmp_path):
    path = _sheet(
        tmp_path / "merged.xlsx",
        ["month", "门急诊", None],
        [[None, "人次", "次均费用"], ["2016-02", 38457, 132.34]],
    )
    result = runner.invoke(app, [*FIT, str(path), "--outcome", "次均费用"])
    assert result.exit_code == 2
    # the sheet's reader names the two rows (it said "1 header cell is empty (a header
    # over two rows with merged cells?)" once the outcome was not found)
    assert (
        "rows 1 and 2 are a header over two rows (merged cells?): row 1 (month, 门急诊) "
        "groups the columns row 2 names (人次, 次均费用); give the table one header row "
        "naming every column"
    ) in flat(result.output)
    path = _sheet(tmp_path / "wide.xlsx", ["month", "次均费用（元）"], [["2016-02", 132.34]])
    result = runner.invoke(app, [*FIT, str(path), "--outcome", "次均费用(元)"])
    assert result.exit_code == 2
    assert "did you mean '次均费用（元）'?" in flat(result.output)


def test_growth_and_agreement_read_an_excel_sheet_as_its_csv(tmp_path):
    # an .xlsx was decoded as text: "undecodable bytes — not UTF-8 ...; pass the
    # encoding explicitly", which sends an Excel user the wrong way
    table = tmp_path / "values.csv"
    table.write_text("year,value\n2016,10\n2017,12\n2018,\n2019,15\n", "utf-8")
    pd.read_csv(table).to_excel(tmp_path / "values.xlsx", index=False)
    got = runner.invoke(app, ["growth", str(tmp_path / "values.xlsx"), "--yoy", "--json"])
    want = runner.invoke(app, ["growth", str(table), "--yoy", "--json"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output) == json.loads(want.output)
    codings = tmp_path / "codings.csv"
    rows = ["unit,coder,code"] + [
        f"u{i},{coder},{code}"
        for i, (a, b) in enumerate(zip("xxyyzxyzzx", "xyyyzxxzyx", strict=True))
        for coder, code in (("甲", a), ("乙", b))
    ]
    codings.write_text("\n".join(rows) + "\n", "utf-8")
    pd.read_csv(codings).to_excel(tmp_path / "codings.xlsx", index=False)
    got = runner.invoke(app, ["agreement", str(tmp_path / "codings.xlsx"), "--json"])
    want = runner.invoke(app, ["agreement", str(codings), "--json"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output) == json.loads(want.output)
    old = tmp_path / "codings.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 header
    result = runner.invoke(app, ["agreement", str(old)])
    assert result.exit_code == 2
    assert "(.xls) is not read; save it as .xlsx or .csv" in flat(result.output)


def test_october_as_excel_saves_a_month_typed_as_a_number(tmp_path):
    # months typed as numbers 2019.02 ... 2019.10 are saved as 2019.02 ... 2019.1:
    # "2019.1" was read as January, so February-October became January-September and
    # the month-on-month growth of each month was computed on the wrong neighbour
    table = tmp_path / "monthly.csv"
    months = [f"2019.{m:02d}" for m in range(2, 10)] + ["2019.1"]
    values = [100, 110, 121, 110, 121, 133.1, 121, 133.1, 146.41]
    table.write_text(
        "month,value\n" + "".join(f"{m},{v}\n" for m, v in zip(months, values, strict=True)),
        "utf-8",
    )
    result = runner.invoke(app, ["growth", str(table), "--yoy", "--by", "month", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [r["period"] for r in rows] == [f"2019-{m:02d}" for m in range(2, 11)]
    assert rows[-1]["value"] == 146.41 and round(rows[-1]["mom_growth"], 10) == 0.1
    # the interrupted time series of the shipped example, months written so
    frame = pd.read_csv(SERIES, dtype=str)
    frame["month"] = [f"{m[:4]}.{m[5:]}".replace(".10", ".1") for m in frame["month"]]
    frame.to_csv(tmp_path / "series.csv", index=False)
    got = runner.invoke(app, [*FIT, str(tmp_path / "series.csv"), "--outcome", "hospitalizations"])
    want = runner.invoke(app, [*FIT, str(SERIES), "--outcome", "hospitalizations"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output)["params"] == json.loads(want.output)["params"]


def test_excel_day_numbers_in_a_time_column_are_named_as_such(tmp_path):
    # a date column saved without its format: 42401 ... (1 February 2016 ...) read as
    # plain numbers, refused only as "missing time point(s) 42402, 42403, ..."
    frame = pd.read_csv(SERIES, dtype=str)
    frame["month"] = [
        (pd.Timestamp(f"{m}-01") - pd.Timestamp("1899-12-30")).days for m in frame["month"]
    ]
    assert frame["month"].iloc[0] == 42401  # Excel's serial of 2016-02-01
    frame.to_csv(tmp_path / "series.csv", index=False)
    result = runner.invoke(
        app, [*FIT, str(tmp_path / "series.csv"), "--outcome", "hospitalizations"]
    )
    assert result.exit_code == 2
    assert "42401 looks like Excel's day number for 2016-02-01" in flat(result.output)
    table = tmp_path / "monthly.csv"
    table.write_text("month,value\n43466,10\n43497,12\n", "utf-8")
    result = runner.invoke(app, ["growth", str(table), "--yoy", "--by", "month"])
    assert result.exit_code == 2
    assert (
        "'43466' (43466 looks like Excel's day number for 2019-01-01: format the column as dates, or write the months as 2019-01)"
        in flat(result.output)
    )
