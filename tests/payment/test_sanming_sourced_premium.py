"""The built-in sanming rules on the example tables (examples/payment), as a user settling
them sees since session 36, when the premium came to be the national minimum financing of
resident medical insurance.

Worked by hand. Premium (subsidy + individual contribution a head): 490 + 220 = 710 yuan
in 2018 (Xinhua, 25 July 2018); 520 + 250 = 770 yuan in 2019 (the subsidy: Xinhua, 13 May
2019; the individual 250 yuan from a city's notice restating the 2019 circular).
Reserves 3 % and 5 % (assumptions of sanming.yaml), the staff incentive 16 % of a kept
balance (Zhong et al. 2023).

- 2018: 347,520 insured × 710.00 = 246,739,200.00; less 7,402,176.00 and 12,336,960.00
  = 227,000,064.00 yuan.
- 2019: 348,480 × 770.00 = 268,329,600.00; less 8,049,888.00 and 13,416,480.00
  = 246,863,232.00 yuan.

The spending charged to the budget does not depend on the premium: 211,974,013.23 yuan
in 2018 and 219,311,291.31 in 2019, the consortium's and outside-county rows of
spending.csv summed by hand in test_settle_years' docstring. So the balances are
227,000,064.00 − 211,974,013.23 = 15,026,050.77 and 246,863,232.00 − 219,311,291.31 =
27,551,940.69 yuan, and the staff pools 16 % of them, rounded half up: 2,404,168.12 and
4,408,310.51 yuan.
"""

from __future__ import annotations

import pytest

from ihms.payment import load_rules, settle_year, settlement_inputs

HAND = {  # year: (budget, charged, balance, staff pool), in fen
    2018: (22_700_006_400, 21_197_401_323, 1_502_605_077, 240_416_812),
    2019: (24_686_323_200, 21_931_129_131, 2_755_194_069, 440_831_051),
}


@pytest.mark.parametrize("year", sorted(HAND))
def test_the_example_settles_to_the_balances_worked_by_hand(youxi, year):
    rules = load_rules("sanming")
    record = settle_year(rules, settlement_inputs(rules, year, **youxi))
    budget, charged, balance, pool = HAND[year]
    assert record.budget.global_budget_fen == budget
    assert record.charged_fen == charged
    assert record.balance_fen == balance == budget - charged
    assert record.assessment_passed
    assert record.salaries.pool_fen == pool
