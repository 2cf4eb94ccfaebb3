"""The codes a trained machine coder proposes (:meth:`TrainedCoder.code`'s result).

A model that could not calibrate (too few codes of a category, or all in one document),
or was built not to (``LearnedCoder(calibration=None)``), gives the logistic function of its scores, an order rather than chances: its numbers
are called *scores* here, never probabilities (``calibrated`` False, with the model's
``calibration_note``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.summary import SummaryTable

__all__ = ["MachineCoding", "number_word", "uncalibrated_note"]


def number_word(calibrated: bool) -> str:
    """What a model's per-category number is: ``probability`` when calibrated, else
    ``score`` (the logistic function of its scores, an order rather than chances)."""
    return "probability" if calibrated else "score"


@dataclass(frozen=True, eq=False)
class MachineCoding(SummaryHtml):
    """Codes a machine coder proposes, awaiting a person's acceptance.

    Attributes
    ----------
    codes
        One row per proposed code: ``row``, ``segment``, ``doc``, ``dimension``,
        ``category``, ``probability`` (calibrated, of that category; NaN if the model
        has none; a score, not a probability, when ``calibrated`` is False),
        ``coder`` (``machine:<model id>``), ``model_id``, ``training_size``,
        ``trained_at``, ``codebook_version``.
    n_segments
        Segments read.
    abstained
        Rows (positions) left for a person because their answer's probability is below
        ``min_probability`` (single-label: the coded, best-scoring category's).
    calibrated
        Whether the model's probabilities are calibrated; if not, the ``probability``
        column holds the logistic function of its scores (an order, not chances).
    calibration_note
        Why the model could not calibrate (the model's own note), else None (also for
        a coder built with ``calibration=None``, which was not asked to).
    """

    codes: pd.DataFrame
    n_segments: int
    abstained: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))
    calibrated: bool = True
    calibration_note: str | None = None

    def __repr__(self) -> str:
        # the generated repr printed the codes table
        return brief_repr(
            self, codes=len(self.codes), segments=self.n_segments, abstained=len(self.abstained)
        )

    def summary(self) -> SummaryTable:
        """Proposed codes per category with their mean probability (an uncalibrated
        model's: mean score, and a note saying why it is no probability)."""
        mean = f"mean_{number_word(self.calibrated)}"
        per = self.codes.groupby("category").agg(
            codes=("row", "size"), **{mean: ("probability", "mean")}
        )
        coder = self.codes["coder"].iloc[0] if len(self.codes) else "machine"
        notes = []
        if len(self.abstained):
            notes.append(
                f"{len(self.abstained):,} segments left for a person (below the "
                "probability threshold)."
            )
        if not self.calibrated:
            notes.append(uncalibrated_note(self.calibration_note))
        return SummaryTable(
            per,
            title=f"{coder}: {len(self.codes):,} proposed codes on {self.n_segments:,} segments",
            notes=tuple(notes),
            digits=3,
        )


def uncalibrated_note(calibration_note: str | None) -> str:
    """The note beside an uncalibrated model's scores: they are no probabilities, and
    why: the model's note of why it could not calibrate, or, without one, that it was
    not asked to (a coder built with ``calibration=None``)."""
    if calibration_note:
        return f"Scores, not probabilities (0.10 is no 10% chance): the model's {calibration_note}."
    return (
        "Scores, not probabilities (0.10 is no 10% chance): the model was built without "
        "calibration (calibration=None); they are the logistic function of its scores, an "
        "order rather than chances."
    )
