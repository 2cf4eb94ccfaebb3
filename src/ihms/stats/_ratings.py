"""Ratings tables (units × coders) turned into integer codes, and percent agreement."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._arguments import wrong_kind
from ihms.errors import InputError

__all__ = [
    "Coded",
    "encode_ratings",
    "percent_agreement",
    "read_counts",
    "two_coder_table",
    "value_counts",
]

# Collections are multi-label codes, which only the agreement report understands.
_NOT_A_CODE = (set, frozenset, list, tuple, dict)


@dataclass(frozen=True, eq=False)
class Coded:
    """Ratings as integer codes: ``codes[u, c]`` indexes ``categories``; -1 is missing."""

    codes: np.ndarray
    categories: tuple[Hashable, ...]
    units: tuple[Hashable, ...]
    coders: tuple[Hashable, ...]


def _order_categories(
    seen: list[Hashable], categories: Sequence[Hashable] | None, *, name: str
) -> tuple[Hashable, ...]:
    if categories is not None:
        cats = tuple(categories)
        if len(set(cats)) != len(cats):
            raise InputError(f"parameter 'categories': expected distinct values, got {cats!r}")
        unknown = [v for v in dict.fromkeys(seen) if v not in set(cats)]
        if unknown:
            raise InputError(
                f"{name}: values {unknown!r} are not among the categories {list(cats)!r}"
            )
        return cats
    unique = list(dict.fromkeys(seen))
    try:
        return tuple(sorted(unique))  # type: ignore[type-var]
    except TypeError:
        return tuple(unique)


def encode_ratings(
    ratings: Any,
    *,
    categories: Sequence[Hashable] | None = None,
    name: str = "ratings",
) -> Coded:
    """Validate a units × coders table and turn it into integer codes."""
    if isinstance(ratings, pd.DataFrame):
        values = ratings.to_numpy(dtype=object)
        units = tuple(ratings.index)
        coders = tuple(ratings.columns)
    else:
        try:
            values = np.asarray(ratings, dtype=object)
        except ValueError as exc:
            raise InputError(f"{name}: expected a units × coders table, got ragged rows") from exc
        if values.ndim != 2:
            raise InputError(
                f"{name}: expected a 2-D table (one row per unit, one column per coder), "
                f"got {values.ndim} dimension(s)"
            )
        units = tuple(range(values.shape[0]))
        coders = tuple(range(values.shape[1]))
    if values.shape[1] < 2:
        raise InputError(f"{name}: expected at least 2 coders (columns), got {values.shape[1]}")
    if values.shape[0] == 0:
        raise InputError(f"{name}: expected at least one unit (row), got none")
    missing = np.asarray(pd.isna(values), dtype=bool)
    present = np.flatnonzero(~missing.ravel())
    seen = values.ravel()[present].tolist()
    for pos, v in zip(present, seen, strict=True):
        if isinstance(v, _NOT_A_CODE) or not isinstance(v, Hashable):
            u, c = divmod(int(pos), values.shape[1])
            raise InputError(
                f"{name}: unit {units[u]!r}, coder {coders[c]!r}: expected a single code, "
                f"got {v!r} (multi-label codes go through agreement_report(multi_label=...))"
            )
    cats = _order_categories(seen, categories, name=name)
    index = {v: i for i, v in enumerate(cats)}
    codes = np.full(values.size, -1, dtype=np.int64)
    codes[present] = [index[v] for v in seen]
    codes = codes.reshape(values.shape)
    return Coded(codes=codes, categories=cats, units=units, coders=coders)


def value_counts(coded: Coded) -> np.ndarray:
    """units × categories: how many coders gave each category to each unit."""
    n_units, _ = coded.codes.shape
    counts = np.zeros((n_units, len(coded.categories)), dtype=np.int64)
    rows, cols = np.nonzero(coded.codes >= 0)
    np.add.at(counts, (rows, coded.codes[rows, cols]), 1)
    return counts


def read_counts(
    counts: Any, categories: Sequence[Hashable] | None
) -> tuple[np.ndarray, list[Hashable]]:
    """Validate a units × categories table of counts; return it as floats with its
    column labels (``categories``, else the DataFrame's columns, else 0..k-1)."""
    labels = list(counts.columns) if isinstance(counts, pd.DataFrame) else None
    arr = np.asarray(counts, dtype=float)
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise InputError(f"counts: expected a units × categories table, got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any() or (arr != np.round(arr)).any():
        raise InputError("counts: expected whole numbers >= 0")
    if categories is not None:
        labels = list(categories)
    labels = labels if labels is not None else list(range(arr.shape[1]))
    if len(labels) != arr.shape[1]:
        raise InputError(
            f"parameter 'categories': expected {arr.shape[1]} labels, got {len(labels)}"
        )
    return arr, labels


def two_coders(coder_a: Any, coder_b: Any) -> tuple[list[Any], list[Any]]:
    """Two coders' codes as lists: two sequences, or, ``coder_b`` None, a table of two
    columns as ``coder_a`` (the shape of every other agreement function's ratings);
    text, None, a mapping or another table refused by name (a string iterated as its
    letters, ``None`` as a ``TypeError``)."""
    if coder_b is None and isinstance(coder_a, pd.DataFrame) and coder_a.shape[1] == 2:
        return list(coder_a.iloc[:, 0]), list(coder_a.iloc[:, 1])
    _check_codes(coder_a, "coder_a")
    if coder_b is None:
        expected = "the second coder's codes (or, as coder_a, a table of 2 columns, one per coder)"
        raise InputError(wrong_kind(coder_b, parameter="coder_b", expected=expected))
    _check_codes(coder_b, "coder_b")
    return list(coder_a), list(coder_b)


def _check_codes(codes: Any, name: str) -> None:
    if isinstance(codes, (str, bytes, Mapping, pd.DataFrame)) or not isinstance(codes, Iterable):
        expected = "a sequence of codes, one per unit (a list, a Series)"
        if isinstance(codes, pd.DataFrame):
            expected += ", or as coder_a alone a table of exactly 2 columns, one per coder"
        shape = _columns(codes)
        raise InputError(wrong_kind(codes, parameter=name, expected=expected) + shape)


def two_coder_table(
    coder_a: Sequence[Any], coder_b: Sequence[Any] | None, categories: Sequence[Hashable] | None
) -> pd.DataFrame:
    """The cross-tabulation of two coders' aligned codes (first coder in rows) over the
    units both coded (:func:`two_coders`). Without ``categories`` the categories are
    those seen on those units, so a unit left out cannot add a category."""
    a, b = two_coders(coder_a, coder_b)
    if len(a) != len(b):
        raise InputError(
            f"coder_a and coder_b: expected codes for the same units, got {len(a)} and {len(b)}"
        )
    coded = encode_ratings(
        pd.DataFrame({"coder_a": a, "coder_b": b}, dtype=object),
        categories=categories,
        name="coder_a/coder_b",
    )
    both = (coded.codes >= 0).all(axis=1)
    if not both.any():
        raise InputError("coder_a and coder_b: no unit was coded by both coders")
    if categories is None and not both.all():
        keep = np.flatnonzero(both)
        coded = encode_ratings(
            pd.DataFrame({"coder_a": [a[i] for i in keep], "coder_b": [b[i] for i in keep]}, dtype=object),
            name="coder_a/coder_b",
        )  # fmt: skip
        both = np.ones(len(keep), dtype=bool)
    k = len(coded.categories)
    table = np.zeros((k, k), dtype=np.int64)
    np.add.at(table, (coded.codes[both, 0], coded.codes[both, 1]), 1)
    cats = list(coded.categories)
    return pd.DataFrame(table, index=cats, columns=cats)


def percent_agreement(ratings: Any) -> float:
    """Percentage of units on which every coder who coded the unit gave the same code.

    Units coded by fewer than two coders are left out. With two coders this is the
    "Agreement" of Stata's ``kap``; with more it is R's ``irr::agree`` (all raters
    agree), not the mean pairwise agreement.

    Parameters
    ----------
    ratings
        Units × coders table; None/NaN where a coder did not code a unit.

    Returns
    -------
    float
        Percentage between 0 and 100.

    Examples
    --------
    >>> round(percent_agreement([["a", "a"], ["a", "b"], ["b", "b"], ["b", None]]), 2)
    66.67
    """
    coded = encode_ratings(ratings)
    counts = value_counts(coded)
    rated = counts.sum(axis=1)
    pairable = rated >= 2
    if not pairable.any():
        raise InputError("ratings: no unit was coded by at least 2 coders")
    unanimous = counts.max(axis=1) == rated
    return float(100.0 * unanimous[pairable].mean())


def _columns(codes: Any) -> str:
    """`` of 3 columns`` for a table (`` of 1 column`` for one), else ``""``."""
    if not isinstance(codes, pd.DataFrame):
        return ""
    n = codes.shape[1]
    return f" of {n} column{'s' if n != 1 else ''}"
