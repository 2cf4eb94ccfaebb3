"""A ``sim run`` that stops part-way: each run's id, recorded in its data set's metadata
and in ``summary.json``, lets the next run tell what it left.

The killed runs are the console script's ``main`` in a child process that sends itself
SIGKILL (no clean-up runs, as with ``kill -9`` or the out-of-memory killer) at a chosen
point of its sink's close: before its data are in place, or just after."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store
from ihms.sim.outputs import SET_ASIDE, recover_out_folder

runner = CliRunner()
posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process ids")

# The killed runs fork from one server process that imported ihms once (multiprocessing's
# forkserver; its child is tests/sim/_killed_child.py): a fresh interpreter for each of
# the three imported ihms first, the file's child processes taking 12 s of CPU, 6.6 s so
# (measured 2026-11-26). Each run is still a process of its own, the console script's
# main, killed by SIGKILL with nothing of it cleaned up.
if os.name == "posix":
    _SERVER = multiprocessing.get_context("forkserver")
    _SERVER.set_forkserver_preload(["ihms.cli.main", "ihms.sim.sinks", "tests.sim._killed_child"])


def _args(example_path, out, fmt):
    return [
        *("sim", "run", "--config", str(example_path), "--residents", "800"),
        *("--out", str(out), "--format", fmt),
    ]


def _meta(out, fmt):
    """The data set's ``(source, run_id)`` as its metadata records them."""
    if fmt == "duckdb":
        with Store(out / "ihms.duckdb", read_only=True) as store:
            info = store.info()
            return info.source, info.run_id
    meta = json.loads((out / "tables" / "dataset.json").read_text(encoding="utf-8"))
    return meta["source"], meta.get("run_id")


def _source(out, fmt):
    return _meta(out, fmt)[0]


def _run_id(out, fmt):
    return _meta(out, fmt)[1]


def _summary(out):
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _first_run(example_path, out, fmt):
    result = runner.invoke(app, _args(example_path, out, fmt))
    assert result.exit_code == 0, result.output
    summary = _summary(out)
    assert summary["status"] == "complete"
    # the id is a field of the data set's metadata, and in the summary; the source
    # text no longer carries it
    assert _run_id(out, fmt) == summary["run_id"]
    assert summary["run_id"] not in _source(out, fmt)
    return summary


def _killed(example_path, out, fmt, point):
    from tests.sim._killed_child import killed_in_close

    log = out.with_name(f"{out.name}-killed.log")
    argv = [*_args(example_path, out, fmt), "--seed", "5"]
    child = _SERVER.Process(target=killed_in_close, args=(point, argv, str(log)))
    child.start()
    child.join(timeout=300)
    hung = child.exitcode is None
    if hung:  # never reached its close: stopped here, and the test fails
        child.kill()
        child.join()
    said = log.read_text(encoding="utf-8", errors="replace")
    assert not hung and child.exitcode == -signal.SIGKILL, said


@posix_only
@pytest.mark.parametrize("fmt", ["duckdb", "parquet"])
def test_a_run_killed_before_its_data_are_in_place_gets_the_earlier_summary_back(
    tmp_path, example_path, fmt
):
    out = tmp_path / "run"
    earlier = _first_run(example_path, out, fmt)
    _killed(example_path, out, fmt, "before")
    # what the kill leaves: the earlier data, their summary hidden, none in view
    assert (out / SET_ASIDE).is_file() and not (out / "summary.json").exists()
    target = out / ("ihms.duckdb" if fmt == "duckdb" else "tables")
    notes = recover_out_folder(out, target, fmt)
    assert len(notes) == 1 and "killed before its data were in place" in notes[0]
    assert earlier["run_id"] in notes[0]
    assert _summary(out) == earlier
    assert _run_id(out, fmt) == earlier["run_id"]
    assert not (out / SET_ASIDE).exists()


@posix_only
def test_a_run_killed_once_its_data_are_in_place_is_reported_by_the_next_run(
    tmp_path, example_path
):
    out = tmp_path / "run"
    earlier = _first_run(example_path, out, "duckdb")
    _killed(example_path, out, "duckdb", "after")
    killed_id = _run_id(out, "duckdb")
    # the data are the killed run's (seed 5), described by no summary in view; the
    # hidden one describes the earlier run's data, which are gone
    assert killed_id is not None and killed_id != earlier["run_id"]
    assert "seed 5" in _source(out, "duckdb")
    assert (out / SET_ASIDE).is_file() and not (out / "summary.json").exists()
    result = runner.invoke(app, _args(example_path, out, "duckdb"))
    assert result.exit_code == 0, result.output
    text = "".join(result.output.split())  # rich wraps long paths anywhere
    assert "".join(f"Earlier run: removed {out / SET_ASIDE}".split()) in text
    said = f"holds run {killed_id}'s data, complete, but that run stopped before"
    assert "".join(said.split()) in text
    summary = _summary(out)
    assert summary["status"] == "complete" and len(summary["earlier_run"]) == 2
    assert _run_id(out, "duckdb") == summary["run_id"]
    assert sorted(p.name for p in out.iterdir()) == ["ihms.duckdb", "summary.json"]


def test_a_parquet_close_failing_after_its_tables_are_in_place_leaves_a_failed_summary(
    tmp_path, example_path, monkeypatch
):
    # The earlier tables, set aside, could not be removed once the new ones were in
    # place: the run failed with no summary at all, so the new tables were described by
    # nothing and the next run could not tell them from a finished run's.
    import ihms.sim.sinks as sinks

    out = tmp_path / "run"
    _first_run(example_path, out, "parquet")
    rmtree = shutil.rmtree

    def refuse_the_set_aside_folder(path, ignore_errors=False, **kw):
        if str(path).endswith("-replaced") and not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))
        return rmtree(path, ignore_errors=ignore_errors, **kw)

    monkeypatch.setattr(sinks.shutil, "rmtree", refuse_the_set_aside_folder)
    result = runner.invoke(app, [*_args(example_path, out, "parquet"), "--seed", "5"])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"{out / 'tables'}: this run's tables are in place" in text
    assert "could not be removed" in text and "Permission denied" in text
    failed = _summary(out)
    assert failed["status"] == "failed" and "could not be removed" in failed["error"]
    assert failed["run_id"] == _run_id(out, "parquet")
    assert "seed 5" in _source(out, "parquet")
    assert not (out / SET_ASIDE).exists()
    notes = recover_out_folder(out, out / "tables", "parquet")
    assert notes == [
        f"run {failed['run_id']} failed after its data were in place ({failed['error']}); "
        f"{out / 'summary.json'} says so"
    ]
