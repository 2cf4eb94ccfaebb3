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

from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.payment.indicator_values import is_rate
from ihms.payment.rules import PaymentRules
from ihms.payment.scoring import CappedRatioScoring, LinearScoring, ThresholdScoring
from ihms.payment.tables import IndicatorValues, StaffRoster
from ihms.summary import SummaryTable

__all__ = ["SupervisionLine", "SupervisionView", "supervision"]

_SHOWN = Decimal("0.0001")


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
class SupervisionView:
    """Every line of :func:`supervision`, with the day they run to."""

    year: int
    through: date
    lines: tuple[SupervisionLine, ...]

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
            return None if v is None else str(v.quantize(_SHOWN, ROUND_HALF_UP).normalize())

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
        }

    def summary(self) -> SummaryTable:
        def shown(v) -> str:
            return "—" if v is None else f"{v.quantize(_SHOWN, ROUND_HALF_UP).normalize():f}"

        track = {True: "yes", False: "no", None: "no value"}
        frame = pd.DataFrame(
            {
                "Staff": [ln.staff_id for ln in self.lines],
                "Indicator": [ln.indicator for ln in self.lines],
                "Value": [shown(ln.value) for ln in self.lines],
                "Due by now": [shown(ln.due) for ln in self.lines],
                "Year's target": [shown(ln.target) for ln in self.lines],
                "On track": [track[ln.on_track] for ln in self.lines],
            }
        )
        return SummaryTable(
            frame,
            show_index=False,
            title=f"Scorecard indicators of {self.year} to {self.through.isoformat()}",
            notes=(
                "Due by now: a count's target for the year pro rata to the day; a rate is "
                "compared with its target as it stands.",
            ),
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
    for member in roster.members:
        card = cards.get(member.role)
        if card is None:
            continue
        given: Mapping[str, Decimal] = values.for_subject(year, member.staff_id)
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
    return SupervisionView(year, through, tuple(lines))
