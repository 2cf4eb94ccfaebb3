"""Audit steps: every figure of a settlement with the arithmetic that produced it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ihms.payment.money import format_yuan

__all__ = ["AuditStep", "steps_frame"]


@dataclass(frozen=True)
class AuditStep:
    """One line of a settlement's working: ``label = formula = value``.

    ``amount_fen`` is set for money, ``value`` (text) for rates, counts and decisions.
    """

    label: str
    formula: str
    amount_fen: int | None = None
    value: str | None = None

    def shown(self) -> str:
        if self.amount_fen is not None:
            return f"{format_yuan(self.amount_fen)} yuan"
        return self.value or ""


def steps_frame(steps: Sequence[AuditStep]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step": [s.label for s in steps],
            "working": [s.formula for s in steps],
            "result": [s.shown() for s in steps],
            "amount_fen": pd.array([s.amount_fen for s in steps], dtype="Int64"),
        }
    )
