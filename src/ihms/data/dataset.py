"""A data set: every table of the schema, typed, over a period, checked as a whole.

:class:`Dataset` is what a store holds and what the county simulator produces. Build
one from pandas or pyarrow tables with :meth:`Dataset.from_frames`; it coerces every
column to the schema's type and then validates the whole set (types, ranges, allowed
values, keys, references between tables, dates inside the period, insurance within the
cost), collecting every problem before raising one :class:`~ihms.errors.DataError`.
A closed vocabulary's value written in Chinese or another spelling (``乡镇卫生院`` for
``primary_centre``) is read as its code first, with a note (:attr:`Dataset.translations`).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms._repr import brief_repr
from ihms.data._row_labels import RowLabels
from ihms.data._table_coerce import (
    coerce_table,
    loose_schema,
    matches_schema,
)
from ihms.data._vocabulary import Translation
from ihms.data.schema import SCHEMAS
from ihms.errors import DataError, InputError

__all__ = ["ID_SCHEMES", "Dataset", "Period", "RowLabels"]

ID_SCHEMES = ("pseudonymised", "synthetic", "raw")


@dataclass(frozen=True)
class Period:
    """The first and last day the data cover (both inclusive)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InputError(f"period: start {self.start} is after end {self.end}")

    @classmethod
    def parse(cls, start: str | date, end: str | date) -> Period:
        """From ``YYYY-MM-DD`` strings (or ``YYYY-MM`` / ``YYYY``, taken as the first or
        last day of that month or year)."""
        return cls(parse_day(start, first=True), parse_day(end, first=False))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start.year, self.end.year + 1))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def parse_day(value: str | date, *, first: bool, name: str = "period") -> date:
    """The day ``value`` names (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` as the first or
    last day of that month or year, as ``first`` says); an :class:`InputError` naming
    ``name`` (``--start``) and what is wrong: a month past 12, a day its month lacks."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    parts = re.fullmatch(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})(?:-(?P<d>[0-9]{1,2}))?", text)
    if parts and not 1 <= int(parts["m"]) <= 12:
        raise InputError(
            f"{name}: month {parts['m']} does not exist (months are 01–12), got {value!r}"
        )
    if parts and parts["d"] is not None:
        year, month = int(parts["y"]), int(parts["m"])
        days = calendar.monthrange(year, month)[1]
        if not 1 <= int(parts["d"]) <= days:
            raise InputError(
                f"{name}: day {parts['d']} does not exist in {year}-{month:02d} (it has "
                f"{days} days), got {value!r}"
            )
    try:
        if len(text) == 4:
            return date(int(text), 1, 1) if first else date(int(text), 12, 31)
        if len(text) == 7:
            p = pd.Period(text, freq="M")
            return (p.start_time if first else p.end_time).date()
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{name}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}"
        ) from None


@dataclass(frozen=True)
class Dataset:
    """Every table of the schema, typed as :data:`~ihms.data.SCHEMAS` says.

    Attributes
    ----------
    tables
        ``pyarrow.Table`` by table name; tables not supplied are present and empty.
    period
        The period the records must fall in.
    id_scheme
        ``"pseudonymised"`` (ids went through a keyed hash on import), ``"synthetic"``
        (ids made up by a generator or simulator) or ``"raw"`` (ids as a source system
        issued them; such a data set can be stored but never exported).
    source
        Where the data came from, for the record.
    key_fingerprint
        Fingerprint of the pseudonymisation key, if any (never the key itself).
    labels
        How to name each table's rows in messages (see :class:`RowLabels`).
    translations
        Values of closed vocabularies written in Chinese or another spelling that
        :meth:`from_frames` read as their codes (``乡镇卫生院`` as ``primary_centre``), one
        :class:`~ihms.data._vocabulary.Translation` per column; ``str()`` of each is a
        note for the reader.
    producer, unrecorded
        The program that made the tables, if one did (``ihms.sim``), and the columns it
        never records, by table (the simulator's consultation fees): their empty cells
        are by design, not an export's gap (see :func:`ihms.data.data_gaps`).
    producer_details
        What that program says of the data it made, as text by key (the simulator's
        ``regime`` and ``reform`` month, which ``ihms payment settle`` reads), kept in
        the store's metadata and ``dataset.json``.
    run_id
        The id of the program's run that made the tables, if it gives one (``ihms sim
        run`` does, and records it in its ``summary.json`` too), kept in the store's
        metadata and ``dataset.json``.
    column_map
        The column map the tables were read through, if any: its file and digest
        (``his_map.yaml sha256:…``, :attr:`ihms.data.column_map.ColumnMap.record`), kept
        in the store's metadata.
    column_map_tables
        The tables whose files were read through that map (the folder's tables it has
        entries for), kept with it.
    """

    tables: Mapping[str, pa.Table]
    period: Period
    id_scheme: str = "synthetic"
    source: str = ""
    key_fingerprint: str | None = None
    labels: Mapping[str, RowLabels] = field(default_factory=dict)
    translations: tuple[Translation, ...] = ()
    producer: str = ""
    unrecorded: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    producer_details: Mapping[str, str] = field(default_factory=dict)
    run_id: str | None = None
    column_map: str | None = None
    column_map_tables: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.id_scheme not in ID_SCHEMES:
            raise InputError(
                f"id_scheme: expected one of {', '.join(ID_SCHEMES)}, got {self.id_scheme!r}"
            )
        if self.run_id is not None and (
            not isinstance(self.run_id, str) or not self.run_id.strip()
        ):
            raise InputError(f"run_id: expected a run's id (text) or None, got {self.run_id!r}")
        object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "unrecorded", MappingProxyType(dict(self.unrecorded)))
        object.__setattr__(self, "producer_details", MappingProxyType(dict(self.producer_details)))
        object.__setattr__(self, "column_map_tables", tuple(self.column_map_tables))

    def __repr__(self) -> str:
        # the generated repr printed every pyarrow table (~10,000 characters for a
        # small county)
        counts = self.row_counts()
        return brief_repr(
            self,
            source=self.source or None,
            period=str(self.period),
            id_scheme=self.id_scheme,
            tables=sum(1 for n in counts.values() if n),
            rows=sum(counts.values()),
        )

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        frames: Mapping[str, pd.DataFrame | pa.Table],
        *,
        period: Period,
        id_scheme: str = "synthetic",
        source: str = "",
        key_fingerprint: str | None = None,
        labels: Mapping[str, RowLabels] | None = None,
        validate: bool = True,
    ) -> Dataset:
        """Coerce ``frames`` to the schema and (by default) validate the whole set.

        Parameters
        ----------
        frames
            Tables by name (any subset of the schema; missing ones are empty). Columns
            must carry the schema's names; a money column ``x_fen`` may instead be given
            as ``x_yuan`` (decimal yuan with at most two decimals, converted exactly).
        period
            The period every dated record must fall in.
        id_scheme, source, key_fingerprint
            See the class attributes.
        labels
            File name and first row number per table, for messages (default: the table
            name, rows numbered from 1).
        validate
            Run :meth:`validate` (raising on any problem). Only skip it for data you
            have just validated.

        Raises
        ------
        DataError
            Listing every unreadable value, unknown or missing column and failed check,
            in one run: a row with an unreadable cell (or refused by the reader, a total
            row) is named by it and left out of the checks, which run on the other rows
            (with ``validate``); a table with an unknown or missing column is not
            checked, nor looked up by the others.
        """
        labels = dict(labels or {})
        unknown = [name for name in frames if name not in SCHEMAS]
        if unknown:
            hints = []
            for name in unknown:
                close = difflib.get_close_matches(name, list(SCHEMAS), n=1)
                hints.append(
                    f"unknown table '{name}'" + (f"; did you mean '{close[0]}'?" if close else "")
                )
            raise DataError("the data set names tables ihms does not know", hints)
        problems: list[str] = []
        tables: dict[str, pa.Table] = {}
        translations: list[Translation] = []
        # the rows with an unreadable cell, by table: left out of the checks, which run
        # on the rest, so one run names both kinds of problem (None: a table that could
        # not be read as a whole, whose rows cannot be checked)
        unread: dict[str, pa.Table | None] = {}
        for name, schema in SCHEMAS.items():
            label = labels.setdefault(name, RowLabels(name))
            frame = frames.get(name)
            if frame is None:
                tables[name] = schema.to_arrow().empty_table()
                continue
            if isinstance(frame, pa.Table):
                if matches_schema(frame, schema):
                    # Already typed as the schema says (a generator's or simulator's
                    # output): no coercion needed.
                    tables[name] = frame.select(list(schema.column_names)).cast(
                        loose_schema(schema)
                    )
                    continue
                frame = frame.to_pandas()
            table, more, yuan, read, bad = coerce_table(frame, schema, label)
            problems += more
            translations += read
            tables[name] = table
            if yuan:
                labels[name] = replace(label, yuan=yuan)
            if bad is None:
                unread[name] = None
            elif bad.any():
                unread[name] = table.filter(bad)
                tables[name] = table.filter(~bad)
                labels[name] = _numbered_past(labels[name], bad)
        if problems:
            summary = f"{len(problems)} problem(s) reading the data set"
            checked = _checks_of_rows_read(tables, period, labels, unread) if validate else []
            if checked:
                summary = (
                    f"{len(problems) + len(checked)} problem(s) in the data set: "
                    f"{len(problems)} reading its cells, {len(checked)} in the checks of the "
                    "rows read"
                )
            not_read = sum(rows.num_rows for rows in unread.values() if rows is not None)
            if not_read and validate:
                # a fixed row may still fail a check: said, so a second run is no surprise
                summary += (
                    f"; the {not_read:,} row(s) with unreadable cells get those checks once "
                    "their cells are mended"
                )
            raise DataError(summary, problems + checked)
        dataset = cls(
            tables,
            period,
            id_scheme=id_scheme,
            source=source,
            key_fingerprint=key_fingerprint,
            labels=labels,
            translations=tuple(translations),
        )
        if validate:
            dataset.validate()
        return dataset

    # -- access ---------------------------------------------------------------------------
    def table(self, name: str) -> pa.Table:
        """One table as pyarrow.

        Parameters
        ----------
        name
            A table of the schema (``encounters``).

        Raises
        ------
        InputError
            The data set has no such table (naming those it has).
        """
        try:
            return self.tables[name]
        except KeyError:
            raise InputError(f"no table {name!r}; tables are {', '.join(self.tables)}") from None

    def to_pandas(self, name: str) -> pd.DataFrame:
        """One table as pandas (dates as ``datetime64``, nullable integer dtypes).

        Parameters
        ----------
        name
            A table of the schema; :class:`~ihms.errors.InputError` for another.
        """
        return _to_pandas(self.table(name))

    def replace(self, **tables: pa.Table | pd.DataFrame) -> Dataset:
        """A copy with some tables replaced (coerced and revalidated).

        Parameters
        ----------
        **tables
            New contents by table name (``encounters=frame``), as
            :meth:`from_frames` takes them; period, ids, labels and provenance are kept,
            and the code translations of the tables not replaced.

        Raises
        ------
        DataError
            A replaced table fails validation; ``self`` is unchanged either way.
        """
        frames: dict[str, pa.Table | pd.DataFrame] = dict(self.tables)
        frames.update(tables)
        out = Dataset.from_frames(
            frames,
            period=self.period,
            id_scheme=self.id_scheme,
            source=self.source,
            key_fingerprint=self.key_fingerprint,
            labels=self.labels,
        )
        kept = tuple(t for t in self.translations if t.table not in tables)
        return replace(
            out,
            translations=kept + out.translations,
            producer=self.producer,
            unrecorded=self.unrecorded,
            producer_details=self.producer_details,
            run_id=self.run_id,
        )

    def row_counts(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}

    # -- validation -----------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every failed check across all tables (see :mod:`ihms.data.validate`)."""
        from ihms.data.validate import dataset_problems

        return dataset_problems(self)

    def validate(self) -> Dataset:
        """Raise :class:`~ihms.errors.DataError` listing every problem; return self."""
        found = self.problems()
        if found:
            raise DataError(f"{len(found)} problem(s) in the data set", found)
        return self


def _numbered_past(label: RowLabels, rows: np.ndarray) -> RowLabels:
    """``label`` for the table without its rows at ``rows`` (a mask by position): the
    rows after them keep the file's numbers, as they do past the empty rows left out."""
    gone = {label.row(i) for i in np.flatnonzero(rows)}
    return replace(label, left_out=tuple(sorted(gone.union(label.left_out))))


def _checks_of_rows_read(
    tables: Mapping[str, pa.Table],
    period: Period,
    labels: Mapping[str, RowLabels],
    unread: Mapping[str, pa.Table | None],
) -> list[str]:
    """The checks of a data set some of whose rows had a cell that could not be read
    (``unread``, by table; ``None`` for a table not read at all), run on the rows read:
    an id of a row not read is no unknown id, nor any id of a table not read
    (:func:`ihms.data.validate.dataset_problems`)."""
    from ihms.data.validate import dataset_problems

    dataset = Dataset(tables, period, id_scheme="raw", labels=labels)
    return dataset_problems(dataset, unread=unread)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(
        types_mapper={
            pa.int16(): pd.Int16Dtype(),
            pa.int32(): pd.Int32Dtype(),
            pa.int64(): pd.Int64Dtype(),
            pa.bool_(): pd.BooleanDtype(),
            pa.float64(): pd.Float64Dtype(),
        }.get,
        date_as_object=False,
    )
