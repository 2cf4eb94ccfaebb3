"""Scorecards of the annual salary system: scoring functions, indicators, cards, pay.

Part of the payment rules (re-exported from :mod:`ihms.payment.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ihms._renamed import renamed_attributes
from ihms.errors import ConfigError
from ihms.payment._frozen import _Frozen
from ihms.payment._names import role_code

if TYPE_CHECKING:
    from ihms.payment.rules import PaymentRules

__all__ = [
    "CappedRatioScoring",
    "LinearScoring",
    "Scorecard",
    "ScorecardIndicator",
    "Scoring",
    "StaffPay",
    "ThresholdScoring",
    "check_fraction",
    "scored_indicators",
]

#: Renamed in 0.1.0 (review item M6: ``ihms.indicators`` has a catalogue ``Indicator``);
#: the old name still gives the class, with a DeprecationWarning, for one release.
__getattr__ = renamed_attributes(__name__, {"Indicator": "ScorecardIndicator"}, since="0.1.0")

ONE = Decimal(1)
ZERO = Decimal(0)

#: Scorecard line labels reworded, each digested as it read before, so the built-in
#: rules and the ledgers posted with them keep their digests: the consultation days of a
#: township health centre's doctor are at a village clinic (demo review, 2026-11-25).
LABELS_DIGESTED_AS = {
    "Days consulting at a lower-tier institution (cooperation)": (
        "Days consulting at township health centres (cooperation)"
    ),
}


def _as_digested(line: dict) -> dict:
    """A scorecard line's plain data with its label as the digest reads it."""
    label = line.get("label")
    return {**line, "label": LABELS_DIGESTED_AS.get(label, label)} if label else line


def check_fraction(value: Decimal, name: str, *, upper: Decimal | None = ONE) -> None:
    """Raise ConfigError unless ``0 <= value <= upper``."""
    if value < 0 or (upper is not None and value > upper):
        hi = f" and <= {upper}" if upper is not None else ""
        raise ConfigError(f"{name}: expected a rate >= 0{hi}, got {value}")


@dataclass(frozen=True)
class LinearScoring:
    """0 at or beyond ``floor``, 1 at or beyond ``target``, linear in between. If
    ``target < floor`` lower values are better (e.g. a cost indicator)."""

    floor: Decimal
    target: Decimal
    kind: Literal["linear"] = "linear"

    def __post_init__(self) -> None:
        if self.floor == self.target:
            raise ConfigError(f"linear scoring: floor and target are both {self.floor}")

    def score(self, value: Decimal) -> Decimal:
        """The score: ``(value − floor) / (target − floor)`` clipped to 0..1.

        Parameters
        ----------
        value : Decimal
            The indicator's value, in the indicator's own unit (rates as fractions).
        """
        s = (value - self.floor) / (self.target - self.floor)
        return min(max(s, ZERO), ONE)


@dataclass(frozen=True)
class ThresholdScoring:
    """1 if the value is at least (or at most) ``threshold``, else 0."""

    threshold: Decimal
    direction: Literal["at_least", "at_most"] = "at_least"
    kind: Literal["threshold"] = "threshold"

    def __post_init__(self) -> None:
        if self.direction not in ("at_least", "at_most"):
            raise ConfigError(
                f"threshold scoring: direction must be 'at_least' or 'at_most', got {self.direction!r}"
            )

    def score(self, value: Decimal) -> Decimal:
        """The score: 1 if ``value`` passes ``threshold`` in ``direction``, else 0.

        Parameters
        ----------
        value : Decimal
            The indicator's value, in the indicator's own unit (rates as fractions).
        """
        ok = value >= self.threshold if self.direction == "at_least" else value <= self.threshold
        return ONE if ok else ZERO


@dataclass(frozen=True)
class CappedRatioScoring:
    """``value / target``, floored at 0 and capped at ``cap`` (1 = no extra credit)."""

    target: Decimal
    cap: Decimal = ONE
    kind: Literal["capped_ratio"] = "capped_ratio"

    def __post_init__(self) -> None:
        if self.target <= 0:
            raise ConfigError(f"capped_ratio scoring: target must be > 0, got {self.target}")
        if self.cap <= 0:
            raise ConfigError(f"capped_ratio scoring: cap must be > 0, got {self.cap}")

    def score(self, value: Decimal) -> Decimal:
        """The score: ``value / target`` clipped to 0..cap.

        Parameters
        ----------
        value : Decimal
            The indicator's value, in the indicator's own unit (rates as fractions).
        """
        return min(max(value / self.target, ZERO), self.cap)


Scoring = LinearScoring | ThresholdScoring | CappedRatioScoring


@dataclass(frozen=True)
class ScorecardIndicator:
    """One indicator of a scorecard (a line of the card; ``indicators:`` under each card
    in a rule file): an indicator id (as in the values table), a label, a weight and how a
    value becomes a score between 0 and 1 (or up to a capped ratio's cap).

    Named ``Indicator`` before ihms 0.1.0; that name still gives this class, with a
    DeprecationWarning, until the next release (:class:`ihms.indicators.Indicator` is
    the catalogue's, a different thing)."""

    id: str
    label: str
    weight: Decimal
    scoring: Scoring

    def __post_init__(self) -> None:
        if not self.id:
            raise ConfigError("scorecard indicator: id must not be empty")
        check_fraction(self.weight, f"indicator {self.id!r} weight")


@dataclass(frozen=True)
class Scorecard:
    """A weighted scorecard with a pass mark (0–1) for one role."""

    role: str
    indicators: tuple[ScorecardIndicator, ...]
    pass_mark: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))
        if not self.indicators:
            raise ConfigError(f"scorecard {self.role!r}: needs at least one indicator")
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ConfigError(f"scorecard {self.role!r}: duplicate indicator in {ids}")
        total = sum((i.weight for i in self.indicators), ZERO)
        if total != 1:
            listed = ", ".join(f"{i.id} {i.weight}" for i in self.indicators)
            raise ConfigError(
                f"scorecard {self.role!r}: weights must add up to 1, got {total} ({listed})"
            )
        check_fraction(self.pass_mark, f"scorecard {self.role!r} pass_mark")


@dataclass(frozen=True)
class StaffPay:
    """How staff are paid.

    ``method="annual_salary"`` (Sanming's ASS): annual salary = base × factor, factor
    linear from ``factor_at_zero`` (score 0) to ``factor_at_full`` (score 1, scores above
    1 are capped); the staff-incentive share of the balance is shared among staff in
    proportion to weight × score. ``method="volume"``: paid by service volume; no
    scorecards are computed.

    ``other_roles`` names the card that scores staff whose role has no card of its own
    (nurses, technicians, … under a rule file carding directors and doctors only); None
    (the default): such a roster is refused.

    ``scorecards`` is kept as a read-only mapping keyed by role code (assigning to it
    raises TypeError), so no card escapes the check of its role.
    """

    method: Literal["annual_salary", "volume"]
    scorecards: Mapping[str, Scorecard] = field(default_factory=dict)
    factor_at_zero: Decimal = ONE
    factor_at_full: Decimal = ONE
    other_roles: str | None = None
    #: each card's key as the rule file wrote it (role code → 医生), for the digest only
    written: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.method not in ("annual_salary", "volume"):
            raise ConfigError(
                f"staff_pay.method: expected 'annual_salary' or 'volume', got {self.method!r}"
            )
        if self.method == "annual_salary" and not self.scorecards:
            raise ConfigError("staff_pay: the annual salary system needs at least one scorecard")
        if self.factor_at_zero < 0 or self.factor_at_full < 0:
            raise ConfigError("staff_pay: salary factors must be >= 0")
        cards: dict[str, Scorecard] = {}
        written: dict[str, str] = {}
        for role, card in self.scorecards.items():
            code = role_code(role)
            if role_code(card.role) != code:
                raise ConfigError(f"staff_pay: scorecard under {role!r} says role {card.role!r}")
            if code in cards:
                raise ConfigError(
                    f"staff_pay: scorecards {written[code]!r} and {role!r} are both the "
                    f"{code}'s card (a roster's role is read so); keep one"
                )
            cards[code] = card if card.role == code else replace(card, role=code)
            written[code] = self.written.get(code, role) if role == code else role
        # keyed as a roster's role is read (医生 → doctor): a card keyed 医生 finds them
        object.__setattr__(self, "scorecards", _Frozen(cards, "StaffPay.scorecards"))
        object.__setattr__(self, "written", _Frozen(written, "StaffPay.written"))
        if self.other_roles is not None:
            other = role_code(self.other_roles)
            if other not in cards:
                raise ConfigError(
                    f"staff_pay.other_roles: {self.other_roles!r} is no scorecard of the "
                    f"rules (scorecards: {', '.join(cards) or 'none'}); name the card that "
                    "scores staff whose role has none of its own"
                )
            object.__setattr__(self, "other_roles", other)

    def card_for(self, role: str) -> Scorecard | None:
        """The card scoring ``role``: its own, else the ``other_roles`` card, else None.

        Parameters
        ----------
        role : str
            A roster's role as read (``doctor``, ``nurse``).
        """
        card = self.scorecards.get(role_code(role))
        if card is None and self.other_roles is not None:
            return self.scorecards[self.other_roles]
        return card

    def digest_data(self, data: dict) -> dict:
        """``data`` (this object's plain data) as the digest reads it: each card under the
        key, and with the role, its rule file wrote (医生), as before keys were read as
        roles, so a ledger posted with such a file keeps its input digest.

        Parameters
        ----------
        data : dict
            This object's part of :meth:`ihms.payment.PaymentRules.to_dict`.
        """
        cards = data.get("scorecards") or {}
        data = dict(data)
        if data.get("other_roles") is None:
            # new: rules without it keep the digest they had (and their ledgers)
            data.pop("other_roles", None)
        data["scorecards"] = {
            self.written.get(code, code): {
                **card,
                "role": self.written.get(code, code),
                "indicators": [_as_digested(i) for i in card.get("indicators", [])],
            }
            for code, card in cards.items()
        }
        return data

    def factor(self, score: Decimal) -> Decimal:
        """The salary factor: linear from ``factor_at_zero`` to ``factor_at_full``.

        Parameters
        ----------
        score : Decimal
            A scorecard total (0 to 1); values outside are clipped to 0..1.
        """
        s = min(max(score, ZERO), ONE)
        return self.factor_at_zero + (self.factor_at_full - self.factor_at_zero) * s


def scored_indicators(*rules: PaymentRules) -> set[str]:
    """The ids of the indicators the scorecards of ``rules`` score, every card's lines
    together (the director's and the staff's alike).

    Parameters
    ----------
    *rules : PaymentRules
        One rule set or several (the ids any of them scores).

    Returns
    -------
    set of str
        Empty for rules without scorecards (staff paid by volume).

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> sorted(scored_indicators(load_rules("sanming")))[:2]
    ['diabetes_control_rate', 'fund_balance_rate']
    """
    return {
        line.id
        for rule_set in rules
        for card in rule_set.staff_pay.scorecards.values()
        for line in card.indicators
    }
