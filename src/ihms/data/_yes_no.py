"""Yes/no cells (the schema's ``bool`` columns: ``residents.insured``, ``hypertension``,
``counties.study``, ...) read in the words a county's files write them.

A HIS or 基本公共卫生 export writes 是/否, a register 有/无 (有无高血压), Excel TRUE/FALSE,
a statistics package 1/0 (pandas 1.0/0.0 once a column holds a null). Each of these
means one answer only, so reading it is no guess; :func:`yes_no_note` says which words
were read, as :class:`~ihms.data._vocabulary.Translation` does for the closed
vocabularies. Anything else (已参保, 是的, 2, a dash) is refused with
:data:`YES_NO_FORMS`. 无 is "no" here: in a number column it is refused as a placeholder
(zero or not recorded cannot be told), but a yes/no question answered 无 is answered.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms.data._cell_text import cell_text, is_blank

#: Each word (lower case, after width folding) and the answer it gives.
WORDS: dict[str, bool] = {
    **dict.fromkeys(("true", "yes", "y", "t", "1", "是", "有", "真"), True),
    **dict.fromkeys(("false", "no", "n", "f", "0", "否", "无", "假"), False),
}
#: What a refused yes/no cell is told is read.
YES_NO_FORMS = (
    "yes or no: true/false, yes/no, y/n, t/f, 1/0, 是/否, 有/无 or 真/假 (any case, full-width too)"
)
#: How many ``word → answer`` pairs a note shows.
_SHOWN = 6


def _words(s: pd.Series) -> pd.Series:
    """The cells as the keys of :data:`WORDS`: folded, lower case, ``1.0`` as ``1``."""
    text = cell_text(s.map(str, na_action="ignore") if s.dtype == object else s)
    return text.str.lower().str.replace(r"^([01])\.0+$", r"\1", regex=True)


def coerce_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(values, bad)`` of a yes/no column (:data:`WORDS`; numbers 1 and 0 only)."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    if pd.api.types.is_numeric_dtype(s.dtype):
        values = pd.Series(pd.NA, index=s.index, dtype="boolean")
        one, zero = (s == 1).fillna(False).astype(bool), (s == 0).fillna(False).astype(bool)
        values[one], values[zero] = True, False
        return values, (s.notna() & ~one & ~zero).astype(bool)
    answers = _words(s).map(WORDS).astype("boolean")
    return answers, (~is_blank(s) & answers.isna()).astype(bool)


@dataclass(frozen=True)
class YesNoRead:
    """The cells of one yes/no column read from words other than true/false (a note of
    ``ihms data import``, beside :class:`~ihms.data._vocabulary.Translation`).

    Attributes
    ----------
    table, column
        Where.
    count
        How many cells.
    words
        Each word as written, its answer and how many cells wrote it, the most frequent
        first.
    """

    table: str
    column: str
    count: int
    words: tuple[tuple[str, bool, int], ...]

    def __str__(self) -> str:
        shown = ", ".join(
            f"{word} → {str(answer).lower()} ×{n:,}" for word, answer, n in self.words[:_SHOWN]
        )
        more = ", ..." if len(self.words) > _SHOWN else ""
        value, were = ("values", "were") if self.count != 1 else ("value", "was")
        return (
            f"{self.table}.{self.column}: {self.count:,} yes/no {value} written in other "
            f"words than true/false {were} read ({shown}{more})"
        )


def yes_no_note(s: pd.Series, table: str, column: str) -> YesNoRead | None:
    """The note for the cells of a yes/no column :func:`coerce_bool` read from words
    other than true/false (width and case aside), or None."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    # each distinct word once (a column repeats a few words down every row), in the
    # order first seen, which the stable sort by count keeps for ties
    counts = s[s.notna()].map(lambda v: str(v).strip()).value_counts(sort=False)
    keys = _words(pd.Series(counts.index, dtype=object))
    words = [
        (word, WORDS[key], int(n))
        for word, key, n in zip(counts.index, keys, counts.to_numpy(), strict=True)
        if key in WORDS and key not in ("true", "false")
    ]
    if not words:
        return None
    words.sort(key=lambda item: -item[2])
    return YesNoRead(table, column, sum(n for _, _, n in words), tuple(words))
