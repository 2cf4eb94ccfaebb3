"""``ihms demo --lang zh``: the report's own words (title, footer, reference list, the
CSV links) in Chinese; each step's sections are tested beside the step's English ones."""

from __future__ import annotations

import re

import pytest
from tests.demo.zh_check import english_left
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.demo import run_demo
from ihms.demo._run import STEPS
from ihms.errors import InputError


class _OneSection:
    """A step made in the test: one section citing a study, with a table."""

    first = False
    key, label = "fake", "A fake step"

    def load(self):
        import pandas as pd

        from ihms.report import Section
        from ihms.sources import ZHONG_2023

        def step(ctx):
            section = Section("fake", ctx.pick("Fake", "示例"), mirrors=f"{ZHONG_2023}，表3")
            section.text(ctx.pick("As found.", "如研究所见。"))
            return [section.table("t", pd.DataFrame({"数": [1]}), title="表")]

        return step


def _shown(html: str) -> str:
    """The page's text, its tags (the spans marking Chinese runs too) taken out."""
    return re.sub(r"<[^>]+>", "", html)


def test_the_report_frame_is_chinese(tmp_path):
    page = run_demo(tmp_path / "r", steps=[_OneSection()], lang="zh").read_text("utf-8")
    assert '<html lang="zh-CN">' in page
    html = _shown(page)
    assert "ihms 演示" in html and "尤溪" in html
    assert "<h2>参考文献</h2>" in page.replace('<span lang="zh">', "").replace("</span>", "")
    assert "［ihms 源研究 002］" in html
    assert "本表的 CSV 文件：" in html and "This table as CSV" not in html
    assert "由 ihms 生成于" in html and "随机种子 20171001。" in html
    assert "Mirrors" not in html and "对应" in html
    body = page.split("<body>")[1].split('<section id="references">')[0]
    assert english_left(_shown(body.replace("<", " <"))) == []


def test_every_step_has_a_chinese_label():
    assert all(step.label_zh and step.shown("zh") == step.label_zh for step in STEPS)
    assert [step.shown("en") for step in STEPS] == [step.label for step in STEPS]


def test_another_language_is_refused_before_any_step(tmp_path):
    with pytest.raises(InputError, match="parameter 'lang': expected 'en' or 'zh', got 'fr'"):
        run_demo(tmp_path / "r", steps=[_OneSection()], lang="fr")
    assert not (tmp_path / "r").exists()


def test_the_cli_refuses_another_language(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "r"), "--lang", "fr"])
    assert result.exit_code != 0
    assert "expected 'en' or 'zh'" in result.output
    assert not (tmp_path / "r").exists()
