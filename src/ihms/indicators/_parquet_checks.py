"""The checks of a Parquet folder before the indicators read it, with the data layer's
rules, not a second set: first its columns' types against :data:`~ihms.data.SCHEMAS`
(from the files' footers, before any engine starts), then its rows against what
``ihms data import`` checks: the schema's required values, allowed codes, bounds and
references, its unique keys, and the row rules of :data:`ihms.data._row_rules.ROW_RULES`.
The row checks are queries of the engine (DuckDB or PySpark): one per table counts the
rows breaking each column and row rule, each reference (a left join to the referenced
table's keys) and its unique key (a window), then the first rows breaking each rule are
fetched, with their Parquet file and row (the first row of a file is 1). So a province's folder is checked where it
is computed, not read into pandas. A reference is an equi-join, which Spark can sort and
merge; the ``NOT IN`` subquery it replaced (session 38) ran as a null-aware anti join,
which Spark only broadcasts: every encounter id to every executor, for the claims.

Not pushed down (``ihms data check`` on the source data does them): an
institution's active years, a record within its resident's presence, the claims of an
encounter summed against its cost, and the structural tables' consistency.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pyarrow as pa

from ihms._listing import nearest_listed
from ihms.data._checks import above_max, below_min
from ihms.data._row_rules import Bounds, rules_of
from ihms.data._vocabulary import AS_IT_STANDS, stored_refusal
from ihms.data.dataset import Period, RowLabels
from ihms.data.schema import SCHEMAS, Column
from ihms.errors import Problem

if TYPE_CHECKING:  # pragma: no cover
    import ibis

__all__ = ["FILE", "ROW", "arrow_schema", "content_problems", "type_problems"]

#: The columns the engine adds to a table read for checking: the Parquet file a row
#: comes from and its position in that file (0 for the first).
FILE, ROW = "filename", "file_row_number"
#: The failing rows a message lists per rule; the rest are counted.
SHOWN = 3


def arrow_schema(path: Path) -> tuple[pa.Schema, frozenset[str]]:
    """The schema of a table's Parquet file, or of a folder of part files or hive
    partitions, from the footers only; and the partition keys (``year`` of
    ``year=2019/``), whose type is guessed from the folder names."""
    if path.is_dir():
        import pyarrow.dataset as pds

        found = pds.dataset(path, format="parquet", partitioning="hive")
        keys = found.partitioning.schema.names if found.partitioning is not None else ()
        return found.schema, frozenset(keys)
    import pyarrow.parquet as pq

    return pq.read_schema(path), frozenset()


def _reads_as(found: pa.DataType, dtype: str) -> bool:
    """Whether a Parquet column of type ``found`` reads exactly as the schema's ``dtype``
    (a narrower integer, a timestamp for a date: yes; a float for an integer, text for
    a date: no)."""
    t = pa.types
    if t.is_null(found):
        return True
    if t.is_dictionary(found):
        found = found.value_type
    if dtype == "string":
        return t.is_string(found) or t.is_large_string(found) or t.is_string_view(found)
    if dtype in ("int16", "int32", "int64"):
        bits = int(dtype[3:])
        return t.is_integer(found) and (
            found.bit_width <= bits if t.is_signed_integer(found) else found.bit_width < bits
        )
    if dtype == "float64":
        return t.is_floating(found) or t.is_integer(found)
    if dtype == "bool":
        return t.is_boolean(found)
    if dtype == "date":
        return t.is_date(found) or t.is_timestamp(found)
    return False


def _expected(col: Column) -> str:
    if col.unit == "fen":
        return f"{col.dtype} (integer fen)"
    return {"date": "date", "bool": "boolean"}.get(col.dtype, col.dtype)


def type_problems(files: Mapping[str, Path], folder: Path) -> list[str]:
    """Each column of the files whose type does not read as the schema's, and each
    required column missing, naming file, column, the type found and that expected."""
    problems = []
    for name, path in files.items():
        found, keys = arrow_schema(path)
        where = _shown(path, folder)
        for col in SCHEMAS[name].columns:
            if col.name not in found.names:
                if col.required:
                    problems.append(
                        Problem(
                            f"{where}: no column {col.name}; expected {_expected(col)}, a "
                            "value in every row",
                            file=where,
                            column=col.name,
                            expected=_expected(col),
                        )
                    )
                continue
            kind = found.field(col.name).type
            if col.name not in keys and not _reads_as(kind, col.dtype):
                hint = (
                    " (pandas writes an integer column with nulls as float: write it with a "
                    "nullable integer dtype, Int64)"
                    if pa.types.is_floating(kind) and col.dtype.startswith("int")
                    else _number_codes(name, col.name, kind)
                )
                problems.append(
                    Problem(
                        f"{where}: column {col.name} is {kind}; expected {_expected(col)}{hint}",
                        file=where,
                        column=col.name,
                        value=str(kind),
                        expected=_expected(col),
                    )
                )
            elif col.dtype == "date" and getattr(kind, "tz", None) is not None:
                problems += _zone_problems(path, col.name, folder)
    return problems


def _number_codes(table: str, column: str, kind: pa.DataType) -> str:
    """The hint for sex held as numbers: GB/T 2261.1 codes, which the import reads."""
    if (table, column) != ("residents", "sex") or not (
        pa.types.is_integer(kind) or pa.types.is_floating(kind)
    ):
        return ""
    return (
        " (GB/T 2261.1 codes? `ihms data import` reads 1 as M, 2 as F and 0 and 9 as not "
        f"known (empty) from a column holding only those codes and a 2; {AS_IT_STANDS})"
    )


def _zone_problems(path: Path, column: str, folder: Path) -> list[Problem]:
    """The refusal of a time-zone-aware date column whose days depend on the zone, by
    the rule and in the words of ``ihms data import``
    (:func:`ihms.data._files.zone_unclear`): its first such cell, by file and row."""
    import pyarrow.parquet as pq

    from ihms.data._files import zone_unclear, zoned_text
    from ihms.data._table_coerce import shown, zoned_reason

    parts = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    for part in parts:
        values = pq.read_table(part, columns=[column]).column(0).to_pandas()
        if not zone_unclear(values):
            continue
        row = int(values.notna().to_numpy().argmax())
        text = zoned_text(values.iloc[row])
        where = _shown(part, folder)
        return [
            Problem.at(
                f"{zoned_reason(text)}, got {shown(text)}",
                file=where,
                row=row + 1,
                column=column,
                value=text,
                expected="a local date (YYYY-MM-DD)",
            )
        ]
    return []


def _shown(path: Path | str, folder: Path) -> str:
    """A file as a message names it: from the folder on when it lies inside it."""
    text = unquote(str(path).removeprefix("file://").removeprefix("file:"))  # Spark's URI
    try:
        return str(Path(text).relative_to(folder.resolve()))
    except ValueError:
        try:
            return str(Path(text).relative_to(folder))
        except ValueError:
            return text


def _value(col: str, value) -> str:
    if value is None:
        return "null"
    if col.endswith("_fen"):
        return f"{int(value):,} fen"
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def _checks(
    name: str, t: ibis.Table, tables: Mapping[str, ibis.Table], bounds: Bounds
) -> Iterator[tuple[str, str, object, tuple[str, ...], object]]:
    """``(column, summary, failing expression, columns to show, message of a row)``
    of each check of table ``name``; a reference's expression is a subquery."""
    label = RowLabels(f"{name}.parquet")
    for col in SCHEMAS[name].columns:
        c, n = t[col.name], col.name
        if col.required:
            yield n, f"'{n}' is empty", c.isnull(), (), lambda row: "a value is required"
        if col.allowed is not None:
            held = _distinct(t, n)
            yield (
                n,
                f"'{n}' is not one of {', '.join(col.allowed)}",
                c.notnull() & ~c.isin(col.allowed),
                (n,),
                lambda row, col=col, held=held: stored_refusal(
                    row[col.name], name, col.name, col.allowed, held
                ),
            )
        if col.min is not None:
            yield (
                n,
                f"'{n}' is below {_number(col.min)}",
                c < col.min,
                (n,),
                lambda row, col=col: below_min(label, name, col, row[col.name]),
            )
        if col.max is not None:
            yield (
                n,
                f"'{n}' is above {_number(col.max)}",
                c > col.max,
                (n,),
                lambda row, col=col: above_max(label, col, row[col.name]),
            )
    for rule in rules_of(name):
        shows = rule.shows

        def says(row, rule=rule, shows=shows) -> str:
            values = ", ".join(f"{c} = {_value(c, row[c])}" for c in shows)
            return rule.says(bounds) + (f" ({values})" if values else "")

        yield rule.column, rule.says(bounds), rule.failing(t, bounds), shows, says
    for col, ref_table, ref_col in _references(name, tables):
        what = ref_table.rstrip("s").replace("_", " ") if ref_table != "counties" else "county"
        # the institutions a refusal suggests the nearest of, queried when one first asks
        listed = _listed(tables[ref_table], ref_col) if ref_table == "institutions" else None
        yield (
            col.name,
            f"'{col.name}' names no row of {ref_table}",
            t[col.name].notnull() & t[_found(col.name)].isnull(),
            (col.name,),
            lambda row, c=col.name, w=what, r=ref_table, ids=listed: (
                f"unknown {w} {row[c]!r} (not in {r})"
                + (nearest_listed(row[c], ids()) if ids is not None else "")
            ),
        )


def _references(name: str, tables: Mapping[str, ibis.Table]) -> Iterator[tuple[Column, str, str]]:
    """Each column of table ``name`` referencing a table the folder holds, with that
    table and its key column."""
    for col in SCHEMAS[name].columns:
        if col.references is not None:
            ref_table, ref_col = col.references.split(".")
            if ref_table in tables:
                yield col, ref_table, ref_col


def _listed(t: ibis.Table, column: str):
    """A callable giving ``column``'s values in table order, queried on the first call."""
    values: list = []

    def listed() -> list:
        if not values:
            values.extend(t[column].to_pandas().tolist())
        return values

    return listed


def _found(column: str) -> str:
    """The column :func:`_joined` adds for a reference: true where ``column``'s value is
    a key of the table it references, null where it is not."""
    return f"_found_{column}"


def _joined(name: str, t: ibis.Table, tables: Mapping[str, ibis.Table]) -> ibis.Table:
    """``t`` left-joined to the keys of each table it references that the folder holds
    (:func:`_found`), so that every check of the table is row-wise and one query counts
    them all: on Spark each query is a job of a second or more, whatever the table's
    size, and a ``NOT IN`` subquery runs as a filter of its own (a null-aware anti join)."""
    import ibis

    for col, ref_table, ref_col in _references(name, tables):
        key = f"_key_{col.name}"
        keys = (
            tables[ref_table]
            .select(**{key: tables[ref_table][ref_col]})
            .filter(ibis._[key].notnull())
            .distinct()
            .mutate(**{_found(col.name): ibis.literal(True)})
        )
        t = t.left_join(keys, t[col.name] == keys[key]).drop(key)
    return t


class _distinct:
    """A column's distinct values (at most 100), queried when a refusal first asks:
    whether ``ihms data import`` reads a sex column by GB/T 2261.1 depends on them all."""

    def __init__(self, t: ibis.Table, column: str) -> None:
        self._t, self._column, self._values = t, column, None

    def __call__(self):
        if self._values is None:
            found = self._t.select(self._column).distinct().limit(100).to_pandas()
            self._values = found[self._column].dropna()
        return self._values


def content_problems(tables: Mapping[str, ibis.Table], period: Period, folder: Path) -> list[str]:
    """Every rule the rows of ``tables`` break (read with :data:`FILE` and :data:`ROW`),
    up to :data:`SHOWN` rows each with file, row and column, and a count of the rest."""
    bounds = Bounds(period.start, period.end, period.years, str(period))
    problems: list[str] = []
    for name, table in tables.items():
        # the key's repeats ranked in the same scan as the other checks: on Spark each
        # query is a job of a second or more, whatever the table's size
        t = _joined(name, _ranked(name, table), tables)
        checks = list(_checks(name, t, tables, bounds))
        *counts, repeated = _counts(t, [check[2] for check in checks] + [t["_rank"] > 0])
        for (column, summary, failing, shows, message), count in zip(checks, counts, strict=True):
            if not count:
                continue
            rows = (
                t.filter(failing)
                .order_by([FILE, ROW])
                .select(FILE, ROW, *dict.fromkeys(shows))
                .limit(SHOWN)
                .to_pandas()
            )
            for row in rows.to_dict("records"):
                row = {k: (None if _missing(v) else v) for k, v in row.items()}
                problems.append(
                    Problem.at(
                        message(row),
                        file=_shown(row[FILE], folder),
                        row=int(row[ROW]) + 1,
                        column=column,
                        value=row[column] if column in shows else None,
                    )
                )
            if count > len(rows):
                problems.append(
                    f"{_shown(rows[FILE].iloc[0], folder).split('/')[0]}: "
                    f"{count - len(rows):,} more rows where {summary}"
                )
        if repeated:
            problems += _repeated_keys(name, t, repeated, folder)
    return problems


def _ranked(name: str, t: ibis.Table) -> ibis.Table:
    """``t`` with each row's rank among the rows of its primary key (``_rank``, 0 for
    the first in file and row order) and where that first one is."""
    import ibis

    order = ibis.window(group_by=list(SCHEMAS[name].primary_key), order_by=[FILE, ROW])
    return t.mutate(
        _rank=ibis.row_number().over(order),
        _first_file=t[FILE].first().over(order),
        _first_row=t[ROW].first().over(order),
    )


def _repeated_keys(name: str, ranked: ibis.Table, count: int, folder: Path) -> list[str]:
    """The ``count`` rows repeating an earlier row's primary key (:func:`_ranked`), the
    first :data:`SHOWN` with the row the key first appeared in, as
    :meth:`ihms.data._checks.SchemaChecks.primary_key` says it; the rest counted."""
    keys = list(SCHEMAS[name].primary_key)
    rows = ranked.filter(ranked["_rank"] > 0).order_by([FILE, ROW]).limit(SHOWN).to_pandas()
    key = ", ".join(keys)
    problems = []
    for row in rows.to_dict("records"):
        value = tuple(_key_part(row[c]) for c in keys)
        first = f"{_shown(row['_first_file'], folder)} row {int(row['_first_row']) + 1}"
        problems.append(
            Problem.at(
                f"duplicate key ({key}) = {value!r}, first given in {first}",
                file=_shown(row[FILE], folder),
                row=int(row[ROW]) + 1,
                column=keys[0] if len(keys) == 1 else None,
                value=value[0] if len(keys) == 1 else None,
            )
        )
    if count > len(rows):
        problems.append(
            f"{_shown(rows[FILE].iloc[0], folder).split('/')[0]}: {count - len(rows):,} more "
            f"rows where the key ({key}) repeats"
        )
    return problems


def _key_part(v):
    """A key's value as the data layer's message writes it: a date as ISO, a number as
    an int."""
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return int(v) if isinstance(v, numbers.Integral) else v


def _counts(t: ibis.Table, failing: list) -> list[int]:
    """How many rows each expression holds true, in one query (every check is row-wise:
    references are the columns :func:`_joined` adds)."""
    sums = t.aggregate(
        **{f"c{i}": e.fill_null(False).cast("int64").sum() for i, e in enumerate(failing)}
    ).to_pandas()
    return [0 if _missing(n := sums[f"c{i}"].iloc[0]) else int(n) for i in range(len(failing))]


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _missing(v) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
