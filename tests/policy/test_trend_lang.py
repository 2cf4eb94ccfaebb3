"""``ihms policy trend --lang zh``: the counts-by-year table in Chinese — title, the year
and total columns, notes and stage names — on the console and in ``--table``, as
``policy tables --lang zh`` builds its tables (the words in
:mod:`ihms.policy._agreement_words`). Seed 000 names its periods the disease-centered
period, the e-health technology development period and the health-centered period
(Abstract, line 39 of the seed): 以疾病为中心时期, 电子健康技术发展时期, 以健康为中心时期."""

from __future__ import annotations

import re

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.trend import time_evolution

from .test_trend import TABLE12, _coded

runner = CliRunner()
_ENGLISH = re.compile(r"Stage|Years|Peak|rule|overlap|Total|year|texts|Seed|centred|health")
_ZH = ["分级诊疗", "健康社区", "健康中国", "医联体", "智慧医疗"]


def _table12():
    rows, k = [], 0
    for year, counts in TABLE12.iterrows():
        for cat, n in counts.items():
            for _ in range(n):
                rows += [(f"s{k}", "orientation", cat), (f"s{k}", "year", str(year))]
                k += 1
    return _coded(rows)


def test_the_time_evolution_table_is_chinese_under_lang_zh():
    evo = time_evolution(_table12(), "orientation", lang="zh")
    table = evo.summary()
    assert table.title == "政策导向的时间演变"
    assert set(table.frame.columns[:-1]) == set(_ZH) and table.frame.columns[-1] == "合计"
    assert table.frame.index.name == "年份"
    assert table.frame.loc[2017, "合计"] == 531  # seed 000 Table 12: 2017 (n=531)
    notes = table.notes
    # the peaks and stages of test_trend.py (seed 000's Table 12, ihms's rule)
    assert notes[0] == (
        "各类目占当年比重的峰值年份：分级诊疗 2016；医联体 2017；智慧医疗 2018；健康中国 2019；健康社区 2020"
    )
    assert notes[1] == "有政策导向编码的文本少于 10 条的年份不纳入峰值与阶段：2014（9）"
    assert notes[2].startswith("阶段“以疾病为中心时期”：2015–2017（阶段内合并占比 ")
    assert notes[3].startswith("阶段“电子健康技术发展时期”：2018–2020")
    assert notes[-1].startswith(
        "阶段重叠：电子健康技术发展时期与以健康为中心时期在 2019–2020 年重叠（两组在这些年份均高于"
    )
    assert any(n.startswith("阶段按 ihms 的规则划分") for n in notes)
    assert not [n for n in notes if _ENGLISH.search(n)]
    axes = evo.figure().axes[0]
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("年份", "文本数")
    assert "以健康为中心时期" in [t.get_text() for t in axes.texts]
    english = time_evolution(_table12(), "orientation").summary()
    assert english.title == "Time evolution of orientation"
    assert list(english.frame.columns)[-1] == "Total"
    assert english.notes[2].startswith("Stage disease-centred: 2015–2017")


def test_policy_trend_table_file_follows_lang_zh(coded_project, tmp_path):
    base = ["policy", "trend", str(coded_project.path), "orientation"]
    result = runner.invoke(app, [*base, "--lang", "zh", "--table", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0, result.output
    assert "政策导向的时间演变" in result.output
    header = next(load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert header[0] == "年份" and header[-1] == "合计" and set(_ZH) <= set(header)
    result = runner.invoke(app, [*base, "--lang", "zh", "--table", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    assert (frame.columns[0], frame.columns[-1]) == ("年份", "合计")
    result = runner.invoke(app, [*base, "--table", str(tmp_path / "en.csv")])
    english = pd.read_csv(tmp_path / "en.csv", encoding="utf-8-sig")
    assert (english.columns[0], english.columns[-1]) == ("year", "Total")
