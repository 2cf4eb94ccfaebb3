import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import SCHEMAS, Store, read_folder, read_tables
from ihms.sim import CountySimulation, ParquetSink, StoreSink
from ihms.sim.resources import PRODUCER, UNRECORDED


def test_tables_have_the_data_layers_schemas(small_run):
    for name in ("residents", "encounters", "referrals", "followups", "resources"):
        assert small_run.sink.table(name).schema.equals(
            SCHEMAS[name].to_arrow(), check_metadata=False
        )


def test_parquet_sink_writes_what_ihms_data_imports(tmp_path, small_config, youxi_system):
    target = tmp_path / "tables"
    CountySimulation(small_config, residents=1000, system=youxi_system).run(
        sink=ParquetSink(target)
    )
    frames, _ = read_folder(target)
    assert {"residents", "encounters", "referrals", "followups", "resources"} <= set(frames)
    assert pq.read_table(target / "simulation" / "encounter_details.parquet").num_rows > 0
    assert len(frames["residents"]) > 900
    # its dataset.json says the simulator made it: made-up ids, and the columns it never
    # records, which `ihms data check` then does not ask for
    dataset = read_tables(target)
    assert (dataset.id_scheme, dataset.producer) == ("synthetic", PRODUCER)
    assert dict(dataset.unrecorded) == UNRECORDED
    result = CliRunner().invoke(app, ["data", "check", str(target)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    unrecorded = ", ".join(UNRECORDED["resources"])
    assert f"note: resources: {unrecorded} not recorded by ihms.sim (empty by design" in text
    assert "give the figures" not in text and "empty cells" not in text
    assert "ids synthetic (made by ihms.sim: kept as they are)" in text


def test_failed_run_leaves_earlier_output_untouched(tmp_path, small_config, youxi_system):
    target = tmp_path / "tables"
    sim = CountySimulation(small_config, residents=1000, system=youxi_system)
    sim.run(sink=ParquetSink(target))
    before = sorted(str(p.relative_to(target)) for p in target.rglob("*"))

    def boom(done, total):
        if done > 2:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        CountySimulation(small_config, residents=3000, system=youxi_system).run(
            sink=ParquetSink(target), progress=boom, chunk_residents=512
        )
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]


def test_store_sink_writes_a_validated_store(tmp_path, small_config, youxi_system):
    path = tmp_path / "ihms.duckdb"
    res = CountySimulation(small_config, residents=1500, system=youxi_system).run(
        sink=StoreSink(path)
    )
    with Store(path, read_only=True) as store:
        info = store.info()
        assert info.id_scheme == "synthetic"
        assert info.row_counts["encounters"] == res.tally.count.sum()
        assert "regime sanming" in info.source


@pytest.mark.parametrize("stop", ["setting the earlier folder aside", "removing it"])
def test_a_parquet_run_stopped_while_replacing_an_earlier_folder_leaves_one_whole(
    tmp_path, monkeypatch, stop
):
    # close() removed the earlier folder file by file before renaming the new one in: a
    # stop part-way left a folder holding some of the earlier tables (and lost the rest)
    import shutil
    from pathlib import Path

    import pyarrow as pa

    from ihms.data import Period
    from ihms.sim.tables import RunInfo

    target = tmp_path / "tables"
    target.mkdir()
    earlier = {"encounters.parquet", "residents.parquet", "dataset.json"}
    for name in earlier:
        (target / name).write_text("earlier run", encoding="utf-8")
    sink = ParquetSink(target)
    sink.open(RunInfo(period=Period.parse("2016-01-01", "2016-12-31"), source="test"))
    sink.write("encounters", pa.table({"x": [1, 2]}))
    rename, rmtree = Path.rename, shutil.rmtree

    def stopped_rename(self, to):
        if self == target:
            raise KeyboardInterrupt
        return rename(self, to)

    def stopped_rmtree(path, *a, **k):
        monkeypatch.setattr(shutil, "rmtree", rmtree)
        next(p for p in sorted(Path(path).iterdir()) if p.is_file()).unlink()
        raise KeyboardInterrupt

    if stop == "removing it":
        monkeypatch.setattr(shutil, "rmtree", stopped_rmtree)
    else:
        monkeypatch.setattr(Path, "rename", stopped_rename)
    with pytest.raises(KeyboardInterrupt):
        sink.close()
    sink.abort()  # as CountySimulation.run does on any exception
    monkeypatch.undo()
    names = {p.name for p in target.iterdir()}
    # the earlier folder whole (stopped before the new one was in place) or the new one
    assert names == (earlier if stop != "removing it" else {"encounters.parquet", "dataset.json"})
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]  # nothing hidden left


def _stopped_at(table_name: str):
    """A ``Store.write`` that stops (as on Ctrl-C) when it reaches ``table_name``, the
    tables before it already inserted in its transaction."""
    real = Store.write

    class Partial:
        def __init__(self, dataset):
            self._dataset = dataset

        def __getattr__(self, name):
            return getattr(self._dataset, name)

        def table(self, name):
            if name == table_name:
                raise KeyboardInterrupt
            return self._dataset.table(name)

    def write(self, dataset, **kwargs):
        return real(self, Partial(dataset), **kwargs)

    return write


def test_a_first_store_write_stopped_midway_leaves_no_store(
    tmp_path, small_config, youxi_system, monkeypatch
):
    # Store(path) created ihms.duckdb before the write: a run stopped while writing left
    # an empty store, which later commands read as "holds nothing"
    path = tmp_path / "out" / "ihms.duckdb"
    monkeypatch.setattr(Store, "write", _stopped_at("encounters"))
    sim = CountySimulation(small_config, residents=600, system=youxi_system)
    with pytest.raises(KeyboardInterrupt):
        sim.run(sink=StoreSink(path))
    monkeypatch.undo()
    assert list((tmp_path / "out").iterdir()) == []  # nor a hidden half-written file
    # a killed run's leftovers beside it are cleared by the next run, which writes whole
    (tmp_path / "out" / ".ihms.tmp.duckdb").write_bytes(b"half a store")
    (tmp_path / "out" / ".ihms.tmp.duckdb.wal").write_bytes(b"its log")
    res = sim.run(sink=StoreSink(path))
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ihms.duckdb"]
    with Store(path, read_only=True) as store:
        assert store.info().row_counts["encounters"] == res.tally.count.sum()


def test_replacing_a_store_stopped_midway_keeps_the_earlier_data(
    tmp_path, small_config, youxi_system, monkeypatch
):
    path = tmp_path / "ihms.duckdb"
    CountySimulation(small_config, residents=600, system=youxi_system, seed=1).run(
        sink=StoreSink(path)
    )
    with Store(path, read_only=True) as store:
        before = store.info().row_counts
    monkeypatch.setattr(Store, "write", _stopped_at("encounters"))
    with pytest.raises(KeyboardInterrupt):
        CountySimulation(small_config, residents=600, system=youxi_system, seed=2).run(
            sink=StoreSink(path, replace=True)
        )
    monkeypatch.undo()
    with Store(path, read_only=True) as store:
        assert store.info().row_counts == before and "seed 1" in store.info().source
