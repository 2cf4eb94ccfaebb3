"""A data set's run id (the simulator's ``sim run`` gives one) is a field of its own:
kept by the store's metadata, written to ``dataset.json`` on export and read back."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ihms.data import Dataset, Store
from ihms.data.io import read_tables, write_folder_meta
from ihms.data.synthetic import synthetic_dataset
from ihms.errors import InputError
from ihms.sim.outputs import data_run_id

RUN = "20261123T161348Z-9f3a01c2"


@pytest.fixture
def small(youxi):
    return synthetic_dataset(youxi, seed=3, scale=0.002)


def test_the_run_id_round_trips_through_store_and_export(small, tmp_path):
    made = replace(small, producer="ihms.sim", run_id=RUN)
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(made)
        assert store.info().run_id == RUN
        assert store.dataset().run_id == RUN
        assert store.info().source == small.source  # the source text is left alone
        store.export(tmp_path / "out")
    assert json.loads((tmp_path / "out" / "dataset.json").read_text())["run_id"] == RUN
    assert read_tables(tmp_path / "out").run_id == RUN
    # what sim run's recovery reads, for a store and for a folder
    assert data_run_id(tmp_path / "ihms.duckdb", "duckdb") == (True, RUN)
    assert data_run_id(tmp_path / "out", "parquet") == (True, RUN)


def test_a_data_set_without_a_run_id_records_none(small, tmp_path):
    with Store(tmp_path / "plain.duckdb") as store:
        store.write(small)
        assert store.info().run_id is None
        store.export(tmp_path / "plain")
    assert "run_id" not in json.loads((tmp_path / "plain" / "dataset.json").read_text())
    assert read_tables(tmp_path / "plain").run_id is None
    assert data_run_id(tmp_path / "plain.duckdb", "duckdb") == (True, None)


def test_a_run_id_must_be_text(small, tmp_path):
    with pytest.raises(InputError, match="run_id: expected a run's id"):
        Dataset(dict(small.tables), small.period, run_id="  ")
    write_folder_meta(tmp_path, small.period, source="x", run_id=RUN)
    meta = json.loads((tmp_path / "dataset.json").read_text())
    meta["run_id"] = 42
    (tmp_path / "dataset.json").write_text(json.dumps(meta))
    from ihms.data.io import folder_run_id

    with pytest.raises(InputError, match="'run_id' must be a run's id"):
        folder_run_id(tmp_path)
