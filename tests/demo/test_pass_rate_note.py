"""The salaries table says its pass rates follow from assumed targets (session 23
review, MEDIUM 8: 117 of 351 THC doctors passing read like a finding about Sanming).
The pass mark is the rule file's (src/ihms/payment/rulesets/sanming.yaml: 60 %)."""

from decimal import Decimal
from types import SimpleNamespace

from ihms.demo._payment_staff import pass_rate_note


def _rec(*passed: bool):
    cards = [SimpleNamespace(pass_mark=Decimal("0.6"), passed=p) for p in passed]
    return SimpleNamespace(salaries=SimpleNamespace(scorecards=cards))


def test_the_note_says_the_targets_are_assumed_and_gives_the_pass_rate():
    note = pass_rate_note(_rec(True, False, False, True))
    assert "2 of 4 scorecards pass" in note
    assert "pass mark of 60 points" in note
    assert "assumptions" in note and "not how Sanming's staff performed" in note
