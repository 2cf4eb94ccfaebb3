"""Coding only the segments nobody has coded, each read in its whole document.

A learned coder's features read a segment's neighbours, its section and its place in
the document. Scored alone, the uncoded segments of a half-coded document would lose
their coded neighbours and sections and get other answers and probabilities than
the whole-document scoring that ``evaluate`` measured (and that the coverage curve's
cut was read off). So the documents holding an uncoded segment are scored whole and
only the uncoded segments' answers kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import InputError

__all__ = ["code_in_documents", "uncoded_rows"]


def uncoded_rows(project: Any, segs: pd.DataFrame, dimension: str, scheme: str) -> np.ndarray:
    """Positions in ``segs`` of the segments no person has coded in ``dimension``.

    Raises
    ------
    InputError
        When every segment is coded already.
    """
    from ihms.policy.coding import codings

    long = codings(project, dimensions=[dimension])
    done = set(long.loc[long["kind"] == "human", "segment_id"])
    rows = np.flatnonzero(~segs["id"].isin(done).to_numpy())
    if not len(rows):
        raise InputError(f"every {scheme} segment is already coded in {dimension!r}")
    return rows


def code_in_documents(
    trained: Any, segs: pd.DataFrame, rows: np.ndarray, *, min_probability: float | None
) -> tuple[pd.DataFrame, Any]:
    """Code the segments at positions ``rows`` of ``segs`` (a project's segments, with
    ``doc``), scoring every segment of their documents.

    Returns
    -------
    segments, coding
        The segments at ``rows`` (index reset) and their
        :class:`~ihms.policy.autocode.MachineCoding`, whose ``row`` and ``abstained``
        are positions among those segments: the same answers and probabilities as
        coding every segment gives them.
    """
    from ihms.policy.autocode._machine_coding import MachineCoding

    rows = np.asarray(rows, dtype=np.int64)
    context = np.flatnonzero(segs["doc"].isin(set(segs["doc"].iloc[rows])).to_numpy())
    whole = trained.code(segs.iloc[context].reset_index(drop=True), min_probability=min_probability)
    mine = np.full(len(context), -1, dtype=np.int64)  # position among ``rows``, or -1
    mine[np.searchsorted(context, rows)] = np.arange(len(rows))
    codes = whole.codes[mine[whole.codes["row"].to_numpy()] >= 0].copy()
    codes["row"] = mine[codes["row"].to_numpy()]
    abstained = mine[whole.abstained]
    coding = MachineCoding(
        codes=codes.reset_index(drop=True),
        n_segments=len(rows),
        abstained=np.sort(abstained[abstained >= 0]),
        calibrated=whole.calibrated,
        calibration_note=whole.calibration_note,
    )
    return segs.iloc[rows].reset_index(drop=True), coding
