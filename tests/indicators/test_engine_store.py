"""IndicatorTables.from_store reads a store the way the store's own reader does.

A store written under an earlier minor schema version lacks the columns added since;
:meth:`ihms.data.Store.table` gives them as nulls (tests/data/test_store.py), and the
indicators see them the same way. Worked on the tiny county of ``conftest.py``.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from ihms.data import Dataset, Period, Store
from ihms.indicators import compute

from .conftest import tiny_frames

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))


def _store(path, frames=None) -> None:
    with Store(path) as store:
        store.write(Dataset.from_frames(frames or tiny_frames(), period=PERIOD))


def _computed(path, level: str, period: str):
    with Store(path, read_only=True) as store:
        return compute(store, level=level, period=period)


@pytest.mark.parametrize(("level", "period"), [("institution", "month"), ("consortium", "year")])
def test_a_store_written_under_schema_1_0_gives_the_same_indicators(tmp_path, level, period):
    # What ihms 1.0 left: residents without fp_registered_date (added in 1.1), schema
    # version 1.0 in the metadata. No indicator reads that date, so every row is the
    # same as from the 1.1 store of the same data.
    _store(tmp_path / "new.duckdb")
    _store(tmp_path / "old.duckdb")
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute('ALTER TABLE residents DROP COLUMN "fp_registered_date"')
    con.execute("UPDATE _ihms_meta SET value = '1.0' WHERE key = 'schema_version'")
    con.close()
    new = _computed(tmp_path / "new.duckdb", level, period)
    old = _computed(tmp_path / "old.duckdb", level, period)
    assert old.frame["numerator"].sum() > 0
    pd.testing.assert_frame_equal(old.frame, new.frame, check_exact=True)
    assert old.omitted == new.omitted


def test_a_column_the_store_lacks_reads_as_nulls(tmp_path):
    # The store's contract for a column it does not hold (a column a later schema
    # version adds): every reader gets nulls. A store without the encounters'
    # diagnosis groups and the resources' nurses gives exactly what the same data with
    # those cells blank give (the indicators read the table straight from the backend
    # and failed on the missing column).
    frames = tiny_frames()
    frames["encounters"]["diagnosis_group"] = None
    frames["resources"]["nurses"] = pd.array([pd.NA] * len(frames["resources"]), dtype="Int32")
    _store(tmp_path / "blank.duckdb", frames)
    _store(tmp_path / "lacking.duckdb")
    con = duckdb.connect(str(tmp_path / "lacking.duckdb"))
    con.execute('ALTER TABLE encounters DROP COLUMN "diagnosis_group"')
    con.execute('ALTER TABLE resources DROP COLUMN "nurses"')
    con.close()
    with Store(tmp_path / "lacking.duckdb", read_only=True) as store:
        assert store.absent_columns("encounters") == ("diagnosis_group",)
        lacking = compute(store, level="county", period="year")
    blank = _computed(tmp_path / "blank.duckdb", "county", "year")
    pd.testing.assert_frame_equal(lacking.frame, blank.frame, check_exact=True)
    assert lacking.omitted == blank.omitted
    # what the blanks mean: nurses unknown, so the ratios over them are missing; no
    # coded diagnosis, so no THC has a disease spectrum
    rows = lacking.select(indicators=["nurses_per_1000"], units=["c1"])
    assert rows["numerator"].isna().all() and rows["value"].isna().all()
    assert [o.indicator for o in lacking.omitted] == [
        "thc_disease_spectrum_ambulatory",
        "thc_disease_spectrum_inpatient",
        "off_pathway_referrals",  # no system file given
    ]
