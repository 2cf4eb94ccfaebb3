"""Yuan typed as fen under rules with no premium to measure against (payment review
2026-11-25, finding 7): ``other-areas`` sets its budget from the previous years'
spending and ``deqing-shared-savings`` its benchmark, so a table 100 times too small in
every year shrinks them alike and settled without a word.

Worked by hand on the example tables with every fen amount divided by 100 and truncated
(``test_plausibility``): 2018's charged spending (consortium + outside the county) is
211,973,999 fen over 347,520 insured = 6.10 yuan a head, under the 7-yuan floor; Deqing
charges private care too, 218,473,999 fen = 6.29 yuan a head, and its family-physician
fee, 151,000 registered × 100 yuan = 15,100,000.00 yuan (the review's own working), is
above all of it. The example as given, 609.96 yuan a head, is not warned.
"""

from __future__ import annotations

import json

import pytest
from tests.payment.test_plausibility import EX, _settle, _yuan_in_fen_columns

FLOOR = "is under 7.00 yuan (no county's whole year comes near it)"


@pytest.mark.parametrize(
    ("rules", "per_head"),
    [("other-areas", "6.10"), ("deqing-shared-savings", "6.29"), ("fee-for-service", "6.10")],
)
def test_yuan_typed_as_fen_is_warned_without_a_premium(tmp_path, rules, per_head):
    path = _yuan_in_fen_columns(tmp_path)
    r = _settle(path, "--rules", rules, "--json")
    assert r.exit_code == 0, r.output  # a warning, not a refusal
    (warned,) = [n for n in json.loads(r.stdout)["notes"] if "per insured person" in n]
    assert warned.startswith(f"Charged spending of {per_head} yuan per insured person in 2018 ")
    assert FLOOR in warned
    assert f"column 'insurance_paid_fen' of {path}" in warned
    assert "read 100 times too small" in warned


def test_a_family_physician_fee_above_all_the_spending_is_named(tmp_path):
    r = _settle(_yuan_in_fen_columns(tmp_path), "--rules", "deqing-shared-savings", "--json")
    (warned,) = [n for n in json.loads(r.stdout)["notes"] if "per insured person" in n]
    assert (
        "and the family-physician fee of 15,100,000.00 yuan is above all the spending "
        "charged, 2,184,739.99 yuan: amounts in yuan"
    ) in warned


@pytest.mark.parametrize("rules", ["other-areas", "deqing-shared-savings", "fee-for-service"])
def test_the_example_tables_are_not_warned(rules):
    r = _settle(EX / "spending.csv", "--rules", rules, "--json")
    assert r.exit_code == 0, r.output
    assert not [n for n in json.loads(r.stdout)["notes"] if "per insured person" in n]
