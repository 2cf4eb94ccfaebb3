"""A spreadsheet's layout around its table: title lines above the header, total and
note rows below the records (``ihms._layout``), and every reader refusing or leaving
them out rather than reading them as a header or a record."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms._decode import read_csv
from ihms._layout import grouped_header, summary_kind, summary_rows, title_lines
from ihms.cli.main import app
from ihms.errors import DataError, IhmsWarning, InputError
from ihms.payment import PopulationTable, SpendingTable

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SERIES = EXAMPLES / "series" / "county_hospital_monthly.csv"
TITLE = "2019年尤溪县医共体门诊统计表"


def flat(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize(
    ("rows", "count"),
    [
        ([[TITLE, "", ""], ["month", "visits", "stays"]], 1),
        ([[TITLE], [], ["单位：人次"], ["month", "visits"]], 3),
        ([[TITLE, "Unnamed: 1"], ["month", "visits"]], 1),  # pandas' name for an empty cell
        ([["month", "visits"], ["2019-01", "10"]], 0),
        ([["", "value"], ["0", "12"]], 0),  # pandas' unnamed index column: a header
        ([["visits"], ["10"], ["12"]], 0),  # a one-column table has no title to find
        ([["", ""], ["month", "visits"]], 0),  # blank, not a title: the reader says so
    ],
)
def test_title_lines_are_the_lines_above_the_first_with_two_filled_cells(rows, count):
    assert title_lines(rows) == count


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        (["合计", "", "1,234"], "a total row"),
        (["", "", "总　计", "99"], "a total row"),
        (["全县合计", "12"], "a total row"),
        (["Total", "12"], "a total row"),
        (["小计", "12"], "a total row"),
        (["注：数据来源于医保结算系统"], "a note"),
        (["注1. 2016年1月缺"], "a note"),
        (["数据来源：尤溪县卫健局"], "a note"),
        (["注射室", "12"], None),  # a place, not a note
        (["2019", "合计"], None),  # a record of a unit called 合计: its first cell is a year
        (["totally", "1"], None),
    ],
)
def test_summary_kind_reads_the_first_filled_cell(row, kind):
    assert summary_kind(row) == kind


def test_summary_rows_of_a_frame_name_their_positions():
    frame = pd.DataFrame(
        {"year": ["2018", "2019", "合计", "", None], "v": ["1", "2", "3", "注：元", None]}
    )
    assert summary_rows(frame) == [(2, "a total row", "合计"), (3, "a note", "注：元")]


def test_read_csv_refuses_a_title_line_naming_it_and_the_header_row(tmp_path):
    # the title was taken as the header: "missing required column(s) year, ... (has:
    # 2019年..., Unnamed: 1, ...)" in the payment tables, which now leave it out
    # (titles="skip", tests/payment/test_title_rows.py); read_csv's default refuses it
    path = tmp_path / "population.csv"
    body = (EXAMPLES / "payment" / "population.csv").read_text("utf-8")
    path.write_text(f"{TITLE},,,,\n{body}", "utf-8")
    with pytest.raises(InputError) as err:
        read_csv(path, dtype=str)
    assert str(err.value) == (
        f"{path}: row 1 ('{TITLE}') stands above the table's header (row 2); delete it so "
        "that the header is the first row"
    )
    with pytest.warns(IhmsWarning, match="row 1 above the header left out"):
        table = PopulationTable.read(path)
    plain = PopulationTable.read(EXAMPLES / "payment" / "population.csv")
    assert dataclasses.replace(table, source=plain.source) == plain
    # a title in one cell: "row 2: 5 cells, but the header has 1 columns"
    path.write_text(f"{TITLE}\n单位：人\n{body}", "gbk")
    with pytest.raises(InputError, match=r"rows 1-2 \('2019年.*header \(row 3\)"):
        read_csv(path, dtype=str)
    frame = read_csv(path, dtype=str, titles="skip")
    assert frame.attrs["title_lines"] == 2 and frame["year"].tolist()[0] == "2016"


def test_its_leaves_a_title_row_of_a_csv_or_an_excel_sheet_out_with_a_note(tmp_path):
    # it was refused while ihms data import read the same sheet (tests/cli/test_stat_table_titles.py)
    frame = pd.read_csv(SERIES, dtype=str)
    xlsx = tmp_path / "series.xlsx"
    with pd.ExcelWriter(xlsx) as writer:  # the title in A1, the table from row 3
        pd.DataFrame([[TITLE]]).to_excel(writer, header=False, index=False)
        frame.to_excel(writer, startrow=2, index=False)
    csv = tmp_path / "series.csv"
    csv.write_text(f"{TITLE}\n" + SERIES.read_text("utf-8"), "utf-8")
    for path, rows in ((xlsx, "rows 1-2"), (csv, "row 1")):
        result = runner.invoke(app, ["its", "fit", str(path), "--outcome", "hospitalizations",
                                     "--time", "month", "--interruption", "2017-10"])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"{rows} above the header left out as the sheet's title" in flat(result.stderr)


def test_payment_tables_refuse_total_and_note_rows_by_name(tmp_path):
    # the total row was refused cell by cell ("column 'year' ... expected a year, got
    # '合计'"), and a staff roster's as an empty role and institution
    body = (EXAMPLES / "payment" / "population.csv").read_text("utf-8")
    path = tmp_path / "population.csv"
    path.write_text(body + "合计,1444000,1386240,527000,\n注：人口为年末数,,,,\n", "utf-8")
    with pytest.raises(DataError) as err:
        PopulationTable.read(path)
    assert err.value.problems == [
        f"{path} row 6: '合计' is a total row, not a record: delete it (ihms adds up the "
        "records itself; a total read as data would count everything twice)",
        f"{path} row 7: '注：人口为年末数' is a note below the table, not a record: delete it",
    ]


def test_its_and_growth_say_a_total_in_the_time_column_is_a_total_row(tmp_path):
    csv = tmp_path / "series.csv"
    csv.write_text(SERIES.read_text("utf-8") + "合计,1,2,3,4\n", "utf-8")
    result = runner.invoke(app, ["its", "fit", str(csv), "--outcome", "hospitalizations",
                                 "--time", "month", "--interruption", "2017-10"])  # fmt: skip
    assert result.exit_code == 2
    assert "got '合计' (a total row: delete it, the totals are computed)" in flat(result.output)
    table = tmp_path / "growth.csv"
    table.write_text("year,value\n2016,10\n2017,12\n注：2018年起口径调整,\n", "utf-8")
    result = runner.invoke(app, ["growth", str(table), "--yoy"])
    assert result.exit_code == 2
    assert "got '注：2018年起口径调整' (a note: delete it)" in flat(result.output)


def test_a_column_named_twice_is_refused_not_read_as_the_first(tmp_path):
    # pandas calls the second 'value.1' and every reader took the first: growth printed
    # the first column's growth and the payment tables settled on the first amount
    table = tmp_path / "growth.csv"
    table.write_text("year,value,value\n2016,10,100\n2017,12,90\n", "utf-8")
    result = runner.invoke(app, ["growth", str(table), "--yoy"])
    assert result.exit_code == 2
    assert flat(result.output) == (
        f"error: {table}: columns 2 and 3 are both named 'value'; rename or delete one "
        "(which is meant cannot be told)"
    )
    spending = tmp_path / "spending.csv"
    body = (EXAMPLES / "payment" / "spending.csv").read_text("utf-8").splitlines()
    spending.write_text("\n".join([body[0] + ",insurance_paid_fen"] + [r + ",1" for r in body[1:]]))
    with pytest.raises(InputError, match="columns 4 and 9 are both named 'insurance_paid_fen'"):
        SpendingTable.read(spending)


def test_its_refuses_a_hidden_excel_column_named_as_the_outcome(tmp_path):
    # a hidden column of last year's figures under the same header came first, and the
    # series was fitted on it with exit 0
    from openpyxl import Workbook

    frame = pd.read_csv(SERIES)
    book = Workbook()
    sheet = book.active
    sheet.append(["month", "hospitalizations", "hospitalizations"])
    for month, stays in zip(frame["month"], frame["hospitalizations"], strict=True):
        sheet.append([month, int(stays) * 2, int(stays)])
    sheet.column_dimensions["B"].hidden = True
    path = tmp_path / "series.xlsx"
    book.save(path)
    result = runner.invoke(app, ["its", "fit", str(path), "--outcome", "hospitalizations",
                                 "--time", "month", "--interruption", "2017-10"])  # fmt: skip
    assert result.exit_code == 2
    assert "columns 2 and 3 are both named 'hospitalizations'" in flat(result.output)


def test_a_header_naming_all_but_its_last_column_is_not_a_header_over_two_rows():
    # The session-19 review's institutions file: the header leaves column 4 unnamed and
    # the first record is all words ("closed 2019" a note). It is one header and a record,
    # not a group row over a row of names: groups span columns, so a group row leaves at
    # least as many cells empty under names as it names itself (here it names 3, leaves 1).
    rows = [
        ["institution_id", "name", "level", ""],
        ["QS-THC1", "Qingshan THC", "township", "closed 2019"],
    ]
    assert not grouped_header(rows, 0)
    # the merged group row of a hospital export: 2 named, 2 covered
    assert grouped_header(
        [["就诊信息", "", "费用（元）", ""], ["编号", "日期", "总费用", "自付"]], 0
    )
