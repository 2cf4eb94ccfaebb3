"""Scorecard results: each indicator's value and score, a card's total and pass (part of
:mod:`ihms.payment.salary`, which re-exports these names).

Scores are exact Decimals inside; tables and ``--json`` show them rounded half up, both
the same way: weights, values, scores and a line's points to 4 decimals
(:data:`SCORE_PLACES`), a card's total points to 1 decimal — each with more decimals
where fewer would put it on the other side of the pass mark (a failed 59.996 points is
shown as 59.996, not 60.0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.payment.indicator_values import canonical_values
from ihms.payment.money import shown_against
from ihms.payment.rules import Scorecard
from ihms.summary import SummaryTable

__all__ = ["SCORE_PLACES", "IndicatorScore", "ScorecardResult", "score_card"]

#: Decimal places of weights, values, scores and a line's points in tables and JSON.
SCORE_PLACES = 4


def _places(value: Decimal, places: int = SCORE_PLACES) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (for display only)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _text(value: Decimal) -> str:
    """A shown Decimal as JSON text, digit for digit as the table prints it."""
    return f"{value:f}"


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's line on a scorecard.

    Attributes
    ----------
    indicator, label
        The indicator's id and its label on the card.
    weight
        Its weight on the card (the weights of a card add up to 1).
    value
        The subject's value of the indicator.
    score
        The indicator's score between 0 and 1 (a capped ratio may go above 1).
    """

    indicator: str
    label: str
    weight: Decimal
    value: Decimal
    score: Decimal

    @property
    def points(self) -> Decimal:
        """Weighted score × 100 (points out of 100 for the whole card)."""
        return self.weight * self.score * 100


@dataclass(frozen=True)
class ScorecardResult(SummaryHtml):
    """One subject's scorecard: each indicator's value and score, the total and pass."""

    role: str
    subject: str
    lines: tuple[IndicatorScore, ...]
    total: Decimal
    pass_mark: Decimal
    computed: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # the generated repr printed every indicator line
        return brief_repr(
            self,
            role=self.role,
            subject=self.subject,
            points=str(self.shown_points),
            passed=self.passed,
        )

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_mark

    @property
    def points(self) -> Decimal:
        return self.total * 100

    @property
    def shown_points(self) -> Decimal:
        """The total in points as tables and JSON show it: 1 decimal, more if needed to
        stay on the right side of the pass mark."""
        return shown_against(self.points, self.pass_mark * 100, 1)

    @property
    def shown_total(self) -> Decimal:
        """The total (0 to 1) to 4 decimals, more if needed to stay on its side of the
        pass mark."""
        return shown_against(self.total, self.pass_mark, SCORE_PLACES)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "indicator": [ln.indicator for ln in self.lines],
                "label": [ln.label for ln in self.lines],
                "weight": [float(ln.weight) for ln in self.lines],
                "value": [float(ln.value) for ln in self.lines],
                "score": [float(ln.score) for ln in self.lines],
                "points": [float(ln.points) for ln in self.lines],
            }
        )

    def summary(self) -> SummaryTable:
        verdict = "passed" if self.passed else "failed"
        notes = [f"Pass mark {_places(self.pass_mark * 100, 1)} points."]
        if self.computed:
            notes.append(f"Computed by the settlement: {', '.join(self.computed)}.")
        frame = pd.DataFrame(
            {
                "Weight": [_places(ln.weight) for ln in self.lines],
                "Value": [_places(ln.value) for ln in self.lines],
                "Score": [_places(ln.score) for ln in self.lines],
                "Points": [_places(ln.points) for ln in self.lines],
            },
            index=pd.Index([ln.label for ln in self.lines], name="Indicator"),
        )
        return SummaryTable(
            frame,
            title=f"{self.role} scorecard, {self.subject}: {self.shown_points} points ({verdict})",
            notes=tuple(notes),
        )

    def to_dict(self) -> dict:
        """The card for JSON, rounded as its table shows it (module docstring); the
        verdict ``passed`` is decided on the exact total."""
        return {
            "role": self.role,
            "subject": self.subject,
            "total": _text(self.shown_total),
            "points": _text(self.shown_points),
            "pass_mark": _text(self.pass_mark),
            "passed": self.passed,
            "computed": list(self.computed),
            "lines": [
                {
                    "indicator": ln.indicator,
                    "weight": _text(_places(ln.weight)),
                    "value": _text(_places(ln.value)),
                    "score": _text(_places(ln.score)),
                    "points": _text(_places(ln.points)),
                }
                for ln in self.lines
            ],
        }


def score_card(
    card: Scorecard,
    values: Mapping[str, Decimal],
    *,
    subject: str,
    computed: Sequence[str] = (),
) -> ScorecardResult:
    """Score one subject.

    Parameters
    ----------
    card : Scorecard
        The role's scorecard: indicators with weights, scorings and the pass mark.
    values : mapping of str to Decimal
        ``indicator id → value`` for the subject; rates are fractions (0.8, not 80).
    subject : str
        Who is scored (``"consortium"`` or a staff id); used in messages and the result.
    computed : sequence of str, default ()
        Indicator ids whose values the settlement computed itself rather than read
        from the table; those on the card are listed in the result.

    Returns
    -------
    ScorecardResult
        Each indicator's value and score (0 to 1, or up to a capped ratio's cap), the
        weighted total and whether it reached the card's pass mark.

    Raises
    ------
    InputError
        Naming every indicator of the card that has no value for the subject (a missing
        value is never scored as zero: money depends on it).

    Examples
    --------
    >>> from decimal import Decimal as D
    >>> from ihms.payment.rules import LinearScoring, Scorecard, ScorecardIndicator
    >>> line = ScorecardIndicator("x", "x", D(1), LinearScoring(D(0), D(10)))
    >>> card = Scorecard("director", (line,), D("0.6"))
    >>> score_card(card, {"x": D(7)}, subject="d1").total
    Decimal('0.7')
    """
    values = canonical_values(values, where=f"{card.role} scorecard for {subject!r}")
    missing = [i.id for i in card.indicators if i.id not in values]
    if missing:
        given = sorted(v for v in values if v not in computed)
        own = sorted(v for v in values if v in computed)
        raise InputError(
            f"{card.role} scorecard for {subject!r}: no value for {', '.join(missing)} "
            f"(values given: {', '.join(given) or 'none'}"
            + (f"; computed by the settlement: {', '.join(own)}" if own else "")
            + ")"
        )
    lines = tuple(
        IndicatorScore(
            i.id, i.label, i.weight, Decimal(values[i.id]), i.scoring.score(Decimal(values[i.id]))
        )
        for i in card.indicators
    )
    total = sum((ln.weight * ln.score for ln in lines), Decimal(0))
    used = tuple(c for c in computed if c in {i.id for i in card.indicators})
    return ScorecardResult(card.role, subject, lines, total, card.pass_mark, used)
