"""What a user sees at a prompt (short reprs), and the caller's segments and codes left
as given by evaluation and training."""

from __future__ import annotations

import pandas as pd

from ihms.policy.autocode import LearnedCoder, as_segments, evaluate_coder, train_coder


def test_a_segment_batch_reprs_in_one_line(segments):
    text = repr(as_segments(segments))
    # before: every text, id and neighbour array, ~16,000 characters for 160 segments
    assert text == f"<SegmentBatch: segments={len(segments)}, documents=8, has_context=True>"


def test_evaluation_and_training_leave_segments_and_codes_as_given(segments, labels):
    X_before, y_before = segments.copy(), list(labels)
    evaluate_coder(LearnedCoder(calibration=None), segments, labels, n_splits=2)
    train_coder(segments, labels, codebook_version="v1", dimension="tools")
    pd.testing.assert_frame_equal(segments, X_before)
    assert labels == y_before
