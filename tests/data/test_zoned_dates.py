"""A UTC timestamp column (what Spark writes) given for dates is refused saying why:
its day depends on the time zone (review of the data import, 2026-11-25, finding 11;
an Asia/Shanghai column is read by its wall clock, as before)."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _zoned(csv_folder, zone: str):
    enc = pd.read_csv(csv_folder / "encounters.csv", dtype=str, keep_default_na=False)
    local = pd.to_datetime(enc["date"]).dt.tz_localize("Asia/Shanghai")
    enc["date"] = local.dt.tz_convert(zone)
    enc.to_parquet(csv_folder / "encounters.parquet", index=False)
    (csv_folder / "encounters.csv").unlink()


def test_a_utc_timestamp_is_refused_naming_the_time_zone(csv_folder, youxi):
    _zoned(csv_folder, "UTC")  # 2016-03-01 in China is 2016-02-29 16:00 UTC
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    first = next(p for p in err.value.problems if p.column == "date")
    assert first.row == 1
    assert "a timestamp in UTC (time zone Z), whose day depends on the time zone" in first
    assert "tz_convert('Asia/Shanghai')" in first


def test_an_asia_shanghai_timestamp_reads_as_its_local_day(csv_folder, youxi):
    _zoned(csv_folder, "Asia/Shanghai")
    dates = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")["date"]
    assert str(dates.iloc[0].date()) == "2016-03-01"


def test_the_indicators_parquet_reader_refuses_a_utc_column_as_the_import_does(
    csv_folder, youxi, key_file, tmp_path
):
    """Review of session 30, finding 2: a 02:00 Beijing-time visit stored as UTC (the
    evening before) was read by ``indicators compute --data`` as the UTC day, with no
    word, while ``data import`` refused it: both paths now refuse it alike."""
    from ihms.data import Pseudonymiser, Store, import_folder
    from ihms.indicators._parquet import ParquetFolder

    store = tmp_path / "s.duckdb"
    pseudonymiser = Pseudonymiser.from_env(key_file=key_file)
    import_folder(csv_folder, store, pseudonymiser=pseudonymiser, system=youxi)
    out = tmp_path / "out"
    with Store(store, read_only=True) as s:
        s.export(out, format="parquet")
    enc = pd.read_parquet(out / "encounters.parquet")
    visit = pd.to_datetime(enc["date"]).dt.tz_localize("Asia/Shanghai") + pd.Timedelta(hours=2)
    enc["date"] = visit.dt.tz_convert("UTC")  # 2016-03-01 02:00 in China: 02-29 18:00Z
    enc.to_parquet(out / "encounters.parquet", index=False)

    with pytest.raises(DataError) as imported:
        read_tables(out, system=youxi)
    with pytest.raises(DataError) as computed:
        ParquetFolder(out)
    first = next(p for p in imported.value.problems if p.column == "date")
    engine = next(p for p in computed.value.problems if p.column == "date")
    for p in (first, engine):
        assert (p.file, p.row, p.column) == ("encounters.parquet", 1, "date")
        assert "a timestamp in UTC (time zone Z), whose day depends on the time zone" in p
    assert str(engine) == str(first).split(" (also in")[0]
    assert "'2016-02-29 18:00:00Z'" in str(engine)
