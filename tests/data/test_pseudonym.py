from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import ENV_VAR, Pseudonymiser
from ihms.errors import InputError

KEY = b"0123456789abcdef-test-key"


def test_same_id_same_key_same_pseudonym_and_kinds_differ():
    p = Pseudonymiser(KEY)
    a = p.pseudonym("350426195001011234", kind="resident")
    assert a == p.pseudonym("350426195001011234", kind="resident")
    assert a.startswith("r") and len(a) == 21
    assert p.pseudonym("350426195001011234", kind="encounter") != a
    assert Pseudonymiser(KEY + b"!").pseudonym("350426195001011234", kind="resident") != a
    assert "350426195001011234" not in a


def test_series_keeps_nulls_and_joins():
    p = Pseudonymiser(KEY)
    out = p.series(pd.Series(["x", None, "x", "y"]), kind="resident")
    assert out[0] == out[2] != out[3]
    assert pd.isna(out[1])


def test_key_sources(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(InputError, match="no pseudonymisation key: set \\$IHMS_PSEUDONYM_KEY"):
        Pseudonymiser.from_env()
    monkeypatch.setenv(ENV_VAR, "short")
    with pytest.raises(InputError, match="at least 16 characters"):
        Pseudonymiser.from_env()
    monkeypatch.setenv(ENV_VAR, KEY.decode())
    assert Pseudonymiser.from_env().fingerprint == Pseudonymiser(KEY).fingerprint
    key_file = tmp_path / "k"
    key_file.write_bytes(KEY + b"\n")
    assert Pseudonymiser.from_env(key_file=key_file).key == KEY
    with pytest.raises(InputError, match="cannot read it"):
        Pseudonymiser.from_env(key_file=tmp_path / "missing")
