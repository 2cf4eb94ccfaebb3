"""The staff_activities table (data schema 1.2): read, validated, pseudonymised, stored,
and absent from a store written under 1.1."""

from __future__ import annotations

import duckdb
import pytest

from ihms.data import Pseudonymiser, Store, import_folder, read_tables, schema_markdown
from ihms.data.schema import SCHEMAS
from ihms.errors import DataError

# Youxi (examples/youxi.yaml, period 2016-2019): YX-CH01 is the county hospital,
# YX-THC01/02 township health centres, YX-VC-G01-001 a village clinic, FJ-PH a provincial
# (tertiary) hospital outside the county.
GOOD = """staff_id,institution_id,date,activity,host_institution_id
DR-CH01-A,YX-CH01,2016-03-01,健康教育,
DR-CH01-A,YX-CH01,2016-03-08,下乡坐诊,YX-THC01
DR-CH01-A,YX-CH01,2016-03-09,thc_consultation_day,YX-VC-G01-001
DR-THC01-A,YX-THC01,2017-05-02,health_education_session,YX-THC01
"""


def _write(folder, text: str) -> None:
    (folder / "staff_activities.csv").write_text(text, encoding="utf-8")


def test_the_table_reads_with_chinese_activity_names(csv_folder, youxi):
    _write(csv_folder, GOOD)
    dataset = read_tables(csv_folder, system=youxi)
    acts = dataset.to_pandas("staff_activities")
    assert list(acts["activity"]) == [
        "health_education_session",
        "thc_consultation_day",
        "thc_consultation_day",
        "health_education_session",
    ]
    notes = {(t.table, t.column): t for t in dataset.translations}
    note = notes["staff_activities", "activity"]
    assert note.count == 2
    assert set(note.pairs) == {
        ("健康教育", "health_education_session"),
        ("下乡坐诊", "thc_consultation_day"),
    }


def test_a_folder_without_the_table_reads_with_it_empty(csv_folder, youxi):
    dataset = read_tables(csv_folder, system=youxi)
    assert dataset.table("staff_activities").num_rows == 0


def test_every_bad_row_is_named_with_file_row_and_column(csv_folder, youxi):
    _write(
        csv_folder,
        "staff_id,institution_id,date,activity,host_institution_id\n"
        "S1,YX-CH99,2016-03-01,health_education_session,\n"  # row 2: unknown institution
        "S1,YX-CH01,2020-01-02,health_education_session,\n"  # row 3: after the period
        "S1,YX-CH01,2016-04-01,thc_consultation_day,FJ-PH\n"  # row 4: host a hospital
        "S1,YX-CH01,2016-04-02,thc_consultation_day,\n"  # row 5: no host
        "S2,YX-THC01,2016-04-02,thc_consultation_day,YX-THC01\n"  # row 6: own THC
        "S1,YX-CH01,2016-04-03,thc_consultation_day,YX-THC02\n"  # row 7
        "S1,YX-CH01,2016-04-03,thc_consultation_day,YX-THC02\n"  # row 8: repeats row 7
        "S1,YX-CH01,2016-04-04,lecture,\n",  # row 9: not an activity
    )
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    problems = err.value.problems
    text = "\n".join(problems)
    assert (
        "column 'institution_id' of staff_activities.csv row 2: unknown institution "
        "'YX-CH99' (not in institutions)" in text
    )
    assert (
        "column 'date' of staff_activities.csv row 3: date 2020-01-02 is outside the period" in text
    )
    assert (
        "column 'host_institution_id' of staff_activities.csv row 4: host 'FJ-PH' is a "
        "tertiary institution; a consultation day is at a primary-care institution" in text
    )
    assert (
        "column 'host_institution_id' of staff_activities.csv row 5: a thc_consultation_day "
        "needs the primary-care institution it was at" in text
    )
    assert (
        "column 'host_institution_id' of staff_activities.csv row 6: host 'YX-THC01' is the "
        "staff member's own institution" in text
    )
    assert (
        "staff_activities.csv row 8: duplicate key (staff_id, date, activity, "
        "host_institution_id) = ('S1', '2016-04-03', 'thc_consultation_day', 'YX-THC02'), "
        "first given in row 7" in text
    )
    assert "column 'activity' of staff_activities.csv row 9: expected one of " in text
    assert "'health_education_session', 'thc_consultation_day'" in text
    assert len(problems) == 7


def test_import_pseudonymises_staff_ids_and_stores_the_rows(csv_folder, youxi, key_file, tmp_path):
    _write(csv_folder, GOOD)
    p = Pseudonymiser.from_env(key_file=key_file)
    path = tmp_path / "ihms.duckdb"
    import_folder(csv_folder, path, pseudonymiser=p, system=youxi)
    with Store(path, read_only=True) as store:
        acts = store.to_pandas("staff_activities")
        assert store.info().row_counts["staff_activities"] == 4
    assert "DR-CH01-A" not in set(acts["staff_id"])
    assert sorted(set(acts["staff_id"])) == sorted(
        {p.pseudonym("DR-CH01-A", kind="staff"), p.pseudonym("DR-THC01-A", kind="staff")}
    )
    assert all(s.startswith("s") for s in acts["staff_id"])


def test_a_store_written_under_schema_1_1_reads_the_table_empty(csv_folder, youxi, tmp_path):
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        store.write(read_tables(csv_folder, system=youxi))
    con = duckdb.connect(str(path))  # what ihms 1.1 wrote: no staff_activities table
    con.execute("DROP TABLE staff_activities")
    con.execute("UPDATE _ihms_meta SET value = '1.1' WHERE key = 'schema_version'")
    con.close()
    names = list(SCHEMAS["staff_activities"].column_names)
    with Store(path, read_only=True) as store:
        assert store.absent_tables() == ("staff_activities",)
        assert store.info().row_counts["staff_activities"] == 0
        frame = store.to_pandas("staff_activities")
        assert list(frame.columns) == names and frame.empty
        table = store.table("staff_activities")
        assert list(table.columns) == names
        assert table.schema()["date"].is_date()
        # it joins the stored tables on the store's own connection
        inst = store.table("institutions")
        joined = table.join(inst, table.institution_id == inst.institution_id)
        assert joined.count().execute() == 0
        store.dataset().validate()


def test_the_data_dictionary_documents_the_table():
    text = schema_markdown()
    assert "## `staff_activities`" in text
    assert "| `host_institution_id` | string | no |" in text
