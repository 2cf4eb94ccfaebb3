"""The indicators section's cost per visit and per stay show yuan to the fen, 2
decimals (review of the demo report, session 18, finding 15: "Cost per outpatient and
emergency visit, THCs (yuan) 39.7788")."""

from __future__ import annotations

import pandas as pd

from ihms.demo._indicators import _cost_table

#: the simulated county's values of the review's report (2016, 2017)
COSTS = {
    ("cost_per_outpatient_visit", "primary_centre"): [39.7788, 39.8716],
    ("cost_per_outpatient_visit", "secondary"): [252.0242, 247.5326],
    ("cost_per_hospitalization", "primary_centre"): [1306.1442, 1331.3810],
    ("cost_per_hospitalization", "secondary"): [4033.9047, 4146.5024],
}


class _ByTier:
    def series(self, indicator, tier):
        return pd.Series(COSTS[indicator, tier], index=["2016", "2017"])


def test_costs_show_two_decimals_of_a_yuan():
    text = _cost_table(_ByTier(), "Youxi (simulated)").to_text()
    for values in COSTS.values():
        for v in values:
            assert f"{v:,.2f}" in text, (v, text)
            assert f"{v:,.4f}" not in text
