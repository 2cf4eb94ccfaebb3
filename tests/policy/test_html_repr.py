"""A notebook shows every policy result with a summary (QDA exchange, themes, trend,
reconciliation, screening, issuer network, a content table) as that summary's table (a
review of the Python API for Jupyter, session 33)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests.html_repr_check import check_html_repr
from tests.policy.test_cluster import ANSWERS
from tests.policy.test_issuer_network import ALIASES, DOCS
from tests.policy.test_screening_agreement import PARADOX

from ihms.policy import screen
from ihms.policy.cluster import cluster_answers
from ihms.policy.issuers import issuer_network
from ihms.policy.qdpx import export_qdpx, import_qdpx
from ihms.policy.reconcile import coded_data, reconcile
from ihms.policy.screening_reviewers import ScreeningMethod, stage_agreement
from ihms.policy.tables import frequency_table
from ihms.policy.trend import time_evolution


def _exported(ex):
    return export_qdpx(ex.project, ex.tmp_path / "a.qdpx", coders=["coder_a"])


def _imported(ex):
    _exported(ex)  # as tests/policy/test_qdpx.py's round trip
    return import_qdpx(ex.project, ex.tmp_path / "a.qdpx", coder="coder_a_qdpx")


def _reviewers(ex):
    title = stage_agreement("title", ["ann", "bo"], PARADOX, n_recorded=200)
    return ScreeningMethod(("ann", "bo"), (title,))


# each built as the part's tests build it; the project ones on the example project
# (tests/policy/conftest.py)
_RESULTS = {
    "QdpxExport": _exported,
    "QdpxImport": _imported,
    "ThemeClusters": lambda ex: cluster_answers(ANSWERS, k=3),
    "TimeEvolution": lambda ex: time_evolution(coded_data(ex.project), "tools"),
    "Reconciliation": lambda ex: reconcile(ex.project, coders=["coder_a", "coder_b"]),
    "Screening": lambda ex: screen(ex.corpus.documents),
    "ScreeningMethod": _reviewers,
    "ContentTable": lambda ex: frequency_table(coded_data(ex.project), "tools"),
    "CooperationNetwork": lambda ex: issuer_network(DOCS, aliases=ALIASES),
}


@pytest.mark.parametrize("name", sorted(_RESULTS))
def test_every_policy_result_shows_its_summary_table(name, coded_project, example_corpus, tmp_path):
    ex = SimpleNamespace(project=coded_project, corpus=example_corpus, tmp_path=tmp_path)
    result = _RESULTS[name](ex)
    assert type(result).__name__ == name
    check_html_repr(result)


def test_a_chinese_summary_stays_a_call_of_its_own():
    # the notebook shows the English default; summary(lang="zh") is still there to call
    net = issuer_network(DOCS, aliases=ALIASES)
    assert net.summary(lang="zh").title != net.summary().title
    assert net._repr_html_() == net.summary()._repr_html_()
