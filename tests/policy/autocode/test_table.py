"""The learned coder on a plain table of segments (``ihms policy autocode table``)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError, InputError
from ihms.policy.autocode import load_coder
from ihms.policy.autocode.table import read_segment_table

from .conftest import make_corpus, write_jsonl

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


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
    # its interval: the library's bootstrap over documents with the same seed
    boot = direct.with_bootstrap(2000, random_state=0).interval
    assert payload["bootstrap"]["n_boot"] == 2000
    assert (payload["bootstrap"]["low"], payload["bootstrap"]["high"]) == pytest.approx(
        (boot.low, boot.high)
    )
    assert boot.low <= payload["kappa"] <= boot.high
    assert "f1_low" in payload["per_category"][0]


def test_bad_tables_are_named(tmp_path):
    frame = make_corpus(n_docs=2)[["doc", "text", "label"]]
    missing = write_jsonl(frame.drop(columns="label"), tmp_path / "nolabel.jsonl")
    with pytest.raises(InputError, match="no column 'label'; the columns are doc, text"):
        read_segment_table(missing, label="label")
    blank = frame.copy()
    blank.loc[[3, 5], "text"] = "  "
    path = write_jsonl(blank, tmp_path / "blank.jsonl")
    with pytest.raises(DataError) as err:
        read_segment_table(path, label="label")
    assert err.value.problems == [
        "blank.jsonl line 4, column 'text': empty text",
        "blank.jsonl line 6, column 'text': empty text",
    ]
    (tmp_path / "broken.jsonl").write_text('{"doc": 1, "text": "一"}\n{oops\n', "utf-8")
    with pytest.raises(InputError, match=r"broken\.jsonl line 2: not a JSON object"):
        read_segment_table(tmp_path / "broken.jsonl")
    unlabelled = write_jsonl(frame.assign(label=None), tmp_path / "unlabelled.jsonl")
    result = runner.invoke(
        app, ["policy", "autocode", "table", "train", str(unlabelled), "--label", "label",
              "--out", str(tmp_path / "m")],
    )  # fmt: skip
    assert result.exit_code == 2 and "has no labels" in flat(result.output)
    assert not (tmp_path / "m").exists()


def test_review_findings_on_awkward_tables(tmp_path):
    frame = make_corpus(n_docs=4)[["doc", "text", "label"]]
    # numbers as labels, read by pandas as floats because of the unlabelled headings
    numbered = frame.assign(label=frame["label"].map({"资金支持": 1, "人才培养": 2}))
    table = read_segment_table(write_jsonl(numbered, tmp_path / "n.jsonl"), label="label")
    assert {v for v in table.labels if v} == {"1", "2"}
    # blank lines and rows keep the numbers a person sees in an editor or spreadsheet
    lines = [json.dumps(r, ensure_ascii=False) for r in frame.head(4).to_dict("records")]
    lines[2] = json.dumps({"doc": "d", "text": " ", "label": None})
    (tmp_path / "gaps.jsonl").write_text("\n".join(["", *lines]) + "\n", "utf-8")
    with pytest.raises(DataError) as err:
        read_segment_table(tmp_path / "gaps.jsonl")
    assert err.value.problems == ["gaps.jsonl line 4, column 'text': empty text"]
    csv = "doc,text,label\nd1,一、总则,\n\nd1,,x\n"
    (tmp_path / "gaps.csv").write_text(csv, "utf-8")
    with pytest.raises(DataError) as err:
        read_segment_table(tmp_path / "gaps.csv")
    assert err.value.problems == ["gaps.csv row 4, column 'text': empty text"]
    # damaged and empty files are messages
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match=r"bad\.xlsx: cannot be read as an Excel file"):
        read_segment_table(tmp_path / "bad.xlsx")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.csv: cannot be read as a CSV file"):
        read_segment_table(tmp_path / "empty.csv")


def test_cli_review_findings(tmp_path):
    frame = make_corpus(n_docs=4)[["doc", "text", "label"]]
    nodoc = write_jsonl(frame.drop(columns="doc"), tmp_path / "nodoc.jsonl")
    base = ["policy", "autocode", "table"]
    # the note about the missing doc column goes to stderr: --json stays JSON
    result = CliRunner().invoke(
        app, [*base, "evaluate", str(nodoc), "--label", "label", "--folds", "3", "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["n_splits"] == 3
    assert "no 'doc' column" in flat(result.stderr)
    # a column named with --doc that is not there is an error, not a note
    result = runner.invoke(app, [*base, "train", str(nodoc), "--label", "label",
                                 "--doc", "document", "--out", str(tmp_path / "m")])  # fmt: skip
    assert result.exit_code == 2 and "--doc: nodoc.jsonl has no column 'document'" in flat(
        result.output
    )
    result = runner.invoke(app, [*base, "evaluate", str(nodoc), "--label", "label",
                                 "--folds", "1"])  # fmt: skip
    assert result.exit_code == 2 and "at least 2 folds" in flat(result.output)
    # every labelled row left to people: the file is written, no kappa, no error
    table = write_jsonl(frame, tmp_path / "t.jsonl")
    model = tmp_path / "model"
    assert runner.invoke(app, [*base, "train", str(table), "--label", "label",
                               "--out", str(model)]).exit_code == 0  # fmt: skip
    out = tmp_path / "coded.csv"
    result = runner.invoke(app, [*base, "apply", str(table), "--model", str(model), "--out",
                                 str(out), "--label", "label", "--min-probability", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no segment carries both a label and a machine code" in flat(result.output)
    assert out.is_file()


def test_multi_label_tables_code_and_score_whole_answers(tmp_path):
    # money (a sum is granted) and/or office (a bureau is named), '-' when neither
    corpus = make_corpus(n_docs=12)
    codes = []
    for text, label in zip(corpus["text"], corpus["label"], strict=True):
        if not isinstance(label, str):
            codes.append(None)
            continue
        got = [
            c
            for c, w in (("money", "资金补助补贴奖励"), ("office", "局"))
            if any(x in text for x in w)
        ]
        codes.append("; ".join(got) or "-")
    table = corpus[["doc", "text"]].assign(codes=codes)
    seen = table["doc"].isin([f"doc{i:02d}" for i in range(1, 9)])
    train = write_jsonl(table[seen], tmp_path / "train.jsonl")
    test = write_jsonl(table[~seen], tmp_path / "test.jsonl")
    read = read_segment_table(train, label="codes", multi=True)
    assert read.labels[0] is None and all(isinstance(v, list) for v in read.labels[1:4])
    assert [] in read.labels  # '-' is coded: none applies
    base = ["policy", "autocode", "table"]
    model = tmp_path / "model"
    result = runner.invoke(app, [*base, "train", str(train), "--label", "codes", "--multi",
                                 "--out", str(model)])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = tmp_path / "coded.csv"
    result = runner.invoke(app, [*base, "apply", str(test), "--model", str(model), "--out",
                                 str(out), "--label", "codes", "--multi", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    score = json.loads(result.output)["score"]
    coded = pd.read_csv(out, keep_default_na=False)
    assert set(coded["machine_label"]) <= {"-", "money", "office", "money; office"}
    both = coded[coded["codes"] != ""]
    assert score["kappa"] == pytest.approx(cohen_kappa_score(both["codes"], both["machine_label"]))


def test_too_few_codes_name_the_category_and_can_be_lowered(tmp_path):
    frame = make_corpus(n_docs=4)[["doc", "text", "label"]]
    rare = frame["label"] == "申请程序"
    frame.loc[rare[rare].index[3:], "label"] = None  # three 申请程序 codes left
    path = write_jsonl(frame, tmp_path / "t.jsonl")
    args = ["policy", "autocode", "table", "train", str(path), "--label", "label"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "'申请程序' has 3 coded segments, needs 2 more" in flat(result.output)
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "m"), "--min-per-category", "3"])
    assert result.exit_code == 0, result.output


def test_jieba_words_on_request(tables, tmp_path):
    train, _ = tables
    terms = tmp_path / "terms.txt"
    terms.write_text("专项资金\n", encoding="utf-8")
    base = ["policy", "autocode", "table", "train", str(train), "--label", "label"]
    for extra, words in (([], False), (["--words"], True), (["--user-dict", str(terms)], True)):
        model = tmp_path / f"m{len(extra)}{words}"
        result = runner.invoke(app, [*base, "--out", str(model), *extra])
        assert result.exit_code == 0, result.output
        version = json.loads((model / "manifest.json").read_text())["codebook_version"]
        features = load_coder(model, codebook_version=version).estimator.features
        assert bool(features is not None and features.words) is words
    assert "专项资金" in features.user_dictionary


def test_column_names_below_row_one_are_found_and_named(tmp_path):
    # a coding sheet as people keep one: a title, a note and a blank row above the
    # column names, the label column named in Chinese
    frame = make_corpus(n_docs=2)[["doc", "text", "label"]].rename(columns={"label": "类型"})
    path = tmp_path / "sheet.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame([["某市医联体政策句子编码表"], ["编码员：王"]]).to_excel(
            w, index=False, header=False
        )
        frame.to_excel(w, index=False, startrow=3)  # the column names on row 4
    with pytest.raises(InputError) as err:
        read_segment_table(path, label="类型")
    assert str(err.value) == (
        "sheet.xlsx: no column 'text', '类型' on row 1; the column names are on row 4, "
        "expected on row 1 (delete the rows above them)"
    )
    result = runner.invoke(app, ["policy", "autocode", "table", "train", str(path),
                                 "--label", "类型", "--out", str(tmp_path / "m")])  # fmt: skip
    assert result.exit_code == 2 and "column names are on row 4" in flat(result.output)
    assert not (tmp_path / "m").exists()
    frame.to_excel(path, index=False)  # moved up to row 1, it reads
    assert read_segment_table(path, label="类型").n_labelled == sum(
        v is not None and v == v for v in frame["类型"]
    )


def test_fewer_documents_than_folds_names_the_option(tmp_path):
    table = write_jsonl(make_corpus(n_docs=4)[["doc", "text", "label"]], tmp_path / "four.jsonl")
    base = ["policy", "autocode", "table", "evaluate", str(table), "--label", "label"]
    result = runner.invoke(app, base)  # 5 folds by default, 4 documents
    assert result.exit_code == 2
    assert (
        "parameter 'n_splits' (--folds on the command line): grouped cross-validation needs "
        "at least 5 documents with codes (near-identical copies count once), got 4; lower it"
    ) in flat(result.output)
    assert runner.invoke(app, [*base, "--folds", "4"]).exit_code == 0


def test_a_workbook_with_a_notes_sheet_first_reads_the_sheet_with_the_columns(tmp_path):
    # Walk 17: a 说明 sheet before the coded sentences was read as the table, refused as
    # "no column 'text', 'label'; the columns are 说明" without a word about the second
    frame = make_corpus(n_docs=2)[["doc", "text", "label"]]
    path = tmp_path / "two.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"说明": ["本表为编码结果"]}).to_excel(w, sheet_name="说明", index=False)
        frame.to_excel(w, sheet_name="编码", index=False)
    table = read_segment_table(path, label="label")
    assert len(table.segments) == len(frame)
    with pd.ExcelWriter(path) as w:  # two coders' sheets: which one cannot be told
        frame.to_excel(w, sheet_name="alice", index=False)
        frame.to_excel(w, sheet_name="bob", index=False)
    with pytest.raises(InputError, match=r"2 sheets hold data \('alice', 'bob'\)"):
        read_segment_table(path, label="label")


def test_a_misspelt_column_is_pointed_at(tmp_path):
    # Walk 17: a sheet whose 类型 column was typed 类形 was told "no column '类型'; the
    # columns are ..." — the near name left for the user to spot
    frame = make_corpus(n_docs=2)[["doc", "text", "label"]].rename(columns={"label": "类形"})
    path = tmp_path / "typo.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"no column '类型' — did you mean '类形'\?"):
        read_segment_table(path, label="类型")
