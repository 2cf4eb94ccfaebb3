"""Intervals of a project's evaluation: machine and human kappa bootstrapped over the
same documents, checked against scikit-learn on the rebuilt resamples."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.policy.autocode import evaluate_on_project
from ihms.policy.coding import codings


def _resamples(docs, n_boot, seed):
    ids = np.unique(docs)
    draws = np.random.default_rng(seed).integers(0, len(ids), size=(n_boot, len(ids)))
    for row in draws:
        yield np.concatenate([np.flatnonzero(docs == ids[j]) for j in row])


@pytest.fixture(scope="module")
def evaluation(read_only_project):
    """One evaluation for the four tests that read it (none changes it: ``replace``
    makes a copy)."""
    return evaluate_on_project(read_only_project, "stakeholders", n_splits=4, n_boot=300)


def test_machine_interval_is_a_document_bootstrap_of_the_predictions(evaluation):
    ev = evaluation
    pred = ev.evaluation.predictions
    docs = pred["doc"].to_numpy().astype(str)
    h, m = pred["human"].to_numpy(), pred["machine"].to_numpy()
    ref = [cohen_kappa_score(h[r], m[r]) for r in _resamples(docs, 300, 0)]
    low, high = np.percentile(ref, [2.5, 97.5])
    row = ev.table.iloc[0]
    assert (row["machine 95% low"], row["machine 95% high"]) == pytest.approx((low, high))
    assert low < ev.machine_kappa < high
    out = ev.to_dict()
    assert out["machine_kappa_ci"] == pytest.approx([low, high])
    assert out["bootstrap"]["n_boot"] == 300 and out["bootstrap"]["seed"] == 0
    assert "cluster bootstrap over documents (300 resamples" in " ".join(out["notes"])


def test_human_interval_resamples_the_coders_documents(coded_project, evaluation):
    ev = evaluation
    long = codings(coded_project, coders=["coder_a", "coder_b"], dimensions=["stakeholders"])
    answers = (
        long[long["value"] != ""]
        .groupby(["segment_id", "coder_id"])["value"]
        .agg(lambda v: ";".join(sorted(v)))
        .unstack()
        .dropna()
    )
    docs_of = ev.evaluation.predictions.set_index("segment")["doc"]
    answers = answers[answers.index.isin(docs_of.index)]
    docs = docs_of.reindex(answers.index).to_numpy().astype(str)
    a, b = answers["coder_a"].to_numpy(), answers["coder_b"].to_numpy()
    assert cohen_kappa_score(a, b) == pytest.approx(ev.human_kappa)
    ref = [cohen_kappa_score(a[r], b[r]) for r in _resamples(docs, 300, 0)]
    row = ev.table.iloc[0]
    assert (row["human 95% low"], row["human 95% high"]) == pytest.approx(
        tuple(np.percentile(ref, [2.5, 97.5]))
    )


def test_the_file_table_names_categories_and_says_how_it_was_run(evaluation):
    t = evaluation.file_table()
    assert t.frame.index[0] == "Stakeholders" and "Governments" in t.frame.index
    assert t.frame["key"].iloc[0] == "stakeholders" and "governments" in set(t.frame["key"])
    run = [n for n in t.notes if n.startswith("Run:")]
    assert run == [
        "Run: 4 folds by document, seed 0, paragraph segments, at least 5 codes per "
        "category; human coders: coder_a, coder_b."
    ]
    shown = evaluation.summary().to_frame()
    assert "machine 95% CI" in shown and "f1 95% CI" in shown


def test_one_human_coder_is_said_to_be_too_few(evaluation):
    one = replace(evaluation, human_coders=("coder_a",), human_interval=None)
    notes = " ".join(one.summary().notes)
    assert "fewer than two human coders (only coder_a)" in notes
    assert "Human vs human: coder_a on" not in notes


def test_no_bootstrap_leaves_the_table_as_it_was(coded_project):
    ev = evaluate_on_project(coded_project, "stakeholders", n_splits=4, n_boot=0)
    assert "machine 95% low" not in ev.table
    assert ev.to_dict()["machine_kappa_ci"] is None
    assert isinstance(ev.summary().to_frame(), pd.DataFrame)


def test_rules_are_scored_on_every_coded_segment_like_sklearn(coded_project):
    from ihms.policy.autocode import rules_from_codebook
    from ihms.policy.autocode.rules_evaluation import evaluate_rules_on_project

    rules = rules_from_codebook(coded_project.codebook(), "tools")
    ev = evaluate_rules_on_project(coded_project, rules, "tools", n_boot=100)
    pred = ev.evaluation.predictions
    assert len(pred) == ev.evaluation.n_training and (pred["fold"] == 0).all()
    assert ev.machine_kappa == pytest.approx(cohen_kappa_score(pred["human"], pred["machine"]))
    summary = ev.summary()
    assert summary.title.startswith("Keyword rules vs human, Policy tools: every coded segment")
    assert "Rules learn nothing from the codes" in summary.notes[0]
    assert "machine 95% low" in ev.table


def test_repeats_are_the_runs_of_the_next_seeds(coded_project):
    from ihms.errors import InputError
    from ihms.policy.autocode import default_coder

    dim = coded_project.codebook().dimension("stakeholders")
    ev = evaluate_on_project(coded_project, "stakeholders", n_splits=4, n_boot=0, repeats=2)
    second = evaluate_on_project(
        coded_project, "stakeholders", n_splits=4, n_boot=0, random_state=1,
        coder=default_coder(dim, random_state=1),
    )  # fmt: skip
    r = ev.repeats()
    assert r["seeds"] == [0, 1]
    assert r["kappas"] == pytest.approx([ev.machine_kappa, second.machine_kappa])
    assert r["sd"] == pytest.approx(np.std(r["kappas"], ddof=1))
    assert "Repeated cross-validation: 2 runs, seeds 0 to 1" in " ".join(ev.summary().notes)
    assert ev.to_dict()["repeats"]["mean"] == pytest.approx(np.mean(r["kappas"]))
    with pytest.raises(InputError, match="repeats"):
        evaluate_on_project(coded_project, "stakeholders", repeats=0)
