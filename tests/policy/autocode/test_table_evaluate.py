"""``ihms policy autocode table evaluate`` does what the project's ``autocode evaluate``
does: --repeats, the nested coverage cut (on --target-kappa: a table has no human
kappa) and --twins-together, with the same --json keys and notes. Each figure is checked
against the library run by hand with the same seeds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import LearnedCoder, evaluate_coder
from ihms.policy.autocode.coverage import nested_cut
from ihms.policy.autocode.table import read_segment_table

from .conftest import make_corpus, write_jsonl

runner = CliRunner()
CATEGORIES = ["人才培养", "申请程序", "监督管理", "资金支持"]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def noisy(tmp_path_factory):
    """Twelve documents whose labels a careless coder gave: a third of them replaced by
    a random category (the templated corpus alone is coded perfectly, kappa 1)."""
    corpus = make_corpus(n_docs=12)[["doc", "text", "label"]].copy()
    rng = np.random.default_rng(0)
    corpus["label"] = [
        v if v is None or rng.random() > 1 / 3 else CATEGORIES[rng.integers(4)]
        for v in corpus["label"]
    ]
    path = write_jsonl(corpus, tmp_path_factory.mktemp("noisy") / "noisy.jsonl")
    table = read_segment_table(path, label="label")
    return path, table.segments, table.labels


def _evaluate(path, *options):
    args = ["policy", "autocode", "table", "evaluate", str(path), "--label", "label"]
    result = runner.invoke(app, [*args, "--folds", "3", *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_repeats_are_evaluate_coder_with_the_next_seeds(noisy):
    path, X, y = noisy
    payload = json.loads(_evaluate(path, "--repeats", "3", "--bootstrap", "0", "--json"))
    # run 0 is the headline evaluation; run r seeds folds and solver with --seed + r
    by_hand = [
        evaluate_coder(LearnedCoder(random_state=s), X, y, n_splits=3, random_state=s).kappa
        for s in (0, 1, 2)
    ]
    r = payload["repeats"]
    assert r["seeds"] == [0, 1, 2] and r["kappas"] == pytest.approx(by_hand, abs=1e-12)
    assert payload["kappa"] == pytest.approx(by_hand[0], abs=1e-12)
    assert len(set(np.round(by_hand, 9))) > 1  # the folds move kappa on this table
    assert r["mean"] == pytest.approx(np.mean(by_hand))
    assert r["sd"] == pytest.approx(np.std(by_hand, ddof=1))
    (note,) = [n for n in payload["notes"] if n.startswith("Repeated cross-validation")]
    assert note.startswith("Repeated cross-validation: 3 runs, seeds 0 to 2")
    # without --repeats: the key, empty, as the project's evaluate gives it
    assert json.loads(_evaluate(path, "--bootstrap", "0", "--json"))["repeats"] is None


def test_the_nested_cut_aims_at_the_target_kappa(noisy):
    path, X, y = noisy
    options = ("--coverage", "--target-kappa", "0.6", "--bootstrap", "0", "--json")
    cov = json.loads(_evaluate(path, *options))["coverage"]
    ev = evaluate_coder(LearnedCoder(random_state=0), X, y, n_splits=3, probabilities=True)
    want = nested_cut(ev, LearnedCoder(random_state=0), X, y, target=0.6, random_state=0)
    got = cov["nested"]
    assert got["target_kappa"] == 0.6 and got["cuts"] == pytest.approx(list(want.cuts))
    assert (got["coded"], got["n_segments"]) == (want.coded, want.n_segments)
    assert got["kappa"] == pytest.approx(want.kappa)
    assert cov["target_kappa"] == 0.6
    assert cov["min_probability_for_target"] == ev.coverage().min_probability_for(0.6)
    # --no-nested skips it; without --target-kappa there is no bar to aim at
    skipped = json.loads(_evaluate(path, *options, "--no-nested"))["coverage"]
    assert skipped["nested"] is None and skipped["table"] == cov["table"]
    bare = json.loads(_evaluate(path, "--coverage", "--bootstrap", "0", "--json"))["coverage"]
    assert bare["nested"] is None and bare["target_kappa"] is None
    assert bare["min_probability_for_target"] is None


def test_the_console_says_the_nested_cut_and_the_repeats(noisy):
    path, _, _ = noisy
    out = flat(_evaluate(path, "--coverage", "--target-kappa", "0.6", "--repeats", "2"))
    assert "Nested choice" in out
    assert "Repeated cross-validation: 2 runs, seeds 0 to 1 (the first is the table's run" in out


def test_twins_together_keeps_documents_sharing_a_paragraph_in_one_fold(tmp_path):
    # each document's sentences end in its own mark, so only the copied one is a twin
    corpus = make_corpus(n_docs=9)[["doc", "text", "label"]].copy()
    marks = dict(zip(sorted(set(corpus["doc"])), "甲乙丙丁戊己庚辛壬", strict=True))
    corpus["text"] = [
        f"{t}（{marks[d]}）" for t, d in zip(corpus["text"], corpus["doc"], strict=True)
    ]
    first = corpus.index[(corpus["doc"] == "doc01") & corpus["label"].notna()][0]
    copy = corpus.index[(corpus["doc"] == "doc02") & corpus["label"].notna()][0]
    corpus.loc[copy, ["text", "label"]] = corpus.loc[first, ["text", "label"]].to_numpy()
    path = write_jsonl(corpus, tmp_path / "twins.jsonl")
    table = read_segment_table(path, label="label")
    X, y = table.segments, table.labels
    for options, together in (((), False), (("--twins-together",), True)):
        payload = json.loads(_evaluate(path, *options, "--bootstrap", "0", "--json"))
        ev = evaluate_coder(LearnedCoder(random_state=0), X, y, n_splits=3, twins_together=together)
        assert payload["kappa"] == pytest.approx(ev.kappa, abs=1e-12)
        # apart, the paragraph and its copy are each held out beside the other in training
        assert payload["n_twins"] == ev.n_twins == (0 if together else 2)
