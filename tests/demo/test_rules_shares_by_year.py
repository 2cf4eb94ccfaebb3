"""The demo's rule-set table shows a balance use given by year (payment review 24 #14:
a rule file may give ``staff_incentive: {2018: 16%, 2019: 20%}``); before, the table
formatted the year map itself as a rate and failed."""

from decimal import Decimal

from ihms.demo._payment import _share_text, format_rate


def test_a_share_given_by_year_shows_each_years_rate_in_year_order():
    share = {2019: Decimal("0.20"), 2018: Decimal("0.16")}
    assert _share_text(share, format_rate) == "16% (2018), 20% (2019)"


def test_a_share_for_every_year_shows_one_rate():
    assert _share_text(Decimal("0.16"), format_rate) == "16%"
