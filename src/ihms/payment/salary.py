"""The annual salary system (ASS): scorecards, annual salaries and the incentive pool.

A scorecard turns indicator values into a score between 0 and 1 (weighted sum of the
indicators' scores; a capped ratio may add credit up to its cap). The annual salary is
``base × factor(score)`` rounded half up to the fen; the staff-incentive share of the
kept balance is shared among the staff who pass their scorecard, in proportion to
``weight × score``, by the largest-remainder method (so the shares add up to the pool).

Scores are exact Decimals inside; tables and ``--json`` show them rounded half up, both
the same way: weights, values, scores and a line's points to 4 decimals
(:data:`SCORE_PLACES`), a card's total points to 1 decimal — each with more decimals
where fewer would put it on the other side of the pass mark (a failed 59.996 points is
shown as 59.996, not 60.0) — and the salary factor with the fewest decimals (at least 4)
that, times the base salary, give the annual salary to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ihms._column_hints import yuan_name
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.payment._salary_pool import pool_note, share_pool, unshared_note
from ihms.payment._scorecard_result import (
    SCORE_PLACES,
    IndicatorScore,
    ScorecardResult,
    _places,
    _text,
    score_card,
)
from ihms.payment.money import round_fen, yuan_column
from ihms.payment.rules import StaffPay
from ihms.payment.tables import StaffMember
from ihms.summary import SummaryTable

__all__ = [
    "SCORE_PLACES",
    "IndicatorScore",
    "SalaryLine",
    "SalaryResult",
    "ScorecardResult",
    "annual_salaries",
    "pool_note",
    "score_card",
]


@dataclass(frozen=True)
class SalaryLine:
    """One staff member's annual salary and share of the incentive pool.

    Attributes
    ----------
    staff_id, role, institution_id, base_salary_fen
        From the roster.
    score, passed
        The scorecard total (0 to 1) and whether it reached the card's pass mark.
    factor, annual_salary_fen
        The salary factor of the score and ``base × factor``, rounded half up to the fen.
    incentive_weight, incentive_fen
        ``weight × score`` (score capped at 1; 0 for staff who fail) and the share of
        the pool it earned.
    """

    staff_id: str
    role: str
    institution_id: str
    base_salary_fen: int
    score: Decimal
    passed: bool
    factor: Decimal
    annual_salary_fen: int
    incentive_weight: Decimal
    incentive_fen: int


#: Column names of the salary table as a reader sees them (``to_frame`` keeps the codes).
_SALARY_COLUMNS = {
    "role": "Role",
    "institution_id": "Institution id",
    "points": "Points",
    "passed": "Passed",
    "factor": "Salary factor",
    "base_salary_yuan": "Base salary (yuan)",
    "annual_salary_yuan": "Annual salary (yuan)",
    "incentive_yuan": "Incentive (yuan)",
}


def _shown_factor(line: SalaryLine) -> Decimal:
    """The salary factor with the fewest decimals (at least 4) that re-multiply: base ×
    shown factor, rounded half up to the fen, is the annual salary (else the exact
    factor)."""
    for places in range(4, 29):
        shown = line.factor.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if round_fen(Decimal(line.base_salary_fen) * shown) == line.annual_salary_fen:
            return shown
    return line.factor


@dataclass(frozen=True)
class SalaryResult(SummaryHtml):
    """Annual salaries and incentive shares; ``sum(incentive) + unshared == pool``.
    ``settled`` False: no settlement gave a pool (scored alone), so incentives are not
    computed — JSON gives them as null, the table leaves their column out."""

    lines: tuple[SalaryLine, ...]
    scorecards: tuple[ScorecardResult, ...]
    pool_fen: int
    unshared_fen: int
    settled: bool = True

    def __repr__(self) -> str:
        # the generated repr printed every staff member's line and scorecard
        return brief_repr(
            self,
            staff=len(self.lines),
            passed=sum(ln.passed for ln in self.lines),
            pool_fen=self.pool_fen,
            unshared_fen=self.unshared_fen,
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "staff_id": [ln.staff_id for ln in self.lines],
                "role": [ln.role for ln in self.lines],
                "institution_id": [ln.institution_id for ln in self.lines],
                "points": [float(ln.score * 100) for ln in self.lines],
                "passed": [ln.passed for ln in self.lines],
                "factor": [float(ln.factor) for ln in self.lines],
                "base_salary_fen": [ln.base_salary_fen for ln in self.lines],
                "annual_salary_fen": [ln.annual_salary_fen for ln in self.lines],
                "incentive_fen": [ln.incentive_fen for ln in self.lines],
            }
        )

    def _shown(self, ln: SalaryLine) -> tuple[Decimal, Decimal]:
        """A line's score and points as its scorecard shows them (4 and 1 decimals, more
        near the pass mark); a line without its card (built by hand) plainly rounded."""
        card = next((c for c in self.scorecards if c.subject == ln.staff_id), None)
        if card is None:
            return _places(ln.score), _places(ln.score * 100, 1)
        return card.shown_total, card.shown_points

    def _shown_points(self) -> list[Decimal]:
        return [self._shown(ln)[1] for ln in self.lines]

    def _borrowed_cards(self) -> list[str]:
        """A note per card scoring staff of other roles (``staff_pay.other_roles``)."""
        borrowed: dict[str, list[str]] = {}
        for ln, card in zip(self.lines, self.scorecards, strict=False):
            if card.subject == ln.staff_id and card.role != ln.role:
                borrowed.setdefault(card.role, []).append(f"{ln.staff_id} ({ln.role})")
        return [
            f"Scored on the {role}'s card, their role having no card of its own (the rules' "
            f"staff_pay.other_roles): {', '.join(who)}."
            for role, who in borrowed.items()
        ]

    def summary(self) -> SummaryTable:
        """Each member's points, salary and incentive in yuan, the pool in a note."""
        frame = self.to_frame().set_index("staff_id")
        frame["points"] = self._shown_points()
        frame["factor"] = [_shown_factor(ln) for ln in self.lines]
        for col in ("base_salary_fen", "annual_salary_fen", "incentive_fen"):
            frame[yuan_name(col)] = yuan_column(frame.pop(col))
        if not self.settled:
            frame = frame.drop(columns=yuan_name("incentive_fen"))
        frame = frame.rename(columns=_SALARY_COLUMNS)
        frame.index.name = "Staff id"
        # a pool left unshared is said so once, with why (not "shared by weight × score")
        passed = [ln.staff_id for ln in self.lines if ln.passed]
        unshared = unshared_note(self.pool_fen, self.unshared_fen, len(self.lines), passed)
        pool = pool_note(self.pool_fen, settled=self.settled, unshared_fen=self.unshared_fen)
        notes = [unshared or pool, *self._borrowed_cards()]
        return SummaryTable(
            frame,
            title="Annual salaries and incentive shares",
            notes=tuple(notes),
            formats={
                "Points": str,
                "Salary factor": str,
                "Passed": lambda passed: "yes" if passed else "no",  # not Python's True
            },
        )

    def to_dict(self) -> dict:
        """Salaries for JSON: money in integer fen; points and the salary factor as the
        table shows them (base × factor, half up, is the annual salary to the fen); the
        score rounded as shown and exact (``score_exact``, the factor's own)."""
        known = self.settled  # else no pool, no incentive: null, not 0
        return {
            "pool_fen": self.pool_fen if known else None,
            "unshared_fen": self.unshared_fen if known else None,
            "lines": [
                {
                    "staff_id": ln.staff_id,
                    "role": ln.role,
                    "institution_id": ln.institution_id,
                    "base_salary_fen": ln.base_salary_fen,
                    "score": _text(self._shown(ln)[0]),
                    # the score the factor is computed from (the shown one is rounded)
                    "score_exact": _text(ln.score),
                    "points": _text(self._shown(ln)[1]),
                    "passed": ln.passed,
                    "factor": str(_shown_factor(ln)),
                    "annual_salary_fen": ln.annual_salary_fen,
                    "incentive_fen": ln.incentive_fen if known else None,
                }
                for ln in self.lines
            ],
        }


def annual_salaries(
    staff_pay: StaffPay,
    staff: Sequence[StaffMember],
    values: Mapping[str, Mapping[str, Decimal]],
    *,
    pool_fen: int | None = 0,
    computed: Mapping[str, Decimal] | None = None,
) -> SalaryResult:
    """Score every staff member and compute annual salaries and incentive shares.

    Parameters
    ----------
    staff_pay
        The rules' staff pay (must be the annual salary system).
    staff
        The roster.
    values
        ``staff_id → {indicator: value}``.
    pool_fen
        The staff-incentive pool to share; None when no settlement was computed (the
        cards scored alone): incentives are then not computed, not 0.
    computed
        Indicator values the settlement computed (e.g. ``fund_balance_rate``); they take
        precedence over values given for the same indicator.
    """
    if staff_pay.method != "annual_salary":
        raise InputError("annual salaries need rules whose staff_pay method is 'annual_salary'")
    settled = pool_fen is not None
    pool_fen = pool_fen or 0
    if pool_fen < 0:
        raise InputError(f"incentive pool must be >= 0, got {pool_fen}")
    computed = dict(computed or {})
    # a roster read from a file is checked so before the settlement, with its rows
    # (StaffRoster.check_roles); members built by hand are named here
    no_card = [f"{m.staff_id} ({m.role})" for m in staff if staff_pay.card_for(m.role) is None]
    if no_card:
        raise InputError(
            f"staff roster: no scorecard in the rules for {', '.join(no_card)} (scorecards: "
            f"{', '.join(staff_pay.scorecards)}; staff_pay.other_roles may name the card "
            "for other roles)"
        )
    cards: list[ScorecardResult] = []
    problems: list[str] = []
    for m in staff:
        merged = {**values.get(m.staff_id, {}), **computed}
        try:
            cards.append(
                score_card(
                    staff_pay.card_for(m.role),
                    merged,
                    subject=m.staff_id,
                    computed=list(computed),
                )
            )
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("staff scorecards: " + "; ".join(problems))
    weights, shares, unshared = share_pool(staff, cards, pool_fen)
    lines = []
    for m, card, (_, w) in zip(staff, cards, weights, strict=True):
        factor = staff_pay.factor(card.total)
        lines.append(
            SalaryLine(
                staff_id=m.staff_id,
                role=m.role,
                institution_id=m.institution_id,
                base_salary_fen=m.base_salary_fen,
                score=card.total,
                passed=card.passed,
                factor=factor,
                annual_salary_fen=round_fen(Decimal(m.base_salary_fen) * factor),
                incentive_weight=w,
                incentive_fen=shares[m.staff_id],
            )
        )
    return SalaryResult(tuple(lines), tuple(cards), pool_fen, unshared, settled)
