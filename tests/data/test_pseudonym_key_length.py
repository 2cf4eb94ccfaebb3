"""A pseudonymisation key longer than BLAKE2b's 64 bytes (RFC 7693) is refused: it was
cut to 64 bytes unseen, so two keys whose fingerprints differ gave the same pseudonyms
(review of the data import, 2026-11-25, finding 14)."""

from __future__ import annotations

import pytest

from ihms.data import Pseudonymiser
from ihms.errors import InputError


def test_a_key_of_64_bytes_is_used_whole():
    a, b = Pseudonymiser(b"k" * 63 + b"A"), Pseudonymiser(b"k" * 63 + b"B")
    assert a.pseudonym("R1", kind="resident") != b.pseudonym("R1", kind="resident")


def test_a_key_past_64_bytes_is_refused_saying_how_to_keep_its_pseudonyms(tmp_path):
    with pytest.raises(InputError) as err:
        Pseudonymiser(b"k" * 64 + b"A")
    assert "expected at most 64 bytes (BLAKE2b's longest key), got 65" in str(err.value)
    assert "head -c 64" in str(err.value)
    path = tmp_path / "long.key"
    path.write_bytes(b"0123456789abcdef" * 5 + b"\n")
    with pytest.raises(InputError, match=rf"key file {path}\): expected at most 64 bytes"):
        Pseudonymiser.from_env(key_file=path)
