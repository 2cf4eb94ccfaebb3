"""The structural tables the roll-up needs (institutions, grids, consortia), in pandas,
and the mapping of each finest unit to the units of a level."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import pandas as pd

from ihms.errors import InputError
from ihms.indicators._engine import IndicatorTables
from ihms.indicators.catalogue import SOURCES, Indicator

__all__ = ["OPEN_END", "Dimensions", "is_open", "kept_counties"]

OPEN_END = 10**6
"""The year written for an open end of an institution's active years or a consortium's
years: ``-OPEN_END`` for an open start, ``OPEN_END`` for an open end, so a comparison
with any real year treats the end as open."""


def is_open(year):
    """Whether ``year`` (a number or a pandas Series of them) is an open end of active
    years, as :class:`Dimensions` writes it."""
    return abs(year) >= OPEN_END


#: In ``counties``, the study counties (``counties.study`` true: those whose residents
#: the data describe), unless the data have a county of that id.
STUDY = "study"


def kept_counties(t: IndicatorTables, counties) -> frozenset[str] | None:
    """The county ids of ``counties`` (None: every county; :data:`STUDY`: the study
    counties), refused (``InputError``) naming those the data's ``counties`` table does
    not hold."""
    if counties is None:
        return None
    wanted = list(dict.fromkeys(str(c) for c in counties))
    frame = t["counties"].select("county_id", "study").to_pandas()
    known = set(frame["county_id"].astype(str))
    if STUDY in wanted and STUDY not in known:
        study = frame.loc[frame["study"].fillna(False).astype(bool), "county_id"].astype(str)
        if study.empty:
            raise InputError(f"counties: {STUDY!r} names the study counties; the data mark none")
        at = wanted.index(STUDY)
        wanted = list(dict.fromkeys([*wanted[:at], *study, *wanted[at + 1 :]]))
    unknown = [c for c in wanted if c not in known]
    if not wanted:
        raise InputError("counties: expected one county id or more, got none")
    if unknown:
        listed = ", ".join(sorted(known)[:20]) + (", ..." if len(known) > 20 else "")
        raise InputError(
            f"counties: county id(s) not in the data: {', '.join(map(repr, unknown))} "
            f"(its counties: {listed})"
        )
    return frozenset(wanted)


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

    def __init__(
        self,
        t: IndicatorTables,
        counties: frozenset[str] | None = None,
        *,
        include_districts: bool = False,
    ) -> None:
        """``counties``: the county ids whose institutions and grids are kept (None:
        all); the months each county lacks are judged over every county all the same.
        ``include_districts``: the province holds the kept districts (市辖区) too, not
        only the counties (县)."""
        self._t = t
        self.counties = counties
        self.include_districts = include_districts
        # a cache each: a presence key, a cells key and a counties key are tuples of
        # different kinds, and one dict for all would rely on their shapes never meeting
        self._presence: dict[tuple, pd.DataFrame] = {}
        self._cells_of: dict[tuple, pd.DataFrame] = {}
        self._counties_of: dict[tuple, dict[str, frozenset[str]]] = {}

    @cached_property
    def institutions(self) -> pd.DataFrame:
        """The institutions of the kept counties."""
        return self._kept(self._all_institutions)

    @cached_property
    def grids(self) -> pd.DataFrame:
        """The grids of the kept counties."""
        return self._kept(self._all_grids)

    def _kept(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.counties is None:
            return frame
        return frame[frame["county_id"].isin(self.counties)].reset_index(drop=True)

    def finest(self, basis: str) -> pd.Series:
        """The ids of the finest units of ``basis`` kept: institutions, or grids."""
        if basis == "institution":
            return self.institutions["institution_id"]
        return self.grids["grid_id"]

    @cached_property
    def _all_institutions(self) -> pd.DataFrame:
        cols = ("institution_id", "name", "tier", "county_id", "grid_id")
        inst = self._t["institutions"].select(*cols, "active_from", "active_to").to_pandas()
        inst["care_level"] = inst["tier"].map(_TIER_CARE)
        inst["active_from"] = pd.to_numeric(inst["active_from"]).fillna(-OPEN_END)
        inst["active_to"] = pd.to_numeric(inst["active_to"]).fillna(OPEN_END)
        return inst

    @cached_property
    def _all_grids(self) -> pd.DataFrame:
        return self._t["grids"].select("grid_id", "name", "county_id").to_pandas()

    @cached_property
    def consortia(self) -> pd.DataFrame:
        cols = ("consortium_id", "name", "start_year", "end_year")
        cons = self._t["consortia"].select(*cols).to_pandas()
        cons["start_year"] = pd.to_numeric(cons["start_year"]).fillna(-OPEN_END)
        cons["end_year"] = pd.to_numeric(cons["end_year"]).fillna(OPEN_END)
        return cons

    @cached_property
    def members(self) -> pd.DataFrame:
        return self._t["consortium_members"].to_pandas().merge(self.consortia, on="consortium_id")

    @cached_property
    def consortium_grids(self) -> pd.DataFrame:
        return self._t["consortium_grids"].to_pandas().merge(self.consortia, on="consortium_id")

    @cached_property
    def city_of(self) -> pd.Series:
        """Each county's city (``counties.city``), by county id; counties without one
        are left out, and so are their units at the city level."""
        counties = self._t["counties"].select("county_id", "city").to_pandas()
        counties = counties.dropna(subset=["city"])
        return counties.set_index("county_id")["city"].astype(str)

    @cached_property
    def _kinds(self) -> pd.Series:
        """Each kept county's kind (``county`` or ``district``; a missing one as a
        county), by county id."""
        frame = self._kept(self._t["counties"].select("county_id", "kind").to_pandas())
        return frame.set_index("county_id")["kind"].fillna("county").astype(str)

    @cached_property
    def province_counties(self) -> frozenset[str]:
        """The kept county ids the province sums: those of kind county (县, 县级市), and
        the districts (市辖区) with ``include_districts``."""
        kinds = self._kinds
        return frozenset(
            kinds.index if self.include_districts else kinds.index[kinds != "district"]
        )

    @cached_property
    def districts_left_out(self) -> dict[str, str]:
        """The kept districts holding an institution or grid that the province leaves
        out (none with ``include_districts``): id -> name."""
        held = set(self.institutions["county_id"]) | set(self.grids["county_id"])
        out = [c for c in self._kinds.index if c not in self.province_counties and c in held]
        names = self.names("county")
        return {c: str(names.get(c, c)) for c in sorted(out)}

    @cached_property
    def judged_counties(self) -> frozenset[str]:
        """The counties whose records are judged month by month on their own: those
        holding both grids (residents) and institutions, a county's extract. A county of
        institutions alone (a provincial hospital's) has no extract of its own."""
        with_grids = set(self._all_grids["county_id"].dropna())
        return frozenset(with_grids & set(self._all_institutions["county_id"].dropna()))

    @cached_property
    def bare_counties(self) -> frozenset[str]:
        """The counties holding institutions but no grids: no residents in the data, so
        no extract of their own (a capital district's provincial hospital). Their
        institutions' records are the visits of the judged counties' residents."""
        with_grids = set(self._all_grids["county_id"].dropna())
        return frozenset(set(self._all_institutions["county_id"].dropna()) - with_grids)

    def counties_of(self, level: str, bases: Iterable[str]) -> dict[str, frozenset[str]]:
        """The counties whose records each unit of ``level`` counts through the finest
        units of ``bases`` (``institution``, ``resident``) it sums. Read off
        :meth:`mapping`, the links the roll-up sums by, so every level is judged alike:
        a county, grid or institution by its county; a city, the province, the total, a
        tier or a consortium by each county one of its kept institutions or grids lies
        in — a sum lacking one county's records in a month it lacks is not the unit's.
        An institution of a county without grids (:attr:`bare_counties`) counts every
        judged county's records (its visits come from their extracts) and its own
        county's (lacking every period when none of its institutions has a record)."""
        key = (level, tuple(sorted(set(bases))))
        if key not in self._counties_of:
            links = []
            for basis in key[1]:
                finest, unit0 = (
                    (self.institutions, "institution_id")
                    if basis == "institution"
                    else (self.grids, "grid_id")
                )
                mapped = self.mapping(basis, level)
                county = mapped["unit0"].map(finest.set_index(unit0)["county_id"])
                links.append(pd.DataFrame({"unit": mapped["unit"], "county": county}))
                seen = mapped.loc[county.isin(self.bare_counties).to_numpy(), "unit"]
                links += [pd.DataFrame({"unit": seen, "county": c}) for c in self.judged_counties]
            found = pd.concat(links) if links else pd.DataFrame(columns=["unit", "county"])
            found = found[found["county"].isin(self.judged_counties | self.bare_counties)]
            self._counties_of[key] = {
                unit: frozenset(group) for unit, group in found.groupby("unit")["county"]
            }
        return self._counties_of[key]

    def county_of(self, level: str, *, bare: bool = False) -> dict[str, str]:
        """The judged county of each institution or grid (``level``) of the data, kept or
        not: each county's months are judged over every county. ``bare``: the
        institutions of :attr:`bare_counties` too."""
        if level not in ("grid", "institution"):
            raise ValueError(f"a {level} may hold several counties: see counties_of")
        frame, key = (
            (self._all_grids, "grid_id")
            if level == "grid"
            else (self._all_institutions, "institution_id")
        )
        counties = self.judged_counties | (self.bare_counties if bare else frozenset())
        judged = frame[frame["county_id"].isin(counties)]
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
        elif level == "city":
            return {c: c for c in self.city_of.unique()}
        elif level == "province":
            with_districts = " and districts" if self.include_districts else ""
            return {"province": f"Province (counties{with_districts})"}
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
        if level == "city":
            unit = finest["county_id"].map(self.city_of)
        elif level == "province":  # every unit of a county (and district) it sums
            inside = finest["county_id"].isin(self.province_counties)
            unit = pd.Series("province", index=finest.index).where(inside)
        else:
            unit = finest[column] if column else pd.Series("total", index=finest.index)
        frame = pd.DataFrame({"unit0": finest[unit0], "unit": unit})
        frame = frame.dropna(subset=["unit"])
        return frame.assign(y0=-OPEN_END, y1=OPEN_END)

    def presence(self, basis: str, level: str, unit_where, years) -> pd.DataFrame:
        """The units of ``level`` that exist in each of ``years`` for a measure of
        ``basis`` with the institution filters ``unit_where``: ``unit`` and ``year``,
        one row per pair.

        A consortium exists in the years it operates and has a finest unit (an
        institution the filters admit, operating that year; or a grid); an institution
        in its active years. A tier, grid, county or the total exists every year when
        one of its finest units (an institution the filters admit, in any year; or a
        grid) belongs to it: in a year none of its institutions operates, a count there
        is 0 (nothing to count), not missing. So a unit's row does not depend on which
        other indicators are asked for, and a count of 0 in a year it exists is a real 0.
        """
        key = (basis, level, tuple(unit_where), tuple(years))
        if key not in self._presence:
            self._presence[key] = self._present_in(basis, level, unit_where, years)
        return self._presence[key]

    def _present_in(self, basis: str, level: str, unit_where, years) -> pd.DataFrame:
        if basis == "institution":
            finest = self.institutions
            for c in unit_where:
                if c.values is not None:
                    finest = finest[finest[c.column].isin(c.values)]
            unit0 = finest[["institution_id", "active_from", "active_to"]].set_axis(
                ["unit0", "a0", "a1"], axis=1
            )
            if level not in ("consortium", "institution"):
                # a tier, grid, county or the total is there whether or not one of its
                # institutions operates: nothing to count is 0 there (its roll-up
                # counts the records of every year too)
                unit0 = unit0.assign(a0=-OPEN_END, a1=OPEN_END)
        else:
            unit0 = pd.DataFrame({"unit0": self.grids["grid_id"], "a0": -OPEN_END, "a1": OPEN_END})
        if (basis, level) in (("institution", "institution"), ("resident", "grid")):
            links = unit0.assign(unit=unit0["unit0"], y0=-OPEN_END, y1=OPEN_END)
        else:
            links = self.mapping(basis, level).merge(unit0, on="unit0")
        lo = links[["y0", "a0"]].max(axis=1).to_numpy()
        hi = links[["y1", "a1"]].min(axis=1).to_numpy()
        pairs = [
            pd.DataFrame({"unit": links["unit"].to_numpy()[(lo <= y) & (y <= hi)], "year": y})
            for y in years
        ]
        if not pairs:
            return pd.DataFrame({"unit": pd.Series(dtype=object), "year": pd.Series(dtype="int64")})
        return pd.concat(pairs, ignore_index=True).drop_duplicates(ignore_index=True)

    def cells(self, ind: Indicator, level: str, periods: list[int], kind: str) -> pd.DataFrame:
        """The (``unit``, ``year``) pairs of ``level`` where ``ind`` has a cell: a unit
        existing that year for its numerator or denominator
        (:meth:`presence`), whatever records the data hold. A ratio per resident
        exists only for units with residents in the data: not for the county of a hospital
        outside the study county (beds per 1,000 of its residents, who are not in the
        data), nor a consortium without grids."""
        years = tuple(sorted({k // 100 if kind == "month" else k for k in periods}))
        measures = (ind.numerator, ind.denominator)
        key = (level, years, *((m.source, m.unit_where) if m else None for m in measures))
        if key not in self._cells_of:
            self._cells_of[key] = self._cells(ind, level, years)
        return self._cells_of[key]

    def _cells(self, ind: Indicator, level: str, years: tuple[int, ...]) -> pd.DataFrame:
        parts = [
            self.presence(SOURCES[m.source].basis, level, m.unit_where, years)
            for m in (ind.numerator, ind.denominator)
            if m is not None
        ]
        present = pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)
        den = ind.denominator
        if den is not None and SOURCES[den.source].basis == "resident" and level != "total":
            populated = self.mapping("resident", level)["unit"].unique()
            present = present[present["unit"].isin(populated)]
        return present
