"""The learned coder on a plain table of segments (``ihms policy autocode table``)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError, InputError
from ihms.policy.autocode.table import read_segment_table

from .conftest import make_corpus

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def _jsonl(frame: pd.DataFrame, path):
    with open(path, "w", encoding="utf-8") as f:
        for row in frame.to_dict(orient="records"):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def tables(tmp_path):
    """Training documents and unseen documents, as a coder in another tool exports them:
    doc, text, label (headings unlabelled), no position column."""
    corpus = make_corpus(n_docs=12)[["doc", "text", "label"]]
    seen = corpus["doc"].isin([f"doc{i:02d}" for i in range(1, 9)])
    train = _jsonl(corpus[seen], tmp_path / "train.jsonl")
    test = tmp_path / "unseen.csv"
    corpus[~seen].to_csv(test, index=False, encoding="gbk")  # a Chinese Excel's CSV
    return train, test


def test_read_keeps_file_order_within_each_document(tables):
    train, test = tables
    table = read_segment_table(train, label="label")
    assert list(table.segments.columns) == ["id", "doc", "position", "text"]
    first = table.segments[table.segments["doc"] == "doc01"]
    assert first["position"].tolist() == list(range(len(first)))
    assert table.labels[0] is None and table.n_labelled == 8 * 12  # headings uncoded
    unseen = read_segment_table(test, label="label")  # GBK decodes like UTF-8
    assert unseen.segments["text"].iloc[0].startswith("一、")


def test_train_then_apply_to_unseen_documents_scores_against_their_labels(tables, tmp_path):
    train, test = tables
    model = tmp_path / "model"
    result = runner.invoke(
        app, ["policy", "autocode", "table", "train", str(train), "--label", "label",
              "--out", str(model)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "96 labelled segments from 8 documents, 4 labels" in flat(result.output)
    out = tmp_path / "coded.xlsx"
    result = runner.invoke(
        app, ["policy", "autocode", "table", "apply", str(test), "--model", str(model),
              "--out", str(out), "--label", "label", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    coded = pd.read_excel(out)
    assert len(coded) == report["segments"] == 4 * 16
    assert set(coded["model_id"]) == {report["model_id"]}
    both = coded[coded["label"].notna()]
    # the kappa reported is Cohen's kappa of the two columns written (sklearn's)
    want = cohen_kappa_score(both["label"], both["machine_label"])
    assert report["score"]["kappa"] == pytest.approx(want)
    assert report["score"]["n"] == len(both) == 48
    assert report["score"]["kappa"] > 0.8  # templated sentences: an easy corpus


def test_evaluate_cross_validates_by_document(tables):
    train, _ = tables
    result = runner.invoke(
        app, ["policy", "autocode", "table", "evaluate", str(train), "--label", "label",
              "--folds", "4", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["n_splits"] == 4 and payload["n_training"] == 96
    assert payload["n_documents"] == 8
    # the same figure as the library on the corpus in memory (file order = position)
    from ihms.policy.autocode import LearnedCoder, evaluate_coder

    corpus = make_corpus(n_docs=12)
    corpus = corpus[corpus["doc"].isin([f"doc{i:02d}" for i in range(1, 9)])]
    labels = [None if v is None or v != v else v for v in corpus["label"]]
    direct = evaluate_coder(
        LearnedCoder(random_state=0), corpus[["doc", "position", "text"]], labels, n_splits=4
    )
    assert payload["kappa"] == pytest.approx(direct.kappa)


def test_bad_tables_are_named(tmp_path):
    frame = make_corpus(n_docs=2)[["doc", "text", "label"]]
    missing = _jsonl(frame.drop(columns="label"), tmp_path / "nolabel.jsonl")
    with pytest.raises(InputError, match="no column 'label'; the columns are doc, text"):
        read_segment_table(missing, label="label")
    blank = frame.copy()
    blank.loc[[3, 5], "text"] = "  "
    path = _jsonl(blank, tmp_path / "blank.jsonl")
    with pytest.raises(DataError) as err:
        read_segment_table(path, label="label")
    assert err.value.problems == [
        "blank.jsonl line 4, column 'text': empty text",
        "blank.jsonl line 6, column 'text': empty text",
    ]
    (tmp_path / "broken.jsonl").write_text('{"doc": 1, "text": "一"}\n{oops\n', "utf-8")
    with pytest.raises(InputError, match=r"broken\.jsonl line 2: not a JSON object"):
        read_segment_table(tmp_path / "broken.jsonl")
    unlabelled = _jsonl(frame.assign(label=None), tmp_path / "unlabelled.jsonl")
    result = runner.invoke(
        app, ["policy", "autocode", "table", "train", str(unlabelled), "--label", "label",
              "--out", str(tmp_path / "m")],
    )  # fmt: skip
    assert result.exit_code == 2 and "has no labels" in flat(result.output)
    assert not (tmp_path / "m").exists()
