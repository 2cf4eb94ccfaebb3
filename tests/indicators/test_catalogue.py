from __future__ import annotations

import pytest

from ihms.errors import ConfigError
from ihms.indicators import CATALOGUE, LEVELS, PERIODS, SOURCES, load_catalogue

# DOMAIN section 4 / the seed tables, indicator by indicator
EXPECTED = {
    "seed 002, Table 3": {
        "outpatient_emergency_visits",
        "hospitalizations",
        "cost_per_outpatient_visit",
        "cost_per_hospitalization",
    },
    "seed 002, Table 4": {
        "hospitalization_rate",
        "healthcare_visits",
        "healthcare_visits_hospital_share",
        "healthcare_visits_primary_share",
    },
    "seed 002, Table 5": {
        "hypertension_management_rate",
        "hypertension_control_rate",
        "diabetes_management_rate",
        "diabetes_control_rate",
    },
    "seed 004, Table 2": {
        "thc_gps_per_10k",
        "thc_gp_specialist_ratio",
        "thc_nurse_doctor_ratio",
        "thc_beds_per_institution",
        "thc_average_length_of_stay",
        "thc_bed_occupancy_rate",
        "thc_disease_spectrum_ambulatory",
        "thc_disease_spectrum_inpatient",
        "thc_revenue_per_institution",
        "thc_consultation_fee_share",
        "thc_personnel_cost_share",
        "thc_income_per_physician",
    },
    "seed 001, Table 3": {
        "tertiary_outpatient_share",
        "tertiary_hospitalization_share",
        "tertiary_institution_share",
        "tertiary_bed_share",
    },
}


def test_catalogue_covers_the_seed_tables():
    for seed, ids in EXPECTED.items():
        found = {i.id for i in CATALOGUE if i.seed.startswith(seed)}
        assert ids <= found, (seed, ids - found)


def test_every_definition_is_consistent():
    for ind in CATALOGUE:
        assert ind.name_zh and ind.name_en and ind.unit
        assert set(ind.periods) <= set(PERIODS) and set(ind.levels) <= set(LEVELS)
        for m in (ind.numerator, ind.denominator):
            if m is not None:
                assert set(ind.levels) <= set(SOURCES[m.source].levels)
        for part in ind.suppress_on:
            assert getattr(ind, part).agg == "count", ind.id


def test_bad_catalogue_is_reported_with_suggestions(tmp_path):
    path = tmp_path / "cat.yaml"
    path.write_text(
        """version: 1
indicators:
  - id: x
    name_en: X
    name_zh: X
    numerator: {source: encounter, agg: count}
    unit: visits
    periods: [month]
    levels: [total]
    seed: none
  - id: y
    name_en: Y
    name_zh: Y
    numerator: {source: encounters, agg: count, where: {typ: [inpatient]}}
    denominator: {source: population, agg: count}
    unit: "%"
    periods: [month]
    levels: [institution]
    seed: none
    sources: []
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_catalogue(path)
    text = str(err.value)
    assert "unknown source 'encounter'; did you mean 'encounters'" in text
    assert "no column 'typ' to filter on; did you mean 'type'" in text
    assert "source population cannot be broken down by institution" in text
    assert "unknown key 'sources'" in text


def test_measures_say_in_words_which_records_they_count():
    from ihms.indicators.catalogue import SOURCE_RECORDS

    assert set(SOURCE_RECORDS) == set(SOURCES)  # every source can be put in words
    rate = load_catalogue()["hospitalization_rate"].to_dict()
    # the denominator convention a reader must know: year-end (period-end) residents
    assert rate["denominator"] == "number of residents present on the period's last day"
    assert rate["numerator"] == (
        "number of encounters of the unit's residents (wherever treated) where type in (inpatient)"
    )
