"""The monthly spending table: insurance paid by month, for in-year budget tracking.

What an insurance bureau exports each month when its data are not in an ihms store:
one row per month × place of treatment × institution, the money *paid* in the month.

=====================  ========  ==========================================================
column                 required  meaning
=====================  ========  ==========================================================
``month``              yes       the month paid, ``YYYY-MM`` (``2018-06``; also ``2018年6月``,
                                 ``2018/6``, ``2018.06``, ``2018m6``, ``Jun 2018``,
                                 ``201806``: the months ``its`` reads; a date is read as
                                 its month)
``setting``            yes       ``consortium``, ``outside_county`` or ``private``, as the
                                 yearly spending table's (:mod:`ihms.payment.spending`)
``institution_id``     for       the member institution (required on consortium rows)
                       members
``insurance_paid_fen`` yes       insurance paid in the month, ≥ 0 (or ``_yuan``)
=====================  ========  ==========================================================

A row per month, setting and institution: a second row for the same three is refused
naming both rows, as is an institution under two settings in one year. The previous years' rows give the monthly profile of the projection
(:mod:`ihms.payment.tracking`): a year counts as a full year when the table has a
consortium or outside-county row in each of its twelve months. A file says nothing of claims not yet paid: months it shows
low are named by the tracking's notes only when they have no spending at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.payment._collector import Collector
from ihms.payment._month_text import COLUMN_FORMS, month_column, read_month
from ihms.payment._parse import file_row, read_frame
from ihms.payment._tracking_rows import WHOLE_COUNTY
from ihms.payment.inputs import year_budget
from ihms.payment.rules import PaymentRules
from ihms.payment.spending import (
    SpendingTable,
    member_named,
    one_setting_a_year,
    read_places,
)
from ihms.payment.tables import PopulationTable
from ihms.payment.tracking import BudgetTracking, CountyMonths, budget_tracking, through_month

__all__ = [
    "WHOLE_COUNTY",
    "MonthlySpendingTable",
    "county_months_from_tables",
    "tracking_from_tables",
]


def _month(value) -> tuple[int, int]:
    # a pd.Timestamp is a datetime; a date on any day is the month it falls in
    return read_month(value, any_day=True)


@dataclass(frozen=True, eq=False)
class MonthlySpendingTable:
    """A validated monthly spending table (see the module docstring for the columns)."""

    frame: pd.DataFrame
    source: str = "monthly spending table"

    def __repr__(self) -> str:
        return brief_repr(self, source=self.source, rows=len(self.frame), years=self.years)

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, *, source: str = "monthly spending table"
    ) -> MonthlySpendingTable:
        """Validate ``frame`` (never modified) and keep a normalised copy.

        Raises
        ------
        DataError
            Listing every bad cell with its row and column.
        """
        columns = {str(name).strip().lower() for name in frame.columns}
        if "month" not in columns and "year" in columns:
            raise InputError(
                f"{source}: column 'month' missing, and a column 'year' there: this looks "
                "like a yearly spending table (payment settle --spending); payment track "
                "--spending reads a monthly one, a row per month (month YYYY-MM), setting "
                "and institution"
            )
        c = Collector(source, first_row=file_row(frame, 0))
        c.require_columns(frame, ("month", "setting", "insurance_paid_fen"))
        written, unsettled = frame, {}
        if "month" in frame.columns:  # Excel's numbers; 2018.1 beside 2018.09 is October
            read, unsettled = month_column(frame["month"].tolist())
            written = frame.assign(month=read)
        months = c.column(written, "month", _month, expected=f"a month written {COLUMN_FORMS}")
        for pos, problem in unsettled.items():
            c.add(c.row(pos), "month", problem)
            months[pos] = None
        settings, inst = read_places(c, frame)
        paid = c.fen(frame, "insurance_paid_fen")
        c.duplicates(
            [None if None in k else k for k in zip(months, settings, inst, strict=True)],
            column="institution_id",
            describe=lambda k: f"{k[1]} {k[2] or '(no id)'} in {k[0][0]}-{k[0][1]:02d}",
            hint="; give one row per month, setting and institution",
        )
        one_setting_a_year(c, [m and m[0] for m in months], settings, inst)
        for pos in range(len(frame)):
            member_named(c, pos, settings[pos], inst[pos])
        c.raise_if_any("monthly spending table")
        norm = pd.DataFrame(
            {
                "year": [m[0] for m in months],
                "month": [m[1] for m in months],
                "setting": settings,
                "institution_id": inst,
                "insurance_paid_fen": [int(p) for p in paid],
            }
        )
        return cls(norm, source)

    @classmethod
    def read(cls, path: str | Path) -> MonthlySpendingTable:
        """Read and validate a monthly spending table (.csv, .xlsx, .dta, .sav or
        .parquet; the sheet ``spending``, else the only one with data)."""
        return cls.from_frame(read_frame(path, "spending"), source=str(path))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({int(y) for y in self.frame["year"]}))

    def full_years(self) -> tuple[int, ...]:
        """The years with a consortium or outside-county row in each of their twelve
        months (a month with private rows only is not held: its charged care is missing)."""
        f = self.frame[self.frame["setting"] != "private"]
        return tuple(y for y in self.years if f.loc[f["year"] == y, "month"].nunique() == 12)

    def charged(self, settings: tuple[str, ...]) -> dict[int, dict[int, int]]:
        """Year → month → insurance paid (fen) at ``settings``.

        Parameters
        ----------
        settings : tuple of str
            The settings summed (``consortium``, ``outside_county``, ``private``; the
            budget's: :attr:`~ihms.payment.rules.SettlementRule.charged_settings`).
        """
        f = self.frame[self.frame["setting"].isin(settings)]
        sums = f.groupby(["year", "month"])["insurance_paid_fen"].sum()
        out: dict[int, dict[int, int]] = {}
        for (y, m), fen in sums.items():
            out.setdefault(int(y), {})[int(m)] = int(fen)
        return out

    def yearly(self) -> SpendingTable:
        """The full years as a yearly spending table (a history-based budget reads it)."""
        f = self.frame[self.frame["year"].isin(self.full_years())]
        sums = f.groupby(["year", "setting", "institution_id"], as_index=False)[
            "insurance_paid_fen"
        ].sum()
        return SpendingTable.from_frame(sums, source=f"{self.source} (full years summed)")


def county_months_from_tables(
    rules: PaymentRules,
    spending: MonthlySpendingTable,
    population: PopulationTable,
    *,
    year: int,
    through: str,
    county: str = WHOLE_COUNTY,
    profile_years: int = 3,
) -> CountyMonths:
    """One county's budget (from ``population``, and for a history-based budget the
    full years of ``spending``) and charged spending by month to ``through``.

    Parameters
    ----------
    rules : PaymentRules
        The rule set (its budget and whether care outside the county is charged).
    spending : MonthlySpendingTable
        Insurance paid by month, setting and institution (:meth:`MonthlySpendingTable.read`).
    population : PopulationTable
        The insured (and, for a budget on residents, resident) population by year.
    year : int
        The budget year.
    through : str
        The last month tracked, ``YYYY-MM`` in ``year``.
    county : str, default "whole county"
        The name the county is shown by (a file holds one county, unnamed unless
        given; ``--lang zh`` says the default 全县).
    profile_years : int, default 3
        At most this many full previous years give the monthly profile.

    Raises
    ------
    InputError
        A month outside the year, a month tracked before the table's first month or
        after its last, no budget for the year (the population table has no row for it).
    """
    if rules.budget is None:
        raise InputError(
            f"rules {rules.name!r} set no global budget ({rules.kind}): nothing to track"
        )
    month = through_month(through, year)
    f = spending.frame
    first = min(zip(f["year"], f["month"], strict=True), default=None)
    last = max(zip(f["year"], f["month"], strict=True), default=None)
    shown = f"{spending.source} has {_ym(first)} to {_ym(last)}" if first else ""
    if first is None or (year, month) < first:
        raise InputError(f"through: {year}-{month:02d} is before any data ({shown or 'no rows'})")
    if first > (year, 1):
        raise InputError(
            f"{spending.source}: the first month held is {_ym(first)}, after {year}-01: "
            f"the budget year's months before it would read as months without spending; "
            f"give the year's rows from {year}-01"
        )
    if (year, month) > last:
        raise InputError(
            f"through: {year}-{month:02d} is after the last month of the data ({shown}): "
            "the months after it would read as months without spending"
        )
    try:
        yearly = spending.yearly() if rules.budget.method == "history" else None
        budget = year_budget(rules, year, population=population, spending=yearly)
    except InputError as exc:
        who = "the county" if county == WHOLE_COUNTY else f"county {county}"
        raise InputError(f"{who}: no budget for {year}: {exc}{_partial(spending)}") from None
    charged = spending.charged(rules.settlement.charged_settings)
    years = [y for y in spending.full_years() if y < year][-profile_years:]
    return CountyMonths(
        county,
        budget.global_budget_fen,
        {m: v for m, v in charged.get(year, {}).items() if m <= month},
        history={y: charged.get(y, {}) for y in years},
        source=spending.source,
    )


def _partial(spending: MonthlySpendingTable) -> str:
    """For a history-based budget refused: the years the table holds in part."""
    full = spending.full_years()
    f = spending.frame
    f = f[f["setting"] != "private"]
    part = [
        f"{y} ({f.loc[f['year'] == y, 'month'].nunique()} of 12 months)"
        for y in spending.years
        if y not in full
    ]
    if not part:
        return ""
    return (
        f" (a year of a monthly table counts only with rows in all twelve months; held in "
        f"part: {', '.join(part)})"
    )


def _ym(ym: tuple[int, int] | None) -> str:
    return "none" if ym is None else f"{ym[0]}-{ym[1]:02d}"


def tracking_from_tables(
    rules: PaymentRules,
    spending: MonthlySpendingTable,
    population: PopulationTable,
    *,
    year: int,
    through: str,
    county: str = WHOLE_COUNTY,
    projection: str = "profile",
    profile_years: int = 3,
) -> BudgetTracking:
    """Track ``year``'s budget to ``through`` from a monthly spending table and the
    population table (:func:`county_months_from_tables`, :func:`~ihms.payment.budget_tracking`).

    Parameters
    ----------
    rules : PaymentRules
        The rule set (its budget and whether care outside the county is charged).
    spending : MonthlySpendingTable
        Insurance paid by month, setting and institution (:meth:`MonthlySpendingTable.read`).
    population : PopulationTable
        The insured (and, for a budget on residents, resident) population by year.
    year : int
        The budget year.
    through : str
        The last month tracked, ``YYYY-MM`` in ``year``.
    county : str, default "whole county"
        The name the county is shown by (a file holds one county, unnamed unless
        given; ``--lang zh`` says the default 全县).
    profile_years : int, default 3
        At most this many full previous years give the monthly profile.
    projection : {"profile", "linear"}
        How the year end is projected (:func:`~ihms.payment.budget_tracking`).
    """
    from dataclasses import replace

    from ihms.payment.tracking_from_store import charged_note

    through_month(through, year)
    months = county_months_from_tables(
        rules, spending, population, year=year, through=through, county=county,
        profile_years=profile_years,
    )  # fmt: skip
    tracked = budget_tracking([months], year=year, through=through, projection=projection)
    said = charged_note(rules, spending.source, f"as paid by month to {tracked.through_text}") + (
        " The file shows what was paid, not the claims still to come."
    )
    return replace(tracked, notes=(said, *tracked.notes))
