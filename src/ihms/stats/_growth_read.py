"""Read a long or wide table of indicator values by period into series, collecting
every problem (file, row, column) before any growth is computed."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ihms._months import excel_octobers
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import DataError, InputError, did_you_mean, format_location
from ihms.stats._cells import (
    blank_rows,
    column_names,
    column_problems,
    mixed_percent,
    normal_text,
    row_where,
    summary_hint,
)
from ihms.stats._date_counts import date_count_hint, package_of
from ihms.stats._growth_periods import (
    EXAMPLE,
    FREQUENCIES,
    Frequency,
    period_key,
    period_kind,
    period_label,
    read_value,
)
from ihms.stats._period_text import times_dropped
from ihms.stats._plain import is_missing

__all__ = [
    "PeriodResult",
    "Series",
    "check_frame",
    "columns_hint",
    "exact_sum",
    "percent_read",
    "raise_problems",
    "ranges",
    "rate_names",
    "read_series",
    "unit_of",
]

#: How a rate's values are written: 50.8 (``"percent"``) or 0.508 (``"fraction"``).
RATE_UNITS = ("percent", "fraction")


@dataclass
class Series:
    """What :func:`read_series` read: ``values[indicator][key]`` (None for an empty
    cell), the spreadsheet row of each, the indicators written with a % sign, and the
    notes on how the periods were read (a time of day dropped from a quarter's date)."""

    values: dict[str, dict[int, float | None]] = field(default_factory=dict)
    rows: dict[tuple[str, int], int] = field(default_factory=dict)
    percent_written: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[int]:
        """Every period of the table, in order."""
        return sorted({k for values in self.values.values() for k in values})


def columns_hint(columns: Sequence[Any], needed: Sequence[str]) -> str:
    """A hint for a table whose headers are periods (a yearbook's 指标, 2016年, 2017年):
    growth reads the long form, one row per indicator and period; empty otherwise."""
    periods = [c for c in columns if period_kind(c) is not None]
    if len(periods) < 2:
        return ""
    shown = ", ".join(repr(str(c)) for c in periods[:3]) + (", ..." if len(periods) > 3 else "")
    return (
        f" (years across the columns ({shown})? the table needs one row per indicator and "
        f"period, with the columns {', '.join(repr(c) for c in needed)}: unpivot it, in "
        "Excel with Power Query's 'Unpivot Columns', in pandas with melt)"
    )


def check_frame(
    data: Any,
    frequency: Any,
    value_col: str | Sequence[str],
    indicator_col: str | None,
    where: str,
    *,
    frequencies: Sequence[str] = FREQUENCIES,
) -> list[str]:
    """Check the options of a growth function; the value columns as a list."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{where}: expected a pandas DataFrame, got {type(data).__name__}")
    if frequency not in frequencies:
        quoted = [repr(f) for f in frequencies]
        allowed = " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
        raise InputError(f"parameter 'frequency': expected {allowed}, got {frequency!r}")
    columns = [value_col] if isinstance(value_col, str) else list(value_col)
    if not columns or not all(isinstance(c, str) for c in columns):
        raise InputError(f"parameter 'value_col': expected column name(s), got {value_col!r}")
    if indicator_col is not None and len(columns) > 1:
        raise InputError(
            "parameters 'indicator_col' and 'value_col': a long table has one value column "
            f"(with an indicator column), a wide one several value columns; got {columns}"
        )
    return columns


def read_series(
    data: pd.DataFrame,
    *,
    period_col: str | None,
    value_col: str | Sequence[str],
    indicator_col: str | None,
    frequency: Frequency,
    source: str | None,
    problems: list[str],
    rate_unit: str = "percent",
    rates: Collection[str] | Mapping[str, str] | bool = (),
    frequencies: Sequence[str] = FREQUENCIES,
) -> Series:
    """Every indicator's values by period key; problems are appended to ``problems``.
    A value written with % is read in its indicator's unit (:func:`unit_of`).

    Raises
    ------
    InputError
        At once for options no table can satisfy (see :func:`check_frame`).
    DataError
        At once when a column is missing (nothing else can be read then).
    """
    where = source or "data"
    columns = check_frame(data, frequency, value_col, indicator_col, where, frequencies=frequencies)
    period_col = period_col or frequency
    roles = [("period_col", period_col), *(("value_col", c) for c in columns)]
    roles += [("indicator_col", indicator_col)] if indicator_col else []
    needed = [c for _, c in roles]
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise DataError(
            f"{where}: missing column(s) {', '.join(absent)}; the table has "
            f"{column_names(data.columns)}" + columns_hint(data.columns, needed),
            [
                f"{where}: expected a column named '{c}' (parameter '{role}')"
                + did_you_mean(c, data.columns)
                for role, c in roles
                if c in absent
            ],
        )
    first_problem = len(problems)  # the period problems go before this call's others
    names = data[indicator_col].tolist() if indicator_col else None
    periods = data[period_col].tolist()
    if frequency == "month":
        periods = excel_octobers(periods)  # 2019.1 beside 2019.09 is Excel's 2019.10
    keys = [period_key(period, frequency) for period in periods]  # once, not per column
    series = Series()
    if frequency == "quarter":  # a quarter's date at 08:30 is that quarter: said so
        read = [period for period, key in zip(periods, keys, strict=True) if key is not None]
        if dropped := times_dropped(read, "quarter"):
            series.notes.append(f"column '{period_col}': {dropped}")
    blank = blank_rows(data)  # the ,,, lines at the end of an Excel export: no values
    bad_periods: list[tuple[int, Any]] = []
    written: dict[str, str] = {}
    # per indicator, the rows written with a % sign and the (row, cell) written without
    signed: dict[str, list[int]] = {}
    unsigned: dict[str, list[tuple[int, Any]]] = {}
    for column in columns:
        for i, (period, value) in enumerate(zip(periods, data[column].tolist(), strict=True)):
            if blank[i]:
                continue
            row = row_where(data, i, source)
            name = names[i] if names is not None else column
            if is_missing(name) or str(name).strip() == "":
                problems.append(
                    f"{format_location(file=source, row=row, field=indicator_col)}: "
                    "expected an indicator name, got an empty cell"
                )
                continue
            name = indicator_name(name, written)
            key = keys[i]
            if key is None:
                if column == columns[0]:  # said once for the row, not per value column
                    bad_periods.append((row, period))
                continue
            number, percent, bad = read_value(value)
            label = f"indicator {name!r}, {frequency} {period_label(key, frequency)}"
            if bad:
                problems.append(
                    f"{format_location(file=source, row=row, field=column)} ({label}): "
                    f"expected a number, got {value!r}"
                )
                continue
            if (name, key) in series.rows:
                problems.append(
                    f"{format_location(file=source, row=row)} ({label}): a second value for "
                    f"the same {frequency} (first in row {series.rows[(name, key)]})"
                )
                continue
            series.rows[(name, key)] = row
            if number is not None:
                if percent:
                    signed.setdefault(name, []).append(row)
                else:
                    unsigned.setdefault(name, []).append((row, value))
            number = percent_read(number, percent, name, rates, rate_unit, series.percent_written)
            series.values.setdefault(name, {})[key] = number
    problems[first_problem:first_problem] = _period_problems(
        bad_periods, period_col, frequency, source
    )
    for name in signed.keys() & unsigned.keys():
        where = format_location(file=source, field=column_of(name, columns))
        where += f" (indicator {name!r})" if indicator_col else ""
        problems.append(mixed_percent(where, signed[name], unsigned[name]))
    return series


def column_of(name: str, columns: Sequence[str]) -> str:
    """The value column an indicator of a wide table is read from (its own name)."""
    return name if name in columns else columns[0]


def indicator_name(name: Any, written: dict[str, str]) -> str:
    """One indicator however its name's outer blanks and width were typed, shown as
    first written (``written`` remembers it): ``"门诊人次　"`` split a series in two,
    each with half its growth."""
    return written.setdefault(normal_text(name), str(name).strip())


def _period_problems(
    bad: list[tuple[int, Any]], period_col: str, frequency: Frequency, source: str | None
) -> list[str]:
    """The unreadable period cells: one problem each, or one for the column when many;
    cells of another frequency (months in a table by year) say so once, at the end, with
    the ``--by`` that reads them."""
    kinds = [period_kind(period) for _, period in bad]
    other = {k for k in kinds if k is not None and k != frequency}
    # one other kind throughout (a monthly table read by year): said once, at the end;
    # a single stray cell keeps its own clause
    once = next(iter(other)) if len(other) == 1 and None not in kinds and len(kinds) > 1 else None

    def shown(period: Any) -> str:
        kind = period_kind(period)
        if kind in ("half-year", "week"):
            return (
                f"{period!r} (a {kind}: growth compares years, quarters and months; sum "
                f"the {kind}s to years first)"
            )
        if kind is not None and kind == once:
            return repr(period)
        if kind is not None and kind != frequency:
            # a month cell may be any day (a date column): said so in a quarter's table
            what = "a month or a date" if kind == "month" else f"a {kind}"
            return (
                f"{period!r} ({what}, not a {frequency}: a table by {frequency} holds "
                f"{frequency}s only)"
            )
        hint = date_count_hint(period, package_of(source), period_col, frequency)
        return f"{period!r}" + summary_hint(period) + hint

    problems = column_problems(
        lambda row: format_location(file=source, row=row, field=period_col),
        [row for row, _ in bad],
        [shown(period) for _, period in bad],
        EXAMPLE[frequency],
    )
    if once is not None and once not in ("half-year", "week") and problems:
        problems[-1] += _frequency_hint(once, frequency)
    return problems


def _frequency_hint(kind: str, frequency: Frequency) -> str:
    """Why a month (or quarter, year) is refused in a table by another frequency, and
    the ``--by`` (``--to``) that reads it."""
    what = "months or dates" if kind == "month" else f"{kind}s"
    coarser = [f for f in ("quarter", "year") if _ORDER[f] > _ORDER[kind]]
    sums = " or ".join(f"--by {kind} --to {f}" for f in coarser)
    return (
        f" — these are {what}, not {frequency}s: a table by {frequency} holds "
        f"{frequency}s only; give --by {kind}" + (f" (or {sums} to sum them first)" if sums else "")
    )


_ORDER = {"month": 0, "quarter": 1, "year": 2}


def raise_problems(where: str, series: Series, problems: list[str]) -> None:
    """Raise every problem collected (an empty table is one) as one :class:`DataError`."""
    if not series.keys and not problems:
        problems.append(f"{where}: no rows")
    if problems:
        raise DataError(f"{where}: {len(problems):,} problem(s) in the series", problems)


def unit_of(name: str, rates: Any, rate_unit: str) -> str:
    """The unit a rate indicator is written in: its own when ``rates`` maps it to one
    (``{"bed_ratio": "fraction", "primary_share": "percent"}``), else ``rate_unit``."""
    if isinstance(rates, Mapping) and name in rates:
        return str(rates[name])
    return rate_unit


def percent_read(
    number: float | None,
    percent: bool,
    name: str,
    rates: Any,
    rate_unit: str,
    written: set[str],
) -> float | None:
    """A value of indicator ``name`` in its rate's unit (:func:`unit_of`): written with a
    % sign (``percent``, :func:`~ihms.stats._cells.read_value`), ``52.1%`` is 0.521 of a
    rate held as a fraction and 52.1 of one in per cent, and ``name`` is added to
    ``written`` (a value with the sign makes its indicator a rate: :func:`rate_names`).
    Every growth reader reads the sign here.

    Examples
    --------
    >>> written = set()
    >>> percent_read(52.1, True, "share", (), "fraction", written), written
    (0.521, {'share'})
    >>> percent_read(52.1, True, "share", {"share": "percent"}, "fraction", set())
    52.1
    """
    if not percent:
        return number
    written.add(name)
    if number is not None and unit_of(name, rates, rate_unit) == "fraction":
        return number / 100
    return number


def rate_names(
    rates: Collection[str] | Mapping[str, str] | bool,
    indicators: list[str],
    percent: set[str],
    problems: list[str],
) -> list[str]:
    """The indicators that are rates: named in ``rates`` (True: all; a mapping gives each
    its unit, see :func:`unit_of`) or written with %.

    Raises
    ------
    InputError
        A unit in a mapping other than 'percent' or 'fraction'.
    """
    if isinstance(rates, Mapping):
        for name, unit in rates.items():
            if unit not in RATE_UNITS:
                raise InputError(
                    f"parameter 'rates': expected the unit of {name!r} to be 'percent' "
                    f"(50.8 for 50.8%) or 'fraction' (0.508), got {unit!r}"
                )
    if rates is True:
        return list(indicators)
    if rates is False or rates is None:
        chosen: list[str] = []
    elif isinstance(rates, str):
        chosen = [rates]
    else:
        chosen = [str(r) for r in rates]
    for name in chosen:
        if name not in indicators:
            problems.append(
                f"parameter 'rates': no indicator named {name!r}"
                + (did_you_mean(name, indicators) or f" (indicators: {indicators})")
            )
    return [n for n in indicators if n in chosen or n in percent]


def exact_sum(values: Sequence[float]) -> float:
    """The sum of values as written (decimal), so 0.1 + 0.2 of a money column is 0.3.

    Examples
    --------
    >>> exact_sum([0.1, 0.2])
    0.3
    """
    from decimal import Decimal

    return float(sum((Decimal(repr(float(v))) for v in values), Decimal(0)))


def ranges(keys: Sequence[int], label: Any) -> str:
    """Consecutive keys as ranges: ``2018-02–2018-12, 2019-05``."""
    parts: list[str] = []
    ordered = sorted(keys)
    start = prev = None
    for key in [*ordered, None]:
        if key is not None and prev is not None and key == prev + 1:
            prev = key
            continue
        if start is not None:
            parts.append(str(label(start)) if start == prev else f"{label(start)}–{label(prev)}")
        start = prev = key
    return ", ".join(parts)


class PeriodResult(SummaryHtml):
    """What the growth results share: a short repr and a copy of :attr:`frame`.

    Subclasses are frozen dataclasses declared with ``repr=False`` (the generated repr
    would print the whole table) holding ``frame``, ``frequency`` and ``notes``.
    """

    frame: pd.DataFrame
    frequency: str
    notes: tuple[str, ...]

    def _repr_options(self) -> dict[str, Any]:
        return {"frequency": self.frequency}

    def __repr__(self) -> str:
        return brief_repr(
            self,
            indicators=self.frame["indicator"].nunique(),
            periods=self.frame["period"].nunique(),
            **self._repr_options(),
            notes=len(self.notes),
        )

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`frame` (growths as fractions)."""
        return self.frame.copy()
