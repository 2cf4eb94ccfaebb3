"""``ihms trend TABLE``: the groups' events, sizes and scores read from columns of a
table (CSV, .xlsx, .dta, .sav, .parquet through :func:`ihms.cli._common.read_csv_arg`),
optionally ordered by a time or group column, whose numbers are then the scores."""

from __future__ import annotations

from pathlib import Path

from ihms.errors import InputError

__all__ = ["trend_columns"]


def _cell_number(value, column: str, path: Path, row: int) -> float:
    from ihms.stats._cells import read_value

    number, percent, bad = read_value(value)
    where = f"column '{column}' of {path} row {row:,}"
    if number is None and not bad:
        raise InputError(f"{where}: expected a number, got an empty cell")
    if bad or percent or number is None:
        raise InputError(f"{where}: expected a number, got {str(value)!r}")
    return number


def _order(
    cells: list, rows: list[int], path: Path, column: str
) -> tuple[list[int], list[float] | None]:
    """The positions of ``cells`` (on file rows ``rows``) in sorted order, and the cells
    as numbers when every cell is one (2019, 2020, ...; sorted as numbers), else None
    (sorted as text: 2019Q1, 2019-10); an empty cell or a value twice is refused."""
    from ihms.stats._cells import read_value
    from ihms.stats._plain import is_missing

    seen: dict[str, int] = {}
    for cell, row in zip(cells, rows, strict=True):
        text = "" if is_missing(cell) else str(cell).strip()
        if text == "":
            raise InputError(f"column '{column}' of {path} row {row:,}: empty; expected a period")
        if text in seen:
            raise InputError(
                f"column '{column}' of {path} row {row:,}: {text} is also row "
                f"{seen[text]:,}; expected one row per group"
            )
        seen[text] = row
    numbers = [read_value(c) for c in cells]
    values: list[float] | None = None
    keys: list
    if all(n is not None and not bad and not pct for n, pct, bad in numbers):
        keys = values = [n for n, _, _ in numbers]
    else:
        keys = [str(c).strip() for c in cells]
    return sorted(range(len(cells)), key=keys.__getitem__), values


def trend_columns(
    path: Path,
    *,
    events_col: str,
    totals_col: str,
    scores_col: str | None,
    order_col: str | None,
    sheet: str | None,
    encoding: str | None,
) -> tuple[list[float], list[float], list[float] | None]:
    """``(events, totals, scores)`` from the columns of the table at ``path``, one row per
    group (wholly empty rows skipped), in ``order_col`` order or the file's.

    The scores are ``scores_col``'s; else, when ``order_col``'s cells are all numbers
    (years, doses), those numbers, as Stata's ``nptrend`` scores by its group variable
    (a year left out then counts as a gap); else None (1..k in order, R's
    ``prop.trend.test``)."""
    from ihms.cli._common import read_csv_arg
    from ihms.cli._stats_options import note_blank_rows
    from ihms.stats._cells import blank_rows, several_indicators

    data = read_csv_arg(path, sheet=sheet, encoding=encoding, missing="a group without a count")
    note_blank_rows(data, path)
    for column, option in (
        (events_col, "--events-col"),
        (totals_col, "--totals-col"),
        (scores_col, "--scores-col"),
        (order_col, "--order-col"),
    ):
        if column is not None and column not in data.columns:
            raise InputError(f"{path}: no column '{column}' (option {option})")
    if several := several_indicators(data):
        raise InputError(f"{path}: {several}")
    rows = [i for i, blank in enumerate(blank_rows(data)) if not blank]
    data = data.iloc[rows]
    numbers = {"row": [i + 2 for i in rows]}
    for column in (events_col, totals_col, scores_col):
        if column is not None:
            numbers[column] = [
                _cell_number(value, column, path, row)
                for value, row in zip(data[column].tolist(), numbers["row"], strict=True)
            ]
    order, ordered_by = list(range(len(rows))), None
    if order_col is not None:
        order, ordered_by = _order(data[order_col].tolist(), numbers["row"], path, order_col)
    events = [numbers[events_col][i] for i in order]
    totals = [numbers[totals_col][i] for i in order]
    given = numbers[scores_col] if scores_col is not None else ordered_by
    scores = None if given is None else [given[i] for i in order]
    return events, totals, scores
