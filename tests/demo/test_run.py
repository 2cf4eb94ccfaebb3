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
