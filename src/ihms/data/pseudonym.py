"""Pseudonymous ids: a keyed hash of every resident and record id, applied on import.

An import replaces each resident id (and each encounter, follow-up, referral and claim
id, which hospital systems issue and could be traced back, and each staff id) with a keyed BLAKE2b hash
(RFC 7693 keyed mode, 80-bit output, a separate personalisation per kind of id). The same
raw id and key always give the same pseudonym, so tables still join and a later import
with the same key links up; without the key the raw id cannot be recovered or confirmed
by guessing.

The key comes from the environment variable ``IHMS_PSEUDONYM_KEY`` or from a key file
(16 to 64 bytes of secret, e.g. ``python -c "import secrets; print(secrets.token_hex(32))"
> pseudonym.key``). Keep it away from the data: whoever holds both can re-identify by
hashing candidate ids. The store records only the key's fingerprint.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ihms.errors import InputError

__all__ = ["ENV_VAR", "ID_COLUMNS", "Pseudonymiser", "pseudonym_pattern"]

ENV_VAR = "IHMS_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16
#: BLAKE2b's longest key (RFC 7693); a longer one is refused, not cut
MAX_KEY_BYTES = 64

# Which columns hold which kind of id; every column naming a resident or record id.
ID_COLUMNS: Mapping[str, Mapping[str, str]] = {
    "residents": {"resident_id": "resident"},
    "encounters": {"encounter_id": "encounter", "resident_id": "resident"},
    "followups": {
        "followup_id": "followup",
        "resident_id": "resident",
        "encounter_id": "encounter",
    },
    "referrals": {
        "referral_id": "referral",
        "resident_id": "resident",
        "encounter_id": "encounter",
    },
    "claims": {"claim_id": "claim", "encounter_id": "encounter"},
    "staff_activities": {"staff_id": "staff"},
}
#: the first letter of each kind of id's pseudonym
PREFIX = {
    "resident": "r",
    "encounter": "e",
    "followup": "f",
    "referral": "x",
    "claim": "c",
    "staff": "s",
}

#: hex digits of a pseudonym after its prefix (80 bits, :meth:`Pseudonymiser.pseudonym`)
PSEUDONYM_HEX = 20


def pseudonym_pattern(kind: str) -> str:
    """The regular expression every pseudonym of ``kind`` matches whole: its prefix and
    :data:`PSEUDONYM_HEX` lower-case hex digits (``r`` + 20 for a resident).

    Examples
    --------
    >>> import re
    >>> bool(re.fullmatch(pseudonym_pattern("resident"), "r" + "0a" * 10))
    True
    >>> bool(re.fullmatch(pseudonym_pattern("resident"), "350426199001011234"))
    False
    """
    return f"{PREFIX[kind]}[0-9a-f]{{{PSEUDONYM_HEX}}}"


@dataclass(frozen=True)
class Pseudonymiser:
    """Keyed hashing of ids.

    Examples
    --------
    >>> p = Pseudonymiser(b"0123456789abcdef-a-test-key")
    >>> p.pseudonym("110101199001011234", kind="resident")[:1]
    'r'
    """

    key: bytes = field(repr=False)
    #: where the key came from (``key file <path>``, ``$IHMS_PSEUDONYM_KEY``), for
    #: messages about it; never the key itself
    source: str = field(default="the key given", compare=False)

    def __post_init__(self) -> None:
        if len(self.key) < MIN_KEY_BYTES:
            raise InputError(
                f"pseudonymisation key: expected at least {MIN_KEY_BYTES} bytes, got {len(self.key)}"
            )
        if len(self.key) > MAX_KEY_BYTES:
            # BLAKE2b takes 64 bytes of key; the rest was once cut off unseen, so two keys
            # the store told apart by fingerprint gave the same pseudonyms
            raise InputError(
                f"pseudonymisation key ({self.source}): expected at most {MAX_KEY_BYTES} bytes "
                f"(BLAKE2b's longest key), got {len(self.key)}; ids imported with it were "
                f"hashed with its first {MAX_KEY_BYTES} bytes: to keep them, use those "
                f"(head -c {MAX_KEY_BYTES} pseudonym.key > new.key)"
            )

    @classmethod
    def from_env(cls, *, key_file: str | Path | None = None) -> Pseudonymiser:
        """The key from ``key_file`` if given, else from ``$IHMS_PSEUDONYM_KEY``."""
        if key_file is not None:
            path = Path(key_file)
            try:
                key = path.read_bytes().strip()
            except OSError as exc:
                raise InputError(
                    f"key file {path}: cannot read it ({exc.strerror or exc})"
                ) from None
            if len(key) < MIN_KEY_BYTES:
                raise InputError(
                    f"key file {path}: expected at least {MIN_KEY_BYTES} bytes of secret, got {len(key)}"
                )
            return cls(key, source=f"key file {path}")
        value = os.environ.get(ENV_VAR, "").strip()
        if not value:
            raise InputError(
                f"no pseudonymisation key: set ${ENV_VAR} or pass a key file (--key-file); "
                'make one with: python -c "import secrets; print(secrets.token_hex(32))" > pseudonym.key'
            )
        if len(value.encode()) < MIN_KEY_BYTES:
            raise InputError(
                f"${ENV_VAR}: expected at least {MIN_KEY_BYTES} characters, got {len(value)}"
            )
        return cls(value.encode(), source=f"${ENV_VAR}")

    @property
    def fingerprint(self) -> str:
        """A short public fingerprint of the key (to tell keys apart, not to recover them)."""
        return hashlib.blake2b(self.key, digest_size=8, person=b"ihms-key-fp").hexdigest()

    def pseudonym(self, raw: str, *, kind: str) -> str:
        """The pseudonym of one id: keyed BLAKE2b, 80 bits, in hex after the kind's prefix.

        Parameters
        ----------
        raw
            The source system's id, as text.
        kind
            Which id it is, a key of :data:`PREFIX` (``"resident"``, ``"encounter"``,
            ``"followup"``, ``"referral"``, ``"claim"``, ``"staff"``); the same raw id
            of two kinds gets two unrelated pseudonyms.

        Returns
        -------
        str
            The prefix and :data:`PSEUDONYM_HEX` lower-case hex digits (``r3f…``).

        Raises
        ------
        KeyError
            ``kind`` is not a key of :data:`PREFIX`.
        """
        digest = hashlib.blake2b(
            raw.encode("utf-8"),
            key=self.key,
            digest_size=10,
            person=f"ihms-{kind}".encode()[:16],
        ).hexdigest()
        return PREFIX[kind] + digest

    def series(self, values: pd.Series, *, kind: str) -> pd.Series:
        """Pseudonymise a column (nulls stay null); each distinct id is hashed once.

        Parameters
        ----------
        values
            The ids; each is read as ``str(value)``.
        kind
            Which id they are, as :meth:`pseudonym` takes it.

        Returns
        -------
        pandas.Series
            Pseudonyms (``string`` dtype) on ``values``' index.
        """
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        hashed = [self.pseudonym(str(u), kind=kind) for u in uniques]
        out = pd.Series(
            pd.array(hashed, dtype="string").take(codes, allow_fill=True), index=values.index
        )
        return out

    def frames(self, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Copies of ``frames`` with every id column of :data:`ID_COLUMNS` pseudonymised.

        Parameters
        ----------
        frames
            Tables by name; a table or id column :data:`ID_COLUMNS` does not list is
            passed through. Not modified.
        """
        out = {}
        for name, frame in frames.items():
            cols = ID_COLUMNS.get(name, {})
            if cols:
                frame = frame.copy()
                for col, kind in cols.items():
                    if col in frame.columns:
                        frame[col] = self.series(frame[col], kind=kind)
            out[name] = frame
        return out
