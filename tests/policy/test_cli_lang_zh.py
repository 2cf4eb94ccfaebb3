"""Every ``ihms policy`` command that takes ``--lang zh`` says in Chinese what it did, not
only its table: the status lines ("Written: …" → 已写入), its notes on answers left
out, and a split table's "(continued)" (→ 续表, as Chinese statistics packages and
journals mark a table carried on). The words are :mod:`ihms._words`'; English stays
as it was.

The Chinese is the wording of Chinese statistics software and content-analysis papers:
已写入 (SPSS Chinese's and Stata's Chinese edition's "written"), 续表 (the continued
table of GB/T 7713 reports), 编码员 / 裁决 / 片段 as ``_agreement_words`` names them."""

from __future__ import annotations

import re
import sqlite3

import pytest
from tests.policy.conftest import EXAMPLES
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
# the English of the status lines and notes around the tables, none of it left in Chinese
_ENGLISH = re.compile(
    r"Written|written|continued|warning|note:|left out|unresolved|single coder|removed|"
    r"answers|segments|variables|Chart|Counts|decisions|Disagreements|headers|"
    # the tables of words, network and cluster
    r"\bterm\b|\bcount\b|\btexts\b|units|links|entries|[Tt]hemes|silhouette|direction|"
    r"weight|label|members|Strongest|tier|source|target|"
    # reconcile's
    r"Reconciliation|reconciliation|agreed|disagreements|coded by|recorded|coders:|"
    r"fill in|holds only|"
    # qdpx export's
    r"sources|users|selections|codings|exchange file|export\b|holds the|not exported"
)


@pytest.fixture
def narrow(monkeypatch):
    """The console sized by ``COLUMNS`` at each call (a wide table splits into blocks)."""
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)
    return {"COLUMNS": "60"}


def _run(*args, env=None):
    result = runner.invoke(app, ["policy", *map(str, args)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _english(output: str) -> list[str]:
    """The lines with English words, paths (a test's folder is named in English) and what
    a user types (the sheet's 'decision' column, --decisions, a table spec's
    `count: documents`) left aside."""
    typed = re.compile(r"/\S+|'\w+'|--[\w-]+|\w+=\w+|`[^`]+`")
    return [line for line in output.splitlines() if _ENGLISH.search(typed.sub("", line))]


def test_every_status_line_has_english_and_chinese_words():
    from ihms._words import STATUS

    assert STATUS["en"].keys() == STATUS["zh"].keys()
    for key, zh in STATUS["zh"].items():  # the same blanks to fill, in Chinese words
        assert set(re.findall(r"{(\w+)", zh)) == set(re.findall(r"{(\w+)", STATUS["en"][key]))
        # English left only in the blanks, in a column or option to type ('decision'), in
        # the standard's name, REFI-QDA, and in the names of statistics, their authors and
        # software, as Chinese papers print them (Cohen's κ, Gwet's AC1, PABAK, Stata, PRISMA),
        # Stata's commands and the values of --cov a user types (its lags --cov glm)
        names = (
            r"REFI-QDA|Cohen's|Fleiss'|Gwet's|PABAK|Feinstein & Cicchetti|Cochran–Armitage|"
            r"Pearson|Stata|ptrend|PRISMA|estat bgodfrey|actest|regress|\b(?:glm|newey|ols|OLS)\b"
        )
        kept = re.sub(rf"{{\w+[^}}]*}}|'\w+'|--[\w-]+|{names}", "", zh)
        assert not re.search(r"[A-Za-z]{3,}", kept), key


def test_tables_say_written_and_continued_in_chinese(coded_project, tmp_path, narrow):
    out = _run("tables", coded_project.path, "--out", tmp_path, "--format", "csv",
               "--lang", "zh", env=narrow)  # fmt: skip
    assert not _english(out)
    assert "已写入：" in out and "（续表）" in out
    # review zh32 L11: full-width brackets in a Chinese title, header and row label
    assert re.search(r"表12 政策导向与发布时间二维分布（n=\d+）（续表）", out)
    # English as it was
    out = _run("tables", coded_project.path, "--out", tmp_path, "--format", "csv", env=narrow)
    assert "Written: " in out and "(continued)" in out and "续表" not in out


def test_tables_notes_on_answers_left_out_are_chinese(coded_project, tmp_path):
    # no decisions: the answers the coders differ on are unresolved; coder_b's answers
    # of five segments gone: coder_a's stand alone; no stakeholder coded: Tables 4 and 6
    # cannot be built
    with sqlite3.connect(coded_project.path) as db:
        db.execute("DELETE FROM decisions")
        db.execute("DELETE FROM codings WHERE dimension = 'stakeholders'")
        db.execute(
            "DELETE FROM codings WHERE coder_id = 'coder_b' AND segment_id IN "
            "(SELECT DISTINCT segment_id FROM codings ORDER BY segment_id LIMIT 5)"
        )
    out = _run("tables", coded_project.path, "--out", tmp_path, "--format", "csv", "--lang", "zh")
    assert not _english(out)
    said = " ".join(out.split())
    assert re.search(r"\d+ 个答案未决（编码员意见不一且未裁决），未计入。", said)
    assert re.search(
        r"\d+ 个答案仅一名编码员编码（其他编码员未编码这些片段），按其编码计入。", said
    )
    assert "table4（表4 利益相关者分布）未生成：维度 'stakeholders' 在 'final' 中没有编码" in said
    english = " ".join(_run("tables", coded_project.path, "--out", tmp_path,
                            "--format", "csv").split())  # fmt: skip
    assert "answers are unresolved (coders differ, no decision) and left out." in english
    assert "table4 (Table 4. Stakeholders) left out: dimension 'stakeholders' has no" in english


def test_trend_says_where_it_wrote_in_chinese(coded_project, tmp_path, narrow):
    chart, table = tmp_path / "trend.png", tmp_path / "trend.xlsx"
    out = _run("trend", coded_project.path, "tools", "--out", chart, "--table", table,
               "--lang", "zh", env=narrow)  # fmt: skip
    assert not _english(out)
    said = " ".join(out.split())
    assert f"图已写入 {chart}" in said and f"逐年计数已写入 {table}" in said
    assert "政策工具的时间演变（续表）" in said
    out = _run("trend", coded_project.path, "tools", "--out", chart, env=narrow)
    assert "Chart written to" in out and "Time evolution of tools (continued)" in out


def test_agreement_is_chinese_throughout(coded_project, tmp_path, narrow):
    out = _run("agreement", coded_project.path, "--lang", "zh", "--out", tmp_path / "a.xlsx",
               env=narrow)  # fmt: skip
    assert not _english(out)
    assert "各维度及类目的编码员间一致性" in out


def test_dataset_says_what_it_wrote_in_chinese(coded_project, tmp_path):
    with sqlite3.connect(coded_project.path) as db:
        db.execute("DELETE FROM decisions")
    path = tmp_path / "coded.csv"
    out = " ".join(_run("dataset", coded_project.path, path, "--lang", "zh").split())
    assert not _english(out)
    assert re.search(
        rf"数据集已写入 {re.escape(str(path))}：\d+ 个片段，\d+ 个变量（其中 \d+ 个为多选类目"
        r"和开放答案的 0/1 变量）。",
        out,
    )
    assert re.search(r"\d+ 个答案未决（编码员意见不一且未裁决），记为缺失。", out)
    assert "Data set written to" in _run("dataset", coded_project.path, path)


def test_words_say_written_and_removed_in_chinese(coded_project, tmp_path):
    folder = tmp_path / "words"
    _run("words", coded_project.path, "--out", folder, "--dimension", "tools", "--top", 3)
    out = _run("words", coded_project.path, "--out", folder, "--top", 3, "--lang", "zh")
    assert not _english(out)
    said = " ".join(out.split())
    assert f"已写入 {folder}" in said
    assert "top_terms.csv（上次运行所写）已删除：本次运行不生成此文件。" in said
    # each category's top terms after a full-width colon, as the terms are listed with 、
    out = _run("words", coded_project.path, "--dimension", "tools", "--top", 3, "--lang", "zh")
    tops = [line for line in out.splitlines() if "、" in line]
    assert tops and all(re.fullmatch(r"[^:\s]+：\S+(、\S+)*", line) for line in tops), tops


def test_codes_export_says_written_in_chinese(coded_project, tmp_path):
    out = _run("codes", "export", coded_project.path, tmp_path / "c.xlsx", "--lang", "zh")
    assert not _english(out)
    assert "编码已写入" in out


def test_reconcile_is_chinese_throughout(coded_project, tmp_path):
    # the lead's decisions taken back: the disagreements are to decide again
    with sqlite3.connect(coded_project.path) as db:
        db.execute("DELETE FROM decisions WHERE method = 'decision'")
    sheet, run = tmp_path / "to_decide.xlsx", ("reconcile", coded_project.path)
    out = _run(*run, "--coders", "coder_a,coder_b", "--out", sheet, "--lang", "zh")
    assert not _english(out)
    said = " ".join(out.split())
    assert (
        "背对背编码的核对" in said and "待裁决的分歧" in said and "编码员：coder_a、coder_b" in said
    )
    assert f"分歧已写入 {sheet}：在 'decision' 列填写裁决后加 --decisions 再次运行。" in said
    assert re.search(r"仍有 \d+ 个片段 × 维度的答案未决。", said)
    decided = EXAMPLES / "codings" / "decisions.xlsx"
    out = _run(*run, "--coders", "coder_a,coder_b", "--decisions", decided, "--by", "lead",
               "--out", sheet, "--lang", "zh")  # fmt: skip
    assert not _english(out)
    said = " ".join(out.split())
    assert re.search(r"已记录 \d+ 项裁决（裁决人：lead）。", said)
    assert f"无待裁决的分歧；{sheet} 仅含表头。" in said
    assert "仍有 0 个片段 × 维度的答案未决。" in said
    english = " ".join(_run(*run, "--coders", "coder_a,coder_b").split())
    assert "Reconciliation of blind codings" in english
    assert "0 segment × dimension answers still unresolved." in english


def test_qdpx_export_report_is_chinese(coded_project, tmp_path):
    out = _run("qdpx", "export", coded_project.path, tmp_path / "s.qdpx", "--lang", "zh")
    assert not _english(out)
    said = " ".join(out.split())
    assert "REFI-QDA 项目交换文件" in said and "文本来源" in said and "选段" in said
    assert f"已写入 {tmp_path / 's.qdpx'}" in said
    assert "用户：coder_a、coder_b、reconciled" in said
    # the reconciled coding as a user of its own (ARCHITECTURE, exchange with QDA programs)
    assert "用户 'reconciled' 为核对后的编码（一致与裁决的答案）" in said
    english = " ".join(_run("qdpx", "export", coded_project.path, tmp_path / "e.qdpx").split())
    assert "REFI-QDA project exchange file" in english and "users: coder_a, coder_b" in english


@pytest.fixture(scope="module")
def study(tmp_path_factory, example_corpus):
    """Seed 003's symbiosis study: clause entries coded by two coders."""
    from tests.policy.test_symbiosis_study import build_study

    return build_study(tmp_path_factory.mktemp("zh") / "study.sqlite", example_corpus.documents)


def test_words_table_headers_are_chinese(study):
    out = _run("words", study, "--answers", "symbiotic_model", "--top", 5, "--lang", "zh")
    assert not _english(out)
    # review A #9: the third column counts the documents the answers are in, not texts
    assert out.split()[:3] == ["词语", "频数", "文件数"]
    assert _run("words", study, "--answers", "symbiotic_model").split()[:3] == [
        "term", "count", "documents",
    ]  # fmt: skip


def test_words_csv_headers_follow_lang_and_say_what_they_count(study, tmp_path):
    # review A #9 and #15: frequencies.csv read `term,count,texts` under --lang zh, and in
    # text mode its third column counts segments (the texts the words are counted in)
    _run("words", study, "--answers", "symbiotic_model", "--lang", "zh", "--out", tmp_path)
    head = (tmp_path / "frequencies.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head == "词语,频数,文件数"
    _run("words", study, "--out", tmp_path / "text", "--lang", "zh")
    head = (tmp_path / "text" / "frequencies.csv").read_text(encoding="utf-8-sig").splitlines()
    assert head[0] == "词语,频数,文本段数"
    _run("words", study, "--out", tmp_path / "en")
    head = (tmp_path / "en" / "frequencies.csv").read_text(encoding="utf-8-sig").splitlines()
    assert head[0] == "term,count,segments"


def test_network_is_chinese_throughout(study, tmp_path):
    out = _run("network", study, "--lang", "zh", "--out", tmp_path)
    assert not _english(out)
    said = " ".join(out.split())
    # seed 003, Figure 4: links directed from the higher tier to the lower
    assert "合作网络中最强的连接" in said and "→（由高层级指向低层级）" in said
    # the final units (test_dataset's hand count): 00-06-2-1 and 33-02-2-2 {三级医院,
    # 社区卫生服务机构}, 00-06-2-2 {县级医院, 乡镇卫生院, 村卫生室}, 00-06-3-2 {三级医院,
    # 基层医疗卫生机构}: 6 units, 1 + 3 + 1 = 5 links, 4 entries (seed 003 §3.2.1 keeps
    # community facilities and township hospitals apart from PHC institutions)
    assert re.search(r"共 6 个单元、5 条连接、4 个条目。", said)
    assert "出现最多的单元：三级医院（3）、社区卫生服务机构（2）" in said
    assert f"已写入 {tmp_path}" in said
    english = " ".join(_run("network", study).split())
    assert "Strongest links of the cooperation network" in english
    assert "6 units, 5 links, 4 entries." in english


def test_cluster_is_chinese_throughout(study):
    out = _run("cluster", study, "symbiotic_model", "--lang", "zh")
    assert not _english(out)
    said = " ".join(out.split())
    assert "共生模式答案的主题" in said
    assert re.search(r"\d+ 个主题，轮廓系数 \d\.\d{3}", said)
    english = " ".join(_run("cluster", study, "symbiotic_model").split())
    assert "Themes of the answers: Symbiotic model" in english
    assert re.search(r"\d+ themes, silhouette \d\.\d{3}", english)
