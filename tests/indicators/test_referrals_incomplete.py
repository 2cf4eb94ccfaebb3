"""Referral counts follow the rule of the counts over encounters: a month the unit's
counties' extracts lack is empty, not 0, while a month they hold without a referral is
a true 0. Worked by hand.

The data are ``test_empty_periods_by_county.py``'s two counties of 2016. Referrals: x1,
CH (c1, secondary, rank 3) to PH (``out``, tertiary, rank 4) on 2016-11-19: up, sent by
CH, received by PH. c1 lacks January and September, c2 March to June, August and
November, the store July, October and December.

* referrals_up of c1: empty in c1's and the store's months; November x1 = 1; February
  0 (c1's extract has February: no referral is a true 0). Before, January, September,
  July, October and December were 0 too.
* referrals_up_received of PH: PH is of a county without an extract of its own, so it
  counts every county's records: empty in every month either county lacks, November
  included (c2 lacks it: its residents' referrals there are unknown); of THC3 (c2): c2's
  and the store's months.
* referral_down_up_ratio of c1: November 0 down over 1 up = 0; January numerator and
  denominator empty.
* by year: c1's 2016 keeps x1 = 1 (no county lacks the whole year), and the note says
  the yearly value lacks c1's two months.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

from .test_empty_periods import row
from .test_empty_periods_by_county import missing, two_counties
from .test_pooled_rollup_incomplete import C1_OR_STORE, C2_OR_STORE, EITHER_LACKS

UP, RECEIVED, RATIO = "referrals_up", "referrals_up_received", "referral_down_up_ratio"


@pytest.fixture(scope="module")
def data():
    return two_counties()


def test_a_referral_count_is_empty_in_a_month_its_county_lacks(data):
    r = compute(data, indicators=[UP, RATIO], level="county", period="month")
    assert missing(r, UP, "c1") == C1_OR_STORE
    assert row(r, UP, "2016-11", "c1")["numerator"] == 1  # x1
    assert row(r, UP, "2016-02", "c1")["numerator"] == 0  # held, no referral: a true 0
    january = row(r, RATIO, "2016-01", "c1")
    assert pd.isna(january["numerator"]) and pd.isna(january["denominator"])
    november = row(r, RATIO, "2016-11", "c1")
    assert (november["numerator"], november["denominator"], november["value"]) == (0, 1, 0)
    (store, c1, _) = empty_period_notes(r)
    assert store.startswith(
        "encounters: none in 3 of the period's 12 months (2016-07, 2016-10, 2016-12); the "
        "indicators by month over encounters, referrals and follow-ups are left empty there"
    )
    assert "none for county c1 in 2 more" in c1


def test_a_received_count_follows_the_receivers_counties(data):
    r = compute(data, indicators=[RECEIVED], level="institution", period="month")
    assert missing(r, RECEIVED, "PH") == EITHER_LACKS
    assert missing(r, RECEIVED, "THC3") == C2_OR_STORE
    assert row(r, RECEIVED, "2016-02", "PH")["numerator"] == 0


def test_a_yearly_referral_count_is_kept(data):
    r = compute(data, indicators=[UP], level="county", period="year")
    assert row(r, UP, "2016", "c1")["numerator"] == 1
    (note,) = [n for n in empty_period_notes(r) if "none for county c1" in n]
    assert "the yearly values of referrals_up for its county" in note
