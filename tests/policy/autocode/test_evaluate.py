from typing import ClassVar

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.errors import InputError
from ihms.policy.autocode import (
    LearnedCoder,
    LearningCurve,
    TooFewCodesError,
    evaluate_coder,
    learning_curve,
    machine_human_kappa,
)


class SpyCoder(LearnedCoder):
    """Records which documents' codes every fit could see."""

    seen: ClassVar[list] = []

    def fit(self, X, y):
        docs = {d for d, v in zip(X["doc"], y, strict=True) if v is not None}
        SpyCoder.seen.append(docs)
        return super().fit(X, y)


def test_a_document_is_never_split_between_training_and_test(segments, labels):
    SpyCoder.seen = []
    ev = evaluate_coder(SpyCoder(calibration=None), segments, labels, n_splits=4, random_state=1)
    folds_per_doc = ev.predictions.groupby("doc")["fold"].nunique()
    assert (folds_per_doc == 1).all()
    assert ev.predictions["fold"].nunique() == 4
    for k, trained_on in enumerate(SpyCoder.seen):
        tested = set(ev.predictions.loc[ev.predictions["fold"] == k, "doc"])
        assert tested and not (tested & trained_on)
    # every coded segment is scored exactly once
    assert len(ev.predictions) == sum(v is not None for v in labels)
    assert ev.predictions["row"].is_unique


def test_kappa_and_per_category_metrics_match_a_direct_count(segments, labels):
    ev = evaluate_coder(LearnedCoder(), segments, labels, n_splits=4)
    h, m = ev.predictions["human"], ev.predictions["machine"]
    # cross-check against scikit-learn's implementation (tests only)
    assert ev.kappa == pytest.approx(cohen_kappa_score(h, m), abs=1e-12)
    assert ev.accuracy == pytest.approx((h == m).mean(), abs=1e-12)
    for cat, row in ev.per_category.iterrows():
        tp = ((h == cat) & (m == cat)).sum()
        assert row["support"] == (h == cat).sum()
        assert row["precision"] == pytest.approx(tp / max((m == cat).sum(), 1), abs=1e-12)
        assert row["recall"] == pytest.approx(tp / (h == cat).sum(), abs=1e-12)
    assert ev.kappa > 0.8
    table = ev.with_human_kappa(0.746).summary()
    assert "human vs human: 0.746" in table.title
    assert ev.to_dict()["n_documents"] == 8


def test_multilabel_kappa_compares_whole_answers_and_each_category(segments, multilabel_codes):
    ev = evaluate_coder(LearnedCoder(), segments, multilabel_codes, n_splits=4)
    assert ev.multilabel
    per = ev.per_category
    assert ev.mean_category_kappa == pytest.approx(per["kappa"].mean(), abs=1e-12)
    # whole answers: each distinct set of categories is one nominal code
    whole = cohen_kappa_score(ev.predictions["human"], ev.predictions["machine"])
    assert ev.kappa == pytest.approx(whole, abs=1e-12)
    for cat in per.index:
        h = ev.predictions["human"].str.split(";").apply(lambda s, c=cat: c in s)
        m = ev.predictions["machine"].str.split(";").apply(lambda s, c=cat: c in s)
        assert per.loc[cat, "kappa"] == pytest.approx(cohen_kappa_score(h, m), abs=1e-12)


def test_machine_human_kappa_worked_example():
    # 2x2 table: a/a 2, a/b 1, b/b 1 -> po = 3/4; pe = (3/4)(2/4) + (1/4)(2/4) = 1/2;
    # kappa = (0.75 - 0.5) / (1 - 0.5) = 0.5
    assert machine_human_kappa(["a", "a", "a", "b"], ["a", "a", "b", "b"]) == pytest.approx(0.5)


def test_too_few_codes_stop_before_any_fold(segments, labels):
    with pytest.raises(TooFewCodesError, match="has 24 coded segments, needs 76 more"):
        evaluate_coder(LearnedCoder(min_per_category=100), segments, labels)


def test_too_few_documents_for_the_folds(segments, labels):
    with pytest.raises(InputError, match="at least 10 documents"):
        evaluate_coder(LearnedCoder(), segments, labels, n_splits=10)


def test_held_out_documents_can_be_left_out_of_training_entirely(segments, labels):
    a = evaluate_coder(
        LearnedCoder(calibration=None), segments, labels, n_splits=4, transductive=False
    )
    assert a.kappa > 0.8
    assert (a.predictions.groupby("doc")["fold"].nunique() == 1).all()


def test_learning_curve_grows_with_the_codes(segments, labels):
    curve = learning_curve(
        LearnedCoder(calibration=None), segments, labels, sizes=[8, 48], n_splits=4
    )
    pts = curve.points
    assert set(pts["n_coded"]) == {8, 48} and len(pts) == 8
    mean = curve.mean().set_index("n_coded")["kappa"]
    assert mean[48] > mean[8]
    wide = curve.summary().to_frame()
    assert list(wide.columns) == ["kappa (random)", "folds min–max (random)"]
    fig = curve.figure(target=0.65, human_kappa=0.746)
    assert fig.axes[0].get_ylabel().startswith("Cohen")


def test_segments_to_reach_interpolates_between_the_straddling_points():
    pts = pd.DataFrame(
        {
            "strategy": ["active"] * 3 + ["random"] * 3 + ["never"] * 2,
            "n_coded": [100, 200, 300, 100, 200, 300, 100, 200],
            "repeat": 0,
            "kappa": [0.50, 0.62, 0.70, 0.50, 0.56, 0.64, 0.30, 0.40],
        }
    )
    got = LearningCurve(pts).segments_to_reach(0.60)
    # worked example: active crosses 0.60 between 100 (0.50) and 200 (0.62):
    # 100 + (0.60 - 0.50) / (0.62 - 0.50) * 100 = 183.33...;
    # random between 200 (0.56) and 300 (0.64): 200 + 0.04 / 0.08 * 100 = 250
    assert got["active"] == pytest.approx(183.3333, abs=1e-3)
    assert got["random"] == pytest.approx(250.0)
    assert got["never"] is None
    # a target the first point already meets cannot tell strategies apart
    assert LearningCurve(pts).segments_to_reach(0.45) == {
        "active": 100.0,
        "never": None,
        "random": 100.0,
    }


def test_segments_to_reach_averages_repeats_first():
    pts = pd.DataFrame(
        {
            "strategy": "random",
            "n_coded": [100, 100, 200, 200],
            "repeat": [0, 1, 0, 1],
            # means: 0.50 at 100, 0.70 at 200 -> 0.65 at 100 + 0.15 / 0.20 * 100 = 175
            "kappa": [0.40, 0.60, 0.80, 0.60],
        }
    )
    assert LearningCurve(pts).segments_to_reach(0.65)["random"] == pytest.approx(175.0)


def test_near_identical_copies_of_a_document_stay_in_one_fold(segments, labels, with_copy):
    X, y = with_copy(segments, labels)
    SpyCoder.seen = []
    ev = evaluate_coder(SpyCoder(calibration=None), X, y, n_splits=4, random_state=1)
    pred = ev.predictions
    assert pred.loc[pred["doc"] == "doc03", "fold"].unique().tolist() == (
        pred.loc[pred["doc"] == "doc09", "fold"].unique().tolist()
    )
    k = int(pred.loc[pred["doc"] == "doc03", "fold"].iloc[0])
    assert not ({"doc03", "doc09"} & SpyCoder.seen[k])
    assert any("doc03, doc09" in note and "one fold" in note for note in ev.notes)
    assert ev.to_dict()["notes"] == list(ev.notes)
    assert "doc03, doc09" in ev.summary().to_text()
    # trusting the doc column alone, the copy may be learned before its twin is tested:
    # no note of copies kept together, and the held-out twins counted instead
    plain = evaluate_coder(
        LearnedCoder(calibration=None), X, y, n_splits=4, random_state=1, duplicate_threshold=None
    )
    assert not any("doc03, doc09" in note for note in plain.notes)
    twins = plain.predictions.loc[plain.predictions["twin"], "doc"]
    assert {"doc03", "doc09"} <= set(twins) and plain.n_twins == len(twins)


def test_document_copies_groups_only_near_identical_documents(segments, with_copy):
    from ihms.policy.autocode import document_copies
    from ihms.policy.autocode._segments import as_segments

    X, _ = with_copy(segments, [None] * len(segments))
    # a third copy with one sentence reworded is still a copy; doc01 is not one
    edited = X[X["doc"] == "doc03"].copy()
    edited["doc"] = "doc10"
    edited["id"] = [f"doc10-{i}" for i in range(len(edited))]
    edited.iloc[0, edited.columns.get_loc("text")] = "本意见自印发之日起施行。"
    X = pd.concat([X, edited], ignore_index=True)
    groups, copies = document_copies(as_segments(X))
    assert copies == [("doc03", "doc09", "doc10")]
    batch = as_segments(X)
    assert set(groups[batch.docs == "doc10"]) == {"doc03"}
    assert set(groups[batch.docs == "doc01"]) == {"doc01"}
    # a threshold of None keeps every document its own group
    groups, copies = document_copies(batch, threshold=None)
    assert copies == [] and (groups == batch.docs).all()
