"""Who settled a stage's conflicts, said by how many screened it: with three reviewers
the statement said "settled by lead, a third reviewer" of a fourth person."""

from types import SimpleNamespace

from ihms.policy.screening_reviewers import _settled_by


def test_someone_settling_three_reviewers_conflicts_is_an_adjudicating_reviewer():
    three = SimpleNamespace(reviewers=("alice", "bob", "carol"), settled=[("lead", 2)])
    assert _settled_by(three, "en") == "lead, an adjudicating reviewer"
    assert _settled_by(three, "zh") == "lead（裁决评审员）"


def test_with_two_reviewers_it_stays_a_third_reviewer_and_a_stage_reviewer_is_one():
    two = SimpleNamespace(reviewers=("alice", "bob"), settled=[("carol", 1)])
    assert _settled_by(two, "en") == "carol, a third reviewer"
    one_of = SimpleNamespace(reviewers=("alice", "bob", "carol"), settled=[("carol", 1)])
    assert _settled_by(one_of, "en") == "carol, one of the stage's reviewers"
