"""Ctrl-C during ``ihms sim run``: the outputs are closed (no half-written data, no
temporary folder), ``summary.json`` says the run was interrupted (its id, how far it got,
whether its data are in place) and the exit code is 130; the next run reports it. The
interruption is a KeyboardInterrupt raised from a monkeypatched step, no real signal.

The one case left as it was: an earlier run's data and summary kept whole (a run stopped
before its data were in place) — that summary describes the data, so it stays
(``tests/sim/test_cli.py``)."""

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
