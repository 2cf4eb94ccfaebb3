from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def flat(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


SYNTHEA = Path("tests/data/synthea")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "cli-test-key-0123456789")
    return tmp_path


def test_import_synthea_then_export(env):
    store = env / "ihms.duckdb"
    result = runner.invoke(
        app,
        [
            "data",
            "import",
            str(SYNTHEA),
            "--store",
            str(store),
            "--start",
            "2018",
            "--end",
            "2019",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert rows["encounters"] == 13 and rows["residents"] == 6
    result = runner.invoke(
        app,
        [
            "data",
            "export",
            "--store",
            str(store),
            "--out",
            str(env / "out"),
            "--format",
            "csv",
            "--table",
            "residents",
        ],
    )
    assert result.exit_code == 0, result.output
    exported = pd.read_csv(env / "out" / "residents.csv")
    raw = set(pd.read_csv(SYNTHEA / "patients.csv")["Id"])
    assert not raw & set(exported["resident_id"])


def test_an_exported_folder_imports_back_with_its_ids_and_period(env, monkeypatch):
    from ihms.data import Store

    store = env / "ihms.duckdb"
    args = ["data", "import", str(SYNTHEA), "--store", str(store), "--start", "2018"]
    assert runner.invoke(app, [*args, "--end", "2019"]).exit_code == 0
    shared = env / "shared"
    result = runner.invoke(app, ["data", "export", "--store", str(store), "--out", str(shared)])
    assert result.exit_code == 0, result.output
    meta = json.loads((shared / "dataset.json").read_text(encoding="utf-8"))
    assert meta["id_scheme"] == "pseudonymised" and meta["period"]["start"] == "2018-01-01"
    # the receiving analyst has no key, gives no period: the folder says both
    monkeypatch.delenv("IHMS_PSEUDONYM_KEY")
    # check said "ids raw" of the export, whose ids an import keeps pseudonymised
    result = runner.invoke(app, ["data", "check", str(shared)])
    assert result.exit_code == 0, result.output
    assert "ids pseudonymised (an ihms export" in flat(result.output)
    assert "ids raw" not in flat(result.output)
    copy = env / "copy.duckdb"
    result = runner.invoke(app, ["data", "import", str(shared), "--store", str(copy)])
    assert result.exit_code == 0, result.output
    with Store(store, read_only=True) as a, Store(copy, read_only=True) as b:
        assert b.info().id_scheme == "pseudonymised"
        assert b.info().key_fingerprint == a.info().key_fingerprint
        assert b.info().period == a.info().period
        for name in ("residents", "encounters"):
            pd.testing.assert_frame_equal(a.to_pandas(name), b.to_pandas(name))


def test_import_without_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("IHMS_PSEUDONYM_KEY", raising=False)
    result = runner.invoke(
        app, ["data", "import", str(SYNTHEA), "--store", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 2
    assert "no pseudonymisation key" in flat(result.output)
    assert not (tmp_path / "s.duckdb").exists()


def test_check_lists_problems_and_writes_nothing(env):
    folder = env / "csv"
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes\nA,1950,F,G01,true,false,false,false\n",
        encoding="utf-8",
    )
    (folder / "encounters.csv").write_text(
        "encounter_id,resident_id,institution_id,date,type,total_cost_fen,insurance_paid_fen,out_of_pocket_fen\n"
        "E1,A,YX-CH01,2016-02-01,outpatient,-100,0,0\n"
        "E2,A,NOWHERE,2016-02-01,outpatient,100,200,0\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["data", "check", str(folder), "--system", "examples/youxi.yaml"])
    assert result.exit_code == 2
    assert "encounters.csv row 2" in flat(
        result.output
    ) and "expected an amount ≥ 0 fen, got -100 fen" in flat(result.output)
    assert "unknown institution 'NOWHERE'" in flat(result.output)
    assert "insurance paid 200 fen exceeds the total cost 100 fen" in flat(result.output)
    store = env / "ihms.duckdb"
    result = runner.invoke(
        app,
        ["data", "import", str(folder), "--system", "examples/youxi.yaml", "--store", str(store)],
    )
    assert result.exit_code == 2
    assert not store.exists()


def test_schema_outputs():
    result = runner.invoke(app, ["data", "schema", "--json"])
    schema = json.loads(result.output)
    cols = {c["name"]: c for c in schema["tables"]["encounters"]["columns"]}
    assert cols["total_cost_fen"]["unit"] == "fen" and cols["total_cost_fen"]["type"] == "int64"
    result = runner.invoke(app, ["data", "schema", "--markdown"])
    assert "## `claims`" in flat(result.output)


def test_import_then_compute_gives_the_catalogue(env):
    store = env / "ihms.duckdb"
    result = runner.invoke(
        app,
        ["data", "import", str(SYNTHEA), "--store", str(store), "--start", "2018", "--end", "2019"],
    )
    assert result.exit_code == 0, result.output
    out = env / "catalogue.csv"
    result = runner.invoke(
        app, ["indicators", "compute", "--store", str(store), "--level", "total", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    # every indicator the sample has data for (no beds or follow-ups in Synthea's files)
    assert {"hospitalization_rate", "cost_per_outpatient_visit", "thc_gp_specialist_ratio"} <= set(
        frame["indicator"]
    )
    # 2018 outpatient outside the county: 2 of 4 visits (tests/data/test_synthea.py) —
    # both counts below 5, so the exported cell is suppressed
    row = frame[
        (frame["indicator"] == "outpatient_outside_county_share") & (frame["period"] == 2018)
    ].iloc[0]
    assert row["suppressed"] and pd.isna(row["value"])


def test_check_reads_a_big5_export_with_encoding(env):
    # Taiwanese and Hong Kong systems export Big5; GB18030 would accept the bytes as
    # other characters, so the encoding is given.
    folder = env / "big5"
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes\n"
        "A,1950,F,G01,true,false,false,false\n",
        encoding="utf-8",
    )
    (folder / "encounters.csv").write_bytes(
        "encounter_id,resident_id,institution_id,date,type,diagnosis_group,total_cost_fen,"
        "insurance_paid_fen,out_of_pocket_fen\n"
        "E1,A,YX-CH01,2016-02-01,outpatient,上呼吸道感染,100,50,50\n".encode("big5")
    )
    args = ["data", "check", str(folder), "--system", "examples/youxi.yaml", "--json"]
    result = runner.invoke(app, [*args, "--encoding", "big5"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"]["encounters"] == 1
    wrong = runner.invoke(app, [*args, "--encoding", "ascii"])
    assert wrong.exit_code == 2
    assert "encounters.csv: cannot decode as 'ascii'" in flat(wrong.output)


def _residents_and_encounters(folder: Path, ids: tuple[str, str] = ("A", "B")) -> Path:
    """A small CSV folder that passes `data check` against examples/youxi.yaml (with its
    two residents' ``ids`` left as A and B)."""
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes\n"
        f"{ids[0]},1950,F,G01,true,false,false,false\n"
        f"{ids[1]},1960,M,G02,true,false,false,false\n",
        encoding="utf-8",
    )
    (folder / "encounters.csv").write_text(
        "encounter_id,resident_id,institution_id,date,type,total_cost_fen,"
        "insurance_paid_fen,out_of_pocket_fen,length_of_stay_days\n"
        "E1,A,YX-CH01,2016-02-01,outpatient,100,50,50,\n"
        "E2,B,YX-CH01,2016-03-01,inpatient,90000,50000,40000,3\n",
        encoding="utf-8",
    )
    return folder


CHECK = ["data", "check", "--system", "examples/youxi.yaml", "--start", "2016", "--end", "2019"]


def test_a_repeated_resident_id_is_named_with_both_rows(env):
    folder = _residents_and_encounters(env / "dup")
    with (folder / "residents.csv").open("a", encoding="utf-8") as f:
        f.write("A,1950,F,G01,true,false,false,false\n")
    result = runner.invoke(app, [*CHECK, str(folder)])
    assert result.exit_code == 2, result.output
    assert (
        "column 'resident_id' of residents.csv row 4: duplicate key (resident_id) = ('A',), "
        "first given in row 2"
    ) in flat(result.output)
    store = env / "s.duckdb"
    result = runner.invoke(app, ["data", "import", str(folder), "--store", str(store), *CHECK[2:]])
    assert result.exit_code == 2 and not store.exists()


def test_a_residents_xls_is_refused_not_skipped(env):
    folder = _residents_and_encounters(env / "xls")
    (folder / "residents.csv").rename(folder / "residents.xls")  # Excel 97-2003
    store = env / "s.duckdb"
    result = runner.invoke(app, ["data", "import", str(folder), "--store", str(store), *CHECK[2:]])
    assert result.exit_code == 2, result.output
    assert (
        "residents.xls: table 'residents' must be a .csv, .parquet, .xlsx, .dta or .sav file"
        in flat(result.output)
    )
    assert not store.exists()


def test_a_residents_xlsx_is_imported_as_its_csv(env):
    folder = _residents_and_encounters(env / "xlsx")
    pd.read_csv(folder / "residents.csv", dtype=str, keep_default_na=False).to_excel(
        folder / "residents.xlsx", index=False
    )
    (folder / "residents.csv").unlink()
    result = runner.invoke(app, ["data", "check", str(folder), *CHECK[2:]])
    assert result.exit_code == 0, result.output


def test_import_creates_the_store_folder_and_refuses_a_sqlite_store(env):
    import sqlite3

    folder = _residents_and_encounters(env / "ok")
    store = env / "new" / "deeper" / "s.duckdb"
    result = runner.invoke(app, ["data", "import", str(folder), "--store", str(store), *CHECK[2:]])
    assert result.exit_code == 0, result.output
    assert store.is_file()
    sqlite = env / "coded.sqlite"
    with sqlite3.connect(sqlite) as con:
        con.execute("create table t (x)")
    con.close()
    for args in (
        ["data", "import", str(folder), "--store", str(sqlite), *CHECK[2:]],
        ["indicators", "compute", "--store", str(sqlite), "--out", str(env / "c.csv")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "is a SQLite database, not an ihms store" in flat(result.output)
        assert "sqlite_scanner" not in result.output


def test_import_into_a_store_holding_data_is_refused_unless_replace(env):
    store = env / "s.duckdb"
    window = ["--start", "2016", "--end", "2019"]
    full = _residents_and_encounters(env / "full")
    result = runner.invoke(
        app, ["data", "import", str(full), "--store", str(store), *CHECK[2:4], *window]
    )
    assert result.exit_code == 0, result.output
    # the reviewer's case: a second import with another window silently replaced the
    # first; now it is refused before the tables are read, naming what the store holds
    again = [
        "data", "import", str(SYNTHEA), "--store", str(store), "--start", "2018", "--end", "2019"
    ]  # fmt: skip
    result = runner.invoke(app, again)
    assert result.exit_code == 2, result.output
    said = flat(result.output)
    assert f"--store {store}: already holds a data set of 2 encounters and 2 residents" in said
    assert "for 2016-01-01 to 2019-12-31" in said
    assert "pass --replace to replace it" in said
    check = runner.invoke(app, ["data", "export", "--store", str(store), "--out", str(env / "x")])
    assert check.exit_code == 0, check.output
    assert len(pd.read_parquet(env / "x" / "encounters.parquet")) == 2
    result = runner.invoke(app, [*again, "--replace", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["rows"]["encounters"] == 13
    assert out["replaced"].startswith("a data set of 2 encounters and 2 residents")
    result = runner.invoke(app, [*again, "--replace"])
    assert result.exit_code == 0, result.output
    assert f"Replaced what {store} held before: a data set of 13 encounters" in flat(result.output)


def test_a_csv_file_given_as_the_store_is_named(env):
    table = env / "x.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    folder = _residents_and_encounters(env / "ok")
    for args in (
        ["indicators", "compute", "--store", str(table), "--out", str(env / "c.csv")],
        ["payment", "settle", "--store", str(table), "--year", "2018"],
        ["data", "import", str(folder), "--store", str(table), *CHECK[2:]],
        ["data", "export", "--store", str(table), "--out", str(env / "out")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        said = flat(result.output)
        assert f"{table} is not an ihms store (a DuckDB file written by `ihms data import`)" in (
            said
        ), args
        assert "Catalog Error" not in said
    assert table.read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_a_big5_export_is_read_as_big5_without_encoding(env):
    # The reviewer's file: 高血壓 in a mostly-ASCII Big5 encounters.csv was stored as
    # 蔼﹀溃 (GBK's reading) with exit code 0.
    folder = _residents_and_encounters(env / "big5")
    group = {i: "高血壓" if i % 5 == 0 else "I10" for i in range(1, 21)}
    rows = "".join(
        f"E{i},A,YX-CH01,2016-02-{i:02d},outpatient,{g},100,50,50\n" for i, g in group.items()
    )
    (folder / "encounters.csv").write_bytes(
        (
            "encounter_id,resident_id,institution_id,date,type,diagnosis_group,"
            "total_cost_fen,insurance_paid_fen,out_of_pocket_fen\n" + rows
        ).encode("big5")
    )
    store = env / "s.duckdb"
    result = runner.invoke(app, ["data", "import", str(folder), "--store", str(store), *CHECK[2:]])
    assert result.exit_code == 0, result.output
    from ihms.data import Store

    with Store(store, read_only=True) as s:
        groups = set(s.to_pandas("encounters")["diagnosis_group"])
    assert groups == {"高血壓", "I10"}


def _chinese_institutions(folder: Path, tier: str) -> None:
    """The youxi institutions as a county register writes them: YX-CH01's tier as
    ``tier``, every county hospital's affiliation as 县属."""
    from ihms.data import structural_tables
    from ihms.system import load_system

    inst = structural_tables(load_system("examples/youxi.yaml"))["institutions"].copy()
    inst.loc[inst["institution_id"] == "YX-CH01", "tier"] = tier
    inst.loc[inst["institution_id"].str.startswith("YX-CH"), "affiliation"] = "县属"
    inst.to_csv(folder / "institutions.csv", index=False)


def test_import_reads_chinese_names_as_codes_and_says_so(env):
    folder = _residents_and_encounters(env / "zh")
    _chinese_institutions(folder, "县医院")
    store = env / "ihms.duckdb"
    args = ["data", "import", str(folder), "--system", "examples/youxi.yaml"]
    result = runner.invoke(app, [*args, "--store", str(store), "--start", "2016", "--end", "2019"])
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert (
        "note: institutions.tier: 1 value written in Chinese or another spelling was read "
        "as its code (县医院 → secondary)." in out
    )
    # YX-CH01, YX-CH02 and YX-CH03 (the three county hospitals of examples/youxi.yaml)
    assert "institutions.affiliation: 3 values written in Chinese" in out
    from ihms.data import Store

    with Store(store, read_only=True) as s:
        inst = s.to_pandas("institutions").set_index("institution_id")
    assert inst.loc["YX-CH01", "tier"] == "secondary"
    assert set(inst["affiliation"]) <= {"county", "municipal", "provincial"}
    checked = runner.invoke(app, [*CHECK, str(folder), "--json"])
    assert checked.exit_code == 0, checked.output
    assert "institutions.tier: 1 value" in json.loads(checked.output)["notes"][0]


def test_a_misspelt_chinese_tier_exits_2_with_a_suggestion(env):
    folder = _residents_and_encounters(env / "typo")
    _chinese_institutions(folder, "县医")
    result = runner.invoke(app, [*CHECK, str(folder)])
    assert result.exit_code == 2
    out = flat(result.output)
    # YX-CH01 is the first data row: line 2 of institutions.csv
    assert "column 'tier' of institutions.csv row 2: expected one of 'tertiary'" in out
    assert "got '县医'; did you mean '县医院' (secondary)?" in out


def test_generate_stores_a_synthetic_county_and_keeps_what_a_store_holds(tmp_path):
    from ihms.data import Store
    from ihms.data.synthetic import synthetic_dataset
    from ihms.system import load_system

    store = tmp_path / "synth.duckdb"
    args = ["data", "generate", "--system", "examples/youxi.yaml", "--store", str(store)]
    result = runner.invoke(app, [*args, "--scale", "0.002", "--seed", "4", "--json"])
    assert result.exit_code == 0, result.output
    # the same data set the library makes from the same seed and scale
    expected = synthetic_dataset(load_system("examples/youxi.yaml"), seed=4, scale=0.002)
    assert json.loads(result.output)["rows"] == expected.row_counts()
    with Store(store, read_only=True) as s:
        assert s.info().id_scheme == "synthetic"
        assert len(s.to_pandas("residents")) == expected.row_counts()["residents"]
    # a store that holds a data set is refused without --replace, and left as it was
    again = runner.invoke(app, [*args, "--scale", "0.001"])
    assert again.exit_code == 2 and "--replace" in flat(again.output)
    with Store(store, read_only=True) as s:
        assert len(s.to_pandas("residents")) == expected.row_counts()["residents"]
    assert runner.invoke(app, [*args, "--scale", "0.001", "--replace"]).exit_code == 0
    half = runner.invoke(app, [*args, "--start", "2017"])
    assert half.exit_code == 2 and "--start and --end go together" in flat(half.output)


def test_check_json_reports_problems_as_json_on_stdout(env):
    # exit 2 with the problems on stdout, in the shape of a passing check's object
    folder = _residents_and_encounters(env / "bad")
    args = [*CHECK, str(folder), "--json"]
    passed = runner.invoke(app, args)
    assert passed.exit_code == 0, passed.output
    clean = json.loads(passed.stdout)
    assert clean["ok"] is True and clean["problems"] == [] and clean["error"] is None
    path = folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace(",100,50,50,", ",100,50,-50,"), "utf-8")
    failed = runner.invoke(app, args)
    assert failed.exit_code == 2
    got = json.loads(failed.stdout)
    assert set(got) == set(clean)
    assert got["ok"] is False and got["error"] == "1 problem(s) in the data set"
    assert got["problems"] == [
        "column 'out_of_pocket_fen' of encounters.csv row 2: expected an amount ≥ 0 fen, "
        "got -50 fen; a refund or reversal (退费, 冲销) is no record of its own: net it into "
        "the record it corrects"
    ]
    # the period checked for (--start/--end) is said though the check failed
    assert (got["period"], got["rows"], got["notes"]) == ("2016-01-01 to 2019-12-31", None, [])
    # a problem before any table is read (no residents) is reported the same way
    (folder / "residents.csv").unlink()
    failed = runner.invoke(app, args)
    assert failed.exit_code == 2
    got = json.loads(failed.stdout)
    assert got["ok"] is False and got["problems"] == [got["error"]]
    assert "no residents table" in got["error"]


def test_check_suggests_no_lookalike_id_but_names_a_same_id_and_a_vocabulary_code(env):
    # walk finding (session 11): an encounter of resident 'R0003' got "did you mean
    # 'R0001'?" — another person. Ids get a suggestion only when written differently
    # (case, width); closed vocabularies (type) keep their nearest code.
    folder = _residents_and_encounters(env / "ids", ("R0001", "R0002"))
    (folder / "encounters.csv").write_text(
        "encounter_id,resident_id,institution_id,date,type,total_cost_fen,"
        "insurance_paid_fen,out_of_pocket_fen,length_of_stay_days\n"
        "E1,R0003,YX-CH09,2016-02-01,outpatient,100,50,50,\n"
        "E2,r0002,ｙｘ-ｃｈ01,2016-03-01,outpatient,100,50,50,\n"
        "E3,R0001,YX-CH01,2016-03-01,outpatinet,100,50,50,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, [*CHECK, str(folder)])
    assert result.exit_code == 2, result.output
    out = flat(result.output)
    assert "unknown resident 'R0003' (not in residents)" in out
    assert "unknown institution 'YX-CH09' (not in institutions)" in out
    # one suggestion each: for r0002 and the full-width ｙｘ-ｃｈ01, none for R0003, YX-CH09
    assert out.count("did you mean 'R000") == 1 and "did you mean 'R0002'?" in out
    assert out.count("did you mean 'YX-CH0") == 1 and "did you mean 'YX-CH01'?" in out
    assert "got 'outpatinet' — did you mean 'outpatient'?" in out


def test_data_commands_take_the_shared_sheet_and_encoding_options():
    # data.py defined its own --sheet and --encoding, worded apart from the other commands'
    from ihms.cli import _common, data

    # (session 16: one wording per kind of command, a folder's tables or one file)
    assert data.FolderEncodingOpt is _common.FolderEncodingOpt
    assert data.FolderSheetOpt is _common.FolderSheetOpt
    for command in (["data", "import"], ["data", "check"], ["its", "fit"]):
        text = flat(runner.invoke(app, [*command, "--help"]).output.replace("│", " "))
        assert "needed when several sheets hold data" in text
        assert "GB18030 or Big5, told apart from each file's bytes" in text
        assert ("default: the sheet named after the table" in text) == (command[0] == "data")
