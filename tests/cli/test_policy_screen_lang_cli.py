"""``ihms policy screen`` and ``ihms policy screening`` with ``--lang zh``: the reviewers'
agreement per stage and the methods statement in the terms Chinese systematic reviews
print (一致性, Cohen's κ, Gwet's AC1, and the 一致率 and PABAK of
:data:`ihms._words.TERMS`); English
stays the default. The figures are the ones worked by hand in
:mod:`tests.cli.test_policy_screen_cli` (title: κ 0.785, AC1 0.966, PABAK 0.941)."""

import json

from tests.cli.test_policy_cli import run, said
from tests.cli.test_policy_screen_cli import imported, settled_by_carol, study  # noqa: F401

from ihms._words import TERMS


def test_screen_says_agreement_and_method_in_chinese(study):  # noqa: F811
    work, project = study
    text = said(settled_by_carol(work, project, "--lang", "zh"))
    assert "每条记录和每篇报告均由 2 名评审员（alice 和 bob）独立筛选。" in text
    agree, pabak = TERMS["zh"]["percent agreement"], TERMS["zh"]["PABAK"]
    assert (
        f"题名初筛阶段：34 份文件（68 个决定中 63 个由规则作出），{agree} 97.1%，"
        f"Cohen's κ 0.78，Gwet's AC1 0.97，PABAK（{pabak}）0.94；冲突 1 处，由 carol（第三评审员）裁决。"
        in text
    )
    # PABAK's Chinese name given once, at its first figure
    assert (
        f"全文复筛阶段：32 份文件（64 个决定中 63 个由规则作出），{agree} 96.9%，"
        "Cohen's κ 0.65，Gwet's AC1 0.97，PABAK 0.94；" in text
    )
    assert text.count(pabak) == 1
    # the agreement table: its title and headers
    assert "2 名评审员独立筛选的一致性（Cohen's κ）" in text
    # (the header, the term and "%", wraps in the 80-column console)
    assert f" {agree} " in text and "阶段" in text and "冲突数" in text
    assert "Each record and each report" not in text and "Title stage" not in text


def test_screen_says_the_prisma_flow_rules_and_files_in_chinese(study):  # noqa: F811
    work, project = study
    text = said(settled_by_carol(work, project, "--lang", "zh", "--record", work / "r.xlsx"))
    # the flow's steps as the Chinese PRISMA 2020 statement names them; the counts of
    # test_policy_screen_cli: 36 read, 2 duplicates, 30 included
    assert "政策文本的 PRISMA 2020 流程" in text
    for step in ("检索到的记录 36", "删除的重复记录 2", "初筛的记录 34", "纳入的文件 30"):
        assert step in " ".join(text.replace("│", " ").split())
    assert "来自中国政府网" in text and "Records identified" not in text
    # the rules, read back from their English descriptions
    assert (
        "评审员未记录决定之处自动适用的规则：题名初筛阶段的 2 条题名规则；全文复筛阶段发布于 "
        "2021-12-31 及以前；全文复筛阶段正文至少 20 个字符。" in text
    )
    assert "筛选记录已写入" in text


def test_screen_is_english_by_default_and_json_is_language_neutral(study):  # noqa: F811
    work, project = study
    text = said(settled_by_carol(work, project))
    assert "Title stage: 34 document(s)" in text and "一致" not in text
    english = json.loads(run("screening", project, "--json").output)
    chinese = json.loads(run("screening", project, "--json", "--lang", "zh").output)
    assert chinese == english


def test_screening_from_the_project_in_chinese(study):  # noqa: F811
    work, project = study
    settled_by_carol(work, project)
    res = run("screening", project, "--lang", "zh")
    assert res.exit_code == 0, res.output
    assert "由 carol（第三评审员）裁决。" in said(res)
    res = run("screening", project, "--lang", "fr")
    assert res.exit_code == 2 and "expected 'en' or 'zh', got 'fr'" in said(res)


def test_the_prisma_figure_follows_lang(study, monkeypatch):  # noqa: F811
    # Review A #7: prisma.png stayed English under --lang zh (the figure took no lang)
    import ihms.policy.prisma as prisma

    drawn, draw = [], prisma.prisma_figure
    monkeypatch.setattr(
        prisma, "prisma_figure", lambda s, **kw: drawn.append(kw.get("lang")) or draw(s, **kw)
    )
    work, project = study
    settled_by_carol(work, project, "--lang", "zh", "--figure", work / "p.png")
    res = run("screening", project, "--lang", "zh", "--figure", work / "q.png")
    assert res.exit_code == 0, res.output
    assert drawn == ["zh", "zh"]
