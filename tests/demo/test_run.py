"""DemoContext's work files."""

from ihms.demo import DemoContext


def test_a_fresh_work_file_removes_the_last_runs_database_and_its_log(tmp_path):
    # DuckDB rewriting a large store in place keeps the freed blocks (a second demo run
    # left out/demo-work/sim.duckdb at 549 MB instead of 276 MB): each run starts afresh
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path)
    (tmp_path / "sim.duckdb").write_bytes(b"last run's store")
    (tmp_path / "sim.duckdb.wal").write_bytes(b"left by a killed run")
    (tmp_path / "policy.sqlite").write_bytes(b"another step's file")
    path = ctx.fresh_file("sim.duckdb")
    assert path == tmp_path / "sim.duckdb"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.sqlite"]


def test_the_subtitle_names_the_figures_not_computed_in_the_run(tmp_path):
    # the published targets and the autocode benchmark's figures are not this run's
    from ihms.demo import run_demo

    html = run_demo(tmp_path / "r", steps=[]).read_text(encoding="utf-8")
    assert "except the published figures it is set against" in html
    assert "the benchmark figures the text names as such" in html


class _OneSection:
    """A demo step made in the test: one section citing two source studies."""

    first = False
    key, label = "fake", "A fake step"

    def load(self):
        from ihms.report import Section
        from ihms.sources import cite

        def step(ctx):
            section = Section("fake", "Fake", mirrors=cite("002", "Table 3"))
            return [section.text(f"As {cite('004')} found.")]

        return step


def test_the_report_ends_with_the_references_it_cites(tmp_path):
    # session 23 review, HIGH 1: no reference list. Entries from the studies' own
    # "to cite this article" lines (/work/shared/seeds/002 line 51, 004 lines 53-66)
    from ihms.demo import run_demo

    html = run_demo(tmp_path / "r", steps=[_OneSection()]).read_text(encoding="utf-8")
    refs = html.split('<section id="references">')[1].split("</section>")[0]
    assert "<h2>References</h2>" in refs
    assert "Zhong Z, Yao Q, Chen S, Jiang J, Lin K, Yao Y, Xiang L (2023)" in refs
    assert '<a href="https://doi.org/10.5334/ijic.7011">' in refs
    assert "International Journal of Integrated Care 21(3):7" in refs
    assert "Yu Y" not in refs  # study 000 is not cited by this report


def test_the_footer_gives_what_a_reader_needs_to_cite_and_rerun(tmp_path):
    # session 23 review, MEDIUM 6: version, commit, config, seed, time zone
    import ihms
    from ihms.demo import run_demo

    html = run_demo(tmp_path / "r", steps=[], seed=7).read_text(encoding="utf-8")
    footer = html.split("<footer>")[1]
    assert f"ihms {ihms.__version__}" in footer
    assert " UTC" in footer
    assert "random seed 7" in footer
    assert "examples/youxi_sim.yaml (sha256 " in footer
    assert "commit " in footer or "not a git checkout" in footer
