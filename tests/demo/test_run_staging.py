"""A demo run builds its report and work folder in staging and swaps both in at the end
(review of 2026-11-25, finding 2): a failed or interrupted re-run leaves the earlier
report and its work folder as they were, with no staging folder beside them; a folder
that cannot be replaced is refused before the first step; Ctrl-C is one line, exit 130."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import pytest
from typer.testing import CliRunner

from ihms.demo import run_demo
from ihms.errors import InputError


class _Step:
    """A demo step made in the test: writes ``content`` into the work folder as the sim
    step writes its store (``ctx.fresh_file``), then raises ``fails`` if given."""

    first = False
    key, label = "fake", "A fake step"

    def __init__(self, content: bytes, fails: BaseException | None = None, calls=None):
        self.content, self.fails, self.calls = content, fails, calls

    def load(self):
        from ihms.report import Section

        def step(ctx):
            if self.calls is not None:
                self.calls.append(ctx)
            ctx.fresh_file("sim.duckdb").write_bytes(self.content)
            if self.fails is not None:
                raise self.fails
            section = Section("fake", "Fake", mirrors="")
            return [section.text(f"The store is in {ctx.shown_work_dir.name}/sim.duckdb.")]

        return step


def _first_run(tmp_path):
    report = run_demo(tmp_path / "demo", steps=[_Step(b"run 1")])
    return report, report.read_bytes()


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), RuntimeError("Query interrupted")])
def test_a_stopped_rerun_leaves_the_earlier_report_and_work_folder(tmp_path, stop):
    # the review's run 3: Ctrl-C while the store was rewritten left an empty sim.duckdb
    # beside the old report, which points into the work folder
    report, html = _first_run(tmp_path)
    with pytest.raises(type(stop)):
        run_demo(tmp_path / "demo", steps=[_Step(b"run 2, half written", fails=stop)])
    assert report.read_bytes() == html
    assert (tmp_path / "demo-work" / "sim.duckdb").read_bytes() == b"run 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "demo-work"]


def test_a_complete_rerun_replaces_the_report_and_work_folder_together(tmp_path):
    _first_run(tmp_path)
    (tmp_path / "demo-work" / "by-hand.txt").write_text("not the demo's")
    report = run_demo(tmp_path / "demo", steps=[_Step(b"run 2")])
    assert (tmp_path / "demo-work" / "sim.duckdb").read_bytes() == b"run 2"
    # the work folder is one run's, as the report is
    assert sorted(p.name for p in (tmp_path / "demo-work").iterdir()) == ["sim.duckdb"]
    # the text names the folder the files end in, not the staging folder they were built in
    assert "The store is in demo-work/sim.duckdb." in report.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "demo-work"]


def test_the_report_folder_is_made_as_mkdir_makes_one(tmp_path):
    # review of 2026-11-25, finding 5: tempfile.mkdtemp's folder (0700) was renamed into
    # place, so a report to share was readable by its writer alone
    before = os.umask(0o022)
    try:
        run_demo(tmp_path / "demo", steps=[_Step(b"run")])
    finally:
        os.umask(before)
    assert (tmp_path / "demo").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "demo-work").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize("where", ["demo", "demo-work"])
def test_a_file_where_a_folder_goes_is_refused_before_any_step(tmp_path, where):
    (tmp_path / where).write_text("a user's file")
    calls = []
    with pytest.raises(InputError, match="not a folder"):
        run_demo(tmp_path / "demo", steps=[_Step(b"run", calls=calls)])
    assert calls == []
    assert (tmp_path / where).read_text() == "a user's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [where]


def test_an_immutable_report_folder_is_refused_before_any_step(tmp_path):
    # the review's run 5: `chattr +i` on the report folder failed the run only after
    # every step had run and rewritten the work folder
    _first_run(tmp_path)
    folder = tmp_path / "demo"
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", folder]).returncode:
        pytest.skip("chattr +i is not available here")
    calls = []
    try:
        with pytest.raises(InputError, match="cannot be replaced"):
            run_demo(folder, steps=[_Step(b"run 2", calls=calls)])
    finally:
        subprocess.run(["chattr", "-i", folder], check=True)
    assert calls == []
    assert (tmp_path / "demo-work" / "sim.duckdb").read_bytes() == b"run 1"


def _cli(monkeypatch, fake):
    import ihms.demo
    from ihms.cli.main import app

    monkeypatch.setattr(ihms.demo, "run_demo", fake)
    return CliRunner().invoke(app, ["demo", "--out", "unused"])


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch):
    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    result = _cli(monkeypatch, pressed)
    assert result.exit_code == 130
    assert "interrupted (Ctrl-C)" in result.output
    assert "Traceback" not in result.output and "KeyboardInterrupt" not in result.output


def test_ctrl_c_during_a_duckdb_query_is_the_interruption_too(monkeypatch):
    # DuckDB answers Ctrl-C during a query with RuntimeError('Query interrupted'): the
    # review saw a full traceback and exit 1
    def in_a_query(*args, **kwargs):
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            raise RuntimeError("Query interrupted") from None

    result = _cli(monkeypatch, in_a_query)
    assert result.exit_code == 130, result.output
    assert "interrupted (Ctrl-C)" in result.output
    assert "Query interrupted" not in result.output


def test_another_error_is_not_taken_for_an_interruption(monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("a bug")

    result = _cli(monkeypatch, fails)
    assert isinstance(result.exception, RuntimeError) and result.exit_code == 1
    assert "interrupted" not in result.output


def _dead_pid() -> int:
    """The id of a process that has ended (a SIGKILLed demo's)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.mark.skipif(os.name != "posix", reason="whether a process runs is asked on POSIX")
def test_staging_folders_a_killed_run_left_are_removed_by_the_next_run(tmp_path):
    # review of session 30's diff, finding 11: a demo killed with SIGKILL left its hidden
    # staging folders (the sim store, the ledgers) beside the output for good
    _first_run(tmp_path)
    dead, alive = _dead_pid(), os.getppid()
    left = [f".demo-work-ihms{dead}-0a1b2c3d", f".demo-ihms{dead}-4e5f6a7b"]
    left.append(f".demo-ihms{dead}-8c9d0e1f-replaced")  # killed after setting demo aside
    running = f".demo-work-ihms{alive}-2a3b4c5d"  # a run still going: not ours to remove
    for name in [*left, running]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "sim.duckdb").write_bytes(b"half written")
    said = []
    run_demo(tmp_path / "demo", steps=[_Step(b"run 2")], told=said.append)
    assert sorted(p.name for p in tmp_path.iterdir()) == [running, "demo", "demo-work"]
    assert (tmp_path / "demo-work" / "sim.duckdb").read_bytes() == b"run 2"
    text = " ".join(said)
    assert (
        f"removed the staging folders a killed earlier run left beside {tmp_path / 'demo'}" in text
    )
    assert all(name in text for name in left) and running not in text


def test_a_symlinked_output_folder_is_refused_before_any_step(tmp_path):
    shared = tmp_path / "share" / "demo"
    shared.mkdir(parents=True)
    (shared / "a.txt").write_text("old")
    (tmp_path / "demo").symlink_to(shared)
    calls = []
    with pytest.raises(InputError, match=r"is a symbolic link .*give that folder"):
        run_demo(tmp_path / "demo", steps=[_Step(b"run", calls=calls)])
    assert calls == []
    assert (tmp_path / "demo").is_symlink() and (shared / "a.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "share"]
