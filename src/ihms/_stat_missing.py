"""Stata's extended missing values (``.a``–``.z``) and SPSS's user-missing values, as
:func:`ihms._statfiles.read_stat_table` reads them: missing, as the packages' own
analyses treat them, and named in a note (:func:`missing_code_notes`), so the user sees
that 12 cells were ``.a 'refused'`` rather than merely blank.

pyreadstat reads them as NaN by default; with ``user_missing=True`` it delivers them
as they are (pyreadstat's documentation of ``read_dta``/``read_sav``): a Stata code as
its letter (``"a"``) in a numeric column, an SPSS code as its value, the file's
missing values and ranges in ``meta.missing_ranges``. :func:`take_missing_codes` counts
them and makes them NaN again, keeping where each was (:data:`MISSING_CELLS`), so a
required value refused as missing can say which code the file held there
(:func:`missing_code_cells`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ihms._stat_dates import SPSS_ORIGIN

__all__ = [
    "MISSING_CELLS",
    "MISSING_CODES",
    "missing_code_cells",
    "missing_code_notes",
    "take_missing_codes",
    "valid_value_labels",
]

#: The ``attrs`` key of a frame read by ``read_stat_table`` holding, per column, each
#: missing-value code found: ``(code as the package writes it, its value label or
#: None, cells)``.
MISSING_CODES = "missing_codes"
#: The ``attrs`` key holding, per column with codes, where they are: the rows'
#: positions and, for each, the index of its code in the column's ``MISSING_CODES``.
MISSING_CELLS = "missing_cells"
_KINDS = {".dta": "Stata's extended missing values", ".sav": "SPSS user-missing values"}
#: How one code is named in a problem: ``Stata's .a``, ``SPSS's user-missing -9``.
_ONE_CODE = {".dta": "Stata's ", ".sav": "SPSS's user-missing "}


def take_missing_codes(
    frame: pd.DataFrame, meta: Any, suffix: str
) -> tuple[
    pd.DataFrame,
    dict[str, list[tuple[str, str | None, int]]],
    dict[str, tuple[np.ndarray, np.ndarray]],
]:
    """``frame`` (read by pyreadstat with ``user_missing=True`` from a ``.dta`` or
    ``.sav`` file: ``suffix``) with its missing-value codes made NaN, as pyreadstat's
    default read gives them, the codes found per column (:data:`MISSING_CODES`) and
    where they are (:data:`MISSING_CELLS`)."""
    frame = frame.copy()
    found: dict[str, list[tuple[str, str | None, int]]] = {}
    where: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    labels = meta.variable_value_labels
    for col in frame.columns:
        values = frame[col]
        if suffix == ".dta":
            if meta.readstat_variable_types.get(col) == "string" or values.dtype != object:
                continue
            coded = values.map(lambda v: isinstance(v, str))
            shown = {code: f".{code}" for code in values[coded].unique()}
        else:
            ranges = meta.missing_ranges.get(col) or []
            coded = pd.Series(False, index=values.index)
            for bounds in ranges:
                coded |= (values >= bounds["lo"]) & (values <= bounds["hi"])
            shown = {code: _spss_code(code) for code in values[coded].unique()}
        if not coded.any():
            continue
        counts = values[coded].value_counts(sort=False)
        order = sorted(shown, key=_code_order)
        found[col] = [
            (shown[code], labels.get(col, {}).get(_label_key(code)), int(counts[code]))
            for code in order
        ]
        index = {code: k for k, code in enumerate(order)}
        positions = np.flatnonzero(coded.to_numpy(dtype=bool))
        where[col] = (positions, values.iloc[positions].map(index).to_numpy(dtype=np.int64))
        kept = values.where(~coded)
        frame[col] = pd.to_numeric(kept) if suffix == ".dta" else kept
    return frame, found, where


def valid_value_labels(meta: Any, suffix: str) -> dict[str, dict[Any, str]]:
    """The file's value labels without those of its missing-value codes (a Stata
    ``.a``'s label, keyed by its letter; an SPSS label of a value inside the variable's
    missing values): those cells are read as missing, and their labels named in the
    note, not among the labels the reader applies."""
    out = {}
    for col, labels in meta.variable_value_labels.items():
        if suffix == ".dta":
            out[col] = {k: v for k, v in labels.items() if not isinstance(k, str)}
        else:
            ranges = meta.missing_ranges.get(col) or []
            out[col] = {
                k: v
                for k, v in labels.items()
                if not any(_within(k, r["lo"], r["hi"]) for r in ranges)
            }
    return out


def _within(value: Any, low: Any, high: Any) -> bool:
    try:
        return bool(low <= value <= high)
    except TypeError:  # a label of another type than the missing values
        return False


def _label_key(code: Any) -> Any:
    """How the file's value labels key ``code``: a date's by SPSS's seconds."""
    if isinstance(code, pd.Timestamp):
        # SPSS keys a date variable's value labels by its seconds from SPSS_ORIGIN
        return (code - SPSS_ORIGIN).total_seconds()
    return code


def _spss_code(code: Any) -> str:
    if isinstance(code, pd.Timestamp):
        return str(code.date()) if code == code.normalize() else str(code)
    if isinstance(code, str):
        return repr(code)
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def _code_order(code: Any) -> tuple[int, Any]:
    return (0, code) if not isinstance(code, str) else (1, code)


def missing_code_notes(file: str, cells: pd.DataFrame) -> tuple[str, ...]:
    """One note per column of ``cells`` (read from ``file``) that held missing-value
    codes: how many cells, each code with its value label and count.

    Examples
    --------
    >>> cells = pd.DataFrame({"income": ["", "12"]})
    >>> cells.attrs[MISSING_CODES] = {"income": [(".a", "refused", 1)]}
    >>> missing_code_notes("survey.dta", cells)
    ("survey.dta: column 'income': 1 cell holds Stata's extended missing values, read as missing: .a 'refused' ×1",)
    """
    kind = _KINDS.get(file[file.rfind(".") :].lower(), "missing-value codes")
    notes = []
    for col, codes in cells.attrs.get(MISSING_CODES, {}).items():
        count = sum(n for _, _, n in codes)
        cells_word = "1 cell holds" if count == 1 else f"{count:,} cells hold"
        shown = ", ".join(
            f"{code}{'' if label is None else ' ' + repr(label)} ×{n:,}" for code, label, n in codes
        )
        notes.append(f"{file}: column {col!r}: {cells_word} {kind}, read as missing: {shown}")
    return tuple(notes)


def missing_code_cells(file: str, cells: pd.DataFrame, columns: Any) -> dict[str, dict[int, str]]:
    """For each of ``columns`` of ``cells`` (read from ``file``) that held missing-value
    codes, the code of each such row by position, named as a problem names it: ``Stata's
    .a 'refused'``, ``SPSS's user-missing -9``.

    Examples
    --------
    >>> cells = pd.DataFrame({"income": ["", "12", ""]})
    >>> cells.attrs[MISSING_CODES] = {"income": [(".a", "refused", 1), (".b", None, 1)]}
    >>> cells.attrs[MISSING_CELLS] = {"income": (np.array([0, 2]), np.array([0, 1]))}
    >>> missing_code_cells("survey.dta", cells, ["income"])
    {'income': {0: "Stata's .a 'refused'", 2: "Stata's .b"}}
    """
    package = _ONE_CODE.get(file[file.rfind(".") :].lower(), "")
    codes = cells.attrs.get(MISSING_CODES, {})
    out = {}
    for col, (positions, which) in cells.attrs.get(MISSING_CELLS, {}).items():
        if col not in columns:
            continue
        named = [
            f"{package}{code}{'' if label is None else ' ' + repr(label)}"
            for code, label, _ in codes[col]
        ]
        out[col] = {
            int(p): named[k] for p, k in zip(positions.tolist(), which.tolist(), strict=True)
        }
    return out
