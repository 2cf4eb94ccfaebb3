"""Reading a pandas table into the schema's types (:meth:`ihms.data.Dataset.from_frames`):
every cell coerced, every unreadable one named by file, row and column."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms._column_hints import (
    amount_forms,
    both_units,
    fen_name,
    missing_column_hints,
    yuan_name,
)
from ihms.data._coerce import (
    DATE_FORMS,
    NUMBER_KINDS,
    coerce,
    is_blank,
    placeholder_reason,
    separated_cells,
    thousands_note,
    yuan_reasons,
)
from ihms.data._float32_money import BOUND, FloatCents, float32_cents
from ihms.data._int_cells import int_too_large, too_large_reason
from ihms.data._sex_codes import SEX, read_sex_codes, sex_note
from ihms.data._vocabulary import Translation, read_codes
from ihms.data._yes_no import YES_NO_FORMS, yes_no_note
from ihms.data.schema import TableSchema
from ihms.errors import Problem

if TYPE_CHECKING:
    from ihms.data.dataset import RowLabels

#: Bad cells named one by one per check; the rest are counted.
MAX_ROWS_PER_CHECK = 100


def loose_schema(schema: TableSchema) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow_type, nullable=True) for c in schema.columns])


def matches_schema(table: pa.Table, schema: TableSchema) -> bool:
    if set(table.column_names) != set(schema.column_names):
        return False
    return all(table.schema.field(c.name).type == c.arrow_type for c in schema.columns)


class Coerced(NamedTuple):
    """What :func:`coerce_table` made of a table: the typed table, the problems found,
    the fen columns given in yuan, the values of closed vocabularies read as their codes,
    and which rows hold a cell it could not read (``unread``, by position; ``None`` when
    the table as a whole could not be read — a required column missing, an unknown
    one —, and ``table`` is then empty). The rows of ``unread`` are in ``table`` with
    their unreadable cells empty: the checks run on the others
    (:meth:`ihms.data.Dataset.from_frames`)."""

    table: pa.Table
    problems: list[str]
    yuan: frozenset[str]
    translations: list[Translation]
    unread: np.ndarray | None


def coerce_table(frame: pd.DataFrame, schema: TableSchema, label: RowLabels) -> Coerced:
    """The table ``frame`` typed as ``schema`` says, with every problem found
    (:class:`Coerced`)."""
    problems: list[str] = list(label.refused)
    whole = False  # a problem of the table as a whole, not of a cell
    translations: list[Translation] = []
    from_float: list[tuple[str, int]] = []  # yuan read to the cent from Stata floats
    frame = frame.reset_index(drop=True)
    # rows the reader refused as a whole (a total row) are named once, by it
    refused = pd.Series(False, index=frame.index)
    refused.iloc[list(label.refused_rows)] = True
    present = {str(c) for c in frame.columns}
    columns: dict[str, pd.Series] = {}
    yuan: set[str] = set()
    wanted = schema.column_names
    known = set(wanted) | set(filter(None, map(yuan_name, wanted)))
    extra = sorted(present - known)
    unread = refused.to_numpy(dtype=bool, copy=True)
    if present and not present & known:
        return Coerced(
            schema.to_arrow().empty_table(),
            [*label.refused, _no_schema_column(frame, schema, label)],
            frozenset(),
            [],
            None,
        )
    hints = missing_column_hints(
        [
            c.name
            for c in schema.columns
            if c.required and c.name not in present and yuan_name(c.name) not in present
        ],
        [name for name in extra if not re.fullmatch(r"Unnamed: \d+", name)],
    )
    for col in schema.columns:
        name = col.name
        in_yuan = yuan_name(name)
        if name in present and in_yuan in present:
            # two columns for one amount: which one is right cannot be told
            problems.append(Problem(f"{label.file}: {both_units(name)}", file=label.file))
            whole = True
            present.discard(in_yuan)
            continue
        kind = "fen" if col.unit == "fen" else col.dtype
        if name in present:
            # the separators are found once for the reading and its note
            cells = separated_cells(frame[name]) if kind in NUMBER_KINDS else None
            values, bad = coerce(frame[name], kind, thousands=True, separated=cells)
            bad &= ~refused
            if (schema.name, name) == SEX:
                where = (schema.name, label.column(name), label.file)
                empty = values.isna() & ~bad & ~refused  # as the file held them
                values, sexes = read_sex_codes(values, *where)
                codes = label.missing_codes.get(label.column(name), {})
                held = (lambda i, codes=codes: codes.get(label.row(i))) if codes else None
                sexes = sex_note(sexes, empty, held, where)
                translations += [sexes] if sexes else []  # type: ignore[list-item]
            values, translation = read_codes(values, schema.name, name)
            if translation is not None:
                translations.append(translation)
            if grouped := thousands_note(frame[name], kind, schema.name, name, cells):
                translations.append(grouped)  # type: ignore[arg-type]
            if kind == "bool" and (answers := yes_no_note(frame[name], schema.name, name)):
                translations.append(answers)  # type: ignore[arg-type]
        elif in_yuan in present:
            source = frame[in_yuan]
            floats = pd.Series(None, index=frame.index, dtype=object)
            if label.renamed.get(in_yuan, in_yuan) in label.float32:  # Stata float
                source, floats = float32_cents(source)  # to the cent, where it tells it
                read = int((source.notna() & floats.isna() & ~refused).sum())
                from_float += [(label.renamed.get(in_yuan, in_yuan), read)] if read else []
            cells = separated_cells(source)
            values, bad = coerce(source, "yuan", thousands=True, separated=cells)
            flagged = floats.notna().to_numpy(dtype=bool)
            bad = (bad | flagged) & ~refused
            if grouped := thousands_note(source, "yuan", schema.name, in_yuan, cells):
                translations.append(grouped)  # type: ignore[arg-type]
            present.discard(in_yuan)
            yuan.add(name)
            sizes = yuan_reasons(source)
            if flagged.any():  # said once for the column, with its first cell's cause
                problems += _float32_problem(frame[in_yuan], bad & flagged, label, in_yuan,
                                             why=floats)  # fmt: skip
                sizes = sizes.mask(flagged, "")
            problems += _bad_values(
                source,
                bad & sizes.isna(),
                label,
                in_yuan,
                "yuan with at most two decimals, digits only (1234.57 or 1,234.57: no 元)",
                kind="yuan",
            )
            for reason in [r for r in sizes.dropna().unique() if r]:
                problems += _bad_values(
                    source, bad & (sizes == reason), label, in_yuan, reason=reason
                )
            columns[name] = values.mask(bad)
            unread |= bad.to_numpy(dtype=bool)
            continue
        elif col.required:
            hint = hints[name][1] if name in hints else ""
            if not hint and in_yuan is not None:
                hint = f" (or '{in_yuan}', in yuan)"
            problems.append(
                Problem(
                    f"{label.file}: missing required column '{name}'{hint}",
                    file=label.file,
                    column=name,
                    expected="a column of that name",
                )
            )
            whole = True
            continue
        else:
            values, bad = coerce(pd.Series(pd.NA, index=frame.index), col.dtype)
        expected = _EXPECTED[col.dtype]
        if col.unit == "fen":
            expected = (
                f"whole fen (1 yuan = 100 fen; digits only, no decimals or thousands "
                f"separators; give yuan in a column '{in_yuan}')"
            )
        cells = frame.get(name, values)
        said = pd.Series(False, index=frame.index)  # refused with a reason of their own
        if col.unit == "fen" and name in present and label.column(name) in label.float32:
            # whole fen past 2^24 are no longer every whole number in a float
            said = (values.abs() >= 2**24).fillna(False).astype(bool) & ~bad
            problems += _float32_problem(cells, said, label, name, fen=True)
        large = pd.Series(False, index=frame.index)
        if col.dtype in ("int16", "int32", "int64") and name in present:
            large = int_too_large(cells, bad, col.dtype)  # never read wrapped round
        problems += _bad_values(cells, bad & ~large, label, name, expected, kind=kind)
        bad = bad | said
        if large.any():
            why = too_large_reason(col.dtype, fen=col.unit == "fen")
            problems += _bad_values(cells, large, label, name, expected, reason=why)
        if name.endswith("_id") and name in present and col.dtype == "string":
            scientific = _excel_scientific(frame[name]) & ~refused
            problems += _bad_values(frame[name], scientific, label, name, reason=EXCEL_ID)
            bad = bad | scientific
        columns[name] = values.mask(bad)
        unread |= bad.to_numpy(dtype=bool)
    named = {given for given, _ in hints.values()}
    for name in extra:
        if name in named:  # said with the missing column it was probably meant for
            continue
        if re.fullmatch(r"Unnamed: \d+", name):  # a header cell left empty
            if not is_blank(frame[name]).all():  # a spreadsheet's empty column: nothing
                number = list(frame.columns).index(name) + 1
                problems.append(
                    Problem(
                        f"{label.file}: column {number} has values but no name in the "
                        "header; name it (see `ihms data schema`) or delete it",
                        file=label.file,
                    )
                )
                whole = True
            continue
        if fen_name(name) in wanted:
            hint = f"; it is an amount: give it {amount_forms(fen_name(name))}"
        else:
            close = difflib.get_close_matches(name, list(wanted), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
        if label.column_map == "--rename" and not hint:
            hint = (
                f"; map it with --rename {schema.name}.{name}=TARGET, or leave it out with "
                f"--rename {schema.name}.{name}="
            )
        elif label.column_map and not hint:
            hint = (
                f"; map it in {label.column_map} to a column of table '{schema.name}', or "
                "to ~ to leave it out"
            )
        problems.append(
            Problem(f"{label.file}: unknown column '{name}'{hint}", file=label.file, column=name)
        )
        whole = True
    if from_float:
        translations.append(FloatCents(schema.name, label.file, tuple(from_float)))  # type: ignore[arg-type]
    if whole:
        empty = schema.to_arrow().empty_table()
        return Coerced(empty, problems, frozenset(yuan), translations, None)
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
    table = pa.Table.from_arrays(arrays, schema=loose_schema(schema))
    return Coerced(table, problems, frozenset(yuan), translations, unread)


_EXPECTED = {
    "string": "text",
    "int16": "a whole number",
    "int32": "a whole number",
    "int64": "a whole number",
    "float64": "a number",
    "bool": YES_NO_FORMS,
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


def float32_reason(
    column: str, fen_column: str, *, fen: bool = False, why: str | None = None
) -> str:
    """Why a money cell of a Stata ``float`` variable ``column`` (the file's name) is
    refused (``why``, the cell's own cause); ``fen_column``, the schema's column in
    whole fen."""
    fix = (
        "store the amounts in fen as a long or double"
        if fen
        else f"read the amounts into a double variable from their source (`generate double`, "
        f"or `set type double` before reading them), or give whole fen as a long or double "
        f"'{fen_column}'; `recast double {column}` keeps the float's digits"
    )
    if why is not None:
        return (
            f"the .dta stores '{column}' as float (single precision, about 7 significant "
            f"digits), read to the cent below {BOUND:,} yuan; {why}; {fix}"
        )
    return (
        f"the .dta stores '{column}' as float (single precision, about 7 significant "
        f"digits), which cannot hold every {'whole fen' if fen else 'cent'}: Stata shows "
        f"the value rounded, but the file holds the float's own digits; {fix}"
    )


def _float32_problem(
    cells: pd.Series,
    bad: pd.Series,
    label: RowLabels,
    column: str,
    *,
    fen: bool = False,
    why: pd.Series | None = None,
) -> list[Problem]:
    """One problem for a Stata ``float`` money column's refused cells: its first (with
    its own cause, ``why``, where given), and how many more."""
    rows = bad.to_numpy(dtype=bool).nonzero()[0].tolist()
    if not rows:
        return []
    name = label.renamed.get(column, column)
    fen_column = column if fen else column[: -len("_yuan")] + "_fen"
    first, cell = rows[0], cells.iloc[rows[0]]
    return [
        Problem.at(
            f"{float32_reason(name, fen_column, fen=fen, why=None if why is None else why.iloc[first])}"
            f"; got {cell!r}{also_in(rows[1:], label)}",
            file=label.file,
            row=label.row(first),
            column=name,
            value=cell,
            expected="a double or long variable",
        )
    ]


_ZONED = re.compile(r"\d{4}-\d{2}-\d{2}[ T][0-9:.]+(Z|[+-]\d{2}:?\d{2})")


def zoned_reason(cell: object) -> str | None:
    """Why a time-zone-stamped date-time (a Spark or Parquet UTC timestamp,
    ``2019-03-07 16:00:00Z``) is refused as a date: which day it is depends on the
    zone; else None."""
    found = _ZONED.fullmatch(cell.strip()) if isinstance(cell, str) else None
    if found is None:
        return None
    zone = "UTC (time zone Z)" if found[1] in ("Z", "+00:00", "+0000") else found[1]
    return (
        f"a timestamp in {zone}, whose day depends on the time zone (16:00 UTC is the "
        "next day in China): give local dates (YYYY-MM-DD), or convert the column to "
        "Asia/Shanghai before writing it (Spark: from_utc_timestamp(col, 'Asia/Shanghai'); "
        "pandas: col.dt.tz_convert('Asia/Shanghai'))"
    )


def shown(cell: object) -> str:
    """A cell as a message shows it, as ``data check --json`` gives its value: text
    quoted, an Excel date or time cell in ISO form and named as such, true/false."""
    if isinstance(cell, str):
        return repr(cell)
    if isinstance(cell, bool | np.bool_):
        return f"{str(bool(cell)).lower()} (a TRUE/FALSE cell)"
    if hasattr(cell, "isoformat"):
        text = cell.isoformat()
        if text.endswith("T00:00:00"):
            return f"{text[:10]} (a date cell)"
        return f"{text.replace('T', ' ')} ({'a time' if ':' in text[:3] else 'a date-time'} cell)"
    return repr(cell)


def _bad_values(
    raw: pd.Series,
    bad: pd.Series,
    label: RowLabels,
    column: str,
    expected: str = "",
    *,
    reason: str = "",
    kind: str | None = None,
) -> list[str]:
    """One message per bad cell (file, row, column): ``reason`` if given (what is wrong
    with a readable value), else what was ``expected``, and the cell; each a
    :class:`~ihms.errors.Problem` keeping those pieces."""
    if not bad.any():
        return []
    reason = reason or f"expected {expected}"
    # one problem per value, at its first row: 是 for true in every row is one line
    rows_of = rows_by_value(raw, bad.to_numpy(), key=repr)
    out = []
    for first, *more in list(rows_of.values())[:MAX_ROWS_PER_CHECK]:
        cell = raw.iloc[first]
        others = also_in(more, label)
        cell = cell.item() if isinstance(cell, np.generic) else cell  # 1.5, not np.float64(1.5)
        why = placeholder_reason(cell, kind, package=label.package, column=column)
        why = why or (zoned_reason(cell) if kind == "date" else None)
        out.append(
            Problem.at(
                f"{why or reason}, got {shown(cell)}{others}",
                file=label.file,
                row=label.row(first),
                column=label.renamed.get(column, column),
                value=cell,
                expected=expected or None,
            )
        )
    if len(rows_of) > MAX_ROWS_PER_CHECK:
        out.append(
            Problem(
                f"{label.file}: {len(rows_of) - MAX_ROWS_PER_CHECK:,} more values unreadable "
                f"in '{column}' ({reason})",
                file=label.file,
                column=label.renamed.get(column, column),
                expected=expected or None,
            )
        )
    return out


def _no_schema_column(frame: pd.DataFrame, schema: TableSchema, label: RowLabels) -> str:
    """One problem for a table none of whose headers is the schema's (a hospital
    system's own names): the names to use, not a line per column missing and unknown."""
    given = [str(c) for c in frame.columns]
    shown = ", ".join(given[:5]) + (", ..." if len(given) > 5 else "")
    required = [
        f"{c.name} (or {yuan_name(c.name)})" if c.unit == "fen" else c.name
        for c in schema.columns
        if c.required
    ]
    return (
        f"{label.file}: none of its {len(given)} columns ({shown}) is a column of table "
        f"'{schema.name}': map them once with --columns MAP.yaml ({schema.name}: "
        f"{{{given[0]}: ...}}, reused with every export) or rename them to the schema's "
        f"names — required: {', '.join(required)}; `ihms data schema --markdown` lists "
        "every column"
    )


def rows_by_value(values: pd.Series, mask, key=None) -> dict[object, list[int]]:
    """The positions where ``mask`` holds, grouped by ``values`` there (or by ``key`` of
    each): a value's rows in order, the values in the order first seen — one problem per
    value, at its first row. Vectorised (``pandas.factorize``): a whole column of 是 where
    true is meant holds one value in every row."""
    pos = np.asarray(mask, dtype=bool).nonzero()[0]
    if not len(pos):
        return {}
    chosen = values.iloc[pos]
    codes, uniques = pd.factorize(chosen if key is None else chosen.map(key), use_na_sentinel=False)
    groups = np.split(pos[np.argsort(codes, kind="stable")], np.cumsum(np.bincount(codes))[:-1])
    return {value: group.tolist() for value, group in zip(uniques, groups, strict=True)}


def also_in(rows: list[int], label: RowLabels) -> str:
    """``, also in 40 more rows (7, 8, ... and 35 more)`` for a value's other rows."""
    if not rows:
        return ""
    word = "row" if len(rows) == 1 else "rows"
    # only the rows shown are numbered: a value may stand in tens of thousands
    shown = [label.row(i) for i in rows[:5]]
    more = f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
    return f", also in {len(rows):,} more {word} ({', '.join(map(str, shown))}{more})"
