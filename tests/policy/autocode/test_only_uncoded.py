"""`apply --only-uncoded` (review of session 28, finding 2): the uncoded segments are
scored in their whole documents, so each answer and probability is the one a full
apply gives the same segment. Scored alone they lost their coded neighbours and
sections: on the example project 15 of 71 answers changed and 12 segments crossed a
0.5 cut."""

import numpy as np
import pandas as pd
import pytest

from ihms.policy.autocode import apply_to_project, project_codes, train_on_project
from ihms.policy.autocode._only_uncoded import code_in_documents


def _forget_every_third(project, dimension):
    """Test set-up: people coded two segments in three of every document."""
    segs = tuple(project_codes(project, dimension).segments["id"].astype(str))[::3]
    marks = ",".join("?" * len(segs))
    with project.transaction() as conn:
        for table in ("codings", "decisions"):
            conn.execute(
                f"DELETE FROM {table} WHERE segment_id IN ({marks}) AND dimension=?",
                (*segs, dimension),
            )
    return set(segs)


def _answers(codes):
    per = codes.groupby("segment")
    return {
        seg: sorted(zip(part["category"], part["probability"].round(12), strict=True))
        for seg, part in per
    }


@pytest.mark.parametrize("min_probability", [None, 0.5])
def test_only_uncoded_answers_equal_a_full_apply_on_the_same_segments(
    coded_project, min_probability
):
    forgotten = _forget_every_third(coded_project, "stakeholders")
    trained = train_on_project(coded_project, "stakeholders")
    assert trained.estimator.multilabel_ and trained.estimator.calibrated_
    only = apply_to_project(
        coded_project, trained, only_uncoded=True, min_probability=min_probability
    )
    full = apply_to_project(coded_project, trained, min_probability=min_probability)
    assert set(only.answered) <= forgotten
    assert set(only.answered) == set(full.answered) & forgotten
    assert only.n_segments + only.n_abstained == len(forgotten)
    mine = full.codes[full.codes["segment"].isin(forgotten)]
    assert _answers(only.codes) == _answers(mine)
    assert only.unchanged == 0 and full.unchanged == only.n_segments  # stored as given


def test_rows_are_positions_among_the_segments_coded(corpus_factory):
    from ihms.policy.autocode import LearnedCoder, train_coder

    corpus = corpus_factory(n_docs=4, per_section=2)
    X = corpus[["id", "doc", "position", "text"]]
    y = [None if v is None or v != v else v for v in corpus["label"]]
    trained = train_coder(
        X, y, codebook_version="v", dimension="d", coder=LearnedCoder(min_per_category=2)
    )
    wanted = np.flatnonzero(X["doc"].isin(["doc02", "doc04"]).to_numpy())[1::2]
    segs, coding = code_in_documents(trained, X, wanted, min_probability=0.6)
    full = trained.code(X, min_probability=0.6)
    assert segs["id"].tolist() == X["id"].iloc[wanted].tolist()
    back = full.codes.set_index("segment").loc[coding.codes["segment"]]
    assert (coding.codes["row"].to_numpy() == np.searchsorted(wanted, back["row"])).all()
    pd.testing.assert_series_equal(
        coding.codes["probability"], back["probability"].reset_index(drop=True)
    )
    assert X["id"].iloc[wanted].iloc[coding.abstained].tolist() == [
        s for s in X["id"].iloc[full.abstained] if s in set(segs["id"])
    ]
