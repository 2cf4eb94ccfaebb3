from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from ihms.data import SCHEMAS, Dataset, Store
from ihms.data.synthetic import synthetic_dataset
from ihms.errors import InputError


@pytest.fixture
def small(youxi):
    return synthetic_dataset(youxi, seed=3, scale=0.002)


def test_round_trip_keeps_every_value(small, tmp_path):
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(small)
        for name in ("residents", "encounters", "followups", "claims"):
            back = store.arrow(name)
            assert back.num_rows == small.table(name).num_rows
            assert back.to_pandas().equals(small.table(name).to_pandas()), name
        assert store.table("encounters").count().execute() == small.table("encounters").num_rows
        assert store.info().id_scheme == "synthetic"
        again = store.dataset()
        assert again.row_counts() == small.row_counts()


def test_write_is_all_or_nothing(small, tmp_path):
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        store.write(small)
        before = store.to_pandas("encounters")
    # A data set that breaks a NOT NULL constraint half-way through the write (it skips
    # validation, as a buggy caller might): the transaction must roll back.
    broken_tables = dict(small.tables)
    enc = small.table("encounters")
    broken_tables["encounters"] = enc.set_column(
        enc.schema.get_field_index("date"), "date", pa.nulls(enc.num_rows, type=pa.date32())
    )
    broken = Dataset(broken_tables, small.period)
    with Store(path) as store:
        with pytest.raises(duckdb.Error):
            store.write(broken, replace=True)
        assert store.to_pandas("encounters").equals(before)
        assert store.info().row_counts == small.row_counts()


def test_export_parquet_and_csv(small, tmp_path):
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(small)
        written = store.export(tmp_path / "out", format="csv", tables=["residents"])
        assert sorted(p.name for p in written) == ["dataset.json", "residents.csv"]
        meta = json.loads((tmp_path / "out" / "dataset.json").read_text())
        assert meta["id_scheme"] == "synthetic" and meta["tables"] == ["residents"]
        back = pd.read_csv(tmp_path / "out" / "residents.csv")
        assert len(back) == small.table("residents").num_rows
        store.export(tmp_path / "pq")
        assert {p.stem for p in (tmp_path / "pq").glob("*.parquet")} == set(SCHEMAS)
        with pytest.raises(InputError, match="no table 'resident'"):
            store.export(tmp_path / "x", tables=["resident"])


def test_a_programs_data_set_keeps_its_producer_through_the_store(small, tmp_path):
    # a simulator's store exported again must still say which columns it never
    # records, or `data check` of the export asks for figures no one will give
    from dataclasses import replace

    from ihms.data.io import read_tables

    made = replace(small, producer="ihms.sim", unrecorded={"resources": ("expense_fen",)})
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(made)
        info = store.info()
        assert (info.producer, dict(info.unrecorded)) == (
            "ihms.sim",
            {"resources": ("expense_fen",)},
        )
        assert store.dataset().producer == "ihms.sim"
        store.export(tmp_path / "out")
    meta = json.loads((tmp_path / "out" / "dataset.json").read_text())
    assert meta["producer"] == "ihms.sim" and meta["unrecorded"] == {"resources": ["expense_fen"]}
    back = read_tables(tmp_path / "out")
    assert (back.producer, dict(back.unrecorded)) == ("ihms.sim", {"resources": ("expense_fen",)})
    with Store(tmp_path / "plain.duckdb") as store:  # a county's data: no producer
        store.write(small)
        assert store.info().producer == "" and store.info().unrecorded == {}
        store.export(tmp_path / "plain")
    assert "producer" not in json.loads((tmp_path / "plain" / "dataset.json").read_text())


def test_raw_ids_never_leave(small, tmp_path):
    raw = Dataset(dict(small.tables), small.period, id_scheme="raw")
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(raw)
        with pytest.raises(InputError, match="holds raw resident ids; ihms never exports them"):
            store.export(tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_empty_or_missing_store(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        Store(tmp_path / "none.duckdb", read_only=True)
    with (
        Store(tmp_path / "empty.duckdb") as store,
        pytest.raises(InputError, match="holds no ihms data set yet"),
    ):
        store.info()


def _as_schema_1_0(path) -> None:
    """Turn a store into what ihms 1.0 wrote: residents without fp_registered_date and no
    staff_activities (the 1.0 DDL is the 1.2 DDL less those) and schema_version 1.0 in
    the metadata."""
    con = duckdb.connect(str(path))
    con.execute('ALTER TABLE residents DROP COLUMN "fp_registered_date"')
    con.execute("DROP TABLE staff_activities")
    con.execute("UPDATE _ihms_meta SET value = '1.0' WHERE key = 'schema_version'")
    con.close()


def test_a_store_written_under_schema_1_0_reads_with_the_new_column_null(small, tmp_path):
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        store.write(small)
    _as_schema_1_0(path)
    with Store(path, read_only=True) as store:
        assert store.info().schema_version == "1.0"
        assert store.absent_columns("residents") == ("fp_registered_date",)
        assert store.absent_columns("encounters") == ()
        names = list(SCHEMAS["residents"].column_names)
        arrow = store.arrow("residents")
        assert arrow.column_names == names
        assert arrow.schema.field("fp_registered_date").type == pa.date32()
        assert arrow.column("fp_registered_date").null_count == arrow.num_rows
        res = store.to_pandas("residents")
        assert res["fp_registered_date"].isna().all()
        # every other column as written
        want = small.to_pandas("residents").drop(columns="fp_registered_date")
        assert res.drop(columns="fp_registered_date").equals(want)
        table = store.table("residents")
        assert list(table.columns) == names
        assert table.schema()["fp_registered_date"].is_date()
        assert table.fp_registered_date.isnull().all().execute()
        assert list(store.tables()["residents"].columns) == names
        # the whole data set comes back and is valid under 1.1 (the date is optional)
        store.dataset().validate()


def test_a_store_of_another_major_version_is_refused(small, tmp_path):
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        store.write(small)
    con = duckdb.connect(str(path))
    con.execute("UPDATE _ihms_meta SET value = '2.0' WHERE key = 'schema_version'")
    con.close()
    with Store(path, read_only=True) as store, pytest.raises(InputError, match=r"schema 2\.0"):
        store.table("residents")


def test_a_sqlite_file_is_not_a_store(tmp_path):
    import sqlite3

    path = tmp_path / "coded.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("create table t (x)")
    con.close()
    for read_only in (False, True):
        with pytest.raises(InputError, match="is a SQLite database, not an ihms store"):
            Store(path, read_only=read_only)


def test_a_store_holding_data_is_refused_unless_replace(small, tmp_path):
    path = tmp_path / "ihms.duckdb"
    with Store(path) as store:
        assert store.contents() is None
        store.write(small)
    enc = small.table("encounters").num_rows
    res = small.table("residents").num_rows
    fewer = Dataset(
        {**small.tables, "encounters": small.table("encounters").slice(0, 3)},
        small.period,
        id_scheme=small.id_scheme,
    )
    with Store(path) as store:
        held = store.contents()
        assert held.startswith(f"a data set of {enc:,} encounters and {res:,} residents for ")
        assert f"for {small.period.start} to {small.period.end}" in held
        with pytest.raises(InputError) as caught:
            store.write(fewer)
        message = str(caught.value)
        assert f"store {path}: already holds a data set of {enc:,} encounters" in message
        assert "replace=True" in message
        # nothing changed
        assert store.info().row_counts == small.row_counts()
        store.write(fewer, replace=True)
        assert store.info().row_counts["encounters"] == 3
        assert store.contents().startswith(f"a data set of 3 encounters and {res:,} residents")


def test_a_duckdb_file_with_other_tables_is_not_overwritten(small, tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE encounters (x INTEGER)")
    con.execute("CREATE TABLE notes (x INTEGER)")
    con.close()
    with Store(path) as store:
        assert store.contents() == "2 tables not written by ihms (encounters, notes)"
        with pytest.raises(InputError, match="already holds 2 tables not written by ihms"):
            store.write(small)


@pytest.mark.parametrize("read_only", [False, True])
def test_a_csv_file_is_not_a_store(tmp_path, read_only):
    # DuckDB opens x.csv as an in-memory database: read-only it fails with "Catalog
    # Error: Cannot launch in-memory database in read-only mode!", read-write the data
    # written would vanish
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Store(path, read_only=read_only)
    assert str(caught.value) == (
        f"{path} is not an ihms store (a DuckDB file written by `ihms data import`)"
    )
    assert path.read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_an_empty_file_or_a_new_table_file_name_is_not_a_store(tmp_path):
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    with pytest.raises(InputError, match=r"empty\.duckdb is not an ihms store"):
        Store(empty)
    with pytest.raises(InputError, match=r"a \.parquet name is taken for a table file"):
        Store(tmp_path / "new.parquet")
    assert not (tmp_path / "new.parquet").exists()
    with pytest.raises(InputError, match="is a folder, not an ihms store"):
        Store(tmp_path)
