"""A segment table's own keys and labels: the ``id`` column a researcher keys their
spreadsheet by, and label cells spelt in several ways (``read_segment_table``,
``ihms policy autocode table``)."""

from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.policy.autocode.table import read_segment_table

from .conftest import make_corpus

runner = CliRunner()
TABLE = ["policy", "autocode", "table"]


def flat(text: str) -> str:
    return " ".join(text.split())


def _sheet(tmp_path, name="sheet.xlsx", **columns) -> tuple[pd.DataFrame, object]:
    """The test corpus as a coder's workbook: Chinese headers, whole-number ids."""
    frame = make_corpus(n_docs=6)[["doc", "text", "label"]]
    frame = frame.rename(columns={"doc": "文件", "text": "句子", "label": "类型"})
    frame.insert(0, "编号", range(1001, 1001 + len(frame)))
    for column, values in columns.items():
        frame[column] = values
    path = tmp_path / name
    frame.to_excel(path, index=False)
    return frame, path


ZH = ["--text", "句子", "--doc", "文件", "--label", "类型"]


def test_repeated_and_missing_ids_are_refused_with_every_row_named(tmp_path):
    frame = make_corpus(n_docs=2)[["id", "doc", "text", "label"]]
    frame.loc[[4, 9], "id"] = frame.loc[1, "id"]  # a row pasted in three times
    frame.loc[7, "id"] = frame.loc[6, "id"]
    frame.loc[12, "id"] = " "
    path = tmp_path / "keys.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    with pytest.raises(DataError) as err:
        read_segment_table(path, label="label")
    # spreadsheet rows: the header is row 1, so frame row i is row i + 2
    assert err.value.problems == [
        "keys.csv column 'id': 'doc01-1' on rows 3, 6 and 11",
        "keys.csv column 'id': 'doc01-6' on rows 8 and 9",
        "keys.csv row 14, column 'id': empty id",
    ]
    assert str(err.value).startswith(
        "keys.csv: column 'id' must name each row once (the key back to your table): "
        "2 id(s) repeated, 1 row(s) without one; nothing was read"
    )
    result = runner.invoke(
        app, [*TABLE, "train", str(path), "--label", "label", "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 2
    assert "'doc01-1' on rows 3, 6 and 11" in flat(result.output)
    assert "read it as the document column: doc='id', --doc id" in flat(result.output)
    assert not (tmp_path / "m").exists()
    # an export whose 'id' names each sentence's document: read as the document column
    frame["id"] = frame["doc"]
    frame.drop(columns="doc").to_csv(path, index=False, encoding="gbk")
    table = read_segment_table(path, label="label", doc="id")
    assert table.segments["doc"].tolist() == frame["doc"].tolist()
    assert table.segments["id"].tolist() == [f"r{i}" for i in range(len(frame))]


def test_the_id_column_is_the_segments_ids_and_can_be_named(tmp_path):
    frame, path = _sheet(tmp_path)
    table = read_segment_table(path, text="句子", doc="文件", label="类型", id="编号")
    assert table.segments["id"].tolist() == [str(i) for i in frame["编号"]]
    # without a column of that name, rows are numbered as before
    assert read_segment_table(path, text="句子", doc="文件").segments["id"].iloc[0] == "r0"
    frame.loc[5, "编号"] = 1001
    frame.to_excel(path, index=False)
    with pytest.raises(DataError, match="column '编号' must name each row once") as err:
        read_segment_table(path, text="句子", doc="文件", id="编号")
    assert err.value.problems == ["sheet.xlsx column '编号': '1001' on rows 2 and 7"]
    # a table with Chinese column names read with the default names
    result = runner.invoke(app, [*TABLE, "train", str(path), "--label", "类型",
                                 "--out", str(tmp_path / "m")])  # fmt: skip
    assert result.exit_code == 2
    assert (
        "sheet.xlsx: no column 'text'; the columns are 编号, 文件, 句子, 类型 (name the right one "
        "with parameter 'text', --text on the command line)" in flat(result.output)
    )
    result = runner.invoke(app, [*TABLE, "train", str(path), *ZH, "--id", "编码",
                                 "--out", str(tmp_path / "m")])  # fmt: skip
    assert result.exit_code == 2
    assert "--id: sheet.xlsx has no column '编码'" in flat(result.output)


def test_apply_writes_the_users_ids_back_as_they_were(tmp_path):
    frame, train = _sheet(tmp_path, "train.xlsx")
    model = tmp_path / "model"
    result = runner.invoke(app, [*TABLE, "train", str(train), *ZH, "--id", "编号",
                                 "--out", str(model)])  # fmt: skip
    assert result.exit_code == 0, result.output
    # a workbook's whole-number ids stay numbers a VLOOKUP on the user's sheet finds
    out = tmp_path / "coded.xlsx"
    result = runner.invoke(app, [*TABLE, "apply", str(train), "--model", str(model),
                                 "--text", "句子", "--doc", "文件", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]][:4] == ["编号", "文件", "句子", "类型"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == frame["编号"].tolist()
    # a CSV's ids are text, leading zeros and all, and stay so
    csv = tmp_path / "keys.csv"
    frame.assign(编号=[f"{i:05d}" for i in range(len(frame))]).to_csv(
        csv, index=False, encoding="gbk"
    )
    out = tmp_path / "coded.csv"
    result = runner.invoke(app, [*TABLE, "apply", str(csv), "--model", str(model),
                                 "--text", "句子", "--doc", "文件", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert written["编号"].tolist()[:3] == ["00000", "00001", "00002"]
    # probabilities to 4 decimals, as the project's provenance of a machine code keeps them
    assert written["machine_probability"].str.fullmatch(r"[01]\.\d{1,4}|1").all()
    # the table read is never written over (a CSV would come back UTF-8, blank rows gone)
    before = csv.read_bytes()
    result = runner.invoke(app, [*TABLE, "apply", str(csv), "--model", str(model),
                                 "--text", "句子", "--doc", "文件", "--out",
                                 str(tmp_path / "." / "keys.csv")])  # fmt: skip
    assert result.exit_code == 2
    assert "--out: keys.csv is the table being coded; write the codes to another file" in flat(
        result.output
    )
    assert csv.read_bytes() == before


def _spelt(labels: list, tmp_path, name="spelt.jsonl"):
    """The six-document corpus with its label cells replaced by ``labels`` in turn
    (headings stay uncoded), as JSON lines."""
    frame = make_corpus(n_docs=6)[["doc", "text", "label"]]
    coded = frame["label"].notna()
    cells = [labels[i % len(labels)] for i in range(int(coded.sum()))]
    frame["label"] = frame["label"].astype(object)
    frame.loc[coded, "label"] = cells
    path = tmp_path / name
    with open(path, "w", encoding="utf-8") as f:
        for row in frame.to_dict(orient="records"):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


# one label typed four ways: as is, a trailing ideographic space, a zero-width space
# pasted from a web page, full-width letters; and a second label
SPELLINGS = ["资金支持A", "资金支持A\u3000", "资金支持A\u200b", "资金支持Ａ", "人才培养"]


def test_labels_are_normalised_on_read_and_the_cells_counted(tmp_path):
    table = read_segment_table(_spelt(SPELLINGS, tmp_path), label="label")
    assert {v for v in table.labels if v} == {"资金支持A", "人才培养"}
    # 72 coded rows (6 documents, 4 sections of 3), SPELLINGS cycled: 2nd-4th of each 5
    coded = 6 * 4 * 3
    assert table.labels_normalised == sum(1 for i in range(coded) if i % 5 in (1, 2, 3)) == 43
    assert table.label_twins == ()
    multi = _spelt(["money；ｏｆｆｉｃｅ", "money; office", " office "], tmp_path, "multi.jsonl")
    table = read_segment_table(multi, label="label", multi=True)
    assert {tuple(v) for v in table.labels if v is not None} == {("money", "office"), ("office",)}
    # ' office ' is a category with spaces around it, as 'a; b' has: not a rewrite
    assert table.labels_normalised == 24  # the full-width one, every third of 72


def test_the_cli_trains_one_category_per_label_and_says_what_it_normalised(tmp_path):
    path = _spelt(SPELLINGS, tmp_path)
    model = tmp_path / "model"
    result = CliRunner().invoke(app, [*TABLE, "train", str(path), "--label", "label",
                                      "--min-per-category", "1", "--out", str(model),
                                      "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.stdout)
    assert sorted(manifest["category_counts"]) == ["人才培养", "资金支持A"]
    assert manifest["labels_normalised"] == 43
    assert (
        "note: 43 label cell(s) of column 'label' normalised: full-width characters read "
        "as half-width (Ａ as A), invisible characters and surrounding spaces removed"
        in flat(result.stderr)
    )
    result = CliRunner().invoke(app, [*TABLE, "evaluate", str(path), "--label", "label",
                                      "--min-per-category", "1", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["labels_normalised"] == 43
    assert len(json.loads(result.stdout)["per_category"]) == 2


def test_labels_alike_but_for_case_or_inner_spaces_are_kept_apart_and_named(tmp_path):
    path = _spelt(["Talent", "talent", "Fund ing", "Funding", "Rules"], tmp_path)
    table = read_segment_table(path, label="label")
    assert table.label_twins == (("Fund ing", "Funding"), ("Talent", "talent"))
    base = [str(path), "--label", "label", "--min-per-category", "1"]
    model = tmp_path / "model"
    result = CliRunner().invoke(app, [*TABLE, "train", *base, "--out", str(model)])
    assert result.exit_code == 0, result.output
    assert "5 labels" in flat(result.stdout)
    assert (
        "note: labels of column 'label' that differ only in case or spaces are kept as "
        "different categories: 'Fund ing' (14) and 'Funding' (14); 'Talent' (15) and "
        "'talent' (15)" in flat(result.stderr)
    )
    for command in (["evaluate", *base, "--folds", "3"],
                    ["apply", str(path), "--model", str(model), "--label", "label",
                     "--out", str(tmp_path / "coded.csv")]):  # fmt: skip
        result = CliRunner().invoke(app, [*TABLE, *command, "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["label_twins"] == [
            ["Fund ing", "Funding"],
            ["Talent", "talent"],
        ]


def test_table_evaluate_prints_three_decimals_as_the_project_evaluation_does(tmp_path):
    # noisy labels, so that no figure is a round 1 or 0
    path = _spelt(
        ["资金支持", "人才培养", "监督管理", "资金支持", "申请程序", "人才培养"], tmp_path
    )
    result = runner.invoke(
        app, [*TABLE, "evaluate", str(path), "--label", "label", "--folds", "3"],
        terminal_width=200,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "人才培养" in line]
    cells = rows[0].replace("│", " ").split()[1:4]  # precision, recall, f1
    # the project's `autocode evaluate` table prints kappas and scores with 3 decimals
    assert any("." in c for c in cells), rows[0]
    assert all(len(c.split(".")[1]) == 3 for c in cells if "." in c), rows[0]
    assert re.search(r"kappa = \d\.\d{3}\b", flat(result.stdout))


def _tools(tmp_path) -> tuple[object, object]:
    """Multi-label codes typed with Chinese semicolons (money and/or office, '-' for
    neither) on the training and the unseen documents."""
    frame = make_corpus(n_docs=12)[["doc", "text", "label"]]
    codes = []
    for text, label in zip(frame["text"], frame["label"], strict=True):
        found = [c for c, w in (("money", "资金补助补贴奖励"), ("office", "局")) if label
                 and any(x in text for x in w)]  # fmt: skip
        codes.append(None if not isinstance(label, str) else "；".join(found) or "-")
    frame["tools"] = codes
    seen = frame["doc"].isin([f"doc{i:02d}" for i in range(1, 9)])
    frame[seen].to_excel(tmp_path / "tools.xlsx", index=False)
    frame[~seen].to_excel(tmp_path / "unseen.xlsx", index=False)
    return tmp_path / "tools.xlsx", tmp_path / "unseen.xlsx"


def test_apply_reads_the_label_column_as_the_model_codes(tmp_path):
    train, unseen = _tools(tmp_path)
    model = tmp_path / "tools"
    args = ["--label", "tools", "--out"]
    assert (
        runner.invoke(app, [*TABLE, "train", str(train), "--multi", *args, str(model)]).exit_code
        == 0
    )
    scores = []
    for multi in (["--multi"], []):  # a multi-label model reads 'a；b' as two categories
        result = runner.invoke(app, [*TABLE, "apply", str(unseen), "--model", str(model), *args,
                                     str(tmp_path / "coded.csv"), "--json", *multi])  # fmt: skip
        assert result.exit_code == 0, result.output
        scores.append(json.loads(result.stdout)["score"])
    assert scores[0] == scores[1]
    # --multi with a model that codes one label per segment contradicts it
    single = tmp_path / "types"
    assert runner.invoke(app, [*TABLE, "train", str(train), "--label", "label", "--out",
                               str(single)]).exit_code == 0  # fmt: skip
    result = runner.invoke(app, [*TABLE, "apply", str(unseen), "--model", str(single), *args,
                                 str(tmp_path / "coded.csv"), "--multi"])  # fmt: skip
    assert result.exit_code == 2
    assert "--multi: the model codes one label per segment" in flat(result.output)


def test_apply_names_labels_the_model_never_learned(tmp_path):
    train, unseen = _tools(tmp_path)
    single = tmp_path / "types"  # trained on column 'label', scored against 'tools'
    assert runner.invoke(app, [*TABLE, "train", str(train), "--label", "label", "--out",
                               str(single)]).exit_code == 0  # fmt: skip
    result = CliRunner().invoke(app, [*TABLE, "apply", str(unseen), "--model", str(single),
                                      "--label", "tools", "--out", str(tmp_path / "c.csv"),
                                      "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["score"]["unknown_labels"] == [
        "-", "money", "money;office", "office"
    ]  # fmt: skip
    assert (
        "note: 4 label(s) of column 'tools' are not among the model's categories "
        "(人才培养, 申请程序, 监督管理, 资金支持), so their rows cannot agree: -, money, "
        "money;office, office" in flat(result.stderr)
    )


def test_rows_without_a_document_are_refused_with_every_row_named(tmp_path):
    # Walk 17: rows whose document cell was empty (an Excel column merged down gives its
    # value to the first row only) were pooled into one document '' and cross-validated
    # as such, without a word: 24 rows of 31 documents read as a 32nd
    frame = make_corpus(n_docs=3)[["doc", "text", "label"]]
    frame.loc[[2, 4], "doc"] = None
    path = tmp_path / "merged.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(DataError) as err:
        read_segment_table(path, label="label")
    assert str(err.value).startswith(
        "merged.xlsx: 2 segment(s) without a document in column 'doc'; nothing was read "
        "(a cell merged over several rows gives its value to the first row only: fill "
        "the document in on every row)"
    )
    assert err.value.problems == [
        "merged.xlsx row 4, column 'doc': empty document",
        "merged.xlsx row 6, column 'doc': empty document",
    ]


def test_a_multi_label_cell_listed_with_a_chinese_comma_is_pointed_out(tmp_path):
    # Walk 17: 'governments、residents' in a --multi table became one category of its
    # own, without a word (only a rare one was refused, as a category with too few codes)
    path = _spelt(["money; office", "money、office", "office"], tmp_path, "multi.jsonl")
    table = read_segment_table(path, label="label", multi=True)
    assert ["money、office"] in table.labels
    assert (
        "1 category of column 'label' holds '、', ',' or '，' (24 cells): 'money、office'; "
        "a multi-label cell separates its categories with ';' or '；', so each is read as "
        "one category"
    ) in table.label_notes()


def test_a_rare_label_one_character_from_a_common_one_is_pointed_out(tmp_path):
    # session-19 user review (F10): a typo 人材建设 for 人才建设 became a category of its
    # own under --min-per-category 1, without a word. A label given at most twice, one
    # character (substituted, added or dropped) from one given ten times as often, is
    # named; labels two characters apart (资金支持 / 金融支持) are not.
    labels = ["人才建设"] * 20 + ["资金支持"] * 20 + ["金融支持"] * 20 + ["人材建设"]
    path = _spelt(labels, tmp_path)
    table = read_segment_table(path, label="label")
    counts = {c: table.labels.count(c) for c in set(table.labels) if c}
    assert counts["人材建设"] == 1 and counts["人才建设"] >= 10 * counts["人材建设"]
    (typo,) = [n for n in table.label_notes() if "one character" in n]
    assert (
        f"'人材建设' (1) is one character from '人才建设' ({counts['人才建设']}): a typo? "
        "Kept as a category of its own" in typo
    )
    assert "资金支持" not in typo and "金融支持" not in typo
