"""``ihms policy tables --lang zh``: the whole table in Chinese — title, headers, total
rows, notes — in the console, the workbook, the CSVs and the Word file, as
``policy agreement --lang zh`` builds its table (the words shared in
:mod:`ihms.policy._agreement_words`). English stays as it was.

The Chinese words follow seed 000's tables where it has them (its captions
"Distribution of …" and "2D distribution table of … and …", seed lines 178–458: 分布,
二维分布; its "Total (n=620)" rows, line 280: 合计) and the terms Chinese policy
content-analysis papers print (频数, 占比 %, 文本数（n=…）, 政策工具及二级分类, 总计)."""

from __future__ import annotations

import re

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.reconcile import coded_data
from ihms.policy.table_specs import build_tables

runner = CliRunner()
# no English word of the tables' own left in a Chinese title, header or note
_ENGLISH = re.compile(r"Table|Total|Texts|Codings|Policies|Policy|n counts|percentages|"
                      r"not applicable|Participation|Provincial|and before|Distribution|by ")  # fmt: skip


def _tables(project, out, *args):
    result = runner.invoke(
        app, ["policy", "tables", str(project.path), "--out", str(out), *map(str, args)]
    )
    assert result.exit_code == 0, result.output
    return result


def _sheet_rows(path, sheet):
    ws = load_workbook(path)[sheet]
    return [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]


def test_the_workbook_is_chinese_under_lang_zh(coded_project, tmp_path):
    _tables(coded_project, tmp_path, "--lang", "zh", "--format", "xlsx")
    # seed 000 line 204: "Table 3. Distribution of policy tools … (n=1929)" and line 206
    # "Policy tool and secondary classification | Policy tools, n (%)"
    rows = _sheet_rows(tmp_path / "tables.xlsx", "表3")
    assert rows[0] == ["表3 政策工具分布（n=401）"]
    assert rows[1] == ["政策工具及二级分类", "政策工具，频数", "政策工具，占比 %"]
    assert rows[2] == ["供给型（n=90）"]
    notes = [r[0] for r in rows[2:] if len(r) == 1 and "(n=" not in r[0]]
    assert "n 为编码数（一条文本可有多个编码）。" in notes
    assert any(n.startswith("占比为数值（n / 基数）") for n in notes)
    # seed 000 line 180: "Policy level | Policies (n=1345), n (%)", its texts said as
    # the example's 212 texts of 31 documents
    first = _sheet_rows(tmp_path / "tables.xlsx", "表1")
    assert first[0] == ["表1 已编码政策文本的政策层级分布（n=212）"]
    n = "政策文本数（n=212，来自 31 份政策文件）"
    assert first[1] == ["政策层级", f"{n}，频数", f"{n}，占比 %"]
    assert "212 条文本为 31 份政策文件的分段" in " ".join(r[0] for r in first if len(r) == 1)
    # seed 000 line 280: a group's "Total (n=620)" row; 总计 below all groups
    sixth = _sheet_rows(tmp_path / "tables.xlsx", "表6")
    assert sixth[0] == ["表6 政策工具与利益相关者二维分布（n=521）"]
    assert sixth[1][:3] == ["政策工具及二级分类", "政府，频数", "政府，占比 %"]
    labels = [r[0] for r in sixth[2:]]
    assert "合计（n=115）" in labels and "总计（n=521）" in labels  # 115 + 141 + 265
    said = [r[0] for r in sixth if len(r) == 1]
    assert "n 为同一文本内共现的配对数；按行计算占比。" in said
    assert "—：不适用（该格无同一文本内共现的配对，计数为 0）。" in said
    seventh = _sheet_rows(tmp_path / "tables.xlsx", "表7")
    assert "省市级，频数" in seventh[1]  # the merged provincial and municipal column
    eleventh = _sheet_rows(tmp_path / "tables.xlsx", "表11")
    assert "2015年及以前，频数" in eleventh[1]
    twelfth = _sheet_rows(tmp_path / "tables.xlsx", "表12")
    assert twelfth[1][-2:] == ["合计，频数", "合计，占比 %"]
    wb = load_workbook(tmp_path / "tables.xlsx")
    assert [n for n in wb.sheetnames if _ENGLISH.search(n)] == []  # English: table1 ...
    words = [c for ws in wb for r in ws.iter_rows(values_only=True) for c in r
             if isinstance(c, str) and not c.startswith(("coder_", "http"))]  # fmt: skip
    assert not [w for w in words if _ENGLISH.search(w)]


def test_the_csv_header_is_chinese_and_english_unchanged(coded_project, tmp_path):
    _tables(coded_project, tmp_path / "zh", "--lang", "zh", "--format", "csv")
    zh = pd.read_csv(tmp_path / "zh" / "table1.csv", encoding="utf-8-sig")
    assert list(zh.columns) == [
        "政策层级",
        "政策文本数（n=212，来自 31 份政策文件），频数（占比 %）",
    ]
    tools = pd.read_csv(tmp_path / "zh" / "table3.csv", encoding="utf-8-sig")
    assert list(tools.columns) == ["政策工具及二级分类", "政策工具，频数（占比 %）"]
    _tables(coded_project, tmp_path / "en", "--format", "csv")
    en = pd.read_csv(tmp_path / "en" / "table1.csv", encoding="utf-8-sig")
    assert list(en.columns) == ["Policy level", "Policy texts (n=212 from 31 documents), n (%)"]
    # the same cells in both
    assert list(zh.iloc[:, 1]) == list(en.iloc[:, 1])
    sixth = pd.read_csv(tmp_path / "en" / "table6.csv", encoding="utf-8-sig")
    assert "Grand total (n=521)" in set(sixth.iloc[:, 0])


def test_the_word_file_and_console_are_chinese(coded_project, tmp_path):
    import docx

    result = _tables(coded_project, tmp_path, "--lang", "zh", "--format", "docx,html")
    assert "<title>内容分析表</title>" in (tmp_path / "tables.html").read_text("utf-8")
    assert "表3 政策工具分布（n=401）" in result.output
    assert "Table 3" not in result.output and "n counts" not in result.output
    doc = docx.Document(str(tmp_path / "tables.docx"))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "表6 政策工具与利益相关者二维分布（n=521）" in paragraphs
    assert "n 为文本数；按列计算占比。" in paragraphs
    assert not [p for p in paragraphs if _ENGLISH.search(p)]
    assert [c.text for c in doc.tables[0].rows[0].cells] == [
        "政策层级", "政策文本数（n=212，来自 31 份政策文件），频数（占比 %）"]  # fmt: skip
    headers = [c.text for t in doc.tables for c in t.rows[0].cells]
    assert not [h for h in headers if _ENGLISH.search(h)]


def test_default_tables_of_another_codebook_under_zh(coded_project):
    """A table without a spec's title: its caption and count header from the data."""
    from ihms.policy.tables import crosstab_table, frequency_table

    data = coded_data(coded_project)
    tools = frequency_table(data, "tools", lang="zh")
    assert tools.title == "政策工具分布（n=401）"
    assert tools.header == ("政策工具及二级分类", "编码数（n=401），频数（占比 %）")
    cross = crosstab_table(data, "orientation", "level", percent="column", lang="zh")
    assert cross.title == "政策导向与政策层级二维分布（n=212）"
    docs = frequency_table(data, "level", count="documents", lang="zh", top=1)
    assert docs.header[1].startswith("政策文件数（n=")
    assert docs.notes[0] == "n 为政策文件数。"
    assert re.fullmatch(r"仅列前 1 行（共 \d 行）；占比以全部 n = \d+ 为分母。", docs.notes[-1])
    # English as before
    assert frequency_table(data, "tools").title == "Distribution of policy tools (n=401)"
    assert build_tables(data)[0].title == "Table 1. Policy level of the coded texts (n=212)"
    printed = build_tables(data, lang="zh", as_printed=True)
    assert printed[10].title == "表11 政策工具与发布时间二维分布（n=401）"
    assert printed[0].header[1] == "政策文本数（n=212，来自 31 份政策文件），频数（占比 %）"


def test_the_coverage_table_is_chinese_under_lang_zh(coded_project, tmp_path):
    """The entries coded per dimension (seed 003's first counts), which ``policy tables``
    opens with for a codebook with open dimensions."""
    from ihms.policy.coverage import coverage_table

    data = coded_data(coded_project)
    en = coverage_table(data)
    n = int(en.header[1].split("n=")[1].split(")")[0])
    zh = coverage_table(data, lang="zh")
    assert zh.title == "各维度的编码条目数"
    assert zh.header == ("维度", f"有答案的条目数（n={n}），频数（占比 %）", "编码数", "不同答案数")
    assert zh.notes[0] == f"n = {n} 个已编码条目（至少在一个编码维度中有答案）。"
    assert not [t for t in (*zh.header, *zh.notes) if _ENGLISH.search(t) or "entries" in t]
    assert [r[2] for r in zh.rows] == [r[2] for r in en.rows]
    assert en.title == "Entries coded per dimension" and en.header[0] == "Dimension"
    from ihms.policy.tables_export import export_tables  # the n (%) column split, in Chinese

    export_tables([zh], tmp_path, formats=["xlsx"])
    rows = _sheet_rows(tmp_path / "tables.xlsx", "各维度的编码条目数")
    assert rows[1][:3] == [
        "维度",
        f"有答案的条目数（n={n}），频数",
        f"有答案的条目数（n={n}），占比 %",
    ]


def test_chinese_tables_print_a_dash_and_keep_tool_instructions_out(coded_project, tmp_path):
    # Review A #10: the notes of Chinese Tables 1, 2, 5, 8, 10, 12 in tables.docx read
    # "…（表格设定中写 `count: documents` 则每份文件只计一次）", an instruction to the
    # tool's user, not a note for the paper; and empty cells kept "N/A" (Chinese journals
    # print "—"; the English tables keep seed 000's N/A).
    result = _tables(coded_project, tmp_path, "--lang", "zh", "--format", "xlsx,csv")
    notes = [r[0] for ws in ("表1", "表6") for r in _sheet_rows(tmp_path / "tables.xlsx", ws)]
    assert not [n for n in notes if isinstance(n, str) and "count: documents" in n]
    assert "—：不适用（该格无同一文本内共现的配对，计数为 0）。" in notes
    # the printed cells (the CSV's; the workbook holds the counts as numbers)
    cells = pd.read_csv(tmp_path / "table6.csv", encoding="utf-8-sig").iloc[:, 1:]
    assert not cells.isin(["N/A"]).any().any() and cells.isin(["—"]).any().any()
    # the instruction stays on the console, where the tool's user reads it
    assert "将 'count' 设为 'documents'" in " ".join(result.output.split())
    en = _tables(coded_project, tmp_path / "en", "--format", "xlsx")
    english = [r[0] for r in _sheet_rows(tmp_path / "en" / "tables.xlsx", "table1")]
    assert not [n for n in english if isinstance(n, str) and "count: documents" in n]
    assert any("31 documents" in n for n in english if isinstance(n, str))
    assert "count: documents" in " ".join(en.output.split())
