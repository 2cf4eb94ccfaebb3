"""Each indicator is shown one way in a table, whatever the level or its neighbours."""

from __future__ import annotations

from ihms.indicators.catalogue import CATALOGUE
from ihms.indicators.results import shown_decimals


def test_the_decimals_of_each_indicator():
    assert shown_decimals(CATALOGUE["outpatient_emergency_visits"]) == {
        "value": 0, "numerator": 0, "denominator": 0,
    }  # fmt: skip
    assert shown_decimals(CATALOGUE["insurance_inside_county_share"])["value"] == 2
    # the average population is (start + end) / 2: a half shows as .5
    assert shown_decimals(CATALOGUE["hospitalization_rate"]) == {
        "value": 2, "numerator": 0, "denominator": 1,
    }  # fmt: skip
    # a rate is 2 decimals even when every value is whole; a count never has any
    counts = [i.id for i in CATALOGUE if shown_decimals(i)["value"] == 0]
    assert all(CATALOGUE[i].denominator is None for i in counts)
    assert set(counts) == {
        "outpatient_emergency_visits", "hospitalizations", "healthcare_visits",
        "outpatient_contacts", "referrals_up", "referrals_down", "referrals_up_received", "referrals_down_received",
        "off_pathway_referrals",
    }  # fmt: skip
