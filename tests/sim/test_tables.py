import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ihms.sim import CountySimulation, ParquetSink


def test_encounter_schema(small_run):
    schema = small_run.sink.table("encounters").schema
    assert schema.field("encounter_id").type == pa.int64()
    assert schema.field("date").type == pa.date32()
    for money in ("total_cost_fen", "insurance_paid_fen", "out_of_pocket_fen"):
        assert schema.field(money).type == pa.int64()
    assert pa.types.is_dictionary(schema.field("institution_id").type)
    assert schema.field("length_of_stay_days").type == pa.int16()


def test_institution_ids_exist_in_resources(small_tables):
    known = set(small_tables["institution_resources"]["institution_id"]) | {"OUT1"}
    assert set(small_tables["encounters"]["institution_id"].astype(str)) <= known


def test_parquet_sink_appears_only_when_complete(tmp_path, small_config):
    target = tmp_path / "tables"
    CountySimulation(small_config, residents=1000).run(sink=ParquetSink(target))
    assert sorted(p.name for p in target.iterdir()) == [
        "chronic_followups",
        "encounters",
        "institution_resources",
        "population",
        "referrals",
    ]
    n = pq.read_table(target / "population").num_rows
    assert n > 900


def test_failed_run_leaves_earlier_output_untouched(tmp_path, small_config):
    target = tmp_path / "tables"
    CountySimulation(small_config, residents=1000).run(sink=ParquetSink(target))
    before = sorted(str(p.relative_to(target)) for p in target.rglob("*"))

    def boom(done, total):
        if done > 2:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        CountySimulation(small_config, residents=3000).run(
            sink=ParquetSink(target), progress=boom, chunk_residents=512
        )
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]
