"""Read a long table of codings (unit, coder, code[, dimension]) into one units × coders
table per dimension, collecting every problem before raising."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import DataError, InputError, did_you_mean, format_location
from ihms.stats._cells import blank_rows, column_names, normal_text, row_where
from ihms.stats._plain import is_missing
from ihms.stats._pooling import refuse_pooling

__all__ = ["DimensionCodings", "read_codings", "set_label"]

_COLLECTIONS = (set, frozenset, list, tuple)


@dataclass(frozen=True, eq=False)
class DimensionCodings:
    """The codings of one dimension.

    Attributes
    ----------
    name
        The dimension.
    multi_label
        Whether values are sets of categories.
    wide
        Units × coders (object dtype): a code, a frozenset of codes (multi-label), or
        None where the coder did not code the unit.
    categories
        Every category used in the dimension, sorted when they sort.
    label_twins
        Groups of categories alike but for case or spaces (``'Medical payment'`` and
        ``'medical payment'``): kept apart, as the auto-coder's table keeps them
        (``SegmentTable.label_twins``), and named in a note.
    """

    name: str
    multi_label: bool
    wide: pd.DataFrame
    categories: tuple[Hashable, ...]
    label_twins: tuple[tuple[str, ...], ...] = ()

    def twins_note(self) -> list[str]:
        """The note naming :attr:`label_twins`, if any."""
        if not self.label_twins:
            return []
        groups = "; ".join(" and ".join(repr(c) for c in g) for g in self.label_twins)
        return [
            f"{self.name}: categories that differ only in case or spaces are kept as "
            f"different categories (label_twins): {groups}; each one's kappa compares "
            "the spellings, not agreement on one category — write them alike if they "
            "are one."
        ]


def set_label(codes: frozenset) -> str:
    """A stable label for a set of codes, e.g. ``"a;b"``; ``"(none)"`` for the empty set."""
    return ";".join(sorted(str(c) for c in codes)) or "(none)"


def _sorted(values: Collection[Hashable]) -> tuple[Hashable, ...]:
    unique = list(dict.fromkeys(values))
    try:
        return tuple(sorted(unique))  # type: ignore[type-var]
    except TypeError:
        return tuple(unique)


def _twins(categories: Sequence[Hashable]) -> tuple[tuple[str, ...], ...]:
    """Groups of text categories alike once case and spaces are dropped (the text
    already read as :func:`_text` reads it: NFKC width, outer blanks)."""
    groups: dict[str, list[str]] = {}
    for c in categories:
        if isinstance(c, str):
            groups.setdefault("".join(c.casefold().split()), []).append(c)
    return tuple(tuple(g) for g in groups.values() if len(g) > 1)


def _full_width(text: str) -> str:
    """The full-width form of ASCII punctuation (``;`` → ``；``, ``,`` → ``，``): what a
    Chinese input method types for the same key."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _text(value: Any) -> Any:
    """A text cell as the cells' normaliser reads it (:func:`~ihms.stats._cells.normal_text`:
    outer blanks, full-width spaces included, dropped and full-width forms folded), so
    ``"支付　"`` and ``"支付"``, or ``"Ａ"`` and ``"A"``, are one code, one coder, one unit;
    other values as they are."""
    return normal_text(value) if isinstance(value, str) else value


def _split(value: Any, separator: str) -> frozenset:
    if isinstance(value, _COLLECTIONS):
        items = [v.strip() if isinstance(v, str) else v for v in value]
    elif isinstance(value, str):
        wide = _full_width(separator)
        if wide != separator:
            value = value.replace(wide, separator)
        items = [normal_text(part) for part in value.split(separator)]
    else:
        items = [value]
    return frozenset(v for v in items if not is_missing(v) and v != "")


def read_codings(
    codings: pd.DataFrame,
    *,
    unit: str,
    coder: str,
    code: str,
    dimension: str | None,
    multi_label: bool | Collection[str],
    separator: str,
    source: str | None,
    coders: Sequence[str] | None = None,
) -> tuple[list[DimensionCodings], tuple[Hashable, ...]]:
    """Validate ``codings`` and split it by dimension.

    ``codings`` is long (one row per unit and coder: columns ``unit``, ``coder``,
    ``code``), or, given ``coders``, wide: one row per unit (and dimension), one column
    per coder, named in ``coders`` (``coder`` and ``code`` are then no columns; the
    dimension of a table without ``dimension`` is still named ``code``). Both are read
    the same way, cell by cell, a wide row's cells named by its row.

    Rows are named as :func:`~ihms.stats._cells.row_where` names them: a file's
    (``source`` given) as in the file, with a header the first data row is row 2; a
    DataFrame's by index label.
    A wholly empty row is skipped. Text cells are read without outer blanks and with
    full-width forms folded (a trailing full-width space made ``"支付　"`` a category of
    its own). A missing code means the coder did not code that
    unit in that dimension. In a
    multi-label dimension several rows for one unit and coder are combined (coding tools
    often export one row per code); repeating a category, or giving a single-label
    dimension two rows for one unit and coder, is an error.
    """
    where = source or "codings"
    if not isinstance(codings, pd.DataFrame):
        raise InputError(f"{where}: expected a pandas DataFrame, got {type(codings).__name__}")
    if coders is not None:
        _check_coders(coders, unit, dimension)
    by_coder = [unit, *coders] if coders is not None else [unit, coder, code]
    columns = by_coder + ([dimension] if dimension is not None else [])
    absent = [c for c in columns if c not in codings.columns]
    if absent:
        hint = _wide_hint(codings, unit, coder, code, dimension) if coders is None else ""
        raise DataError(
            f"{where}: missing column(s) {column_names(absent)}; the table has "
            f"{column_names(codings.columns)}{hint}",
            [
                f"{where}: expected a column named '{c}'" + did_you_mean(c, codings.columns)
                for c in absent
            ],
        )
    problems: list[str] = []
    kept: list[tuple[Any, str, Hashable, Hashable, Any, int]] = []
    for pos, dim, u, c, v in _cells(codings, unit, coder, code, dimension, coders):
        row = row_where(codings, pos, source)
        bad = False
        named = ((unit, u),) + (((coder, c),) if coders is None else ())
        for col, value in named + (((dimension, dim),) if dimension is not None else ()):
            if is_missing(value) or value == "":
                problems.append(
                    f"{format_location(file=source, row=row, field=col)}: expected a value, "
                    "got an empty cell"
                )
                bad = True
        if bad or is_missing(v) or _text(v) == "":
            continue
        kept.append((row, str(_text(dim)), _text(u), _text(c), _text(v), pos))

    dims = list(dict.fromkeys(d for _, d, _, _, _, _ in kept))
    if multi_label is True:
        multi = set(dims)
    elif multi_label is False:
        multi = set()
    else:
        multi = {str(d) for d in multi_label}
        for d in sorted(multi - set(dims)):
            problems.append(
                f"parameter 'multi_label': dimension {d!r} has no codings in {where} "
                f"(dimensions: {dims})"
            )
    multi |= {d for _, d, _, _, v, _ in kept if isinstance(v, _COLLECTIONS)}

    if dimension is None and multi & set(dims):
        refuse_pooling(codings, kept, unit, coder, code, coders, where)
    cells: dict[tuple[str, Hashable, Hashable], tuple[Any, Any]] = {}
    for row, dim, u, c, v, _ in kept:
        key = (dim, u, c)
        value = _split(v, separator) if dim in multi else v
        if key in cells:
            first_row, first = cells[key]
            if dim not in multi:
                problems.append(
                    f"{format_location(file=source, row=row)}: coder {c!r} coded unit {u!r} "
                    f"twice in dimension {dim!r} (first in row {first_row}: {first!r}, "
                    f"again: {v!r})"
                )
                continue
            repeated = sorted(map(str, first & value))
            if repeated:
                problems.append(
                    f"{format_location(file=source, row=row)}: coder {c!r} gave unit {u!r} "
                    f"the code(s) {repeated} twice in dimension {dim!r} (first in row "
                    f"{first_row})"
                )
            value = first | value
            row = first_row
        cells[key] = (row, value)

    all_coders = tuple(dict.fromkeys(c for _, _, _, c, _, _ in kept))
    result: list[DimensionCodings] = []
    for dim in dims:
        keys = [k for k in cells if k[0] == dim]
        dim_coders = tuple(dict.fromkeys(k[2] for k in keys))
        if len(dim_coders) < 2:
            problems.append(
                f"{where}: dimension {dim!r}: expected at least 2 coders, got "
                f"{len(dim_coders)} ({', '.join(map(repr, dim_coders))}); add another "
                "coder's codes for it, or leave the dimension out"
            )
            continue
        dim_units = tuple(dict.fromkeys(k[1] for k in keys))
        unit_pos = {u: i for i, u in enumerate(dim_units)}
        coder_pos = {c: j for j, c in enumerate(dim_coders)}
        grid = np.full((len(dim_units), len(dim_coders)), None, dtype=object)
        used: list[Hashable] = []
        for _, u, c in keys:
            value = cells[(dim, u, c)][1]
            grid[unit_pos[u], coder_pos[c]] = value
            used.extend(value if dim in multi else [value])
        wide = pd.DataFrame(
            grid,
            index=pd.Index(dim_units, dtype=object, name=unit),
            columns=pd.Index(dim_coders, dtype=object, name=coder),
            dtype=object,
        )
        categories = _sorted(used)
        result.append(DimensionCodings(dim, dim in multi, wide, categories, _twins(categories)))
    if not kept and not problems:
        problems.append(f"{where}: no codings (every '{code}' cell is empty)")
    if problems:
        raise DataError(f"{where}: {len(problems):,} problem(s) in the codings", problems)
    return result, all_coders


def _check_coders(coders: Sequence[str], unit: str, dimension: str | None) -> None:
    if isinstance(coders, str) or len(coders) < 2:
        raise InputError(
            f"parameter 'coders': expected at least 2 coder columns, got {list(coders)!r}"
        )
    for name in coders:
        if name in (unit, dimension):
            raise InputError(f"parameter 'coders': {name!r} is the unit or dimension column")
        if list(coders).count(name) > 1:
            raise InputError(f"parameter 'coders': {name!r} named twice")


def _wide_hint(
    codings: pd.DataFrame, unit: str, coder: str, code: str, dimension: str | None
) -> str:
    """How to read a table that looks wide (a unit column, no coder or code column, two
    or more others: one per coder) — else ``""``."""
    if coder in codings.columns or code in codings.columns or unit not in codings.columns:
        return ""
    others = [str(c) for c in codings.columns if c not in (unit, dimension)]
    # a column named as a dimension column is one, not a coder
    named = [c for c in others if dimension is None and c.lower() in _DIMENSION_NAMES]
    others = [c for c in others if c not in named]
    if len(others) < 2:
        return ""
    also = f", dimension={named[0]!r}" if named else ""
    also_cli = f" --dimension {named[0]}" if named else ""
    return (
        f" (one column per coder? read it so with coders={others!r}{also} (`ihms agreement "
        f"--coders {','.join(others)}{also_cli}`); else the table needs one row per unit and "
        f"coder, with columns '{unit}', '{coder}' and '{code}')"
    )


#: Names of a wide table's dimension column, told apart from its coders' columns.
_DIMENSION_NAMES = frozenset({"dimension", "维度"})


def _cells(
    codings: pd.DataFrame,
    unit: str,
    coder: str,
    code: str,
    dimension: str | None,
    coders: Sequence[str] | None,
) -> Iterator[tuple[int, Any, Any, Any, Any]]:
    """``(position, dimension, unit, coder, code)`` of every coding cell (the row's
    position in ``codings``, named by :func:`~ihms.stats._cells.row_where`), wholly empty
    rows (the ,,, lines at the end of an Excel export) left out. A wide row gives one per coder column; its unit and
    dimension cells, if empty, are given with the first coder's cell only (named once)."""
    dims = codings[dimension].tolist() if dimension is not None else [code] * len(codings)
    units = codings[unit].tolist()
    blank = blank_rows(codings)
    if coders is None:
        values = zip(codings[coder].tolist(), codings[code].tolist(), strict=True)
        for i, (d, u, (c, v)) in enumerate(zip(dims, units, values, strict=True)):
            if not blank[i]:
                yield i, d, u, c, v
        return
    columns = [codings[c].tolist() for c in coders]
    for i, (d, u) in enumerate(zip(dims, units, strict=True)):
        if blank[i]:
            continue
        empty = is_missing(u) or u == "" or (dimension is not None and (is_missing(d) or d == ""))
        for j, c in enumerate(coders):
            if empty and j:
                continue
            yield i, d, u, c, columns[j][i]
