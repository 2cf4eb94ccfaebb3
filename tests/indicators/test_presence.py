"""Which cells exist (session 20 review A, M2): a grid, tier, county or the total is
there every year, a count at it 0 in a year none of its institutions operates (there is
nothing there to count), while a consortium or an institution outside its years is
missing (with a note). The tiny county of conftest.py, THC2 (g2's only institution)
opening in 2017."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ihms.data import Dataset, Period
from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))


def _thc2_from_2017(tables) -> Dataset:
    inst = tables["institutions"]
    inst["active_from"] = inst["active_from"].mask(inst["institution_id"] == "THC2", 2017)
    for name, when in (("encounters", "date"), ("resources", "year")):
        frame = tables[name]
        year = frame[when] if when == "year" else pd.to_datetime(frame[when]).dt.year
        tables[name] = frame[~((frame["institution_id"] == "THC2") & (year < 2017))]
    return Dataset.from_frames(tables, period=PERIOD)


def test_a_grid_without_an_operating_institution_counts_0(tiny_tables):
    data = _thc2_from_2017(tiny_tables)
    r = compute(data, indicators=["healthcare_visits"], level="grid", period="year")
    # 2016: g2 holds only THC2, not yet open (its p9, p10 taken out) -> 0 visits at g2's
    # institutions, a real 0; 2017: THC2's p12 and i4 -> at least 1.
    g2 = r.select(units=["g2"], periods=["2016"]).iloc[0]
    assert g2.numerator == 0
    i = compute(data, indicators=["healthcare_visits"], level="institution", period="year")
    assert pd.isna(i.select(units=["THC2"], periods=["2016"]).iloc[0].numerator)
    assert any("THC2 (from 2017)" in n for n in empty_period_notes(i))
