"""Computed indicators: a long table with numerators, denominators and values.

One row per indicator, period and unit: ``indicator, period_type, period, period_key,
level, unit, unit_name, numerator, denominator, numerator_unit, denominator_unit, value,
measure_unit`` (``unit`` is the place — a county, a tier —, ``measure_unit`` what the
value is measured in, from the catalogue; ``numerator_unit`` and ``denominator_unit`` are
``"fen"`` where that side is a sum of money, so a cost per stay's 500000 over 1 reads as
5,000 yuan, and missing otherwise). Indicators that could not be computed are listed in
:attr:`IndicatorResults.omitted` with the reason. :meth:`IndicatorResults.suppress`
hides small cells before the table leaves the analyst's desk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from ihms._arguments import labels_list, names_list
from ihms._listing import first_of
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError, did_you_mean
from ihms.indicators._complements import hidden_by_complement, hidden_with_pairs
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from ihms.indicators.catalogue import Catalogue, Indicator

__all__ = [
    "DEFAULT_MIN_CELL",
    "IndicatorResults",
    "Omission",
    "empty_period_notes",
    "row_decimals",
    "shown_decimals",
]

DEFAULT_MIN_CELL = 5


def shown_decimals(indicator: Indicator) -> dict[str, int]:
    """How many decimals a table shows of an indicator's ``value``, ``numerator`` and
    ``denominator``, the same at every level and beside any other indicator: a count
    (no denominator, a whole factor) none, a rate, share, ratio or average two; a
    numerator none (counts, whole fen); a denominator none, or one for an average
    population, (start + end) / 2, whose half shows as ``.5``."""
    whole = indicator.denominator is None and float(indicator.factor).is_integer()
    half = indicator.denominator is not None and indicator.denominator.divisor != 1
    return {"value": 0 if whole else 2, "numerator": 0, "denominator": 1 if half else 0}


def row_decimals(frame: pd.DataFrame, catalogue: Catalogue) -> dict[str, list[int]]:
    """:class:`~ihms.summary.SummaryTable`'s ``row_decimals`` for rows of the results'
    frame (:func:`shown_decimals` of each row's indicator)."""
    by_id = {i: shown_decimals(catalogue[i]) for i in frame["indicator"].unique()}
    columns = ("value", "numerator", "denominator")
    return {c: [by_id[i][c] for i in frame["indicator"]] for c in columns if c in frame}


@dataclass(frozen=True)
class Omission:
    """An indicator left out of the results, and why.

    Attributes
    ----------
    indicator
        The indicator id.
    reason
        Why, in words (``"table followups has no rows"``).
    tables
        The tables whose records it counts that are empty or absent (empty when the
        reason is another).
    """

    indicator: str
    reason: str
    tables: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.indicator}: {self.reason}"

    def to_dict(self) -> dict:
        return {"indicator": self.indicator, "reason": self.reason, "tables": list(self.tables)}


@dataclass(frozen=True, eq=False)
class IndicatorResults(SummaryHtml):
    """Indicators computed at one level and period type (see the module docstring).

    Attributes
    ----------
    frame
        The long table.
    level, period
        What was asked for (rows say what each indicator was computed at).
    catalogue
        The definitions used.
    min_cell
        The suppression threshold applied, or ``None``.
    omitted
        The indicators asked for that have no rows, each with the reason (an empty or
        absent table of the records it counts, say).
    empty_periods
        The periods without a single encounter in the data, by period type: ``"month"``
        (``yyyymm`` keys) when an indicator computed reads encounters, ``"year"`` when
        one is computed by year. The indicators reading encounters are missing there
        (numerator, value, and the denominator when it reads encounters), not 0:
        see :func:`empty_period_notes`.
    county_empty_periods
        In a store of several counties, the further periods each county's records lack
        (county id -> period type -> keys; the store's own are in :attr:`empty_periods`):
        the indicators reading encounters are missing there for the county, its grids
        and its institutions, and for every unit summing its records: its city, the
        province, the total, and the tiers and consortia holding its institutions or
        grids.
    producer
        The program that wrote the data (``"ihms.sim"``), or None for a county's export:
        the notes then say it simulated no encounter in those months.
    notes
        What else a reader must know about the values: lateral referrals no referral
        indicator counts, units left empty outside their years, a residents register far
        from the system file's populations (:func:`empty_period_notes` gives them after
        its own).
    """

    frame: pd.DataFrame
    level: str
    period: str
    catalogue: Catalogue
    min_cell: int | None = None
    omitted: tuple[Omission, ...] = ()
    empty_periods: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    county_empty_periods: Mapping[str, Mapping[str, tuple[int, ...]]] = field(default_factory=dict)
    producer: str | None = None
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return brief_repr(
            self,
            level=self.level,
            period=self.period,
            indicators=len(self.indicators),
            rows=len(self.frame),
            min_cell=self.min_cell,
            omitted=len(self.omitted) or None,
        )

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(self.frame["indicator"])) if len(self.frame) else []

    def select(
        self,
        *,
        indicators: str | Iterable[str] | None = None,
        units: str | Iterable[str] | None = None,
        periods: str | int | Iterable[str | int] | None = None,
    ) -> pd.DataFrame:
        """Rows of some indicators / units (ids) / period labels.

        Parameters
        ----------
        indicators : str or iterable of str, optional
            Indicator ids to keep (one id is a one-item list); None (the default) keeps
            all.
        units : str or iterable of str, optional
            Unit ids to keep (one id is a one-item list); None keeps all.
        periods : str, int or iterable of them, optional
            Period labels to keep (``"2019"``, ``"2019-03"``; ints, numpy's too, are
            compared as text; one label is a one-item list); None keeps all.

        Returns
        -------
        pandas.DataFrame
            A copy of the matching rows of :attr:`frame`.

        Raises
        ------
        InputError
            An argument of another kind (``periods=2019.0``), naming the parameter.
        """
        indicators = names_list(indicators, parameter="indicators", what="indicator ids")
        units = names_list(units, parameter="units", what="unit ids")
        f = self.frame
        mask = pd.Series(True, index=f.index)
        if indicators is not None:
            mask &= f["indicator"].isin(indicators)
        if units is not None:
            mask &= f["unit"].isin(units)
        periods = labels_list(periods, parameter="periods", what="period labels")
        if periods is not None:
            mask &= f["period"].isin(periods)
        return f[mask].copy()

    def series(self, indicator: str, unit: str) -> pd.Series:
        """One indicator's values over time for one unit, indexed by period label.

        Parameters
        ----------
        indicator : str
            The indicator id.
        unit : str
            The unit id.

        Raises
        ------
        InputError
            An indicator or a unit not in the results (naming the same id written in
            other letter case or width, or the nearest indicator name), or no values of
            ``indicator`` for ``unit``.
        """
        rows = self.select(indicators=[indicator], units=[unit])
        if rows.empty:  # an unknown indicator or unit selects nothing: named as such
            self._check_known([indicator], unit)
            raise InputError(f"no values of {indicator!r} for unit {unit!r}")
        return rows.set_index("period")["value"].rename(indicator)

    def _check_known(self, indicators: list[str] | None, unit: str | None) -> None:
        """Refuse an indicator or a unit these results do not hold, naming it as such
        (``series("nope", …)`` said "no values of 'nope' for unit 'G01'", and ``wide``
        gave an empty table for an unknown unit)."""
        names = list(dict.fromkeys(self.frame["indicator"]))
        for indicator in indicators if indicators is not None else ():
            if indicator not in names:
                raise InputError(
                    f"no indicator {indicator!r} in these results ({first_of(map(repr, names), 5)})"
                    + did_you_mean(indicator, names)
                )
        units = list(dict.fromkeys(self.frame["unit"].dropna()))
        if unit is not None and unit not in units:
            # a unit id is an id: only the same id written differently is suggested, never a
            # look-alike (YX-CH09 is not "YX-CH03" mistyped)
            raise InputError(
                f"no unit {unit!r} in these results ({first_of(map(repr, units), 5)})"
                + did_you_mean(unit, units, similar=False)
            )

    def wide(
        self, *, unit: str | None = None, indicators: str | Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Indicators as rows and periods as columns (one unit), as the seeds print them.

        Parameters
        ----------
        unit : str, optional
            The unit id; may be None only when the results hold a single unit.
        indicators : str or iterable of str, optional
            Indicator ids to keep, in the results' order (one id is a one-item list, not
            its letters); None keeps all.

        Raises
        ------
        InputError
            ``unit`` is None and the results hold several units, or an indicator or
            the unit is not in the results.
        """
        indicators = names_list(indicators, parameter="indicators", what="indicator ids")
        self._check_known(indicators, unit)
        rows = self.select(indicators=indicators, units=[unit] if unit is not None else None)
        if unit is None and rows["unit"].nunique() > 1:
            units = list(dict.fromkeys(rows["unit"].dropna()))
            raise InputError(
                f"parameter 'unit': the results hold several units ({first_of(map(repr, units), 5)}); pass "
                f"one, e.g. unit={units[0]!r}"
            )
        order = list(dict.fromkeys(rows["indicator"]))
        table = rows.pivot_table(
            index="indicator", columns="period", values="value", aggfunc="first", dropna=False
        )
        return table.reindex(order)

    def suppress(self, min_cell: int = DEFAULT_MIN_CELL) -> IndicatorResults:
        """Hide cells whose counts of people or events are small.

        A cell is suppressed when a count its indicator lists in ``suppress_on`` is
        above 0 and below ``min_cell`` (an average population of 0.5 or 4.5 too): its
        numerator, denominator and value become missing and ``suppressed`` is true. Zero
        counts stay (they disclose nothing about anyone). Sums of money and institution
        resources are never suppressed. Secondary (complementary) suppression keeps a
        share from giving a hidden count away: a share listing ``complement`` is hidden
        when denominator − numerator is from 1 to ``min_cell`` − 1 (11 of 15 stays within
        the county would show the 4 outside it), and shares of one denominator counting
        disjoint records (within / outside the county) are hidden together in a cell
        when one is (:mod:`ihms.indicators._complements`).

        Parameters
        ----------
        min_cell : int, default DEFAULT_MIN_CELL (5)
            The smallest count shown; a whole number >= 1 (1 suppresses nothing).

        Returns
        -------
        IndicatorResults
            A new results object with the ``suppressed`` column; this one is unchanged.

        Raises
        ------
        InputError
            ``min_cell`` is below 1.
        """
        if min_cell < 1:
            raise InputError(f"min_cell: expected a whole number ≥ 1, got {min_cell}")
        f = self.frame.copy()
        hide = pd.Series(False, index=f.index)
        for ind_id, rows in f.groupby("indicator").groups.items():
            ind = self.catalogue[ind_id]
            for part in ind.suppress_on:
                if part == "complement":
                    hide.loc[rows] |= hidden_by_complement(f, rows, min_cell)
                    continue
                counts = pd.to_numeric(f.loc[rows, part])
                hide.loc[rows] |= ((counts > 0) & (counts < min_cell)).fillna(False)
        hide = hidden_with_pairs(f, hide, self.catalogue)
        f["numerator"] = f["numerator"].astype("Int64").mask(hide)
        f["denominator"] = f["denominator"].astype("Float64").mask(hide)
        f["value"] = f["value"].mask(hide)
        f["suppressed"] = hide.to_numpy()
        return replace(self, frame=f, min_cell=min_cell)

    def summary(self) -> SummaryTable:
        f = self.frame
        notes = [f"Level: {self.level}; period: {self.period}."]
        if self.min_cell is not None:
            n = int(f["suppressed"].sum()) if "suppressed" in f else 0
            notes.append(
                f"Cells with counts from 1 to {self.min_cell - 1} suppressed, with shares "
                "whose rest (denominator - numerator) is that small and the shares paired "
                f"with them (secondary suppression) ({n} cells)."
            )
        notes.extend(omission_notes(self.omitted))
        notes.extend(empty_period_notes(self))
        shown = f[["indicator", "period", "unit_name", "numerator", "denominator", "value"]]
        return SummaryTable(
            shown.set_index("indicator"),
            title="Indicators",
            notes=tuple(notes),
            digits=2,
            row_decimals=row_decimals(shown, self.catalogue),
        )


def omission_notes(omitted: tuple[Omission, ...]) -> list[str]:
    """One note per reason, naming the indicators left out for it."""
    by_reason: dict[str, list[str]] = {}
    for o in omitted:
        by_reason.setdefault(o.reason, []).append(o.indicator)
    return [f"Not computed, {reason}: {', '.join(ids)}." for reason, ids in by_reason.items()]


def empty_period_notes(results: IndicatorResults) -> list[str]:
    """The notes on the periods without a single encounter (:attr:`~IndicatorResults.
    empty_periods`, then each county's, :attr:`~IndicatorResults.county_empty_periods`):
    which they are, that the indicators by month over encounters are left empty there,
    and why; for indicators by year, the years left empty and those whose values lack
    some months. The results' ``producer`` (``"ihms.sim"``) says a program wrote the
    data, so the months are ones it simulated no encounter in, not ones an extract
    lacks. The results' other :attr:`~IndicatorResults.notes` follow (lateral
    referrals, units outside their years, the register against the system file's
    populations), so that every command printing these prints them too."""
    from ihms.data.gaps import simulated_no_encounter
    from ihms.indicators._sources import judged_by_extract, reads_encounters

    f = results.frame
    by_kind = {
        kind: [
            i
            for i in dict.fromkeys(f.loc[f["period_type"] == kind, "indicator"])
            if judged_by_extract(results.catalogue[i])
        ]
        for kind in ("month", "year")
    }
    # referrals and follow-ups are judged by the encounters too: said so when shown
    alone = all(reads_encounters(results.catalogue[i]) for ids in by_kind.values() for i in ids)
    over = "over encounters" if alone else "over encounters, referrals and follow-ups"
    reading = "reading encounters" if alone else over
    sides = "read encounters" if alone else "count those records"
    months = results.empty_periods.get("month", ())
    years = results.empty_periods.get("year", ())
    why = (
        simulated_no_encounter(results.producer)
        if results.producer
        else "a month without a single encounter is one the extract lacks far more often "
        "than a month without care; give its records, or analyse the periods around it"
    )
    notes = []
    if by_kind["month"] and months:
        notes.append(
            f"encounters: none in {len(months):,} of the period's "
            f"{_count_months(f, months):,} months ({_runs(months, 'month')}); the indicators "
            f"by month {over} are left empty there (value, and numerator and "
            f"denominator where they {sides}), not 0 — {why}"
        )
    if by_kind["year"] and years:
        notes.append(
            f"encounters: none in {_runs(years, 'year')}; the indicators {reading} "
            f"by year ({', '.join(by_kind['year'])}) are left empty there, not 0 — {why}"
        )
    partly = [m for m in months if m // 100 not in years]
    if by_kind["year"] and partly:
        held = sorted({m // 100 for m in partly})
        notes.append(
            f"encounters: none in {len(partly):,} months of {_runs(held, 'year')} "
            f"({_runs(partly, 'month')}); the yearly values of {', '.join(by_kind['year'])} "
            "lack them: their counts and sums are too low if the extract lacks those months"
        )
    for county, lacks in results.county_empty_periods.items():
        if by_kind["month"] or by_kind["year"]:
            notes.append(_county_note(county, lacks, by_kind, why, over))
    return notes + list(results.notes)


def _county_note(
    county: str,
    lacks: Mapping[str, tuple[int, ...]],
    by_kind: dict[str, list[str]],
    why: str,
    over: str,
) -> str:
    """The note on the further months one county's records lack (a store of several)."""
    months, years = lacks.get("month", ()), lacks.get("year", ())
    parts = []
    if by_kind["month"]:
        parts.append(
            f"the indicators by month {over} are left empty there for its county, "
            "grids and institutions, and for its city, the province, the total, the "
            "tiers and consortia holding its institutions or grids, and the institutions "
            "of counties without residents in the data (their records are the visits of "
            "the counties' residents), whose sums would lack its records"
        )
    if by_kind["year"] and years:
        parts.append(
            f"those by year ({', '.join(by_kind['year'])}) are left empty for them in "
            f"{_runs(years, 'year')}"
        )
    if by_kind["year"] and any(m // 100 not in years for m in months):
        parts.append(
            f"the yearly values of {', '.join(by_kind['year'])} for its county, grids and "
            "institutions, and its city's, the province's, the total's and those of the "
            "tiers and consortia holding its institutions or grids and of the institutions "
            "of counties without residents in the data, lack them (too low)"
        )
    return (
        f"encounters: none for county {county} in {len(months):,} more of the period's months "
        f"({_runs(months, 'month')}), at its institutions or of its residents; "
        f"{'; '.join(parts)} — {why}"
    )


def _count_months(frame: pd.DataFrame, months: tuple[int, ...]) -> int:
    """How many months the monthly rows span (the period's)."""
    keys = frame.loc[frame["period_type"] == "month", "period_key"]
    return int(keys.nunique()) if len(keys) else len(months)


def _runs(keys, kind: str, named: int = 5) -> str:
    """Runs of consecutive periods: ``2019-01 to 2019-12, 2020-03``; past ``named`` runs,
    the periods left are counted."""

    def label(k: int) -> str:
        return f"{k // 100}-{k % 100:02d}" if kind == "month" else str(k)

    def index(k: int) -> int:
        return (k // 100) * 12 + k % 100 if kind == "month" else k

    runs: list[list[int]] = []
    for k in keys:
        if runs and index(k) - index(runs[-1][-1]) == 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    shown = [label(r[0]) + (f" to {label(r[-1])}" if len(r) > 1 else "") for r in runs[:named]]
    more = sum(len(r) for r in runs[named:])
    return ", ".join(shown) + (f" and {more:,} more" if more else "")
