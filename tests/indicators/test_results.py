from __future__ import annotations

import math

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.indicators import compute


def test_small_cells_are_suppressed(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=[
            "healthcare_visits_primary_share",
            "insurance_inside_county_share",
            "hospitalizations",
        ],
        level="total",
        period="year",
    ).suppress(5)
    f = r.to_frame().set_index(["indicator", "period"])
    # 2016 primary share: 7 of 10, both >= 5 -> shown
    assert not f.loc[("healthcare_visits_primary_share", "2016"), "suppressed"]
    assert f.loc[("healthcare_visits_primary_share", "2016"), "numerator"] == 7
    # 2017 primary share: 2 of 5 -> numerator 2 is a small cell -> hidden
    row = f.loc[("healthcare_visits_primary_share", "2017")]
    assert row.suppressed
    assert math.isnan(row.value)
    assert pd.isna(row.numerator) and pd.isna(row.denominator)
    # money shares are never suppressed
    assert not f.loc[("insurance_inside_county_share", "2017"), "suppressed"]
    # 3 admissions in 2016 -> hidden; a threshold of 1 hides nothing
    assert f.loc[("hospitalizations", "2016"), "suppressed"]
    assert (
        not compute(tiny_dataset, indicators=["hospitalizations"], level="total")
        .suppress(1)
        .frame["suppressed"]
        .any()
    )
    with pytest.raises(InputError, match="min_cell"):
        r.suppress(0)
    assert "suppressed" in r.summary().to_text()


def test_wide_and_series(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=["hospitalizations", "hospitalization_rate"],
        level="county",
        period="year",
    )
    wide = r.wide(unit="c1")
    assert list(wide.columns) == ["2016", "2017"]
    assert list(wide.index) == ["hospitalizations", "hospitalization_rate"]
    assert r.series("hospitalizations", "c1").tolist() == [2.0, 2.0]
    with pytest.raises(InputError, match="no values") as err:
        r.series("hospitalizations", "nowhere")
    assert "did you mean" not in str(err.value)
    with pytest.raises(InputError, match="for unit 'C1' — did you mean 'c1'"):
        r.series("hospitalizations", "C1")
    # a look-alike id is another unit, not a misspelling of one
    with pytest.raises(InputError, match="no values") as err:
        r.series("hospitalizations", "c2")
    assert "did you mean" not in str(err.value)
    with pytest.raises(InputError, match="did you mean 'hospitalization_rate'"):
        r.series("hospitalisation_rate", "c1")
