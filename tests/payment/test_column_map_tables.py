"""``ihms payment … --columns MAP``: a payment table with a health commission's own
headers (机构, 金额_元) read through a column map, as ``ihms data import --columns``
reads a HIS export; the map checked against the columns each payment table reads, and
a refused cell named by the file's own header."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import read_column_map
from ihms.errors import DataError
from ihms.payment import TABLE_COLUMNS, SpendingTable, StaffRoster

runner = CliRunner()
#: What the map renamed is a note (an IhmsWarning; the commands print it on stderr).
pytestmark = pytest.mark.filterwarnings("ignore::ihms.errors.IhmsWarning")
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"

#: The example spending table's columns as a county's spreadsheet heads them; the
#: insurance payments in yuan (金额_元), the rest as the example gives them.
CHINESE = {
    "year": "年度",
    "setting": "类别",
    "institution_id": "机构",
    "insurance_paid_fen": "金额_元",
    "total_cost_fen": "总费用_分",
    "out_of_pocket_fen": "自付_分",
    "encounters": "人次",
    "primary_care": "基层",
}

MAP = """spending:
  年度: year
  类别: setting
  机构: institution_id
  金额_元: insurance_paid_yuan
  总费用_分: total_cost_fen
  自付_分: out_of_pocket_fen
  人次: encounters
  基层: primary_care
"""


def _yuan(fen: str) -> str:
    return f"{Decimal(int(fen)).scaleb(-2):.2f}"


def _chinese_spending(folder: Path) -> Path:
    """examples/payment/spending.csv under CHINESE headers, 金额_元 in yuan, 基层 是/否."""
    with (EX / "spending.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    path = folder / "支出.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(CHINESE.values())
        for row in rows:
            row["insurance_paid_fen"] = _yuan(row["insurance_paid_fen"])
            row["primary_care"] = "是" if row["primary_care"] == "true" else "否"
            out.writerow(row[c] for c in CHINESE)
    return path


def _problems(reader, path: Path, map_text: str) -> list[str]:
    """The problems of reading ``path`` with ``reader`` through the map ``map_text``."""
    (path.parent / "map.yaml").write_text(map_text, encoding="utf-8")
    columns = read_column_map(path.parent / "map.yaml", tables=TABLE_COLUMNS)
    with pytest.raises(DataError) as err:
        reader.read(path, columns=columns)
    return err.value.problems


@pytest.fixture
def mapped(tmp_path) -> tuple[Path, Path]:
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    return _chinese_spending(tmp_path), tmp_path / "map.yaml"


def test_a_mapped_spending_table_reads_as_the_canonical_one(mapped):
    spending, map_file = mapped
    columns = read_column_map(map_file, tables=TABLE_COLUMNS)
    got = SpendingTable.read(spending, columns=columns)
    expected = SpendingTable.read(EX / "spending.csv")
    assert got.frame.equals(expected.frame)


def test_settle_with_columns_gives_the_canonical_settlement(mapped):
    spending, map_file = mapped
    common = ["payment", "settle", "--rules", "sanming", "--year", "2018", "--json"]
    common += ["--population", str(EX / "population.csv")]
    common += ["--indicators", str(EX / "indicators.csv"), "--staff", str(EX / "staff.csv")]
    canonical = runner.invoke(app, [*common, "--spending", str(EX / "spending.csv")])
    assert canonical.exit_code == 0, canonical.output
    through_map = runner.invoke(
        app, [*common, "--spending", str(spending), "--columns", str(map_file)]
    )
    assert through_map.exit_code == 0, through_map.output
    # the same settlement to the fen, and the same inputs (their digest too); only the
    # record of the map differs (test_column_map_record.py)
    got, expected = json.loads(through_map.stdout), json.loads(canonical.stdout)
    assert got.pop("column_map").startswith("map.yaml sha256:")
    assert expected.pop("column_map") is None
    assert got == expected
    assert "8 columns renamed by map.yaml: 年度 → year" in " ".join(through_map.stderr.split())


def test_a_refused_cell_is_named_by_the_files_header(mapped):
    spending, map_file = mapped
    text = spending.read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    cells[3] = "12.345"  # three decimals: no exact fen
    text[1] = ",".join(cells)
    spending.write_text("\n".join(text) + "\n", encoding="utf-8")
    columns = read_column_map(map_file, tables=TABLE_COLUMNS)
    with pytest.raises(DataError) as err:
        SpendingTable.read(spending, columns=columns)
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith(f"column '金额_元' of {spending} row 2: ")
    assert "insurance_paid" not in err.value.problems[0]


def test_a_missing_required_column_lists_the_files_headers(tmp_path):
    path = tmp_path / "支出.csv"
    path.write_text("年度,机构\n2018,CH01\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("spending: {年度: year}\n", encoding="utf-8")
    columns = read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS)
    with pytest.raises(DataError, match=r"\(has: 年度, 机构\)"):
        SpendingTable.read(path, columns=columns)


def test_the_map_is_checked_against_the_payment_tables_columns(tmp_path):
    (tmp_path / "map.yaml").write_text(
        "spending:\n  机构: institution\nencounters:\n  就诊日期: date\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS)
    assert err.value.problems == [
        "map.yaml line 2: spending.机构 → 'institution': no column of table 'spending' — "
        "did you mean 'institution_id'?",
        "map.yaml line 3: 'encounters' is no table of those read here (spending, population, "
        "indicators, staff)",
    ]


def test_a_map_source_the_file_lacks_is_named_with_the_files_columns(tmp_path):
    path = tmp_path / "人员.csv"
    path.write_text(
        "工号,岗位,机构,基本年薪_元\nD-CH01,director,CH01,380000.00\n", encoding="utf-8"
    )
    entries = "工号: staff_id, 职务: role, 机构: institution_id, 基本年薪_元: base_salary_yuan"
    assert _problems(StaffRoster, path, f"staff: {{{entries}}}\n") == [
        f"map.yaml line 1: staff.职务: {path} has no such column (its columns: 工号, 岗位, "
        "机构, 基本年薪_元)"
    ]


def test_supervision_reads_the_staff_roster_through_the_map(tmp_path):
    # no store needed to see the roster read: the map is applied before the store is opened
    path = tmp_path / "人员.csv"
    path.write_text("工号,岗位,机构,基本年薪_元\nD-CH01,director,CH01,38O000\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(
        "staff: {工号: staff_id, 岗位: role, 机构: institution_id, 基本年薪_元: base_salary_yuan}\n",
        encoding="utf-8",
    )
    store = ["--store", str(tmp_path / "none.duckdb"), "--year", "2018"]
    given = ["--staff", str(path), "--columns", str(tmp_path / "map.yaml")]
    result = runner.invoke(app, ["payment", "supervision", *store, *given])
    assert result.exit_code != 0
    assert f"column '基本年薪_元' of {path} row 2" in " ".join(result.output.split())


@pytest.mark.parametrize("table", ["spending", "population", "indicators", "staff"])
def test_table_columns_are_the_columns_each_table_reads(table, monkeypatch):
    # a map may target exactly the columns the table's reader asks for (a money column
    # in fen or in yuan): one it does not read would be mapped, then ignored
    from ihms._column_hints import yuan_name
    from ihms.payment import IndicatorValues, PopulationTable
    from ihms.payment._collector import Collector

    asked: list[set[str]] = []
    check = Collector.check_unread

    def spy(self, what):
        asked.append(set(self._asked))
        return check(self, what)

    monkeypatch.setattr(Collector, "check_unread", spy)
    reader = {
        "spending": SpendingTable,
        "population": PopulationTable,
        "indicators": IndicatorValues,
        "staff": StaffRoster,
    }[table]
    reader.read(EX / f"{table}.csv")
    columns = TABLE_COLUMNS[table]
    assert asked == [{*columns, *filter(None, map(yuan_name, columns))}]


def test_an_amount_given_twice_names_the_files_headers(tmp_path):
    # 金额_元 mapped to insurance_paid_yuan beside the file's own insurance_paid_fen:
    # which one is right cannot be told, and the file's names say which columns those are
    path = tmp_path / "支出.csv"
    path.write_text(
        "year,setting,institution_id,insurance_paid_fen,金额_元,自付,out_of_pocket\n"
        "2018,consortium,CH01,100,1.00,0.50,50\n",
        encoding="utf-8",
    )
    entries = "金额_元: insurance_paid_yuan, 自付: out_of_pocket_yuan"
    assert _problems(SpendingTable, path, f"spending: {{{entries}}}\n") == [
        f"{path}: columns 'insurance_paid_fen' and 'insurance_paid_yuan' both give the same "
        "amount; keep one ('insurance_paid_fen' in whole fen or 'insurance_paid_yuan' in "
        "yuan) — in the file 'insurance_paid_fen' and '金额_元'",
        f"{path}: columns 'out_of_pocket' and '自付' both give the same amount, "
        "'out_of_pocket' without its unit; keep one, with its unit ('out_of_pocket_fen' in "
        "whole fen or 'out_of_pocket_yuan' in yuan)",
    ]


def test_columns_without_a_table_file_is_refused(mapped, tmp_path):
    # a map renames the columns of table files; with only --store (read by the store's
    # own names) it did nothing, unsaid
    _, map_file = mapped
    args = ["payment", "settle", "--rules", "sanming", "--year", "2018"]
    args += ["--store", str(tmp_path / "nowhere.duckdb"), "--columns", str(map_file)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "--columns" in text and "--spending" in text and "no table file" in text
