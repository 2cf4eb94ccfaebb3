"""The project store: one DuckDB file (``ihms.duckdb``) holding a whole data set.

:meth:`Store.write` fills a new or empty store in one transaction, so a failed write
leaves the file as it was; a store that already holds data is refused unless the caller
asks to replace it (``replace=True``, ``ihms data import --replace``). A file that is not
a DuckDB database (a CSV file given as the store, say) is refused when opened. Tables come back as Ibis tables
(:meth:`Store.table`) for the indicator engine, or as pandas (:meth:`Store.to_pandas`);
:meth:`Store.export` writes Parquet or CSV and refuses data whose ids are raw. A store
written under an earlier minor schema version reads with the columns added since as
nulls (:meth:`Store.absent_columns`) and the tables added since as empty
(:meth:`Store.absent_tables`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from ihms._repr import brief_repr
from ihms.data._duckdb import quiet
from ihms.data._store_export import export_tables
from ihms.data._store_file import StoreInfo, _refuse_other_files
from ihms.data.dataset import Dataset, Period, _to_pandas
from ihms.data.schema import SCHEMA_VERSION, SCHEMAS, TABLES_ADDED
from ihms.errors import DataError, InputError

if TYPE_CHECKING:  # pragma: no cover
    import ibis

__all__ = ["DEFAULT_STORE", "Store", "StoreInfo"]

DEFAULT_STORE = "ihms.duckdb"
META_TABLE = "_ihms_meta"

_DUCK = {
    "string": "VARCHAR",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "float64": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
}


#: The tables describing the delivery system, a county's few hundred rows at most: a
#: read-only store keeps them once read (:meth:`Store.arrow`), never the tables of records.
_STRUCTURE = frozenset(
    {"counties", "grids", "institutions", "consortia", "consortium_members", "consortium_grids"}
)


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


class Store:
    """A DuckDB file holding one data set.

    Parameters
    ----------
    path
        The database file (created if missing), or ``":memory:"``.
    read_only
        Open without write access (several readers may share a file).

    Examples
    --------
    >>> with Store(":memory:") as store:  # doctest: +SKIP
    ...     store.write(dataset)
    ...     store.table("encounters").count().execute()
    """

    def __init__(self, path: str | Path = DEFAULT_STORE, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise InputError(
                f"store {self.path}: no such file (import data first: ihms data import)"
            )
        _refuse_other_files(self.path)
        try:
            # no progress bar on stdout, ahead of --json (ihms.data._duckdb)
            self._con = quiet(duckdb.connect(self.path, read_only=read_only))
        except duckdb.Error as exc:
            raise InputError(f"store {self.path}: cannot open it ({exc})") from None
        self.read_only = read_only
        self._ibis = None
        # A read-only store's file cannot change while it is open (DuckDB locks it
        # against writers), so what its catalog says is read once: a command read the
        # same table names, metadata and columns a dozen times (0.1 s a read of tables())
        self._catalog: dict[object, object] = {}

    # -- context management ---------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __repr__(self) -> str:
        return brief_repr(self, path=self.path, read_only=self.read_only or None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    def write(self, dataset: Dataset, *, replace: bool = False) -> None:
        """Write ``dataset`` into the store, all or nothing.

        The data set is expected to be valid (build it with
        :meth:`Dataset.from_frames`, which validates). Every table is created with its
        schema's types and NOT NULL constraints inside one transaction; any failure rolls
        the whole write back.

        Parameters
        ----------
        dataset
            The data set to store.
        replace
            Replace the data set the store holds. Without it a store that holds any
            table is refused (see :meth:`contents`), so an import never overwrites an
            earlier one by accident.

        Raises
        ------
        InputError
            If the store is read-only, or holds data and ``replace`` is false (the
            message names the store and what it holds).
        """
        if self.read_only:
            raise InputError(f"store {self.path}: opened read-only")
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            held = self.contents()
            if held is not None and not replace:
                raise InputError(
                    f"store {self.path}: already holds {held}; pass replace=True to "
                    "replace it, or write to a new file"
                )
            for name, schema in SCHEMAS.items():
                cols = ", ".join(
                    f'"{c.name}" {_DUCK[c.dtype]}' + (" NOT NULL" if c.required else "")
                    for c in schema.columns
                )
                con.execute(f'CREATE OR REPLACE TABLE "{name}" ({cols})')
                table = dataset.table(name).select(list(schema.column_names))
                if table.num_rows:
                    con.register("_ihms_incoming", table)
                    con.execute(f'INSERT INTO "{name}" SELECT * FROM _ihms_incoming')
                    con.unregister("_ihms_incoming")
            meta = {
                "schema_version": SCHEMA_VERSION,
                "period_start": dataset.period.start.isoformat(),
                "period_end": dataset.period.end.isoformat(),
                "id_scheme": dataset.id_scheme,
                "source": dataset.source,
                "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "key_fingerprint": dataset.key_fingerprint or "",
                "producer": dataset.producer,
                "unrecorded": json.dumps({t: list(c) for t, c in dataset.unrecorded.items()}),
                "producer_details": json.dumps(dict(dataset.producer_details)),
                "run_id": dataset.run_id or "",
                "column_map": dataset.column_map or "",
                "column_map_tables": json.dumps(list(dataset.column_map_tables)),
            }
            con.execute(f'CREATE OR REPLACE TABLE "{META_TABLE}" (key VARCHAR, value VARCHAR)')
            con.executemany(f'INSERT INTO "{META_TABLE}" VALUES (?, ?)', list(meta.items()))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._ibis = None

    # -- reading --------------------------------------------------------------------------
    def _table_names(self) -> list[str]:
        return [
            row[0]
            for row in self._con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY table_name"
            ).fetchall()
        ]

    def contents(self) -> str | None:
        """What the store holds, in words (``None`` for a new or empty store): for an
        ihms data set its encounters and residents, period, source, when it was
        written and the column map its tables were read through (which tables, which
        map's file and digest); otherwise the names of the tables found."""
        names = self._table_names()
        if not names:
            return None
        if META_TABLE not in names:
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            return f"{len(names)} tables not written by ihms ({shown})"
        meta = self._meta()
        counts = [
            f"{self._count(name):,} {name}" for name in ("encounters", "residents") if name in names
        ]
        what = f"a data set of {' and '.join(counts)}" if counts else "an ihms data set"
        period = f" for {meta.get('period_start', '?')} to {meta.get('period_end', '?')}"
        source = f" from {meta['source']}" if meta.get("source") else ""
        written = f", written {meta['written_at']}" if meta.get("written_at") else ""
        mapped = ""
        if meta.get("column_map"):
            tables = json.loads(meta.get("column_map_tables") or "[]")
            mapped = (
                f"; {', '.join(tables) or 'tables'} read through column map {meta['column_map']}"
            )
        return f"{what}{period}{source}{written}{mapped}"

    def _count(self, name: str) -> int:
        if name in self.absent_tables():
            return 0
        return self._con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]

    def _once(self, key: object, read):
        """``read()``, kept under ``key`` for the life of a read-only store."""
        if not self.read_only:
            return read()
        if key not in self._catalog:
            self._catalog[key] = read()
        return self._catalog[key]

    def _meta(self) -> dict[str, str]:
        return dict(self._once("meta", self._read_meta))

    def _read_meta(self) -> dict[str, str]:
        try:
            rows = self._con.execute(f'SELECT key, value FROM "{META_TABLE}"').fetchall()
        except duckdb.CatalogException:
            raise InputError(
                f"store {self.path}: holds no ihms data set yet (import one: ihms data import)"
            ) from None
        return dict(rows)

    def _checked_meta(self) -> dict[str, str]:
        meta = self._meta()
        version = meta.get("schema_version", "?")
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise DataError(
                f"store {self.path}: written with data schema {version}; this ihms reads "
                f"schema {SCHEMA_VERSION} (re-import the data)"
            )
        return meta

    @property
    def period(self) -> Period:
        """The period of the data set held (cheaper than :meth:`info`)."""
        meta = self._checked_meta()
        return Period(
            date.fromisoformat(meta["period_start"]), date.fromisoformat(meta["period_end"])
        )

    @property
    def producer(self) -> str:
        """The program that wrote the data set held (``"ihms.sim"``), ``""`` for a
        county's export (cheaper than :meth:`info`, which counts every table's rows)."""
        return self._checked_meta().get("producer") or ""

    def info(self) -> StoreInfo:
        """The metadata of the data set held (raises if the store is empty)."""
        meta = self._checked_meta()
        version = meta["schema_version"]
        counts = {name: self._count(name) for name in SCHEMAS}
        return StoreInfo(
            schema_version=version,
            period=Period(
                date.fromisoformat(meta["period_start"]), date.fromisoformat(meta["period_end"])
            ),
            id_scheme=meta["id_scheme"],
            source=meta.get("source", ""),
            written_at=meta.get("written_at", ""),
            key_fingerprint=meta.get("key_fingerprint") or None,
            row_counts=counts,
            producer=meta.get("producer") or "",
            unrecorded={t: tuple(c) for t, c in json.loads(meta.get("unrecorded") or "{}").items()},
            producer_details=json.loads(meta.get("producer_details") or "{}"),
            run_id=meta.get("run_id") or None,
            column_map=meta.get("column_map") or None,
            column_map_tables=tuple(json.loads(meta.get("column_map_tables") or "[]")),
        )

    @property
    def backend(self) -> ibis.BaseBackend:
        """The Ibis DuckDB backend over this store's connection."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self._con)
        return self._ibis

    def absent_columns(self, name: str) -> tuple[str, ...]:
        """The columns of table ``name`` this store does not hold: optional columns added
        by a later minor schema version than the one it was written under. Reads
        (:meth:`table`, :meth:`arrow`, :meth:`to_pandas`) give them as nulls.

        Parameters
        ----------
        name
            A table of the schema; another is an :class:`~ihms.errors.InputError`.
        """
        if name not in SCHEMAS:
            raise InputError(f"no table {name!r}; tables are {', '.join(SCHEMAS)}")
        if self.read_only:  # every table's columns in one query, kept
            held = self._once("columns", lambda: self._columns_held(None)).get(name, set())
        else:
            held = self._columns_held(name).get(name, set())
        return tuple(c for c in SCHEMAS[name].column_names if c not in held)

    def _columns_held(self, name: str | None) -> dict[str, set[str]]:
        """The columns of table ``name`` (of every table for None), by table."""
        held: dict[str, set[str]] = {}
        for table, column in self._con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE (table_name = ? OR ? IS NULL) AND table_schema = current_schema()",
            [name, name],
        ).fetchall():
            held.setdefault(table, set()).add(column)
        return held

    def absent_tables(self) -> tuple[str, ...]:
        """The schema's tables this store does not hold because a later minor schema
        version than the one it was written under added them (:data:`TABLES_ADDED`).
        Reads give them empty; any other table missing stays an error."""
        return self._once("absent_tables", self._read_absent_tables)

    def _read_absent_tables(self) -> tuple[str, ...]:
        written = _version(self._meta().get("schema_version", "0.0"))
        held = set(self._table_names())
        return tuple(
            name
            for name, since in TABLES_ADDED.items()
            if name not in held and written < _version(since)
        )

    def _select(self, name: str) -> str:
        """SQL giving table ``name`` in the schema's columns, nulls for absent columns,
        no rows for an absent table."""
        if name in self.absent_tables():
            cols = ", ".join(
                f'CAST(NULL AS {_DUCK[c.dtype]}) AS "{c.name}"' for c in SCHEMAS[name].columns
            )
            return f"SELECT {cols} WHERE false"
        absent = set(self.absent_columns(name))
        cols = ", ".join(
            f'CAST(NULL AS {_DUCK[c.dtype]}) AS "{c.name}"' if c.name in absent else f'"{c.name}"'
            for c in SCHEMAS[name].columns
        )
        return f'SELECT {cols} FROM "{name}"'

    def _ibis_table(self, name: str) -> ibis.Table:
        return self._once(("ibis", name), lambda: self._read_ibis_table(name))

    def _read_ibis_table(self, name: str) -> ibis.Table:
        if name in self.absent_tables():
            # a temporary view (a read-only store allows them) keeps the table on this
            # connection, so it joins the stored tables like any other
            view = f"_ihms_absent_{name}"
            self._con.execute(f'CREATE OR REPLACE TEMP VIEW "{view}" AS {self._select(name)}')
            return self.backend.table(view)
        table = self.backend.table(name)
        absent = self.absent_columns(name)
        if absent:
            import ibis

            schema = SCHEMAS[name]
            table = table.mutate(
                **{c: ibis.null().cast(schema.column(c).arrow_type) for c in absent}
            ).select(*schema.column_names)
        return table

    def table(self, name: str) -> ibis.Table:
        """One table as an Ibis expression (checked against the store's metadata).

        Parameters
        ----------
        name
            A table of the schema; one the store does not hold (added by a later schema
            version) reads as no rows.

        Raises
        ------
        InputError
            No table of the schema is called ``name``.
        DataError
            The store was written under another major schema version.
        """
        if name not in SCHEMAS:
            raise InputError(f"no table {name!r}; tables are {', '.join(SCHEMAS)}")
        self._checked_meta()
        return self._ibis_table(name)

    def tables(self) -> dict[str, ibis.Table]:
        """Every schema table as Ibis expressions, by name."""
        self._checked_meta()
        return {name: self._ibis_table(name) for name in SCHEMAS}

    def arrow(self, name: str) -> pa.Table:
        """One table as pyarrow, in the schema's column order.

        Parameters
        ----------
        name
            A table of the schema, as :meth:`table` takes it.
        """
        if name in _STRUCTURE:  # read again and again (which county, which consortium)
            return self._once(("arrow", name), lambda: self._read_arrow(name))
        return self._read_arrow(name)

    def _read_arrow(self, name: str) -> pa.Table:
        return self._con.sql(self._select(name)).to_arrow_table()

    def to_pandas(self, name: str) -> pd.DataFrame:
        """One table as pandas (nullable dtypes, dates as ``datetime64``).

        Parameters
        ----------
        name
            A table of the schema, as :meth:`table` takes it.
        """
        self._checked_meta()
        return _to_pandas(self.arrow(name))

    def dataset(self) -> Dataset:
        """The whole data set back as a :class:`Dataset` (not revalidated)."""
        info = self.info()
        return Dataset(
            {name: self.arrow(name) for name in SCHEMAS},
            info.period,
            id_scheme=info.id_scheme,
            source=info.source,
            key_fingerprint=info.key_fingerprint,
            producer=info.producer,
            unrecorded=info.unrecorded,
            producer_details=info.producer_details,
            run_id=info.run_id,
            column_map=info.column_map,
            column_map_tables=info.column_map_tables,
        )

    # -- export -----------------------------------------------------------------------------
    def export(
        self,
        out_dir: str | Path,
        *,
        format: str = "parquet",
        tables: Iterable[str] | None = None,
    ) -> list[Path]:
        """Write tables as ``<out_dir>/<table>.parquet`` (or ``.csv``) plus ``dataset.json``
        (period, source, schema version, id scheme and key fingerprint), so ``ihms data
        import <out_dir>`` reads the folder back with its period and without hashing its
        already pseudonymised ids a second time.

        Refuses a store whose ids are raw: only pseudonymised or synthetic ids leave it.
        Files are written to a hidden working folder that replaces ``out_dir``'s files
        only when all are complete (one that a killed export left is removed here; the
        import refuses a folder holding it); an earlier export's table files this one
        does not write are then removed, and any other table file refused beforehand.

        Parameters
        ----------
        out_dir
            The folder to write into; created if missing.
        format
            ``"parquet"`` or ``"csv"`` (with a header row; money in integer fen).
        tables
            Names of the tables to write; by default every table of the schema.

        Returns
        -------
        list of Path
            The files written, ``dataset.json`` included.

        Raises
        ------
        InputError
            A format or table name not known, or a store holding raw ids.
        DataError
            A pseudonymised store holding ids that are no pseudonyms.
        """
        return export_tables(self, out_dir, format=format, tables=tables)
