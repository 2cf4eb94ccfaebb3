"""The register's population set against the system file's grid populations (session 20
user review, finding 5). Numbers worked out by hand from tests/indicators/conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes
from ihms.system import parse_system

from .conftest import TINY_YAML


def _population_notes(results):
    return [n for n in empty_period_notes(results) if "register" in n]


def test_no_note_when_the_register_matches_the_grids(tiny_dataset):
    # Register at year end: g1 6 + g2 4 = 10 in 2016 (r9 arrived in March), 6 + 3 = 9 in
    # 2017 (r10 left in July); the grids give 6 + 4 = 10 and 6 + 3 = 9.
    system = parse_system(TINY_YAML, source="tiny.yaml")
    r = compute(tiny_dataset, indicators=["hospitalization_rate"], system=system)
    assert _population_notes(r) == []


def test_note_names_both_numbers_when_they_differ(tiny_dataset):
    # The file says g1 holds 6,000 people in 2016: county c1 has 6,000 + 4 = 6,004 by its
    # grids, 10 in the register -> 0.17 % of it, far past 5 %.
    yaml = TINY_YAML.replace("population: {2016: 6, 2017: 6}", "population: {2016: 6000, 2017: 6}")
    system = parse_system(yaml, source="tiny.yaml")
    r = compute(tiny_dataset, indicators=["hospitalization_rate"], system=system)
    (note,) = _population_notes(r)
    assert "c1" in note and "2016" in note and "6,004" in note and "10" in note
    assert "hospitalization_rate" in note
    # not said for indicators that divide by no population
    v = compute(tiny_dataset, indicators=["referrals_up"], system=system)
    assert _population_notes(v) == []


def test_grid_populations_as_the_denominator(tiny_dataset):
    yaml = TINY_YAML.replace("population: {2016: 6, 2017: 6}", "population: {2016: 600, 2017: 610}")
    system = parse_system(yaml, source="tiny.yaml")
    r = compute(
        tiny_dataset,
        indicators=["hospitalization_rate", "beds_per_1000"],
        level="county",
        system=system,
        population="grids",
    )
    rows = r.select(units=["c1"], periods=["2017"]).set_index("indicator")
    # 2017 hospitalization rate: stays of c1's residents i4, i5 = 2 over the average of
    # the 2016 and 2017 figures, ((600 + 4) + (610 + 3)) / 2 = 608.5.
    assert rows.loc["hospitalization_rate", "denominator"] == pytest.approx(608.5, rel=1e-12)
    assert rows.loc["hospitalization_rate", "value"] == pytest.approx(200 / 608.5, rel=1e-12)
    # beds per 1,000 at the end of 2017: 130 beds over the 2017 figure 613.
    assert rows.loc["beds_per_1000", "denominator"] == 613
    notes = [n for n in empty_period_notes(r) if "system file" in n]
    assert notes and "grid populations" in notes[0]


def test_grid_populations_by_month_take_the_year_figure(tiny_dataset):
    yaml = TINY_YAML.replace("population: {2016: 6, 2017: 6}", "population: {2016: 600, 2017: 610}")
    system = parse_system(yaml, source="tiny.yaml")
    r = compute(
        tiny_dataset,
        indicators=["hospitalization_rate"],
        level="county",
        period="month",
        system=system,
        population="grids",
    )
    row = r.select(units=["c1"], periods=["2017-02"]).iloc[0]
    # February 2017: i4 (r8 at THC2, 2017-02-01) -> 1 stay; a month takes its year's
    # figure at both ends: 610 + 3 = 613.
    assert (row.numerator, row.denominator) == (1, 613)
    assert row.value == pytest.approx(100 / 613, rel=1e-12)


def test_grids_population_needs_the_system_file(tiny_dataset):
    from ihms.errors import InputError

    with pytest.raises(InputError, match="system="):
        compute(tiny_dataset, indicators=["hospitalization_rate"], population="grids")


def _without_g2(yaml: str) -> str:
    """The tiny file with grid g2 renamed g9: the data's g2 has no figure in it."""
    return (
        yaml.replace("id: g2,", "id: g9,")
        .replace("grid: g2}", "grid: g9}")
        .replace("[g1, g2]", "[g1, g9]")
    )


def test_a_data_grid_missing_from_the_file_is_missing_not_0(tiny_dataset):
    # Session 20 review A, H1: g2 holds residents r7-r10 in the data but the file has
    # no g2. Its population is unknown: g2 missing, and so c1 (g1 + g2), not 6 + 0.
    system = parse_system(_without_g2(TINY_YAML), source="tiny.yaml")
    grid, county = (
        compute(
            tiny_dataset,
            indicators=["hospitalization_rate"],
            level=level,
            system=system,
            population="grids",
        )
        for level in ("grid", "county")
    )
    g2 = grid.select(units=["g2"], periods=["2016"]).iloc[0]
    assert pd.isna(g2.denominator) and pd.isna(g2.value)
    g1 = grid.select(units=["g1"], periods=["2016"]).iloc[0]
    assert g1.denominator == 6  # the file's 2016 figure, both ends of the first year
    c1 = county.select(units=["c1"], periods=["2016"]).iloc[0]
    assert pd.isna(c1.denominator) and pd.isna(c1.value)
    (note,) = [n for n in empty_period_notes(county) if "g2" in n]
    assert "system file" in note and "missing" in note


def test_the_note_percentage_is_never_in_scientific_notation(tiny_dataset):
    # Session 20 review A, M3: the file gives g1 4 in 2016 -> c1 4 + 4 = 8 by the file,
    # 10 in the register: 125 %, written so (not 1.2e+02 %).
    yaml = TINY_YAML.replace("population: {2016: 6, 2017: 6}", "population: {2016: 4, 2017: 6}")
    system = parse_system(yaml, source="tiny.yaml")
    r = compute(tiny_dataset, indicators=["hospitalization_rate"], system=system)
    (note,) = _population_notes(r)
    assert "10 in the register, 8 by the system file's grids (125 %)" in note
    assert "e+" not in note


def test_percentages_written_plainly():
    from ihms.indicators._system_file import _percent

    assert [_percent(x) for x in (1200.4, 125.0, 99.6, 5.0, 100 * 10 / 6004, 0.004, 0)] == [
        "1,200",
        "125",
        "100",
        "5",
        "0.17",
        "< 0.01",
        "0",
    ]
