"""How much a machine coder can code at a given agreement, and how much it leaves to people.

A calibrated coder knows when it is unsure. :meth:`TrainedCoder.code
<ihms.policy.autocode.TrainedCoder.code>` can leave a segment for a person when its best
category's probability is below ``min_probability``; :class:`CoverageCurve` shows what
that buys, measured on documents the model never saw: for each cut, the share of
segments the machine would code and its Cohen's kappa with the human codes on exactly
those segments. It is read off the out-of-fold probabilities that
:func:`~ihms.policy.autocode.evaluate_coder` records with ``probabilities=True``.

This is the selective-prediction (risk–coverage) view of a classifier: kappa over *all*
segments stays the coder's headline figure; the curve says how to split the work between
machine and people so that the machine's part meets a bar such as the human–human kappa.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_CUTS",
    "CoverageCurve",
    "NestedCut",
    "answer_probability",
    "coverage_curve",
    "nested_cut",
]

DEFAULT_CUTS = tuple(round(0.05 * k, 2) for k in range(0, 20))
"""Cuts 0, 0.05, ..., 0.95 (0 codes everything)."""


def answer_probability(indicator: Any, proba: Any) -> np.ndarray:
    """Multi-label: the probability that a segment's whole answer is right, taking the
    categories' calibrated yes/no probabilities as independent — the product of ``p``
    for each category given and ``1 - p`` for each left out.

    Examples
    --------
    >>> answer_probability([[1, 0], [0, 0]], [[0.9, 0.2], [0.5, 0.1]]).round(2).tolist()
    [0.72, 0.45]
    """
    indicator = np.asarray(indicator, dtype=bool)
    proba = np.asarray(proba, dtype=float)
    return np.where(indicator, proba, 1.0 - proba).prod(axis=1)


@dataclass(frozen=True, eq=False)
class CoverageCurve(SummaryHtml):
    """Machine-vs-human agreement on the segments coded at each probability cut.

    Attributes
    ----------
    table
        One row per cut: ``min_probability``, ``coded`` (segments the machine codes),
        ``share_coded``, ``left_for_people``, ``kappa`` and ``accuracy`` on the coded
        segments (NaN when fewer than two categories are left to compare).
    n_segments
        Held-out human-coded segments the curve is measured on.
    n_uncalibrated
        Held-out segments left out because their fold's model could not calibrate.
    """

    table: pd.DataFrame
    n_segments: int
    n_uncalibrated: int = 0

    def __repr__(self) -> str:
        # the generated repr printed the table of cuts
        return brief_repr(self, cuts=len(self.table), n_segments=self.n_segments)

    def min_probability_for(self, kappa: float, *, min_coded: int = 30) -> float | None:
        """The lowest cut at which the machine's codes reach ``kappa`` on at least
        ``min_coded`` segments (a kappa on fewer is too noisy to choose by), or None.

        The cut is read off the same cross-validation it is measured on, so the kappa
        at it is slightly optimistic for one chosen value; re-check it on new documents.

        Parameters
        ----------
        kappa : float
            The Cohen's kappa the machine's codes must reach (e.g. the human coders').
        min_coded : int, default 30
            The fewest coded segments a cut's kappa counts on.

        Examples
        --------
        >>> t = pd.DataFrame({"min_probability": [0.0, 0.5, 0.7], "coded": [10, 7, 4],
        ...                   "share_coded": [1.0, 0.7, 0.4], "left_for_people": [0, 3, 6],
        ...                   "kappa": [0.55, 0.68, 0.77], "accuracy": [0.7, 0.8, 0.9]})
        >>> CoverageCurve(t, 10).min_probability_for(0.65, min_coded=1)
        0.5
        >>> CoverageCurve(t, 10).min_probability_for(0.65) is None  # 7 segments: too few
        True
        """
        t = self.table
        hit = t.loc[(t["kappa"] >= kappa) & (t["coded"] >= min_coded), "min_probability"]
        return None if hit.empty else float(hit.iloc[0])

    def at(self, min_probability: float) -> pd.Series:
        """The row of the highest cut not above ``min_probability``.

        Parameters
        ----------
        min_probability : float
            A probability cut (0 to 1), at least the table's lowest cut.

        Raises
        ------
        InputError
            ``min_probability`` is below the lowest cut.
        """
        rows = self.table[self.table["min_probability"] <= min_probability + 1e-12]
        if rows.empty:
            raise InputError(
                f"parameter 'min_probability': expected at least {self.table['min_probability'].min():g}, "
                f"got {min_probability!r}"
            )
        return rows.iloc[-1]

    def describe(self, kappa: float, *, min_coded: int = 30) -> str:
        """One sentence: at which cut the machine reaches ``kappa`` and what it leaves.

        Parameters
        ----------
        kappa : float
            The Cohen's kappa the machine's codes must reach (e.g. the human coders').
        min_coded : int, default 30
            The fewest coded segments a cut's kappa counts on.
        """
        cut = self.min_probability_for(kappa, min_coded=min_coded)
        if cut is None:
            return (
                f"At no cut do the machine's codes reach kappa {kappa:.3f} on "
                f"{min_coded} or more segments."
            )
        row = self.at(cut)
        return (
            f"With min_probability {cut:g} the machine codes {row['share_coded']:.0%} of "
            f"segments at kappa {row['kappa']:.3f} (>= {kappa:.3f}) and leaves "
            f"{int(row['left_for_people']):,} of {self.n_segments:,} to a person."
        )

    def summary(
        self, *, kappa: float | None = None, nested: NestedCut | None = None
    ) -> SummaryTable:
        """The table; with ``kappa``, a note saying where that bar is reached.

        Parameters
        ----------
        kappa : float, optional
            A kappa bar to describe (:meth:`describe`, at least 30 coded segments).
        nested : NestedCut, optional
            The same bar chosen without seeing the scored documents, described below.
        """
        frame = self.table.set_index("min_probability")
        frame.index = pd.Index([f"{c:.2f}" for c in frame.index], name="min_probability")
        notes = [
            "Out-of-fold probabilities: each segment's document was unseen in training. "
            "Kappa and accuracy are on the segments the machine codes at that cut.",
        ]
        if kappa is not None:
            notes.append(
                self.describe(kappa) + " This cut is chosen and scored on the same "
                "predictions, so its kappa and share coded are upper figures; a cut chosen "
                "inside each fold (nested_cut) shows what to expect on new documents."
            )
        if self.n_uncalibrated:
            notes.append(
                f"{self.n_uncalibrated:,} held-out segments are left out: their fold's model "
                "could not calibrate its probabilities."
            )
        if nested is not None:
            notes.append(nested.describe())
        return SummaryTable(
            frame,
            title=f"Coverage: what the machine codes at each probability cut ({self.n_segments:,} segments)",
            notes=tuple(notes),
            formats={
                "share_coded": "{:.1%}".format,
                "kappa": "{:.3f}".format,
                "accuracy": "{:.3f}".format,
            },
        )

    def figure(self, *, kappa: float | None = None) -> Figure:
        """Kappa on the coded segments against the share coded, one point per cut.

        Parameters
        ----------
        kappa : float, optional
            Draw this kappa as a dashed horizontal line.
        """
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        ax.plot(self.table["share_coded"], self.table["kappa"], marker="o")
        if kappa is not None:
            ax.axhline(kappa, color="grey", linestyle="--", label=f"kappa {kappa:.3f}")
            ax.legend(loc="lower left")
        ax.set_xlabel("share of segments the machine codes")
        ax.set_ylabel("Cohen's kappa on those segments")
        ax.invert_xaxis()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_segments": self.n_segments,
            "n_uncalibrated": self.n_uncalibrated,
            "table": self.table.to_dict(orient="records"),
        }


def coverage_curve(
    human: Any, machine: Any, probability: Any, *, cuts: Any = DEFAULT_CUTS
) -> CoverageCurve:
    """Kappa and accuracy of ``machine`` against ``human`` on the segments whose
    ``probability`` is at least each cut.

    Parameters
    ----------
    human, machine
        Aligned codes, one per segment.
    probability
        The machine's probability for its own code, per segment (multi-label: for its
        whole answer, :func:`answer_probability`).
    cuts
        Probability cuts, each in [0, 1].

    Examples
    --------
    Four segments; the two the machine is surer of are both right:

    >>> c = coverage_curve(["a", "b", "a", "b"], ["a", "b", "a", "a"],
    ...                    [0.9, 0.8, 0.4, 0.3], cuts=[0, 0.5])
    >>> c.table[["min_probability", "coded", "kappa"]].to_dict(orient="records")
    [{'min_probability': 0.0, 'coded': 4, 'kappa': 0.5}, {'min_probability': 0.5, 'coded': 2, 'kappa': 1.0}]
    """
    from ihms.policy.autocode._cross_validation import machine_human_kappa

    human = np.asarray(human, dtype=object).astype(str)
    machine = np.asarray(machine, dtype=object).astype(str)
    prob = np.asarray(probability, dtype=float)
    if not (len(human) == len(machine) == len(prob)):
        raise InputError(
            f"coverage: human ({len(human)}), machine ({len(machine)}) and probability "
            f"({len(prob)}) must have one value per segment"
        )
    if np.isnan(prob).any():
        raise InputError(
            "coverage: some segments have no probability (evaluate with probabilities=True "
            "and a calibrated coder)"
        )
    cuts = sorted(float(c) for c in cuts)
    if not cuts or cuts[0] < 0 or cuts[-1] > 1:
        raise InputError(f"parameter 'cuts': expected probabilities in [0, 1], got {cuts!r}")
    rows = []
    for cut in cuts:
        keep = prob >= cut
        h, m = human[keep], machine[keep]
        kappa = np.nan
        if len(set(h) | set(m)) >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kappa = machine_human_kappa(h, m, categories=sorted(set(h) | set(m)))
        rows.append(
            {
                "min_probability": cut,
                "coded": int(keep.sum()),
                "share_coded": float(keep.mean()) if len(keep) else np.nan,
                "left_for_people": int((~keep).sum()),
                "kappa": kappa,
                "accuracy": float((h == m).mean()) if len(h) else np.nan,
            }
        )
    return CoverageCurve(pd.DataFrame(rows), n_segments=len(human))


@dataclass(frozen=True, eq=False)
class NestedCut:
    """The coverage cut chosen without looking at the documents it is scored on.

    For every outer fold the cut is chosen on an inner cross-validation of that fold's
    training documents alone (:meth:`CoverageCurve.min_probability_for` the target),
    then applied to the fold's held-out documents; the held-out segments the machine
    codes at their fold's cut are pooled. Kappa and share coded here are what choosing
    a cut by cross-validation delivers on new documents, where reading both off the
    same predictions flatters them.

    Attributes
    ----------
    target
        The kappa the cut had to reach (e.g. the human coders').
    cuts
        Per outer fold, the cut its training documents chose (None: no cut reached the
        target there, and the machine codes none of that fold's segments).
    coded, n_segments, kappa, accuracy
        Held-out segments coded at their fold's cut, of all held-out segments, and
        kappa / accuracy on them (NaN when fewer than two categories are left).
    inner_splits
        Folds of each inner cross-validation.
    uncalibrated_folds
        Outer folds (from 1) whose model could not calibrate: no cut, nothing coded.
    """

    target: float
    cuts: tuple[float | None, ...]
    coded: int
    n_segments: int
    kappa: float
    accuracy: float
    inner_splits: int
    uncalibrated_folds: tuple[int, ...] = ()

    def __repr__(self) -> str:
        return brief_repr(
            self, target=round(self.target, 3), cuts=self.cuts, coded=self.coded,
            n_segments=self.n_segments, kappa=round(self.kappa, 3),
        )  # fmt: skip

    @property
    def share_coded(self) -> float:
        return self.coded / self.n_segments if self.n_segments else float("nan")

    def describe(self) -> str:
        """One sentence for a table's notes."""
        cuts = ", ".join("none" if c is None else f"{c:g}" for c in self.cuts)
        kappa = "no kappa" if np.isnan(self.kappa) else f"kappa {self.kappa:.3f}"
        if self.uncalibrated_folds:
            folds = ", ".join(map(str, self.uncalibrated_folds))
            return self._describe(cuts, kappa) + (
                f" Fold{'s' if len(self.uncalibrated_folds) > 1 else ''} {folds} could not "
                "calibrate: no cut there, the segments left for people."
            )
        return self._describe(cuts, kappa)

    def _describe(self, cuts: str, kappa: str) -> str:
        if all(c is None for c in self.cuts):
            return (
                f"Nested choice: in no fold did the training documents' own "
                f"{self.inner_splits}-fold cross-validation find a cut reaching kappa "
                f"{self.target:.3f}; the machine would code nothing at that bar."
            )
        return (
            f"Nested choice (honest): each fold's cut chosen on its training documents' own "
            f"{self.inner_splits}-fold cross-validation to reach kappa {self.target:.3f} "
            f"(cuts {cuts}) codes {self.share_coded:.0%} of the held-out segments "
            f"({self.coded:,} of {self.n_segments:,}) at {kappa}: the figure to report, "
            "since a cut chosen and scored on the same predictions flatters the machine."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_kappa": self.target,
            "cuts": list(self.cuts),
            "coded": self.coded,
            "n_segments": self.n_segments,
            "share_coded": self.share_coded,
            "kappa": self.kappa,
            "accuracy": self.accuracy,
            "inner_splits": self.inner_splits,
            "uncalibrated_folds": list(self.uncalibrated_folds),
        }


def nested_cut(
    evaluation: Any,
    coder: Any,
    X: Any,
    y: Any,
    *,
    target: float,
    inner_splits: int = 3,
    random_state: int = 0,
    min_coded: int = 30,
    twins_together: bool = False,
) -> NestedCut:
    """Choose the ``min_probability`` cut inside each outer fold and score it on the
    fold's held-out documents (see :class:`NestedCut`).

    Parameters
    ----------
    evaluation : CoderEvaluation
        :func:`~ihms.policy.autocode.evaluate_coder` of ``coder`` on ``X``, ``y`` with
        ``probabilities=True`` (its folds are reused).
    coder, X, y
        As given to that evaluation.
    target : float
        The kappa the machine's part must reach.
    inner_splits : int, default 3
        Folds of the inner cross-validation (by document) on each fold's training
        documents.
    random_state : int, default 0
        Seed of the inner folds.
    min_coded : int, default 30
        As :meth:`CoverageCurve.min_probability_for`, on the inner predictions.
    twins_together : bool, default False
        Keep twin documents in one inner fold, as the outer evaluation did (pass the
        same value): otherwise a copied paragraph flatters the inner kappa and the cut.
    """
    from ihms.policy.autocode._cross_validation import fold_coder, masked_codes
    from ihms.policy.autocode._segments import as_segments, parse_codes
    from ihms.policy.autocode.evaluate import evaluate_coder

    pred = evaluation.predictions
    if "probability" not in pred:
        raise InputError("nested cut: evaluate with probabilities=True (CLI: --coverage)")
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    keep = np.zeros(len(pred), dtype=bool)
    cuts: list[float | None] = []
    uncalibrated: list[int] = []
    for fold in sorted(pred["fold"].unique()):
        mine = (pred["fold"] == fold).to_numpy()
        held_out = np.isin(batch.docs, pred.loc[mine, "doc"].unique())
        if pred.loc[mine, "probability"].isna().all():
            cuts.append(None)  # this fold's model could not calibrate: no cut applies
            uncalibrated.append(int(fold) + 1)
            continue
        inner = evaluate_coder(
            fold_coder(coder, keep_calibration=True), X, masked_codes(y, codes, held_out),
            n_splits=inner_splits, random_state=random_state, probabilities=True,
            twins_together=twins_together,
        )  # fmt: skip
        try:
            cut = inner.coverage().min_probability_for(target, min_coded=min_coded)
        except InputError:  # no inner model could calibrate
            cut = None
        cuts.append(cut)
        if cut is not None:
            keep |= mine & (pred["probability"].to_numpy() >= cut)
    h = pred["human"].to_numpy().astype(str)[keep]
    m = pred["machine"].to_numpy().astype(str)[keep]
    kappa = float("nan")
    if len(set(h) | set(m)) >= 2:
        from ihms.policy.autocode._cross_validation import machine_human_kappa

        kappa = machine_human_kappa(h, m, categories=sorted(set(h) | set(m)))
    return NestedCut(
        target=float(target), cuts=tuple(cuts), coded=int(keep.sum()), n_segments=len(pred),
        kappa=kappa, accuracy=float((h == m).mean()) if len(h) else float("nan"),
        inner_splits=inner_splits, uncalibrated_folds=tuple(uncalibrated),
    )  # fmt: skip
