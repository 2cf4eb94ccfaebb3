import pandas as pd
import pytest

from ihms.demo import STEPS, DemoContext
from ihms.report import Report, render_html


def test_the_step_follows_the_policy_step():
    keys = [s.key for s in STEPS]
    assert keys.index("autocode") == keys.index("policy") + 1


@pytest.fixture(scope="module")
def autocode_demo(tmp_path_factory, project_templates):
    """The step computed once (a minute and more) for the English and the Chinese
    section: its context, its results and the policy step's project as it was before."""
    from ihms.demo._autocode import autocode_results

    base = tmp_path_factory.mktemp("autocode-demo")
    ctx = DemoContext(out_dir=base / "out", work_dir=base / "work")
    ctx.work_dir.mkdir()
    ctx.artefacts["policy_project"] = project_templates["coded"]
    before = project_templates["coded"].read_bytes()
    return ctx, autocode_results(ctx), before


@pytest.mark.slow
def test_autocode_demo_sections(autocode_demo, project_templates, report_checks):
    from ihms.demo._autocode import section_of

    ctx, results, before = autocode_demo
    sections = [section_of(ctx, results)]
    assert [s.id for s in sections] == ["autocode"]
    assert sections[0].mirrors.startswith("Yu et al. 2024")
    tables = {t.name: t.table for t in sections[0].tables()}
    overview = tables["autocode_overview"].to_frame()
    assert list(overview.index) == ["Stakeholders", "Policy tools"]  # the codebook's names
    for col in ("human vs human kappa", "learned coder vs reconciled kappa"):
        assert overview[col].between(0, 1).all()
    # where a cut reaches the human kappa, the machine's part is at least that good
    reached = overview.dropna(subset=["lowest probability cut reaching the human kappa"])
    assert (reached["its kappa there"] >= reached["human vs human kappa"]).all()
    assert reached["share the machine codes there"].between(0, 1).all()
    # the learned coder's kappa inside its interval over documents
    kappa = overview["learned coder vs reconciled kappa"]
    assert (overview["its 95% CI low"] < kappa).all() and (
        kappa < overview["its 95% CI high"]
    ).all()
    # the cut chosen inside each fold, scored on held-out documents
    assert overview["share coded, cut chosen inside each fold"].between(0, 1).all()
    coder = tables["autocode_machine_coder"].to_frame()
    assert coder.index[0].startswith("machine:") and coder["kind"].iloc[0] == "machine"
    assert [f.name for f in sections[0].figures()] == ["autocode_learning_curve"]
    # the policy step's project is left as it was; the machine codes went into a copy
    assert project_templates["coded"].read_bytes() == before
    # every table carries a title (the machine coder had none: review of the demo report)
    page = render_html(Report("autocode", sections=sections))
    assert report_checks.untitled_tables(page) == []
    # categories by the codebook's names, as in the agreement table (review of the demo
    # report: second_class_hospitals, talent_construction were shown)
    assert report_checks.code_style_labels(page) == []
    assert "  Second-class-and-above hospitals" in tables["autocode_stakeholders"].to_frame().index


@pytest.mark.slow
def test_autocode_demo_section_in_chinese(autocode_demo):
    """``ihms demo --lang zh``: the same results phrased in Chinese — no English left,
    the English tables' numbers, the codebook's Chinese names."""
    import dataclasses
    import warnings

    from tests.demo.zh_check import (
        collecting_figure_texts,
        english_left,
        latin_words_left,
        section_texts,
    )

    from ihms.demo._autocode import section_of

    ctx, results, _ = autocode_demo
    english = section_of(ctx, results)
    with warnings.catch_warnings(record=True) as caught, collecting_figure_texts() as drawn:
        warnings.simplefilter("always")
        zh = section_of(dataclasses.replace(ctx, lang="zh"), results)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    allowed = ("Cohen's κ",)
    assert [t[:60] for t in section_texts(zh) if english_left(t, allowed)] == []
    # not a word left either (min_probability, commit, a coder's note), in the figure too;
    # the coders' ids are names, as the project stores them
    names = (*allowed, results.coder, "coder_a", "coder_b")
    left = [latin_words_left(t, names) for t in section_texts(zh) if latin_words_left(t, names)]
    assert left == []
    assert [
        latin_words_left(t) for t in drawn["autocode_learning_curve"] if latin_words_left(t)
    ] == []
    assert zh.id == "autocode" and zh.title.startswith("机器辅助编码：")
    assert zh.mirrors == "Yu et al. 2024，编码员间一致性（平均 κ 0.746）"
    assert [t.name for t in zh.tables()] == [t.name for t in english.tables()]
    assert [f.name for f in zh.figures()] == [f.name for f in english.figures()]
    for ours, theirs in zip(zh.tables(), english.tables(), strict=True):
        a, b = ours.table.frame, theirs.table.frame
        assert ours.table.lang == "zh" and a.shape == b.shape, ours.name
        numeric = [c for c in b.columns if pd.api.types.is_numeric_dtype(b[c])]
        assert a.iloc[:, [b.columns.get_loc(c) for c in numeric]].equals(
            b[numeric]
            .set_axis(a.columns[[b.columns.get_loc(c) for c in numeric]], axis=1)
            .set_axis(a.index, axis=0)
        ), ours.name
    tables = {t.name: t.table.frame for t in zh.tables()}
    assert list(tables["autocode_overview"].index) == ["利益相关者", "政策工具"]
    assert "  二级及以上医院" in tables["autocode_stakeholders"].index
    assert tables["autocode_machine_coder"]["类型"].iloc[0] == "机器"
    texts = " ".join(section_texts(zh))
    mean_machine = results.overview["learned coder vs reconciled kappa"].mean()
    assert f"机器学习编码模型的平均 κ 为 {mean_machine:.3f}，编码员为 0.660" in texts
