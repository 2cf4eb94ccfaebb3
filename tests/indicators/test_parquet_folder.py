"""The indicators from the Parquet folder of ``ihms data export`` equal those from the
store it came from (DuckDB reading the files), and a folder or an engine that cannot be
used says which file or what to install. The tiny county of ``conftest.py``; the same on
PySpark is in ``test_spark.py`` (one JVM for the suite).
"""

from __future__ import annotations

import json
import shutil
import stat
import sys
from datetime import date

import pandas as pd
import pyarrow.parquet as pq
import pytest

from ihms.data import STRUCTURAL_TABLES, Dataset, Period, Store
from ihms.errors import IhmsError, InputError
from ihms.indicators import IndicatorTables, compute
from ihms.indicators._parquet import ParquetFolder, spark_session

from .conftest import tiny_frames

#: how the referral counts are left out when the referrals are absent and the encounters
#: carry one referral mark, as tiny_frames' do (session 22 review D, MEDIUM 1)
ABSENT_REFERRALS = (
    "referrals_up: table referrals is absent; the encounters carry 1 referral mark "
    "(referred_from_id 1, referred_to_id 0), which no indicator reads"
)

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))


@pytest.fixture(scope="session")
def exported_template(tmp_path_factory):
    """The tiny county's store and its Parquet export, written once; tests get a copy."""
    base = tmp_path_factory.mktemp("tiny_export")
    with Store(base / "tiny.duckdb") as store:
        store.write(Dataset.from_frames(tiny_frames(), period=PERIOD))
        store.export(base / "shared")
    return base / "tiny.duckdb", base / "shared"


@pytest.fixture
def exported(exported_template, tmp_path):
    """A copy of the tiny county's store and its Parquet export, for the test to change
    (copying the files is cheaper than writing the store again)."""
    store, folder = exported_template
    shutil.copy(store, tmp_path / "tiny.duckdb")
    shutil.copytree(folder, tmp_path / "shared")
    return tmp_path / "tiny.duckdb", tmp_path / "shared"


@pytest.mark.parametrize(("level", "period"), [("institution", "month"), ("consortium", "year")])
def test_the_export_gives_what_the_store_gives(exported, level, period):
    path, folder = exported
    with Store(path, read_only=True) as store:
        on_store = compute(store, level=level, period=period)
    tables = IndicatorTables.from_parquet(folder)
    assert tables.period == PERIOD  # from dataset.json, no store needed
    on_folder = compute(tables, level=level, period=period)
    assert on_store.frame["numerator"].sum() > 0
    pd.testing.assert_frame_equal(on_folder.frame, on_store.frame, check_exact=True)
    assert on_folder.omitted == on_store.omitted


def test_the_folder_reads_as_a_store_with_its_producer(exported):
    # compute() takes the producer of what it reads (a simulator's folder says
    # "ihms.sim simulated no encounter there" of an empty month)
    _, folder = exported
    meta = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    (folder / "dataset.json").write_text(json.dumps({**meta, "producer": "ihms.sim"}))
    shared = ParquetFolder(folder)
    assert (shared.period, shared.producer) == (PERIOD, "ihms.sim")
    assert IndicatorTables.from_parquet(folder).producer == "ihms.sim"
    assert compute(shared, indicators=["hospitalizations"]).producer == "ihms.sim"
    # the two-line Python route too: the tables carry the producer into compute()
    tables = IndicatorTables.from_parquet(folder)
    assert compute(tables, indicators=["hospitalizations"]).producer == "ihms.sim"


def test_the_duckdb_engine_has_the_progress_bar_off(exported):
    # DuckDB draws its bar on stdout, ahead of --json (payment review 2026-11-25, 1)
    shared = ParquetFolder(exported[1])
    setting = "SELECT current_setting('enable_progress_bar')"
    assert shared.backend.con.execute(setting).fetchone() == (False,)


def test_an_export_of_schema_1_0_reads_its_added_columns_and_tables_as_empty(exported):
    # ihms 1.0 exported residents without fp_registered_date (1.1) and no
    # staff_activities (1.2); the store of such data gives them as nulls and no rows
    # (test_engine_store.py), and so does its folder
    path, folder = exported
    residents = pq.read_table(folder / "residents.parquet").drop_columns(["fp_registered_date"])
    pq.write_table(residents, folder / "residents.parquet")
    (folder / "staff_activities.parquet").unlink()
    meta = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    meta["tables"].remove("staff_activities")
    (folder / "dataset.json").write_text(json.dumps({**meta, "schema_version": "1.0"}))
    old = ParquetFolder(folder)
    assert old.table("residents")["fp_registered_date"].isnull().all().execute()
    assert old.table("staff_activities").count().execute() == 0
    with Store(path, read_only=True) as store:
        expected = compute(store, level="institution", period="year")
    got = compute(old, level="institution", period="year")
    pd.testing.assert_frame_equal(got.frame, expected.frame, check_exact=True)


def test_a_table_left_out_of_the_export_leaves_its_indicators_out(tmp_path):
    # `ihms data export --tables ...`: dataset.json lists what it holds; the referral
    # counts need the referrals, named as absent (as on a Spark session without them)
    with Store(tmp_path / "tiny.duckdb") as store:
        store.write(Dataset.from_frames(tiny_frames(), period=PERIOD))
        kept = [t for t in store.info().row_counts if t != "referrals"]
        store.export(tmp_path / "shared", tables=kept)
    r = compute(
        IndicatorTables.from_parquet(tmp_path / "shared"),
        indicators=["referrals_up", "hospitalizations"],
    )
    # the one referral mark tiny_frames' encounters carry is counted (review D, MEDIUM 1)
    (absent,) = [str(o) for o in r.omitted]
    assert absent.startswith(ABSENT_REFERRALS), absent


def test_files_an_earlier_export_left_in_the_folder_are_not_read(exported):
    # Session 20 review A, H2: `export --tables` over a full export rewrites only the
    # files it writes; dataset.json lists those, and the folder is read as it says
    # (the old referrals.parquet is stale, its indicators left out as absent).
    # The export now removes the earlier export's files it does not write (review of
    # the data import, 2026-11-25, finding 3); one left all the same (an export of an
    # earlier version, a copy) is still not read.
    store, folder = exported
    stale = (folder / "referrals.parquet").read_bytes()
    with Store(store, read_only=True) as s:
        s.export(folder, tables=[*STRUCTURAL_TABLES, "encounters"])
    assert not (folder / "referrals.parquet").exists()
    (folder / "referrals.parquet").write_bytes(stale)
    r = compute(
        IndicatorTables.from_parquet(folder),
        indicators=["referrals_up", "hospitalizations"],
    )
    # the one referral mark tiny_frames' encounters carry is counted (review D, MEDIUM 1)
    (absent,) = [str(o) for o in r.omitted]
    assert absent.startswith(ABSENT_REFERRALS), absent
    assert set(r.frame["indicator"]) == {"hospitalizations"}


def test_a_folder_without_dataset_json_is_named(exported):
    _, folder = exported
    (folder / "dataset.json").unlink()
    with pytest.raises(InputError, match=rf"{folder}: no dataset\.json; expected the folder"):
        IndicatorTables.from_parquet(folder)


def test_a_missing_table_file_is_named(exported):
    _, folder = exported
    (folder / "encounters.parquet").unlink()
    with pytest.raises(InputError, match=r"expected encounters\.parquet \(not found\)"):
        IndicatorTables.from_parquet(folder)


def test_a_csv_export_is_told_to_export_parquet(tmp_path):
    with Store(tmp_path / "tiny.duckdb") as store:
        store.write(Dataset.from_frames(tiny_frames(), period=PERIOD))
        store.export(tmp_path / "shared", format="csv")
    with pytest.raises(
        InputError, match=r"holds CSV \(--format csv\): export with --format parquet"
    ):
        IndicatorTables.from_parquet(tmp_path / "shared")


def test_an_unknown_engine_is_refused(exported):
    with pytest.raises(InputError, match=r"engine: expected one of duckdb, spark, got 'polars'"):
        IndicatorTables.from_parquet(exported[1], engine="polars")


def test_without_pyspark_the_extra_is_named(monkeypatch, exported):
    # ibis alone said "install ibis-framework[pyspark]"; ihms's extra brings it
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(IhmsError, match=r"install ihms\[spark\] \(uv sync --extra spark / pip"):
        IndicatorTables.from_parquet(exported[1], engine="spark")


def test_a_java_home_without_java_is_named_before_spark_starts(monkeypatch):
    pytest.importorskip("pyspark")
    monkeypatch.setenv("JAVA_HOME", "/nonexistent")
    with pytest.raises(IhmsError) as err:
        spark_session()
    assert (
        "needs a Java 17 (or later) runtime: JAVA_HOME is /nonexistent, which has no bin/java"
        in (str(err.value))
    )
    assert "export JAVA_HOME=" in str(err.value)


def test_an_old_java_is_named(monkeypatch, tmp_path):
    # what Java 11 prints on `java -version` (to stderr)
    pytest.importorskip("pyspark")
    java = tmp_path / "jdk11" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk11"))
    with pytest.raises(
        IhmsError, match=r"Java 17 \(or later\) runtime: .*jdk11/bin/java \(JAVA_HOME\) is Java 11"
    ):
        spark_session()


def test_a_java_that_will_not_start_spark_is_named_not_the_gateway(monkeypatch, tmp_path):
    # a java that answers -version as Java 17 but cannot run Spark's launcher: PySpark
    # alone raises [JAVA_GATEWAY_EXITED] with a traceback
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    if SparkSession.getActiveSession() is not None:
        pytest.skip("a session already runs in this process")
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(
        '#!/bin/sh\nif [ "$1" = "-version" ]; then\n'
        "  echo 'openjdk version \"17.0.15\" 2025-04-15' >&2; exit 0\nfi\n"
        "echo 'Error: could not create the Java Virtual Machine.' >&2; exit 1\n"
    )
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    with pytest.raises(IhmsError, match=r"Java 17 \(or later\) runtime: the Java gateway did not"):
        spark_session()


def test_a_folder_of_ones_own_needs_only_the_period(exported):
    # README's least dataset.json (user review 22k, LOW 4): the period alone; without
    # 'tables' every table found is read, so the result is the export's own
    path, folder = exported
    (folder / "dataset.json").write_text(
        '{"period": {"start": "2016-01-01", "end": "2017-12-31"}}', encoding="utf-8"
    )
    with Store(path, read_only=True) as store:
        on_store = compute(store, level="county", period="year")
    on_folder = compute(IndicatorTables.from_parquet(folder), level="county", period="year")
    pd.testing.assert_frame_equal(on_folder.frame, on_store.frame, check_exact=True)
    # a listed table the folder lacks is refused by name
    (folder / "dataset.json").write_text(
        '{"period": {"start": "2016-01-01", "end": "2017-12-31"}, "tables": ["claims"]}',
        encoding="utf-8",
    )
    (folder / "claims.parquet").unlink()
    with pytest.raises(InputError, match=r"claims\.parquet \(not found\)"):
        IndicatorTables.from_parquet(folder)


def test_a_local_session_started_here_gets_shuffle_partitions_by_its_cores():
    # review of the roll-up, LOW 1: Spark's 200 shuffle partitions made 200 tasks of
    # every group-by over a county's rows; a local session started by ihms gets 2 per
    # core (Spark's tuning guide: 2-3 tasks per core) and adaptive execution on, unless
    # the user's Spark configuration sets them; a cluster keeps Spark's defaults
    pytest.importorskip("pyspark")
    from pyspark import SparkConf

    from ihms.indicators._parquet import shuffle_settings

    local = SparkConf(loadDefaults=False).setMaster("local[*]")
    assert shuffle_settings(local, 2) == {
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.adaptive.enabled": "true",
    }
    assert shuffle_settings(local, 1)["spark.sql.shuffle.partitions"] == "2"
    own = SparkConf(loadDefaults=False).setMaster("local[2]")
    own.set("spark.sql.shuffle.partitions", "64")
    assert shuffle_settings(own, 2) == {"spark.sql.adaptive.enabled": "true"}
    cluster = SparkConf(loadDefaults=False).setMaster("yarn")
    assert shuffle_settings(cluster, 48) == {}
