"""The supervision view: each staff member's scorecard indicators so far in the year.

Sanming's online supervision system (DOMAIN.md) tracks the scorecard indicators during
the year. :func:`supervision` gives, per staff member on a scorecard and per indicator,
the value to a day against the card's mark for the year: the target (a linear or
capped-ratio scoring's target, a threshold), what a count should have reached by then
at an even pace (target × days elapsed ÷ days in the year), and the score the value
would earn were the year over. A rate is compared as it stands (it has no pace).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.payment.indicator_values import is_rate
from ihms.payment.money import shown_against
from ihms.payment.rules import PaymentRules
from ihms.payment.salary import score_card
from ihms.payment.scoring import CappedRatioScoring, LinearScoring, ThresholdScoring
from ihms.payment.tables import IndicatorValues, StaffRoster
from ihms.summary import SummaryTable

__all__ = ["SupervisionCard", "SupervisionLine", "SupervisionView", "supervision"]

_SHOWN = Decimal("0.0001")


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros, never in exponent form (``300``, not ``3E+2``:
    a CSV writes a Decimal as its ``str``)."""
    return Decimal(f"{value.normalize():f}")


def _shown_figure(value: Decimal | None) -> Decimal | None:
    """An indicator's figure as the supervision tables show it: half up (四舍五入) to
    4 decimals, trailing zeros dropped (``7.9344``, ``0.92``, ``300``); None stays None.

    >>> _shown_figure(Decimal(24) * 121 / 366), _shown_figure(Decimal("300.00"))
    (Decimal('7.9344'), Decimal('300'))
    """
    return None if value is None else _plain(value.quantize(_SHOWN, ROUND_HALF_UP))


def _figure_cell(value: object) -> str:
    """A figure's printed cell: its digits as they stand (the table holds them rounded
    for display), without thousands separators."""
    return f"{Decimal(str(value)):f}"


def _target(scoring) -> Decimal:
    if isinstance(scoring, LinearScoring | CappedRatioScoring):
        return scoring.target
    if isinstance(scoring, ThresholdScoring):
        return scoring.threshold
    raise TypeError(f"unknown scoring {scoring!r}")  # pragma: no cover


@dataclass(frozen=True)
class SupervisionLine:
    """One staff member's indicator so far.

    Attributes
    ----------
    staff_id, role, indicator
        Who, on which card, which indicator.
    value
        The value to date (None: none given).
    target
        The card's mark for the whole year.
    due
        For a count, the target pro rata to the day (None for a rate).
    on_track
        Whether the value reaches ``due`` (a count) or the target (a rate); None
        without a value. A threshold ``at_most`` or a linear target below its floor is
        on track at or below the mark.
    score
        The score the value would earn on the card were the year over (None without a
        value).
    """

    staff_id: str
    role: str
    indicator: str
    value: Decimal | None
    target: Decimal
    due: Decimal | None
    on_track: bool | None
    score: Decimal | None


@dataclass(frozen=True)
class SupervisionCard:
    """One staff member's card total so far against its pass mark.

    Attributes
    ----------
    staff_id, role
        Who, on which card.
    points
        The card's points (0–100) the values to date earn as they stand (None: an
        indicator has no value).
    points_at_pace
        The points with each count carried on to the year's end at its rate so far
        (value × days in the year ÷ days elapsed) and rates as they stand (None: an
        indicator has no value).
    pass_mark
        The card's pass mark in points.
    would_pass
        Whether ``points_at_pace`` reaches the pass mark (None without a total).
    missing
        The card's indicators without a value.
    """

    staff_id: str
    role: str
    points: Decimal | None
    points_at_pace: Decimal | None
    pass_mark: Decimal
    would_pass: bool | None
    missing: tuple[str, ...]

    @property
    def verdict(self) -> str:
        """In words: would pass / would not pass at this pace, or why there is none."""
        if self.would_pass is None:
            return f"no verdict: no value of {', '.join(self.missing)}"
        return "would pass at this pace" if self.would_pass else "would not pass at this pace"

    def shown(self, points: Decimal | None) -> Decimal | None:
        """``points`` to 1 decimal, more if needed to stay on its side of the pass mark.

        Parameters
        ----------
        points : Decimal or None
            A total in points (``points`` or ``points_at_pace``); None stays None.
        """
        return None if points is None else shown_against(points, self.pass_mark, 1)


@dataclass(frozen=True)
class SupervisionView(SummaryHtml):
    """Every line of :func:`supervision` and each member's card total, with the day
    they run to."""

    year: int
    through: date
    lines: tuple[SupervisionLine, ...]
    cards: tuple[SupervisionCard, ...] = ()

    def __repr__(self) -> str:
        return brief_repr(
            self,
            year=self.year,
            through=self.through.isoformat(),
            staff=len({ln.staff_id for ln in self.lines}),
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "staff_id": ln.staff_id,
                    "role": ln.role,
                    "indicator": ln.indicator,
                    "value": ln.value,
                    "target": ln.target,
                    "due": ln.due,
                    "on_track": ln.on_track,
                    "score": ln.score,
                }
                for ln in self.lines
            ]
        )

    def to_dict(self) -> dict:
        def text(v):
            return None if v is None else f"{_shown_figure(v):f}"

        return {
            "year": self.year,
            "through": self.through.isoformat(),
            "lines": [
                {
                    "staff_id": ln.staff_id,
                    "role": ln.role,
                    "indicator": ln.indicator,
                    "value": text(ln.value),
                    "target": text(ln.target),
                    "due": text(ln.due),
                    "on_track": ln.on_track,
                    "score": text(ln.score),
                }
                for ln in self.lines
            ],
            "cards": [
                {
                    "staff_id": c.staff_id,
                    "role": c.role,
                    "points": _points_text(c.shown(c.points)),
                    "points_at_pace": _points_text(c.shown(c.points_at_pace)),
                    "pass_mark": _points_text(c.pass_mark),
                    "would_pass": c.would_pass,
                    "missing": list(c.missing),
                }
                for c in self.cards
            ],
        }

    def summary(self) -> SummaryTable:
        """Each line's value, what is due by now and the year's target as Decimals shown
        (:func:`_shown_figure`; None where there is none), and whether it is on track."""
        track = {True: "yes", False: "no", None: "no value"}
        frame = pd.DataFrame(
            {
                "Staff": [ln.staff_id for ln in self.lines],
                "Indicator": [ln.indicator for ln in self.lines],
                "Value": [_shown_figure(ln.value) for ln in self.lines],
                "Due by now": [_shown_figure(ln.due) for ln in self.lines],
                "Year's target": [_shown_figure(ln.target) for ln in self.lines],
                "On track": [track[ln.on_track] for ln in self.lines],
            }
        )
        return SummaryTable(
            frame,
            show_index=False,
            title=f"Scorecard indicators of {self.year} to {self.through.isoformat()}",
            notes=(DUE_NOTE,),
            formats=dict.fromkeys(("Value", "Due by now", "Year's target"), _figure_cell),
        )

    def cards_summary(self) -> SummaryTable:
        """Each member's card total to date and at this pace (Decimals as shown,
        :meth:`SupervisionCard.shown`; None without a total) against the pass mark."""

        frame = pd.DataFrame(
            {
                "Staff": [c.staff_id for c in self.cards],
                "Card": [c.role for c in self.cards],
                "Points to date": [c.shown(c.points) for c in self.cards],
                "Points at this pace": [c.shown(c.points_at_pace) for c in self.cards],
                "Pass mark": [_plain(c.pass_mark) for c in self.cards],
                "Verdict": [c.verdict for c in self.cards],
            }
        )
        return SummaryTable(
            frame,
            show_index=False,
            title=f"Scorecard totals of {self.year} to {self.through.isoformat()}",
            notes=(PACE_NOTE,),
            formats=dict.fromkeys(
                ("Points to date", "Points at this pace", "Pass mark"), _figure_cell
            ),
        )


#: The supervision tables' fixed notes (said in Chinese by
#: :mod:`ihms.payment._words_zh_books`, keyed by these).
DUE_NOTE = (
    "Due by now: a count's target for the year pro rata to the day; a rate is compared with "
    "its target as it stands."
)
PACE_NOTE = (
    "Points to date: the card scoring the values as they stand. At this pace: each count "
    "carried on to 31 December at its rate so far (value × days in the year ÷ days "
    "elapsed), rates as they stand — a projection, not the year's result."
)


def _points_text(v: Decimal | None) -> str | None:
    return None if v is None else f"{_plain(v):f}"


def _card_total(card, member, given: Mapping[str, Decimal], pace: Decimal) -> SupervisionCard:
    """The card's points on the values to date and at this pace (``pace``: days in the
    year ÷ days elapsed), against its pass mark."""
    missing = tuple(i.id for i in card.indicators if given.get(i.id) is None)
    mark = card.pass_mark * 100
    if missing:
        return SupervisionCard(member.staff_id, member.role, None, None, mark, None, missing)
    ahead = {i: v if is_rate(i) else v * pace for i, v in given.items()}
    now = score_card(card, given, subject=member.staff_id)
    at_pace = score_card(card, ahead, subject=member.staff_id)
    return SupervisionCard(
        member.staff_id, member.role, now.points, at_pace.points, mark, at_pace.passed, ()
    )


def supervision(
    rules: PaymentRules,
    roster: StaffRoster,
    values: IndicatorValues,
    year: int,
    *,
    through: date,
) -> SupervisionView:
    """Each roster member's scorecard indicators in ``year`` up to ``through``.

    Parameters
    ----------
    rules : PaymentRules
        Rules paying staff by annual salary (their cards by role).
    roster : StaffRoster
        The staff; members whose role has no card are left out.
    values : IndicatorValues
        The values to date (``staff_values_from_store(..., through=...)`` for the
        activity counts, a file for the rest).
    year : int
        The year supervised.
    through : date
        The last day the values cover, in ``year``.

    Returns
    -------
    SupervisionView
        A line per member and indicator, and per member the card's total to date and
        at this pace against its pass mark (``cards``).

    Raises
    ------
    InputError
        Rules without scorecards, or ``through`` outside ``year``.
    """
    cards = rules.staff_pay.scorecards
    if rules.staff_pay.method != "annual_salary" or not cards:
        raise InputError(f"rules {rules.name!r} have no staff scorecards to supervise")
    if through.year != year:
        raise InputError(f"through {through.isoformat()}: expected a day in {year}")
    elapsed = Decimal((through - date(year, 1, 1)).days + 1)
    days = Decimal(366 if calendar.isleap(year) else 365)
    lines = []
    totals = []
    for member in roster.members:
        card = rules.staff_pay.card_for(member.role)
        if card is None:
            continue
        given: Mapping[str, Decimal] = values.for_subject(year, member.staff_id)
        totals.append(_card_total(card, member, given, days / elapsed))
        for ind in card.indicators:
            target = _target(ind.scoring)
            value = given.get(ind.id)
            due = None if is_rate(ind.id) else target * elapsed / days
            mark = target if due is None else due
            lower = (
                isinstance(ind.scoring, ThresholdScoring) and ind.scoring.direction == "at_most"
            ) or (isinstance(ind.scoring, LinearScoring) and ind.scoring.target < ind.scoring.floor)
            on_track = None if value is None else (value <= mark if lower else value >= mark)
            score = None if value is None else ind.scoring.score(value)
            lines.append(
                SupervisionLine(
                    member.staff_id, member.role, ind.id, value, target, due, on_track, score
                )
            )
    return SupervisionView(year, through, tuple(lines), tuple(totals))
