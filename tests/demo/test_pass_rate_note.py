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


def test_an_all_or_nothing_line_says_who_fell_short_and_how_many_of_them_passed():
    # review 27: THC doctors' median was 9 consultation days against the Sanming rule
    # file's threshold of 12 (src/ihms/payment/rulesets/sanming.yaml: weight 0.3, at
    # least 12), so most scored 0 of its 30 points and the pass rate followed the step
    from ihms.demo._payment_staff import threshold_notes
    from ihms.payment import load_rules

    def card(who, days_met, passed):
        line = SimpleNamespace(indicator="thc_consultation_days", score=Decimal(int(days_met)))
        return SimpleNamespace(role="doctor", subject=who, passed=passed, lines=(line,))

    cards = [
        card("t1", False, False), card("t2", False, True), card("t3", False, False),
        card("t4", True, True), card("c1", True, True), card("c2", False, False),
    ]  # fmt: skip
    rec = SimpleNamespace(salaries=SimpleNamespace(scorecards=cards))
    groups = {"t1": "THC doctors", "t2": "THC doctors", "t3": "THC doctors", "t4": "THC doctors"}
    groups |= {"c1": "CH doctors", "c2": "CH doctors"}
    (note,) = threshold_notes(rec, load_rules("sanming"), groups)
    assert note.startswith(
        "'Days consulting at a lower-tier institution (cooperation)' scores all or nothing: "
        "30 points for at least 12, none otherwise"
    )
    assert "THC doctors: 3 of 4 fell short, 1 of them passed (1 of the 1 who reached it)" in note
    assert "CH doctors: 1 of 2 fell short, 0 of them passed (1 of the 1 who reached it)" in note


def test_the_consultation_line_is_labelled_true_for_both_groups_it_judges():
    # review of 2026-11-25, finding 8: the line read "Days consulting at township health
    # centres" while a centre's doctor consults at a village clinic (the salaries
    # paragraph); Zhong et al. 2023 give county-hospital doctors at township health
    # centres as the example of cooperation. The reworded label keeps the digest the
    # ledgers were posted with (tests/payment/conftest.py SANMING_DIGEST).
    from tests.payment.conftest import SANMING_DIGEST

    from ihms.payment import load_rules

    rules = load_rules("sanming")
    card = rules.staff_pay.scorecards["doctor"]
    (line,) = [i for i in card.indicators if i.id == "thc_consultation_days"]
    assert line.label == "Days consulting at a lower-tier institution (cooperation)"
    assert rules.digest == SANMING_DIGEST
