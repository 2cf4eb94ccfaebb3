"""The ITS section and the brief say what was fitted and what the config reformed: the
months and span of the series fitted, the county, its reform month and its payment
regime's rules — not Youxi's 46 months (February 2016 to November 2019) under Sanming's
global budget written in by hand (session 20 brief, item 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.demo._brief import opening
from ihms.demo._its import _prose
from ihms.demo._its_text import OUTCOMES, fitted_months, reform_payment
from ihms.stats import ITSModel


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def small_fits():
    """The four outcomes over 30 months, January 2018 to June 2020, interrupted in March
    2019: a small series, so no seasonal adjustment."""
    months = pd.period_range("2018-01", periods=30, freq="M").astype(str)
    t = np.arange(30, dtype=float)
    wiggle = np.sin(t * 1.7)  # deterministic noise, so the fit is not exact
    post = np.maximum(t - 14, 0)
    data = pd.DataFrame(
        {
            "month": months,
            "outpatient_emergency_visits": 30000 + 500 * t - 400 * post + 900 * wiggle,
            "hospitalizations": 2000 + 15 * t - 10 * post + 40 * wiggle,
            "cost_per_outpatient_visit": 130 - 0.1 * t + 0.2 * post + 0.5 * wiggle,
            "cost_per_hospitalization": 5500 + 2 * t + 8 * post + 30 * wiggle,
        }
    )
    return {
        o: ITSModel(data, outcome=o, time="month", interruptions="2019-03").fit(lags=1)
        for o in OUTCOMES
    }


def test_fitted_months_are_the_fits_own(small_fits):
    count, first, last = fitted_months(small_fits["hospitalizations"])
    assert (count, str(first), str(last)) == (30, "2018-01", "2020-06")


def test_the_its_prose_names_the_series_fitted_and_the_configs_reform(small_fits):
    paragraphs = _prose(
        small_fits,
        "",
        reform="2019-03",
        county="Otherton county",
        regime="other-areas",
    )
    intro = _flat(paragraphs[0])
    assert (
        "30 months of county-hospital activity (January 2018 to June 2020, reform from March 2019)"
        in intro
    )
    # the regime's own rules, as the payment section names them (Other areas' title)
    assert intro.startswith(
        "Otherton county's payment reform moved its medical-insurance fund from paying "
        "hospitals per service to Other areas of China (history-based budget (the ratchet), "
        "shared overspend)."
    )
    assert "fitted in its Table 3" not in intro  # not the study's window
    whole = _flat(" ".join(paragraphs))
    for stale in ("46 months", "February 2016", "November 2019", "a global budget the consortium"):
        assert stale not in whole
    assert "By June 2020 the hospitals saw" in _flat(paragraphs[1])


def test_a_county_without_a_reform_is_not_said_to_have_one(small_fits):
    intro = _flat(
        _prose(
            small_fits, "", reform="2019-03", county="Otherton county", regime="fee-for-service"
        )[0]
    )
    assert intro.startswith(
        "Otherton county stays on Fee for service (every claim paid, no budget)"
    )
    assert "If that worked" not in intro and "interrupted at March 2019" in intro


def test_reform_payment_words_each_regime_by_its_rules():
    assert reform_payment("sanming") == (
        "Sanming IMPM (population-based global budget, balance kept by the consortium)"
    )
    assert reform_payment("deqing").startswith("Deqing CIHO (total-cost-of-care shared savings")


def test_the_briefs_opening_names_the_configs_county_month_and_regime():
    text = _flat(opening("2018-04", "Otherton county", "deqing", "fee-for-service"))
    assert text.startswith(
        "A county that pays its integrated consortium under Deqing CIHO (total-cost-of-care "
        "shared savings, blended primary-care payment), as the simulated Otherton county "
        "does from April 2018, should see care move"
    )
    assert "on a simulated Otherton county" in text
    assert "Youxi" not in text and "October 2017" not in text and "Sanming" not in text
    youxi = _flat(opening("2017-10", "Youxi", "sanming", "fee-for-service"))
    assert "under Sanming IMPM (population-based global budget, balance kept by the " in youxi
    assert "as Youxi has since October 2017" in youxi
    # no reform: the chain is Sanming's, and the county is said to stay on fee for service
    plain = _flat(opening("2019-01", "Otherton county", "fee-for-service", "fee-for-service"))
    assert "that stays on Fee for service (every claim paid, no budget)" in plain
    assert "as if from January 2019" in plain


def test_the_opening_says_youxi_has_only_what_youxi_did():
    # review B item 4: Youxi's reform was Sanming's IMPM from October 2017 (seed 002);
    # another month or regime is the simulated county's, not Youxi's
    late = _flat(opening("2018-07", "Youxi county", "sanming", "fee-for-service"))
    assert "as the simulated Youxi county does from July 2018" in late
    assert "has since" not in late
    deqing = _flat(opening("2017-10", "Youxi county", "deqing", "fee-for-service"))
    assert "as the simulated Youxi county does from October 2017" in deqing
    own = _flat(opening("2017-10", "Youxi county", "sanming", "fee-for-service"))
    assert "as Youxi county has since October 2017" in own


def test_no_reform_is_the_configs_baseline_regime():
    # review B item 3: a run of the baseline regime is no reform, whatever it is called
    other = _flat(opening("2017-10", "Otherton county", "other-areas", "other-areas"))
    assert "no reform;" in other
    to_fee = _flat(opening("2017-10", "Otherton county", "fee-for-service", "other-areas"))
    assert "no reform" not in to_fee


def test_the_payment_years_text_reads_the_same_no_reform_rule():
    # review B item 3: the payment section asks is_reform too, not the rules' kind
    from ihms.demo._payment_baseline import years_text

    base = {"county": "Otherton county", "first": 2018, "baseline": 2017}
    other = _flat(years_text("2017-10", regime="other-areas", reformed=False, **base))
    assert "has no reform" in other
    to_fee = _flat(years_text("2017-10", regime="fee-for-service", reformed=True, **base))
    assert "has no reform" not in to_fee


def test_the_study_s_window_is_said_to_be_the_study_s(its_fits):
    # Session 24 review, item 17: "February 2016 to November 2019" read as the simulation's
    # span, which runs whole years; seed 002 fitted its Table 3 on those 46 months
    from ihms.demo._its_text import reform_intro

    intro = reform_intro(
        its_fits()["hospitalizations"],
        reform="2017-10",
        county="Youxi county",
        regime="sanming",
        baseline="fee-for-service",
    )
    assert "46 months of county-hospital activity (February 2016 to November 2019" in intro
    assert "These are the months Zhong et al. 2023 fitted in its Table 3." in intro
    assert "The simulation runs whole years" in intro


def test_a_post_reform_slope_whose_interval_holds_zero_is_not_said_to_be_flat():
    # 95% CI -1.0 to 5.0: a slower rise, a flat trend and a fall all fit it; "growth
    # stopped" (until session 25) said the trend was flat.
    from ihms.demo._its_text import _stays_after

    text = _stays_after(pd.Series({"coef": 2.0, "ci_low": -1.0, "ci_high": 5.0, "p": 0.2}), -3.0)
    assert "stopped" not in text
    assert text == (
        "the post-reform slope cannot be told from zero, so the data do not say whether "
        "they still rise, level off or fall"
    )
    rising = pd.Series({"coef": 6.1, "ci_low": 0.3, "ci_high": 11.8, "p": 0.038})
    assert _stays_after(rising, -3.0).startswith("they are still rising, more slowly than before")
