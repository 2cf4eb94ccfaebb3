"""Sex coded by the national standard GB/T 2261.1-2003 (人的性别代码), as a hospital
information system (HIS) extract codes it: 0 未知的性别 (not known), 1 男性, 2 女性,
9 未说明的性别 (not stated).

A sex column whose values are all among 0, 1, 2 and 9 (text, numbers such as ``2.0``,
full-width digits) and which holds at least one 2 is read by the standard: 1 as ``M``,
2 as ``F``, 0 and 9 as not known, which the schema's optional sex stores as empty (as it
does a blank cell; no indicator reads sex). A ``.dta``/``.sav`` whose labels are the
standard's names (男/女 with 未知的性别 or 未说明的性别; 未知, 不详 and 未说明 as registers
write them), and a column of such names, is read alike. One note per file
(:class:`SexCodes`, :func:`sex_note`) names the file, the column, the standard's counts
and the residents whose sex is not known: by code where a code said so, else blank (or
the file's missing-value code, a Stata ``.a``, or the word it wrote: see below).

Sex not known as HL7 v2 (AdministrativeSex ``U``) and FHIR (``unknown``) write it, in
any case, is read as empty in any sex column, and so are the standard's names for it
(未知, 不详) beside M/F; the note counts them as written (``U ×2``). ``O``/``other`` is
no sex not known: it is refused, as any value no code means.

A column of 0 and 1 only (or 1 only) is not read: a 0/1 dummy (1 = female as often as
1 = male) is as common in statistics as the standard's codes, and without a 2 the two
cannot be told apart (:func:`ambiguous_hint` says so in the refusal).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from ihms._width import fold_width

__all__ = ["SEX", "SEX_NAMES", "SexCodes", "ambiguous_hint", "read_sex_codes", "sex_note"]

#: The column (table, column) :func:`read_sex_codes` reads and :func:`sex_note` notes.
SEX = ("residents", "sex")

#: The standard's codes: what each is read as (None: not known, left empty) and its name.
_CODES: dict[str, tuple[str | None, str]] = {
    "0": (None, "未知的性别"),
    "1": ("M", "男性"),
    "2": ("F", "女性"),
    "9": (None, "未说明的性别"),
}
#: The two sexes' Chinese names (the standard's and the short 男/女), by code.
_SEXES_ZH = {"男": "1", "男性": "1", "女": "2", "女性": "2"}
#: The standard's names (and 未知/不详/未说明 as registers write them) as value labels or
#: cells give them, by code.
_NAMES = {
    "未知的性别": "0",
    "未知": "0",
    "不详": "0",
    **_SEXES_ZH,
    "未说明的性别": "9",
    "未说明": "9",
}
#: The names of a sex a county's export writes, read as the schema's code beside M/F
#: (:data:`ihms.data._vocabulary.NAMES`; keys in lower case): the Chinese above and the
#: English.
SEX_NAMES = {
    **{name: "M" for name, code in _SEXES_ZH.items() if code == "1"},
    "male": "M",
    "m": "M",
    **{name: "F" for name, code in _SEXES_ZH.items() if code == "2"},
    "female": "F",
    "f": "F",
}
#: Sex not known as HL7 v2 (AdministrativeSex ``U``) and FHIR (``unknown``) write it, in
#: lower case; "other" (``O``) is no sex not known, and is refused.
_UNKNOWN_WORDS = frozenset({"u", "unknown"})
_DIGIT = re.compile(r"([0129])(?:\.0*)?")


@dataclass(frozen=True)
class SexCodes:
    """A sex column's reading (a note of ``ihms data import``, beside
    :class:`~ihms.data._vocabulary.Translation`): ``counts`` of the cells per GB/T
    2261.1 code, in code order (empty when the column is not so coded), and ``unknown``,
    the residents whose sex is not known by what the file held instead of a code
    (``blank``, or a missing-value code such as ``Stata's .a 'refused'``)."""

    table: str
    column: str
    file: str
    counts: tuple[tuple[str, int], ...] = ()
    unknown: tuple[tuple[str, int], ...] = ()
    #: for a column of names (男, 未知的性别), each code's names as the file writes them,
    #: which the note shows instead of the code (empty for a column of digits)
    written: tuple[tuple[str, str], ...] = ()

    def _as_written(self, code: str) -> str:
        return dict(self.written).get(code) or f"{code} {_CODES[code][1]}"

    def __str__(self) -> str:
        said = [f"column '{self.column}' of {self.file}: "]
        known = [(code, n) for code, n in self.counts if _CODES[code][0] is not None]
        coded = [(code, n) for code, n in self.counts if _CODES[code][0] is None]
        if self.counts:
            shown = ", ".join(f"{self._as_written(c)} → {_CODES[c][0]} ×{n:,}" for c, n in known)
            how = "by the names of" if self.written else "as coded by"
            said.append(f"read {how} GB/T 2261.1-2003 (人的性别代码): {shown}")
        n = sum(k for _, k in coded) + sum(k for _, k in self.unknown)
        if n:
            why = [f"{self._as_written(c)} ×{k:,}" for c, k in coded]
            why += [f"{what} ×{k:,}" for what, k in self.unknown]
            said.append(
                f"{'; ' if self.counts else ''}sex not known for {n:,} "
                f"resident{'s' if n != 1 else ''}, left empty (no indicator reads sex): "
                + ", ".join(why)
            )
        return "".join(said)


def _code(value: object) -> str | None:
    text = fold_width(str(value)).strip()
    if found := _DIGIT.fullmatch(text):
        return found.group(1)
    return _NAMES.get(text)


def _not_known(value: object) -> bool:
    """``value`` is a word for sex not known: HL7 v2's ``U``, FHIR's ``unknown``, or
    the standard's names for 0 and 9 (未知, 未说明的性别; a digit is a code, not a word)."""
    text = fold_width(str(value)).strip()
    return text.lower() in _UNKNOWN_WORDS or _NAMES.get(text) in ("0", "9")


def _words(values: pd.Series, words: set) -> tuple[tuple[str, int], ...]:
    """How many cells hold each of ``words``, as the file writes it, the most first."""
    counts = values[values.isin(list(words)).fillna(False).astype(bool)].value_counts()
    return tuple(sorted(((str(w), int(n)) for w, n in counts.items()), key=lambda c: -c[1]))


def _emptied(
    values: pd.Series, unknown: set, table: str, column: str, file: str
) -> tuple[pd.Series, SexCodes | None]:
    """``values`` with the cells holding one of ``unknown`` (words for sex not known)
    made empty, and the note counting them; ``values`` and ``None`` when there are none."""
    if not unknown:
        return values, None
    note = SexCodes(table, column, file, unknown=_words(values, unknown))
    return values.mask(values.isin(list(unknown)).fillna(False).astype(bool)), note


def read_sex_codes(
    values: pd.Series, table: str, column: str, file: str
) -> tuple[pd.Series, SexCodes | None]:
    """``values`` of a sex column read by GB/T 2261.1 when it is so coded (see the
    module; 0 and 9 read as empty) and the note of the codes' counts. A column not so
    coded (M/F) has only its words for sex not known read as empty, with a note
    counting them: HL7 v2's ``U``, FHIR's ``unknown`` (any case) and the standard's
    names (未知, 不详); its other values are left unchanged, and with no such word the
    note is ``None``."""
    distinct = values.dropna().unique()
    words = {raw for raw in distinct if fold_width(str(raw)).strip().lower() in _UNKNOWN_WORDS}
    codes = {raw: _code(raw) for raw in distinct if raw not in words}
    if not codes or None in codes.values():
        return _emptied(values, {raw for raw in distinct if _not_known(raw)}, table, column, file)
    found = set(codes.values())
    digits = all(_DIGIT.fullmatch(fold_width(str(raw)).strip()) for raw in codes)
    # digits: by the standard only with a 2 (0/1 may be a dummy); names: only when the
    # standard's names for not known are among them (男/女 alone are read as names are)
    if ("2" not in found) if digits else not found & {"0", "9"}:
        return _emptied(values, words, table, column, file)
    code = values.map(codes, na_action="ignore")
    read = code.map({c: _CODES[c][0] for c in _CODES}, na_action="ignore")
    counts = code.value_counts()
    # names are shown as written (男 is not 男性); digits by the standard's names
    texts: dict[str, set[str]] = {}
    for raw, c in codes.items():
        text = fold_width(str(raw)).strip()
        texts.setdefault(c, set()).add(f"{c} {_CODES[c][1]}" if _DIGIT.fullmatch(text) else text)
    written = () if digits else tuple((c, "/".join(sorted(t))) for c, t in sorted(texts.items()))
    note = SexCodes(
        table,
        column,
        file,
        tuple((c, int(counts[c])) for c in sorted(counts.index)),
        _words(values, words),
        written=written,
    )
    return read.astype(values.dtype), note


def sex_note(
    note: SexCodes | None,
    empty: pd.Series,
    held: Callable[[int], str | None] | None,
    where: tuple[str, str, str],
) -> SexCodes | None:
    """The one note of a file's sex column: ``note`` (its GB/T 2261.1 codes, or
    ``None``) with the cells that were ``empty`` in the file counted as not known,
    by the missing-value code ``held`` gives a position (``Stata's .a 'refused'``)
    where the file gave one, else as blank (every one, with ``held`` None: a file
    without missing-value codes); ``where`` is the note's table, column and file.
    ``None`` when there is nothing to say."""
    if held is None:
        blank = int(empty.sum())
        unknown: tuple[tuple[str, int], ...] = (("blank", blank),) if blank else ()
    else:
        positions = empty.to_numpy(dtype=bool).nonzero()[0]
        named = pd.Series([held(int(i)) or "blank" for i in positions], dtype=object)
        counts = named.value_counts(sort=False)
        unknown = tuple(
            sorted(((str(k), int(n)) for k, n in counts.items()), key=lambda c: c[0] == "blank")
        )
    if note is None and not unknown:
        return None
    base = note if note is not None else SexCodes(*where)
    return replace(base, unknown=base.unknown + unknown)  # the file's words (U), then blanks


def ambiguous_hint(column: str, value: object) -> str:
    """Why a sex cell coded 0, 1, 2 or 9 was not read by GB/T 2261.1 and how to give it;
    ``""`` for other values."""
    if column != "sex" or not _DIGIT.fullmatch(fold_width(str(value)).strip()):
        return ""
    return (
        "; GB/T 2261.1 codes (1 = 男 M, 2 = 女 F, 0 and 9 = not known) are read only from "
        "a column that holds nothing but such codes, at least one of them a 2 (0/1 alone "
        "may as well be a dummy: 1 = female, or 1 = male); write the whole column as M/F "
        "(or 男/女) or as the codes, or in a .dta or .sav give the codes value labels"
    )
