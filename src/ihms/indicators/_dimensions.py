"""The structural tables the roll-up needs (institutions, grids, consortia), in pandas,
and the mapping of each finest unit to the units of a level."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from ihms.indicators._engine import IndicatorTables

__all__ = ["Dimensions"]

_TIER_CARE = {
    "tertiary": "hospital",
    "secondary": "hospital",
    "primary_centre": "primary",
    "village_clinic": "primary",
    "public_health": "other",
}


class Dimensions:
    """The small structural tables, in pandas, loaded when first needed (roll-ups and
    unit names)."""

    def __init__(self, t: IndicatorTables) -> None:
        self._t = t

    @cached_property
    def institutions(self) -> pd.DataFrame:
        cols = ("institution_id", "name", "tier", "county_id", "grid_id")
        inst = self._t["institutions"].select(*cols).to_pandas()
        inst["care_level"] = inst["tier"].map(_TIER_CARE)
        return inst

    @cached_property
    def grids(self) -> pd.DataFrame:
        return self._t["grids"].select("grid_id", "name", "county_id").to_pandas()

    @cached_property
    def consortia(self) -> pd.DataFrame:
        cols = ("consortium_id", "name", "start_year", "end_year")
        cons = self._t["consortia"].select(*cols).to_pandas()
        cons["start_year"] = pd.to_numeric(cons["start_year"]).fillna(-(10**6))
        cons["end_year"] = pd.to_numeric(cons["end_year"]).fillna(10**6)
        return cons

    @cached_property
    def members(self) -> pd.DataFrame:
        return self._t["consortium_members"].to_pandas().merge(self.consortia, on="consortium_id")

    @cached_property
    def consortium_grids(self) -> pd.DataFrame:
        return self._t["consortium_grids"].to_pandas().merge(self.consortia, on="consortium_id")

    @cached_property
    def judged_counties(self) -> frozenset[str]:
        """The counties whose records are judged month by month on their own: those
        holding both grids (residents) and institutions, a county's extract. A county of
        institutions alone (a provincial hospital's) has no extract of its own."""
        with_grids = set(self.grids["county_id"].dropna())
        return frozenset(with_grids & set(self.institutions["county_id"].dropna()))

    def county_of(self, level: str) -> dict[str, str]:
        """The judged county of each unit of ``level`` (county, grid, institution); empty
        for the levels that mix counties (tier, consortium, total)."""
        if level == "county":
            return {c: c for c in self.judged_counties}
        if level not in ("grid", "institution"):
            return {}
        frame, key = (
            (self.grids, "grid_id") if level == "grid" else (self.institutions, "institution_id")
        )
        judged = frame[frame["county_id"].isin(self.judged_counties)]
        return dict(zip(judged[key], judged["county_id"], strict=True))

    def names(self, level: str) -> dict[str, str]:
        if level == "institution":
            frame, key = self.institutions, "institution_id"
        elif level == "grid":
            frame, key = self.grids, "grid_id"
        elif level == "consortium":
            frame, key = self.consortia, "consortium_id"
        elif level == "county":
            frame, key = self._t["counties"].select("county_id", "name").to_pandas(), "county_id"
        elif level == "total":
            return {"total": "All"}
        else:
            return {}
        return dict(zip(frame[key], frame["name"], strict=True))

    def mapping(self, basis: str, level: str) -> pd.DataFrame:
        """unit0 -> unit, with the years the link holds (consortia only)."""
        if level == "consortium":
            # a consortium gathers its member institutions, or the residents of its
            # grids, in the years it operates
            m, unit0 = (
                (self.members, "institution_id")
                if basis == "institution"
                else (self.consortium_grids, "grid_id")
            )
            return pd.DataFrame(
                {
                    "unit0": m[unit0],
                    "unit": m["consortium_id"],
                    "y0": m["start_year"],
                    "y1": m["end_year"],
                }
            )
        if basis == "institution":
            finest, unit0 = self.institutions, "institution_id"
            columns = {"institution": unit0, "tier": "tier", "grid": "grid_id"}
        else:
            finest, unit0 = self.grids, "grid_id"
            columns = {"grid": unit0}
        column = {**columns, "county": "county_id"}.get(level)
        unit = finest[column] if column else pd.Series("total", index=finest.index)
        frame = pd.DataFrame({"unit0": finest[unit0], "unit": unit})
        frame = frame.dropna(subset=["unit"])
        return frame.assign(y0=-(10**6), y1=10**6)
