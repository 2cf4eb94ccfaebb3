"""Assembling a year's settlement inputs from the tables: a scorecard value missing from
the indicator values is named with the file, the year, the subject and the indicator,
every one at once, before anything is settled."""

import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.payment import (
    IndicatorValues,
    load_rules,
    settle_year,
    settlement_inputs,
)


def _values_without(example_dir, *dropped: tuple[int, str, str]) -> IndicatorValues:
    frame = pd.read_csv(example_dir / "indicators.csv", dtype=str)
    keep = pd.Series(True, index=frame.index)
    for year, subject, indicator in dropped:
        keep &= ~(
            (frame["year"] == str(year))
            & (frame["subject"] == subject)
            & (frame["indicator"] == indicator)
        )
    assert (~keep).sum() == len(dropped)  # each dropped row was in the example file
    return IndicatorValues.from_frame(frame[keep], source="ind.csv")


def _inputs(youxi, rules="sanming", **tables):
    """Settlement inputs for 2018 from the example spending and population tables."""
    return settlement_inputs(
        load_rules(rules),
        2018,
        spending=youxi["spending"],
        population=youxi["population"],
        **tables,
    )


def test_every_missing_scorecard_value_is_named_with_file_year_and_subject(example_dir, youxi):
    values = _values_without(
        example_dir,
        (2018, "consortium", "diabetes_control_rate"),
        (2018, "DR-CH01-B", "thc_consultation_days"),
        (2018, "D-CH01", "hypertension_control_rate"),
        (2018, "D-CH01", "outpatient_contacts_primary_share"),
    )
    with pytest.raises(DataError) as err:
        _inputs(youxi, indicators=values, staff=youxi["staff"])
    # before: settle_year stopped at the consortium's first gap, naming neither the file
    # nor the year, and listed fund_balance_rate among the values "given"
    assert str(err.value).splitlines()[0] == (
        "ind.csv: 3 subjects lack scorecard values for 2018; add a row (year, subject, "
        "indicator, value) for each (fund_balance_rate is computed by the settlement)"
    )
    assert err.value.problems == [
        "ind.csv: 2018, subject 'consortium' (director scorecard): no diabetes_control_rate",
        "ind.csv: 2018, subject 'D-CH01' (director scorecard): no "
        "hypertension_control_rate, outpatient_contacts_primary_share",
        "ind.csv: 2018, subject 'DR-CH01-B' (doctor scorecard): no thc_consultation_days",
    ]


def test_complete_values_settle_as_before(youxi):
    inputs = _inputs(youxi, indicators=youxi["indicators"], staff=youxi["staff"])
    assert settle_year(load_rules("sanming"), inputs).salaries is not None


def test_a_roster_without_indicator_values_is_named(youxi):
    with pytest.raises(InputError) as err:
        _inputs(youxi, staff=youxi["staff"], assume_assessment_passed=True)
    # before: twelve "no value for ..." messages, one per staff member
    assert str(err.value) == (
        "examples/payment/staff.csv: rules 'sanming' pay staff by scorecard (director, "
        "doctor), so the staff need indicator values: give them with the roster (parameter "
        "'indicators')"
    ).replace("examples/payment/staff.csv", youxi["staff"].source)


def test_rules_without_scorecards_ask_for_no_values(example_dir, youxi):
    # other-areas pays staff by volume and assesses nothing: gaps do not matter
    values = _values_without(example_dir, (2018, "consortium", "diabetes_control_rate"))
    inputs = _inputs(youxi, "other-areas", indicators=values, staff=youxi["staff"])
    assert inputs.year == 2018
