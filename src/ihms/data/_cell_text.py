"""A cell as text, the one way every column kind reads it (:mod:`ihms.data._coerce`,
:mod:`ihms.data._yes_no`): stripped, full-width forms as ASCII."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ihms.stats._cells import normal_text

#: Excel's formula error values (lower case, as a cell's text is compared) and what each
#: means, for the message that refuses one.
EXCEL_ERRORS = {
    "#n/a": "a lookup found nothing",
    "#value!": "an argument of the wrong type, such as text in a sum",
    "#div/0!": "a division by zero or by an empty cell",
    "#ref!": "a reference to a cell that was deleted",
    "#name?": "a name Excel does not know, such as a misspelt function",
    "#num!": "a number out of range",
    "#null!": "two ranges that do not intersect",
    "#spill!": "an array result blocked by other cells",
    "#calc!": "a calculation Excel could not do, such as an empty array",
}


def is_blank(s: pd.Series) -> pd.Series:
    """Missing, or an empty / whitespace string."""
    mask = s.isna()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        text = s.astype("string")
        if text.dtype.storage == "pyarrow":
            # what ``text.str.strip() == ""`` computes on pyarrow strings
            # (utf8_trim_whitespace), in pyarrow: each pandas step cost 0.05 ms, and
            # reading a table asks this of each of its columns twice
            stripped = pc.utf8_trim_whitespace(pa.array(text.array))
            empty = pc.equal(stripped, pa.scalar("", stripped.type)).fill_null(False)
            values = mask.to_numpy(dtype=bool) | empty.to_numpy(zero_copy_only=False)
            return pd.Series(values, index=s.index, name=s.name)
        stripped = text.str.strip()
        mask = mask | (stripped == "").fillna(False)
    return mask.astype(bool)


def cell_text(s: pd.Series) -> pd.Series:
    """Cells as stripped text, full-width forms as ASCII (:func:`~ihms.stats._cells.normal_text`,
    applied to the cells that are not ASCII already, once per distinct value)."""
    text = s.astype("string")
    wide = ~text.str.isascii().fillna(True).astype(bool).to_numpy()
    if wide.any():
        # a column repeats a few Chinese names (乡镇卫生院, 门诊, 是) down a million rows:
        # each is folded once, then put back at its rows (Series.mask aligning a million
        # labels took longer than the folding)
        codes, uniques = pd.factorize(text[wide])
        cells = pa.array(text.array)
        folded = pa.array([normal_text(v) for v in uniques.tolist()], type=cells.type)
        values = pc.replace_with_mask(cells, pa.array(wide), folded.take(codes))
        text = pd.Series(pd.array(values, dtype="string"), index=text.index)
    return text.str.strip()
