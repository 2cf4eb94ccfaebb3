"""``ihms policy agreement --lang zh --out``: the workbook and the CSV in the language
the console table is in — title, column headers, basis and statistic, notes — as
``policy tables --lang zh`` builds its tables in Chinese, in the terms Chinese
content-analysis papers use (编码员, 维度, 类目, Cohen's κ; the 一致率 and PABAK of
:data:`ihms._words.TERMS`, as ``ihms agreement`` and ``policy screen`` say them)."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ihms._words import TERMS
from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.agreement import agreement_table, coder_agreement
from ihms.policy.coding import import_codings

from .conftest import EXAMPLES

runner = CliRunner()
AGREE = TERMS["zh"]["percent agreement"]


def _agreement(project, *args):
    result = runner.invoke(app, ["policy", "agreement", str(project.path), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def test_the_workbook_follows_lang_zh(coded_project, tmp_path):
    out = tmp_path / "agreement.xlsx"
    _agreement(coded_project, "--lang", "zh", "--out", out)
    ws = load_workbook(out)["一致性"]  # the sheet named in Chinese too (session 36)
    rows = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["各维度及类目的编码员间一致性"]
    assert rows[1] == ["维度 / 类目", "比较方式", "分析单元数", f"{AGREE} %", "统计量", "κ 系数",
                       "Krippendorff's α", "AC1", "PABAK"]  # fmt: skip
    body, notes = [r for r in rows[2:] if len(r) > 1], [r[0] for r in rows[2:] if len(r) == 1]
    first = body[0]
    assert first[:2] == ["政策工具", "类目集合整体"] and first[4] == "Cohen's κ"
    assert {r[1] for r in body[1:]} >= {"出现/未出现"}
    assert "编码员：coder_a、coder_b。" in notes
    assert (
        f"AC1：Gwet's AC1；PABAK：{TERMS['zh']['PABAK']}（编码员多于 2 名时为 Brennan–Prediger "
        "系数）；某一答案占绝大多数时二者不随之下降。" in notes
    )
    assert any(n.startswith("各维度平均 κ：") for n in notes)
    # the example sheets' kappa paradox on technical support (kappa 0.52 at 95 %
    # agreement; test_agreement.py checks the kappas against scikit-learn)
    assert any(n.startswith("政策工具：") and "技术支持（κ 0.52" in n for n in notes)
    # every note in Chinese: none left in the English words
    english = ("coder", "segment", "agreement", "kappa", "Mean", "units")
    assert not [n for n in notes if any(w in n.replace("coder_a", "").replace("coder_b", "")
                                        for w in english)]  # fmt: skip


def test_the_csv_headers_follow_lang_zh_and_english_is_unchanged(coded_project, tmp_path):
    boot = ("--bootstrap", 20, "--seed", 1)
    _agreement(coded_project, "--lang", "zh", "--out", tmp_path / "zh.csv", *boot)
    zh = pd.read_csv(tmp_path / "zh.csv", encoding="utf-8-sig")
    assert list(zh.columns) == ["维度 / 类目", "比较方式", "分析单元数", f"{AGREE} %", "统计量",
                                "κ 系数", "Krippendorff's α", "α 下限", "α 上限", "P(α<0.667)",
                                "AC1", "PABAK"]  # fmt: skip
    _agreement(coded_project, "--out", tmp_path / "en.csv", *boot)
    en = pd.read_csv(tmp_path / "en.csv", encoding="utf-8-sig")
    assert list(en.columns) == ["dimension / category", "basis", "units", "agreement %",
                                "statistic", "kappa", "alpha", "alpha low", "alpha high",
                                "P(alpha<0.667)", "AC1", "PABAK"]  # fmt: skip
    # the same numbers in both
    assert (zh.iloc[:, 2:4].to_numpy() == en.iloc[:, 2:4].to_numpy()).all()


def test_notes_on_left_out_segments_in_chinese(coded_project):
    """Three coders, coder_c and coder_d each coding part of the segments (see
    test_agreement.py: 62 segments coder_a's alone, 100 not every coder's)."""
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(coded_project, frame.iloc[:100].copy(), coder="coder_c")
    import_codings(coded_project, frame.iloc[50:150].copy(), coder="coder_d")
    report = coder_agreement(coded_project, coders=["coder_a", "coder_c", "coder_d"])
    table = agreement_table(report, coded_project.codebook(), lang="zh")
    assert "κ 分析单元数" in table.frame.columns
    assert set(table.frame["统计量"]) == {"Fleiss' κ"}
    said = sorted(
        n for n in table.notes if "片段" in n and n.startswith(("政策工具", "利益相关者"))
    )
    assert said == [
        note
        for label in sorted(["政策工具", "利益相关者"])
        for note in (
            f"{label}：62 个仅由一名编码员编码的片段未纳入。",
            # 50 of 150: under half, so the note says how few and who left the gaps
            f"{label}：Fleiss' κ 只基于 50 个每名编码员都编码的片段（共 150 个；coder_c 编码了 "
            "100 个，coder_d 编码了 100 个；类目集合整体及各类目；见 κ 分析单元数），该 κ 及其"
            "平均值说明力有限。请指定编码了相同片段的编码员（--coders），或参阅 Krippendorff's α"
            "——它使用至少两名编码员编码的每个片段（允许缺失编码）。",
        )
    ]


def test_a_language_other_than_en_or_zh_is_refused(coded_project):
    """It gave the English table silently (a codebook names things in en and zh only)."""
    report = coder_agreement(coded_project)
    with pytest.raises(InputError, match="parameter 'lang': expected 'en' or 'zh', got 'fr'"):
        agreement_table(report, coded_project.codebook(), lang="fr")


def test_the_chinese_table_fits_80_columns_as_the_english_one_does(coded_project):
    """At 80 columns the English table stacks the statistic under agreement and the
    basis under the units; the Chinese one did not (review zh32 F1): its header
    分析单元数 was folded a character a line and its statistic kept the English short
    header 'stat', so Cohen's κ wrapped on every row."""
    import io

    from rich.console import Console

    report = coder_agreement(coded_project)
    console = Console(width=80, file=io.StringIO(), color_system=None)
    console.print(agreement_table(report, coded_project.codebook(), lang="zh"))
    lines = console.file.getvalue().splitlines()
    head = "\n".join(lines[:4])
    assert "分析单元数" in head and "统计量" in head and "stat" not in head
    rows = [line for line in lines if "Cohen" in line]
    assert rows and all("Cohen's κ" in line for line in rows)  # never split at its space
    assert max(len(line) for line in lines) <= 80
