"""The checks of a :class:`~ihms.data.Dataset` that concern its institutions: that an
institution operates in the year of each record naming it (its active years), a staff
member's consultation days, and the structure (an institution's grid in its county, a
consortium's lead among its members). :mod:`ihms.data.validate` runs them with the
other domain rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.data._checks import SchemaChecks

__all__ = ["InstitutionChecks"]


class InstitutionChecks(SchemaChecks):
    """The schema-driven checks plus the institutions' rules."""

    def institution_active(self, table: str, column: str, when: str) -> None:
        """The institution ``column`` names operates in the record's year: that of the
        date ``when``, or ``when`` itself for a year column (resources). A record outside
        its institution's years would count at its tier, grid, county and total but in
        no institution row (which exists only in the years it operates)."""
        df = self.frames[table]
        inst = self.lookup("institutions", "institution_id")
        if df.empty or inst.empty:
            return
        year = df[when] if when == "year" else df[when].dt.year
        start = df[column].map(inst["active_from"]).astype("Float64")
        stop = df[column].map(inst["active_to"]).astype("Float64")
        bad = ((year < start) | (year > stop)).fillna(False)

        def message(i: int) -> str:
            first, last = (_year_or_open(s.iloc[i]) for s in (start, stop))
            return (
                f"institution {df[column].iloc[i]!r} does not operate in {year.iloc[i]} "
                f"(active {first}–{last})"
            )

        self.report(
            table, bad, column, message, "the institution does not operate in the record's year"
        )

    def staff_activities(self) -> None:
        acts = self.frames["staff_activities"]
        inst = self.lookup("institutions", "institution_id")
        if acts.empty:
            return
        self.dates_in_period("staff_activities", "date")
        self.institution_active("staff_activities", "institution_id", "date")
        host = acts["host_institution_id"]
        day = (acts["activity"] == "thc_consultation_day").fillna(False)
        self.report(
            "staff_activities",
            day & host.isna(),
            "host_institution_id",
            lambda i: "a thc_consultation_day needs the primary-care institution it was at",
            "a consultation day has no host institution",
        )
        if inst.empty:  # every institution id is then reported unknown
            return
        tier = host.map(inst["tier"])
        primary = tier.isin(("primary_centre", "village_clinic"))
        self.report(
            "staff_activities",
            (day & tier.notna() & ~primary).fillna(False),
            "host_institution_id",
            lambda i: (
                f"host {host.iloc[i]!r} is a {tier.iloc[i]} institution; a consultation day "
                "is at a primary-care institution (tier primary_centre or village_clinic)"
            ),
            "a consultation day's host is not a primary-care institution",
        )
        self.report(
            "staff_activities",
            (day & (host == acts["institution_id"])).fillna(False),
            "host_institution_id",
            lambda i: f"host {host.iloc[i]!r} is the staff member's own institution",
            "a consultation day is at the staff member's own institution",
        )
        self.institution_active("staff_activities", "host_institution_id", "date")

    def structure(self) -> None:
        inst = self.frames["institutions"]
        grids = self.lookup("grids", "grid_id")
        if not inst.empty and not grids.empty:
            grid_county = inst["grid_id"].map(grids["county_id"])
            self.report(
                "institutions",
                (grid_county.notna() & (grid_county != inst["county_id"])).fillna(False),
                "grid_id",
                lambda i: (
                    f"grid {inst['grid_id'].iloc[i]!r} lies in {grid_county.iloc[i]!r}, not in {inst['county_id'].iloc[i]!r}"
                ),
                "the grid lies in another county",
            )
        cons = self.frames["consortia"]
        consortia, members = (
            self.ids("consortium_members", c) for c in ("consortium_id", "institution_id")
        )
        if consortia is None or members is None:  # not read: who is a member is unknown
            return
        pairs = set(zip(consortia.to_pylist(), members.to_pylist(), strict=True))
        lead_ok = [
            (c, lead) in pairs
            for c, lead in zip(cons["consortium_id"], cons["lead_institution_id"], strict=True)
        ]
        self.report(
            "consortia",
            ~np.asarray(lead_ok, dtype=bool),
            "lead_institution_id",
            lambda i: (
                f"lead {cons['lead_institution_id'].iloc[i]!r} is not a member of {cons['consortium_id'].iloc[i]!r}"
            ),
            "the lead is not a member",
        )


def _year_or_open(year: float) -> str:
    """An end of an institution's active years as the system file's checks write it:
    the year, or ``…`` when open."""
    return "…" if pd.isna(year) else str(int(year))
