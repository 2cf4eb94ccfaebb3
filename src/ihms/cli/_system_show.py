"""The console's rendering of ``ihms system show``'s tables: the frames of
:meth:`ihms.system.System.to_frame` (printed as they are by ``--json``: lists as lists,
years as numbers) with lists joined, a consortium's years as one range, and at narrow
widths columns stacked two or more to a column."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd

    from ihms.summary import SummaryTable

# at 80 columns the nine columns were split into five blocks, each repeating id, name,
# type and integration (session 31): these go on a second line under another instead
_CONSORTIUM_STACKED = {
    "name_zh": "name",
    "integration": "type",
    "years": "lead",
    "grids": "members",
}
_CONSORTIUM_SHORT = {"refers up to": "up to"}
# at 80 columns Youxi's institutions were split into two blocks, the second repeating
# id (session 31): affiliation under tier and grid under county when narrow
_INSTITUTION_STACKED = {"name_zh": "name", "affiliation": "tier", "grid": "county"}
LIST_COLUMNS = ("consortia", "refers_up_to")


def console_table(frame: pd.DataFrame, what: str, title: str) -> SummaryTable:
    """``frame`` (:meth:`ihms.system.System.to_frame`, the table ``--json`` prints) as
    the console shows it: lists joined with commas, true/false as yes/no, a consortium's
    years as ``2017–`` and its ``refers_up_to`` as ``refers up to``; ``name_zh`` only
    when a row has one."""
    from ihms.summary import SummaryTable

    if "name_zh" in frame and not frame["name_zh"].astype(bool).any():
        frame = frame.drop(columns="name_zh")  # an English-only file: no empty column
    shown = frame.assign(
        **{c: frame[c].map(", ".join) for c in LIST_COLUMNS if c in frame},
        **{c: frame[c].map({True: "yes", False: "no"}) for c in frame if frame[c].dtype == bool},
    )
    if what != "consortia":  # at narrow widths
        under = _INSTITUTION_STACKED if what == "institutions" else {"name_zh": "name"}
        stacked = {k: v for k, v in under.items() if k in shown}
        return SummaryTable(shown, title=title, stack_under=stacked)
    years = [
        f"{'' if s is None else s}–{'' if e is None else e}"
        for s, e in zip(_years(frame["start_year"]), _years(frame["end_year"]), strict=True)
    ]
    shown = shown.drop(columns=["start_year", "end_year", "refers_up_to"]).assign(
        years=years, **{"refers up to": shown["refers_up_to"]}
    )
    stacked = {k: v for k, v in _CONSORTIUM_STACKED.items() if k in shown}
    return SummaryTable(shown, title=title, stack_under=stacked, short_headers=_CONSORTIUM_SHORT)


def _years(column: pd.Series) -> list[int | None]:
    """A year column's values as ints, ``None`` where open (pandas stores a column of
    ints and ``None`` as floats and NaN)."""
    import pandas as pd

    return [None if pd.isna(v) else int(v) for v in column]
