"""Years in the content tables: a table of release years may fold the early (or late)
years into one bin, as seed 000's Table 11 prints "2015 and before".

The bin is named for what it holds: a floor with no earlier year in the table is that
year alone (``2015``, as Table 12 prints the same year), so two tables of one corpus
agree; likewise a ceiling with no later year.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["year_bins", "year_label"]


def year_label(key: str, lang: str) -> str:
    """A year or a bin of years (``2015 and before``: ``2015年及以前`` in Chinese)."""
    first, _, rest = str(key).partition(" and ")
    if lang != "zh" or not rest:
        return str(key)
    return f"{first}年及{'以前' if rest == 'before' else '以后'}"


def year_bins(values: pd.Series, floor: int | None, ceiling: int | None) -> tuple[pd.Series, dict]:
    """``values`` (years) as labels, those up to ``floor`` as ``"{floor} and before"``
    and from ``ceiling`` as ``"{ceiling} and after"``, and ``{bin: [years]}``; a bin
    without a year beyond its bound is no bin (the year ``2015`` stays ``2015``)."""
    years = values.astype(int)
    merge: dict[str, list[str]] = {}
    out = years.astype(str)
    if floor is not None and (years < floor).any():
        label = f"{floor} and before"
        merge[label] = sorted({str(y) for y in years if y <= floor})
        out = out.where(years > floor, label)
    if ceiling is not None and (years > ceiling).any():
        label = f"{ceiling} and after"
        merge[label] = sorted({str(y) for y in years if y >= ceiling})
        out = out.where(years < ceiling, label)
    return out, merge
