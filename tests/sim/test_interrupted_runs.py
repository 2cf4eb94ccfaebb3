"""Ctrl-C during ``ihms sim run``: the outputs are closed (no half-written data, no
temporary folder), ``summary.json`` says the run was interrupted (its id, how far it got,
whether its data are in place) and the exit code is 130; the next run reports it. The
interruption is a KeyboardInterrupt raised from a monkeypatched step, no real signal.

A run stopped before its data were in place, over an earlier run's data and summary, is
said so too: ``summary.json`` is the interrupted run's, and the earlier run's summary,
which still describes the data there, is kept inside it (``data_summary``)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

import ihms.sim.run
from ihms.cli.main import app
from ihms.data import Store
from ihms.sim.outputs import recover_out_folder

runner = CliRunner()
RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


def _args(example_path, out, *extra):
    base = ["sim", "run", "--config", str(example_path), "--residents", "800"]
    return [*base, "--out", str(out), *extra]


def _stop_at_second_chunk(monkeypatch):
    """Ctrl-C when the run writes its second chunk of rows (800 residents: one chunk a
    year, four block-years), after the residents are placed and a year is written."""
    flush = ihms.sim.run._flush
    calls = []

    def stopped(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return flush(*args, **kwargs)

    monkeypatch.setattr(ihms.sim.run, "_flush", stopped)


def _summary(out):
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["duckdb", "parquet"])
def test_an_interrupted_run_leaves_a_summary_marked_interrupted(
    tmp_path, example_path, monkeypatch, fmt
):
    out = tmp_path / "run"
    _stop_at_second_chunk(monkeypatch)
    result = runner.invoke(app, _args(example_path, out, "--format", fmt, "--seed", "5"))
    assert result.exit_code == 130, result.output
    # only the summary: no store, no tables, no hidden working folder or file
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    summary = _summary(out)
    assert summary["status"] == "interrupted"
    assert RUN_ID.match(summary["run_id"])
    assert summary["cause"] == "KeyboardInterrupt (Ctrl-C)"
    assert summary["progress"] == {"block_years_done": 1, "block_years": 4}
    assert summary["data"] is None and summary["data_complete"] is False
    assert summary["seed"] == 5 and summary["residents"] == 800
    assert "interrupted" in " ".join(result.output.split())
    # the next run says what it found
    notes = recover_out_folder(out, out / "ihms.duckdb", "duckdb")
    assert notes == [
        f"run {summary['run_id']} was interrupted (KeyboardInterrupt (Ctrl-C)) after 1 of "
        f"4 block-years, before its data were in place; no data were left"
    ]


def test_a_run_interrupted_once_its_data_are_in_place_says_they_are_complete(
    tmp_path, example_path, monkeypatch
):
    # before: the data were in place and summary.json was missing (the earlier one was
    # removed, as it described other data) - the next run called them summary-less
    from ihms.sim import StoreSink

    out = tmp_path / "run"
    assert runner.invoke(app, _args(example_path, out)).exit_code == 0
    close = StoreSink.close

    def stopped_after_writing(self):
        close(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(StoreSink, "close", stopped_after_writing)
    assert runner.invoke(app, _args(example_path, out, "--seed", "5")).exit_code == 130
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == ["ihms.duckdb", "summary.json"]
    summary = _summary(out)
    with Store(out / "ihms.duckdb", read_only=True) as store:
        assert "seed 5" in store.info().source
        assert store.info().run_id == summary["run_id"]
    assert summary["status"] == "interrupted" and summary["data_complete"] is True
    assert summary["data"] == str(out / "ihms.duckdb")
    assert summary["progress"] == {"block_years_done": 4, "block_years": 4}
    # the next run reports it, and keeps it as the data's summary until it replaces both
    result = runner.invoke(app, _args(example_path, out, "--seed", "6"))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"Earlier run: run {summary['run_id']} was interrupted" in text
    assert "its data in" in text and "are complete" in text
    assert "stopped before writing" not in text
    assert _summary(out)["status"] == "complete"


def test_sigterm_is_recorded_as_an_interruption_too(tmp_path, example_path, monkeypatch):
    # the console script turns SIGTERM into SystemExit(143) (ihms.cli.main)
    def terminated(*args, **kwargs):
        raise SystemExit(143)

    monkeypatch.setattr(ihms.sim.run, "_flush", terminated)
    out = tmp_path / "run"
    result = runner.invoke(app, _args(example_path, out))
    assert result.exit_code == 143
    assert _summary(out)["cause"] == "SIGTERM"
    assert _summary(out)["progress"] == {"block_years_done": 0, "block_years": None}


def _rerun_stopped(tmp_path, example_path, monkeypatch, sink_class, method, *, seed="5"):
    """A first run, then a second (``seed``) stopped by Ctrl-C in ``sink_class.method``:
    the output folder, the first run's summary and the second run's output."""
    out = tmp_path / "run"
    assert runner.invoke(app, _args(example_path, out)).exit_code == 0
    earlier = _summary(out)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sink_class, method, stopped)
    result = runner.invoke(app, _args(example_path, out, "--seed", seed))
    assert result.exit_code == 130, result.output
    monkeypatch.undo()
    return out, earlier, result


def _assert_marked_over(out, earlier, result):
    """summary.json says the last run was interrupted before its data were in place and
    that the data there are the earlier run's, whose own summary it keeps whole."""
    assert sorted(p.name for p in out.iterdir()) == ["ihms.duckdb", "summary.json"]
    summary = _summary(out)
    assert summary["status"] == "interrupted" and summary["run_id"] != earlier["run_id"]
    assert RUN_ID.match(summary["run_id"]) and summary["seed"] == 5
    assert summary["data"] == str(out / "ihms.duckdb")
    assert summary["data_run_id"] == earlier["run_id"] and summary["data_complete"] is False
    assert summary["data_summary"] == earlier
    assert summary["note"] == (
        f"run {summary['run_id']} was interrupted (KeyboardInterrupt (Ctrl-C))"
        + (
            f" after {summary['progress']['block_years_done']} of 4 block-years"
            if summary["progress"]["block_years"]
            else ""
        )
        + f", before its data were in place; {out / 'ihms.duckdb'} holds run "
        f"{earlier['run_id']}'s data (its summary: data_summary)"
    )
    with Store(out / "ihms.duckdb", read_only=True) as store:
        assert f"seed {earlier['seed']}" in store.info().source
        assert store.info().run_id == earlier["run_id"]
    # stderr says the same as the folder
    text = " ".join(result.output.split())
    assert f"run {summary['run_id']} interrupted" in text and "summary.json says so" in text
    return summary


def test_a_run_stopped_while_simulating_marks_the_earlier_summary(
    tmp_path, example_path, monkeypatch
):
    # was: the earlier run's summary.json left as it was, so the folder read as if the
    # last run had been that one, complete; only stderr said otherwise
    from ihms.sim import StoreSink

    out, earlier, result = _rerun_stopped(tmp_path, example_path, monkeypatch, StoreSink, "write")
    summary = _assert_marked_over(out, earlier, result)
    # the next run reports it and replaces both
    result = runner.invoke(app, _args(example_path, out, "--seed", "6"))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"Earlier run: run {summary['run_id']} was interrupted" in text
    assert f"holds run {earlier['run_id']}'s data" in text
    assert _summary(out)["status"] == "complete" and "data_summary" not in _summary(out)


def test_a_run_stopped_while_its_data_are_validated_marks_the_earlier_summary(
    tmp_path, example_path, monkeypatch
):
    # review13: the earlier summary was deleted before the sink's close, which validates
    # the data set before writing it; Ctrl-C during validation (the slow part at full size)
    # kept the earlier store but lost its summary. It is kept, inside the marked one.
    from ihms.sim import MemorySink

    out, earlier, result = _rerun_stopped(
        tmp_path, example_path, monkeypatch, MemorySink, "dataset"
    )
    _assert_marked_over(out, earlier, result)


def test_a_second_run_stopped_before_its_data_keeps_the_summary_of_the_data(
    tmp_path, example_path, monkeypatch
):
    # the summary describing the data is carried from one interrupted run's to the next,
    # never lost and never the interrupted run's own
    from ihms.sim import StoreSink

    out, earlier, _ = _rerun_stopped(tmp_path, example_path, monkeypatch, StoreSink, "write")
    first = _summary(out)
    monkeypatch.setattr(
        StoreSink, "write", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    assert runner.invoke(app, _args(example_path, out, "--seed", "7")).exit_code == 130
    second = _summary(out)
    assert second["run_id"] not in (first["run_id"], earlier["run_id"])
    assert second["status"] == "interrupted" and second["data_run_id"] == earlier["run_id"]
    assert second["data_summary"] == earlier
