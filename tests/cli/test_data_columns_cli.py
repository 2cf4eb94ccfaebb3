"""``ihms data import|check --columns MAP`` (and ``--rename``): a county HIS export with
its own Chinese headers, GBK-encoded, imported through a map given once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()

SYSTEM = ["--system", "examples/youxi.yaml", "--start", "2016", "--end", "2019"]

#: Two residents' visits as the HIS writes them (GBK, its own headers, 门诊/住院).
HIS = (
    "就诊流水号,患者ID,机构编码,就诊日期,就诊类型,总费用,统筹支付,个人自付,住院天数\n"
    "E1,A,YX-CH01,2016-02-01,门诊,1.00,0.50,0.50,\n"
    "E2,B,YX-CH01,2016-03-01,住院,900.00,500.00,400.00,3\n"
)

MAP = """encounters:
  就诊流水号: encounter_id
  患者ID: resident_id
  机构编码: institution_id
  就诊日期: date
  就诊类型: type
  总费用: total_cost_yuan
  统筹支付: insurance_paid_yuan
  个人自付: out_of_pocket_yuan
  住院天数: length_of_stay_days
"""


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def his(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "cli-test-key-0123456789")
    folder = tmp_path / "his"
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes\n"
        "A,1950,F,G01,true,false,false,false\nB,1960,M,G02,true,false,false,false\n",
        encoding="utf-8",
    )
    (folder / "encounters.csv").write_bytes(HIS.encode("gbk"))
    (tmp_path / "his_map.yaml").write_text(MAP, encoding="utf-8")
    return folder


def _import(folder: Path, *extra: str):
    store = folder.parent / "ihms.duckdb"
    return store, runner.invoke(
        app, ["data", "import", str(folder), "--store", str(store), *SYSTEM, *extra]
    )


def test_without_a_map_the_his_export_is_refused_pointing_to_columns(his):
    store, result = _import(his)
    assert result.exit_code == 2, result.output
    assert "map them once with --columns MAP.yaml (encounters: {就诊流水号: ...}" in flat(
        result.output
    )
    assert not store.exists()


def test_a_his_export_imports_through_its_map_and_the_store_records_it(his):
    map_path = his.parent / "his_map.yaml"
    store, result = _import(his, "--columns", str(map_path))
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    digest = (
        "sha256:"
        + hashlib.sha256(
            json.dumps(
                {"encounters": dict(line.strip().split(": ") for line in MAP.splitlines()[1:])},
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
            ).encode("utf-8")
        ).hexdigest()
    )
    assert (
        "note: encounters.csv: 9 columns renamed by his_map.yaml: 就诊流水号 → encounter_id" in out
    )
    assert f"Column map: his_map.yaml {digest}" in out
    with Store(store, read_only=True) as s:
        assert s.info().column_map == f"his_map.yaml {digest}"
        enc = s.to_pandas("encounters").sort_values("date")
    assert list(enc["total_cost_fen"]) == [100, 90_000]
    assert list(enc["type"]) == ["outpatient", "inpatient"]
    # --json says the same, for a script
    again = runner.invoke(
        app,
        ["data", "import", str(his), "--store", str(store), *SYSTEM, "--replace", "--json",
         "--columns", str(map_path)],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["column_map"] == f"his_map.yaml {digest}"
    # a later import into the same store is refused naming what it holds, the map too
    refused = runner.invoke(app, ["data", "import", str(his), "--store", str(store), *SYSTEM])
    assert refused.exit_code == 2
    assert f"; encounters read through column map his_map.yaml {digest}; pass --replace" in (
        flat(refused.output)
    )


def test_check_takes_the_map_and_a_one_off_rename_overrides_it(his):
    map_path = his.parent / "his_map.yaml"
    text = HIS.replace("就诊日期", "门诊日期")  # this month's export renamed one header
    (his / "encounters.csv").write_bytes(text.encode("gbk"))
    check = ["data", "check", str(his), *SYSTEM, "--columns", str(map_path)]
    refused = runner.invoke(app, check)
    assert refused.exit_code == 2
    assert "his_map.yaml line 5: encounters.就诊日期: encounters.csv has no such column" in flat(
        refused.output
    )
    passed = runner.invoke(app, [*check, "--rename", "encounters.门诊日期=date", "--json"])
    assert passed.exit_code == 0, passed.output
    checked = json.loads(passed.output)
    assert checked["column_map"].startswith("his_map.yaml + --rename sha256:")
    notes = checked["notes"]
    assert any("renamed by his_map.yaml + --rename" in n and "门诊日期 → date" in n for n in notes)


def test_a_bad_map_is_refused_before_the_tables_are_read_and_nothing_is_written(his):
    bad = his.parent / "bad.yaml"
    bad.write_text(MAP.replace("就诊日期: date", "就诊日期: visit_date"), encoding="utf-8")
    store, result = _import(his, "--columns", str(bad))
    assert result.exit_code == 2
    out = flat(result.output)
    assert f"{bad}: 1 problem(s) in the column map (no table was read)" in out
    assert "bad.yaml line 5: encounters.就诊日期 → 'visit_date': no column of table" in out
    assert not store.exists()
    store, result = _import(his, "--rename", "encounters.就诊日期")
    assert result.exit_code == 2
    assert "expected TABLE.SOURCE=TARGET" in flat(result.output)
