"""The result of a shared-savings year (:class:`SharedSavingsResult`) and how it reads;
the arithmetic that fills it is :func:`ihms.payment.shared_savings.settle_shared_savings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.payment._audit import AuditStep
from ihms.payment.money import fen_to_yuan, format_rate, format_yuan, percent_shown, shown_against
from ihms.summary import SummaryTable

__all__ = ["SharedSavingsResult", "savings_note"]


@dataclass(frozen=True)
class SharedSavingsResult(SummaryHtml):
    """One year's shared-savings settlement, with every intermediate figure.

    Money is in fen (``int``), rates are fractions (:class:`~decimal.Decimal`).

    Attributes
    ----------
    assigned
        People assigned to the consortium.
    benchmark_per_capita_fen, benchmark_fen
        The benchmark per person and in all (``assigned × per capita``).
    actual_fen
        The assigned people's actual expenditure (total cost of care).
    savings_fen, savings_rate
        ``benchmark − actual`` (negative: losses) and its share of the benchmark.
    msr, mlr
        The minimum savings rate, and the minimum loss rate (``None``: one-sided).
    quality_score, quality_standard_met
        The quality score given (``None``: the payer decided) and whether the quality
        standard was met.
    final_sharing_rate
        The sharing rate after the quality gate (0 when the gate shuts).
    savings_cap_fen, shared_savings_fen
        The cap on shared savings and what the consortium is paid.
    loss_rate, loss_cap_fen, shared_losses_fen
        The shared loss rate (``None``: one-sided), the cap on shared losses and what the
        consortium owes.
    outcome
        What happened, in words (``"savings shared"``, ``"losses shared"``, ...).
    steps
        Every figure with its working (:meth:`summary` shows the main ones).
    """

    assigned: int
    benchmark_per_capita_fen: int
    benchmark_fen: int
    actual_fen: int
    savings_fen: int
    savings_rate: Decimal
    msr: Decimal
    mlr: Decimal | None
    quality_score: Decimal | None
    quality_standard_met: bool | None
    final_sharing_rate: Decimal
    savings_cap_fen: int
    shared_savings_fen: int
    loss_rate: Decimal | None
    loss_cap_fen: int
    shared_losses_fen: int
    outcome: str
    steps: tuple[AuditStep, ...]

    def __repr__(self) -> str:
        # the generated repr printed every audit step's working
        return brief_repr(
            self,
            assigned=self.assigned,
            benchmark_fen=self.benchmark_fen,
            actual_fen=self.actual_fen,
            savings_fen=self.savings_fen,
            shared_savings_fen=self.shared_savings_fen,
            shared_losses_fen=self.shared_losses_fen if self.loss_rate is not None else None,
            outcome=self.outcome,
        )

    @property
    def consortium_result_fen(self) -> int:
        """What the consortium gains: shared savings paid less shared losses owed."""
        return self.shared_savings_fen - self.shared_losses_fen

    @property
    def insurer_saving_fen(self) -> int:
        """What the insurer saves against the benchmark once the consortium is paid (or
        has repaid): ``savings − consortium result``; negative when it bears a loss."""
        return self.savings_fen - self.consortium_result_fen

    def summary(self) -> SummaryTable:
        """The year in yuan: benchmark, actual expenditure, savings, and the split of the
        savings between the consortium and the insurer; the rates and the quality gate
        in the notes."""
        lines = {
            f"benchmark ({self.assigned:,} × {format_yuan(self.benchmark_per_capita_fen)} "
            "per capita)": self.benchmark_fen,
            "actual expenditure (total cost of care)": self.actual_fen,
            "savings (benchmark − actual; negative: losses)": self.savings_fen,
            "cap on shared savings": self.savings_cap_fen,
            "shared savings paid to the consortium": self.shared_savings_fen,
        }
        if self.loss_rate is not None:
            lines["cap on shared losses"] = self.loss_cap_fen
            lines["shared losses owed by the consortium"] = self.shared_losses_fen
        lines["consortium's result"] = self.consortium_result_fen
        lines["insurer's saving (savings − consortium's result)"] = self.insurer_saving_fen
        frame = pd.DataFrame(
            {"yuan": [fen_to_yuan(v) for v in lines.values()]},
            index=pd.Index(list(lines), name="item"),
        )
        gate = next(s.formula for s in self.steps if s.label == "final sharing rate")
        notes = [savings_note(self), f"Quality gate: {gate}."]
        if self.loss_rate is not None and self.mlr is not None:
            mlr = percent_shown(self.mlr, places=2)
            notes.append(
                f"Two-sided: losses of at least the minimum loss rate ({mlr} of the benchmark) "
                f"are shared at {format_rate(self.loss_rate)}."
            )
        notes.append(
            "Exact to the fen: the consortium's result and the insurer's saving add up to "
            "the savings."
        )
        return SummaryTable(
            frame,
            title=f"Shared savings, {self.assigned:,} assigned people (yuan): {self.outcome}",
            notes=tuple(notes),
        )

    def to_dict(self) -> dict:
        """Every figure but the steps (Decimals as strings), for JSON."""
        return {
            k: (str(v) if isinstance(v, Decimal) else v)
            for k, v in self.__dict__.items()
            if k != "steps"
        }


def savings_note(ss: SharedSavingsResult) -> str:
    """Whether the savings rate met the minimum savings rate, and what followed.

    Parameters
    ----------
    ss : SharedSavingsResult
        A settled year.
    """
    rate, msr = ss.savings_rate, ss.msr
    met = ss.savings_fen > 0 and rate >= msr
    # 2 decimals, more where rounding would put the rate on the minimum's other side
    shown = shown_against(Decimal(rate) * 100, Decimal(msr) * 100, 2)
    return (
        f"Savings rate {shown}% {'≥' if rate >= msr else '<'} minimum "
        f"savings rate {percent_shown(msr, places=2)}: {'met' if met else 'not met'}; "
        f"final sharing rate {format_rate(ss.final_sharing_rate)}; outcome: {ss.outcome}."
    )
