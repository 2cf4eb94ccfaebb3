"""The payment demo's rule table states each rule set's rates one way."""

from __future__ import annotations

from ihms.demo._payment import _rules_section
from ihms.payment import load_rules


def test_the_rule_table_writes_every_rate_alike():
    sec = _rules_section(load_rules("sanming"), load_rules("other-areas"))
    frame = sec.tables()[0].table.to_frame()
    # The built-in rule files (their assumptions are listed under the table): seed 002
    # gives the 16% staff incentive of 2018; the other shares are the files' choices.
    assert frame.loc["Uses of the balance", "Sanming"] == (
        "staff incentive 16%, cooperation 24%, health promotion 20%, institutional development 40%"
    )
    # the limit is on the overspend shared, not on what the insurer pays (review P): it
    # pays 50% of the overspend up to 10% of the budget, so at most 5% of the budget
    assert frame.loc["Overspending", "Other areas"] == (
        "insurer pays 50% of the overspend up to 10% of the budget (so at most 5% of the "
        "budget); the consortium bears the rest"
    )
    assert frame.loc["Balance", "Other areas"] == "50% kept"
    assert frame.loc["How the budget is set", "Other areas"] == (
        "last year's per-capita spending × 1.05 × population"
    )
