"""Documents an evaluation keeps in one fold as one policy (a near-identical copy filed
under a second id) are resampled together by the machine's and the human coders'
bootstraps, checked against the documented recipe rebuilt with numpy and scikit-learn's
``cohen_kappa_score``."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.policy.autocode import LearnedCoder, evaluate_coder
from ihms.policy.autocode._project_tables import _human_bootstrap
from ihms.policy.autocode.bootstrap import bootstrap_agreement

from ._bootstrap_reference import cluster_draws as _draws


@pytest.fixture(scope="module")
def copied(corpus):
    """doc03 filed a second time as doc09, evaluated in 4 folds."""
    from .conftest import _with_copy

    segments = corpus[["id", "doc", "position", "text"]]
    labels = [None if v is None or v != v else v for v in corpus["label"]]
    X, y = _with_copy(segments, labels)
    ev = evaluate_coder(LearnedCoder(calibration=None), X, y, n_splits=4)
    return X, y, ev


def test_the_copy_is_in_its_originals_cluster(copied):
    _, _, ev = copied
    p = ev.predictions
    assert set(p.loc[p["doc"] == "doc09", "cluster"]) == {"doc03"}
    rest = p[p["doc"] != "doc09"]
    assert (rest["cluster"] == rest["doc"]).all()


def test_the_machines_resamples_draw_both_copies_together(copied):
    _, _, ev = copied
    p = ev.predictions
    bs = ev.with_bootstrap(300, random_state=4).interval
    h, m = p["human"].to_numpy(), p["machine"].to_numpy()
    clusters, docs = p["cluster"].to_numpy().astype(str), p["doc"].to_numpy().astype(str)
    rows = list(_draws(clusters, 300, 4))
    np.testing.assert_allclose(
        bs.replicates, [cohen_kappa_score(h[r], m[r]) for r in rows], atol=1e-12
    )
    # in every resample doc03 and its copy doc09 come as often as each other
    per_doc = {d: (docs == d).sum() for d in ("doc03", "doc09")}
    for r in rows[:20]:
        drawn = [(docs[r] == d).sum() / per_doc[d] for d in ("doc03", "doc09")]
        assert drawn[0] == drawn[1]
    assert (bs.n_documents, bs.n_clusters) == (9, 8)
    assert "300 resamples of 8 clusters of the 9 documents" in " ".join(
        ev.with_bootstrap(300, random_state=4).summary().notes
    )
    assert ev.with_bootstrap(300, random_state=4).to_dict()["bootstrap"]["n_clusters"] == 8


def test_without_copies_the_bootstrap_is_the_document_bootstrap(segments, labels):
    ev = evaluate_coder(LearnedCoder(calibration=None), segments, labels, n_splits=4)
    p = ev.predictions
    assert (p["cluster"] == p["doc"]).all()
    bs = ev.with_bootstrap(300, random_state=4).interval
    # as the bootstrap was called before clusters existed: over the documents
    before = bootstrap_agreement(
        p["human"], p["machine"], p["doc"], categories=list(ev.per_category.index),
        n_boot=300, random_state=4,
    )  # fmt: skip
    np.testing.assert_array_equal(bs.replicates, before.replicates)
    assert (bs.low, bs.high, bs.note()) == (before.low, before.high, before.note())
    # and an evaluation without the column (an older one) resamples documents
    old = replace(ev, predictions=p.drop(columns="cluster"))
    np.testing.assert_array_equal(
        old.with_bootstrap(300, random_state=4).interval.replicates, before.replicates
    )


def test_the_human_coders_resamples_draw_the_copies_together(copied):
    X, y, ev = copied
    ev = ev.with_bootstrap(200, random_state=6)
    coded = [i for i, v in enumerate(y) if v is not None]
    # coder b disagrees with coder a on every fifth coded segment
    other = {
        "资金支持": "人才培养",
        "人才培养": "监督管理",
        "监督管理": "申请程序",
        "申请程序": "资金支持",
    }
    rows = pd.DataFrame(
        [
            {"unit": X["id"].iloc[i], "coder": c, "dimension": "tools", "code": code}
            for k, i in enumerate(coded)
            for c, code in (("a", y[i]), ("b", other[y[i]] if k % 5 == 0 else y[i]))
        ]
    )
    got = _human_bootstrap(rows, X, SimpleNamespace(multi=False), ev, 200, 6)
    wide = rows.pivot(index="unit", columns="coder", values="code")
    docs = X.set_index("id")["doc"].reindex(wide.index).to_numpy().astype(str)
    clusters = np.where(docs == "doc09", "doc03", docs)
    a, b = wide["a"].to_numpy(), wide["b"].to_numpy()
    ref = [cohen_kappa_score(a[r], b[r]) for r in _draws(clusters, 200, 6)]
    np.testing.assert_allclose(got.replicates, ref, atol=1e-12)
    assert (got.n_documents, got.n_clusters) == (9, 8)
