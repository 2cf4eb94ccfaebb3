from __future__ import annotations

import pytest

from ihms.errors import ConfigError
from ihms.indicators import CATALOGUE, LEVELS, PERIODS, POPULATION_AGGS, SOURCES, load_catalogue
from ihms.indicators._complements import counts_part_of
from ihms.indicators.catalogue import Condition, Measure
from ihms.sources import cite

# DOMAIN section 4 / the seed tables, indicator by indicator, each under the study's
# citation (what `ihms indicators list` prints as its source)
EXPECTED = {
    cite("002", "Table 3"): {
        "outpatient_emergency_visits",
        "hospitalizations",
        "cost_per_outpatient_visit",
        "cost_per_hospitalization",
    },
    # Table 4's visits are the county's 诊疗人次, every outpatient contact
    cite("002", "Table 4"): {
        "hospitalization_rate",
        "outpatient_contacts",
        "outpatient_contacts_primary_share",
    },
    cite("002", "Table 5"): {
        "hypertension_management_rate",
        "hypertension_control_rate",
        "diabetes_management_rate",
        "diabetes_control_rate",
    },
    cite("004", "Table 2"): {
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
    cite("001", "Table 3"): {
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
    # the preventive visits (health examinations) are no seed figure (until 2026-11-26 the
    # catalogue cited Table 4 for them)
    table_4 = {i.id for i in CATALOGUE if i.seed.startswith(cite("002", "Table 4"))}
    assert not any(i.startswith("healthcare_visits") for i in table_4)


def test_every_definition_is_consistent():
    for ind in CATALOGUE:
        assert ind.name_zh and ind.name_en and ind.unit
        assert set(ind.periods) <= set(PERIODS) and set(ind.levels) <= set(LEVELS)
        for m in (ind.numerator, ind.denominator):
            if m is not None:
                assert set(ind.levels) <= set(SOURCES[m.source].levels)
        for part in ind.suppress_on:  # counts of people or events only
            if part != "complement":
                assert getattr(ind, part).agg in ("count", *POPULATION_AGGS), ind.id


def test_every_share_of_counts_hides_its_complement():
    # a share whose numerator counts part of its denominator's records publishes the
    # other part (denominator - numerator): each that hides a small numerator hides a
    # small complement too (secondary suppression), and no other lists complement
    parts = {
        i.id
        for i in CATALOGUE
        if i.denominator is not None and counts_part_of(i.numerator, i.denominator)
    }
    hiding = {i.id for i in CATALOGUE if "numerator" in i.suppress_on}
    complement = {i.id for i in CATALOGUE if "complement" in i.suppress_on}
    assert complement == parts & hiding
    assert {"inpatient_within_county_share", "hypertension_control_rate"} <= complement
    assert "tertiary_institution_share" in parts - complement  # institutions: never hidden


def test_complement_needs_a_part_of_the_denominator():
    count = Measure("encounters", "count", where=(Condition("type", ("inpatient",)),))
    within = Measure(
        "encounters",
        "count",
        where=(Condition("type", ("inpatient",)), Condition("care_level", ("primary",))),
    )
    assert counts_part_of(within, count) and not counts_part_of(count, within)
    wider = Measure("encounters", "count", where=(Condition("type", ("inpatient", "outpatient")),))
    assert counts_part_of(count, wider)
    assert not counts_part_of(Measure("encounters", "sum", "total_cost_fen"), count)
    assert not counts_part_of(
        Measure("resident_encounters", "count"), Measure("encounters", "count")
    )
    # followups >= 4 of a condition's patients is part of them; >= 2 is not part of >= 4
    managed = Measure("chronic_patients", "count", where=(Condition("followups", min=4),))
    assert counts_part_of(
        Measure("chronic_patients", "count", where=(Condition("followups", min=6),)), managed
    )
    assert not counts_part_of(
        Measure("chronic_patients", "count", where=(Condition("followups", min=2),)), managed
    )


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
  - id: z
    name_en: Z
    name_zh: Z
    numerator: {source: encounters, agg: sum, column: total_cost_fen}
    denominator: {source: encounters, agg: count}
    unit: yuan
    periods: [month]
    levels: [total]
    seed: none
    suppress_on: [denominator, complement]
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
    assert (
        "indicators[2] (z): suppress_on names complement (denominator - numerator), allowed only"
        in text
    )


def test_measures_say_in_words_which_records_they_count():
    from ihms.indicators.catalogue import SOURCE_RECORDS

    assert set(SOURCE_RECORDS) == set(SOURCES)  # every source can be put in words
    catalogue = load_catalogue()
    rate = catalogue["hospitalization_rate"].to_dict()
    # the denominator convention a reader must know: the average population, as the
    # yearbook's annual hospitalization rate divides by it
    assert rate["denominator"] == (
        "average population: the mean of the residents present at the period's start "
        "(on the previous period's last day) and on its last day, (start + end) / 2"
    )
    assert rate["unit"] == "admissions per 100 residents, average population"
    assert "年平均人口" in rate["description"]
    beds = catalogue["beds_per_1000"].to_dict()
    assert beds["denominator"] == "number of residents present on the period's last day"
    assert beds["unit"] == "beds per 1,000 residents, year-end population"
    assert rate["numerator"] == (
        "number of encounters of the unit's residents (wherever treated) where type in (inpatient)"
    )
    # staff and beds count where the institutions stand: a county's own, not the
    # hospitals outside it that its residents use
    assert beds["numerator"] == "sum of beds over institution-years of the unit's institutions"
    share = catalogue["tertiary_institution_share"].to_dict()
    assert share["denominator"] == "number of the unit's institutions operating in the year"


def test_each_per_resident_rate_says_which_population_it_divides_by():
    # A flow over the period (admissions) divides by the period's average population, as
    # the yearbook's annual hospitalization rate (居民年住院率) does; a year-end stock
    # (staff, beds: resources are year-end counts) by the residents at year end.
    by_population = {
        i.id: i.denominator.agg
        for i in CATALOGUE
        if i.denominator is not None and i.denominator.source == "population"
    }
    assert by_population == {
        "hospitalization_rate": "mean_start_end",
        "cost_per_resident": "mean_start_end",
        "insurance_paid_per_insured": "mean_start_end",
        "thc_gps_per_10k": "count_end",
        "physicians_per_1000": "count_end",
        "nurses_per_1000": "count_end",
        "beds_per_1000": "count_end",
    }
    for ind_id, agg in by_population.items():
        wanted = "average population" if agg == "mean_start_end" else "year-end population"
        assert CATALOGUE[ind_id].unit.endswith(wanted), ind_id


def _one_indicator(tmp_path, numerator: str, denominator: str):
    path = tmp_path / "cat.yaml"
    path.write_text(
        f"""version: 1
indicators:
  - id: x
    name_en: X
    name_zh: X
    numerator: {numerator}
    denominator: {denominator}
    unit: per 100
    periods: [year]
    levels: [grid]
    seed: none
""",
        encoding="utf-8",
    )
    return path


def test_population_aggregations_are_named_and_checked(tmp_path):
    admissions = "{source: resident_encounters, agg: count, where: {type: [inpatient]}}"
    # a plain count of the population is ambiguous: which day's residents?
    path = _one_indicator(tmp_path, admissions, "{source: population, agg: count}")
    with pytest.raises(
        ConfigError, match=r"agg of source population must be count_end .* got 'count'"
    ):
        load_catalogue(path)
    # the average is a half-integer: a denominator, never a numerator
    path = _one_indicator(
        tmp_path,
        "{source: population, agg: mean_start_end}",
        "{source: population, agg: count_end}",
    )
    with pytest.raises(ConfigError, match="allowed in a denominator only"):
        load_catalogue(path)
    # the population aggregations belong to the population source only
    path = _one_indicator(tmp_path, admissions, "{source: resident_encounters, agg: count_end}")
    with pytest.raises(ConfigError, match="agg must be count or sum, got 'count_end'"):
        load_catalogue(path)
    path = _one_indicator(tmp_path, admissions, "{source: population, agg: count_end, column: x}")
    with pytest.raises(ConfigError, match="a population count takes no column"):
        load_catalogue(path)
    for agg, divisor in (("count_end", 1), ("mean_start_end", 2)):
        path = _one_indicator(tmp_path, admissions, f"{{source: population, agg: {agg}}}")
        assert load_catalogue(path)["x"].denominator.divisor == divisor
