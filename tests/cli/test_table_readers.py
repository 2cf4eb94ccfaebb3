"""The statistics commands read their tables one way (``cli._tables.read_data_table``):
a cell written as a missing value, ``--encoding`` and an ``.xlsx``'s hidden sheets mean
the same to ``its``, ``growth`` and ``agreement``; what differs is only what a missing
value may mean in each table, and the message says which."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

YEARS = [("2010", "100"), ("2011", "110"), ("2012", "121"), ("2013", "133.1")]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    return " ".join(text.split())


def _series(path, cells, header="year,value"):
    path.write_text(header + "\n" + "\n".join(",".join(c) for c in cells) + "\n", "utf-8")
    return path


# ------------------------------------------------------------------ missing values


@pytest.mark.parametrize("marker", ["NA", "#N/A", "NULL", ".", "n/a"])
def test_growth_reads_a_missing_value_marker_as_missing_and_names_the_cell(tmp_path, marker):
    cells = [YEARS[0], YEARS[1], ("2012", marker), YEARS[3]]
    result = run("growth", _series(tmp_path / "g.csv", cells), "--yoy", "--json")
    empty = run("growth", _series(tmp_path / "e.csv", [*cells[:2], ("2012", ""), cells[3]]),
                "--yoy", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    # the same growths as an empty cell: 2011 is 110/100 - 1 = 10 % (by hand), 2012 and
    # 2013 missing (no growth over two years)
    assert json.loads(result.stdout) == json.loads(empty.stdout)
    rows = {r["period"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows[2011]["yoy_growth"] == pytest.approx(0.10, rel=1e-12)
    assert rows[2012]["value"] is None and rows[2013]["yoy_growth"] is None
    assert (
        f"g.csv: 1 cell written as a missing value read as missing (a period without a "
        f"value: its growths are missing): column 'value' row 4 ({marker!r})"
    ) in flat(result.stderr)
    assert "written as a missing value" not in empty.stderr  # an empty cell is no news


def test_the_average_annual_rate_reads_markers_as_growth_yoy_does(tmp_path):
    # before, this mode parsed the CSV with pandas' defaults (NA silently missing, and
    # numbers parsed again); now the same text cells as every mode
    cells = [YEARS[0], ("2011", "NA"), YEARS[2]]
    result = run("growth", _series(tmp_path / "g.csv", cells), "--json")
    assert result.exit_code == 0, result.output
    # (121 / 100) ** (1 / 2) - 1 = 10 % (by hand)
    assert json.loads(result.stdout)["rows"][0]["growth_rate"] == pytest.approx(0.1, rel=1e-12)
    assert "column 'value' row 3 ('NA')" in flat(result.stderr)


def test_a_missing_value_marker_in_an_xlsx_is_missing_as_in_its_csv(tmp_path):
    # from an .xlsx "NA" was text: growth refused it where the CSV's was missing
    book = Workbook()
    for row in [["year", "value"], [2010, 100], [2011, 110], [2012, "#N/A"], [2013, 133.1]]:
        book.active.append(row)
    book.save(tmp_path / "g.xlsx")
    cells = [YEARS[0], YEARS[1], ("2012", "#N/A"), YEARS[3]]
    from_csv = run("growth", _series(tmp_path / "g.csv", cells), "--yoy", "--json")
    from_xlsx = run("growth", tmp_path / "g.xlsx", "--yoy", "--json")
    assert from_xlsx.exit_code == 0, from_xlsx.output
    assert json.loads(from_xlsx.stdout) == json.loads(from_csv.stdout)
    assert "column 'value' row 4 ('#N/A')" in flat(from_xlsx.stderr)


CODINGS = "unit,coder,code\n1,A,x\n1,B,x\n2,A,y\n2,B,{}\n3,A,x\n3,B,y\n4,A,y\n4,B,y\n5,A,x\n5,B,x\n"


def test_agreement_reads_a_skipped_unit_as_not_coded_and_names_the_cell(tmp_path):
    path = tmp_path / "codings.csv"
    path.write_text(CODINGS.format("#N/A"), encoding="utf-8")
    result = run("agreement", path, "--json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["rows"][0]
    # unit 2 left out; units 1, 3, 4, 5 coded (x,x) (x,y) (y,y) (x,x): p_o = 3/4,
    # p_e = 3/4 * 2/4 + 1/4 * 2/4 = 1/2, Cohen's kappa = (3/4 - 1/2) / (1/2) = 0.5 (by hand)
    assert row["n_units"] == 4 and row["percent_agreement"] == 75.0
    assert row["kappa"] == pytest.approx(0.5, rel=1e-12)
    assert (
        "codings.csv: 1 cell written as a missing value read as missing (a unit the coder "
        "did not code): column 'code' row 5 ('#N/A')"
    ) in flat(result.stderr)


def test_its_refuses_a_missing_value_naming_the_cells_and_why(tmp_path):
    cells = [(str(y), str(100 + 3 * i)) for i, y in enumerate(range(2010, 2022))]
    cells[3], cells[6] = ("2013", "NA"), ("2016", "")
    path = _series(tmp_path / "s.csv", cells, header="year,y")
    result = run("its", "fit", path, "--outcome", "y", "--time", "year",
                 "--interruption", "2016", "--single")  # fmt: skip
    assert result.exit_code == 2
    text = flat(result.output)
    assert "column 'y' of s.csv: 2 missing values (rows 5, 8: 'NA', an empty cell)" in text
    assert "an interrupted time series needs a value at every time point" in text


# ------------------------------------------------------------------------ encoding

GBK_CODINGS = "单元,编码员,编码\n1,甲,是\n1,乙,是\n2,甲,否\n2,乙,否\n3,甲,是\n3,乙,否\n"


@pytest.mark.parametrize(
    ("head", "options"),
    [
        (["agreement"], ["--unit", "单元", "--coder", "编码员", "--code", "编码"]),
        (["growth"], ["--yoy", "--year-col", "年份", "--value-col", "门诊人次"]),
        (["its", "fit"], ["--outcome", "门诊人次", "--time", "年份", "--interruption", "2016"]),
        (
            ["its", "lags"],
            ["--outcome", "门诊人次", "--time", "年份", "--interruption", "2016", "--max-lag", "2"],
        ),
    ],
)
def test_every_statistics_command_takes_encoding_as_data_import_does(tmp_path, head, options):
    if head == ["agreement"]:
        text = GBK_CODINGS
    else:
        values = [100 + 3 * i + 5 * (year >= 2016) for i, year in enumerate(range(2010, 2022))]
        text = "年份,门诊人次\n" + "".join(f"{2010 + i},{v}\n" for i, v in enumerate(values))
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("gb18030"))
    given = run(*head, path, *options, "--encoding", "gb18030", "--json")
    told = run(*head, path, *options, "--json")  # the same file told apart without it
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout) == json.loads(told.stdout)
    # a wrong encoding is refused as data import refuses it, naming the file
    wrong = run(*head, path, *options, "--encoding", "utf-8")
    assert wrong.exit_code == 2
    assert "t.csv: cannot decode as 'utf-8'" in flat(wrong.output)


def test_encoding_is_refused_for_a_file_that_is_not_csv(tmp_path):
    book = Workbook()
    book.active.append(["year", "value"])
    book.active.append([2010, 1])
    book.save(tmp_path / "t.xlsx")
    result = run("growth", tmp_path / "t.xlsx", "--yoy", "--encoding", "gbk")
    assert result.exit_code == 2
    assert "--encoding 'gbk': only a CSV file is decoded" in flat(result.output)


# ------------------------------------------------------------------- hidden sheets


def test_a_hidden_sheet_is_left_out_with_a_note_and_read_when_named(tmp_path):
    book = Workbook()
    book.active.title = "2018"  # last year's figures, hidden
    for row in [["year", "value"], [2016, 1], [2017, 2], [2018, 4]]:
        book.active.append(row)
    book.active.sheet_state = "hidden"
    current = book.create_sheet("2019")
    for row in [["year", "value"], [2016, 100], [2017, 110], [2018, 121]]:
        current.append(row)
    book.save(tmp_path / "v.xlsx")
    result = run("growth", tmp_path / "v.xlsx", "--yoy", "--json")
    assert result.exit_code == 0, result.output
    assert [r["value"] for r in json.loads(result.stdout)["rows"]] == [100, 110, 121]
    assert "hidden sheet '2018' left out (give --sheet to read one)" in flat(result.stderr)
    named = run("growth", tmp_path / "v.xlsx", "--yoy", "--json", "--sheet", "2018")
    assert [r["value"] for r in json.loads(named.stdout)["rows"]] == [1, 2, 4]
    assert "sheet '2018' is hidden in the workbook" in flat(named.stderr)
