"""Sex coded by the national standard GB/T 2261.1-2003 (人的性别代码), as a hospital
information system (HIS) extract codes it: 0 未知的性别 (not known), 1 男性, 2 女性,
9 未说明的性别 (not stated).

A sex column whose values are all among 0, 1, 2 and 9 (text, numbers such as ``2.0``,
full-width digits) and which holds at least one 2 is read by the standard: 1 as ``M``,
2 as ``F``; the schema's sex has no value for not known, so 0 and 9 are left empty (the
column is required, so such a row is then refused naming the code it held,
:attr:`~ihms.data.dataset.RowLabels.missing_codes`). A ``.dta``/``.sav`` whose labels
are the standard's names (男/女 with 未知的性别 or 未说明的性别) is read alike. One
note (:class:`SexCodes`) names the file, the column, the standard and the counts.

A column of 0 and 1 only (or 1 only) is not read: a 0/1 dummy (1 = female as often as
1 = male) is as common in statistics as the standard's codes, and without a 2 the two
cannot be told apart (:func:`ambiguous_hint` says so in the refusal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ihms._width import fold_width

__all__ = ["SexCodes", "ambiguous_hint", "read_sex_codes"]

#: The standard's codes: what each is read as (None: left empty) and its name.
_CODES: dict[str, tuple[str | None, str]] = {
    "0": (None, "未知的性别"),
    "1": ("M", "男性"),
    "2": ("F", "女性"),
    "9": (None, "未说明的性别"),
}
#: The standard's names (and the short 男/女) as value labels give them, by code.
_NAMES = {"未知的性别": "0", "男性": "1", "男": "1", "女性": "2", "女": "2", "未说明的性别": "9"}
_DIGIT = re.compile(r"([0129])(?:\.0*)?")


@dataclass(frozen=True)
class SexCodes:
    """A sex column read by GB/T 2261.1 (a note of ``ihms data import``, beside
    :class:`~ihms.data._vocabulary.Translation`): ``counts`` of the cells per code, in
    code order."""

    table: str
    column: str
    file: str
    counts: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        read = {"0": "empty", "1": "M", "2": "F", "9": "empty"}
        shown = ", ".join(
            f"{code} {_CODES[code][1]} → {read[code]} ×{n:,}" for code, n in self.counts
        )
        unknown = (
            " (sex has no value for not known, so those cells are empty)"
            if any(code in ("0", "9") for code, _ in self.counts)
            else ""
        )
        return (
            f"column '{self.column}' of {self.file}: read as coded by GB/T 2261.1-2003 "
            f"(人的性别代码): {shown}{unknown}"
        )


def _code(value: object) -> str | None:
    text = fold_width(str(value)).strip()
    if found := _DIGIT.fullmatch(text):
        return found.group(1)
    return _NAMES.get(text)


def read_sex_codes(
    values: pd.Series, table: str, column: str, file: str
) -> tuple[pd.Series, SexCodes | None, dict[int, str]]:
    """``values`` of a sex column read by GB/T 2261.1 when it is so coded (see the
    module), the note, and the code of each cell left empty (position → ``GB/T 2261.1
    code 9 (未说明的性别)``); ``values`` unchanged, ``None`` and ``{}`` otherwise."""
    distinct = values.dropna().unique()
    codes = {raw: _code(raw) for raw in distinct}
    if not codes or None in codes.values():
        return values, None, {}
    found = set(codes.values())
    digits = all(_DIGIT.fullmatch(fold_width(str(raw)).strip()) for raw in distinct)
    # digits: by the standard only with a 2 (0/1 may be a dummy); names: only when the
    # standard's names for not known are among them (男/女 alone are read as names are)
    if ("2" not in found) if digits else not found & {"0", "9"}:
        return values, None, {}
    code = values.map(codes, na_action="ignore")
    read = code.map({c: _CODES[c][0] for c in _CODES}, na_action="ignore")
    counts = code.value_counts()
    note = SexCodes(table, column, file, tuple((c, int(counts[c])) for c in sorted(counts.index)))
    empty = code.isin(["0", "9"]).to_numpy(dtype=bool)
    held = {
        int(i): f"GB/T 2261.1 code {code.iloc[i]} ({_CODES[code.iloc[i]][1]})"
        for i in empty.nonzero()[0]
    }
    return read.astype(values.dtype), note, held


def ambiguous_hint(column: str, value: object) -> str:
    """Why a sex cell coded 0, 1, 2 or 9 was not read by GB/T 2261.1 and how to give it;
    ``""`` for other values."""
    if column != "sex" or not _DIGIT.fullmatch(fold_width(str(value)).strip()):
        return ""
    return (
        "; GB/T 2261.1 codes (1 = 男 M, 2 = 女 F, 0 and 9 = not known) are read only from "
        "a column all of whose values are such codes and which holds a 2: 0/1 alone may "
        "as well be a dummy (1 = female, or 1 = male); recode the column to M/F (or 男/女), "
        "or in a .dta or .sav give the codes value labels"
    )
