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
