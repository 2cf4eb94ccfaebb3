import pytest

from ihms.demo import STEPS, DemoContext
from ihms.demo._autocode import autocode_sections
from ihms.report import Report, render_html


def test_the_step_follows_the_policy_step():
    keys = [s.key for s in STEPS]
    assert keys.index("autocode") == keys.index("policy") + 1


@pytest.mark.slow
def test_autocode_demo_sections(tmp_path, project_templates, report_checks):
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.work_dir.mkdir()
    ctx.artefacts["policy_project"] = project_templates["coded"]
    before = project_templates["coded"].read_bytes()
    sections = autocode_sections(ctx)
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
