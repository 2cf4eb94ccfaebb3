"""Import a user's tables (CSV, Parquet, ``.xlsx``, Stata ``.dta``, SPSS ``.sav``; or
Synthea output) into a validated data set.

A folder holds one file per table, named after the table (``encounters.csv``,
``residents.parquet``, ...), optionally with a ``dataset.json`` saying which period the
tables cover (the county simulator writes one). Structural tables come from files of
their own or from a system description (``--system youxi.yaml``), which then also gives
those the folder lacks. The import:

1. reads every file (CSV as text, the others' cells as text as the statistics
   commands read them, so nothing is guessed), checks names and columns;
2. coerces every value to the schema's type and validates the whole set, collecting
   every problem with file, row and column;
3. replaces resident and record ids by keyed pseudonyms (:mod:`ihms.data.pseudonym`);
4. writes the store in one transaction (:meth:`ihms.data.Store.write`).

An import with any problem raises before step 4, so the store is left untouched.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ihms.data._files import not_a_folder, read_folder
from ihms.data._folder_meta import (
    FOLDER_META,
    folder_column_map,
    folder_id_scheme,
    folder_meta,
    folder_period,
    folder_producer,
    folder_run_id,
    refuse_unlisted,
    write_folder_meta,
)
from ihms.data._pseudonym_check import check_pseudonyms
from ihms.data._resources_merge import with_system_resources
from ihms.data.column_map import ColumnMap
from ihms.data.dataset import Dataset, Period, RowLabels
from ihms.data.pseudonym import ID_COLUMNS, Pseudonymiser
from ihms.data.schema import SCHEMAS, STRUCTURAL_TABLES
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
        merge with its rows of their institution-years field by field), and the period when neither ``period`` nor the folder's
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
        Encoding of the CSV tables (e.g. ``"big5"``); by default each file's is told
        (:func:`ihms._decode.read_csv`: UTF-8 with or without BOM, UTF-16 with a BOM,
        GBK, GB18030, Big5). Not for Synthea output (always UTF-8).
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
    refuse_unlisted(folder)
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
    if scheme == "pseudonymised":  # stored as they are: each must be a pseudonym
        check_pseudonyms(folder, frames, labels)
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
        mapped = folder_column_map(folder)
    dataset = dataclasses.replace(
        dataset, run_id=folder_run_id(folder), column_map=mapped[0], column_map_tables=mapped[1]
    )
    made = folder_producer(folder)
    if made is None:
        return dataset
    details = folder_meta(folder)[1].get("producer_details") or {}
    if not isinstance(details, dict) or not all(isinstance(v, str) for v in details.values()):
        raise DataError(
            f"{Path(folder) / FOLDER_META}: cannot read what made the tables",
            [f"'producer_details' must map keys to text, got {details!r}"],
        )
    return dataclasses.replace(
        dataset, producer=made[0], unrecorded=made[1], producer_details=details
    )


def pseudonymise_dataset(dataset: Dataset, pseudonymiser: Pseudonymiser) -> Dataset:
    """Replace every resident and record id of a raw data set by its keyed pseudonym.

    Parameters
    ----------
    dataset
        A data set with the source system's ids (``id_scheme == "raw"``).
    pseudonymiser
        The keyed hash; its fingerprint is recorded as the result's ``key_fingerprint``.

    Returns
    -------
    Dataset
        A new data set, ``id_scheme="pseudonymised"``; ``dataset`` is unchanged.

    Raises
    ------
    InputError
        The data set's ids are already pseudonymised or synthetic.
    DataError
        Two distinct ids of a column got one pseudonym (change the key).
    """
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
    sheet: str | None = None,
) -> Dataset:
    """Read, validate, pseudonymise and store a folder of tables (or Synthea output).

    A folder ``ihms data export`` wrote keeps its (pseudonymised or synthetic) ids, as
    its ``dataset.json`` says. Nothing is written unless every check passes; the store's
    previous contents stay as they were on any error.

    Parameters
    ----------
    folder
        Folder of table files or Synthea output.
    store
        The DuckDB store's path (opened and closed here) or an open :class:`Store`.
    pseudonymiser
        The keyed hash for a source system's ids; None only for a folder ``ihms data
        export`` wrote.
    system, period, format, synthea_options, encoding, columns, sheet
        As :func:`read_tables` takes them.
    replace
        Replace what the store holds; without it a store holding data is refused
        (:meth:`Store.write`).

    Returns
    -------
    Dataset
        The data set as stored (a source system's ids pseudonymised, an export's kept).

    Raises
    ------
    InputError
        Raw ids and no ``pseudonymiser``; a store holding data without ``replace``; and
        what :func:`read_tables` raises.
    DataError
        A table fails validation (each problem by file, row and column).
    """
    raw = read_tables(
        folder,
        system=system,
        period=period,
        format=format,
        synthea_options=synthea_options,
        encoding=encoding,
        sheet=sheet,
        columns=columns,
    )
    dataset = keep_or_pseudonymise(raw, folder, pseudonymiser)
    if isinstance(store, Store):
        store.write(dataset, replace=replace)
    else:
        with Store(store) as s:
            s.write(dataset, replace=replace)
    return dataset
