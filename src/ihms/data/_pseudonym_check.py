"""Ids that claim to be pseudonyms are held to the form ihms's pseudonymiser gives them.

A folder whose ``dataset.json`` says ``id_scheme: pseudonymised`` is stored with its ids
as they are; a raw id (an 18-digit 身份证号, a HIS serial) added to such a folder would
otherwise be stored — and exported — as if it were a pseudonym. The raw value is never
echoed in a message: the message names where it is and what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ihms.data._folder_meta import FOLDER_META
from ihms.data.dataset import RowLabels
from ihms.data.pseudonym import ENV_VAR, ID_COLUMNS, PREFIX, PSEUDONYM_HEX, pseudonym_pattern
from ihms.errors import DataError, Problem

__all__ = ["check_pseudonyms", "refuse_raw_ids"]

#: rows named per column before the rest are counted
_ROWS_NAMED = 5


def expected_form(kind: str) -> str:
    """``'r' and 20 hex digits`` for a resident's pseudonym."""
    return f"'{PREFIX[kind]}' and {PSEUDONYM_HEX} hex digits (0-9, a-f)"


def check_pseudonyms(
    folder: Path, frames: Mapping[str, pd.DataFrame], labels: Mapping[str, RowLabels]
) -> None:
    """Refuse every id of the folder's tables that is not a pseudonym of its kind, naming
    file, row and column (never the value: it may be a raw id)."""
    problems: list[Problem] = []
    for name, cols in ID_COLUMNS.items():
        frame = frames.get(name)
        if frame is None or name not in labels:
            continue
        label = labels[name]
        for col, kind in cols.items():
            if col not in frame.columns:
                continue
            bad = _not_of_form(frame[col], pseudonym_pattern(kind))
            if not len(bad):
                continue
            where = {"file": label.file, "column": label.column(col)}
            for pos in bad[:_ROWS_NAMED]:
                problems.append(
                    Problem.at(
                        f"not a pseudonym: expected {expected_form(kind)}, as ihms data "
                        "export writes them",
                        row=label.row(pos),
                        expected=expected_form(kind),
                        **where,
                    )
                )
            if len(bad) > _ROWS_NAMED:
                problems.append(
                    Problem.at(
                        f"{len(bad) - _ROWS_NAMED:,} more rows are no pseudonyms either",
                        expected=expected_form(kind),
                        **where,
                    )
                )
    if problems:
        raise DataError(
            f"{folder}: its {FOLDER_META} says the ids are pseudonymised, but some are "
            "not ihms pseudonyms — a source system's own ids (身份证号, HIS "
            "serials) added to an export? Keep raw tables in a folder of their own and "
            f"import it with the key (--key-file or ${ENV_VAR}), or remove {FOLDER_META} "
            "to pseudonymise the whole folder on import",
            problems,
        )


def _not_of_form(values: pd.Series, pattern: str) -> np.ndarray:
    """The positions of the ids given (neither missing nor blank) that do not match
    ``pattern`` whole, their outer blanks aside: one Arrow regular expression over the
    column (RE2), not a Python match per id (1 M ids: 0.3 s, not 2 s)."""
    try:
        text = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers (a Parquet integer column)
        text = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    text = pc.utf8_trim_whitespace(text)
    given = pc.fill_null(pc.not_equal(text, ""), False)
    matched = pc.fill_null(pc.match_substring_regex(text, f"^(?:{pattern})$"), False)
    return np.flatnonzero(pc.and_(given, pc.invert(matched)).to_numpy(zero_copy_only=False))


def refuse_raw_ids(con: object, path: object, tables: Sequence[str]) -> None:
    """Refuse to export a pseudonymised store whose ids of ``tables`` are not all
    pseudonyms (DuckDB's ``regexp_full_match`` over each id column): ihms never exports
    raw ids, whatever a store's metadata says of them."""
    problems = []
    for name in tables:
        for col, kind in ID_COLUMNS.get(name, {}).items():
            (count,) = con.execute(  # type: ignore[attr-defined]
                f'SELECT count(*) FROM "{name}" WHERE "{col}" IS NOT NULL AND NOT '
                f"regexp_full_match(\"{col}\", '{pseudonym_pattern(kind)}')"
            ).fetchone()
            if count:
                problems.append(
                    f"{name}.{col}: {count:,} id(s) not of the form {expected_form(kind)}"
                )
    if problems:
        raise DataError(
            f"store {path}: holds ids that are no ihms pseudonyms although it says its ids "
            "are pseudonymised; ihms never exports raw ids (re-import the source system's "
            "tables with the key, --key-file or $" + ENV_VAR + ")",
            problems,
        )
