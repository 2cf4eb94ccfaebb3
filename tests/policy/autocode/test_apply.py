"""What applying a machine coder to a project reports (``AppliedCodes``)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ihms.policy.autocode import (
    AppliedCodes,
    apply_rules_to_project,
    apply_to_project,
    rules_from_codebook,
    train_on_project,
)
from ihms.policy.autocode.project import NONE
from ihms.policy.coding import codings


def _applied() -> AppliedCodes:
    """Seven segments: five answered (three 'a', one 'b', one nothing applies), two left
    below a threshold of 0.6."""
    codes = pd.DataFrame(
        {
            "row": [0, 1, 2, 3, 4],
            "segment": ["s0", "s1", "s2", "s3", "s4"],
            "category": ["a", "a", "a", "b", NONE],
            "probability": [0.9, 0.7, 0.8, 0.65, 0.6],
        }
    )
    return AppliedCodes(
        coder="machine:m1",
        dimension="tools",
        codes=codes,
        n_segments=5,
        n_abstained=2,
        added=4,
        unchanged=0,
        replaced=1,
        codings=5,
        answered=("s0", "s1", "s2", "s3", "s4"),
        category_counts={"a": 3, "b": 1, "c": 0, NONE: 1},
        min_probability=0.6,
    )


def test_summary_counts_segments_per_category_with_shares_and_probabilities():
    s = _applied().summary()
    frame = s.to_frame()
    # shares of the 5 coded segments: a 3/5 = 60%, b 1/5 = 20%, c 0%, nothing applies 20%;
    # mean probabilities: a (0.9 + 0.7 + 0.8) / 3 = 0.8, b 0.65, nothing applies 0.6
    assert frame.index.tolist() == ["a", "b", "c", NONE]
    assert frame["segments"].tolist() == [3, 1, 0, 1]
    assert frame["share (%)"].tolist() == pytest.approx([60.0, 20.0, 0.0, 20.0], abs=1e-12)
    probs = frame["mean probability"].tolist()
    assert probs[0] == pytest.approx(0.8, abs=1e-12) and probs[1] == pytest.approx(0.65)
    assert math.isnan(probs[2]) and probs[3] == pytest.approx(0.6)
    text = str(s)
    assert text.startswith("machine:m1 in tools: segments coded per category")
    assert "machine:m1 coded 5 segments in tools: 4 added, 1 replaced, 0 unchanged" in text
    assert "(5 coding rows written); 2 segments left for a person." in text
    assert "Left for a person: answers less likely than 0.6." in text
    assert "60.0" in text and "0.800" in text and "—" in text  # c has no proposals
    assert "multi-label" not in text  # the counts add up to the segments
    assert "<caption>machine:m1 in tools" in s.to_html()


def test_repr_is_one_line_naming_the_coder_and_the_counts():
    text = repr(_applied())
    # before: the generated repr printed the codes table and every answered segment id
    assert "\n" not in text and len(text) < 300
    assert text == (
        "<AppliedCodes: coder='machine:m1', dimension='tools', segments=5, abstained=2, "
        "added=4, replaced=1, unchanged=0, min_probability=0.6>"
    )


def _stored_counts(project, coder: str) -> dict[str, int]:
    """Segments per category as the project stored them ("" is nothing applies)."""
    stored = codings(project, coders=[coder])
    per = stored.groupby("value")["segment_id"].nunique()
    return {(NONE if value == "" else value): int(n) for value, n in per.items()}


def test_rules_applied_report_what_the_project_stored(coded_project):
    rules = rules_from_codebook(coded_project.codebook(), "stakeholders")
    applied = apply_rules_to_project(coded_project, rules, "stakeholders")
    counts = dict(applied.category_counts)
    dim = coded_project.codebook().dimension("stakeholders")
    assert list(counts) == [*dim.category_keys, NONE]  # the codebook's order
    assert {k: n for k, n in counts.items() if n} == _stored_counts(coded_project, applied.coder)
    frame = applied.summary().to_frame()
    assert "mean probability" not in frame  # keyword rules give no probabilities
    assert frame["segments"].to_dict() == counts
    assert applied.min_probability is None and "min_probability" not in repr(applied)


def test_a_threshold_leaves_segments_for_a_person_and_says_so(coded_project):
    trained = train_on_project(coded_project, "stakeholders")
    applied = apply_to_project(coded_project, trained, min_probability=0.9)
    n = len(coded_project.segments(scheme="paragraph"))
    stored = _stored_counts(coded_project, applied.coder)
    answered = codings(coded_project, coders=[applied.coder])["segment_id"].nunique()
    assert applied.n_abstained == n - answered > 0  # some answers are less likely
    assert {k: v for k, v in applied.category_counts.items() if v} == stored
    text = str(applied.summary())
    assert f"; {applied.n_abstained:,} segments left for a person." in text
    assert "Left for a person: answers less likely than 0.9." in text
    assert "min_probability=0.9" in repr(applied)
    out = applied.to_dict()  # what --json prints
    assert out["min_probability"] == 0.9 and out["categories"] == dict(applied.category_counts)
