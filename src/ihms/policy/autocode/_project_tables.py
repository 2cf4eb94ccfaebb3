"""The evaluation table of a coder beside the human coders, and what goes into it:
the human coders' codes, their bootstrap, the intervals' columns
(:mod:`~ihms.policy.autocode.project_evaluation` assembles them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ihms.policy.autocode.bootstrap import AgreementBootstrap, bootstrap_agreement
from ihms.policy.autocode.evaluate import CoderEvaluation
from ihms.policy.autocode.project import NONE


def _with_ci_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Each ``X low`` / ``X high`` pair of columns as one ``X CI`` text column
    (``0.364-0.524``), for the console."""
    frame = frame.copy()
    for low in [c for c in frame.columns if str(c).endswith(" low")]:
        stem, high = low[: -len(" low")], low[: -len(" low")] + " high"
        text = [
            "—" if pd.isna(a) or pd.isna(b) else f"{a:.3f}–{b:.3f}"
            for a, b in zip(frame[low], frame[high], strict=True)
        ]
        frame.insert(frame.columns.get_loc(low), f"{stem} CI", text)
        frame = frame.drop(columns=[low, high])
    return frame


def _ci(interval: AgreementBootstrap | None) -> list[float] | None:
    return None if interval is None else [interval.low, interval.high]


def _human_rows(project: Any, humans: tuple[str, ...], dim: Any, segments: set) -> pd.DataFrame:
    """The human coders' codes on ``segments`` as ``unit, coder, dimension, code`` (a
    multi-label code is a frozenset; an empty single-label answer is NONE); empty with
    fewer than two coders."""
    from ihms.policy.coding import codings

    if len(humans) < 2:
        return pd.DataFrame()
    long = codings(project, coders=list(humans), dimensions=[dim.key])
    long = long[long["segment_id"].isin(segments)]
    rows = []
    for (seg, who), vals in long.groupby(["segment_id", "coder_id"])["value"]:
        present = frozenset(v for v in vals if v != "")
        code = present if dim.multi else (next(iter(present)) if present else NONE)
        rows.append({"unit": seg, "coder": who, "dimension": dim.key, "code": code})
    return pd.DataFrame(rows)


def _human_bootstrap(
    rows: pd.DataFrame,
    segments: pd.DataFrame,
    dim: Any,
    ev: CoderEvaluation,
    n_boot: int,
    seed: int,
) -> AgreementBootstrap | None:
    """Two coders' kappa bootstrapped over the documents they both coded, with the
    machine's seed (more coders: Fleiss' kappa, not resampled here). Documents the
    machine's evaluation kept together (its predictions' ``cluster``) are drawn
    together; a document it did not evaluate is its own cluster."""
    if rows.empty or rows["coder"].nunique() != 2:
        return None
    wide = rows.pivot(index="unit", columns="coder", values="code").dropna()
    if wide.empty:
        return None
    as_text = (lambda c: ";".join(sorted(c))) if dim.multi else str
    first, second = (wide[c].map(as_text) for c in wide.columns)
    docs = segments.set_index("id")["doc"].reindex(wide.index)
    clusters = None
    if "cluster" in ev.predictions:
        of_doc = ev.predictions.drop_duplicates("doc").set_index("doc")["cluster"]
        clusters = [of_doc.get(str(d), str(d)) for d in docs]
    return bootstrap_agreement(
        first, second, docs, clusters=clusters, categories=list(ev.per_category.index),
        multilabel=dim.multi, n_boot=n_boot, random_state=seed,
        confidence=ev.interval.level if ev.interval else 0.95,
    )  # fmt: skip


def _table(
    dim: Any, ev: CoderEvaluation, machine_k: dict, human_k: dict, human_ci: Any
) -> pd.DataFrame:
    """The dimension's row and one per category (see :class:`ProjectEvaluation`)."""
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
    if ev.interval is None:
        return table
    pct = f"{ev.interval.level:.0%}"

    def bounds(i: AgreementBootstrap | None, what: str) -> tuple[list, list]:
        if i is None:
            return [np.nan] * (len(cats) + 1), [np.nan] * (len(cats) + 1)
        c = i.categories
        low = [i.low, *[c[f"{what}_low"].get(c_, np.nan) for c_ in cats]]
        high = [i.high, *[c[f"{what}_high"].get(c_, np.nan) for c_ in cats]]
        return low, high

    def at(name: str) -> int:
        return int(table.columns.get_loc(name))

    for name, (low, high) in (
        ("machine", bounds(ev.interval, "kappa")),
        ("human", bounds(human_ci, "kappa")),
    ):
        column = "machine vs reconciled kappa" if name == "machine" else "human vs human kappa"
        table.insert(at(column) + 1, f"{name} {pct} low", low)
        table.insert(at(f"{name} {pct} low") + 1, f"{name} {pct} high", high)
    f1_low, f1_high = bounds(ev.interval, "f1")
    table.insert(at("f1") + 1, f"f1 {pct} low", [np.nan, *f1_low[1:]])
    table.insert(at(f"f1 {pct} low") + 1, f"f1 {pct} high", [np.nan, *f1_high[1:]])
    return table
