"""``scored_indicators``: the one reading of which indicator ids a rule set's scorecards
score (session 36; written three times before, in ``sim.compare._settle``,
``check_scorecard_values`` and ``check_indicator_ids``). The ids are those of
``payment/rulesets/sanming.yaml``'s director card (fund_balance_rate,
hypertension_control_rate, diabetes_control_rate, outpatient_contacts_primary_share)
and doctor card (health_education_sessions, health_management_rate,
thc_consultation_days)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.payment import (
    BUILTIN_RULES,
    IndicatorValues,
    Scorecard,
    ScorecardIndicator,
    ThresholdScoring,
    check_indicator_ids,
    load_rules,
    scored_indicators,
)

SANMING = {
    "fund_balance_rate",
    "hypertension_control_rate",
    "diabetes_control_rate",
    "outpatient_contacts_primary_share",
    "health_education_sessions",
    "health_management_rate",
    "thc_consultation_days",
}


def _other_card_rules():
    """Sanming's rules with a nurse's card scoring one id of its own."""
    rules = load_rules("sanming")
    line = ScorecardIndicator("bed_days", "Bed days", Decimal(1), ThresholdScoring(Decimal(0)))
    cards = {**rules.staff_pay.scorecards, "nurse": Scorecard("nurse", (line,), Decimal("0.6"))}
    return replace(rules, staff_pay=replace(rules.staff_pay, scorecards=cards))


def test_every_cards_lines_of_one_or_several_rule_sets():
    assert scored_indicators(load_rules("sanming")) == SANMING
    assert scored_indicators(_other_card_rules()) == SANMING | {"bed_days"}
    assert scored_indicators(load_rules("sanming"), _other_card_rules()) == SANMING | {"bed_days"}


@pytest.mark.parametrize("name", [n for n in BUILTIN_RULES if n != "sanming"])
def test_rules_paying_by_volume_score_nothing(name):
    assert scored_indicators(load_rules(name)) == set()
    assert scored_indicators() == set()


def test_check_indicator_ids_knows_every_rule_sets_ids():
    frame = pd.DataFrame(
        {"year": [2018], "subject": ["n1"], "indicator": ["bed_days"], "value": ["0.7"]}
    )
    values = IndicatorValues.from_frame(frame, source="ind.csv")
    with pytest.raises(DataError, match="do not score"):
        check_indicator_ids(values, [load_rules("sanming")])
    check_indicator_ids(values, [load_rules("sanming"), _other_card_rules()])
    check_indicator_ids(values, [load_rules("mssp")])  # scores nothing: checks nothing
