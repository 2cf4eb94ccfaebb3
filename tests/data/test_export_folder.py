"""An export into a folder holding an earlier export replaces it as a whole, and an
import reads only the tables a folder's dataset.json lists (review of the data import,
2026-11-25, finding 3: `data export --table encounters` over a full export left the other
tables' files, and importing the folder mixed two data sets without a word)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ihms.data import Pseudonymiser, Store, import_folder, read_tables
from ihms.errors import InputError


@pytest.fixture
def store(csv_folder, youxi, key_file, tmp_path):
    p = Pseudonymiser.from_env(key_file=key_file)
    path = tmp_path / "ihms.duckdb"
    import_folder(csv_folder, path, pseudonymiser=p, system=youxi)
    return path


def test_a_partial_export_over_a_full_one_removes_the_earlier_tables(store, tmp_path):
    out = tmp_path / "out"
    with Store(store, read_only=True) as s:
        s.export(out, format="csv")
        assert (out / "residents.csv").is_file()
        s.export(out, format="parquet", tables=["encounters", "claims"])
    # the earlier CSVs are gone, the other format's files of the same tables too
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.parquet",
        "dataset.json",
        "encounters.parquet",
    ]
    assert json.loads((out / "dataset.json").read_text())["tables"] == ["encounters", "claims"]


def test_an_export_refuses_a_table_file_no_export_wrote(store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "residents.csv").write_text("resident_id\nR1\n")
    with Store(store, read_only=True) as s, pytest.raises(InputError) as err:
        s.export(out, format="csv", tables=["encounters"])
    assert "holds residents.csv, which this export does not write" in str(err.value)
    assert sorted(p.name for p in out.iterdir()) == ["residents.csv"]  # nothing written


def test_an_import_refuses_table_files_dataset_json_does_not_list(store, tmp_path, youxi):
    out = tmp_path / "out"
    with Store(store, read_only=True) as s:
        s.export(out, format="csv")
    meta = json.loads((out / "dataset.json").read_text())
    meta["tables"] = ["encounters", "claims", "referrals"]  # as a partial export lists them
    (out / "dataset.json").write_text(json.dumps(meta))
    with pytest.raises(InputError) as err:
        read_tables(out, system=youxi)
    message = str(err.value)
    assert "residents.csv" in message and "followups.csv" in message
    assert "not among the tables its dataset.json lists (encounters, claims, referrals)" in message


def test_an_import_refuses_a_folder_an_export_left_half_written(store, tmp_path, youxi):
    out = tmp_path / "out"
    with Store(store, read_only=True) as s:
        s.export(out, format="csv")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    left = out / f".ihms-export-ihms{gone.stdout.strip()}-abcd1234"
    left.mkdir()  # killed while writing its files: the earlier export is whole
    assert read_tables(out, system=youxi).id_scheme == "pseudonymised"
    (left / ".placing").touch()  # killed while moving them into place: partly replaced
    with pytest.raises(InputError, match="an export into this folder stopped midway"):
        read_tables(out, system=youxi)


def test_an_export_keeps_the_tables_of_a_dataset_json_without_a_tables_list(csv_folder, store):
    """Review of session 30, finding 1: a dataset.json giving the period only (README's
    least one) is no export's, so its folder's CSVs were deleted by an export into it."""
    (csv_folder / "dataset.json").write_text(
        json.dumps({"period": {"start": "2016-01-01", "end": "2019-12-31"}})
    )
    before = {p.name: p.read_bytes() for p in csv_folder.iterdir()}
    with Store(store, read_only=True) as s, pytest.raises(InputError) as err:
        s.export(csv_folder, format="parquet", tables=["encounters"])
    message = str(err.value)
    assert "which this export does not write" in message
    assert "encounters.csv" in message and "residents.csv" in message
    assert {p.name: p.read_bytes() for p in csv_folder.iterdir()} == before  # untouched
