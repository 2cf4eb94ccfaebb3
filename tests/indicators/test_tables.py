from __future__ import annotations

import pytest

from ihms.indicators import compute, growth_layout, yearly_table


def test_growth_layout_against_hand_arithmetic(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=[
            "thc_beds_per_institution",
            "hospitalization_rate",
            "thc_disease_spectrum_ambulatory",
        ],
        level="total",
        period="year",
    )
    table = growth_layout(
        r,
        ["hospitalization_rate", "thc_beds_per_institution", "thc_disease_spectrum_ambulatory"],
        unit="total",
        reference={"hospitalization_rate": -0.05},
    )
    frame = table.to_frame()
    rate = frame.loc[
        "Residents' hospitalization rate (admissions per 100 residents, average population)"
    ]
    # 3 stays over an average of 9.5 residents in 2016 (start 9, end 10) -> 2 stays over
    # 9.5 in 2017 (start 10, end 9): 2 / 3 - 1 = -33.3 % over one year (it was
    # (2 / 9) / (3 / 10) - 1 = -25.9 % on the year-end populations 10 and 9)
    assert rate["average annual growth (%)"] == pytest.approx(100 * (2 / 3 - 1), rel=1e-9)
    assert rate["reference growth (%)"] == pytest.approx(-5.0, rel=1e-12)
    beds = frame.loc["Beds per THC (beds per THC)"]
    assert beds["average annual growth (%)"] == pytest.approx(0.0, abs=1e-12)  # 15 -> 15
    # no THC ambulatory diagnoses in 2017: no growth rate, and a note says so, naming the
    # row as the table does, not by its catalogue id (review of the demo, 2026-11-25,
    # finding 7: "thc_consultation_fee_share" in a report's note)
    spectrum = r.catalogue["thc_disease_spectrum_ambulatory"]
    label = f"{spectrum.name_en} ({spectrum.unit})"
    assert label in frame.index
    assert (
        f"No growth rate where the 2016 or 2017 value is missing or zero: {label}." in table.notes
    )
    assert not any("thc_disease_spectrum_ambulatory" in n for n in table.notes)
    # the formula in a reader's notation, not Python's **
    assert "Average annual growth = (value 2017 / value 2016)^(1/1) - 1." in table.notes


def test_yearly_table_scales_and_labels(tiny_dataset):
    r = compute(tiny_dataset, indicators=["healthcare_visits"], level="total", period="year")
    table = yearly_table(r, ["healthcare_visits"], unit="total", scale={"healthcare_visits": 10})
    assert table.to_frame().loc[
        "Healthcare (preventive) outpatient visits (visits, in 10s)"
    ].tolist() == [1.0, 0.5]
