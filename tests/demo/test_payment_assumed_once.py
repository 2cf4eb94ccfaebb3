"""A demo year settled with the assessment assumed passed (no assessment values that
year) says so once, in the outcome sentence, where it decides what the consortium keeps
of a balance; a year without a balance, in which the assessment decides nothing (the
settlement does not apply it), says nothing of it.

The records are those of ``test_payment_amounts_text`` (Sanming's rules, 100,000
insured residents in 2017, a budget of 58.88 million yuan, worked by hand there).
"""

from __future__ import annotations

import re

from tests.demo.test_payment_amounts_text import MILLION, _record
from tests.payment.conftest import former_sanming

from ihms.demo._payment import _year_section

ASSUMED = re.compile(r"assum\w* passed|taken as passed")


def _text(rec) -> str:
    sec = _year_section(rec, rules=former_sanming(), staff=None)  # as _record settles
    return " ".join(b.text for b in sec.blocks if hasattr(b, "text"))


def test_a_kept_balance_says_the_assessment_was_assumed_once():
    # a balance of 3.88 million, kept because the assessment is taken as passed
    rec = _record()
    text = _text(rec)
    assert len(ASSUMED.findall(text)) == 1, text
    # and the settlement table's notes once, not "Assessment passed." before it
    notes = rec.summary().notes
    assert "Assessment assumed passed: no indicator values were given." in notes
    assert not any(n.startswith("Assessment passed") for n in notes), notes
    assert (
        "the consortium's assessment was taken as passed (no assessment values were "
        "available for this year) and it keeps all of it"
    ) in text


def test_an_overspend_year_says_nothing_of_the_assessment():
    # 65.00 - 58.88 = 6.12 million over: the assessment is not applied
    rec = _record(consortium=60 * MILLION)
    assert rec.assessment_passed is None
    text = _text(rec)
    assert not ASSUMED.findall(text), text
    assert "exceeded it by 6.12 million yuan; the consortium bears all of it" in text
