"""``ihms trend TABLE``: the groups' events, sizes and scores read from columns of a
table (CSV, .xlsx, .dta, .sav, .parquet through :func:`ihms.cli._common.read_csv_arg`),
optionally ordered by a time or group column, whose numbers are then the scores."""

from __future__ import annotations

from pathlib import Path

from ihms._words import said, said_again
from ihms.errors import DataError, InputError, did_you_mean

__all__ = ["trend_columns"]


def _cell_number(value, where: str) -> tuple[float | None, str | None]:
    """A cell's number, or None and the problem ``where`` (file, row, column) has."""
    from ihms.stats._cells import read_value

    number, percent, bad = read_value(value)
    if number is None and not bad:
        return None, f"{where}: expected a number, got an empty cell"
    if bad or percent or number is None:
        return None, f"{where}: expected a number, got {str(value)!r}"
    return number, None


def _count(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def _range_problems(x: float | None, n: float | None, where: dict[str, str]) -> list[str]:
    """What is wrong with one row's events ``x`` and total ``n`` as counts, each problem
    at the column it is in (``where``: ``"events"``/``"totals"`` to file, row, column);
    the library's test would name only the sorted group's number."""
    problems = []
    for value, key in ((x, "events"), (n, "totals")):
        if value is None:
            continue
        if value < 0:
            problems.append(f"{where[key]}: expected a count >= 0, got {_count(value)}")
        elif not float(value).is_integer():
            problems.append(f"{where[key]}: expected a whole number, got {value:g}")
    if problems or x is None or n is None:
        return problems
    if n == 0:
        return [f"{where['totals']}: expected a total > 0, got 0"]
    if x > n:
        return [f"{where['events']}: events {_count(x)} exceed the total {_count(n)}"]
    return []


_KIND = {
    "year": "a year",
    "monthly": "a month",
    "quarterly": "a quarter",
    "half-yearly": "a half-year",
    "weekly": "a week",
}


def _period(cell, number: tuple) -> tuple[str, int] | None:
    """``(kind, ordinal)`` of a cell that names a period — a year (2019, 2019年), a
    month (2019-9, 2019年9月, 2019m9, 201909 as YYYYMM), a quarter (2019Q1,
    2019年第一季度), a half-year or a Stata week — as interrupted time series read
    them; else None (a dose, a group's name)."""
    from ihms.stats._growth_periods import period_key
    from ihms.stats._its_time import time_point, yyyymm_code

    value, percent, bad = number
    if value is not None and not percent and not bad:
        if not float(value).is_integer():
            return None
        month = yyyymm_code(int(value))
        if month is not None:
            return "monthly", month
        return ("year", int(value)) if 1000 <= value <= 9999 else None
    parsed = time_point(cell)
    if parsed is not None and parsed[0] != "integer":
        return parsed
    year = period_key(cell, "year")
    return None if year is None else ("year", year)


def _cells_named(found: list[tuple[int, str]]) -> str:
    return ", ".join(f"row {row} ({text})" for row, text in found[:3]) + (
        ", ..." if len(found) > 3 else ""
    )


def _dotted_months(texts: list[str]) -> list[str] | None:
    """``texts`` with Excel's 2019.1 read as October when every cell is a month written
    ``2019.09`` (year 1900–2100, month 1–12, some month written with two digits after
    the point, as a number would not be; full-width digits too): the rule of
    :func:`ihms._months.read_dotted`; else None."""
    from ihms._months import read_dotted

    read = read_dotted(texts)
    found = [m for m in read.months if m is not None]
    if len(found) < len(texts) or not any(len(month) == 2 for _, month in found):
        return None
    if not all(1900 <= year <= 2100 and 1 <= int(month) <= 12 for year, month in found):
        return None
    return read.cells


def _period_scores(
    texts: list[str], periods: list, rows: list[int], path: Path, column: str
) -> tuple[list[float], str] | None:
    """Each cell's score as periods counted from the first (1 for the first; a period
    left out is a gap) and the note saying so, from the cells' :func:`_period`; None when
    no cell is a period (sorted as text, then); a column that mixes periods with other
    cells or kinds is refused."""
    named = list(zip(rows, texts, strict=True))
    if all(p is None for p in periods):
        return None
    where = f"column '{column}' of {path}"
    others = [named[i] for i, p in enumerate(periods) if p is None]
    first = next(i for i, p in enumerate(periods) if p is not None)
    if others:
        kind = _KIND[periods[first][0]]  # type: ignore[index]
        raise InputError(
            f"{where}: {_cells_named(others)} {'is' if len(others) == 1 else 'are'} not a "
            f"period while {_cells_named([named[first]])} is {kind}; expected one kind of "
            "period in every row (2019, 2019Q1 or 2019年第一季度, 2019-09 or 2019年9月, "
            "201909) or group names"
        )
    kinds: dict[str, int] = {}
    for i, (kind, _) in enumerate(periods):  # type: ignore[misc]
        kinds.setdefault(kind, i)
    if len(kinds) > 1:
        each = ", ".join(f"{_cells_named([named[i]])} {_KIND[k]}" for k, i in kinds.items())
        raise InputError(f"{where} mixes kinds of period: {each}; expected one kind")
    seen: dict[int, int] = {}
    for i, (_, key) in enumerate(periods):  # type: ignore[misc]
        if key in seen:
            j = seen[key]
            raise InputError(
                f"{where} row {rows[i]}: {texts[i]} is the same period as row "
                f"{rows[j]} ({texts[j]}); expected one row per group"
            )
        seen[key] = i
    keys = [key for _, key in periods]  # type: ignore[misc]
    low = min(keys)
    start = texts[keys.index(low)]
    note = said("en", "trend periods", column=column, start=start)
    return [float(key - low + 1) for key in keys], note


def _order(
    cells: list, rows: list[int], path: Path, column: str
) -> tuple[list[int], list[float] | None, str, str]:
    """The positions of ``cells`` (on file rows ``rows``) in sorted order, their scores,
    what the order was taken from (``""`` unless sorted as text) and where the scores came
    from: periods (2019Q1, 2019年第一季度,
    2019-9, YYYYMM numbers) in time order, scored by their count from the first; other
    numbers (years, doses) by value, scored by the values, as Stata's nptrend; group
    names as text, scored 1..k (None). An empty cell or a value twice is refused."""
    from ihms.stats._cells import read_value
    from ihms.stats._plain import is_missing

    seen: dict[str, int] = {}
    texts = []
    for cell, row in zip(cells, rows, strict=True):
        text = "" if is_missing(cell) else str(cell).strip()
        if text == "":
            raise InputError(f"column '{column}' of {path} row {row}: empty; expected a period")
        if text in seen:
            raise InputError(
                f"column '{column}' of {path} row {row}: {text} is also row "
                f"{seen[text]}; expected one row per group"
            )
        seen[text] = row
        texts.append(text)
    numbers = [read_value(c) for c in cells]
    # numbers, or per cents throughout (5%, 10%, 15%: as text 10% < 15% < 5%)
    plain = all(n is not None and not bad and not pct for n, pct, bad in numbers) or all(
        n is not None and not bad and pct for n, pct, bad in numbers
    )
    # YYYYMM numbers (201910 ... 202002) are months, counted as periods below: by value,
    # 201912 -> 202001 was a gap of 89
    periods = [_period(t, n) for t, n in zip(texts, numbers, strict=True)]
    dotted = _dotted_months(texts)
    if dotted is not None:  # 2019.09 ... 2019.12: months, not the numbers 2019.09 ... 2019.12
        texts = dotted
        periods = [_period(t, (None, False, False)) for t in texts]
    elif plain and not all(p is not None and p[0] == "monthly" for p in periods):
        values = [n for n, _, _ in numbers]
        note = said("en", "trend values", column=column, option="--order-col")
        return sorted(range(len(cells)), key=values.__getitem__), values, "", note
    scored = _period_scores(texts, periods, rows, path, column)
    if scored is None:
        k = len(cells)
        order = sorted(range(k), key=texts.__getitem__)
        shown = ", ".join(texts[i] for i in order[:4]) + (", ..." if k > 4 else "")
        sorted_note = said("en", "trend as text", column=column, shown=shown)
        return order, None, sorted_note, said("en", "trend order", k=k)
    scores, note = scored
    return sorted(range(len(cells)), key=scores.__getitem__), scores, "", note


#: The kinds of note saying where the scores came from (:data:`ihms._words.STATUS`).
_NOTES = ("trend values", "trend periods", "trend rows", "trend order", "trend as text")


def trend_columns(
    path: Path,
    *,
    events_col: str,
    totals_col: str,
    scores_col: str | None,
    order_col: str | None,
    sheet: str | None,
    encoding: str | None,
    lang: str = "en",
) -> tuple[list[float], list[float], list[float] | None]:
    """``(events, totals, scores)`` from the columns of the table at ``path``, one row per
    group (wholly empty rows skipped), in ``order_col`` order or the file's.

    The scores are ``scores_col``'s; else, when ``order_col``'s cells are all numbers
    (years, doses), those numbers, as Stata's ``nptrend`` scores by its group variable
    (a year left out then counts as a gap); else None (1..k in order, R's
    ``prop.trend.test``). ``lang``: the language of the note saying where the scores
    came from."""
    from ihms.cli._common import note, read_csv_arg
    from ihms.cli._stats_options import note_blank_rows
    from ihms.stats._cells import blank_rows, first_row, several_indicators

    data = read_csv_arg(
        path, sheet=sheet, encoding=encoding, missing="a group without a count", titles="skip"
    )
    note_blank_rows(data, path)
    for column, option in (
        (events_col, "--events-col"),
        (totals_col, "--totals-col"),
        (scores_col, "--scores-col"),
        (order_col, "--order-col"),
    ):
        if column is not None and column not in data.columns:
            raise InputError(
                f"{path}: no column '{column}' (option {option}); the columns are "
                f"{', '.join(map(str, data.columns))}{did_you_mean(column, data.columns)}"
            )
    if several := several_indicators(data):
        raise InputError(f"{path}: {several}")
    rows = [i for i, blank in enumerate(blank_rows(data)) if not blank]
    data = data.iloc[rows]
    numbers: dict[str, list] = {"row": [i + first_row(data) for i in rows]}
    label = order_col if order_col is not None else scores_col
    shown = [] if label is None else data[label].tolist()
    wheres = [
        f"of {path} row {row}" + (f" ({label} {str(shown[i]).strip()})" if label else "")
        for i, row in enumerate(numbers["row"])
    ]
    problems: list[str] = []
    for column in (events_col, totals_col, scores_col):
        if column is not None:
            numbers[column] = []
            for value, where in zip(data[column].tolist(), wheres, strict=True):
                number, problem = _cell_number(value, f"column '{column}' {where}")
                numbers[column].append(number)
                problems += [problem] if problem else []
    for i, where in enumerate(wheres):
        problems += _range_problems(
            numbers[events_col][i],
            numbers[totals_col][i],
            {
                "events": f"column '{events_col}' {where}",
                "totals": f"column '{totals_col}' {where}",
            },
        )
    if problems:
        raise DataError(f"{path}: {len(problems):,} problem(s) in the table", problems)
    order, ordered_by = list(range(len(rows))), None
    ordered, told = "", said("en", "trend rows", k=len(rows))
    if order_col is not None:
        order, ordered_by, ordered, told = _order(
            data[order_col].tolist(), numbers["row"], path, order_col
        )
    events = [numbers[events_col][i] for i in order]
    totals = [numbers[totals_col][i] for i in order]
    given = numbers[scores_col] if scores_col is not None else ordered_by
    scores = None if given is None else [given[i] for i in order]
    if scores_col is not None:
        told = said("en", "trend values", column=scores_col, option="--scores-col")
    # made in English (as they are tested for), said again in --lang
    lines = [said_again(lang, t, _NOTES) for t in (ordered, told) if t]
    note(("；" if lang == "zh" else "; ").join(lines), lang)
    return events, totals, scores
