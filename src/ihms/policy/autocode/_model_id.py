"""A fitted coder's model id, and its parameters as plain JSON for the manifest."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from ihms.policy.autocode.learned import LearnedCoder

__all__ = ["model_id_of", "plain_value"]


def plain_value(value: Any, name: str = "") -> Any:
    """A parameter as JSON: numbers, text, flags and None as they are; mappings and
    sequences item by item; an estimator as its parameters; a jieba user dictionary
    (``user_dictionary``) as its size and the first 12 hex digits of the SHA-256 of its
    words, one per line. A number that is not finite (a cut never reached) is None.
    """
    if name == "user_dictionary" and isinstance(value, (tuple, list)):
        words = "\n".join(map(str, value))
        return {"words": len(value), "sha256": hashlib.sha256(words.encode()).hexdigest()[:12]}
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return [plain_value(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain_value(v) for v in value]
    if hasattr(value, "get_params"):
        return {k: plain_value(v, k) for k, v in sorted(value.get_params(deep=False).items())}
    return repr(value)


def model_id_of(
    estimator: LearnedCoder, *, codebook: str, codebook_version: str, dimension: str
) -> str:
    """12 hex digits identifying a fitted coder by what it learned from and how.

    Parameters
    ----------
    estimator : LearnedCoder
        A fitted coder (its ``training_digest_`` and parameters enter the id).
    codebook : str
        The codebook's name.
    codebook_version : str
        As :func:`codebook_version_of` gives it.
    dimension : str
        The dimension's key.
    """
    params = {k: repr(v) for k, v in sorted(estimator.get_params(deep=True).items())}
    payload = json.dumps(
        {
            "training": estimator.training_digest_,
            "params": params,
            "codebook": codebook,
            "codebook_version": codebook_version,
            "dimension": dimension,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]
