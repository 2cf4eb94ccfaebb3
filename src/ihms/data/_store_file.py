"""What a store file is before DuckDB opens it (:func:`_refuse_other_files`) and what
its metadata records (:class:`StoreInfo`, re-exported by :mod:`ihms.data.store`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ihms._decode import is_sqlite_file
from ihms.data.dataset import Period
from ihms.errors import InputError


@dataclass(frozen=True)
class StoreInfo:
    """What the store's metadata records about the data set it holds (``producer`` and
    ``unrecorded``: the program that made the tables and the columns it never records,
    as :class:`~ihms.data.Dataset` has them)."""

    schema_version: str
    period: Period
    id_scheme: str
    source: str
    written_at: str
    key_fingerprint: str | None
    row_counts: dict[str, int]
    producer: str = ""
    unrecorded: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    producer_details: Mapping[str, str] = field(default_factory=dict)
    run_id: str | None = None
    column_map: str | None = None
    column_map_tables: tuple[str, ...] = ()


#: A DuckDB database file carries "DUCK" after its 8-byte header checksum.
_DUCKDB_MAGIC = (8, b"DUCK")
#: Files DuckDB opens as an in-memory database over the file's rows (``x.csv`` opened
#: read-write "succeeds", and a write to it is lost): never a store, even when new.
_TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".json", ".xlsx", ".xls")
_WHAT_A_STORE_IS = "an ihms store (a DuckDB file written by `ihms data import`)"


def _refuse_other_files(path: str) -> None:
    """Refuse what is not a DuckDB database before DuckDB opens it: a SQLite file (DuckDB
    would try to download its sqlite_scanner extension, and fail offline), a CSV or other
    file (DuckDB opens ``x.csv`` as an in-memory database: read-only it fails with a
    catalog error, read-write the data written vanish)."""
    if path == ":memory:":
        return
    file = Path(path)
    if is_sqlite_file(file):
        raise InputError(f"store {path}: is a SQLite database, not {_WHAT_A_STORE_IS}")
    if file.is_dir():
        raise InputError(f"store {path}: is a folder, not {_WHAT_A_STORE_IS}")
    if file.is_file():
        offset, magic = _DUCKDB_MAGIC
        with file.open("rb") as f:
            head = f.read(offset + len(magic))
        if head[offset:] != magic:
            raise InputError(f"{path} is not {_WHAT_A_STORE_IS}")
    elif file.suffix.lower() in _TABLE_SUFFIXES:
        raise InputError(
            f"store {path}: a {file.suffix} name is taken for a table file, not "
            f"{_WHAT_A_STORE_IS}; name the store e.g. ihms.duckdb"
        )
