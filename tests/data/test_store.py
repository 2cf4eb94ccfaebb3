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
            store.write(broken)
        assert store.to_pandas("encounters").equals(before)
        assert store.info().row_counts == small.row_counts()


def test_export_parquet_and_csv(small, tmp_path):
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(small)
        written = store.export(tmp_path / "out", format="csv", tables=["residents"])
        assert sorted(p.name for p in written) == ["meta.json", "residents.csv"]
        meta = json.loads((tmp_path / "out" / "meta.json").read_text())
        assert meta["id_scheme"] == "synthetic"
        back = pd.read_csv(tmp_path / "out" / "residents.csv")
        assert len(back) == small.table("residents").num_rows
        store.export(tmp_path / "pq")
        assert {p.stem for p in (tmp_path / "pq").glob("*.parquet")} == set(SCHEMAS)
        with pytest.raises(InputError, match="no table 'resident'"):
            store.export(tmp_path / "x", tables=["resident"])


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
