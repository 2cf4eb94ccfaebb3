"""Where the simulator's tables go.

Sinks receive the tables chunk by chunk: :class:`StoreSink` builds a
:class:`~ihms.data.Dataset` and writes it to a DuckDB :class:`~ihms.data.Store` in one
transaction; :class:`ParquetSink` streams each table into ``<folder>/<table>.parquet``
(the layout ``ihms data import`` reads) with memory bounded by the chunk;
:class:`MemorySink` keeps everything (tests, small runs); :class:`NullSink` only counts.
The tables the data schema has no place for (:data:`EXTRA_TABLES`) are kept in memory by
the store sink and written under ``<folder>/simulation/`` by the Parquet sink.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ihms._atomic import staged
from ihms._run_folders import REPLACED, clear_dead_runs, working_folder
from ihms.data import SCHEMAS, Dataset, Period, Store
from ihms.data.io import write_folder_meta
from ihms.errors import IhmsError
from ihms.sim.resources import PRODUCER, UNRECORDED

__all__ = [
    "EXTRA_TABLES",
    "MemorySink",
    "NullSink",
    "ParquetSink",
    "RunInfo",
    "StoreSink",
    "TableSink",
]

#: The simulation's own tables beside the data layer's: each illness encounter's episode
#: and severity, and the staff roster (:mod:`ihms.sim.staff`).
EXTRA_TABLES = ("encounter_details", "staff")


@dataclass(frozen=True)
class RunInfo:
    """What a sink may need to know about the run before the first table arrives."""

    period: Period
    source: str
    run_id: str | None = None
    #: What the data are a run of, kept as the data set's ``producer_details``: the
    #: ``regime`` and the ``reform`` month (``YYYY-MM``) ``ihms payment settle`` reads.
    details: Mapping[str, str] = field(default_factory=dict)


class TableSink(Protocol):
    """Where simulated tables go. ``write`` may be called many times per table."""

    def open(self, info: RunInfo) -> None: ...

    def write(self, name: str, table: pa.Table) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


class MemorySink:
    """Keeps every table in memory (:meth:`table`, :meth:`frames`)."""

    def __init__(self) -> None:
        self._parts: dict[str, list[pa.Table]] = {}
        self.info: RunInfo | None = None

    def open(self, info: RunInfo) -> None:
        """Start a run: remember its period and source for :meth:`dataset`.

        Parameters
        ----------
        info : RunInfo
            The run's period and source name.
        """
        self.info = info

    def write(self, name: str, table: pa.Table) -> None:
        """Keep one chunk of a table (chunks are concatenated by :meth:`table`).

        Parameters
        ----------
        name : str
            The table's name: one of :data:`ihms.data.SCHEMAS` or :data:`EXTRA_TABLES`.
        table : pyarrow.Table
            One chunk of rows, typed as the schema says; kept as given.
        """
        self._parts.setdefault(name, []).append(table)

    def close(self) -> None:
        """End a completed run; the tables stay in memory."""

    def abort(self) -> None:
        """End a failed run: drop every table written so far."""
        self._parts.clear()

    def names(self) -> list[str]:
        """Names of the tables written so far."""
        return sorted(self._parts)

    def table(self, name: str) -> pa.Table:
        """All chunks of one table, concatenated.

        Parameters
        ----------
        name : str
            A table name from :meth:`names`.

        Raises
        ------
        KeyError
            No table ``name`` was written.
        """
        parts = self._parts.get(name, [])
        if not parts:
            raise KeyError(f"no table {name!r} was written; tables: {self.names()}")
        return pa.concat_tables(parts)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: self.table(name).to_pandas() for name in self._parts}

    def dataset(self, *, validate: bool = True) -> Dataset:
        """The data-layer tables as a :class:`~ihms.data.Dataset`.

        Parameters
        ----------
        validate : bool, default True
            Validate the whole set (:meth:`Dataset.validate`, raising on any problem);
            the extra tables are left out either way.

        Raises
        ------
        RuntimeError
            The sink was never opened by a run.
        """
        if self.info is None:
            raise RuntimeError("the sink was never opened by a run")
        tables = {n: self.table(n) for n in self._parts if n in SCHEMAS}
        dataset = Dataset.from_frames(
            tables,
            period=self.info.period,
            id_scheme="synthetic",
            source=self.info.source,
            validate=validate,
        )
        return replace(
            dataset,
            producer=PRODUCER,
            unrecorded=UNRECORDED,
            producer_details=self.info.details,
            run_id=self.info.run_id,
        )


class StoreSink(MemorySink):
    """Writes the data-layer tables to a DuckDB store when the run completes.

    The whole data set is validated (unless ``validate=False``) and written in one
    transaction; a failed run or validation leaves the store as it was. The tables are
    held in memory until then (about 100 bytes per encounter). A store that already
    holds data is refused unless ``replace`` (as :meth:`Store.write`).

    Parameters
    ----------
    store : Store or str or Path
        An open :class:`~ihms.data.Store`, or the path of a DuckDB file (its folder is
        created; the store is opened and closed on :meth:`close`).
    validate : bool, default True
        Validate the data set before writing it.
    replace : bool, default False
        Replace the data a store already holds instead of refusing.

    Attributes
    ----------
    placed : bool
        Whether :meth:`close` has put the run's data in the store (an interrupted close
        that is False left the store as it was).
    """

    def __init__(
        self, store: Store | str | Path, *, validate: bool = True, replace: bool = False
    ) -> None:
        super().__init__()
        self.store = store
        self.validate = validate
        self.replace = replace
        self.placed = False

    def close(self) -> None:
        """Validate and write the data-layer tables in one transaction, then drop them
        (the extra tables stay in memory). A new file is written beside its place and
        renamed in, so a run stopped while writing leaves no empty store behind."""
        dataset = self.dataset(validate=self.validate)
        if isinstance(self.store, Store):
            self.store.write(dataset, replace=self.replace)
        elif (path := Path(self.store)).exists():  # one transaction: all or nothing
            with Store(path) as store:
                store.write(dataset, replace=self.replace)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with staged(path) as (tmp,):
                _remove_store_files(tmp)  # left by a run killed while writing
                try:
                    with Store(tmp) as store:
                        store.write(dataset)
                except BaseException:
                    _remove_store_files(tmp)
                    raise
        self.placed = True
        self._parts = {n: p for n, p in self._parts.items() if n not in SCHEMAS}


def _remove_store_files(path: Path) -> None:
    """A DuckDB file and its write-ahead log, if there."""
    for file in (path, path.with_name(path.name + ".wal")):
        file.unlink(missing_ok=True)


class NullSink:
    """Counts rows per table and keeps nothing."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}

    def open(self, info: RunInfo) -> None:
        """Start a run; nothing is kept.

        Parameters
        ----------
        info : RunInfo
            The run's period and source name (unused).
        """

    def write(self, name: str, table: pa.Table) -> None:
        """Add the chunk's row count to :attr:`rows` under ``name``.

        Parameters
        ----------
        name : str
            The table's name: one of :data:`ihms.data.SCHEMAS` or :data:`EXTRA_TABLES`.
        table : pyarrow.Table
            One chunk of rows, typed as the schema says; only its row count is used.
        """
        self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def close(self) -> None:
        """End a completed run (nothing to do)."""

    def abort(self) -> None:
        """End a failed run (nothing to undo)."""


class ParquetSink:
    """Streams ``<folder>/<table>.parquet`` (one row group per chunk; the extra tables
    under ``<folder>/simulation/``) and ``<folder>/dataset.json`` with the period, so
    ``ihms data import <folder>`` needs no ``--start``/``--end``. The folder appears only
    on :meth:`close` (written beside it first, then renamed); :meth:`abort` leaves any
    previous folder untouched; a completed run replaces it.

    Parameters
    ----------
    folder : str or Path
        The output folder; its parent is created on :meth:`open`.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._tmp: Path | None = None
        self._old: Path | None = None  # the previous folder, set aside by close()
        self._info: RunInfo | None = None
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.placed = False  # whether close() has renamed this run's folder into place

    def open(self, info: RunInfo) -> None:
        """Start a run: make the temporary folder beside ``folder``.

        Parameters
        ----------
        info : RunInfo
            The run's period and source name; written to ``dataset.json`` on :meth:`close`.
        """
        self._info = info
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        clear_dead_runs(self.folder)
        self._tmp = working_folder(self.folder.parent, self.folder.name)

    def write(self, name: str, table: pa.Table) -> None:
        """Append one chunk to the table's Parquet file as a row group.

        Parameters
        ----------
        name : str
            The table's name: one of :data:`ihms.data.SCHEMAS` or :data:`EXTRA_TABLES`.
        table : pyarrow.Table
            One chunk of rows, typed as the schema says; the first chunk fixes the file's schema.

        Raises
        ------
        RuntimeError
            The sink was never opened by a run.
        """
        if self._tmp is None:
            raise RuntimeError("the sink was never opened by a run")
        writer = self._writers.get(name)
        if writer is None:
            where = self._tmp if name in SCHEMAS else self._tmp / "simulation"
            where.mkdir(exist_ok=True)
            writer = self._writers[name] = pq.ParquetWriter(where / f"{name}.parquet", table.schema)
        writer.write_table(table)

    def close(self) -> None:
        """Finish the files and ``dataset.json``, then rename the temporary folder to
        ``folder`` (replacing a previous one).

        Raises
        ------
        IhmsError
            The previous folder, set aside, could not be removed once this run's was in
            place (:attr:`placed` is then True): the message names both folders.
        """
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        write_folder_meta(
            self._tmp,
            self._info.period,
            source=self._info.source,
            id_scheme="synthetic",
            producer=PRODUCER,
            unrecorded=UNRECORDED,
            producer_details=self._info.details,
            run_id=self._info.run_id,
        )
        if self.folder.exists():  # set aside whole, removed once the new one is in place
            self._old = self.folder.with_name(f"{self._tmp.name}{REPLACED}")
            self.folder.rename(self._old)
        self._tmp.rename(self.folder)
        self._tmp = None
        self.placed = True
        if self._old is not None:
            try:
                shutil.rmtree(self._old)
            except OSError as exc:
                raise IhmsError(
                    f"{self.folder}: this run's tables are in place, but the earlier tables, "
                    f"set aside at {self._old}, could not be removed ({exc}); remove that "
                    "folder (the next run removes it once this process has ended)"
                ) from exc
            self._old = None

    def abort(self) -> None:
        """Close the writers and remove the temporary folder; ``folder`` is as it was
        before the run, or this run's whole if :meth:`close` had put it in place."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        if self._old is not None:  # stopped inside close(): restore or finish
            if self.folder.exists():
                shutil.rmtree(self._old, ignore_errors=True)
            else:
                self._old.rename(self.folder)
            self._old = None
