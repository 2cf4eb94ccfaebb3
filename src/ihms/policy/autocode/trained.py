"""A trained machine coder with its provenance; saving, loading and applying it.

:func:`train_coder` fits a coder and wraps it in a frozen :class:`TrainedCoder` that
knows its **model id** (a digest of the training codes, the parameters and the codebook
version: the same training gives the same id), the codebook and dimension it codes, how
many hand-coded segments and documents it learned from, and when. The coder's name in a
project is ``machine:<model id>``.

:meth:`TrainedCoder.save` writes a folder holding ``model.joblib`` and a readable
``manifest.json``; :func:`load_coder` refuses a model trained on another codebook
version. :meth:`TrainedCoder.code` proposes codes with their probability and the
provenance journals ask for (model id, training size, date).

Loading unpickles the model: load only models you or your team trained.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.base import clone

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy.autocode._machine_coding import MachineCoding
from ihms.policy.autocode._model_id import model_id_of, plain_value
from ihms.policy.autocode._segments import as_segments
from ihms.policy.autocode.coverage import answer_probability
from ihms.policy.autocode.learned import LearnedCoder
from ihms.summary import SummaryTable

__all__ = ["MachineCoding", "TrainedCoder", "load_coder", "model_id_of", "train_coder"]

MANIFEST = "manifest.json"
MODEL = "model.joblib"
FORMAT = 1


@dataclass(frozen=True)
class TrainedCoder(SummaryHtml):
    """A fitted machine coder and its provenance.

    Attributes
    ----------
    estimator
        The fitted :class:`LearnedCoder`.
    model_id
        See :func:`model_id_of`.
    codebook, codebook_version, dimension
        What it codes.
    trained_at
        ISO-8601 UTC time of training.
    training_size, n_documents
        Coded segments and documents it learned from.
    categories
        Categories it can propose.
    training_accepted_machine
        How many of the ``training_size`` segments were coded only by a machine answer a
        person accepted (the rest by people); None for a model saved before this was
        recorded.
    """

    estimator: LearnedCoder
    model_id: str
    codebook: str
    codebook_version: str
    dimension: str
    trained_at: str
    training_size: int
    n_documents: int
    categories: tuple[str, ...]
    training_accepted_machine: int | None = 0

    def __repr__(self) -> str:
        # the generated repr printed the fitted estimator's every parameter
        return brief_repr(
            self,
            model_id=self.model_id,
            dimension=self.dimension,
            codebook_version=self.codebook_version,
            training_size=self.training_size,
            trained_at=self.trained_at,
        )

    @property
    def calibrated(self) -> bool:
        """Whether its probabilities are calibrated (else they are scores: an order)."""
        est = self.estimator
        return bool(getattr(est, "calibrated_", est.calibration is not None))

    @property
    def coder_name(self) -> str:
        """The coder name machine codes carry in a project: ``machine:<model id>``."""
        return f"machine:{self.model_id}"

    def manifest(self) -> dict[str, Any]:
        """What ``manifest.json`` holds."""
        est = self.estimator
        return {
            "format": FORMAT,
            "model_id": self.model_id,
            "coder": self.coder_name,
            "codebook": self.codebook,
            "codebook_version": self.codebook_version,
            "dimension": self.dimension,
            "trained_at": self.trained_at,
            "training_size": self.training_size,
            "training_by_people": None
            if self.training_accepted_machine is None
            else self.training_size - self.training_accepted_machine,
            "training_accepted_machine": self.training_accepted_machine,
            "n_documents": self.n_documents,
            "multilabel": bool(est.multilabel_),
            "categories": list(self.categories),
            "category_counts": est.category_counts_,
            "uncoded_categories": list(getattr(est, "uncoded_categories_", [])),
            # a category never (always) coded has an infinite cut: null, and named below
            "thresholds": plain_value(est.thresholds_),
            "score_thresholds": plain_value(est.score_thresholds_),
            "uncut_categories": dict(getattr(est, "uncut_categories_", {})),
            "cut_note": getattr(est, "cut_note_", None),
            "params": {k: plain_value(v) for k, v in sorted(est.get_params(deep=False).items())},
            "calibrated": self.calibrated,
            "calibration_note": getattr(est, "calibration_note_", None),
            "sklearn_version": sklearn.__version__,
        }

    def _training_text(self) -> str:
        """The training segments, told apart by who coded them (journals ask)."""
        n, machine = self.training_size, self.training_accepted_machine
        if machine is None:
            return (
                f"{n:,} coded segments (how many were machine answers a person accepted "
                "was not recorded: a model saved before ihms kept it)"
            )
        if not machine:
            return f"{n:,} hand-coded segments"
        return (
            f"{n:,} coded segments: {n - machine:,} coded by people, {machine:,} machine "
            "answers a person accepted"
        )

    def summary(self) -> SummaryTable:
        """The model's provenance, as a methods section reports it: what it codes, what
        and when it learned from, each category's codes, and its settings."""
        m = self.manifest()
        counts = m["category_counts"] or {}
        categories = "; ".join(f"{c} ({counts.get(c, 0):,})" for c in self.categories)
        rows = {
            "coder": m["coder"],
            "codebook": f"{self.codebook} (version {self.codebook_version})",
            "dimension": f"{self.dimension} ({'multi' if m['multilabel'] else 'single'}-label)",
            "trained at": self.trained_at,
            "trained on": f"{self._training_text()} from {self.n_documents:,} documents",
            "categories (codes)": categories,
            **(
                {"left out (never coded)": ", ".join(m["uncoded_categories"])}
                if m["uncoded_categories"]
                else {}
            ),
            "settings": ", ".join(
                f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in m["params"].items()
            ),
            "scikit-learn": m["sklearn_version"],
        }
        return SummaryTable(
            pd.DataFrame({"value": list(rows.values())}, index=pd.Index(rows, name="field")),
            title=f"Machine coder {self.model_id}: provenance",
            notes=(
                "Codes it proposes enter a project as coder "
                f"{self.coder_name}; report the model id, training size and date with them.",
                *([f"Its {m['calibration_note']}."] if m["calibration_note"] else []),
                *([f"Its {m['cut_note']}."] if m["cut_note"] else []),
            ),
        )

    def code(self, X: Any, *, min_probability: float | None = None) -> MachineCoding:
        """Propose codes for segments ``X``.

        Parameters
        ----------
        X
            Segments (table with ``text`` and, for context, ``doc``/``position``).
        min_probability
            Leave a segment for a person when the probability of its answer is below
            this: single-label, the probability of the category coded — the
            best-scoring one, which on a few segments is not the most probable, so a
            segment can be left for a person although another category reaches the
            cut; multi-label, the probability that the whole answer is right
            (:func:`~ihms.policy.autocode.coverage.answer_probability`), which for an
            answer holding a category coded at an F1-tuned cut far below 0.5 is at
            most that category's probability. ``evaluate --coverage`` shows what each
            cut codes and at which kappa, by the same probabilities.

        Raises
        ------
        DataError
            On empty texts; nothing is coded then.
        """
        batch = as_segments(X)
        est = self.estimator
        has_proba = hasattr(est, "predict_proba")
        if min_probability is not None and not (0 <= min_probability <= 1):
            raise InputError(
                f"parameter 'min_probability': expected a probability, got {min_probability!r}"
            )
        if min_probability is not None and not has_proba:
            raise InputError(
                "parameter 'min_probability': this model was trained without calibration"
            )
        if min_probability is not None and not self.calibrated:
            raise InputError(
                f"parameter 'min_probability' (--min-probability): model {self.model_id}'s "
                f"{est.calibration_note_}; nothing was coded"
            )
        abstained = np.array([], dtype=int)
        scores = est._scores(X)
        if est.multilabel_:
            chosen = est._predict_from_scores(scores)
            proba = est._proba_from_scores(scores) if has_proba else None
            if min_probability is not None:
                assert proba is not None
                sure = answer_probability(chosen, proba) >= min_probability
                abstained = np.flatnonzero(~sure)
                chosen = chosen * sure[:, None]
            rows, cols = np.nonzero(chosen)
            prob = proba[rows, cols] if proba is not None else np.full(len(rows), np.nan)
        else:
            cols = scores.argmax(axis=1)
            rows = np.arange(len(batch))
            if has_proba:
                prob = est._proba_from_scores(scores)[rows, cols]
            else:
                prob = np.full(len(rows), np.nan)
            if min_probability is not None:
                keep = prob >= min_probability
                abstained = rows[~keep]
                rows, cols, prob = rows[keep], cols[keep], prob[keep]
        codes = pd.DataFrame(
            {
                "row": rows,
                "segment": batch.ids[rows],
                "doc": batch.docs[rows] if batch.has_context else [None] * len(rows),
                "dimension": self.dimension,
                "category": est.classes_[cols].astype(str),
                "probability": prob,
                "coder": self.coder_name,
                "model_id": self.model_id,
                "training_size": self.training_size,
                "trained_at": self.trained_at,
                "codebook_version": self.codebook_version,
            }
        )
        return MachineCoding(
            codes=codes, n_segments=len(batch), abstained=abstained, calibrated=self.calibrated,
            calibration_note=None if self.calibrated else est.calibration_note_,
        )  # fmt: skip

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write ``model.joblib`` and ``manifest.json`` into folder ``path``.

        The folder appears complete or not at all (written beside it, then renamed).

        Parameters
        ----------
        path : str or Path
            The model folder; its parent is created.
        overwrite : bool, default False
            Replace an existing folder (else an InputError).

        Returns
        -------
        Path
            ``path``.
        """
        path = Path(path)
        if path.exists() and not overwrite:
            raise InputError(f"model folder {path} exists (pass overwrite=True to replace it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
        umask = os.umask(0o022)  # mkdtemp's folder is private (0700); a model folder
        os.umask(umask)  # gets the permissions any other new folder would
        tmp.chmod(0o777 & ~umask)
        try:
            joblib.dump(self.estimator, tmp / MODEL)
            (tmp / MANIFEST).write_text(
                json.dumps(self.manifest(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            if path.exists():
                old = path.with_name(f".{path.name}-old")
                os.replace(path, old)
                os.replace(tmp, path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, path)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return path


def train_coder(
    X: Any,
    y: Any,
    *,
    codebook_version: str,
    dimension: str,
    codebook: str = "",
    coder: LearnedCoder | None = None,
    trained_at: datetime | None = None,
    accepted_machine: int = 0,
) -> TrainedCoder:
    """Fit ``coder`` (default :class:`LearnedCoder`) on segments ``X`` and codes ``y``.

    Parameters
    ----------
    X, y
        Segments and their codes (``None`` = uncoded), as :meth:`LearnedCoder.fit`.
    codebook_version
        Version of the codebook the codes follow; a saved model refuses to load
        against another.
    dimension
        The codebook dimension coded.
    codebook
        Codebook name.
    coder
        Unfitted coder (cloned).
    trained_at
        Time to record (default: now, UTC).
    accepted_machine
        How many coded segments are machine answers a person accepted (not people's
        own codes), for the provenance.
    """
    if not str(codebook_version).strip():
        raise InputError("parameter 'codebook_version': expected a version, got an empty one")
    if not str(dimension).strip():
        raise InputError("parameter 'dimension': expected a dimension name, got an empty one")
    est = clone(coder if coder is not None else LearnedCoder()).fit(X, y)
    when = (trained_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    est.trained_at_ = when.isoformat()  # saved with the model, so the manifest's is checked
    est.n_accepted_machine_ = int(accepted_machine)  # likewise
    return TrainedCoder(
        estimator=est,
        model_id=model_id_of(
            est, codebook=codebook, codebook_version=str(codebook_version), dimension=str(dimension)
        ),
        codebook=codebook,
        codebook_version=str(codebook_version),
        dimension=str(dimension),
        trained_at=when.isoformat(),
        training_size=int(est.n_training_),
        n_documents=int(est.n_documents_),
        categories=tuple(str(c) for c in est.classes_),
        training_accepted_machine=int(accepted_machine),
    )


def load_coder(path: str | Path, *, codebook_version: str | None) -> TrainedCoder:
    """Load a saved coder, refusing one trained on another codebook version.

    Parameters
    ----------
    path
        The folder :meth:`TrainedCoder.save` wrote.
    codebook_version
        The version of the codebook in use now; ``None`` skips the check (to inspect a
        model, not to apply it).

    Raises
    ------
    InputError
        Missing or unreadable files, a manifest that does not match its model, or a
        codebook version other than ``codebook_version``.
    """
    path = Path(path)
    manifest_path, model_path = path / MANIFEST, path / MODEL
    if not path.is_dir():
        what = "is a file, not a model folder" if path.exists() else "does not exist"
        raise InputError(f"model folder {str(path)!r} {what} (expected the folder `train` wrote)")
    for p in (manifest_path, model_path):
        if not p.is_file():
            raise InputError(f"model folder {path}: {p.name} is missing")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{manifest_path}: not a readable JSON manifest ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise InputError(
            f"{manifest_path}: field 'format': expected {FORMAT}, got {manifest.get('format')!r}"
        )
    if codebook_version is not None and str(manifest.get("codebook_version")) != str(
        codebook_version
    ):
        raise InputError(
            f"{manifest_path}: model {manifest.get('model_id')} was trained on codebook "
            f"{manifest.get('codebook')!r} version {manifest.get('codebook_version')!r}, "
            f"the codebook in use is version {codebook_version!r}; retrain the model on "
            "codes of this version (nothing was coded)"
        )
    try:
        est = joblib.load(model_path)
    except Exception as exc:  # unpickling can raise nearly anything
        raise InputError(f"{model_path}: cannot be loaded ({type(exc).__name__}: {exc})") from None
    if not isinstance(est, LearnedCoder):
        raise InputError(f"{model_path}: expected a fitted LearnedCoder, got {type(est).__name__}")
    model_id = model_id_of(
        est,
        codebook=manifest.get("codebook", ""),
        codebook_version=str(manifest.get("codebook_version")),
        dimension=str(manifest.get("dimension")),
    )
    if model_id != manifest.get("model_id"):
        raise InputError(
            f"{manifest_path}: field 'model_id' is {manifest.get('model_id')!r}, but the "
            f"{MODEL} beside it is not that model (it holds {_what_model(est)}); the two "
            "files do not belong together — one was replaced or edited: put back the pair "
            "`train` saved, or train again (nothing was coded)"
        )
    _check_provenance(manifest_path, manifest, est)
    return TrainedCoder(
        estimator=est,
        model_id=model_id,
        codebook=manifest.get("codebook", ""),
        codebook_version=str(manifest["codebook_version"]),
        dimension=str(manifest["dimension"]),
        trained_at=str(manifest["trained_at"]),
        training_size=int(manifest["training_size"]),
        n_documents=int(manifest["n_documents"]),
        categories=tuple(manifest["categories"]),
        training_accepted_machine=manifest.get("training_accepted_machine"),
    )


def _what_model(est: LearnedCoder) -> str:
    """A model file's own account of itself, for a manifest it does not match."""
    labels = ", ".join(map(str, getattr(est, "classes_", [])))
    size = getattr(est, "n_training_", None)
    when = getattr(est, "trained_at_", None)
    return (
        f"a model of {labels or 'no categories'}"
        + (f" trained on {size:,} segments" if size is not None else "")
        + (f" at {when}" if when else "")
    )


def _check_provenance(path: Path, manifest: dict, est: LearnedCoder) -> None:
    """Refuse a manifest whose training size, documents or date the model file
    contradicts (the model id covers what the model learnt, not these; a model saved
    before the date was kept in it is not checked for the date)."""
    kept = {
        "training_size": getattr(est, "n_training_", None),
        "n_documents": getattr(est, "n_documents_", None),
        "trained_at": getattr(est, "trained_at_", None),
        "training_accepted_machine": getattr(est, "n_accepted_machine_", None),
    }
    for field_name, truth in kept.items():
        if truth is not None and manifest.get(field_name) != truth:
            raise InputError(
                f"{path}: field {field_name!r} is {manifest.get(field_name)!r} but the model "
                f"file says {truth!r}; the manifest was edited, so the model is refused (put the "
                "manifest back or train again; nothing was coded)"
            )
