"""The checks a learned coder makes of its parameters and of the codes it is given."""

from __future__ import annotations

from typing import Any

from ihms.errors import InputError
from ihms.policy.autocode._errors import TooFewCodesError
from ihms.policy.autocode._segments import CodeSet

__all__ = ["MODELS", "check_counts", "check_params"]

MODELS = ("svm", "logistic", "sgd")


def check_params(coder: Any) -> None:
    """Refuse a parameter of a :class:`~ihms.policy.autocode.LearnedCoder` out of range,
    naming it."""
    if coder.model not in MODELS:
        raise InputError(f"parameter 'model': expected one of {MODELS}, got {coder.model!r}")
    if not (isinstance(coder.C, (int, float)) and coder.C > 0):
        raise InputError(f"parameter 'C': expected a number > 0, got {coder.C!r}")
    if coder.calibration not in ("sigmoid", "isotonic", None):
        raise InputError(
            "parameter 'calibration': expected 'sigmoid', 'isotonic' or None, "
            f"got {coder.calibration!r}"
        )
    if not (isinstance(coder.calibration_folds, int) and coder.calibration_folds >= 2):
        raise InputError(
            f"parameter 'calibration_folds': expected an integer >= 2, got {coder.calibration_folds!r}"
        )
    if not isinstance(getattr(coder, "drop_uncoded", False), bool):
        raise InputError(
            f"parameter 'drop_uncoded': expected True or False, got {coder.drop_uncoded!r}"
        )
    if not (isinstance(coder.min_per_category, int) and coder.min_per_category >= 1):
        raise InputError(
            f"parameter 'min_per_category': expected an integer >= 1, got {coder.min_per_category!r}"
        )
    if not (0 < coder.self_training_share <= 1):
        raise InputError(
            "parameter 'self_training_share': expected a share in (0, 1], "
            f"got {coder.self_training_share!r}"
        )
    t = coder.thresholds
    if isinstance(t, str) and t not in ("tuned", "default"):
        raise InputError(
            "parameter 'thresholds': expected 'tuned', 'default', a probability or a "
            f"mapping, got {t!r}"
        )
    if isinstance(t, (int, float)) and not (0 < t < 1):
        raise InputError(f"parameter 'thresholds': expected a probability in (0, 1), got {t!r}")


def check_counts(coder: Any, codes: CodeSet) -> None:
    """Refuse codes a coder cannot learn from: a category with fewer than
    ``min_per_category`` codes (:class:`TooFewCodesError`; a category of ``categories``
    nobody coded counts as 0, unless ``drop_uncoded`` leaves it out), a category on every
    coded segment (multi-label), a single category (single-label)."""
    counts = codes.counts()
    if coder.categories is not None:
        extra = sorted(set(counts.index) - {str(c) for c in coder.categories})
        if extra:
            raise InputError(
                f"codes name categories not in parameter 'categories': {extra}; "
                f"expected one of {list(coder.categories)}"
            )
        counts = counts.reindex([str(c) for c in coder.categories], fill_value=0)
        if getattr(coder, "drop_uncoded", False):
            counts = counts[counts > 0]
    short = {
        str(cat): (int(have), coder.min_per_category - int(have))
        for cat, have in counts.items()
        if have < coder.min_per_category
    }
    if short:
        raise TooFewCodesError(
            short, coder.min_per_category, counts=counts.to_dict(),
            can_drop=coder.categories is not None,
        )  # fmt: skip
    if codes.multilabel:
        assert codes.indicator is not None
        coded = int(codes.coded.sum())
        always = [str(c) for c, k in counts.items() if k == coded]
        if always:
            raise InputError(
                f"categories {always} are coded on every one of the {coded:,} coded segments; "
                "a model needs segments without them too"
            )
    elif len(counts) < 2:
        raise InputError(
            f"a single-label coder needs at least 2 categories among the codes, got {list(counts.index)}"
        )
