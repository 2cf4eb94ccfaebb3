"""A cross-validation reports the categories whose tuned cut its fold models refused
(session 29's one-sided hypergeometric test, :func:`~ihms.policy.autocode._scores.
best_f1_cut`): how many folds refused which category, in the notes and ``--json``
(session 29's closing note: the evaluation said nothing, though each such fold gave the
category the majority answer of its codes, never).

Reference: each fold's model fitted again here, alone, on the codes of the documents
the evaluation's predictions put outside that fold (its ``fold`` and ``doc`` columns),
its own ``uncut_categories_`` read; the category whose scores run the wrong way is the
rare one of ``rare_corpus`` (tests/policy/autocode/test_uncut_categories.py)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import LearnedCoder, evaluate_coder

from .conftest import RARE, write_jsonl


@pytest.fixture
def rare_multilabel(rare_corpus):
    X, y = rare_corpus
    return X, [None if v is None else [v] for v in y]


def test_the_folds_that_refused_a_cut_are_counted_and_noted(rare_multilabel):
    X, codes = rare_multilabel
    ev = evaluate_coder(LearnedCoder(min_per_category=1), X, codes, n_splits=3)
    pred = ev.predictions
    docs = X["doc"].to_numpy()
    expected: dict[str, dict[str, int]] = {}
    for k in sorted(pred["fold"].unique()):
        held = np.isin(docs, pred.loc[pred["fold"] == k, "doc"].unique())
        fold_codes = [None if h else c for c, h in zip(codes, held, strict=True)]
        model = LearnedCoder(min_per_category=1).fit(X, fold_codes)
        for category, kind in model.uncut_categories_.items():
            expected.setdefault(category, {}).setdefault(kind, 0)
            expected[category][kind] += 1
    assert RARE in expected  # the scores of 稀有 run the wrong way in some fold
    assert ev.uncut_categories == expected
    n = expected[RARE]["never"]
    note = next(n for n in ev.notes if n.startswith("The fold models refused a tuned cut"))
    assert f"{RARE} in {n} of the 3 folds (never coded there)" in note
    assert "one-sided hypergeometric test, p >= 0.05" in note
    assert note in ev.summary().notes
    plain = ev.to_dict()
    assert plain["uncut_categories"] == expected and note in plain["notes"]
    json.dumps(plain, allow_nan=False)


def test_folds_that_kept_every_cut_say_nothing(corpus_factory):
    corpus = corpus_factory(n_docs=6, per_section=2)
    codes = [None if v is None or v != v else [v] for v in corpus["label"]]
    ev = evaluate_coder(LearnedCoder(min_per_category=1), corpus, codes, n_splits=3)
    assert ev.uncut_categories == {}
    assert not any(n.startswith("The fold models refused") for n in ev.notes)


def test_the_cli_evaluation_reports_them(rare_corpus, tmp_path):
    # `ihms policy autocode table evaluate --multi` on the same small project
    X, y = rare_corpus
    train = write_jsonl(X[["doc", "text"]].assign(codes=y), tmp_path / "train.jsonl")
    base = ["policy", "autocode", "table", "evaluate", str(train), "--label", "codes", "--multi"]
    base += ["--min-per-category", "1", "--folds", "3", "--bootstrap", "0"]
    runner = CliRunner()
    res = runner.invoke(app, [*base, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["uncut_categories"][RARE] == {"never": 3}
    (note,) = [n for n in out["notes"] if n.startswith("The fold models refused a tuned cut")]
    assert f"{RARE} in 3 of the 3 folds (never coded there)" in note
    res = runner.invoke(app, base)
    assert res.exit_code == 0, res.output
    assert f"refused a tuned cut: {RARE} in 3 of the 3 folds" in " ".join(res.output.split())
