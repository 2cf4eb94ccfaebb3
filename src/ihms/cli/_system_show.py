"""The tables of ``ihms system show``: one frame for ``--json`` (lists as lists, years as
numbers) and the console's rendering of it (lists joined, a consortium's years as one
range, and at narrow widths columns stacked two or more to a column)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd

    from ihms.summary import SummaryTable

CONSORTIUM_COLUMNS = (
    "id",
    "name",
    "name_zh",
    "type",
    "integration",
    "lead",
    "members",
    "grids",
    "start_year",
    "end_year",
    "refers_up_to",
)
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


def _institutions(system, year: int | None) -> pd.DataFrame:
    import pandas as pd

    rows = [
        {
            "id": i.id,
            "name": i.name,
            "name_zh": i.name_zh,
            "tier": i.tier.value,
            "affiliation": i.affiliation.value,
            "county": i.county,
            "grid": i.grid or "",
            "consortia": [
                c.id for c in system.memberships(i.id) if year is None or c.active_in(year)
            ],
        }
        for i in system.institutions
        if year is None or i.active_in(year)
    ]
    columns = ["id", "name", "name_zh", "tier", "affiliation", "county", "grid", "consortia"]
    return pd.DataFrame(rows, columns=columns).set_index("id")  # none: an empty table


def _grids(system, year: int | None) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": g.id,
                "name": g.name,
                "name_zh": g.name_zh,
                "county": g.county,
                "population": g.population.get(year) if year else None,
                "consortia": [c.id for c in system.grid_consortia(g.id, year)],
            }
            for g in system.grids
        ],
        columns=["id", "name", "name_zh", "county", "population", "consortia"],  # optional
    ).set_index("id")


def _consortia(system, year: int | None) -> pd.DataFrame:
    import pandas as pd

    active = {i.id for i in system.institutions if year is None or i.active_in(year)}
    return (
        pd.DataFrame(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "name_zh": c.name_zh,
                    "type": c.type.value,
                    "integration": c.integration.value,
                    "lead": c.lead,
                    # those operating in the year (review 30 #9: every clinic that
                    # ever existed was counted)
                    "members": sum(1 for m in c.members if m in active),
                    "grids": len(c.grids),
                    "start_year": c.start_year,
                    "end_year": c.end_year,
                    "refers_up_to": list(c.refers_up_to),
                }
                for c in system.consortia
                if year is None or c.active_in(year)
            ],
            columns=CONSORTIUM_COLUMNS,  # a year without any consortium: an empty table
        )
        .astype({"start_year": "Int64", "end_year": "Int64"})
        .set_index("id")
    )


def _referrals(system, year: int | None) -> pd.DataFrame:
    import pandas as pd

    from ihms.system import referral_pathway

    # ids alone meant looking each one up in 'show --what institutions'
    routes = referral_pathway(system, year=year).to_frame()
    insts = {i.id: i for i in system.institutions}
    return pd.DataFrame(
        {
            "institution_id": routes["institution_id"],
            "name": [insts[i].name for i in routes["institution_id"]],
            "tier": [insts[i].tier.value for i in routes["institution_id"]],
            "direction": routes["direction"],
            "target_id": routes["target_id"],
            "target_name": [insts[i].name for i in routes["target_id"]],
            "target_tier": [insts[i].tier.value for i in routes["target_id"]],
        }
    ).set_index("institution_id")


def show_frame(system, what: str, year: int | None) -> pd.DataFrame:
    """The ``--what`` table as ``--json`` prints it: a list of ids as a list, a
    consortium's years as ``start_year`` and ``end_year`` (``None``: open), and the
    Chinese name (``name_zh``, ``""`` when the file gives none) of institutions, grids
    and consortia."""
    if what == "institutions":
        return _institutions(system, year)
    if what == "grids":
        return _grids(system, year)
    if what == "consortia":
        return _consortia(system, year)
    if what == "cooperation":
        from ihms.system import cooperation_chain

        return cooperation_chain(system, year=year).to_frame().set_index("provider")
    return _referrals(system, year)


def console_table(frame: pd.DataFrame, what: str, title: str) -> SummaryTable:
    """``frame`` (from :func:`show_frame`) as the console shows it: lists joined with
    commas, true/false as yes/no, a consortium's years as ``2017–`` and its
    ``refers_up_to`` as ``refers up to``; ``name_zh`` only when a row has one."""
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
