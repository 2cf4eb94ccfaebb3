"""The quality gate of a shared-savings rule (:class:`QualityGate`, re-exported from
:mod:`ihms.payment.rules`): the scores it is given and the combinations that mean
something. What it leaves of the sharing rate is :mod:`ihms.payment._quality_gate`'s."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ihms.errors import ConfigError

__all__ = ["QualityGate"]


@dataclass(frozen=True)
class QualityGate:
    """Quality gate on shared savings.

    ``standard`` is the quality score (0–1) that earns the full sharing rate; ``None``
    means the payer determines it (as CMS does, from percentiles) and the settlement
    input must say whether it was met. With ``sliding_scale`` an organisation that misses
    the standard but meets the alternative one (``alternative`` score, or the input flag)
    earns ``sharing rate × quality score`` (the MSSP sliding scale from performance year
    2023, CY 2023 PFS final rule, 87 FR 69404).

    ``alternative`` is the sliding scale's only: given without ``sliding_scale`` it is
    refused (nothing would read it), and so is an alternative score at or above a
    ``standard`` score (a score missing the standard would miss it too, and the scale
    would never apply): the alternative standard is the lower bar.
    """

    standard: Decimal | None = None
    sliding_scale: bool = False
    alternative: Decimal | None = None

    def __post_init__(self) -> None:
        # a score is 0–1: a standard of 1.5 could never be met, and an alternative one
        # of 1.5 would leave the sliding scale dead without a word
        for name in ("standard", "alternative"):
            score = getattr(self, name)
            number = isinstance(score, (Decimal, int, float)) and not isinstance(score, bool)
            number = number and score == score  # a NaN is no score (Decimal's would raise)
            if score is not None and not (number and 0 <= score <= 1):
                shown = score if number else repr(score)  # a text '0.5' shows its quotes
                raise ConfigError(
                    f"shared_savings.quality.{name}: expected a quality score >= 0 and "
                    f"<= 1 (0% to 100%), got {shown}"
                )
        if self.alternative is None:
            return
        if not self.sliding_scale:
            raise ConfigError(
                f"shared_savings.quality.alternative: {self.alternative} is the alternative "
                "standard of the sliding scale, but sliding_scale is off, so nothing "
                "would read it; turn sliding_scale on, or leave alternative out"
            )
        if self.standard is not None and self.alternative >= self.standard:
            raise ConfigError(
                f"shared_savings.quality.alternative: expected a score below the standard "
                f"{self.standard} (the lower bar of the sliding scale), got "
                f"{self.alternative}: a score missing the standard would miss it too, so "
                "the sliding scale could never apply"
            )
