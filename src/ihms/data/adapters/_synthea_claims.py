"""What a Synthea claim is called in a message, built only for the claims a problem names.

A claim of ``claims_transactions.csv`` is read from several rows; a problem names it at
its first row with its ``CLAIMID`` and its ``PAYMENT`` rows (:attr:`RowLabels.records`).
Synthea writes millions of claims and a check names at most
:data:`ihms.data._checks.MAX_ROWS_PER_CHECK` rows, so :class:`ClaimRecords` keeps the
rows as arrays and words a claim when asked for it (session 31: formatting one message
per claim added about 19 s per million claims to an import).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd


def _payment_rows(rows: Sequence[int]) -> str:
    """``its PAYMENT rows 11, 12`` (the first 5, then how many more)."""
    if len(rows) == 0:
        return "no PAYMENT row"
    shown = ", ".join(str(r) for r in rows[:5])
    more = f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
    return f"its PAYMENT row{'s' if len(rows) > 1 else ''} {shown}{more}"


class ClaimRecords(Mapping[int, str]):
    """``{first row of a claim: "the first row of claim C; its PAYMENT rows 10, 11"}``,
    each text made on lookup.

    ``claims``: the claims' ids, ascending; ``first``: each claim's first file row;
    ``code``: each transaction's position in ``claims``; ``rows``: each transaction's
    file row; ``is_pay``: whether it is a ``PAYMENT`` row.
    """

    def __init__(
        self,
        claims: pd.Index,
        first: np.ndarray,
        code: np.ndarray,
        rows: np.ndarray,
        is_pay: np.ndarray,
    ) -> None:
        self._claims = claims
        order = np.argsort(first, kind="stable")
        self._first = np.asarray(first, dtype=np.int64)[order]
        self._claim_at = order
        pay_code = np.asarray(code, dtype=np.int64)[is_pay]
        pay_rows = np.asarray(rows, dtype=np.int64)[is_pay]
        by = np.lexsort((pay_rows, pay_code))
        self._pay_rows = pay_rows[by]
        self._starts = np.searchsorted(pay_code[by], np.arange(len(claims) + 1))

    def _position(self, row: object) -> int | None:
        if not isinstance(row, (int, np.integer)):
            return None
        at = int(np.searchsorted(self._first, row))
        return at if at < len(self._first) and self._first[at] == row else None

    def __getitem__(self, row: int) -> str:
        at = self._position(row)
        if at is None:
            raise KeyError(row)
        claim = int(self._claim_at[at])
        paid = self._pay_rows[self._starts[claim] : self._starts[claim + 1]]
        return f"the first row of claim {self._claims[claim]}; " + _payment_rows(paid)

    def __contains__(self, row: object) -> bool:
        return self._position(row) is not None

    def __iter__(self) -> Iterator[int]:
        return (int(r) for r in self._first)

    def __len__(self) -> int:
        return len(self._first)
