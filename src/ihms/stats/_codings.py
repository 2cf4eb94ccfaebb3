"""Read a long table of codings (unit, coder, code[, dimension]) into one units × coders
table per dimension, collecting every problem before raising."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import DataError, InputError, did_you_mean, format_location
from ihms.stats._cells import blank_rows, normal_text
from ihms.stats._plain import is_missing

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
    """

    name: str
    multi_label: bool
    wide: pd.DataFrame
    categories: tuple[Hashable, ...]


def set_label(codes: frozenset) -> str:
    """A stable label for a set of codes, e.g. ``"a;b"``; ``"(none)"`` for the empty set."""
    return ";".join(sorted(str(c) for c in codes)) or "(none)"


def _sorted(values: Collection[Hashable]) -> tuple[Hashable, ...]:
    unique = list(dict.fromkeys(values))
    try:
        return tuple(sorted(unique))  # type: ignore[type-var]
    except TypeError:
        return tuple(unique)


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
) -> tuple[list[DimensionCodings], tuple[Hashable, ...]]:
    """Validate ``codings`` and split it by dimension.

    Rows are numbered as in a CSV file with a header (the first data row is row 2).
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
    columns = [unit, coder, code] + ([dimension] if dimension is not None else [])
    absent = [c for c in columns if c not in codings.columns]
    if absent:
        wide = coder in absent and code in absent and unit not in absent and codings.shape[1] >= 3
        hint = (
            f" (one column per coder? the table needs one row per unit and coder, with "
            f"columns '{unit}', '{coder}' and '{code}')"
            if wide
            else ""
        )
        raise DataError(
            f"{where}: missing column(s) {absent}; the table has {list(codings.columns)}{hint}",
            [
                f"{where}: expected a column named '{c}'" + did_you_mean(c, codings.columns)
                for c in absent
            ],
        )
    problems: list[str] = []
    dim_values = codings[dimension].tolist() if dimension is not None else [code] * len(codings)
    units, coders_, codes = (codings[c].tolist() for c in (unit, coder, code))
    kept: list[tuple[int, str, Hashable, Hashable, Any]] = []
    blank = blank_rows(codings)  # the ,,, lines at the end of an Excel export: no codings
    for i, (dim, u, c, v) in enumerate(zip(dim_values, units, coders_, codes, strict=True)):
        if blank[i]:
            continue
        row = i + 2
        bad = False
        for col, value in ((unit, u), (coder, c)) + (
            ((dimension, dim),) if dimension is not None else ()
        ):
            if is_missing(value) or value == "":
                problems.append(
                    f"{format_location(file=source, row=row, field=col)}: expected a value, "
                    "got an empty cell"
                )
                bad = True
        if bad or is_missing(v) or _text(v) == "":
            continue
        kept.append((row, str(_text(dim)), _text(u), _text(c), _text(v)))

    dims = list(dict.fromkeys(d for _, d, _, _, _ in kept))
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
    multi |= {d for _, d, _, _, v in kept if isinstance(v, _COLLECTIONS)}

    cells: dict[tuple[str, Hashable, Hashable], tuple[int, Any]] = {}
    for row, dim, u, c, v in kept:
        key = (dim, u, c)
        value = _split(v, separator) if dim in multi else v
        if key in cells:
            first_row, first = cells[key]
            if dim not in multi:
                problems.append(
                    f"{format_location(file=source, row=row)}: coder {c!r} coded unit {u!r} "
                    f"twice in dimension {dim!r} (first in row {first_row:,}: {first!r}, "
                    f"again: {v!r})"
                )
                continue
            repeated = sorted(map(str, first & value))
            if repeated:
                problems.append(
                    f"{format_location(file=source, row=row)}: coder {c!r} gave unit {u!r} "
                    f"the code(s) {repeated} twice in dimension {dim!r} (first in row "
                    f"{first_row:,})"
                )
            value = first | value
            row = first_row
        cells[key] = (row, value)

    all_coders = tuple(dict.fromkeys(c for _, _, _, c, _ in kept))
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
        result.append(DimensionCodings(dim, dim in multi, wide, _sorted(used)))
    if not kept and not problems:
        problems.append(f"{where}: no codings (every '{code}' cell is empty)")
    if problems:
        raise DataError(f"{where}: {len(problems):,} problem(s) in the codings", problems)
    return result, all_coders
