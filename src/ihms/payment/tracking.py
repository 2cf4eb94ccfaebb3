"""In-year budget tracking (预算执行进度): the global budget against the spending paid so
far, month by month, with a projection to 31 December.

What an insurance bureau's analyst watches each month of a Sanming-style budget year:
per county (and the consortium's total over several), for each month to the month
tracked, the charged spending of the month and to date, the share of the annual budget
used, the share of the year elapsed (months ÷ 12), the pace (used − elapsed, in
percentage points: ahead of the time-proportional line when positive), a projection to
year end, the projected balance (budget − projection: a surplus when positive, an
overspend when negative) and a flag when the projection exceeds the budget.

**Projection.** By default from the previous years' monthly profile: the share of a
year's spending that fell in each month, pooled over the full prior years given
(Σ_y spending_{y,m} ÷ Σ_y spending_y), so the projection is spending to date ÷ the
profile's share of the year to that month. Without a full prior year (or with a profile
giving under a quarter of the time-proportional share to that month, which would more
than quadruple the linear projection: months missing from the data, not a season) it is
time-proportional: spending to date × 12 ÷
months elapsed. Each county's notes say which it used and from which years.

**Late claims.** A month whose encounters have claims settled after the month tracked
is named with how many claims and how much insurance money are not yet paid (they are
not counted: the tracking is what has been paid so far), and a month with no spending
at all is named, so neither reads silently as a low month.

Money is integer fen (yuan as exact Decimals in the tables); projections are rounded
half up to the fen (:func:`~ihms.payment.money.round_fen`); shares are exact fractions
shown as percentages half up to two decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.payment._month_text import read_month
from ihms.payment._tracking_rows import (
    LATE_NOTE,
    TOTAL_NOTE,
    _pct,
    check_county_months,
    months_text,
    open_notes,
    thin_profile,
    total_with_late,
    with_late,
)
from ihms.payment.money import fen_to_yuan, format_yuan, round_fen

if TYPE_CHECKING:  # pandas and the table class load when a table is made
    import pandas as pd

    from ihms.summary import SummaryTable

__all__ = [
    "PROJECTIONS",
    "BudgetTracking",
    "CountyMonths",
    "LateClaims",
    "TrackedCounty",
    "budget_tracking",
    "through_month",
]

#: How the year end is projected: the prior years' monthly profile, or time-proportional.
PROJECTIONS = ("profile", "linear")


def through_month(text: str, year: int, *, field: str = "through") -> int:
    """The month number (1–12) of ``text`` (``YYYY-MM``, ``2018年6月``, ``2018/6``:
    :func:`~ihms.payment._month_text.read_month`), which must lie in ``year``.

    Examples
    --------
    >>> through_month("2018-06", 2018)
    6
    """
    try:
        in_year, month = read_month(text)
    except ValueError as exc:
        raise InputError(f"{field}: {exc}") from None
    if in_year != year:
        raise InputError(
            f"{field}: {text} is outside the budget year {year} (expected {year}-01 to {year}-12)"
        )
    return month


@dataclass(frozen=True)
class LateClaims:
    """Claims of a month's encounters settled after the month tracked: not yet paid."""

    claims: int
    paid_fen: int


@dataclass(frozen=True)
class CountyMonths:
    """One county's budget and charged spending by month of the budget year.

    Attributes
    ----------
    county
        The county (or consortium) tracked.
    budget_fen
        The year's global budget (:func:`~ihms.payment.global_budget`), > 0.
    months
        Month number (1–12) → charged spending paid so far in the month (fen); a month
        left out had none.
    history
        Full previous years: year → {month → charged spending (fen)}, the twelve
        months each (a month left out had none); empty for no profile.
    late
        Month → the claims of its encounters settled after the month tracked.
    source
        Where the figures came from, for messages.
    open
        Dated by settlement: month paid → the claims paid by the month tracked of
        encounters whose last claim is settled later (counted then, whole).
    """

    county: str
    budget_fen: int
    months: Mapping[int, int]
    history: Mapping[int, Mapping[int, int]] = field(default_factory=dict)
    late: Mapping[int, LateClaims] = field(default_factory=dict)
    source: str = "inputs"
    open: Mapping[int, LateClaims] = field(default_factory=dict)

    def __repr__(self) -> str:
        return brief_repr(
            self,
            county=self.county,
            budget_fen=self.budget_fen,
            months=len(self.months),
            history=tuple(sorted(self.history)),
        )

    def __post_init__(self) -> None:
        check_county_months(self)


@dataclass(frozen=True)
class TrackedCounty:
    """How one county's year end is projected."""

    county: str
    budget_fen: int
    projection: str
    #: The prior years the profile pooled (empty for a linear projection).
    profile_years: tuple[int, ...]
    #: Why the projection is linear when the profile was asked for (else None).
    fallback: str | None
    #: Month → the profile's share of the year's spending in it (exact; empty if linear).
    profile: Mapping[int, Fraction]


@dataclass(frozen=True)
class BudgetTracking(SummaryHtml):
    """The budget year tracked to a month (:func:`budget_tracking`).

    ``rows`` has one per county (and ``total`` over several) and month 1 to
    ``through``: ``spent_fen``, ``to_date_fen``, ``budget_fen``, ``used_pct`` (to date ÷
    budget), ``elapsed_pct`` (months ÷ 12), ``pace_pp`` (used − elapsed),
    ``expected_pct`` (what the projection expected spent by then), ``projected_fen``,
    ``projected_balance_fen`` (budget − projected), ``over_budget``, ``late_claims`` and
    ``late_fen`` (claims of the month's encounters settled after the month tracked),
    ``late_to_date_claims`` and ``late_to_date_fen`` (the same, January to the month),
    ``projected_with_late_fen`` ((to date + late to date) ÷ expected: the known late
    claims are charged to the year under encounter dating) and
    ``projected_with_late_balance_fen``; ``over_budget`` flags the projection with the
    late claims (the higher) over the budget.
    Percentages are Decimals half up to two decimals, money integer fen.
    """

    year: int
    through: int
    counties: tuple[TrackedCounty, ...]
    #: One mapping per county (and ``total``) and month, the columns above.
    rows: tuple[Mapping[str, object], ...]
    notes: tuple[str, ...]

    def __repr__(self) -> str:
        return brief_repr(
            self, year=self.year, through=self.through_text, counties=len(self.counties)
        )

    @property
    def through_text(self) -> str:
        return f"{self.year}-{self.through:02d}"

    def latest(self) -> list[Mapping[str, object]]:
        """The rows of the month tracked: one per county (and the total)."""
        return [r for r in self.rows if r["month"] == self.through]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([dict(r) for r in self.rows], dtype=object)

    def _table(self, rows: Sequence[Mapping[str, object]], title: str) -> SummaryTable:
        import pandas as pd

        from ihms.summary import SummaryTable

        out = pd.DataFrame([dict(r) for r in rows], dtype=object)
        out["month"] = [f"{self.year}-{r['month']:02d}" for r in rows]
        for name in [c for c in out.columns if str(c).endswith("_fen")]:
            out[name] = [None if v is None else fen_to_yuan(int(v)) for v in out[name]]
            out = out.rename(columns={name: name.removesuffix("_fen") + "_yuan"})
        out["over_budget"] = ["yes" if r["over_budget"] else "" for r in rows]
        return SummaryTable(
            out,
            title=title,
            notes=self.notes,
            show_index=False,
            key_columns=("county", "month"),
        )

    def summary(self) -> SummaryTable:
        """Each county (and the total) at the month tracked."""
        return self._table(
            self.latest(),
            f"Budget execution {self.year} to {self.through_text} (预算执行进度)",
        )

    def months_summary(self) -> SummaryTable:
        """Every month to the month tracked, county by county."""
        return self._table(
            self.rows, f"Budget execution {self.year} by month to {self.through_text}"
        )

    def to_dict(self) -> dict:
        rows = [
            {
                "county": row["county"],
                "month": f"{self.year}-{row['month']:02d}",
                **{
                    k: (str(v) if isinstance(v, Decimal) else v)
                    for k, v in row.items()
                    if k not in ("county", "month")
                },
            }
            for row in self.rows
        ]
        return {
            "year": self.year,
            "through": self.through_text,
            "counties": [
                {
                    "county": c.county,
                    "budget_fen": c.budget_fen,
                    "projection": c.projection,
                    "profile_years": list(c.profile_years),
                    "fallback": c.fallback,
                }
                for c in self.counties
            ],
            "months": rows,
            "notes": list(self.notes),
        }


def _profile(
    c: CountyMonths, through: int, projection: str
) -> tuple[TrackedCounty, dict[int, Fraction]]:
    """How ``c`` is projected and the expected share of the year to each month."""
    linear = {m: Fraction(m, 12) for m in range(1, 13)}
    years = tuple(sorted(c.history))
    if projection == "linear":
        return TrackedCounty(c.county, c.budget_fen, "linear", (), None, {}), linear
    total = sum(sum(h.values()) for h in c.history.values())
    fallback = None
    if not years:
        fallback = "no full previous year of spending to take a monthly profile from"
    elif total == 0:
        fallback = f"the previous years ({_years(years)}) had no spending"
    else:
        share = {
            m: Fraction(sum(h.get(m, 0) for h in c.history.values()), total) for m in range(1, 13)
        }
        cum, expected = Fraction(0), {}
        for m in range(1, 13):
            cum += share[m]
            expected[m] = cum
        if expected[through] == 0:
            fallback = (
                f"the previous years ({_years(years)}) had no spending in the months to "
                f"{through:02d}"
            )
        elif thin := thin_profile(_years(years), through, expected[through]):
            fallback = thin
        else:
            return TrackedCounty(c.county, c.budget_fen, "profile", years, None, share), expected
    return TrackedCounty(c.county, c.budget_fen, "linear", (), fallback, {}), linear


def _years(years: Sequence[int]) -> str:
    return ", ".join(map(str, years))


def _row(county, month, spent, to_date, budget, expected, late) -> dict:
    used = Fraction(to_date, budget)
    elapsed = Fraction(month, 12)
    projected = None if expected is None or expected == 0 else round_fen(to_date / expected)
    return {
        "county": county,
        "month": month,
        "spent_fen": spent,
        "to_date_fen": to_date,
        "budget_fen": budget,
        "used_pct": _pct(used),
        "elapsed_pct": _pct(elapsed),
        "pace_pp": _pct(used - elapsed),
        "expected_pct": None if expected is None else _pct(expected),
        "projected_fen": projected,
        "projected_balance_fen": None if projected is None else budget - projected,
        "over_budget": projected is not None and projected > budget,
        "late_claims": late.claims if late else 0,
        "late_fen": late.paid_fen if late else 0,
    }


def budget_tracking(
    counties: Sequence[CountyMonths],
    *,
    year: int,
    through: str | int,
    projection: str = "profile",
) -> BudgetTracking:
    """Track the budget ``year`` to the month ``through`` (``"2018-06"``).

    Parameters
    ----------
    counties
        Each county's budget and charged spending by month (:class:`CountyMonths`;
        from a store, :func:`~ihms.payment.tracking_from_store`).
    year : int
        The budget year.
    through : str or int
        The last month tracked, ``YYYY-MM`` in ``year`` (or its number, 1–12).
    projection : {"profile", "linear"}
        ``profile`` (default): the prior years' monthly profile where a county has a
        full prior year, else time-proportional, and the notes say so; ``linear``:
        time-proportional for every county.

    Raises
    ------
    InputError
        No county, a county given twice, a month outside the year, spending after the
        month tracked, or no spending at all to the month tracked.

    Examples
    --------
    A budget of 1,200.00 yuan and 100.00 yuan spent in each of January to March: 25 %
    used in 25 % of the year, projected to spend 1,200.00 yuan (no balance).

    >>> c = CountyMonths("c1", 120000, {1: 10000, 2: 10000, 3: 10000})
    >>> t = budget_tracking([c], year=2018, through="2018-03")
    >>> r = t.latest()[0]
    >>> r["used_pct"], r["projected_fen"], r["projected_balance_fen"], r["over_budget"]
    (Decimal('25.00'), 120000, 0, False)
    """
    if projection not in PROJECTIONS:
        raise InputError(
            f"projection: expected one of {', '.join(PROJECTIONS)}, got {projection!r}"
        )
    if isinstance(through, str):
        month = through_month(through, year)
    elif 1 <= int(through) <= 12:
        month = int(through)
    else:
        raise InputError(f"through: expected a month 1 to 12 of {year}, got {through!r}")
    if not counties:
        raise InputError("county: expected at least one county's budget and spending")
    names = [c.county for c in counties]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"county: {', '.join(twice)} given more than once")
    rows: list[dict] = []
    tracked: list[TrackedCounty] = []
    notes: list[str] = []
    for c in counties:
        after = sorted(m for m, fen in c.months.items() if m > month and fen)
        if after:
            raise InputError(
                f"{c.source}: county {c.county} has spending in {year}-{after[0]:02d}, "
                f"after the month tracked ({year}-{month:02d})"
            )
        check_county_months(c, year)
        how, expected = _profile(c, month, projection)
        tracked.append(how)
        to_date = 0
        for m in range(1, month + 1):
            spent = c.months.get(m, 0)
            to_date += spent
            rows.append(_row(c.county, m, spent, to_date, c.budget_fen, expected[m], c.late.get(m)))
            with_late(rows[-1], rows[-2] if m > 1 else None, expected[m])
        notes += _county_notes(c, how, year, month)
    if all(r["to_date_fen"] == 0 for r in rows if r["month"] == month):
        where = "; ".join(sorted({c.source for c in counties}))
        raise InputError(
            f"{where}: no spending charged to the budget in {year} to {year}-{month:02d} "
            f"(counties {', '.join(names)}): nothing to track; check the year and the "
            "month, or the data's period"
        )
    if len(counties) > 1:
        rows += _totals(rows, month, tracked)
        notes.append(TOTAL_NOTE)
    notes.append(
        "used: spending to date ÷ the budget; elapsed: months ÷ 12; pace: used − elapsed, "
        "in percentage points (positive: ahead of the time-proportional line); expected: "
        "the share of the year's spending the projection expected by the month; projected "
        "balance: budget − projection (negative: an overspend)."
    )
    notes.append(LATE_NOTE)
    notes.append("Money in yuan, exact to the fen; projections rounded half up to the fen.")
    return BudgetTracking(year, month, tuple(tracked), tuple(rows), tuple(notes))


def _totals(rows: list[dict], month: int, tracked: Sequence[TrackedCounty]) -> list[dict]:
    """The consortium's rows: the counties' sums, projected as the sum of theirs."""
    out = []
    budget = sum(t.budget_fen for t in tracked)
    for m in range(1, month + 1):
        mine = [r for r in rows if r["month"] == m]
        spent = sum(r["spent_fen"] for r in mine)
        to_date = sum(r["to_date_fen"] for r in mine)
        row = _row("total", m, spent, to_date, budget, None, None)
        projected = [r["projected_fen"] for r in mine]
        if None not in projected:
            p = sum(projected)
            row.update(
                expected_pct=_pct(Fraction(to_date, p)) if p else None,
                projected_fen=p,
                projected_balance_fen=budget - p,
                over_budget=p > budget,
            )
        row.update(
            late_claims=sum(r["late_claims"] for r in mine),
            late_fen=sum(r["late_fen"] for r in mine),
        )
        out.append(total_with_late(row, mine))
    return out


def _county_notes(c: CountyMonths, how: TrackedCounty, year: int, month: int) -> list[str]:
    notes = []
    if how.projection == "profile":
        share = _pct(sum((how.profile[m] for m in range(1, month + 1)), Fraction(0)))
        notes.append(
            f"{c.county}: projected from the monthly profile of {_years(how.profile_years)} "
            f"(the share of those years' spending in each month; {share}% of it fell in "
            f"{months_text(month)}): to date ÷ that share"
        )
    else:
        why = f" because {how.fallback}" if how.fallback else ""
        notes.append(f"{c.county}: projected time-proportionally (to date × 12 ÷ months){why}")
    for m in sorted(c.late):
        late = c.late[m]
        if late.claims:
            notes.append(
                f"{c.county}: {year}-{m:02d} has {late.claims:,} claim(s) settled after "
                f"{year}-{month:02d}, {format_yuan(late.paid_fen)} yuan paid by insurance, "
                "not counted here: the month's spending is not all paid yet"
            )
    notes += open_notes(c, year, month)
    empty = [
        f"{year}-{m:02d}" for m in range(1, month + 1) if not c.months.get(m, 0) and m not in c.open
    ]
    if empty:
        notes.append(
            f"{c.county}: no spending paid in {', '.join(empty)}: claims not yet in, or "
            "missing data, rather than a month without care"
        )
    return notes
