from __future__ import annotations

import math

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.indicators import CATALOGUE, IndicatorResults, compute


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
    # 2016 primary share: 7 of 10 (VC1's p1-p3, THC1's p4-p5, THC2's p9-p10), both >= 5,
    # but the 10 - 7 = 3 left (CH's p6-p8) is a small cell: hidden (complement)
    assert f.loc[("healthcare_visits_primary_share", "2016"), "suppressed"]
    shown = compute(
        tiny_dataset, indicators=["healthcare_visits_primary_share"], level="total", period="year"
    ).suppress(3)
    assert shown.frame.set_index("period").loc["2016", "numerator"] == 7  # 3 >= 3: shown
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


def _cells(rows):
    """A results table by hand: (indicator, unit, numerator, denominator) per row, year
    2018 at county level."""
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "numerator", "denominator"])
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    frame = frame.assign(period_type="year", period="2018", period_key=2018, level="county")
    return IndicatorResults(frame, level="county", period="year", catalogue=CATALOGUE)


def test_complementary_suppression_hides_what_a_share_would_give_away():
    r = _cells(
        [
            # c1: 11 of 15 stays within the county, so 4 outside: both shares hidden
            ("inpatient_within_county_share", "c1", 11, 15),
            ("inpatient_outside_county_share", "c1", 4, 15),
            # c2: 3 healthcare visits at hospitals, 15 in primary care, 2 at the CDC, of
            # 20: the primary share's 20 - 15 = 5 is not small, but it is the hospital
            # share's hidden 3 plus the CDC's 2 (0 where a grid has no CDC): hidden too
            ("healthcare_visits_hospital_share", "c2", 3, 20),
            ("healthcare_visits_primary_share", "c2", 15, 20),
            # c3: 6 and 14 of 20, none small: both shown
            ("healthcare_visits_hospital_share", "c3", 6, 20),
            ("healthcare_visits_primary_share", "c3", 14, 20),
            # c2: 3 of 10 hypertensive patients controlled (hidden); 5 of 10 managed to
            # standard counts other patients of the same 10 (not disjoint): shown
            ("hypertension_control_rate", "c2", 3, 10),
            ("hypertension_management_rate", "c2", 5, 10),
            # c4: 8 of 10 controlled leaves 2 uncontrolled: hidden
            ("hypertension_control_rate", "c4", 8, 10),
        ]
    ).suppress(5)
    hidden = r.frame.set_index(["indicator", "unit"])["suppressed"]
    assert hidden.to_dict() == {
        ("inpatient_within_county_share", "c1"): True,
        ("inpatient_outside_county_share", "c1"): True,
        ("healthcare_visits_hospital_share", "c2"): True,
        ("healthcare_visits_primary_share", "c2"): True,
        ("healthcare_visits_hospital_share", "c3"): False,
        ("healthcare_visits_primary_share", "c3"): False,
        ("hypertension_control_rate", "c2"): True,
        ("hypertension_management_rate", "c2"): False,
        ("hypertension_control_rate", "c4"): True,
    }
    # a share of 0 or of all of its denominator leaves nothing small to give away
    whole = _cells([("inpatient_within_county_share", "c1", 15, 15)]).suppress(5)
    assert not whole.frame["suppressed"].any()


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
    with pytest.raises(InputError, match="no unit 'nowhere' in these results") as err:
        r.series("hospitalizations", "nowhere")
    assert "did you mean" not in str(err.value)
    with pytest.raises(InputError, match=r"no unit 'C1' in these .* — did you mean 'c1'"):
        r.series("hospitalizations", "C1")
    # a look-alike id is another unit, not a misspelling of one
    with pytest.raises(InputError, match="no unit 'c2' in these results") as err:
        r.series("hospitalizations", "c2")
    assert "did you mean" not in str(err.value)
    with pytest.raises(InputError, match="did you mean 'hospitalization_rate'"):
        r.series("hospitalisation_rate", "c1")
