"""A person's review of machine codes: the sheet to fill in, and reading it back.

:func:`review_sheet` lays out every answer a machine coder just gave (one row per
segment, "nothing applies" shown as ``-``) with an empty ``status`` column;
:func:`review_from_sheet` reads the filled-in sheet and records each ``accepted`` or
``rejected`` through :func:`ihms.policy.coding.review_codings`, after checking every row
first so that a sheet with any bad row records nothing.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from ihms.errors import DataError, InputError, Problem, did_you_mean
from ihms.policy.autocode._machine_coding import number_word
from ihms.policy.autocode.apply import AppliedCodes
from ihms.policy.autocode.project import NONE

__all__ = ["REVIEW_COLUMNS", "read_review_sheet", "review_from_sheet", "review_sheet"]

#: The columns :func:`review_from_sheet` needs.
REVIEW_COLUMNS = ("segment", "dimension", "coder", "status")
#: statuses as a reviewer may type them (read under NFKC, lower case)
_STATUS_WORDS = {"accepted": "accepted", "accept": "accepted", "接受": "accepted",
                 "采纳": "accepted", "rejected": "rejected", "reject": "rejected",
                 "拒绝": "rejected", "不接受": "rejected"}  # fmt: skip


def review_sheet(project: Any, applied: AppliedCodes, *, scheme: str = "paragraph") -> pd.DataFrame:
    """One row per answer of ``applied``, with an empty ``status`` for a person.

    Parameters
    ----------
    project : ihms.policy.Project
        The open project the codes were written to.
    applied : AppliedCodes
        What :func:`~ihms.policy.autocode.apply_to_project` returned.
    scheme : str, default "paragraph"
        The segmentation the codes are on.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``document``, ``dimension``, ``coder``, ``proposed`` (categories
        joined by ``;``, ``-`` for "nothing applies"), ``probability`` (per proposed
        category; ``score`` for a model that could not calibrate, whose numbers are an
        order, not chances), ``status`` (empty) and ``text``.
    """
    segs = project.segments(scheme=scheme).set_index("id")
    codes = applied.codes
    by_segment = {str(s): part for s, part in codes.groupby("segment", sort=False)}
    answered = applied.answered or tuple(by_segment)
    number = number_word(applied.calibrated)
    rows = []
    for seg in answered:
        part = by_segment.get(seg)
        cats, probs = [], []
        if part is not None:
            chances = part["probability"] if "probability" in part else [float("nan")] * len(part)
            for cat, prob in zip(part["category"], chances, strict=True):
                if cat != NONE:
                    cats.append(str(cat))
                    probs.append("" if prob != prob else f"{prob:.2f}")
        rows.append(
            {
                "segment": seg,
                "document": segs.at[seg, "doc_id"],
                "dimension": applied.dimension,
                "coder": applied.coder,
                "proposed": ";".join(cats) or "-",
                number: ";".join(probs),
                "status": "",
                "text": segs.at[seg, "text"],
            }
        )
    columns = ["segment", "document", "dimension", "coder", "proposed", number]
    return pd.DataFrame(rows, columns=[*columns, "status", "text"])


def read_review_sheet(
    project: Any, path: str | Path, *, notes: list[str] | None = None
) -> dict[str, dict[tuple[str, str], str]]:
    """The reviews a filled-in sheet records, ``{coder: {(segment, dimension): status}}``.

    Rows with an empty ``status`` are skipped. ``status`` is read case- and
    space-insensitively, full-width letters as half-width, 接受/采纳 as accepted and
    拒绝/不接受 as rejected. A review accepts or rejects the machine's answer as it
    was: a ``proposed`` cell that names other categories than the machine gave (read
    as a set: order, spaces and ``；`` for ``;`` do not matter; ``-`` is "nothing
    applies"; an empty cell is not checked) is refused — a person's own answer is a
    coding of theirs, for ``ihms policy codes import``.

    Parameters
    ----------
    project : ihms.policy.Project
        The open project whose machine codes are reviewed.
    path : str or Path
        A ``.xlsx`` or ``.csv`` sheet as :func:`review_sheet` lays out.
    notes : list of str, optional
        What reading the sheet left out (a title or blank rows above its header,
        :func:`ihms.policy.sheet.read_table_file`) is appended here.

    Raises
    ------
    InputError
        A missing file or column.
    DataError
        Every row whose status is not accepted/rejected, whose coder is not a machine
        coder of the project, or whose coder gave no answer for that segment and
        dimension, or whose ``proposed`` cell was changed, each named by file, row and
        column.
    """
    from ihms.policy.sheet import read_table_file
    from ihms.stats._cells import first_row

    path = Path(path)
    expected = ", ".join(REVIEW_COLUMNS)
    frame = read_table_file(path, expected=expected, columns=REVIEW_COLUMNS, notes=notes)
    missing = [c for c in REVIEW_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path.name}: no column {', '.join(map(repr, missing))} (expected the review "
            f"sheet `apply --review-sheet` writes); the columns are {', '.join(frame.columns)}"
        )
    kinds = dict(project.query("SELECT id, kind FROM coders"))
    given: dict[tuple[str, str, str], set[str]] = {}
    for c, s, d, v in project.query("SELECT coder_id, segment_id, dimension, value FROM codings"):
        given.setdefault((str(c), str(s), str(d)), set()).update({str(v)} - {""})
    proposed = frame["proposed"] if "proposed" in frame.columns else [""] * len(frame)
    reviews: dict[str, dict[tuple[str, str], str]] = {}
    problems: list[Problem] = []
    # rows as the file numbers them, below the header and any title above it
    first = first_row(frame)
    rows = frame[list(REVIEW_COLUMNS)].itertuples(index=False)
    for i, r, shown in zip(range(first, first + len(frame)), rows, proposed, strict=True):
        coder, seg, dim = (str(v).strip() for v in (r.coder, r.segment, r.dimension))
        typed = unicodedata.normalize("NFKC", str(r.status)).strip().lower()
        if not typed:
            continue
        status = _STATUS_WORDS.get(typed)
        where = f"{path.name} row {i}"
        at = {"file": path.name, "row": i}
        if status is None:
            problems.append(
                Problem(
                    f"{where}, column 'status': expected 'accepted' (接受), 'rejected' (拒绝) "
                    f"or empty, got {r.status!r}{did_you_mean(typed, ['accepted', 'rejected'])}",
                    **at,
                    column="status",
                    value=r.status,
                    expected="'accepted', 'rejected' or empty",
                )
            )
        elif kinds.get(coder) != "machine":
            what = "a person" if coder in kinds else "not a coder of this project"
            problems.append(
                Problem(
                    f"{where}, column 'coder': expected a machine coder, got {coder!r} ({what})",
                    **at,
                    column="coder",
                    value=coder,
                    expected="a machine coder",
                )
            )
        elif (coder, seg, dim) not in given:
            problems.append(
                Problem(
                    f"{where}, columns 'segment'/'dimension': {coder} gave no answer for "
                    f"segment {seg!r} in dimension {dim!r}",
                    **at,
                    column="segment",
                    value=seg,
                    expected=f"a segment {coder} answered in {dim!r}",
                )
            )
        elif (edited := _edited(shown, given[(coder, seg, dim)])) is not None:
            problems.append(
                Problem(
                    f"{where}, column 'proposed': {coder} answered {edited[0]!r} for segment "
                    f"{seg!r} in {dim!r}, the sheet says {edited[1]!r}; a review accepts or "
                    "rejects the machine's answer as it was — put it back, reject it, and "
                    "record your own answer as a coder's with `ihms policy codes import`",
                    **at,
                    column="proposed",
                    value=edited[1],
                    expected=repr(edited[0]),
                )
            )
        else:
            reviews.setdefault(coder, {})[(seg, dim)] = status
    if problems:
        raise DataError(
            f"{path.name}: {len(problems):,} row(s) cannot be recorded; nothing was recorded",
            problems,
        )
    return reviews


def _edited(cell: Any, stored: set[str]) -> tuple[str, str] | None:
    """(stored, typed) when a ``proposed`` cell names other categories than ``stored``;
    None when it names the same ones, or is empty."""
    typed = "" if cell is None or cell != cell else unicodedata.normalize("NFKC", str(cell))
    if not typed.strip():
        return None
    named = {v.strip() for v in typed.split(";")} - {"", "-"}
    if named == stored:
        return None
    return ";".join(sorted(stored)) or "-", typed.strip()


def review_from_sheet(
    project: Any, path: str | Path, *, reviewed_by: str, notes: list[str] | None = None
) -> dict[str, int]:
    """Record the accept/reject decisions of a filled-in review sheet.

    Parameters
    ----------
    project : ihms.policy.Project
        The open project.
    path : str or Path
        The sheet (see :func:`read_review_sheet`).
    reviewed_by : str
        Who reviewed.
    notes : list of str, optional
        The notes on reading the sheet are appended here (:func:`read_review_sheet`).

    Returns
    -------
    dict
        Answers reviewed per machine coder (empty if no status was filled in).

    Raises
    ------
    InputError, DataError
        As :func:`read_review_sheet`; nothing is recorded then.
    """
    from ihms.policy.coding import review_codings

    if not reviewed_by.strip():
        raise InputError("parameter 'reviewed_by' (--by): expected who reviewed, got nothing")
    reviews = read_review_sheet(project, path, notes=notes)
    return {
        coder: review_codings(project, coder=coder, reviews=items, reviewed_by=reviewed_by)
        for coder, items in reviews.items()
    }
