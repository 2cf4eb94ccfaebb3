"""The cluster bootstrap over documents, checked against an independent computation:
the documents each resample draws are rebuilt from the documented recipe
(``numpy.random.default_rng(seed).integers(0, D, size=(B, D))`` over the sorted
document ids) and kappa / F1 recomputed on the drawn segments with scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score

from ihms.errors import InputError
from ihms.policy.autocode.bootstrap import bootstrap_agreement, kappa_of_tables

from ._bootstrap_reference import cluster_kappas


def _coded(seed=1, n=180, n_docs=20, cats="abc"):
    rng = np.random.default_rng(seed)
    docs = np.array([f"d{i:02d}" for i in rng.integers(0, n_docs, n)])
    human = rng.choice(list(cats), n)
    machine = np.where(rng.random(n) < 0.6, human, rng.choice(list(cats), n))
    return human, machine, docs


def _resampled_rows(docs, n_boot, seed):
    """Independent of ihms: the rows of each resample, documents drawn whole."""
    ids = np.unique(docs)
    draws = np.random.default_rng(seed).integers(0, len(ids), size=(n_boot, len(ids)))
    for row in draws:
        yield np.concatenate([np.flatnonzero(docs == ids[j]) for j in row])


def test_kappa_of_a_table_worked_example():
    # po = 35/50 = 0.7; pe = (25*30 + 25*20)/50^2 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4
    assert kappa_of_tables(np.array([[20, 5], [10, 15]])) == pytest.approx(0.4)
    # both coders used one category: kappa undefined
    assert np.isnan(kappa_of_tables(np.array([[7, 0], [0, 0]])))


def test_every_resample_matches_sklearn_on_the_same_documents():
    human, machine, docs = _coded()
    bs = bootstrap_agreement(human, machine, docs, n_boot=400, random_state=11)
    ref = np.array(
        [cohen_kappa_score(human[r], machine[r]) for r in _resampled_rows(docs, 400, 11)]
    )
    np.testing.assert_allclose(bs.replicates, ref, atol=1e-12)
    assert bs.kappa == pytest.approx(cohen_kappa_score(human, machine))
    assert (bs.low, bs.high) == pytest.approx(tuple(np.percentile(ref, [2.5, 97.5])))
    assert bs.low < bs.kappa < bs.high
    # the same seed gives the same interval; another seed another one
    again = bootstrap_agreement(human, machine, docs, n_boot=400, random_state=11)
    assert (again.low, again.high) == (bs.low, bs.high)
    other = bootstrap_agreement(human, machine, docs, n_boot=400, random_state=12)
    assert (other.low, other.high) != (bs.low, bs.high)


def test_per_category_kappa_and_f1_intervals_match_sklearn():
    human, machine, docs = _coded(seed=3)
    bs = bootstrap_agreement(human, machine, docs, n_boot=300, random_state=5, confidence=0.9)
    for c in "abc":
        kappas, f1s = [], []
        for r in _resampled_rows(docs, 300, 5):
            h, m = human[r] == c, machine[r] == c
            kappas.append(cohen_kappa_score(h, m))
            f1s.append(f1_score(h, m))
        row = bs.categories.loc[c]
        assert (row["kappa_low"], row["kappa_high"]) == pytest.approx(
            tuple(np.percentile(kappas, [5, 95]))
        )
        assert (row["f1_low"], row["f1_high"]) == pytest.approx(tuple(np.percentile(f1s, [5, 95])))


def test_multilabel_whole_answers_and_categories():
    rng = np.random.default_rng(2)
    n = 150
    docs = np.array([f"d{i}" for i in rng.integers(0, 15, n)])
    h = rng.integers(0, 2, (n, 2))
    m = np.where(rng.random((n, 2)) < 0.75, h, 1 - h)
    join = lambda row: ";".join(c for c, v in zip("xy", row, strict=True) if v)  # noqa: E731
    human, machine = [join(r) for r in h], [join(r) for r in m]
    bs = bootstrap_agreement(
        human, machine, docs, categories=["x", "y"], multilabel=True, n_boot=200, random_state=0
    )
    ha, ma = np.array(human, dtype=object), np.array(machine, dtype=object)
    ref = [cohen_kappa_score(ha[r], ma[r]) for r in _resampled_rows(docs, 200, 0)]
    np.testing.assert_allclose(bs.replicates, ref, atol=1e-12)
    f1y = [f1_score(h[r, 1], m[r, 1]) for r in _resampled_rows(docs, 200, 0)]
    assert bs.categories.loc["y", "f1_low"] == pytest.approx(np.percentile(f1y, 2.5))


def test_two_documents_worked_by_hand():
    # doc A: both coders agree on a, b; doc B: they swap a and b. Resamples of two
    # documents: {A, A} kappa 1, {B, B} kappa -1, {A, B} kappa 0.
    human = ["a", "b", "a", "b"]
    machine = ["a", "b", "b", "a"]
    docs = ["A", "A", "B", "B"]
    bs = bootstrap_agreement(human, machine, docs, n_boot=50, random_state=0)
    assert bs.kappa == 0
    assert set(np.round(bs.replicates, 12)) <= {1.0, -1.0, 0.0}
    assert bs.low == -1 and bs.high == 1


def test_clusters_are_drawn_whole_as_the_documented_recipe_rebuilds_them():
    human, machine, docs = _coded(seed=4)
    # d00/d01 and d05/d06: one policy each, filed twice; the cluster is the first id
    clusters = np.array([{"d01": "d00", "d06": "d05"}.get(d, d) for d in docs])
    bs = bootstrap_agreement(human, machine, docs, clusters=clusters, n_boot=300, random_state=2)
    # the recipe over the clusters sorted by id: every segment of each drawn cluster
    ids = np.unique(clusters)
    ref = cluster_kappas(human, machine, clusters, 300, 2)
    np.testing.assert_allclose(bs.replicates, ref, atol=1e-12)
    assert (bs.low, bs.high) == pytest.approx(tuple(np.percentile(ref, [2.5, 97.5])))
    # documents resampled alone draw other resamples
    alone = bootstrap_agreement(human, machine, docs, n_boot=300, random_state=2)
    assert not np.allclose(alone.replicates, bs.replicates)
    assert (bs.n_documents, bs.n_clusters) == (20, 18) == (len(set(docs)), len(ids))
    assert bs.to_dict()["n_clusters"] == 18 and alone.to_dict()["n_clusters"] == 20
    assert "300 resamples of 18 clusters of the 20 documents, those counted as one" in bs.note()
    assert "300 resamples of the 20 documents with replacement" in alone.note()


def test_one_document_per_cluster_is_the_document_bootstrap():
    human, machine, docs = _coded(seed=5)
    alone = bootstrap_agreement(human, machine, docs, n_boot=200, random_state=3)
    same = bootstrap_agreement(human, machine, docs, clusters=docs, n_boot=200, random_state=3)
    np.testing.assert_array_equal(same.replicates, alone.replicates)
    assert same.note() == alone.note() and same.to_dict() == alone.to_dict()
    assert alone.n_clusters == alone.n_documents == len(set(docs))


def test_bad_arguments_are_refused():
    with pytest.raises(InputError, match="n_boot"):
        bootstrap_agreement(["a"], ["a"], ["d"], n_boot=0)
    with pytest.raises(InputError, match="confidence"):
        bootstrap_agreement(["a"], ["a"], ["d"], confidence=95)
    with pytest.raises(InputError, match="align"):
        bootstrap_agreement(["a", "b"], ["a"], ["d", "d"])
    with pytest.raises(InputError, match="document 'd' is in more than one cluster"):
        bootstrap_agreement(["a", "b"], ["a", "b"], ["d", "d"], clusters=["x", "y"])
