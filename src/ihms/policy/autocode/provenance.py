"""A project's machine coders and their answers' provenance, read from the project
alone (the model folder may be gone when a reviewer asks).

- :func:`machine_coders` — one row per machine coder: model id, training size and
  date, codebook version, and its answers by review status;
- :func:`machine_answers` — one row per machine answer: the categories, each one's
  probability, whether the segment was a training segment, and its review.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ihms.errors import InputError

__all__ = ["machine_answers", "machine_coders"]


def machine_coders(project: Any) -> pd.DataFrame:
    """One row per machine coder of ``project``.

    Returns
    -------
    pandas.DataFrame
        ``coder``, ``model_id``, ``training_size`` (None for keyword rules),
        ``trained_at``, ``codebook_version`` (as its answers record it), ``answers``
        (segments and dimensions answered), ``accepted``, ``rejected``, ``unreviewed``,
        ``notes``.
    """
    coders = project.frame(
        "SELECT id AS coder, model_id, training_size, trained_at, notes FROM coders "
        "WHERE kind = 'machine' ORDER BY id"
    )
    answers = _answers(project)
    rows = []
    for r in coders.itertuples(index=False):
        mine = answers[answers["coder"] == r.coder]
        status = mine["review_status"].value_counts()
        versions = {json.loads(v).get("codebook_version") for v in mine["provenance"] if v}
        rows.append(
            {
                "coder": r.coder,
                "model_id": r.model_id,
                "training_size": None if pd.isna(r.training_size) else int(r.training_size),
                "trained_at": r.trained_at,
                "codebook_version": "; ".join(sorted(str(v) for v in versions if v)) or None,
                "answers": len(mine),
                "accepted": int(status.get("accepted", 0)),
                "rejected": int(status.get("rejected", 0)),
                "unreviewed": int(status.get("", 0)),
                "notes": r.notes,
            }
        )
    columns = ["coder", "model_id", "training_size", "trained_at", "codebook_version",
               "answers", "accepted", "rejected", "unreviewed", "notes"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _answers(project: Any) -> pd.DataFrame:
    """Machine codings grouped into answers: one row per coder, segment and dimension."""
    long = project.frame(
        "SELECT c.segment_id AS segment, s.doc_id AS document, c.dimension, c.coder_id AS coder,"
        " c.value, c.provenance, coalesce(c.review_status, '') AS review_status,"
        " coalesce(c.reviewed_by, '') AS reviewed_by FROM codings c"
        " JOIN coders k ON k.id = c.coder_id JOIN segments s ON s.id = c.segment_id"
        " WHERE k.kind = 'machine' ORDER BY c.coder_id, s.doc_id, s.ordinal, c.dimension"
    )
    keys = ["segment", "document", "dimension", "coder"]
    if long.empty:
        return pd.DataFrame(columns=[*keys, "value", "provenance", "review_status", "reviewed_by"])
    return long.groupby(keys, sort=False, as_index=False).agg(
        value=("value", lambda v: sorted(x for x in v if x)),
        provenance=("provenance", "first"),
        review_status=("review_status", "first"),
        reviewed_by=("reviewed_by", "first"),
    )


def machine_answers(project: Any, *, coder: str | None = None) -> pd.DataFrame:
    """Every answer of the project's machine coders (or of ``coder``), with provenance.

    Parameters
    ----------
    project : ihms.policy.Project
        An open project.
    coder : str, optional
        One machine coder (``machine:<model id>``); None gives them all.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``document``, ``dimension``, ``coder``, ``answer`` (categories
        joined by ``;``, ``-`` for "nothing applies"), ``probability`` (``category=p``
        per category; keyword rules: empty), ``calibrated`` (False: the model could
        not calibrate and ``probability`` holds scores, an order rather than chances;
        None for keyword rules), ``rule`` (keyword rules: ``category=rule``),
        ``in_training`` (True/False; None when not recorded), ``review_status``,
        ``reviewed_by``, ``model_id``, ``training_size``, ``trained_at``,
        ``codebook_version``.

    Raises
    ------
    InputError
        ``coder`` is not a machine coder of the project.
    """
    answers = _answers(project)
    if coder is not None:
        known = set(machine_coders(project)["coder"])
        if coder not in known:
            raise InputError(
                f"coder {coder!r} is not a machine coder of {project.path}; "
                f"its machine coders are {sorted(known) or 'none'}"
            )
        answers = answers[answers["coder"] == coder]
    rows = []
    for r in answers.itertuples(index=False):
        prov = json.loads(r.provenance) if r.provenance else {}
        probs = prov.get("probability", {})
        rules = prov.get("rules", {})
        rows.append(
            {
                "segment": r.segment,
                "document": r.document,
                "dimension": r.dimension,
                "coder": r.coder,
                "answer": ";".join(r.value) or "-",
                "probability": ";".join(f"{c}={p:.4f}" for c, p in sorted(probs.items())),
                "calibrated": prov.get("calibrated", True) if probs else None,
                "rule": ";".join(f"{c}={v.get('rule', '')}" for c, v in sorted(rules.items())),
                "in_training": prov.get("in_training"),
                "review_status": r.review_status,
                "reviewed_by": r.reviewed_by,
                "model_id": prov.get("model_id"),
                "training_size": prov.get("training_size"),
                "trained_at": prov.get("trained_at"),
                "codebook_version": prov.get("codebook_version"),
            }
        )
    columns = ["segment", "document", "dimension", "coder", "answer", "probability", "calibrated", "rule",
               "in_training", "review_status", "reviewed_by", "model_id", "training_size",
               "trained_at", "codebook_version"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
