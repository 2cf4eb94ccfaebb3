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

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms._repr import brief_repr
from ihms.data._coerce import DATE_FORMS, coerce, is_blank, placeholder_reason, yuan_reasons
from ihms.data._vocabulary import Translation, read_codes
from ihms.data.schema import SCHEMAS, TableSchema
from ihms.errors import DataError, InputError, format_location

__all__ = ["ID_SCHEMES", "Dataset", "Period", "RowLabels"]

ID_SCHEMES = ("pseudonymised", "synthetic", "raw")
MAX_ROWS_PER_CHECK = 100


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
        return cls(_parse_day(start, first=True), _parse_day(end, first=False))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start.year, self.end.year + 1))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def _parse_day(value: str | date, *, first: bool) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4:
            return date(int(text), 1, 1) if first else date(int(text), 12, 31)
        if len(text) == 7:
            p = pd.Period(text, freq="M")
            return (p.start_time if first else p.end_time).date()
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"period: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}"
        ) from None


@dataclass(frozen=True)
class RowLabels:
    """How to name a table's rows in messages: its file, the number of its first data
    row (2 for a CSV file with a header line, as a spreadsheet shows it), the money
    columns the file gives in yuan (``yuan``: the schema's ``x_fen`` names of the
    file's ``x_yuan`` columns), so a message names the file's column and amount, and
    the file's rows left out as wholly empty (``skipped``, as the file numbers them:
    the rows after them keep their own numbers, :meth:`row`) and how many lines above
    the header were left out as the sheet's title (``title_lines``)."""

    file: str
    first_row: int = 1
    yuan: frozenset[str] = frozenset()
    skipped: tuple[int, ...] = ()
    title_lines: int = 0

    def row(self, position: int) -> int:
        """The file's number of the table's row at ``position`` (0 for the first)."""
        number = int(position) + self.first_row
        for gone in self.skipped:  # ascending
            if gone > number:
                break
            number += 1
        return number

    def column(self, name: str) -> str:
        """The file's name for the schema's column ``name``."""
        return f"{name[:-4]}_yuan" if name in self.yuan else name

    def money(self, name: str, fen: int) -> str:
        """An amount of the schema's fen column ``name`` as the file writes it:
        ``-15.00 yuan`` for a yuan column, ``-1,500 fen`` otherwise."""
        if name in self.yuan:
            return f"{Decimal(int(fen)).scaleb(-2):,.2f} yuan"
        return f"{int(fen):,} fen"


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

    def __post_init__(self) -> None:
        if self.id_scheme not in ID_SCHEMES:
            raise InputError(
                f"id_scheme: expected one of {', '.join(ID_SCHEMES)}, got {self.id_scheme!r}"
            )
        object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "unrecorded", MappingProxyType(dict(self.unrecorded)))

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
            Listing every unreadable value, unknown or missing column and failed check.
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
        for name, schema in SCHEMAS.items():
            label = labels.setdefault(name, RowLabels(name))
            frame = frames.get(name)
            if frame is None:
                tables[name] = schema.to_arrow().empty_table()
                continue
            if isinstance(frame, pa.Table):
                if _matches(frame, schema):
                    # Already typed as the schema says (a generator's or simulator's
                    # output): no coercion needed.
                    tables[name] = frame.select(list(schema.column_names)).cast(_loose(schema))
                    continue
                frame = frame.to_pandas()
            table, more, yuan, read = _coerce_table(frame, schema, label)
            problems += more
            translations += read
            tables[name] = table
            if yuan:
                labels[name] = replace(label, yuan=yuan)
        if problems:
            raise DataError(f"{len(problems)} problem(s) reading the data set", problems)
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
        try:
            return self.tables[name]
        except KeyError:
            raise InputError(f"no table {name!r}; tables are {', '.join(self.tables)}") from None

    def to_pandas(self, name: str) -> pd.DataFrame:
        """One table as pandas (dates as ``datetime64``, nullable integer dtypes)."""
        return _to_pandas(self.table(name))

    def replace(self, **tables: pa.Table | pd.DataFrame) -> Dataset:
        """A copy with some tables replaced (coerced and revalidated)."""
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


def _loose(schema: TableSchema) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow_type, nullable=True) for c in schema.columns])


def _matches(table: pa.Table, schema: TableSchema) -> bool:
    if set(table.column_names) != set(schema.column_names):
        return False
    return all(table.schema.field(c.name).type == c.arrow_type for c in schema.columns)


def _coerce_table(
    frame: pd.DataFrame, schema: TableSchema, label: RowLabels
) -> tuple[pa.Table, list[str], frozenset[str], list[Translation]]:
    """The typed table, the problems found, the fen columns given in yuan and the
    values of closed vocabularies read as their codes."""
    problems: list[str] = []
    translations: list[Translation] = []
    frame = frame.reset_index(drop=True)
    present = {str(c) for c in frame.columns}
    columns: dict[str, pd.Series] = {}
    yuan: set[str] = set()
    wanted = schema.column_names
    for col in schema.columns:
        name = col.name
        in_yuan = f"{name[:-4]}_yuan" if name.endswith("_fen") else None
        if name in present and in_yuan in present:
            # two columns for one amount: which one is right cannot be told
            problems.append(
                f"{label.file}: columns '{name}' and '{in_yuan}' both give the same amount; "
                f"keep one ('{name}' in whole fen or '{in_yuan}' in yuan)"
            )
            present.discard(in_yuan)
            continue
        if name in present:
            values, bad = coerce(frame[name], "fen" if col.unit == "fen" else col.dtype)
            values, translation = read_codes(values, schema.name, name)
            if translation is not None:
                translations.append(translation)
        elif in_yuan in present:
            values, bad = coerce(frame[in_yuan], "yuan")
            present.discard(in_yuan)
            yuan.add(name)
            sizes = yuan_reasons(frame[in_yuan])
            problems += _bad_values(
                frame[in_yuan],
                bad & sizes.isna(),
                label,
                in_yuan,
                "yuan with at most two decimals, digits only (1234.57: no thousands separators or 元)",
            )
            for reason in sizes.dropna().unique():
                problems += _bad_values(
                    frame[in_yuan], bad & (sizes == reason), label, in_yuan, reason=reason
                )
            columns[name] = values
            continue
        elif col.required:
            problems.append(f"{label.file}: missing required column '{name}'")
            continue
        else:
            values, bad = coerce(pd.Series(pd.NA, index=frame.index), col.dtype)
        expected = _EXPECTED[col.dtype]
        if col.unit == "fen":
            expected = (
                f"whole fen (1 yuan = 100 fen; digits only, no decimals or thousands "
                f"separators; give yuan in a column '{name[:-4]}_yuan')"
            )
        problems += _bad_values(frame.get(name, values), bad, label, name, expected)
        if name.endswith("_id") and name in present and col.dtype == "string":
            problems += _bad_values(
                frame[name], _excel_scientific(frame[name]), label, name, reason=EXCEL_ID
            )
        columns[name] = values
    extra = sorted(present - set(wanted) - {f"{c[:-4]}_yuan" for c in wanted if c.endswith("_fen")})
    for name in extra:
        if re.fullmatch(r"Unnamed: \d+", name):  # a header cell left empty
            if not is_blank(frame[name]).all():  # a spreadsheet's empty column: nothing
                number = list(frame.columns).index(name) + 1
                problems.append(
                    f"{label.file}: column {number} has values but no name in the header; "
                    "name it (see `ihms data schema`) or delete it"
                )
            continue
        close = difflib.get_close_matches(name, list(wanted), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.append(f"{label.file}: unknown column '{name}'{hint}")
    if problems:
        return schema.to_arrow().empty_table(), problems, frozenset(yuan), translations
    arrays = []
    for col in schema.columns:
        values = columns[col.name]
        if col.dtype == "date":
            arr = pa.array(
                values.dt.date if len(values) else [], type=pa.date32(), from_pandas=True
            )
        else:
            arr = pa.array(values, type=col.arrow_type, from_pandas=True)
        arrays.append(arr)
    # Nullability is checked by validation (with row numbers), so build a permissive
    # schema here and let Dataset.validate report missing values.
    table = pa.Table.from_arrays(arrays, schema=_loose(schema))
    return table, problems, frozenset(yuan), translations


_EXPECTED = {
    "string": "text",
    "int16": "a whole number",
    "int32": "a whole number",
    "int64": "a whole number",
    "float64": "a number",
    "bool": "true or false",
    "date": f"a date ({DATE_FORMS}; a day or month in digits never first)",
}


#: Why an id such as ``3.50426E+17`` is refused: Excel shows a long number (an ID card
#: number, an 18-digit record id) in scientific notation and saves it so to CSV.
EXCEL_ID = (
    "an id Excel turned into a number in scientific notation (its digits are lost); "
    "format the column as text in Excel and save the file again"
)


def _excel_scientific(cells: pd.Series) -> pd.Series:
    text = cells.astype("string").str.strip()
    found = text.str.fullmatch(r"[0-9](?:\.[0-9]+)?[eE]\+[0-9]{1,3}")
    return found.fillna(False).astype(bool)


def _bad_values(
    raw: pd.Series,
    bad: pd.Series,
    label: RowLabels,
    column: str,
    expected: str = "",
    *,
    reason: str = "",
) -> list[str]:
    """One message per bad cell (file, row, column): ``reason`` if given (what is wrong
    with a readable value), else what was ``expected``, and the cell."""
    if not bad.any():
        return []
    reason = reason or f"expected {expected}"
    idx = bad.to_numpy().nonzero()[0]
    out = []
    for i in idx[:MAX_ROWS_PER_CHECK]:
        where = format_location(file=label.file, row=label.row(i), field=column)
        cell = raw.iloc[i]
        cell = cell.item() if isinstance(cell, np.generic) else cell  # 1.5, not np.float64(1.5)
        out.append(f"{where}: {placeholder_reason(cell) or reason}, got {cell!r}")
    if len(idx) > MAX_ROWS_PER_CHECK:
        out.append(
            f"{label.file}: {len(idx) - MAX_ROWS_PER_CHECK:,} more rows with unreadable "
            f"'{column}' ({reason})"
        )
    return out
