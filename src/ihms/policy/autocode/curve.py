"""Learning curve: machine-vs-human kappa on unseen documents against the number of
hand-coded segments (:func:`learning_curve`; :func:`~ihms.policy.autocode.
simulate_active_learning` fills the same table for active vs random choice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy.autocode._cross_validation import (
    fold_coder,
    joined_answers,
    masked_codes,
    take_rows,
    whole_answer_kappa,
)
from ihms.policy.autocode._evaluation_zh import CURVE_ZH
from ihms.policy.autocode._folds import document_folds
from ihms.policy.autocode._segments import CodeSet, SegmentBatch, as_segments, parse_codes
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["LearningCurve", "fold_answers", "fold_kappa", "learning_curve", "pooled_kappas"]

#: The curve's words in English, by the keys of :data:`~ihms.policy.autocode.
#: _evaluation_zh.CURVE_ZH` (a strategy's name stays as it is).
CURVE_EN = {
    "hand-coded segments": "hand-coded segments",
    "title": "Learning curve: kappa of the machine vs the reconciled human codes on unseen documents",
    "axis": "Cohen's kappa, machine vs reconciled human codes",
    "band": "pooled over folds; band: min–max of single folds",
    "human": "human vs human (pooled)",
    "target": "target {target:g}",
    "kappa of": "kappa ({s})",
    "folds of": "folds min–max ({s})",
    "pooled": "kappa over the held-out segments of the {folds} folds pooled, as the human "
    "coders' kappa is pooled over segments",
    "mean": "mean of the {folds} folds' kappas",
    "note": "Each point trains on that many hand-coded segments and is scored on "
    "held-out documents: {kind}; min–max: the single folds.",
}
_CURVE_WORDS = {"en": CURVE_EN, "zh": CURVE_ZH}


@dataclass(frozen=True, eq=False)
class LearningCurve(SummaryHtml):
    """Machine-vs-human kappa against the number of hand-coded segments.

    Attributes
    ----------
    points
        Columns ``strategy``, ``n_coded``, ``repeat`` (the fold), ``kappa`` (on that
        fold's held-out segments).
    pooled
        Columns ``strategy``, ``n_coded``, ``kappa``: one kappa over the held-out
        segments of every fold together, as the headline kappa of
        :func:`~ihms.policy.autocode.evaluate_coder` and the human coders' kappa are
        pooled over segments (None: the curve is the mean of the folds' kappas).
    """

    points: pd.DataFrame
    pooled: pd.DataFrame | None = None

    def __repr__(self) -> str:
        # the generated repr printed every point
        p = self.points
        return brief_repr(
            self,
            strategies=tuple(p["strategy"].unique()),
            sizes=tuple(int(n) for n in sorted(p["n_coded"].unique())),
            repeats=p["repeat"].nunique(),
        )

    def mean(self) -> pd.DataFrame:
        """Mean kappa per strategy and number of coded segments."""
        return self.points.groupby(["strategy", "n_coded"], as_index=False)["kappa"].mean()

    def curve(self) -> pd.DataFrame:
        """Per strategy and number of hand-coded segments: ``kappa`` (pooled over the
        folds' held-out segments when :attr:`pooled` is there, else the mean of the
        folds), ``kappa_min`` and ``kappa_max`` (the spread of the single folds) and
        ``folds``."""
        by = self.points.groupby(["strategy", "n_coded"])["kappa"]
        out = by.agg(kappa_min="min", kappa_max="max", folds="count").reset_index()
        central = self.mean() if self.pooled is None else self.pooled
        out = out.merge(central, on=["strategy", "n_coded"], how="left")
        return out[["strategy", "n_coded", "kappa", "kappa_min", "kappa_max", "folds"]]

    def segments_to_reach(self, target: float) -> dict[str, float | None]:
        """Hand-coded segments each strategy needs before its kappa reaches
        ``target``: read off :meth:`curve` (pooled, or the mean of the folds),
        linearly interpolated between the two
        points that straddle the target; ``None`` when the curve never gets there.

        A target the first point already meets returns that point's size, which tells
        strategies apart only if they start below it: pick a target the curves have to
        climb to (e.g. the random curve's last kappa minus a small margin).

        Parameters
        ----------
        target : float
            The Cohen's kappa to reach.

        Returns
        -------
        dict
            ``strategy → segments`` (a float, interpolated) or None.

        Examples
        --------
        >>> pts = pd.DataFrame({"strategy": ["a", "a", "a"], "n_coded": [100, 200, 300],
        ...                     "repeat": 0, "kappa": [0.40, 0.50, 0.70]})
        >>> LearningCurve(pts).segments_to_reach(0.6)
        {'a': 250.0}
        """
        out: dict[str, float | None] = {}
        for strategy, part in self.curve().groupby("strategy"):
            n = part["n_coded"].to_numpy(dtype=float)
            k = part["kappa"].to_numpy(dtype=float)
            hit = np.flatnonzero(k >= target)
            if len(hit) == 0:
                out[str(strategy)] = None
            elif hit[0] == 0:
                out[str(strategy)] = float(n[0])
            else:
                i = hit[0]
                share = (target - k[i - 1]) / (k[i] - k[i - 1])
                out[str(strategy)] = float(n[i - 1] + share * (n[i] - n[i - 1]))
        return out

    def summary(self, *, lang: str = "en") -> SummaryTable:
        """One kappa column and one fold-range column per strategy, one row per number
        of coded segments.

        Parameters
        ----------
        lang : {"en", "zh"}
            The language of the headers, title and note.
        """
        from ihms._words import check_lang

        check_lang(lang)
        w = _CURVE_WORDS[lang]
        c = self.curve()
        wide = c.pivot(index="n_coded", columns="strategy", values="kappa")
        wide.columns = [w["kappa of"].format(s=w.get(str(s), str(s))) for s in wide.columns]
        for strategy, part in c.groupby("strategy"):
            part = part.set_index("n_coded")
            head = w["folds of"].format(s=w.get(str(strategy), str(strategy)))
            wide[head] = [
                f"{a:.3f}–{b:.3f}"
                for a, b in zip(part["kappa_min"], part["kappa_max"], strict=True)
            ]
        wide.index.name = w["hand-coded segments"]
        folds = int(c["folds"].max()) if len(c) else 0
        kind = w["pooled" if self.pooled is not None else "mean"].format(folds=folds)
        return SummaryTable(
            wide, title=w["title"], notes=(w["note"].format(kind=kind),), digits=3, lang=lang
        )

    def figure(
        self, *, target: float | None = None, human_kappa: float | None = None, lang: str = "en"
    ) -> Figure:
        """Line chart of kappa against hand-coded segments, one line per strategy.

        Parameters
        ----------
        target : float, optional
            Draw this kappa as a dotted horizontal line.
        human_kappa : float, optional
            Draw the human coders' kappa as a dashed horizontal line.
        lang : {"en", "zh"}
            The language of the axes, legend and title (Chinese drawn in the CJK font).
        """
        import matplotlib

        from ihms._words import check_lang

        check_lang(lang)
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        w = _CURVE_WORDS[lang]
        if lang == "zh":
            from ihms.fonts import use_cjk_font

            use_cjk_font()
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        for strategy, part in self.curve().groupby("strategy"):
            label = w.get(str(strategy), str(strategy))
            (line,) = ax.plot(part["n_coded"], part["kappa"], marker="o", label=label)
            ax.fill_between(
                part["n_coded"], part["kappa_min"], part["kappa_max"], color=line.get_color(),
                alpha=0.15, linewidth=0,
            )  # fmt: skip
        if human_kappa is not None:
            ax.axhline(human_kappa, color="grey", linestyle="--", label=w["human"])
        if target is not None:
            label = w["target"].format(target=target)
            ax.axhline(target, color="grey", linestyle=":", label=label)
        ax.set_xlabel(w["hand-coded segments"])
        ax.set_ylabel(w["axis"])
        if self.pooled is not None:
            ax.set_title(w["band"], fontsize=9)
        ax.legend(loc="lower right")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig


def learning_curve(
    coder: Any,
    X: Any,
    y: Any,
    *,
    sizes: Any,
    n_splits: int = 5,
    random_state: int = 0,
) -> LearningCurve:
    """Kappa on held-out documents when training on random subsets of growing size.

    For every grouped fold, the training documents' coded segments are shuffled once
    (seeded) and the first ``size`` of them are used, so larger sizes extend smaller
    ones; the other training segments stay in as uncoded text.

    Parameters
    ----------
    coder : estimator
        An unfitted coder (:class:`LearnedCoder` or any classifier taking segments).
    X : DataFrame or sequence of str
        Segments, with a ``doc`` column to fold by document.
    y : array-like
        Human codes, one per segment; None for uncoded segments.
    sizes : iterable of int
        Numbers of coded training segments to try, e.g. ``[100, 200, 400]``.
    n_splits : int, default 5
        Folds grouped by document.
    random_state : int, default 0
        Seed of the folds and of the shuffling.

    Returns
    -------
    LearningCurve
        One point per fold and size (``strategy`` ``"random"``).
    """
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    folds = document_folds(batch, codes, n_splits=n_splits, random_state=random_state)
    rng = np.random.default_rng(random_state)
    records = []
    answers: dict = {}
    for k, (train, test) in enumerate(folds):
        order = rng.permutation(train)
        for size in sizes:
            keep = np.zeros(len(batch), dtype=bool)
            keep[order[: int(size)]] = True
            got = _score_subset(coder, X, y, codes, batch, keep, test)
            kappa = float("nan") if got is None else whole_answer_kappa(*got)
            if got is not None:
                answers.setdefault(("random", int(size)), []).append(got)
            records.append(
                {"strategy": "random", "n_coded": int(size), "repeat": k, "kappa": kappa}
            )
    return LearningCurve(pd.DataFrame(records), pooled_kappas(answers))


def _score_subset(
    coder: Any,
    X: Any,
    y: Any,
    codes: CodeSet,
    batch: SegmentBatch,
    keep: np.ndarray,
    test: np.ndarray,
) -> tuple[list[str], list[str]] | None:
    """Train on the coded rows in ``keep`` (everything else uncoded) and return the
    human and machine answers on ``test``; None when the subset is too small to train
    on."""
    model = fold_coder(coder)
    try:
        model.fit(X, masked_codes(y, codes, ~keep))
    except InputError:
        return None
    doc_rows = np.flatnonzero(np.isin(batch.docs, np.unique(batch.docs[test])))
    pred = model.predict(take_rows(X, doc_rows))[np.searchsorted(doc_rows, test)]
    return fold_answers(codes, test, pred, model.classes_)


def fold_answers(
    codes: CodeSet, test: np.ndarray, pred: np.ndarray, classes: np.ndarray
) -> tuple[list[str], list[str]]:
    """The human and machine answers on the rows ``test`` as text (multi-label: whole
    answers, ``;``-joined; a category the model never learned counts as absent)."""
    if codes.multilabel:
        assert codes.indicator is not None
        cols = {str(c): j for j, c in enumerate(classes)}
        machine = np.zeros((len(test), len(codes.classes)), dtype=np.int8)
        for j, c in enumerate(codes.classes):
            if str(c) in cols:
                machine[:, j] = pred[:, cols[str(c)]]
        return joined_answers(codes.indicator[test], codes.classes), joined_answers(
            machine, codes.classes
        )
    assert codes.labels is not None
    return list(codes.labels[test].astype(str)), list(pred.astype(str))


def fold_kappa(codes: CodeSet, test: np.ndarray, pred: np.ndarray, classes: np.ndarray) -> float:
    """Machine-vs-human kappa on the rows ``test`` (multi-label: whole answers; a
    category the model never learned counts as absent)."""
    return whole_answer_kappa(*fold_answers(codes, test, pred, classes))


def pooled_kappas(answers: dict) -> pd.DataFrame:
    """``strategy, n_coded, kappa`` from ``{(strategy, n_coded): [(human, machine), ...]}``
    — one kappa over the answers of every fold."""
    rows = []
    for (strategy, n), parts in answers.items():
        human = [a for h, _m in parts for a in h]
        machine = [a for _h, m in parts for a in m]
        rows.append(
            {"strategy": strategy, "n_coded": n, "kappa": whole_answer_kappa(human, machine)}
        )
    return pd.DataFrame(rows, columns=["strategy", "n_coded", "kappa"])
