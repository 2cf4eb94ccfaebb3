"""Whole-number float ids in a Parquet file read as ``1001``, as the same ids in a
``.dta``, ``.xlsx`` or CSV do, and an unknown id's problem shows a few ids the table
it refers to holds (review of the data import, 2026-11-25, finding 8: residents held
'1001.0' while the encounters named '1001', and the message hid the cause)."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _as_numbers(csv_folder, *, residents_ids: list[float]):
    """residents.parquet with float ids (pandas writes an id column that passed through
    a missing value as floats), encounters.parquet with int64 ids 1001-1003."""
    res = pd.read_csv(csv_folder / "residents.csv", dtype=str, keep_default_na=False)
    enc = pd.read_csv(csv_folder / "encounters.csv", dtype=str, keep_default_na=False)
    raw = dict(zip(res["resident_id"], (1001, 1002, 1003), strict=True))
    res["resident_id"] = residents_ids
    enc["resident_id"] = enc["resident_id"].map(raw).astype("int64")
    res.to_parquet(csv_folder / "residents.parquet", index=False)
    enc.to_parquet(csv_folder / "encounters.parquet", index=False)
    for name in ("residents.csv", "encounters.csv", "followups.csv"):
        (csv_folder / name).unlink()


def test_whole_float_ids_read_as_whole_numbers(csv_folder, youxi):
    _as_numbers(csv_folder, residents_ids=[1001.0, 1002.0, 1003.0])
    data = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert data.to_pandas("residents")["resident_id"].tolist() == ["1001", "1002", "1003"]


def test_an_unknown_id_shows_ids_the_referred_table_holds(csv_folder, youxi):
    # 1003.5 is no whole number: the column keeps its floats, and the encounters' 1001
    # is unknown; the message shows what residents holds
    _as_numbers(csv_folder, residents_ids=[1001.0, 1002.0, 1003.5])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    first = next(p for p in err.value.problems if "unknown resident" in p)
    assert first.startswith(
        "column 'resident_id' of encounters.parquet row 1: unknown resident '1001' (not in "
        "residents), also in 1 more row (2)"
    )
    assert first.endswith(
        "; residents holds 3 ids, written like '9999.0', '9999.9' (9 a digit, A a letter)"
    )
