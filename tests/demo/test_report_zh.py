"""``ihms demo --lang zh``: the report's own words (title, footer, reference list, the
CSV links) in Chinese; each step's sections are tested beside the step's English ones."""

from __future__ import annotations

import html
import re

import pytest
from tests.demo.zh_check import english_left, latin_words_left
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
        from ihms.sources import GAO_2022, VIHQMR_STUDY, VIHQMR_STUDY_ZH, ZHONG_2023

        def step(ctx):
            section = Section("fake", ctx.pick("Fake", "示例"), mirrors=f"{ZHONG_2023}，表3")
            section.text(ctx.pick(f"As {VIHQMR_STUDY} found.", f"如{VIHQMR_STUDY_ZH}所见。"))
            section.text(ctx.pick(f"As {GAO_2022} found.", f"如 {GAO_2022} 所见。"))
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
    # the footer: the provenance in Chinese too (提交 …, not "commit …")
    footer = _shown(page.split("<footer>")[1].split("</footer>")[0])
    assert footer.startswith("由 ihms 生成于 ") and "UTC。ihms " in footer
    assert latin_words_left(footer) == [] and ("提交 " in footer or "非 git 仓库" in footer)


def test_the_reference_list_is_chinese_but_for_the_publications_own_words(tmp_path):
    from ihms.sources import SOURCE_STUDIES

    page = run_demo(tmp_path / "r", steps=[_OneSection()], lang="zh").read_text("utf-8")
    refs = html.unescape(_shown(page.split('<section id="references">')[1].split("</section>")[0]))
    # the studies the Chinese text cites, the VI-HQMR study by its Chinese name
    for i in ("001", "002", "003"):
        assert f"［ihms 源研究 {i}］" in refs
    assert "［ihms 所据副本未载作者姓名］。［以共生理论对 609 份中国政策" in refs
    assert "（该副本未载题名、年份和期刊；方括号内的描述为 ihms 所加。）" in refs
    assert "（ihms 所据副本未载期刊名；© Huazhong University" in refs
    for s in SOURCE_STUDIES.values():  # the publication's words, as printed
        for words in (s.authors, s.title, s.journal, s.issue):  # a DOI: an address
            refs = refs.replace(words, " ") if words else refs
    refs = refs.replace("Huazhong University of Science and Technology", " ")
    assert latin_words_left(refs) == []


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
