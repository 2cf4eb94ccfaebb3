"""A column map (``ihms data import --columns``): a hospital information system's own
column names read as the schema's, checked before anything is read or written, and the
map used recorded with the data (its digest)."""

from __future__ import annotations

import hashlib
import json

import pytest

from ihms.data import Period, Store, dataset_notes, import_folder, read_tables
from ihms.data.column_map import read_column_map
from ihms.errors import ConfigError, DataError, InputError

WHOLE = Period.parse("2016", "2019")

#: The encounters of tests/data/conftest.py as a county HIS exports them: its own
#: headers, GBK-encoded (a Chinese Windows Excel's "CSV" save).
HIS_ENCOUNTERS = """就诊流水号,患者ID,机构编码,就诊日期,就诊类型,诊断编码,总费用,统筹支付,个人自付,住院天数,备注
V0001,350426195001011234,YX-CH01,2016-03-01,门诊,J06,120.50,60.25,60.25,,
V0002,350426195001011234,YX-THC01,2016-04-01,preventive,,15,0,15,,体检
V0003,350426196002022345,FJ-PH,2017-06-10,住院,I63,12000.00,6000.00,6000.00,9,
V0004,350426198503033456,YX-THC02,2018-01-05,门诊,J02,35.8,20,15.8,,
"""

MAP_YAML = """# Youxi county hospital HIS, encounters export
encounters:
  就诊流水号: encounter_id
  患者ID: resident_id
  机构编码: institution_id
  就诊日期: date
  就诊类型: type
  诊断编码: diagnosis_group
  总费用: total_cost_yuan
  统筹支付: insurance_paid_yuan
  个人自付: out_of_pocket_yuan
  住院天数: length_of_stay_days
"""

#: The map as a table: what the digest is taken of (canonical JSON, keys sorted).
MAP_CONTENT = {
    "encounters": {
        "就诊流水号": "encounter_id",
        "患者ID": "resident_id",
        "机构编码": "institution_id",
        "就诊日期": "date",
        "就诊类型": "type",
        "诊断编码": "diagnosis_group",
        "总费用": "total_cost_yuan",
        "统筹支付": "insurance_paid_yuan",
        "个人自付": "out_of_pocket_yuan",
        "住院天数": "length_of_stay_days",
    }
}


def _digest(content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def his_folder(csv_folder):
    # the 备注 (remarks) column is dropped from the file: a column the map does not name
    # stays an unknown column, as without a map
    text = "\n".join(line.rsplit(",", 1)[0] for line in HIS_ENCOUNTERS.splitlines()) + "\n"
    (csv_folder / "encounters.csv").write_bytes(text.encode("gbk"))
    return csv_folder


@pytest.fixture
def map_yaml(tmp_path):
    path = tmp_path / "his_map.yaml"
    path.write_text(MAP_YAML, encoding="utf-8")
    return path


def test_a_his_export_is_read_through_its_map_with_notes_and_the_maps_digest(
    his_folder, youxi, map_yaml
):
    columns = read_column_map(map_yaml)
    dataset = read_tables(his_folder, system=youxi, period=WHOLE, columns=columns)
    enc = dataset.to_pandas("encounters").set_index("encounter_id")
    assert enc.loc["V0003", "total_cost_fen"] == 1_200_000  # 12000.00 yuan
    assert enc.loc["V0003", "type"] == "inpatient"  # 住院 read as its code
    assert enc.loc["V0003", "length_of_stay_days"] == 9
    assert str(enc.loc["V0004", "date"])[:10] == "2018-01-05"
    assert columns.digest == _digest(MAP_CONTENT)
    assert dataset.column_map == f"his_map.yaml {_digest(MAP_CONTENT)}"
    notes = dataset_notes(dataset)
    assert (
        "encounters.csv: 10 columns renamed by his_map.yaml: 就诊流水号 → encounter_id, "
        "患者ID → resident_id, 机构编码 → institution_id, 就诊日期 → date, 就诊类型 → type, "
        "诊断编码 → diagnosis_group, 总费用 → total_cost_yuan, 统筹支付 → "
        "insurance_paid_yuan, 个人自付 → out_of_pocket_yuan, 住院天数 → length_of_stay_days"
    ) in notes


def test_the_same_map_as_a_csv_has_the_same_digest(tmp_path, map_yaml):
    csv = tmp_path / "his_map.csv"
    rows = ["table,source,target"] + [
        f"encounters,{s},{t}" for s, t in MAP_CONTENT["encounters"].items()
    ]
    csv.write_bytes(("\n".join(rows) + "\n").encode("gbk"))  # saved by Excel
    two = tmp_path / "his_map2.csv"
    rows = ["source,target"] + [f"encounters.{s},{t}" for s, t in MAP_CONTENT["encounters"].items()]
    two.write_text("\n".join(rows) + "\n", encoding="utf-8")
    digest = read_column_map(map_yaml).digest
    assert read_column_map(csv).digest == digest
    assert read_column_map(two).digest == digest


def test_a_one_off_rename_joins_or_overrides_the_map(map_yaml):
    columns = read_column_map(map_yaml, renames=["encounters.就诊日期=date", "residents.性别=sex"])
    assert columns.renames["residents"] == {"性别": "sex"}
    assert columns.origin == "his_map.yaml + --rename"
    alone = read_column_map(None, renames=["encounters.门诊日期=date"])
    assert alone.renames == {"encounters": {"门诊日期": "date"}}
    assert alone.origin == "--rename"


def test_a_bad_map_is_refused_naming_each_entry_by_its_line(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text(
        "encounter:\n"  # line 1: no such table
        "  就诊日期: date\n"
        "encounters:\n"
        "  机构编码: institution\n"  # line 4: no such column
        "  总费用: total_cost\n"  # line 5: an amount without its unit
        "  就诊日期: date\n"  # lines 6 and 7: two sources to one target
        "  门诊日期: date\n"
        "  患者ID: resident_id\n"
        "  患者ID: resident_id\n",  # line 9: the same source twice
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        read_column_map(path)
    assert err.value.summary == f"{path}: 5 problem(s) in the column map (no table was read)"
    assert err.value.problems == [
        "map.yaml line 1: 'encounter' is no table of the schema — did you mean 'encounters'?",
        "map.yaml line 4: encounters.机构编码 → 'institution': no column of table "
        "'encounters' — did you mean 'institution_id'?",
        "map.yaml line 5: encounters.总费用 → 'total_cost': no column of table 'encounters' "
        "— 'total_cost' has no unit: give it in fen as 'total_cost_fen' or in yuan as "
        "'total_cost_yuan'",
        "map.yaml line 7: encounters.门诊日期 → 'date': line 6 maps 就诊日期 to 'date' "
        "already; one column of the file per column of the table",
        "map.yaml line 9: encounters.患者ID is mapped twice (line 8 too); keep one",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a\n- b\n", "map.yaml: expected tables mapping the file's columns"),
        ("encounters: [a, b]\n", "map.yaml line 1: encounters: expected the file's columns"),
        ("encounters:\n  就诊日期: 3\n", "map.yaml line 2: encounters.就诊日期: expected"),
    ],
)
def test_a_map_of_another_shape_is_refused(tmp_path, text, problem):
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_column_map(path)
    assert problem in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # a tab where YAML wants spaces (an editor's indent): the column and the hint
        (
            "encounters:\n\t就诊日期: date\n",
            "map.yaml line 2, column 1: not valid YAML: found character '\\t' that cannot "
            "start any token; YAML indents with spaces, not tabs",
        ),
        # a list left open: where YAML gave up, and where what it was reading began
        (
            "encounters:\n  就诊日期: date\n  总费用: [total_cost_yuan\n",
            "map.yaml line 4, column 1: not valid YAML: expected ',' or ']', but got "
            "'<stream end>' (while parsing a flow sequence that starts at line 3)",
        ),
    ],
)
def test_a_map_that_is_not_valid_yaml_names_line_and_column_as_the_other_yaml_files(
    tmp_path, text, message
):
    # the message the system, simulation and policy files give (system._messages.yaml_error)
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_column_map(path)
    assert str(err.value) == message


def test_a_csv_map_names_its_line(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("table,source,target\nencounters,就诊日期,dates\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_column_map(path)
    assert err.value.problems == [
        "map.csv line 2: encounters.就诊日期 → 'dates': no column of table 'encounters' "
        "— did you mean 'date'?"
    ]
    path.write_text("from,to\na,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"map\.csv: expected a header 'table,source,target'"):
        read_column_map(path)


@pytest.mark.parametrize("bad", ["encounters.就诊日期", "encounters=date", "就诊日期=date"])
def test_a_malformed_rename_is_refused(bad):
    with pytest.raises(InputError, match=r"--rename .*: expected TABLE\.SOURCE=TARGET"):
        read_column_map(None, renames=[bad])


def test_a_source_the_file_lacks_is_named_with_the_files_columns(his_folder, youxi, tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text(MAP_YAML.replace("就诊日期: date", "就诊时间: date"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_tables(his_folder, system=youxi, period=WHOLE, columns=read_column_map(path))
    assert err.value.problems == [
        # no guess: 就诊时间 is as near 就诊日期 as 就诊类型
        "map.yaml line 6: encounters.就诊时间: encounters.csv has no such column (its "
        "columns: 就诊流水号, 患者ID, 机构编码, 就诊日期, 就诊类型, 诊断编码, 总费用, "
        "统筹支付, 个人自付, 住院天数)"
    ]


def test_a_target_the_file_has_already_is_refused(his_folder, youxi):
    columns = read_column_map(None, renames=["residents.insured=sex"])
    with pytest.raises(DataError) as err:
        read_tables(his_folder, system=youxi, period=WHOLE, columns=columns)
    assert err.value.problems == [
        "--rename residents.insured=sex: residents.csv has a column 'sex' already; map "
        "one of them, not both to 'sex'"
    ]


def test_a_renamed_columns_bad_cell_is_named_by_the_files_header(his_folder, youxi, map_yaml):
    text = his_folder.joinpath("encounters.csv").read_bytes().decode("gbk")
    his_folder.joinpath("encounters.csv").write_bytes(
        text.replace("2018-01-05", "2018-13-05").encode("gbk")
    )
    with pytest.raises(DataError) as err:
        read_tables(his_folder, system=youxi, period=WHOLE, columns=read_column_map(map_yaml))
    assert any(
        p.startswith("column '就诊日期' of encounters.csv row 5:") for p in err.value.problems
    )


def test_without_a_map_the_refusal_points_to_columns(his_folder, youxi):
    with pytest.raises(DataError) as err:
        read_tables(his_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert "map them once with --columns MAP.yaml" in problem


def test_a_bad_map_leaves_the_store_untouched_and_a_good_one_is_recorded(
    his_folder, youxi, map_yaml, tmp_path
):
    store = tmp_path / "ihms.duckdb"
    key = "k" * 32
    from ihms.data import Pseudonymiser

    pseudo = Pseudonymiser(key.encode())
    bad = read_column_map(None, renames=["encounters.不存在=date"])
    with pytest.raises(DataError):
        import_folder(his_folder, store, pseudonymiser=pseudo, system=youxi, period=WHOLE,
                      columns=bad)  # fmt: skip
    assert not store.exists()
    import_folder(his_folder, store, pseudonymiser=pseudo, system=youxi, period=WHOLE,
                  columns=read_column_map(map_yaml))  # fmt: skip
    with Store(store, read_only=True) as s:
        assert s.info().column_map == f"his_map.yaml {_digest(MAP_CONTENT)}"
        assert s.dataset().column_map == s.info().column_map
        assert len(s.to_pandas("encounters")) == 4
        # what the store holds, in words (the refusal to overwrite it says so): which
        # map the import read which table through
        assert s.info().column_map_tables == ("encounters",)
        assert s.contents().endswith(
            f"; encounters read through column map his_map.yaml {_digest(MAP_CONTENT)}"
        )


def test_columns_mapped_to_nothing_are_left_out_with_a_note(csv_folder, youxi, tmp_path):
    # a HIS export carries columns the schema has no place for (备注, 科室); before, the
    # analyst deleted them in Excel each month: the map leaves them out (Stata's drop)
    (csv_folder / "encounters.csv").write_bytes(HIS_ENCOUNTERS.encode("gbk"))
    path = tmp_path / "his_map.yaml"
    path.write_text(MAP_YAML + "  备注: ~\n  科室:\n", encoding="utf-8")
    columns = read_column_map(path)
    assert columns.renames["encounters"]["备注"] is None
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE, columns=columns)
    assert len(dataset.to_pandas("encounters")) == 4
    # 科室 is not in this month's file: nothing to leave out, no problem
    assert "encounters.csv: 1 column left out by his_map.yaml: 备注" in dataset_notes(dataset)
    csv = tmp_path / "drop.csv"
    csv.write_text("table,source,target\nencounters,备注,\n", encoding="utf-8")
    assert read_column_map(csv).renames == {"encounters": {"备注": None}}
    once = read_column_map(None, renames=["encounters.备注="])
    assert once.renames == {"encounters": {"备注": None}}
    assert once.digest != read_column_map(None, renames=["encounters.备注=date"]).digest


def test_synthea_output_takes_no_map():
    columns = read_column_map(None, renames=["encounters.X=date"])
    with pytest.raises(InputError, match=r"a column map .* is for a folder of tables"):
        read_tables("tests/data/synthea", period=WHOLE, columns=columns)


def test_an_export_keeps_the_map_its_data_were_read_through(his_folder, youxi, map_yaml, tmp_path):
    from ihms.data import Pseudonymiser

    store = tmp_path / "ihms.duckdb"
    import_folder(his_folder, store, pseudonymiser=Pseudonymiser(b"k" * 32), system=youxi,
                  period=WHOLE, columns=read_column_map(map_yaml))  # fmt: skip
    out = tmp_path / "shared"
    with Store(store, read_only=True) as s:
        s.export(out)
    record = f"his_map.yaml {_digest(MAP_CONTENT)}"
    assert json.loads((out / "dataset.json").read_text(encoding="utf-8"))["column_map"] == record
    # the exported tables carry the schema's names: read back with no map, and the
    # record of the map they were first read through kept
    again = read_tables(out)
    assert again.column_map == record
    # and which of its tables were read through it, for the store the export goes into
    assert again.column_map_tables == ("encounters",)
    with Store(tmp_path / "again.duckdb") as s:
        s.write(again)
        assert s.contents().endswith(f"; encounters read through column map {record}")


def test_a_column_the_map_leaves_unnamed_is_refused_saying_how_to_map_it(
    csv_folder, youxi, map_yaml
):
    (csv_folder / "encounters.csv").write_bytes(HIS_ENCOUNTERS.encode("gbk"))  # with 备注
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE, columns=read_column_map(map_yaml))
    assert err.value.problems == [
        "encounters.csv: unknown column '备注'; map it in his_map.yaml to a column of table "
        "'encounters', or to ~ to leave it out"
    ]
    once = read_column_map(
        None, renames=[f"encounters.{s}={t}" for s, t in MAP_CONTENT["encounters"].items()]
    )
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE, columns=once)
    assert err.value.problems == [
        "encounters.csv: unknown column '备注'; map it with --rename encounters.备注=TARGET, "
        "or leave it out with --rename encounters.备注="
    ]


def test_a_stata_files_labelled_codes_are_read_under_the_maps_names(csv_folder, youxi, tmp_path):
    # a follow-up extract from the public-health system as a .dta: its own names, the
    # condition a labelled code (1 高血压, 2 糖尿病) as the package keeps it; the labels
    # are read for a column the map makes a closed vocabulary's, as for the schema's names
    import pandas as pd
    import pyreadstat

    frame = pd.read_csv(csv_folder / "followups.csv", dtype=str, keep_default_na=False)
    (csv_folder / "followups.csv").unlink()
    frame = frame[["followup_id", "resident_id", "institution_id", "date", "condition"]]
    frame.columns = ["随访编号", "患者ID", "机构编码", "随访日期", "病种"]
    frame["随访日期"] = pd.to_datetime(frame["随访日期"])
    frame["病种"] = frame["病种"].map({"hypertension": 1, "diabetes": 2}).astype(float)
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "followups.dta"),
        version=15,
        variable_value_labels={"病种": {1: "高血压", 2: "糖尿病"}},
    )
    path = tmp_path / "ph_map.yaml"
    path.write_text(
        "followups:\n  随访编号: followup_id\n  患者ID: resident_id\n  机构编码: "
        "institution_id\n  随访日期: date\n  病种: condition\n",
        encoding="utf-8",
    )
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE, columns=read_column_map(path))
    followups = dataset.to_pandas("followups").set_index("followup_id")
    assert followups.loc["F1", "condition"] == "hypertension"
    assert followups.loc["F2", "condition"] == "diabetes"


def test_an_entry_for_a_column_the_file_names_as_the_schema_does_says_so(csv_folder, youxi):
    columns = read_column_map(None, renames=["residents.患者ID=resident_id", "residents.性别=sex"])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE, columns=columns)
    assert err.value.problems == [
        "--rename residents.患者ID=resident_id: residents.患者ID: residents.csv has no such "
        "column; it has 'resident_id' itself (take the entry out of the map)",
        "--rename residents.性别=sex: residents.性别: residents.csv has no such column; it "
        "has 'sex' itself (take the entry out of the map)",
    ]


def test_the_digest_is_of_the_entries_not_their_order_or_comments(tmp_path, map_yaml):
    lines = MAP_YAML.splitlines()
    shuffled = tmp_path / "other.yaml"
    shuffled.write_text(
        "\n".join([lines[1], *reversed(lines[2:])]) + "  # kept monthly\n", encoding="utf-8"
    )
    assert read_column_map(shuffled).digest == read_column_map(map_yaml).digest
    changed = tmp_path / "changed.yaml"
    changed.write_text(MAP_YAML.replace("total_cost_yuan", "total_cost_fen"), encoding="utf-8")
    assert read_column_map(changed).digest != read_column_map(map_yaml).digest


#: What the data import says of the group row above the header, in a workbook or its CSV.
_GROUPED = (
    "rows 2 and 3 are a header over two rows (merged cells?): row 2 (就诊信息, 费用（元）) "
    "groups the columns row 3 names (就诊流水号, 患者ID, 机构编码, 就诊日期, 就诊类型, "
    "诊断编码, 总费用, 统筹支付, 个人自付, 住院天数); row 3 names every column: delete row 2 "
    "so that row 3 is the header"
)


def _grouped_book(folder, *, group: bool = True) -> None:
    """HIS_ENCOUNTERS as a county's workbook lays it out (session-19 review, F6): a
    merged title in row 1 (the 备注 column left out, as ``his_folder`` does), then (``group``) row 2 grouping the columns over merged cells
    (就诊信息 over A-F, 费用（元） over G-I), then the header the map names."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "门诊"
    lines = [line.rsplit(",", 1)[0].split(",") for line in HIS_ENCOUNTERS.splitlines()]
    sheet.append(["尤溪县医共体就诊明细（2016-2018）"])
    sheet.merge_cells("A1:J1")
    if group:
        sheet.append(["就诊信息", *[None] * 5, "费用（元）"])
        sheet.merge_cells("A2:F2")
        sheet.merge_cells("G2:I2")
    for line in lines:
        sheet.append([cell or None for cell in line])
    (folder / "encounters.csv").unlink(missing_ok=True)
    book.save(folder / "encounters.xlsx")


def test_a_header_over_two_rows_is_named_with_its_sheet_and_rows(csv_folder, youxi, map_yaml):
    # the group row was taken for the header and the map's ten names were refused, each
    # listing pandas' made-up names (its columns: 就诊信息, Unnamed: 1, ...)
    _grouped_book(csv_folder)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE, columns=read_column_map(map_yaml))
    assert err.value.problems == [f"encounters.xlsx (sheet '门诊'): {_GROUPED}"]
    assert "Unnamed" not in " ".join(err.value.problems)
    # the same workbook without the group row reads (its title row skipped)
    _grouped_book(csv_folder, group=False)
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE, columns=read_column_map(map_yaml))
    assert dataset.row_counts()["encounters"] == 4


def test_header_cells_left_empty_are_not_listed_by_a_made_up_name(his_folder, youxi, map_yaml):
    # a header with empty cells and records below (no group row): the map's missing
    # name listed the file's columns with pandas' "Unnamed: 2"
    text = (his_folder / "encounters.csv").read_bytes().decode("gbk")
    text = text.replace("机构编码,就诊日期", ",就诊日期", 1)
    (his_folder / "encounters.csv").write_bytes(text.encode("gbk"))
    with pytest.raises(DataError) as err:
        read_tables(his_folder, system=youxi, period=WHOLE, columns=read_column_map(map_yaml))
    assert err.value.problems == [
        "his_map.yaml line 5: encounters.机构编码: encounters.csv has no such column (its "
        "columns: 就诊流水号, 患者ID, 就诊日期, 就诊类型, 诊断编码, 总费用, 统筹支付, 个人自付, "
        "住院天数; column 3 has no name in the header: a header over two rows with merged "
        "cells?)"
    ]


def test_a_header_over_two_rows_in_a_csv_is_named_as_in_its_workbook(his_folder, youxi, map_yaml):
    # the workbook above saved as CSV: the merges are gone, the layout stays
    text = (his_folder / "encounters.csv").read_bytes().decode("gbk")
    above = "尤溪县医共体就诊明细" + "," * 9 + "\n" + "就诊信息" + "," * 6 + "费用（元）,,,\n"
    (his_folder / "encounters.csv").write_bytes((above + text).encode("gbk"))
    with pytest.raises(DataError) as err:
        read_tables(his_folder, system=youxi, period=WHOLE, columns=read_column_map(map_yaml))
    assert err.value.problems == [f"encounters.csv: {_GROUPED}"]
