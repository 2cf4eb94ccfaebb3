"""The ``dataset.json`` beside a folder's tables: what an export or a program wrote of
them (period, id scheme, producer, run, column map, tables), and reading it back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from ihms.data.dataset import Period
from ihms.data.schema import SCHEMA_VERSION, SCHEMAS
from ihms.errors import DataError, InputError

#: The file beside the tables that says what they cover (``{"period": {"start": ...,
#: "end": ...}, "source": ...}``).
FOLDER_META = "dataset.json"


def write_folder_meta(
    folder: str | Path,
    period: Period,
    *,
    source: str,
    id_scheme: str | None = None,
    key_fingerprint: str | None = None,
    tables: Sequence[str] | None = None,
    producer: str | None = None,
    unrecorded: Mapping[str, Sequence[str]] | None = None,
    producer_details: Mapping[str, str] | None = None,
    run_id: str | None = None,
    column_map: str | None = None,
    column_map_tables: Sequence[str] = (),
) -> Path:
    """Write :data:`FOLDER_META` into ``folder``: the period the tables cover and, for an
    export, whose ids they carry (``id_scheme``: ``pseudonymised`` or ``synthetic``;
    absent, the ids are a source system's own and are pseudonymised on import). A
    program that made the tables (``producer``, e.g. ``ihms.sim``) names itself and the
    columns it never records (``unrecorded``, by table), so that a check of the folder
    does not ask for figures no one will give (:func:`folder_producer`), and what it says
    of them (``producer_details``, :attr:`Dataset.producer_details`); its run's id
    (``run_id``), if it gives one, is kept as such (:func:`folder_run_id`); the column
    map the tables were first read through (``column_map``: its file and digest, as
    :attr:`Dataset.column_map` has it) and which tables it read
    (``column_map_tables``) are kept for a later reader."""
    path = Path(folder) / FOLDER_META
    meta: dict = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "source": source,
        "schema_version": SCHEMA_VERSION,
    }
    if id_scheme is not None:
        meta["id_scheme"] = id_scheme
        meta["key_fingerprint"] = key_fingerprint
    if tables is not None:
        meta["tables"] = list(tables)
    if producer is not None:
        meta["producer"] = producer
        meta["unrecorded"] = {t: list(cols) for t, cols in (unrecorded or {}).items()}
        if producer_details:
            meta["producer_details"] = dict(producer_details)
    if run_id is not None:
        meta["run_id"] = run_id
    if column_map is not None:
        meta["column_map"] = column_map
        meta["column_map_tables"] = list(column_map_tables)
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path


def folder_meta(folder: str | Path) -> tuple[Path, dict]:
    """The path of :data:`FOLDER_META` in ``folder`` and what it holds (``{}`` when it is
    missing or unreadable: :func:`folder_period` names a broken file)."""
    path = Path(folder) / FOLDER_META
    if not path.is_file():
        return path, {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return path, {}
    return path, meta if isinstance(meta, dict) else {}


def folder_id_scheme(folder: str | Path) -> tuple[str, str | None] | None:
    """``(id_scheme, key_fingerprint)`` of a folder ``ihms data export`` wrote (its
    :data:`FOLDER_META` names the ids' scheme), else ``None``: ids to pseudonymise."""
    path, meta = folder_meta(folder)
    scheme = meta.get("id_scheme")
    if scheme is None:
        return None
    if scheme not in ("pseudonymised", "synthetic"):
        raise InputError(
            f"{path}: 'id_scheme' must be 'pseudonymised' or 'synthetic', got {scheme!r} "
            "(a folder of a source system's own ids has no id_scheme: they are "
            "pseudonymised on import)"
        )
    return scheme, meta.get("key_fingerprint")


def folder_producer(folder: str | Path) -> tuple[str, dict[str, tuple[str, ...]]] | None:
    """``(producer, unrecorded)`` of a folder a program wrote (the simulator's: its
    :data:`FOLDER_META` names it and the columns it never records, by table), else
    ``None``: a county's export, whose gaps are the export's."""
    path, meta = folder_meta(folder)
    producer = meta.get("producer")
    if producer is None:
        return None
    unrecorded = meta.get("unrecorded", {})
    problems = []
    if not isinstance(producer, str) or not producer:
        problems.append(f"'producer' must be a program's name, got {producer!r}")
    if not isinstance(unrecorded, dict):
        problems.append(f"'unrecorded' must map tables to column lists, got {unrecorded!r}")
        unrecorded = {}
    for table, cols in unrecorded.items():
        known = SCHEMAS[table].column_names if table in SCHEMAS else None
        if known is None:
            problems.append(f"'unrecorded' names no table of the schema: {table!r}")
        elif not isinstance(cols, list) or not set(cols) <= set(known):
            problems.append(
                f"'unrecorded' of {table}: expected a list of its columns, got {cols!r}"
            )
    if problems:
        raise DataError(f"{path}: cannot read what made the tables", problems)
    return producer, {t: tuple(cols) for t, cols in unrecorded.items()}


def folder_run_id(folder: str | Path) -> str | None:
    """The id of the run that wrote ``folder`` (its :data:`FOLDER_META`'s ``run_id``),
    else ``None``."""
    return _meta_text(folder, "run_id", "a run's id")


def folder_column_map(folder: Path) -> tuple[str | None, tuple[str, ...]]:
    """The column map :data:`FOLDER_META` of an export records, if any, and the tables
    read through it."""
    record = _meta_text(folder, "column_map", "a map's file and digest")
    path, meta = folder_meta(folder)
    tables = meta.get("column_map_tables", [])
    if not isinstance(tables, list) or not all(t in SCHEMAS for t in tables):
        raise DataError(
            f"{path}: cannot read what made the tables",
            [f"'column_map_tables' must be a list of the schema's tables, got {tables!r}"],
        )
    return record, tuple(tables)


def _meta_text(folder: str | Path, key: str, what: str) -> str | None:
    """The text :data:`FOLDER_META` of ``folder`` records under ``key``, else ``None``."""
    path, meta = folder_meta(folder)
    value = meta.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise DataError(
            f"{path}: cannot read what made the tables",
            [f"'{key}' must be {what} (text), got {value!r}"],
        )
    return value


def folder_period(folder: str | Path) -> Period | None:
    """The period :data:`FOLDER_META` of ``folder`` records, or ``None`` without one."""
    path = Path(folder) / FOLDER_META
    if not path.is_file():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        return Period.parse(meta["period"]["start"], meta["period"]["end"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"{path}: expected {{'period': {{'start': 'YYYY-MM-DD', 'end': 'YYYY-MM-DD'}}}}, "
            f"could not read it ({exc})"
        ) from None


#: the stem of an export's hidden working folder (:func:`ihms._run_folders.working_folder`)
EXPORTING = "ihms-export"
#: the file in an export's working folder while its files are being moved into place
_PLACING = ".placing"
#: A table's file formats, in the order messages list them (here, not in the heavy
#: :mod:`ihms.data._files`, which reads them, so the export can look without pandas).
TABLE_FORMATS = (".csv", ".parquet", ".xlsx", ".dta", ".sav")


def table_files(folder: Path) -> dict[str, list[Path]]:
    """The files of ``folder`` named after a table of the schema, by table."""
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if (
            path.is_file()
            and not path.name.startswith(".")
            and path.stem in SCHEMAS
            and path.suffix.lower() in TABLE_FORMATS
        ):
            found.setdefault(path.stem, []).append(path)
    return found


def listed_tables(folder: str | Path) -> list[str] | None:
    """The tables :data:`FOLDER_META` of ``folder`` lists (an export's), else ``None``."""
    path, meta = folder_meta(folder)
    named = meta.get("tables")
    if named is None:
        return None
    if not isinstance(named, list) or not all(t in SCHEMAS for t in named):
        raise InputError(f"{path}: 'tables' must list tables of the schema, got {named!r}")
    return named


def refuse_unlisted(folder: Path) -> None:
    """Refuse a folder an export left half-written (its hidden working folder, whose
    process is gone, is still there) and table files its :data:`FOLDER_META` does not
    list: another export's, left beside these, whose rows would be read with them."""
    from ihms._run_folders import left_by_dead_runs

    # killed while writing its files, an export left the folder as it was; while
    # placing them (its marker in the working folder), partly replaced
    if left := [p for p in left_by_dead_runs(folder, EXPORTING) if (p / _PLACING).exists()]:
        raise InputError(
            f"{folder}: an export into this folder stopped midway (it left {left[0].name}); "
            "its tables may be partly the earlier export's: export again"
        )
    named = listed_tables(folder)
    if named is None:
        return
    stale = [p.name for t, paths in table_files(folder).items() if t not in named for p in paths]
    if stale:
        raise InputError(
            f"{folder}: {', '.join(stale)} not among the tables its {FOLDER_META} lists "
            f"({', '.join(named)}): left by an earlier export into the same folder? Remove "
            f"{'them' if len(stale) > 1 else 'it'} (or export the whole data set again), or, "
            f"if {'they belong' if len(stale) > 1 else 'it belongs'} to this data set, add "
            f"{'their tables' if len(stale) > 1 else 'its table'} to 'tables' in {FOLDER_META}"
        )


def stale_tables(out_dir: Path, written: Sequence[str]) -> list[Path]:
    """The table files in ``out_dir`` that an export writing ``written`` (file names)
    leaves from an earlier export there (its :data:`FOLDER_META` lists their tables),
    for the export to remove; a table file no earlier export wrote is an InputError
    before anything is written: it is the user's, not ours to delete. Every ihms export
    lists its ``tables``, so a :data:`FOLDER_META` without the key (a user's, giving
    the period only, or a ``sim run`` folder's) marks no file as an export's."""
    found = [p for paths in table_files(out_dir).values() for p in paths if p.name not in written]
    if not found:
        return []
    named = listed_tables(out_dir) if (out_dir / FOLDER_META).is_file() else None
    earlier = [p for p in found if named is not None and p.stem in named]
    theirs = [p.name for p in found if p not in earlier]
    if theirs:
        raise InputError(
            f"{out_dir}: holds {', '.join(theirs)}, which this export does not write and no "
            f"earlier export's {FOLDER_META} lists; a folder read back would mix "
            f"{'them' if len(theirs) > 1 else 'it'} with the export: export into an empty "
            "folder, or move them away"
        )
    return earlier


def place_export(tmp: Path, out_dir: Path, stale: Sequence[Path]) -> list[Path]:
    """Move an export's files from its working folder ``tmp`` into ``out_dir`` and
    remove the earlier export's ``stale`` tables; marked as placing first, so that a
    reader refuses the folder if this is killed midway (:func:`refuse_unlisted`)."""
    import os

    (tmp / _PLACING).touch()
    written = []
    for f in sorted(tmp.iterdir()):
        if f.name != _PLACING:
            os.replace(f, out_dir / f.name)
            written.append(out_dir / f.name)
    for f in stale:
        f.unlink(missing_ok=True)
    return written
