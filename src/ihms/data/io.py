"""Import a user's CSV or Parquet files (or Synthea output) into a validated data set.

A folder holds one file per table, named after the table (``encounters.csv``,
``residents.parquet``, ...), optionally with a ``dataset.json`` saying which period the
tables cover (the county simulator writes one). Structural tables come from files of
their own or from a system description (``--system youxi.yaml``), which then also gives
those the folder lacks. The import:

1. reads every file (CSV as text, so nothing is guessed), checks names and columns;
2. coerces every value to the schema's type and validates the whole set, collecting
   every problem with file, row and column;
3. replaces resident and record ids by keyed pseudonyms (:mod:`ihms.data.pseudonym`);
4. writes the store in one transaction (:meth:`ihms.data.Store.write`).

An import with any problem raises before step 4, so the store is left untouched.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ihms.data._files import not_a_folder, read_folder
from ihms.data._resources_merge import with_system_resources
from ihms.data.column_map import ColumnMap
from ihms.data.dataset import Dataset, Period, RowLabels
from ihms.data.pseudonym import ID_COLUMNS, Pseudonymiser
from ihms.data.schema import SCHEMA_VERSION, SCHEMAS, STRUCTURAL_TABLES
from ihms.data.store import Store
from ihms.data.structure import resources_table, structural_tables
from ihms.errors import DataError, InputError
from ihms.system import System

__all__ = [
    "FOLDER_META",
    "folder_id_scheme",
    "folder_period",
    "folder_producer",
    "folder_run_id",
    "import_folder",
    "keep_or_pseudonymise",
    "pseudonymise_dataset",
    "read_folder",
    "read_tables",
    "write_folder_meta",
]

SYNTHEA_FILES = ("patients.csv", "organizations.csv", "encounters.csv")
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


def _folder_meta(folder: str | Path) -> tuple[Path, dict]:
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
    path, meta = _folder_meta(folder)
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
    path, meta = _folder_meta(folder)
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


def _folder_column_map(folder: Path) -> tuple[str | None, tuple[str, ...]]:
    """The column map :data:`FOLDER_META` of an export records, if any, and the tables
    read through it."""
    record = _meta_text(folder, "column_map", "a map's file and digest")
    path, meta = _folder_meta(folder)
    tables = meta.get("column_map_tables", [])
    if not isinstance(tables, list) or not all(t in SCHEMAS for t in tables):
        raise DataError(
            f"{path}: cannot read what made the tables",
            [f"'column_map_tables' must be a list of the schema's tables, got {tables!r}"],
        )
    return record, tuple(tables)


def _meta_text(folder: str | Path, key: str, what: str) -> str | None:
    """The text :data:`FOLDER_META` of ``folder`` records under ``key``, else ``None``."""
    path, meta = _folder_meta(folder)
    value = meta.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise DataError(
            f"{path}: cannot read what made the tables",
            [f"'{key}' must be {what} (text), got {value!r}"],
        )
    return value


def keep_or_pseudonymise(
    dataset: Dataset, folder: str | Path, pseudonymiser: Pseudonymiser | None
) -> Dataset:
    """The data set to store from ``folder``: an export's ids as they are (hashing
    already pseudonymised ids again would break their link to the store they came from;
    :func:`read_tables` gives them their scheme), a source system's ids through
    ``pseudonymiser``."""
    if dataset.id_scheme != "raw":
        return dataset
    if pseudonymiser is None:
        raise InputError(
            f"{folder}: a source system's ids must be pseudonymised: give a key "
            "(--key-file, or $IHMS_PSEUDONYM_KEY)"
        )
    return pseudonymise_dataset(dataset, pseudonymiser)


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


def _refuse_run_folder(folder: Path) -> None:
    """Refuse the ``--out`` folder of ``ihms sim run`` (its ``summary.json`` says where
    the run's data are), instead of asking for a period the run already wrote."""
    summary = folder / "summary.json"
    if (folder / FOLDER_META).is_file() or not summary.is_file():
        return
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))["data"]
    except (ValueError, KeyError, TypeError):
        return  # not a run's summary
    if not isinstance(data, str) or not data:
        return  # a summary.json of something else
    where = (
        f"its tables are in {data}: check that folder"
        if Path(data).is_dir()
        else f"its data are in the store {data}, which the analyses read (--store)"
    )
    raise InputError(f"{folder}: the output folder of a simulation run (summary.json); {where}")


def _choose_period(folder: Path, period: Period | None, system: System | None) -> Period:
    """The period of the import, decided before any table is read: the one given, else
    the folder's :data:`FOLDER_META`, else the system file's."""
    covered = folder_period(folder)
    if period is not None:
        if covered is not None and period != covered:
            raise InputError(
                f"{folder}: the tables cover {covered} ({FOLDER_META}), but the period given "
                f"is {period}; import the whole period (leave out --start/--end) and choose "
                "the window when analysing (indicators by month, the ITS window)"
            )
        return period
    if covered is not None:
        return covered
    if system is not None and system.period is not None:
        return Period(*system.period)
    raise InputError(
        f"{folder}: no period: give it with --start and --end (e.g. --start 2016-01 "
        f"--end 2019-12), a system file with a 'period:' (--system), or a {FOLDER_META} "
        "beside the tables"
    )


def _structure_from(
    folder: Path, frames: dict, labels: dict[str, RowLabels], system: System
) -> None:
    """Complete ``frames`` with the system's structural tables. A structural table the
    folder gives is kept, provided it lists the same ids as the system file's."""
    derived = structural_tables(system)
    problems = []
    for name in STRUCTURAL_TABLES:
        if name not in frames:
            frames[name] = derived[name]
            continue
        key = list(SCHEMAS[name].primary_key)
        if not set(key) <= set(frames[name].columns):
            continue  # validation reports the missing column with the file's name
        ids = {tuple(map(str, row)) for row in frames[name][key].itertuples(index=False)}
        want = {tuple(map(str, row)) for row in derived[name][key].itertuples(index=False)}
        if ids != want:
            extra, lacking = sorted(ids - want)[:3], sorted(want - ids)[:3]
            what = "/".join(key)
            problems.append(
                f"{labels[name].file}: {what} {', '.join(map(':'.join, extra)) or '-'} not in "
                f"the system file, {', '.join(map(':'.join, lacking)) or '-'} missing"
            )
    if problems:
        raise DataError(
            f"{folder}: {len(problems)} structural table(s) disagree with the system file "
            "(drop --system, or the files, to use one source)",
            problems,
        )


def _require_residents(folder: Path, frames: Mapping[str, pd.DataFrame]) -> None:
    """Every count divides by or draws from the residents: a folder without them is an
    error, not an empty store."""
    if "residents" not in frames:
        raise InputError(
            f"{folder}: no residents table; expected residents.csv or residents.parquet "
            "(one row per resident, see `ihms data schema`)"
        )


def read_tables(
    folder: str | Path,
    *,
    system: System | None = None,
    period: Period | None = None,
    format: str = "auto",
    synthea_options: Mapping | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    columns: ColumnMap | None = None,
) -> Dataset:
    """Read and validate a folder into a :class:`Dataset`: the source's raw ids, or the
    pseudonymised (or synthetic) ids of a folder ``ihms data export`` wrote, as its
    :data:`FOLDER_META` says.

    Parameters
    ----------
    folder
        Folder of table files (or Synthea CSV output).
    system
        Delivery system supplying the structural tables the folder lacks (those it has
        must list the same ids), the yearly resources (a ``resources`` file's rows
        replace its rows of their institution-years), and the period when neither ``period`` nor the folder's
        :data:`FOLDER_META` gives one.
    period
        Period the records must fall in; checked (with :data:`FOLDER_META`, which it must
        then match) before any table is read.
    format
        ``"tables"``, ``"synthea"`` or ``"auto"`` (Synthea if ``patients.csv``,
        ``organizations.csv`` and ``encounters.csv`` are there).
    synthea_options
        Keyword options for :func:`ihms.data.adapters.synthea.read_synthea`.
    encoding
        Encoding of the CSV tables (e.g. ``"big5"``); by default UTF-8, GBK and GB18030
        are told apart per file. Not for Synthea output (always UTF-8).
    sheet
        The sheet of every ``.xlsx`` table, by name or number; by default the sheet named
        after the table, else the workbook's only sheet with data (several with data and
        none named is a problem: :func:`ihms._sheets.choose_sheet`).
    columns
        A column map (:func:`ihms.data.column_map.read_column_map`): the files' own
        column names read as the schema's, each table's renames noted, the map's digest
        recorded as the data set's ``column_map``. Not for Synthea output.
    """
    folder = Path(folder)
    if format not in ("auto", "tables", "synthea"):
        raise InputError(f"format: expected auto, tables or synthea, got {format!r}")
    if format == "auto":
        format = "synthea" if all((folder / f).exists() for f in SYNTHEA_FILES) else "tables"
    if format == "synthea":
        from ihms.data.adapters.synthea import read_synthea

        if columns is not None:
            raise InputError(
                f"{folder}: Synthea output has Synthea's column names; a column map "
                "(--columns, --rename) is for a folder of tables"
            )

        return read_synthea(folder, period=period, **dict(synthea_options or {}))

    if not folder.is_dir():
        raise InputError(not_a_folder(folder))
    _refuse_run_folder(folder)
    period = _choose_period(folder, period, system)
    frames, labels = read_folder(folder, encoding=encoding, sheet=sheet, columns=columns)
    if columns is not None:
        frames, labels = columns.apply(frames, labels)
    _require_residents(folder, frames)
    if system is not None:
        _structure_from(folder, frames, labels, system)
        if "resources" not in frames:
            frames["resources"] = resources_table(system, years=period.years)
        else:
            frames["resources"], labels["resources"] = with_system_resources(
                frames["resources"], labels["resources"], system, period.years
            )
    else:
        missing = [t for t in ("counties", "institutions") if t not in frames]
        if missing:
            raise InputError(
                f"{folder}: no {', '.join(missing)} table; give a system file (--system) or "
                "the structural tables as files"
            )
    scheme, fingerprint = folder_id_scheme(folder) or ("raw", None)
    dataset = Dataset.from_frames(
        frames,
        period=period,
        id_scheme=scheme,
        source=str(folder),
        key_fingerprint=fingerprint,
        labels=labels,
    )
    if columns is not None:
        mapped = (columns.record, tuple(t for t in SCHEMAS if t in labels and labels[t].column_map))
    else:  # an export's tables carry the schema's names: the map they were read through
        mapped = _folder_column_map(folder)
    dataset = dataclasses.replace(
        dataset, run_id=folder_run_id(folder), column_map=mapped[0], column_map_tables=mapped[1]
    )
    made = folder_producer(folder)
    if made is None:
        return dataset
    details = _folder_meta(folder)[1].get("producer_details") or {}
    if not isinstance(details, dict) or not all(isinstance(v, str) for v in details.values()):
        raise DataError(
            f"{Path(folder) / FOLDER_META}: cannot read what made the tables",
            [f"'producer_details' must map keys to text, got {details!r}"],
        )
    return dataclasses.replace(
        dataset, producer=made[0], unrecorded=made[1], producer_details=details
    )


def pseudonymise_dataset(dataset: Dataset, pseudonymiser: Pseudonymiser) -> Dataset:
    """Replace every resident and record id of a raw data set by its keyed pseudonym."""
    if dataset.id_scheme != "raw":
        raise InputError(f"the data set's ids are already {dataset.id_scheme}")
    frames: dict[str, pa.Table] = dict(dataset.tables)
    for name, cols in ID_COLUMNS.items():
        table = frames[name]
        if not table.num_rows:
            continue
        for col, kind in cols.items():
            values = table.column(col).to_pandas()
            hashed = pseudonymiser.series(values, kind=kind)
            # Distinct raw ids must stay distinct (an 80-bit collision is astronomically
            # rare, but a silent merge of two residents would be worse than an error).
            if values.nunique() != hashed.nunique():
                raise DataError(
                    f"{name}: two distinct {col}s received the same pseudonym; change the key"
                )
            idx = table.schema.get_field_index(col)
            table = table.set_column(idx, col, pa.array(hashed, type=pa.string(), from_pandas=True))
        frames[name] = table
    out = Dataset(
        frames,
        dataset.period,
        id_scheme="pseudonymised",
        source=dataset.source,
        key_fingerprint=pseudonymiser.fingerprint,
        labels=dataset.labels,
        translations=dataset.translations,
        column_map=dataset.column_map,
        column_map_tables=dataset.column_map_tables,
    )
    return out


def import_folder(
    folder: str | Path,
    store: str | Path | Store,
    *,
    pseudonymiser: Pseudonymiser | None,
    system: System | None = None,
    period: Period | None = None,
    format: str = "auto",
    synthea_options: Mapping | None = None,
    encoding: str | None = None,
    replace: bool = False,
    columns: ColumnMap | None = None,
) -> Dataset:
    """Read, validate, pseudonymise and store a folder of tables (or Synthea output).

    A folder ``ihms data export`` wrote keeps its (pseudonymised or synthetic) ids, as
    its ``dataset.json`` says. Nothing is written unless every check passes; the store's previous contents stay as
    they were on any error. A store that already holds data is refused unless
    ``replace`` is true (see :meth:`Store.write`). ``columns``: a column map, as
    :func:`read_tables` takes it. Returns the stored (pseudonymised) data set.
    """
    raw = read_tables(
        folder,
        system=system,
        period=period,
        format=format,
        synthea_options=synthea_options,
        encoding=encoding,
        columns=columns,
    )
    dataset = keep_or_pseudonymise(raw, folder, pseudonymiser)
    if isinstance(store, Store):
        store.write(dataset, replace=replace)
    else:
        with Store(store) as s:
            s.write(dataset, replace=replace)
    return dataset
