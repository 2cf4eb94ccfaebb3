"""The schema's closed vocabularies, read in the names a health commission's files use.

A column whose allowed values are those of one of the delivery system's enums
(:class:`~ihms.system.Tier`, :class:`~ihms.system.Affiliation`, ...) accepts what the
enum accepts: its Chinese names (乡镇卫生院), the English of the source studies
(``County hospital``, ``tight``) and loose spelling (case, spaces or hyphens for
underscores). :func:`read_codes` turns such values into the canonical code before the
allowed-values check, and says what it changed (:class:`Translation`), so nothing is
stored differently from the file without a note. Which columns these are is derived from
:data:`~ihms.data.SCHEMAS`, not listed twice.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import pandas as pd

from ihms._width import fold_width
from ihms.data._sex_codes import SEX, SEX_NAMES, ambiguous_hint, read_sex_codes
from ihms.data.schema import SCHEMAS
from ihms.errors import did_you_mean
from ihms.system import Affiliation, ConsortiumType, Integration, Ownership, StaffActivity, Tier
from ihms.system._messages import enum_message

__all__ = [
    "AS_IT_STANDS",
    "NAMES",
    "VOCABULARIES",
    "Translation",
    "read_codes",
    "refusal",
    "stored_refusal",
]

_ENUMS: tuple[type[StrEnum], ...] = (
    Tier,
    Affiliation,
    Ownership,
    ConsortiumType,
    Integration,
    StaffActivity,
)
#: The names a county's export writes for the codes of the closed vocabularies that are
#: no enum of the delivery system: each name means one code only (性别 男/女 as a HIS or
#: 基本公共卫生 export writes it, 门诊/急诊/住院, the two followed conditions), so reading
#: it is no guess; the note says it was done. Keys are matched in lower case after
#: width folding (``Ｍａｌｅ``, ``FEMALE``).
NAMES: MappingProxyType[tuple[str, str], dict[str, str]] = MappingProxyType(
    {
        ("residents", "sex"): SEX_NAMES,
        ("encounters", "type"): {"门诊": "outpatient", "急诊": "emergency", "住院": "inpatient"},
        ("followups", "condition"): {"高血压": "hypertension", "糖尿病": "diabetes"},
    }
)  # fmt: skip
#: How many ``raw → code`` pairs a note shows.
_SHOWN = 3


def _vocabularies() -> dict[tuple[str, str], type[StrEnum]]:
    by_values = {tuple(m.value for m in enum): enum for enum in _ENUMS}
    return {
        (schema.name, col.name): by_values[col.allowed]
        for schema in SCHEMAS.values()
        for col in schema.columns
        if col.allowed in by_values
    }


#: The enum whose values a column allows, by ``(table, column)``.
VOCABULARIES = MappingProxyType(_vocabularies())


@dataclass(frozen=True)
class Translation:
    """Values of one column read as their codes.

    Attributes
    ----------
    table, column
        Where.
    count
        How many values (rows) were translated.
    pairs
        Each distinct ``(value as written, code)``, the most frequent first.
    """

    table: str
    column: str
    count: int
    pairs: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        shown = ", ".join(f"{raw} → {code}" for raw, code in self.pairs[:_SHOWN])
        more = ", ..." if len(self.pairs) > _SHOWN else ""
        were, codes = ("were", "their codes") if self.count != 1 else ("was", "its code")
        value = "values" if self.count != 1 else "value"
        return (
            f"{self.table}.{self.column}: {self.count:,} {value} written in Chinese or "
            f"another spelling {were} read as {codes} ({shown}{more})"
        )


def read_codes(
    values: pd.Series, table: str, column: str, *, names: Mapping[str, str] | None = None
) -> tuple[pd.Series, Translation | None]:
    """``values`` with every name its column's enum accepts replaced by the code.

    Values already canonical, nulls and values the enum does not know are left as they
    are (the allowed-values check reports the last). Returns the values and what was
    translated (``None`` if nothing, or if the column has no enum). ``names``: the
    names to read instead of :data:`NAMES`' (the payment tables' codes, which are no
    schema column's), keys in lower case.
    """
    enum = VOCABULARIES.get((table, column)) if names is None else None
    names = NAMES.get((table, column)) if names is None else dict(names)
    if enum is None and names is None:
        return values, None
    codes = {m.value for m in enum} if enum is not None else set(names.values())  # type: ignore[union-attr]
    mapping: dict[str, str] = {}
    for raw in values.dropna().unique():
        if raw in codes:
            continue
        if names is not None:
            if (code := names.get(fold_width(str(raw)).strip().lower())) is not None:
                mapping[raw] = code
            continue
        try:
            mapping[raw] = enum(raw).value  # type: ignore[misc]
        except ValueError:
            continue
    if not mapping:
        return values, None
    counts = values[values.isin(list(mapping)).fillna(False).astype(bool)].value_counts()
    pairs = tuple((str(raw), mapping[raw]) for raw in counts.index)
    translation = Translation(table, column, int(counts.sum()), pairs)
    return values.replace(mapping), translation


def refusal(value: object, table: str, column: str, allowed: tuple[str, ...]) -> str:
    """What to write instead of ``value``: the allowed codes (and for an enum's column
    that Chinese names are read too, in the enum's own message) and the nearest one."""
    enum = VOCABULARIES.get((table, column))
    if enum is None:
        read = NAMES.get((table, column))
        also = f" ({'/'.join(list(read)[:3])}... are read too)" if read else ""
        return (
            f"expected one of {', '.join(allowed)}{also}, got {value!r}"
            f"{did_you_mean(value, allowed) or _nearest_name(value, read)}"
            f"{ambiguous_hint(column, value)}"
        )
    return enum_message(str(value), enum, ", ".join(allowed)) + ambiguous_hint(column, value)


#: Why a folder checked on an engine refuses names and codes ``ihms data import`` reads,
#: and how to have them read (:mod:`ihms.indicators._parquet_checks`).
AS_IT_STANDS = (
    "a Parquet folder checked on an engine is read as it stands, in the codes `ihms data "
    "export` writes (as `ihms indicators compute --parquet` reads it): import it (`ihms "
    "data import DIR`) and export the store (`ihms data export --out DIR --format "
    "parquet`), or write the codes"
)


def stored_refusal(
    value: object,
    table: str,
    column: str,
    allowed: tuple[str, ...],
    held: Callable[[], pd.Series],
) -> str:
    """The refusal of ``value`` in a column read as it stands, where no name or code is
    read (a Parquet folder checked on an engine): what ``ihms data import`` reads it as
    — ``held()``, the column's distinct values, decide whether a sex column is coded by
    GB/T 2261.1 — and how to have it read (:data:`AS_IT_STANDS`); for a value the import
    refuses too, the import's refusal (:func:`refusal`) and the same pointer."""
    if (table, column) == SEX:
        values = held().astype(object)
        read, note = read_sex_codes(values, table, column, "")
        code = dict(zip(values.tolist(), read.tolist(), strict=True)).get(value)
        as_what = code if isinstance(code, str) else "empty (sex not known)"
        if note is not None and note.counts:
            return (
                f"expected one of {', '.join(allowed)}, got {value!r}, which `ihms data "
                f"import` reads by GB/T 2261.1-2003 (人的性别代码) as {as_what}, the "
                f"column holding only its codes; {AS_IT_STANDS}"
            )
        if note is not None and value in values.tolist() and not isinstance(code, str):
            return (  # U, unknown, 未知 beside M/F
                f"expected one of {', '.join(allowed)}, got {value!r}, which `ihms data "
                f"import` reads as {as_what}; {AS_IT_STANDS}"
            )
    read, translation = read_codes(pd.Series([value], dtype=object), table, column)
    if translation is not None:
        return (
            f"expected one of {', '.join(allowed)}, got {value!r}, which `ihms data "
            f"import` reads as {read.iloc[0]}; {AS_IT_STANDS}"
        )
    named = VOCABULARIES.get((table, column)) or NAMES.get((table, column))
    tail = f"; names and codes are read by `ihms data import`, not here: {AS_IT_STANDS}"
    return refusal(value, table, column, allowed) + (tail if named else "")


def _nearest_name(value: object, names: dict[str, str] | None) -> str:
    """`` — did you mean '门诊' (outpatient)?``: the nearest name read for a code, when no
    code is near (:func:`difflib.get_close_matches` at :func:`~ihms.errors.did_you_mean`'s
    cutoff 0.5: a two-character name with one character wrong, 门珍, is half right)."""
    text = fold_width(str(value)).strip().lower()
    close = difflib.get_close_matches(text, list(names or ()), n=1, cutoff=0.5)
    return f" — did you mean {close[0]!r} ({(names or {})[close[0]]})?" if close else ""
