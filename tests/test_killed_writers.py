"""Writers killed with SIGKILL (no clean-up runs): the hidden working folder they leave
is removed by the next write of the same kind, a folder the killed run had set aside is
put back, a reader never takes either for data, and nothing of a user's is touched.

Each writer runs in a child process that kills itself mid-write, so the state left is
the one a real ``kill -9`` (or the kernel's out-of-memory killer) leaves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ihms.data import Store
from ihms.data.io import read_tables
from ihms.data.synthetic import synthetic_dataset
from ihms.sim.sinks import ParquetSink, RunInfo
from ihms.system import load_system

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process ids")

_PERIOD = "from ihms.data import Period; PERIOD = Period.parse('2016-01-01', '2016-12-31')\n"

# open the Parquet sink, write a chunk, die (kill -9 mid-run)
_SINK_KILLED_WRITING = (
    "import os, signal, sys\nimport pyarrow as pa\n"
    + _PERIOD
    + "from ihms.sim.sinks import ParquetSink, RunInfo\n"
    "sink = ParquetSink(sys.argv[1]); sink.open(RunInfo(PERIOD, 'killed'))\n"
    "sink.write('encounters', pa.table({'n': [9, 9]}))\n"
    "os.kill(os.getpid(), signal.SIGKILL)\n"
)

# the sink's close dies between setting the earlier folder aside and renaming its own in
_SINK_KILLED_BETWEEN_RENAMES = (
    "import os, signal, sys\nfrom pathlib import Path\nimport pyarrow as pa\n"
    + _PERIOD
    + "from ihms.sim.sinks import ParquetSink, RunInfo\n"
    "rename = Path.rename\n"
    "def rename_then_die(self, target):\n"
    "    rename(self, target)\n"
    "    os.kill(os.getpid(), signal.SIGKILL)\n"
    "sink = ParquetSink(sys.argv[1]); sink.open(RunInfo(PERIOD, 'killed'))\n"
    "sink.write('encounters', pa.table({'n': [9, 9]}))\n"
    "Path.rename = rename_then_die\n"
    "sink.close()\n"
)

# a store's export dies once the tables are in its working folder
_EXPORT_KILLED = (
    "import os, signal, sys\n"
    "import ihms.data.io as io\nfrom ihms.data import Store\n"
    "def die(*a, **k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    "io.write_folder_meta = die\n"
    "Store(sys.argv[1], read_only=True).export(sys.argv[2])\n"
)


def _killed(script: str, *args: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _run(sink: ParquetSink, value: int) -> None:
    from ihms.data import Period

    sink.open(RunInfo(Period.parse("2016-01-01", "2016-12-31"), "next run"))
    sink.write("encounters", pa.table({"n": [value]}))
    sink.close()


def test_a_killed_simulation_run_leaves_a_folder_the_next_run_removes(tmp_path):
    tables = tmp_path / "tables"
    _killed(_SINK_KILLED_WRITING, tables)
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
    _killed(_SINK_KILLED_BETWEEN_RENAMES, tables)
    assert not tables.exists()  # set aside, the new folder not yet in
    assert any(name.endswith("-replaced") for name in _hidden(tmp_path))
    sink = ParquetSink(tables)
    from ihms.data import Period

    sink.open(RunInfo(Period.parse("2016-01-01", "2016-12-31"), "next run"))
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
    _killed(_EXPORT_KILLED, path, out)
    (left,) = _hidden(out)
    assert left.startswith(".ihms-export-ihms")
    assert (out / left / "encounters.parquet").is_file()
    # the folder reads as the complete earlier export; the hidden one is not data
    assert read_tables(out).row_counts() == small.row_counts()
    (out / ".ihms-export-notes").mkdir()  # a user's
    with Store(path, read_only=True) as store:
        store.export(out)
    assert _hidden(out) == [".ihms-export-notes"]
