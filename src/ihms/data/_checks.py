"""The schema-driven checks of a :class:`~ihms.data.Dataset`: required values, allowed
values, ranges, unique keys and references, each failure naming file, row and column.
:mod:`ihms.data.validate` adds the domain rules on top."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ihms._listing import first_of, nearest_listed
from ihms._width import written_alike_key
from ihms.data._table_coerce import MAX_ROWS_PER_CHECK, also_in, rows_by_value
from ihms.data._vocabulary import refusal
from ihms.data.dataset import Dataset, RowLabels, _to_pandas
from ihms.data.pseudonym import PREFIX, pseudonym_pattern
from ihms.data.schema import Column, TableSchema
from ihms.errors import Problem, did_you_mean, format_location

__all__ = ["SchemaChecks", "above_max", "below_min"]


def _not_in(values: pa.ChunkedArray, allowed: pa.Array) -> np.ndarray:
    """Rows with a value outside ``allowed`` (nulls are not flagged)."""
    found = pc.is_in(values, value_set=allowed)
    bad = pc.and_(pc.is_valid(values), pc.invert(found))
    return np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)


def _num(x: float) -> str:
    """A bound or value as people read it: ``10,000,000,000``, ``1.5``."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _money_bound(label: RowLabels, col: Column) -> str:
    """A fen column's upper bound in the file's unit, in yuan as well when that is fen."""
    bound = label.money(col.name, int(col.max))
    return bound if col.name in label.yuan else f"{bound} ({_num(col.max / 100)} yuan)"


def below_min(label: RowLabels, table: str, col: Column, value) -> str:
    """What a value under the column's minimum should have been (the file's unit)."""
    if col.unit == "fen":
        return (
            f"expected an amount ≥ {label.money(col.name, col.min)}, "
            f"got {label.money(col.name, value)}{_refund_hint(table, col.min)}"
        )
    return f"expected a number ≥ {_num(col.min)}, got {value}"


def above_max(label: RowLabels, col: Column, value) -> str:
    """What a value over the column's maximum should have been (the file's unit)."""
    if col.unit == "fen":
        return (
            f"expected an amount ≤ {_money_bound(label, col)}, got {label.money(col.name, value)}"
        )
    return f"expected a number ≤ {_num(col.max)}, got {value}"


def _as_written(label: RowLabels, col: Column, value) -> object:
    """A cell as the file wrote it: an amount in yuan for a yuan column (exact), else
    the value."""
    if col.unit == "fen" and col.name in label.yuan:
        return str(Decimal(int(value)).scaleb(-2))
    return value


def _bound(label: RowLabels, col: Column, bound: float) -> str:
    """A column's bound in the file's unit, as the messages write it."""
    return label.money(col.name, int(bound)) if col.unit == "fen" else _num(bound)


class SchemaChecks:
    """Collects problems; :meth:`report` names each failing row."""

    def __init__(
        self, dataset: Dataset, unread: Mapping[str, pa.Table | None] | None = None
    ) -> None:
        self.ds = dataset
        self.frames: dict[str, pd.DataFrame] = {n: _to_pandas(t) for n, t in dataset.tables.items()}
        self.problems: list[str] = []
        #: rows left out of the data set for a cell that could not be read, by table
        #: (None: the table could not be read at all): what they name (an id) is known,
        #: though they are not checked
        self.unread: Mapping[str, pa.Table | None] = unread or {}

    def ids(self, table: str, column: str) -> pa.ChunkedArray | None:
        """The values of ``column`` in ``table``, the rows not read included (an
        encounter's institution listed in a row whose other cell was unreadable is no
        unknown institution); ``None`` for a table not read at all, whose ids are
        unknown."""
        values = self.ds.tables[table].column(column)
        if table not in self.unread:
            return values
        rows = self.unread[table]
        if rows is None:
            return None
        return pa.chunked_array(values.chunks + rows.column(column).chunks)

    def label(self, table: str) -> RowLabels:
        return self.ds.labels.get(table, RowLabels(table))

    def report(
        self,
        table: str,
        mask: pd.Series | np.ndarray,
        column: str | None,
        message: Callable[[int], str],
        summary: str,
        rest: Callable[[np.ndarray], str] | None = None,
        *,
        value: Callable[[int], object] | None = None,
        expected: str | None = None,
    ) -> None:
        """Add one problem per failing row (up to the cap), then a count of the rest:
        ``rest`` words it from their positions (default: "N more rows"). Each is a
        :class:`~ihms.errors.Problem` naming file, row and column, and ``value(i)`` (the
        cell as the file gives it) and ``expected`` where the check knows them."""
        mask = np.asarray(mask, dtype=bool)
        idx = mask.nonzero()[0]
        if not len(idx):
            return
        label = self.label(table)
        field = label.column(column) if column is not None else None
        for i in idx[:MAX_ROWS_PER_CHECK]:
            row = label.row(i)
            record = label.records.get(row)
            where = format_location(file=label.file, row=row, field=field)
            self.problems.append(
                Problem(
                    f"{where}{f' ({record})' if record else ''}: {message(int(i))}",
                    file=label.file,
                    row=row,
                    column=field,
                    value=None if value is None else value(int(i)),
                    expected=expected,
                )
            )
        if len(idx) > MAX_ROWS_PER_CHECK:
            left = idx[MAX_ROWS_PER_CHECK:]
            more = f"{len(left):,} more rows" if rest is None else rest(left)
            self.problems.append(Problem(f"{label.file}: {more} where {summary}", file=label.file))

    # -- schema-driven checks -------------------------------------------------------------
    def columns(self, schema: TableSchema) -> None:
        df = self.frames[schema.name]
        label = self.label(schema.name)
        for col in schema.columns:
            s = df[col.name]
            if col.required:
                blank = s.isna()
                hint = _NON_RESIDENT_HINT if (schema.name, col.name) == ENCOUNTER_RESIDENT else ""
                told = int(blank.to_numpy().argmax()) if hint and blank.any() else -1
                self.report(
                    schema.name,
                    blank,
                    col.name,
                    lambda i, c=col, h=hint, f=told: (
                        "a value is required" + label.held(c.name, i) + (h if i == f else "")
                    ),
                    f"'{col.name}' is empty",
                    expected="a value",
                )
            if col.allowed is not None:
                bad = _not_in(self.ds.tables[schema.name].column(col.name), pa.array(col.allowed))
                allowed = ", ".join(col.allowed)
                self.report(
                    schema.name,
                    bad,
                    col.name,
                    lambda i, s=s, t=schema.name, c=col: refusal(s.iloc[i], t, c.name, c.allowed),
                    f"'{col.name}' is not one of {allowed}",
                    value=lambda i, s=s: s.iloc[i],
                    expected=f"one of {allowed}",
                )
            if col.min is not None:
                bad = (s < col.min).fillna(False)
                self.report(
                    schema.name,
                    bad,
                    col.name,
                    lambda i, s=s, c=col, t=schema.name: below_min(label, t, c, s.iloc[i]),
                    f"'{label.column(col.name)}' is below {_num(col.min)}",
                    value=lambda i, s=s, c=col: _as_written(label, c, s.iloc[i]),
                    expected=f"≥ {_bound(label, col, col.min)}",
                )
            if col.max is not None:
                bad = (s > col.max).fillna(False)
                self.report(
                    schema.name,
                    bad,
                    col.name,
                    lambda i, s=s, c=col: above_max(label, c, s.iloc[i]),
                    f"'{label.column(col.name)}' is above {_num(col.max)}",
                    value=lambda i, s=s, c=col: _as_written(label, c, s.iloc[i]),
                    expected=f"≤ {_bound(label, col, col.max)}",
                )

    def lookup(self, table: str, key: str) -> pd.DataFrame:
        """``table`` indexed by its key ``key``, for mapping other tables' references.

        A repeated key keeps its first row: :meth:`primary_key` reports the repeat, and
        the other checks go on with one row per key instead of failing."""
        df = self.frames[table]
        return df[~df[key].duplicated(keep="first")].set_index(key)

    def primary_key(self, schema: TableSchema) -> None:
        df = self.frames[schema.name]
        if df.empty:
            return
        cols = list(schema.primary_key)
        dup = df.duplicated(cols, keep="first")
        key = ", ".join(cols)
        # per row, the position where its key first appears
        keys = [df[c].reset_index(drop=True) for c in cols]
        first = pd.Series(range(len(df))).groupby(keys, dropna=False).transform("first")
        label = self.label(schema.name)

        def message(i: int) -> str:
            # a date as the file writes it, not as Timestamp('2016-04-03 00:00:00')
            value = tuple(
                v.date().isoformat() if isinstance(v, pd.Timestamp) else v for v in df[cols].iloc[i]
            )
            where = label.row(first.iloc[i])
            return f"duplicate key ({key}) = {value!r}, first given in row {where}"

        self.report(
            schema.name,
            dup,
            cols[0] if len(cols) == 1 else None,
            message,
            f"the key ({key}) repeats",
            value=(lambda i: df[cols[0]].iloc[i]) if len(cols) == 1 else None,
            expected=f"a key ({key}) no other row has",
        )

    def references(self, schema: TableSchema) -> None:
        df = self.frames[schema.name]
        for col in schema.columns:
            if col.references is None or df.empty:
                continue
            ref_table, ref_col = col.references.split(".")
            ids = self.ids(ref_table, ref_col)
            if ids is None:  # the table was not read: its ids are not known
                continue
            known = pc.unique(ids)
            s = df[col.name]
            bad = _not_in(self.ds.tables[schema.name].column(col.name), known)
            what = ref_table.rstrip("s").replace("_", " ") if ref_table != "counties" else "county"
            # for the messages' "did you mean": the same id in another case or width,
            # never a similar id (another resident); so only those known ids are listed.
            # The institutions are the system file's closed list: the near ones are named.
            listed_ids = known.to_pylist() if ref_table == "institutions" and bad.any() else []
            # the grids are few and named by the system file: listed when none is alike
            grid_ids = known.to_pylist() if ref_table == "grids" and bad.any() else []
            alike = {written_alike_key(str(v)) for v in s[bad].dropna()}
            listed = [
                v
                for v in (known.to_pylist() if alike else ())
                if v is not None and written_alike_key(v) in alike
            ]
            # one problem per unknown id, at its first row: an outside hospital missing
            # from the system file is named by thousands of encounters
            rows_of = rows_by_value(s, bad)
            first = np.zeros(len(s), dtype=bool)
            first[[rows[0] for rows in rows_of.values()]] = True
            label = self.label(schema.name)
            # said once, on the first id's line: it is the same for every one
            hint = (
                _INSTITUTION_HINT
                if ref_table == "institutions"
                else _NON_RESIDENT_HINT
                if (schema.name, col.name) == ENCOUNTER_RESIDENT
                else ""
            )

            told = int(first.argmax())  # the first unknown id's row: the hint goes there
            if bad.any() and ref_table not in ("institutions", "grids"):
                hint += held_ids(ref_table, known)

            def unknown(
                i: int, s=s, what=what, t=ref_table, known=listed, rows=rows_of, lb=label,
                h=hint, f=told, ids=listed_ids, grids=grid_ids,
            ) -> str:  # fmt: skip
                return (
                    f"unknown {what} {s.iloc[i]!r} (not in {t})"
                    + also_in(rows[s.iloc[i]][1:], lb)
                    + (
                        did_you_mean(s.iloc[i], known, similar=False)
                        or nearest_listed(s.iloc[i], ids)
                        or (
                            f"; the grids: {first_of(sorted(map(str, grids)), 10)}" if grids else ""
                        )
                    )
                    + (h if i == f else "")
                )

            # the rest are ids, each at its first row: counted so, with their rows
            def rest(left: np.ndarray, s=s, rows=rows_of) -> str:
                return (
                    f"{len(left):,} more ids (in {sum(len(rows[s.iloc[i]]) for i in left):,} rows)"
                )

            self.report(
                schema.name,
                first,
                col.name,
                unknown,
                f"'{col.name}' names no row of {ref_table}",
                rest,
                value=lambda i, s=s: s.iloc[i],
                expected=f"an id of {ref_table} ({ref_col})",
            )


#: The column a patient from outside the county has no value for.
ENCOUNTER_RESIDENT = ("encounters", "resident_id")

_NON_RESIDENT_HINT = (
    "; every encounter must be a registered resident's: a patient from outside the "
    "county (in a hospital's extract) cannot be entered — leave those visits out and "
    "report them apart, not in the residents register, whose people the per-resident "
    "rates divide by (README, 'Patients from outside the county')"
)

#: Where an institution the records name belongs.
_INSTITUTION_HINT = (
    "; every institution the records name must be listed (in the system file, or "
    "institutions.csv) — hospitals outside the county that residents use, too"
)


def _refund_hint(table: str, minimum: float) -> str:
    """What to do with a negative amount where none may be: settlement systems export a
    refund or reversal as a row of its own."""
    if minimum != 0 or table not in ("claims", "encounters"):
        return ""  # a negative revenue or cost of a resources row is no refund
    if table == "claims":
        return (
            "; a refund or reversal (退费, 冲销) is no claim of its own: net it into the "
            "claim it corrects (an encounter's claims are summed)"
        )
    return (
        "; a refund or reversal (退费, 冲销) is no record of its own: net it into the record "
        "it corrects"
    )


_ANY_PSEUDONYM = re.compile("|".join(pseudonym_pattern(kind) for kind in PREFIX))


def _shape(value: str) -> str:
    """How an id looks without what it is: each digit 9, each letter A, other signs as
    they are, a trailing ``.0`` kept (``'1001.0'`` → ``'9999.0'``)."""
    body, tail = (value[:-2], ".0") if value.endswith(".0") else (value, "")
    return re.sub(r"[^\W\d_]", "A", re.sub(r"\d", "9", body)) + tail


def held_ids(table: str, known) -> str:
    """The hint on an unknown id of what ``table`` holds (``known``, a pyarrow array):
    a few of its ids when they are pseudonyms, else how many and how they look
    (``'9999.0'`` beside an unknown ``1001`` shows the cause), never a raw id of
    another person (a 身份证号 pasted into a ticket)."""
    held = [str(v) for v in known.slice(0, 3).to_pylist() if v is not None]
    if not held:
        return ""
    if all(_ANY_PSEUDONYM.fullmatch(v) for v in held):
        return f"; {table} holds ids such as {', '.join(map(repr, held))}"
    sample = (str(v) for v in known.slice(0, 1000).to_pylist() if v is not None)
    shapes = list(dict.fromkeys(map(_shape, sample)))
    return (
        f"; {table} holds {len(known):,} id{'s' if len(known) != 1 else ''}, written like "
        f"{', '.join(map(repr, shapes[:3]))}{' …' if len(shapes) > 3 else ''} "
        "(9 a digit, A a letter)"
    )
