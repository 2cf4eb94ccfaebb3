"""The work of :meth:`ihms.data.Store.export` (its documentation there): the tables
written to a hidden working folder that replaces the folder's files only once all are
complete."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ihms._run_folders import left_by_dead_runs, working_folder
from ihms.data._folder_meta import EXPORTING, FOLDER_META, place_export, stale_tables
from ihms.data.schema import SCHEMAS
from ihms.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ihms.data.store import Store


def export_tables(
    store: Store, out_dir: str | Path, *, format: str, tables: Iterable[str] | None
) -> list[Path]:
    """:meth:`Store.export <ihms.data.Store.export>` of ``store``."""
    if format not in ("parquet", "csv"):
        raise InputError(f"format: expected 'parquet' or 'csv', got {format!r}")
    info = store.info()
    if info.id_scheme == "raw":
        raise InputError(
            f"store {store.path}: holds raw resident ids; ihms never exports them "
            "(re-import with pseudonymisation: ihms data import)"
        )
    names = list(tables) if tables is not None else list(SCHEMAS)
    for name in names:
        if name not in SCHEMAS:
            raise InputError(f"no table {name!r}; tables are {', '.join(SCHEMAS)}")
    if info.id_scheme == "pseudonymised":
        from ihms.data._pseudonym_check import refuse_raw_ids

        refuse_raw_ids(store._con, store.path, [n for n in names if n in store._table_names()])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for left in left_by_dead_runs(out_dir, EXPORTING):  # an export killed midway
        shutil.rmtree(left, ignore_errors=True)
    stale = stale_tables(out_dir, [f"{n}.{format}" for n in names] + [FOLDER_META])
    tmp = working_folder(out_dir, EXPORTING)
    try:
        for name in names:
            target = tmp / f"{name}.{format}"
            opts = "(FORMAT PARQUET)" if format == "parquet" else "(FORMAT CSV, HEADER)"
            store._con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{target.as_posix()}' {opts}")
        from ihms.data.io import write_folder_meta

        write_folder_meta(
            tmp, info.period, source=info.source, id_scheme=info.id_scheme,
            key_fingerprint=info.key_fingerprint, tables=names,
            producer=info.producer or None, unrecorded=info.unrecorded,
            producer_details=info.producer_details,
            run_id=info.run_id, column_map=info.column_map,
            column_map_tables=info.column_map_tables,
        )  # fmt: skip
        written = place_export(tmp, out_dir, stale)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written
