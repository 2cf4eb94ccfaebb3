"""A cell as text, the one way every column kind reads it (:mod:`ihms.data._coerce`,
:mod:`ihms.data._yes_no`): stripped, full-width forms as ASCII."""

from __future__ import annotations

import pandas as pd

from ihms.stats._cells import normal_text


def is_blank(s: pd.Series) -> pd.Series:
    """Missing, or an empty / whitespace string."""
    mask = s.isna()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        stripped = s.astype("string").str.strip()
        mask = mask | (stripped == "").fillna(False)
    return mask.astype(bool)


def cell_text(s: pd.Series) -> pd.Series:
    """Cells as stripped text, full-width forms as ASCII (:func:`~ihms.stats._cells.normal_text`,
    applied to the cells that are not ASCII already)."""
    text = s.astype("string")
    wide = ~text.str.isascii().fillna(True).astype(bool)
    if wide.any():
        text = text.mask(wide, text[wide].map(normal_text).astype("string"))
    return text.str.strip()
