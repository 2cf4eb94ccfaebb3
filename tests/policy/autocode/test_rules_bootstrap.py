"""Keyword rules' evaluation resamples near-identical copies of one policy together,
as the learned coder's evaluation does (session 29): it bootstrapped single documents,
so a policy filed twice counted as two independent draws. Golden: the documented
recipe (clusters sorted by id, ``default_rng(seed).integers``) rebuilt with numpy and
scikit-learn's ``cohen_kappa_score``."""

import numpy as np
import pytest

from ihms.policy.autocode import rules_from_mapping
from ihms.policy.autocode.rules_evaluation import evaluate_rules_on_project

from ._bootstrap_reference import cluster_kappas
from ._content_project import build

RULES = {
    "governance": {"any": ["管理"]},
    "personnel": {"any": ["人事", "人员", "下沉"]},
    "payment": {"any": ["医保"]},
}


@pytest.fixture
def filed_twice(tmp_path):
    """Eight documents and the first (d00) filed again as d08."""
    p = build(tmp_path / "p.sqlite", twice=True)
    yield p
    p.close()


def test_rules_bootstrap_draws_a_policy_filed_twice_as_one_cluster(filed_twice):
    ev = evaluate_rules_on_project(
        filed_twice, rules_from_mapping(RULES), "content", n_boot=300, random_state=3
    )
    p = ev.evaluation.predictions
    assert set(p.loc[p["doc"] == "d08", "cluster"]) == {"d00"}
    rest = p[p["doc"] != "d08"]
    assert (rest["cluster"] == rest["doc"]).all()

    interval = ev.evaluation.interval
    assert (interval.n_documents, interval.n_clusters) == (9, 8)
    clusters = p["cluster"].to_numpy().astype(str)
    ref = cluster_kappas(p["human"], p["machine"], clusters, 300, 3)
    np.testing.assert_allclose(interval.replicates, ref, atol=1e-12)
    notes = " ".join(ev.summary().notes)
    assert "300 resamples of 8 clusters of the 9 documents" in notes
    assert "Documents d00, d08 are near-identical copies" in notes
    assert ev.to_dict()["bootstrap"]["n_clusters"] == 8


def test_rules_without_copies_resample_documents(tmp_path):
    p = build(tmp_path / "p.sqlite")
    try:
        ev = evaluate_rules_on_project(p, rules_from_mapping(RULES), "content", n_boot=50)
    finally:
        p.close()
    pred = ev.evaluation.predictions
    assert (pred["cluster"] == pred["doc"]).all()
    assert ev.evaluation.interval.n_clusters == ev.evaluation.interval.n_documents == 8
