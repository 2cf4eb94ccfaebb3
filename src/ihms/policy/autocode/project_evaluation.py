"""A machine coder cross-validated inside a coding project, beside its human coders.

:func:`evaluate_on_project` cross-validates by document on the segments people coded
(a machine answer a person accepted is left out: it would grade machines against a
machine's own answer) and computes the machine-vs-human kappa per dimension and
category with the same function as the human–human kappa
(:func:`ihms.stats.agreement.agreement_report`), shown beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.policy.autocode._notes import Note, said_in
from ihms.policy.autocode._project_tables import (
    _ci,
    _human_bootstrap,
    _human_rows,
    _table,
    _with_ci_text,
)
from ihms.policy.autocode._repeats import repeat_note, repeat_summary, repeated_kappas
from ihms.policy.autocode.bootstrap import N_BOOT, AgreementBootstrap
from ihms.policy.autocode.coverage import NestedCut, nested_cut
from ihms.policy.autocode.evaluate import CoderEvaluation, evaluate_coder
from ihms.policy.autocode.learned import LearnedCoder
from ihms.policy.autocode.project import default_coder, learnable, project_codes
from ihms.summary import SummaryTable

__all__ = ["ProjectEvaluation", "evaluate_on_project"]


@dataclass(frozen=True, eq=False)
class ProjectEvaluation(SummaryHtml):
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
        ``precision``, ``recall``, ``f1``, ``support``; bootstrapped, also each
        kappa's and F1's interval (``machine 95% low`` / ``high``, ``human 95% low`` /
        ``high``, ``f1 95% low`` / ``high``).
    human_coders
        The human coders compared.
    labels
        The codebook's names of the dimension and its categories (key -> English
        name), shown by :meth:`summary` as the agreement table shows them.
    n_machine_only
        Segments left out because their only code is a machine answer a person
        accepted.
    human_interval
        The human coders' kappa bootstrapped over the same documents (two coders only).
    settings
        How it was run (``scheme``, ``seed``, ``n_boot``), for the notes of a file.
    nested
        The coverage cut chosen inside each fold (``nested=True``), or None.
    rules
        Keyword rules scored instead of a learned coder: what they are (None for a
        learned coder).
    repeat_kappas
        With ``repeats`` > 1: the dimension's kappa of every repeated cross-validation
        (the first is the table's run: folds seeded ``seed``, the coder's own solver
        seed; run ``r`` seeds folds and solver with ``seed + r``).
    labels_zh
        The same names in Chinese (key -> Chinese name), for ``summary(lang="zh")``.
    """

    dimension: str
    evaluation: CoderEvaluation
    table: pd.DataFrame
    human_coders: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    n_machine_only: int = 0
    human_interval: AgreementBootstrap | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    nested: NestedCut | None = None
    rules: str | None = None
    repeat_kappas: tuple[float, ...] = ()
    labels_zh: Mapping[str, str] = field(default_factory=dict)

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

    def summary(self, *, lang: str = "en") -> SummaryTable:
        """The table with the codebook's names of the dimension and categories.

        Parameters
        ----------
        lang : {"en", "zh"}
            ``"zh"``: the codebook's Chinese names, the headers, title and notes in
            Chinese (:mod:`ihms.policy.autocode._evaluation_zh`).
        """
        from ihms._words import check_lang

        check_lang(lang)
        ev = self.evaluation
        frame = _with_ci_text(self.table.set_index("dimension / category"))
        labels = {**self.labels, **self.labels_zh} if lang == "zh" else self.labels
        frame.index = pd.Index(
            [
                f"  {labels.get(k.strip(), k.strip())}" if k.startswith("  ") else labels.get(k, k)
                for k in frame.index
            ],
            name=frame.index.name,
        )
        title, *notes = self._notes(labels)
        said = [said_in(lang, note, labels) for note in (*notes, *ev.notes)]
        if lang == "zh":
            from ihms.policy.autocode._evaluation_zh import HEADERS_ZH

            frame = frame.rename(columns=HEADERS_ZH)
            frame.index.name = HEADERS_ZH["dimension / category"]
        return SummaryTable(
            frame,
            title=title.said(lang, labels),
            notes=tuple(said),
            digits=3,
            lang=lang,
        )

    def _notes(self, labels: Mapping[str, str]) -> list[Note]:
        """The title, then the notes before the cross-validation's own: which apply
        decided once, for every language (``labels`` name the dimension)."""
        ev, name = self.evaluation, labels.get(self.dimension, self.dimension)
        counts = {"name": name, "n_documents": ev.n_documents, "n_training": ev.n_training}
        if self.rules is not None:
            notes = [Note("title rules", **counts), Note("method rules", rules=self.rules)]
        else:
            notes = [Note("title folds", n_splits=ev.n_splits, **counts), Note("method folds")]
        coders = tuple(self.human_coders)
        notes.append(Note("human pair" if len(coders) >= 2 else "human few", coders=coders))
        i = ev.interval
        if i is not None:
            notes.append(Note("machine interval", interval=i))
            if self.human_interval is not None:
                notes.append(Note("human interval", level=i.level))
            elif len(coders) > 2:
                notes.append(Note("human no interval"))
        notes += repeat_note(self.repeats())
        if self.n_machine_only:
            notes.append(Note("machine only", n=self.n_machine_only))
        return notes

    def file_table(self) -> SummaryTable:
        """The table for a file (``evaluate --out``): the codebook's names with their
        keys beside them, every interval as two numbers, and notes that say how it
        was run (coders, folds, seed, resamples)."""
        shown = self.summary()
        frame = self.table.copy()
        keys = frame.pop("dimension / category").str.strip()
        frame.insert(0, "key", list(keys))
        frame.index = pd.Index([self.labels.get(k, k) for k in keys], name="dimension / category")
        ev, s = self.evaluation, self.settings
        least = s.get("min_per_category")
        folds = "no folds" if self.rules is not None else f"{ev.n_splits} folds by document"
        settings = (
            f"Run: {folds}, seed {s.get('seed', '?')}, "
            f"{s.get('scheme', 'paragraph')} segments"
            + (f", at least {least} codes per category" if least else "")
            + f"; human coders: {', '.join(self.human_coders) or 'none'}."
        )
        return SummaryTable(frame, title=shown.title, notes=(*shown.notes, settings), digits=3)

    def repeats(self) -> dict[str, Any] | None:
        """Kappa over the repeated cross-validations: fold seeds, kappas, mean, SD
        (n - 1), min and max; None without repeats."""
        return repeat_summary(self.repeat_kappas, int(self.settings.get("seed", 0)))

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
            "uncut_categories": self.evaluation.uncut_categories,
            "machine_kappa_ci": _ci(self.evaluation.interval),
            "human_kappa_ci": _ci(self.human_interval),
            "nested_cut": None if self.nested is None else self.nested.to_dict(),
            "repeats": self.repeats(),
            "bootstrap": None
            if self.evaluation.interval is None
            else self.evaluation.interval.to_dict(),
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
    n_boot: int = N_BOOT,
    nested: bool = False,
    target_kappa: float | None = None,
    repeats: int = 1,
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
    n_boot : int, default N_BOOT (2000)
        Resamples of the cluster bootstrap over documents that gives the machine's
        and (two coders) the human coders' kappa and F1 intervals, seeded by
        ``random_state``; 0 skips it.
    nested : bool, default False
        With ``probabilities``: also choose the ``min_probability`` cut that reaches
        ``target_kappa`` inside each fold, on an inner 3-fold cross-validation of its
        training documents, and score it on the fold's held-out documents
        (:func:`~ihms.policy.autocode.coverage.nested_cut`; about twice the time).
    target_kappa : float, optional
        The bar of the nested cut; None uses the human coders' kappa (no cut without
        one).
    repeats : int, default 1
        Cross-validate this many times; the spread of kappa over the runs is in the
        notes (:meth:`ProjectEvaluation.repeats`). The first run is the headline
        evaluation: folds seeded ``random_state``, the coder's own solver seed
        (``coder.random_state``; the default coder's is 0, whatever ``random_state``
        is; the CLI builds its coder with ``--seed``). Run ``r`` > 0 seeds the folds
        and the solver with ``random_state + r``
        (:func:`~ihms.policy.autocode._repeats.repeated_kappas`). Each repeat costs
        one evaluation.
    """
    from ihms.errors import InputError

    if int(repeats) < 1:
        raise InputError(f"parameter 'repeats' (--repeats): expected at least 1, got {repeats!r}")

    data = project_codes(project, dimension, scheme=scheme, accepted_machine=False)
    dim = data.dimension
    used = learnable(coder if coder is not None else default_coder(dim), data.codes)
    ev = evaluate_coder(
        used,
        data.segments, data.codes, n_splits=n_splits, random_state=random_state,
        probabilities=probabilities, twins_together=twins_together,
    )  # fmt: skip
    settings = {
        "scheme": scheme, "seed": random_state, "n_boot": n_boot,
        "min_per_category": getattr(used, "min_per_category", None),
    }  # fmt: skip
    result = beside_humans(project, data, ev, n_boot=n_boot, seed=random_state, settings=settings)
    bar = target_kappa if target_kappa is not None else result.human_kappa
    if nested and probabilities and not np.isnan(bar):
        chosen = nested_cut(
            ev, used, data.segments, data.codes, target=bar, random_state=random_state,
            twins_together=twins_together,
        )  # fmt: skip
        result = replace(result, nested=chosen)
    if repeats > 1:
        kappas = repeated_kappas(
            used, data.segments, data.codes, n_splits=n_splits, random_state=random_state,
            repeats=repeats, twins_together=twins_together, first=ev,
        )  # fmt: skip
        result = replace(result, repeat_kappas=kappas)
    return result


def beside_humans(
    project: Any,
    data: Any,
    ev: CoderEvaluation,
    *,
    n_boot: int,
    seed: int,
    settings: Mapping[str, Any],
    rules: str | None = None,
) -> ProjectEvaluation:
    """A coder's held-out codes ``ev`` of ``data`` (``project_codes``) set beside the
    project's human coders: kappas by ``agreement_report``, bootstrap intervals, names."""
    dim = data.dimension
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
    human_rows = _human_rows(project, humans, dim, set(data.segments["id"]))
    human_k = _kappa_rows(human_rows, dim) if not human_rows.empty else {}
    human_ci = None
    if n_boot:
        ev = ev.with_bootstrap(n_boot, random_state=seed)
        human_ci = _human_bootstrap(human_rows, data.segments, dim, ev, n_boot, seed)
    table = _table(dim, ev, machine_k, human_k, human_ci)
    labels = {dim.key: dim.label(), **{c.key: c.label() for c in dim.categories}}
    labels_zh = {dim.key: dim.label("zh"), **{c.key: c.label("zh") for c in dim.categories}}
    return ProjectEvaluation(
        dim.key, ev, table, humans, labels, data.n_machine_only, human_ci, settings,
        rules=rules, labels_zh=labels_zh,
    )  # fmt: skip
