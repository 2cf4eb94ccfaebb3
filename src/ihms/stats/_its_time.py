"""Reading time points and numbers from a table, with errors that name the cell.

Time is either plain integers (years, period numbers) or months (``2017-10``,
``2017/10``, ``2017m10``, ``2017年10月``, ``Oct-17`` and ``Oct 2017`` (Excel's month
formats), dates: :func:`ihms._months.month_of`, the one month reader of ihms; a column
of YYYYMM numbers such as ``201710`` reads as months too), or
quarters, half-years or Stata weeks (``2017Q3``, ``2017H1``, ``2017w40``:
:mod:`ihms.stats._period_text`); a column of dates that are all quarters' (or years')
first or last days reads as quarters (years) where months would have gaps
(:mod:`ihms.stats._its_days`). Months are coded as
Stata's ``%tm`` integers (months since 1960m1), the others as ``%tq``, ``%th``, ``%tw``
ones, and a month shows in a regressor name as
Stata prints it (``2017m10``) and to people as ``2017-10``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms._listing import first_of
from ihms._months import excel_octobers, month_of, yyyymm_month
from ihms.errors import InputError, format_location
from ihms.stats._cells import (
    column_problems,
    missing_marker,
    mixed_percent,
    normal_text,
    read_value,
    row_where,
    summary_hint,
    suppressed_hint,
)
from ihms.stats._its_days import Day, day_code, day_example, month_days, periods_of_days
from ihms.stats._period_text import PERIODS, period_start, times_dropped
from ihms.stats._plain import is_missing

__all__ = [
    "TimeAxis",
    "numeric_column",
    "parse_interruption",
    "row_where",
    "time_column",
    "time_point",
    "yyyymm_code",
]

_INT_RE = re.compile(r"^\s*[-+]?\d+(\.0+)?\s*$", re.ASCII)


@dataclass(frozen=True)
class TimeAxis:
    """How a time column is coded: plain integers (years, period numbers), months, or
    quarters, half-years or Stata weeks (:mod:`ihms.stats._period_text`).

    Codes are Stata's counts from the first period of 1960: ``%tm`` for months,
    ``(year - 1960) * 12 + month - 1``, and ``%tq``, ``%th``, ``%tw`` likewise.
    ``day`` says that the column wrote each quarter (or year, or month) as its first or
    last day (:mod:`ihms.stats._its_days`); ``dropped`` says which time of day those
    dates carried, dropped to read them so
    (:func:`~ihms.stats._period_text.times_dropped`), for the reading's note.
    """

    kind: Literal["integer", "monthly", "quarterly", "half-yearly", "weekly"]
    day: Day | None = None
    dropped: str | None = None

    def _split(self, code: int) -> tuple[int, int]:
        """``(year, number within the year)`` of a dated code."""
        per_year = 12 if self.kind == "monthly" else PERIODS[self.kind][0]
        year, within = divmod(int(code), per_year)
        return year + 1960, within + 1

    def term_label(self, code: int) -> str:
        """The suffix Stata's ``itsa`` gives a regressor, the period as the time
        variable's format shows it: ``1989``, ``2017m10``, ``2017q3``, ``2017w40``."""
        if self.kind == "integer":
            return str(int(code))
        year, number = self._split(code)
        return f"{year}{'m' if self.kind == 'monthly' else PERIODS[self.kind][1]}{number}"

    def display(self, code: int) -> str:
        """How a time point is shown to people: ``1989``, ``2017-10``, ``2017Q3``."""
        if self.kind == "integer":
            return str(int(code))
        year, number = self._split(code)
        if self.kind == "monthly":
            return f"{year}-{number:02d}"
        return f"{year}{PERIODS[self.kind][2]}{number}"

    def to_period(self, code: int) -> pd.Period | int | str:
        """The time point as a cell that reads back as it: a number, a monthly or
        quarterly :class:`pandas.Period`, else its text (``2017H1``, ``2017w40``)."""
        if self.kind == "integer":
            return int(code)
        year, number = self._split(code)
        if self.kind == "monthly":
            return pd.Period(year=year, month=number, freq="M")
        if self.kind == "quarterly":
            return pd.Period(year=year, quarter=number, freq="Q")
        return self.display(code)

    def seasonal_index(self, codes) -> pd.PeriodIndex:
        """The monthly or quarterly periods of ``codes``, the index seasonal adjustment
        reads; other kinds of time are refused."""
        if self.kind not in ("monthly", "quarterly"):
            raise InputError(
                "parameter 'seasonal': seasonal adjustment needs monthly or quarterly time"
            )
        freq = "M" if self.kind == "monthly" else "Q"
        return pd.PeriodIndex([self.to_period(t) for t in codes], freq=freq)

    def written(self, code: int) -> pd.Timestamp | pd.Period | int | str:
        """The time point as the column wrote it: the quarter's (year's, month's) first
        or last day for a column of such days, else :meth:`to_period`."""
        if self.day is None:
            return self.to_period(code)
        period = (
            pd.Period(year=int(code), freq="Y") if self.kind == "integer" else self.to_period(code)
        )
        assert isinstance(period, pd.Period)  # a day is written for dated periods and years only
        return period.start_time if self.day == "first" else period.end_time.normalize()

    def start(self, code: int) -> pd.Timestamp:
        """The first day of a dated time point (where a figure draws it)."""
        year, number = self._split(code)
        if self.kind == "monthly":
            return pd.Timestamp(year, number, 1)
        return period_start(self.kind, year, number)


def _month_code(year: int, month: int) -> int:
    return (year - 1960) * 12 + (month - 1)


def time_point(value: Any) -> tuple[str, int] | None:
    """``(kind, code)`` of one time cell as a time column's cells are read, alone (no
    column around it): ``("integer", 2019)``; ``("monthly", code)`` for a month
    (:func:`ihms._months.month_of`; Stata's ``%tm`` code), ``("quarterly", code)``,
    ``("half-yearly", code)``, ``("weekly", code)``; None when it names no time. Read
    alone, a dotted ``2019.1`` is January (:func:`ihms._months.read_dotted` needs the
    column's other months to call it October). Used by ``ihms trend``'s period column.

    Parameters
    ----------
    value : Any
        The cell.

    Examples
    --------
    >>> time_point("2019-10"), time_point(2019), time_point("2019.1"), time_point("x")
    (('monthly', 717), ('integer', 2019), ('monthly', 708), None)
    """
    if is_missing(value) or isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return "integer", int(value)
    if isinstance(value, (float, np.floating)):
        if np.isfinite(value) and float(value).is_integer():
            return "integer", int(value)
        return None
    text = normal_text(value)
    if _INT_RE.match(text):
        return "integer", int(float(text))
    month = month_of(value)
    if month is not None:
        return "monthly", _month_code(*month)
    for kind, (per_year, _, _, reader) in PERIODS.items():
        found = reader(value)
        if found is not None:
            return kind, (found[0] - 1960) * per_year + found[1] - 1
    return None


#: What an interruption on each kind of time axis looks like.
_WANTED = {
    "integer": "a year or period number",
    "monthly": "a month like 2017-10",
    "quarterly": "a quarter like 2017Q3",
    "half-yearly": "a half-year like 2017H1",
    "weekly": "a Stata week like 2017w40",
}
#: Each kind of time in words, to name a column that mixes them.
_KIND_WORDS = {
    "integer": "plain numbers",
    "monthly": "monthly dates",
    "quarterly": "quarters",
    "half-yearly": "half-years",
    "weekly": "weeks",
}


#: What a time cell or interruption may be, in a message.
_TIME_EXPECTED = (
    "a time point like 1989 or 2017-10 (or a quarter 2017Q3, half-year 2017H1, week 2017w40)"
)


def parse_interruption(value: Any, axis: TimeAxis, *, parameter: str = "interruption") -> int:
    """Code one interruption given as ``1989``, ``"1989"``, ``"2017-10"``,
    ``"2017m10"``, a :class:`pandas.Period` or a timestamp, on ``axis``; on an axis
    read from days (``axis.day``), the day that opens or closes the period too."""
    if axis.day is not None and (code := day_code(value, axis.kind, axis.day)) is not None:
        return code
    parsed = time_point(value)
    if parsed is None:
        raise InputError(
            f"parameter '{parameter}': expected {_TIME_EXPECTED}, got {value!r}"
            + summary_hint(value)
        )
    kind, code = parsed
    if kind == "integer" and axis.kind == "monthly" and yyyymm_code(code) is not None:
        return yyyymm_code(code)  # type: ignore[return-value]  # 201710 on a YYYYMM axis
    if kind != axis.kind:
        want = _WANTED[axis.kind] + (day_example(axis.kind, axis.day) if axis.day else "")
        raise InputError(
            f"parameter '{parameter}': the time column holds {axis.kind} time, so expected "
            f"{want}, got {value!r}"
        )
    return code


def _where(source: str | None, row: Hashable | None, field: str) -> str:
    """Where a cell is (the column alone for ``row`` None)."""
    if source is not None:
        return format_location(
            file=source,
            row=None if row is None else int(row),  # type: ignore[arg-type]
            field=field,
        )
    return f"column '{field}'" + ("" if row is None else f" row {row!r}")


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    source: str | None,
    problems: list[str],
    positions: np.ndarray | None = None,
) -> np.ndarray:
    """``column`` as floats, read as growth tables read values (:func:`read_value`:
    ``1,026.5``, full-width ``１０２６``, ``12.5%`` as 12.5); cells that are not numbers
    add problems naming their rows (one problem for the column when there are many).

    ``positions`` gives each row's position in the caller's table when ``frame`` is a
    selection of it, so file row numbers stay right.
    """
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, copy=True)
    rows: list[Hashable] = []
    shown: list[str] = []
    gaps: list[tuple[Hashable, str]] = []
    gap_positions: list[int] = []
    signed: list[Hashable] = []
    for pos in np.flatnonzero(~np.isfinite(values)):  # only the cells pandas cannot read
        cell = raw.iloc[pos]
        number, percent, bad = read_value(cell)
        if number is not None:
            values[pos] = number
            if percent:
                signed.append(row_where(frame, pos, source, positions))
            continue
        row = row_where(frame, pos, source, positions)
        if not bad or missing_marker(cell):
            gaps.append((row, repr(str(cell).strip()) if bad else "an empty cell"))
            gap_positions.append(pos)
        else:
            rows.append(row)
            shown.append(repr(cell))
    where = partial(_where, source, field=column)
    problems.extend(column_problems(where, rows, shown, "a number"))
    if gaps:
        rows_of = [row for row, _ in gaps]  # small counts ihms indicators left empty
        problems.append(
            _missing_values(where, gaps) + suppressed_hint(frame, gap_positions, rows_of)
        )
    if signed and (plain := _plain_numbers(frame, raw, positions, source)):
        problems.append(mixed_percent(_where(source, None, column), signed, plain))
    return values


def _missing_values(where: Callable[[Any], str], gaps: list[tuple[Hashable, str]]) -> str:
    """The problem of a value column's missing cells (empty, or written ``NA``, ``#N/A``:
    :func:`~ihms.stats._cells.missing_marker`). Growth and agreement tables read them as
    missing; a time series cannot: a period without its value is a gap in the series,
    refused as a missing time point is."""
    rows = [row for row, _ in gaps]
    shown = first_of(list(dict.fromkeys(cell for _, cell in gaps)), 3)
    if len(gaps) == 1:
        head = f"{where(rows[0])}: a missing value ({shown})"
    else:
        head = f"{where(None)}: {len(gaps):,} missing values (rows {first_of(rows, 5)}: {shown})"
    return (
        f"{head}; an interrupted time series needs a value at every time point (a period "
        "without one is a gap in the series, refused as a missing time point is): give "
        "the value, or fit the periods before or after the gap"
    )


def _plain_numbers(frame, raw, positions, source) -> list[tuple[Hashable, Any]]:
    """``(row, cell)`` of the numbers of a column written without a % sign."""
    plain = []
    for pos, cell in enumerate(raw.tolist()):
        number, percent, _ = read_value(cell)
        if number is not None and not percent:
            plain.append((row_where(frame, pos, source, positions), cell))
    return plain


def time_column(
    frame: pd.DataFrame,
    column: str,
    source: str | None,
    problems: list[str],
    positions: np.ndarray | None = None,
) -> tuple[TimeAxis | None, np.ndarray]:
    """``column`` coded on one :class:`TimeAxis`; unreadable cells add problems."""
    raw = frame[column]
    if not pd.api.types.is_numeric_dtype(raw.dtype):
        raw = pd.Series(excel_octobers(raw.tolist()), index=raw.index, dtype=object)
    # Parse each distinct value once: long tables repeat the same few dozen periods.
    # (``positions`` maps rows back to the file; the factorize codes are another thing)
    which, uniques = pd.factorize(raw, use_na_sentinel=True)
    parsed = [time_point(v) for v in uniques.tolist()]
    kinds = {p[0] for p in parsed if p is not None}
    lookup = np.array([p[1] if p is not None else 0 for p in parsed] + [0], dtype=np.int64)
    codes = lookup[which]  # the sentinel -1 picks the trailing 0
    ok = np.array([p is not None for p in parsed] + [False])
    bad = np.flatnonzero(~ok[which])
    problems.extend(
        column_problems(
            lambda row: _where(source, row, column),
            [row_where(frame, p, source, positions) for p in bad],
            [repr(raw.iloc[p]) + summary_hint(raw.iloc[p]) for p in bad],
            _TIME_EXPECTED,
        )
    )
    if len(kinds) > 1:
        mixed = " and ".join(words for kind, words in _KIND_WORDS.items() if kind in kinds)
        problems.append(f"column '{column}': mixes {mixed}; use one kind of time")
        return None, codes
    if not kinds:
        return None, codes
    kind = kinds.pop()
    valid = [p[1] for p in parsed if p is not None]
    if kind == "monthly" and len(valid) == len(parsed):
        read = periods_of_days(uniques.tolist(), valid)
        if read is not None:  # quarters (or years) written as their first or last days
            lookup = np.array([*read[2], 0], dtype=np.int64)
            period = "quarter" if read[0] == "quarterly" else "year"
            dropped = times_dropped(uniques.tolist(), period)
            return TimeAxis(read[0], read[1], dropped), lookup[which]  # type: ignore[arg-type]
        return TimeAxis("monthly", month_days(uniques.tolist())), codes
    if kind == "integer" and valid and all(yyyymm_code(v) is not None for v in valid):
        # 201710 is October 2017 (Stata users' ym numbers), not the year 201,710
        lookup = np.array([yyyymm_code(v) or 0 for v in lookup.tolist()], dtype=np.int64)
        return TimeAxis("monthly"), lookup[which]
    return TimeAxis(kind), codes  # type: ignore[arg-type]


def yyyymm_code(value: int) -> int | None:
    """The monthly (``%tm``) code of a YYYYMM number (:func:`ihms._months.yyyymm_month`:
    ``201910`` → 717), else None.

    Parameters
    ----------
    value : int
        The number.
    """
    found = yyyymm_month(value)
    return None if found is None else _month_code(*found)
