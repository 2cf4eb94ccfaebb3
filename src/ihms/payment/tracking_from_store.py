"""In-year budget tracking read from a data-layer :class:`~ihms.data.Store`.

:func:`tracking_from_store` builds each county's :class:`~ihms.payment.tracking.CountyMonths`
— the year's global budget (:func:`~ihms.payment.global_budget` on the store's population,
and for a history-based budget its spending, as ``ihms payment budget --store`` sets it)
and the charged spending of its residents by month — and tracks them with
:func:`~ihms.payment.budget_tracking`.

Spending is the settled spending :func:`~ihms.payment.spending_from_store` sums (claims
replace an encounter's own amounts), placed by the same rule (consortium, outside the
county, private) and charged as the settlement charges it: consortium care, and care
outside the county where the rules charge it; private care is paid from its reserve and
left out. A month is the encounter's (``date="encounter"``, the default) or its last
claim's settlement (``date="settled"``), as :mod:`~ihms.payment.store_dating` dates a
year. Only what was paid by the end of the month tracked counts. Dated by encounter, each
claim counts on its own: a claim settled by then counts in its encounter's month, a later
one is late, its month named with the claims and money still to come (so at December the
year to date plus the late money is what settle charges the year). Dated by settlement,
an encounter counts whole in the month its last claim was settled, as store_dating and
settle ``--date settled`` date it (so December is what settle charges the year): the
claims already paid on an encounter whose last claim is settled later are named in a
note, not counted. The profile is taken from the
full calendar years before the budget year that the store's period covers (at most
``profile_years``, the most recent), dated the same way, every claim counted.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ihms.errors import InputError
from ihms.payment.inputs import year_budget
from ihms.payment.rules import PaymentRules
from ihms.payment.store_dating import _per_encounter, county_encounters
from ihms.payment.tracking import (
    BudgetTracking,
    CountyMonths,
    LateClaims,
    budget_tracking,
    through_month,
)

if TYPE_CHECKING:  # pragma: no cover
    from ihms.data import Store

__all__ = ["charged_note", "county_months_from_store", "tracking_from_store"]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_period(store, year: int, month: int) -> tuple[date, date]:
    """The store's period, refusing a month tracked outside it."""
    period = store.period
    start, end = period.start, period.end
    tracked = f"{year}-{month:02d}"
    held = f"store {store.path} holds {start.isoformat()} to {end.isoformat()}"
    if _month_end(year, month) < start:
        raise InputError(f"through: {tracked} is before any data in the store ({held})")
    if start > date(year, 1, 1):
        raise InputError(
            f"store {store.path}: the first month held is {start.year}-{start.month:02d} "
            f"(from {start.isoformat()}), after January {year}: the budget year's months "
            "before it would read as months without spending; track a year the store "
            "holds from 1 January"
        )
    if _month_end(year, month) > end:
        last = end if end == _month_end(end.year, end.month) else date(end.year, end.month, 1)
        if last.day == 1:  # the month before the store's last, part-held, month
            last = date(last.year - (last.month == 1), (last.month - 2) % 12 + 1, 1)
        fits = f"; track at most to {last.year}-{last.month:02d}" if last.year == year else ""
        raise InputError(
            f"through: {tracked} ends after the store's data ({held}): its last days would "
            f"read as months without spending{fits}"
        )
    return start, end


def _profile_years(start: date, end: date, year: int, profile_years: int) -> list[int]:
    full = [y for y in range(start.year, year) if date(y, 1, 1) >= start and date(y, 12, 31) <= end]
    return full[-profile_years:] if profile_years > 0 else []


def county_months_from_store(
    store: Store,
    rules: PaymentRules,
    *,
    year: int,
    through: str,
    county_id: str | None = None,
    date: str = "encounter",
    profile_years: int = 3,
) -> CountyMonths:
    """One county's budget and charged spending by month, paid by the end of ``through``.

    Parameters
    ----------
    store
        A :class:`ihms.data.Store`.
    rules : PaymentRules
        The rule set (its budget and whether care outside the county is charged).
    year : int
        The budget year.
    through : str
        The last month tracked, ``YYYY-MM`` in ``year``.
    county_id : str, optional
        The county (see :func:`~ihms.payment.study_county`).
    date : {"encounter", "settled"}
        Which month spending counts in (module docstring).
    profile_years : int, default 3
        At most this many full previous years give the monthly profile.

    Raises
    ------
    InputError
        A month outside the year or the store's period, a county the store does not
        have, or a budget the store cannot give (no population for the year, no
        spending for a history-based budget's years), naming the county.
    """
    from ihms.payment.from_store import (
        _store_settings,
        population_from_store,
        spending_from_store,
        study_county,
    )

    if rules.budget is None:
        raise InputError(
            f"rules {rules.name!r} set no global budget ({rules.kind}): nothing to track"
        )
    month = through_month(through, year)
    start, end = _check_period(store, year, month)
    county = study_county(store, county_id)
    source = f"store {store.path} (county {county})"
    try:
        population = population_from_store(store, county_id=county, registrations="omit")
        spending = None
        if rules.budget.method == "history":
            spending = spending_from_store(store, county_id=county, date=date)
        budget = year_budget(rules, year, population=population, spending=spending)
    except InputError as exc:
        raise InputError(f"county {county}: no budget for {year}: {exc}") from None
    years = _profile_years(start, end, year, profile_years)
    frame = _monthly(store, county, date, [*years, year], _month_end(year, month))
    charged = rules.settlement.charged_settings
    treated = set(frame["institution_id"])
    placed, _ = _store_settings(store, county, treated, {})
    frame = frame[frame["institution_id"].map(placed).isin(charged)]
    opened = frame[frame["open"]]
    frame = frame[~frame["open"]]
    this = frame[(frame["year"] == year) & (frame["month"] <= month)]
    paid = this[~this["late"]].groupby("month")["paid_fen"].sum()
    late = this[this["late"]].groupby("month")[["claims", "paid_fen"]].sum()
    opened = opened[(opened["year"] == year) & (opened["month"] <= month)]
    opened = opened.groupby("month")[["claims", "paid_fen"]].sum()
    past = frame[frame["year"] < year]
    by_year = {
        y: {int(m): int(v) for m, v in g.groupby("month")["paid_fen"].sum().items()}
        for y, g in past.groupby("year")
    }
    return CountyMonths(
        county,
        budget.global_budget_fen,
        {int(m): int(v) for m, v in paid.items()},
        history={y: by_year.get(y, {}) for y in years},
        late={int(m): LateClaims(int(r["claims"]), int(r["paid_fen"])) for m, r in late.iterrows()},
        source=source,
        open={
            int(m): LateClaims(int(r["claims"]), int(r["paid_fen"])) for m, r in opened.iterrows()
        },
    )


def _monthly(store, county: str, date: str, years: Sequence[int], cutoff):
    """Settled spending of ``county``'s residents by year, month and institution, split
    by ``late``: paid after ``cutoff``. Dated by encounter, each claim counts on its own
    (paid by ``cutoff`` or late); dated by settlement, an encounter counts whole in the
    month its last claim was settled, as :mod:`~ihms.payment.store_dating` dates it, and
    ``open`` marks the claims paid by ``cutoff`` of encounters whose last claim was
    settled after it (dated by their own settlement)."""
    import ibis

    enc = county_encounters(store, county, date)
    claims = store.tables()["claims"]
    c = claims.select(
        _enc=claims.encounter_id, _settled=claims.settled_date, _paid=claims.insurance_paid_fen
    )
    if date == "encounter":
        w = enc.join(c, enc.encounter_id == c._enc)
        late = ibis.coalesce(w._settled > ibis.literal(cutoff), False)
        bare = enc.anti_join(c, enc.encounter_id == c._enc)
        parts = [
            _part(w, w.spending_date, late, False, w._paid, ibis.literal(1, "int64")),
            _part(bare, bare.spending_date, False, False, bare.insurance_paid_fen, 0),
        ]
    else:
        per = _per_encounter(claims).rename(_e="encounter_id")
        j = enc.left_join(per, enc.encounter_id == per._e)
        late = ibis.coalesce(j._last > ibis.literal(cutoff), False)
        parts = [_part(j, j.spending_date, late, False, j.insurance_paid_fen, j._claims)]
        o = enc.join(per, enc.encounter_id == per._e)
        o = o.filter(o._last > ibis.literal(cutoff)).select(o.encounter_id, o.institution_id)
        o = o.join(c, o.encounter_id == c._enc)
        o = o.filter(o._settled <= ibis.literal(cutoff))
        parts.append(_part(o, o._settled, False, True, o._paid, ibis.literal(1, "int64")))
    j = ibis.union(*parts) if len(parts) > 1 else parts[0]
    j = j.mutate(year=j.day.year(), month=j.day.month())
    j = j.filter(j.year.isin(list(years)))
    out = (
        j.group_by(["year", "month", "institution_id", "late", "open"])
        .aggregate(paid_fen=j.paid.sum(), claims=j.n.sum())
        .execute()
    )
    out["institution_id"] = out["institution_id"].astype(str)
    for name in ("year", "month", "paid_fen", "claims"):
        out[name] = out[name].astype("int64")
    out["late"] = out["late"].astype(bool)
    out["open"] = out["open"].astype(bool)
    return out


def _part(t, day, late, opened, paid, n):
    """``t``'s rows as the columns :func:`_monthly` sums (n: the claims counted)."""
    import ibis

    return t.select(
        day=day,
        institution_id=t.institution_id,
        late=ibis.literal(late) if isinstance(late, bool) else late,
        open=ibis.literal(opened),
        paid=paid.cast("int64"),
        n=ibis.coalesce(ibis.literal(n, "int64") if isinstance(n, int) else n, 0).cast("int64"),
    )


def tracking_from_store(
    store: Store,
    rules: PaymentRules,
    *,
    year: int,
    through: str,
    counties: Sequence[str] | None = None,
    date: str = "encounter",
    projection: str = "profile",
    profile_years: int = 3,
) -> BudgetTracking:
    """Track ``year``'s budget to ``through`` for each county (default: the store's one
    county with residents), with the consortium's total over several.

    Parameters
    ----------
    store
        A :class:`ihms.data.Store`.
    rules : PaymentRules
        The rule set (its budget and whether care outside the county is charged).
    year : int
        The budget year.
    through : str
        The last month tracked, ``YYYY-MM`` in ``year``.
    counties : sequence of str, optional
        The counties tracked (default: the store's one county with residents).
    date : {"encounter", "settled"}
        Which month spending counts in (module docstring).
    projection : {"profile", "linear"}
        How the year end is projected (:func:`~ihms.payment.budget_tracking`).
    profile_years : int, default 3
        At most this many full previous years give the monthly profile.

    Examples
    --------
    >>> from ihms.data import Store
    >>> from ihms.payment import load_rules
    >>> with Store("ihms.duckdb", read_only=True) as s:  # doctest: +SKIP
    ...     t = tracking_from_store(s, load_rules("sanming"), year=2018, through="2018-06")
    >>> t.summary()  # doctest: +SKIP
    """
    through_month(through, year)  # a bad month before the store is read
    wanted = list(counties) if counties else [None]
    months = [
        county_months_from_store(
            store,
            rules,
            year=year,
            through=through,
            county_id=c,
            date=date,
            profile_years=profile_years,
        )
        for c in wanted
    ]
    tracked = budget_tracking(months, year=year, through=through, projection=projection)
    how = "encounter's date" if date == "encounter" else "date its last claim was settled"
    said = charged_note(
        rules, f"store {store.path}", f"by the {how}, paid by the end of {tracked.through_text}"
    )
    from dataclasses import replace

    return replace(tracked, notes=(said, *tracked.notes))


def charged_note(rules: PaymentRules, where: str, when: str) -> str:
    """The note saying what spending is charged to the budget, from where and when."""
    outside = (
        " and outside the county"
        if rules.settlement.charge_outside_county
        else " (care outside the county is not charged by these rules)"
    )
    return (
        f"Spending charged to the budget from {where}: the residents' care at consortium "
        f"members{outside}, {when}; private care is paid from its reserve and left out. "
        f"Budget: rules {rules.name!r}."
    )
