"""Referrals marked on encounters (referred_from_id/referred_to_id) without a referrals
table: the import and the indicators say how many marks the encounters carry, that no
indicator reads them, and how to have them counted (session 22 review D, MEDIUM 1)."""

from __future__ import annotations

import pytest
from tests.data.test_gaps import PERIOD, SYSTEM, _frames

from ihms.data import Dataset, data_gaps
from ihms.indicators import compute
from ihms.system import load_system


@pytest.fixture
def marked(tmp_path) -> Dataset:
    path = tmp_path / "hexi.yaml"
    path.write_text(SYSTEM, encoding="utf-8")
    frames = _frames(load_system(path))
    del frames["referrals"]
    enc = frames["encounters"]
    # e1 at CH1 came from VC1 (转入来源, the receiver's record); e2 at VC1 sent the
    # resident on to CH1 (the sender's record): 2 marks, 1 of each kind.
    enc["referred_from_id"] = ["VC1", None, None]
    enc["referred_to_id"] = [None, "CH1", None]
    return Dataset.from_frames(frames, period=PERIOD)


def test_the_import_note_counts_the_encounters_referral_marks(marked):
    (note,) = [n for n in data_gaps(marked) if n.startswith("referrals:")]
    assert (
        "the encounters carry 2 referral marks (referred_from_id 1, referred_to_id 1), "
        "which no indicator reads"
    ) in note
    assert "one referrals row per referral" in note


def test_the_omitted_referral_indicators_say_the_encounters_hold_marks(marked):
    results = compute(marked, indicators=["referrals_up"], level="county")
    (omitted,) = results.omitted
    assert omitted.reason.startswith("table referrals has no rows")
    assert "the encounters carry 2 referral marks" in omitted.reason
