import pytest

from ihms.report import Report, render_html


@pytest.fixture(scope="module")
def demo_policy(policy_demo):
    """The demo's policy step, run once a session (tests/conftest.py) for the tests that
    only read what it returns and leaves: its context and its sections in order."""
    ctx, sections = policy_demo
    return ctx, list(sections.values())


@pytest.mark.slow
def test_policy_demo_sections(demo_policy, report_checks):
    ctx, sections = demo_policy
    assert [s.id for s in sections] == [
        "policy-corpus", "policy-agreement", "policy-1d", "policy-2d", "policy-trend", "policy-words", "policy-network",
    ]  # fmt: skip
    assert all(s.mirrors.startswith(("Yu et al. 2024", "VI-HQMR policy study")) for s in sections)
    figures = [f.name for s in sections for f in s.figures()]
    assert figures == ["prisma", "policy_trend", "policy_wordcloud", "policy_network"]
    tables = {t.name for s in sections for t in s.tables()}
    assert {f"policy_table{i}" for i in range(1, 13)} <= tables
    corpus = next(s for s in sections if s.id == "policy-corpus")
    screening = next(t for t in corpus.tables() if t.name == "policy_screening").table.to_frame()
    # examples/policies/screening_reviewer_{a,b}.csv: kappa 118/186 and 60/92, worked by
    # hand in tests/policy/test_prisma.py::test_the_example_reviewers_sheets
    assert screening["kappa"].round(3).tolist() == [0.634, 0.652]
    assert screening["AC1"].notna().all()  # beside kappa, as the text says it
    assert "Two reviewers screened every record and report independently" in corpus.blocks[0].text
    assert "Gwet's AC1" in corpus.blocks[0].text
    assert ctx.artefacts["policy_project"].is_file()
    # the coded data set for SPSS / Stata sits in the work folder the text names
    assert (ctx.work_dir / "policy-codes.sav").is_file()
    assert (ctx.work_dir / "policy-codes.dta").is_file()
    one_d = next(s for s in sections if s.id == "policy-1d")
    assert "demo-work/policy-codes.sav, demo-work/policy-codes.dta" in one_d.blocks[1].text
    # the English report names the units in seed 003's English terms beside the texts'
    network = next(s for s in sections if s.id == "policy-network")
    links = next(t for t in network.tables()).table.to_frame()
    assert "Tertiary hospitals (三级医院)" in set(links["source"]) | set(links["target"])
    # every table carries a title (the top terms had none: review of the demo report)
    page = render_html(Report("policy", sections=sections))
    assert report_checks.untitled_tables(page) == []
    assert report_checks.code_style_labels(page) == []


def test_corpus_overview_counts_encodings_within_each_format(example_corpus):
    from ihms.demo._policy import _format_rows

    rows = dict(_format_rows(example_corpus.to_frame()))
    # examples/policies/corpus: 24 .txt files (21 UTF-8, 2 GBK, 1 GB18030), 6 .docx,
    # 1 .pdf, 5 .html (4 UTF-8, 1 GB18030) — counted with `file`/by hand when the corpus
    # was written; the encodings of a format add up to its files.
    assert rows == {
        "  .txt": "24 (UTF-8 21 / GBK 2 / GB18030 1)",
        "  .docx": "6",
        "  .pdf": "1",
        "  .html": "5 (UTF-8 4 / GB18030 1)",
    }


@pytest.mark.slow
def test_demo_trend_agrees_with_the_cli(demo_policy):
    from typer.testing import CliRunner

    from ihms.cli.main import app
    from ihms.policy.trend import MIN_YEAR_N

    ctx, sections = demo_policy
    trend = next(s for s in sections if s.id == "policy-trend")
    text = " ".join(b.text for b in trend.blocks if hasattr(b, "text"))
    cli = CliRunner().invoke(
        app,
        [
            "policy",
            "trend",
            str(ctx.artefacts["policy_project"]),
            "orientation",
            "--scheme",
            "paragraph",
        ],
    )
    said = " ".join(cli.output.split())
    assert cli.exit_code == 0, cli.output
    assert f"fewer than {MIN_YEAR_N} texts" in text and f"fewer than {MIN_YEAR_N} texts" in said
    # the peak years the demo prints are the CLI's
    for peak in text.split("peaks in turn (")[1].split(")")[0].split("; "):
        assert peak in said
    # a one-year stage reads "2017", not "2017–2017"; 2017 (62 of 62 texts) rather than
    # 2015 (20 of 27), the two one-year runs above the overall share (session 18's tie rule)
    assert "Stage disease-centred: 2017 (" in said and "2017–2017" not in said
    # The example corpus's e-health and health-centred stages share 2019 (review of the
    # demo report); the prose and the CLI say so, as they do that seed 000's periods
    # overlap too.
    note = next(n for n in trend.tables()[0].table.notes if n.startswith("Stages overlap"))
    assert "e-health technology and health-centred in 2019" in note
    assert note in text and "Yu et al. 2024's own periods overlap too" in said
