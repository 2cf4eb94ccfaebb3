"""Session 24 user review, item 17: the notes a reader asked for — the Deqing table's
changes said to be unrounded, the two director scores told apart, Deqing's
family-physician fee stated from its rule file (the simulation table's note about its
own columns is the library's: tests/sim/test_results.py)."""

from decimal import Decimal
from types import SimpleNamespace

import pandas as pd

from ihms.demo._payment_staff import _two_director_scores
from ihms.demo._payment_text import fee_text
from ihms.demo._sim_regimes import unrounded_change_note
from ihms.payment import load_rules


def _seed_frame(before, after):
    return pd.DataFrame(
        {
            "figure": ["Inpatient care outside the county (%)"],
            "simulated_before": [before],
            "simulated_after": [after],
            "simulated_change": [after - before],
        }
    )


def test_an_unrounded_change_that_differs_from_the_shown_figures_is_said():
    # the review's row: 23.0 and 18.4 shown, −4.5 shown (23.0 − 18.4 = −4.6 by hand);
    # exact 22.996 and 18.449: −4.547, which rounds to −4.5
    (note,) = unrounded_change_note(_seed_frame(22.996, 18.449))
    assert "difference of the unrounded shares, as Stata or Excel computes it" in note
    assert (
        "Inpatient care outside the county (%): 18.4490 − 22.9960 = -4.5470, shown as -4.5" in note
    )
    # review 27: 18.4497 printed to three places as 18.450 made a reader expect 18.5
    (note,) = unrounded_change_note(_seed_frame(23.06, 18.4497))
    assert "18.4497 − 23.0600 = -4.6103, shown as -4.6" in note
    # 23.04 → 18.44: shown 23.0 and 18.4, change −4.60 shown −4.6: nothing to say
    assert unrounded_change_note(_seed_frame(23.04, 18.44)) == ()


def test_deqing_s_family_physician_fee_is_its_rule_file_s():
    # deqing-shared-savings.yaml: family_physician_fee: per_member_per_year_yuan: 100
    rules = load_rules("deqing-shared-savings")
    assert rules.family_physician_fee.per_member_per_year_fen == 10_000
    assert fee_text(rules) == "100.00 yuan per registered resident a year"
    assert fee_text(load_rules("sanming")) == ""


def test_the_two_director_scores_are_told_apart():
    rec = SimpleNamespace(assessment=SimpleNamespace(shown_points=Decimal("91.3")))
    rows = {"Directors (illustrative)": {"Mean points": Decimal("86.9")}, "Doctors": {}}
    (note,) = _two_director_scores(rec, rows)
    assert "consortium's director scorecard above (91.3 points)" in note
    assert "decides whether it keeps the balance" in note
    assert "Directors (illustrative) row's mean points (86.9)" in note
    assert "sets their salaries" in note
    assert _two_director_scores(SimpleNamespace(assessment=None), rows) == ()
    assert _two_director_scores(rec, {"Doctors": {}}) == ()
