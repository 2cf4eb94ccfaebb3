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


def test_results_repr_in_one_line_each(segments, labels, corpus, tmp_path):
    from ihms.policy.autocode import (
        KeywordCoder,
        LearningCurve,
        ProjectEvaluation,
        learning_curve,
        read_segment_table,
        rules_from_keywords,
        suggest,
    )

    coder = LearnedCoder(calibration=None)
    ev = evaluate_coder(LearnedCoder(), segments, labels, n_splits=2, probabilities=True)
    trained = train_coder(segments, labels, codebook_version="v1", dimension="tools")
    coded = trained.code(segments, min_probability=0.5)
    rules = KeywordCoder(rules_from_keywords({"资金支持": ["资金"]})).fit().code(segments)
    curve = learning_curve(coder, segments, labels, sizes=[40, 80], n_splits=2)
    picked = suggest(coder, segments, [v if i < 60 else None for i, v in enumerate(labels)], n=5)
    path = tmp_path / "segments.csv"
    corpus.rename(columns={"label": "code"}).to_csv(path, index=False)
    table = read_segment_table(path, label="code")
    kappas = {"machine vs reconciled kappa": [0.81234], "human vs human kappa": [0.7]}
    project = ProjectEvaluation("tools", ev, pd.DataFrame(kappas), ("coder_a", "coder_b"))
    # before: the generated reprs printed their tables (predictions, codes, points,
    # texts): from ~500 to ~4,500 characters each
    shown = {
        type(obj).__name__: repr(obj)
        for obj in (ev, ev.coverage(), trained, coded, rules, curve, picked, table)
    }
    for text in shown.values():
        assert "\n" not in text and len(text) < 300
    # the test corpus: 8 documents × 4 sections × (a heading + 3 sentences) = 128
    # segments, of which the 96 sentences are coded
    n_coded = sum(v is not None for v in labels)
    assert (len(segments), n_coded) == (128, 96)
    known = sum(v is not None for v in labels[:60])  # suggest() learns from these
    assert shown["CoderEvaluation"] == (
        f"<CoderEvaluation: kappa={round(ev.kappa, 3)}, accuracy={round(ev.accuracy, 3)}, "
        f"n_splits=2, n_training={n_coded}, n_documents=8, multilabel=False>"
    )
    assert shown["CoverageCurve"] == f"<CoverageCurve: cuts=20, n_segments={n_coded}>"
    assert shown["TrainedCoder"].startswith(
        f"<TrainedCoder: model_id={trained.model_id!r}, dimension='tools', "
        f"codebook_version='v1', training_size={n_coded}, trained_at="
    )
    assert shown["MachineCoding"] == (
        f"<MachineCoding: codes={len(coded.codes)}, segments={len(segments)}, "
        f"abstained={len(coded.abstained)}>"
    )
    assert shown["RuleCoding"] == f"<RuleCoding: codes={len(rules.codes)}, segments=128>"
    assert isinstance(curve, LearningCurve)
    assert shown["LearningCurve"] == (
        "<LearningCurve: strategies=('random',), sizes=(40, 80), repeats=2>"
    )
    assert shown["Suggestion"] == (
        f"<Suggestion: segments=5, n_coded={known}, n_uncoded={128 - known}>"
    )
    assert shown["SegmentTable"] == (
        f"<SegmentTable: source='segments.csv', segments=128, labelled={n_coded}, "
        "has_documents=True>"
    )
    assert repr(project) == (
        "<ProjectEvaluation: dimension='tools', machine_kappa=0.812, human_kappa=0.7, "
        f"human_coders=('coder_a', 'coder_b'), n_training={n_coded}>"
    )
