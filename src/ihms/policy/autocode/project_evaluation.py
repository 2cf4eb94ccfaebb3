"""A machine coder cross-validated inside a coding project, beside its human coders.

:func:`evaluate_on_project` cross-validates by document on the segments people coded
(a machine answer a person accepted is left out: it would grade machines against a
machine's own answer) and computes the machine-vs-human kappa per dimension and
category with the same function as the human–human kappa
(:func:`ihms.stats.agreement.agreement_report`), shown beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import brief_repr
from ihms.policy.autocode.evaluate import CoderEvaluation, evaluate_coder
from ihms.policy.autocode.learned import LearnedCoder
from ihms.policy.autocode.project import NONE, default_coder, learnable, project_codes
from ihms.summary import SummaryTable

__all__ = ["ProjectEvaluation", "evaluate_on_project"]


@dataclass(frozen=True, eq=False)
class ProjectEvaluation:
    """A machine coder cross-validated on a project, beside the human coders.

    Attributes
    ----------
    dimension
        Dimension key.
    evaluation
        The grouped cross-validation (out-of-fold machine codes for every segment
        people coded).
    table
        Per dimension (first row) and category: ``machine vs reconciled kappa``,
        ``human vs human kappa`` (the project's coders on the same segments),
        ``precision``, ``recall``, ``f1``, ``support``.
    human_coders
        The human coders compared.
    labels
        The codebook's names of the dimension and its categories (key -> English
        name), shown by :meth:`summary` as the agreement table shows them.
    n_machine_only
        Segments left out because their only code is a machine answer a person
        accepted.
    """

    dimension: str
    evaluation: CoderEvaluation
    table: pd.DataFrame
    human_coders: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    n_machine_only: int = 0

    def __repr__(self) -> str:
        # the generated repr printed the table and the whole cross-validation
        return brief_repr(
            self,
            dimension=self.dimension,
            machine_kappa=round(self.machine_kappa, 3),
            human_kappa=round(self.human_kappa, 3),
            human_coders=self.human_coders,
            n_training=self.evaluation.n_training,
        )

    @property
    def machine_kappa(self) -> float:
        return float(self.table["machine vs reconciled kappa"].iloc[0])

    @property
    def human_kappa(self) -> float:
        return float(self.table["human vs human kappa"].iloc[0])

    def summary(self) -> SummaryTable:
        """The table with the codebook's names of the dimension and categories."""
        ev = self.evaluation
        frame = self.table.set_index("dimension / category")
        frame.index = pd.Index(
            [
                f"  {self.labels.get(k.strip(), k.strip())}"
                if k.startswith("  ")
                else self.labels.get(k, k)
                for k in frame.index
            ],
            name=frame.index.name,
        )
        return SummaryTable(
            frame,
            title=(
                f"Machine vs human, {self.labels.get(self.dimension, self.dimension)}: "
                f"{ev.n_splits}-fold cross-validation by "
                f"document ({ev.n_documents:,} documents, {ev.n_training:,} segments with final codes)"
            ),
            notes=(
                "Machine: codes for documents the model never saw in training. Kappa per "
                "dimension compares whole answers; per category, present/absent.",
                f"Human vs human: {', '.join(self.human_coders) or 'fewer than two coders'} on "
                "the same segments (ihms.stats.agreement, as the agreement table).",
                *self._machine_only_note(),
                *ev.notes,
            ),
            digits=3,
        )

    def _machine_only_note(self) -> tuple[str, ...]:
        n = self.n_machine_only
        if not n:
            return ()
        return (
            f"Left out: {n:,} segment{'s' if n != 1 else ''} whose only code is a machine "
            "answer a person accepted (a machine is graded against people's codes, not "
            "against an earlier machine's).",
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "machine_kappa": self.machine_kappa,
            "human_kappa": self.human_kappa,
            "human_coders": list(self.human_coders),
            "n_splits": self.evaluation.n_splits,
            "n_documents": self.evaluation.n_documents,
            "n_training": self.evaluation.n_training,
            "n_machine_only": self.n_machine_only,
            "n_twins": self.evaluation.n_twins,
            "kappa_without_twins": self.evaluation.kappa_without_twins,
            "notes": list(self.summary().notes),
            "rows": self._rows(),
        }

    def _rows(self) -> list[dict[str, Any]]:
        """The table's rows with ``dimension`` and ``category`` (None on the
        dimension's own row) for its indented first column."""
        rows = []
        for r in self.table.to_dict(orient="records"):
            key = r.pop("dimension / category")
            category = key.strip() if key.startswith("  ") else None
            rows.append({"dimension": self.dimension, "category": category, **r})
        return rows


def _kappa_rows(long: pd.DataFrame, dim: Any) -> dict[Any, float]:
    """``{None: dimension kappa, category: kappa}`` from ``agreement_report``."""
    from ihms.stats.agreement import agreement_report

    report = agreement_report(
        long, unit="unit", coder="coder", code="code", dimension="dimension",
        multi_label=[dim.key] if dim.multi else False,
    )  # fmt: skip
    rows = report.table[report.table["dimension"] == dim.key]
    return {r.category: float(r.kappa) for r in rows.itertuples()}


def evaluate_on_project(
    project: Any,
    dimension: str,
    *,
    coder: LearnedCoder | None = None,
    scheme: str = "paragraph",
    n_splits: int = 5,
    random_state: int = 0,
    probabilities: bool = False,
    twins_together: bool = False,
) -> ProjectEvaluation:
    """Cross-validate a coder by document on the codes people gave (reconciled; a
    machine answer a person accepted is left out and counted) and set its kappa beside
    the human coders' kappa. ``probabilities=True`` also records each answer's
    probability (multi-label: of the whole answer), for ``evaluation.coverage()``.

    Parameters
    ----------
    project : ihms.policy.Project
        An open coding project.
    dimension : str
        The key of a closed codebook dimension.
    coder : LearnedCoder, optional
        An unfitted coder; None (the default) uses :func:`default_coder` for the
        dimension.
    scheme : str, default "paragraph"
        The segmentation scheme whose segments are used.
    n_splits : int, default 5
        Cross-validation folds (documents stay whole within a fold).
    random_state : int, default 0
        Seed of the fold assignment.
    probabilities : bool, default False
        Also record each held-out answer's calibrated probability (slower).
    twins_together : bool, default False
        Keep documents sharing a paragraph (but for place names and numbers) in one
        fold; see :func:`~ihms.policy.autocode.evaluate_coder`.
    """
    from ihms.policy.coding import codings

    data = project_codes(project, dimension, scheme=scheme, accepted_machine=False)
    dim = data.dimension
    ev = evaluate_coder(
        learnable(coder if coder is not None else default_coder(dim), data.codes),
        data.segments, data.codes, n_splits=n_splits, random_state=random_state,
        probabilities=probabilities, twins_together=twins_together,
    )  # fmt: skip
    pred = ev.predictions
    split = (lambda s: frozenset(v for v in s.split(";") if v)) if dim.multi else (lambda s: s)
    machine = pd.DataFrame(
        {
            "unit": pred["segment"].to_numpy(),
            "dimension": dim.key,
            "machine": [split(v) for v in pred["machine"]],
            "reconciled": [split(v) for v in pred["human"]],
        }
    ).melt(id_vars=["unit", "dimension"], var_name="coder", value_name="code")
    machine_k = _kappa_rows(machine, dim)

    humans = project.coders()
    humans = tuple(humans.loc[humans["kind"] == "human", "id"])
    human_k: dict[Any, float] = {}
    if len(humans) >= 2:
        long = codings(project, coders=list(humans), dimensions=[dim.key])
        long = long[long["segment_id"].isin(set(data.segments["id"]))]
        if not long.empty:
            rows = []
            for (seg, who), vals in long.groupby(["segment_id", "coder_id"])["value"]:
                present = frozenset(v for v in vals if v != "")
                code = present if dim.multi else (next(iter(present)) if present else NONE)
                rows.append({"unit": seg, "coder": who, "dimension": dim.key, "code": code})
            human_k = _kappa_rows(pd.DataFrame(rows), dim)

    per = ev.per_category
    cats = [c for c in [*dim.category_keys, NONE] if c in per.index or c in machine_k]
    table = pd.DataFrame(
        {
            "dimension / category": [dim.key, *[f"  {c}" for c in cats]],
            "machine vs reconciled kappa": [machine_k.get(None, np.nan), *[machine_k.get(c, np.nan) for c in cats]],
            "human vs human kappa": [human_k.get(None, np.nan), *[human_k.get(c, np.nan) for c in cats]],
            "precision": [np.nan, *[per["precision"].get(c, np.nan) for c in cats]],
            "recall": [np.nan, *[per["recall"].get(c, np.nan) for c in cats]],
            "f1": [np.nan, *[per["f1"].get(c, np.nan) for c in cats]],
            "support": [ev.n_training, *[per["support"].get(c, 0) for c in cats]],
        }
    )  # fmt: skip
    labels = {dim.key: dim.label(), **{c.key: c.label() for c in dim.categories}}
    return ProjectEvaluation(dim.key, ev, table, humans, labels, data.n_machine_only)
