"""Structural tables and resources derived from a delivery system."""

from __future__ import annotations

import math

import pandas as pd

from ihms.data import resources_table, scale_resources


def _frame(rows):
    frame = pd.DataFrame(rows, columns=["institution_id", "year", "beds", "gps"])
    for col in ("beds", "gps"):
        frame[col] = pd.array(frame[col], dtype="Int64")
    return frame


def test_scaled_head_counts_keep_each_county_total(youxi):
    frame = resources_table(youxi, years=(2016,))
    scaled = scale_resources(frame, youxi, scale=0.01)
    for col in ("beds", "gps", "specialists", "nurses", "health_workers"):
        # examples/youxi.yaml's 2016 county totals times 1 %, rounded half up: beds
        # 1,489 (seed 002 Table 2: 4.16 per 1,000 of 358,000) -> 14.89 -> 15
        assert int(scaled[col].sum()) == math.floor(int(frame[col].sum()) * 0.01 + 0.5), col
    assert int(scaled["beds"].sum()) == 15
    # the caller's frame is left as it was
    assert frame.equals(resources_table(youxi, years=(2016,)))


def test_largest_remainder_and_empty_cells(youxi):
    frame = _frame(
        [
            ("YX-THC01", 2016, 9, 1),
            ("YX-THC02", 2016, 14, None),
            ("YX-CH01", 2016, 20, 3),
            ("FJ-PH", 2016, 7, 2),
        ]
    )
    out = scale_resources(frame, youxi, scale=0.1)
    # Youxi's beds: 0.9, 1.4, 2.0 = 4.3 -> 4 in all; floors 0, 1, 2 leave 1 for the
    # largest remainder (0.9, THC01). FJ-PH is in another county: 0.7 -> 1 on its own.
    assert out["beds"].tolist() == [1, 1, 2, 1]
    # gps: 0.1 + 0.3 = 0.4 rounds to 0; the empty cell stays empty
    assert out["gps"].iloc[[0, 2, 3]].tolist() == [0, 0, 0]
    assert pd.isna(out["gps"].iloc[1])


def test_scale_one_changes_nothing(youxi):
    frame = resources_table(youxi)
    assert scale_resources(frame, youxi, scale=1.0).equals(frame)
