"""Writers killed with SIGKILL (no clean-up runs): the hidden working folder they leave
is removed by the next write of the same kind, a folder the killed run had set aside is
put back, a reader never takes either for data, and nothing of a user's is touched.

Each writer runs in a child process that kills itself mid-write, so the state left is
the one a real ``kill -9`` (or the kernel's out-of-memory killer) leaves. The child is a
fork of the test's process (ihms already imported): a fresh interpreter importing ihms
cost 3.6 s of CPU a writer, as much as the rest of the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ihms.data import Period, Store
from ihms.data.io import read_tables
from ihms.data.synthetic import synthetic_dataset
from ihms.sim.sinks import ParquetSink, RunInfo
from ihms.system import load_system

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL, fork and process ids")

PERIOD = Period.parse("2016-01-01", "2016-12-31")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _sink_killed_writing(tables: Path) -> None:
    """Open the Parquet sink, write a chunk, die (kill -9 mid-run)."""
    sink = ParquetSink(tables)
    sink.open(RunInfo(PERIOD, "killed"))
    sink.write("encounters", pa.table({"n": [9, 9]}))
    _die()


def _sink_killed_between_renames(tables: Path) -> None:
    """The sink's close dies between setting the earlier folder aside and renaming its
    own in."""
    sink = ParquetSink(tables)
    sink.open(RunInfo(PERIOD, "killed"))
    sink.write("encounters", pa.table({"n": [9, 9]}))
    rename = Path.rename

    def rename_then_die(self, target):
        rename(self, target)
        _die()

    Path.rename = rename_then_die  # the child's own Path: the test's process keeps its own
    sink.close()


def _export_killed(path: Path, out: Path) -> None:
    """A store's export dies once the tables are in its working folder."""
    import ihms.data.io as io

    io.write_folder_meta = lambda *a, **k: _die()
    Store(path, read_only=True).export(out)


def _killed(write, *args: Path) -> None:
    """Run ``write(*args)`` in a child process, which must die of SIGKILL."""
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        try:
            write(*args)
        except BaseException:
            traceback.print_exc()
        os._exit(70)
    deadline = time.monotonic() + 120
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"{write.__name__}: its child process hung")
        time.sleep(0.01)
    status = done[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"{write.__name__}: the child process ended with status {status}, not killed"
    )


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _run(sink: ParquetSink, value: int) -> None:
    sink.open(RunInfo(PERIOD, "next run"))
    sink.write("encounters", pa.table({"n": [value]}))
    sink.close()


def test_a_killed_simulation_run_leaves_a_folder_the_next_run_removes(tmp_path):
    tables = tmp_path / "tables"
    _killed(_sink_killed_writing, tables)
    (left,) = _hidden(tmp_path)
    assert left.startswith(".tables-ihms") and not tables.exists()
    assert (tmp_path / left / "encounters.parquet").is_file()
    # a user's hidden folder and a file of the same shape of name are not ours: kept
    (tmp_path / ".tables-notes").mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    mine = f".tables-ihms{int(gone.stdout)}-abcdefgh"  # a dead process's id, but a file
    (tmp_path / mine).write_text("mine", encoding="utf-8")
    live = tmp_path / f".tables-ihms{os.getpid()}-livefold"  # a run still going
    live.mkdir()
    _run(ParquetSink(tables), 1)
    assert pq.read_table(tables / "encounters.parquet").column("n").to_pylist() == [1]
    assert _hidden(tmp_path) == sorted([mine, live.name, ".tables-notes"])


def test_a_run_killed_between_its_renames_gets_the_earlier_folder_back(tmp_path):
    tables = tmp_path / "tables"
    _run(ParquetSink(tables), 1)  # the earlier run's data
    _killed(_sink_killed_between_renames, tables)
    assert not tables.exists()  # set aside, the new folder not yet in
    assert any(name.endswith("-replaced") for name in _hidden(tmp_path))
    sink = ParquetSink(tables)
    sink.open(RunInfo(PERIOD, "next run"))
    # on opening, before this run ends, the earlier data are back and the rest is gone
    assert pq.read_table(tables / "encounters.parquet").column("n").to_pylist() == [1]
    assert _hidden(tmp_path) == [sink._tmp.name]
    sink.abort()
    assert _hidden(tmp_path) == []


def test_a_killed_export_is_never_read_and_the_next_export_removes_it(tmp_path):
    small = synthetic_dataset(load_system("examples/youxi.yaml"), seed=3, scale=0.002)
    path, out = tmp_path / "ihms.duckdb", tmp_path / "out"
    with Store(path) as store:
        store.write(small)
        store.export(out)
    _killed(_export_killed, path, out)
    (left,) = _hidden(out)
    assert left.startswith(".ihms-export-ihms")
    assert (out / left / "encounters.parquet").is_file()
    # the folder reads as the complete earlier export; the hidden one is not data
    assert read_tables(out).row_counts() == small.row_counts()
    (out / ".ihms-export-notes").mkdir()  # a user's
    with Store(path, read_only=True) as store:
        store.export(out)
    assert _hidden(out) == [".ihms-export-notes"]
