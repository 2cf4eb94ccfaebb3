"""The whole catalogue on PySpark (local mode) equals the catalogue on DuckDB.

Both engines read the same Parquet export of a small seeded Youxi data set; the
comparison is exact (numerators are integers, denominators integers or, for the average
population, integer start + end counts halved in pandas; values are computed from them
the same way).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ihms.data import SCHEMAS, Store
from ihms.data.synthetic import synthetic_dataset
from ihms.indicators import CATALOGUE, IndicatorTables, compute
from ihms.system import load_system

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("PySpark needs a Java runtime")
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("ihms-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_catalogue_is_identical_on_duckdb_and_pyspark(spark, tmp_path):
    import ibis

    system = load_system("examples/youxi.yaml")
    dataset = synthetic_dataset(system, seed=7, scale=0.005)
    with Store(tmp_path / "ihms.duckdb") as store:
        store.write(dataset)
        store.export(tmp_path / "parquet")
        # institution x month: every source is queried, by month where the indicator
        # allows it and by year where it does not
        on_duckdb = compute(store, level="institution", period="month").to_frame()
        period = store.info().period
    for name in SCHEMAS:
        spark.read.parquet(str(tmp_path / "parquet" / f"{name}.parquet")).createOrReplaceTempView(
            name
        )
    tables = IndicatorTables.from_backend(ibis.pyspark.connect(spark), period)
    on_spark = compute(tables, level="institution", period="month").to_frame()

    assert set(on_duckdb["indicator"]) == set(CATALOGUE.ids())
    assert on_duckdb["numerator"].sum() > 0
    pd.testing.assert_frame_equal(on_duckdb, on_spark, check_exact=True)
