"""Every stats table prints a p-value the one way: three decimals, as Stata's and
statsmodels' coefficient tables print ``P>|t|``, and a p below 0.001 as ``<0.001`` —
never ``0`` or ``0.0000`` (a tail that underflowed to 0.0 is not zero) nor ``7.1e-36``.
The numbers behind the table (``to_frame``, ``to_dict``) stay exact."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from scipy import stats

from ihms.stats import (
    ITSModel,
    chi2_independence,
    cohens_kappa_from_table,
    fit_its_batch,
    fleiss_kappa_from_counts,
    gwet_ac1_from_table,
    trend_test,
)

_SCIENTIFIC = re.compile(r"\d[eE][-+]?\d")


def _rendered(table) -> list[str]:
    console = Console(width=120, record=True, file=None, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    return [table.to_text(), table.to_html(), cap.get()]


def _p_cells(table, column: str) -> list[str]:
    """The column's cells as the text rendering prints them."""
    header, rows, _ = table._cells()
    j = header.index(column)
    return [r[j] for r in rows]


def _series(n: int = 48, jump: float = 400.0) -> pd.DataFrame:
    """A monthly series with a level change far beyond its noise: p of the change and of
    the model F test underflow (statsmodels gives 0.0 or ~1e-60)."""
    t = np.arange(n)
    noise = np.random.default_rng(11).normal(0, 1.0, n)
    y = 1000 + 3 * t + jump * (t >= 24) + 0.02 * (t >= 24) * (t - 24) + noise
    months = pd.period_range("2016-01", periods=n, freq="M").astype(str)
    return pd.DataFrame({"month": months, "visits": y})


def test_trend_and_chi_square_tables_print_an_underflowed_p_as_below_0_001():
    events, totals = [100_000, 200_000, 300_000], [1_000_000] * 3
    trend = trend_test(events, totals)
    assert trend.pvalue == stats.chi2.sf(trend.chi2, 1) == 0.0  # underflowed, exact
    # trend, departure from linear (the proportions lie on a line: p near 1), overall
    assert _p_cells(trend.summary(), "p") == ["<0.001", "1.000", "<0.001"]
    independence = chi2_independence(events, totals)
    assert independence.pvalue == 0.0
    assert _p_cells(independence.summary(), "p") == ["<0.001"]
    assert independence.summary().to_frame()["p"].iloc[0] == 0.0  # the number stays


def test_a_p_above_0_001_keeps_three_decimals():
    # Stata ptrend on 83/86, 90/93, 129/136, 70/82 (the trend module's docstring example):
    # chi2 for trend 6.27, p = 0.0123 — printed as Stata's tables print P: 0.012
    trend = trend_test([83, 90, 129, 70], [86, 93, 136, 82])
    assert _p_cells(trend.summary(), "p")[0] == f"{trend.pvalue:.3f}"
    assert 0.001 < trend.pvalue < 1


@pytest.mark.parametrize(
    ("result", "columns"),
    [
        (lambda: cohens_kappa_from_table([[5000, 10], [10, 5000]]), ["p>z", "p>|z|"]),
        (lambda: gwet_ac1_from_table([[5000, 10], [10, 5000]]), ["p>|t|"]),
        (
            lambda: fleiss_kappa_from_counts(np.array([[3, 0], [0, 3]] * 3000 + [[2, 1]] * 5)),
            ["p>z", "p>|z|"],
        ),
    ],
    ids=["cohen", "gwet", "fleiss"],
)
def test_agreement_tables_print_an_underflowed_p_as_below_0_001(result, columns):
    res = result()
    table = res.summary()
    for column in columns:
        assert table.to_frame()[column].iloc[0] < 1e-300  # exact: 0.0 or a denormal
        assert set(_p_cells(table, column)) == {"<0.001"}
    for shown in _rendered(table):
        assert "<0.001" in shown or "&lt;0.001" in shown
        assert not _SCIENTIFIC.search(shown)


def test_its_tables_print_p_to_three_decimals_and_below_0_001_as_such():
    res = ITSModel(_series(), outcome="visits", time="month", interruptions="2018-01").fit(
        cov_type="newey", lags=1
    )
    table = res.summary()
    p = res.pvalues
    jump = next(term for term in p.index if term.startswith("_x2"))  # itsa's _x2018m1
    assert p[jump] < 1e-20  # the jump: its p underflows toward 0
    assert (p > 0.001).any()  # and a term printed to three decimals
    cells = dict(zip(table.to_frame().index, _p_cells(table, "p"), strict=True))
    for term, value in p.items():
        # the rule written out independently of the code: Stata's P>|t| to 3 decimals
        assert cells[term] == ("<0.001" if value < 0.001 else f"{value:.3f}"), term
    assert res.to_dict()["params"][jump]["p"] == p[jump]  # exact in JSON
    test = res.model_test
    assert test["p"] < 0.001 and "Prob > F < 0.001" in table.to_text()
    trend_cells = _p_cells(res.post_trend_summary(), "p")
    assert trend_cells == ["<0.001"] and res.post_trend["p"].iloc[0] < 0.001


def test_breusch_godfrey_table_prints_an_underflowed_p_as_below_0_001():
    n = 120
    t = np.arange(n)
    # a strongly autocorrelated residual (a slow sine the segments do not fit)
    y = 1000 + 3 * t + 200 * (t >= 60) + 50 * np.sin(2 * np.pi * t / 40)
    months = pd.period_range("2010-01", periods=n, freq="M").astype(str)
    data = pd.DataFrame({"month": months, "visits": y})
    model = ITSModel(data, outcome="visits", time="month", interruptions="2015-01")
    bg = model.lag_tests(max_lag=2)
    assert (bg.table["p"] < 1e-15).all()
    table = bg.summary()
    assert _p_cells(table, "p") == ["<0.001", "<0.001"]
    assert all(c == "<0.001" or c == f"{float(c):.3f}" for c in _p_cells(table, "lag_p"))


def test_its_batch_table_prints_p_columns_alike():
    one = _series()
    data = pd.concat(
        [one.assign(hospital="A"), one.assign(hospital="B", visits=one["visits"] * 1.5)],
        ignore_index=True,
    )
    batch = fit_its_batch(
        data, outcome="visits", time="month", series="hospital", interruptions="2018-01"
    )
    table = batch.summary()
    p_columns = [c for c in table.to_frame() if str(c).startswith("p ")]
    assert p_columns
    frame = table.to_frame()
    for column in p_columns:
        expected = ["<0.001" if v < 0.001 else f"{v:.3f}" for v in frame[column]]
        assert _p_cells(table, column) == expected
    assert any((frame[c] < 0.001).any() for c in p_columns)


# R's format.pval(c(0.0504, 0.0496, 0.04996), digits = 3) prints "0.0504" "0.0496"
# "0.04996": three decimals alone print all three as 0.050, which a reader at alpha = 0.05
# cannot place on either side of it.
@pytest.mark.parametrize(
    ("p", "shown"),
    [
        (0.0504, "0.0504"),
        (0.0496, "0.0496"),
        (0.04996, "0.04996"),
        (0.05, "0.050"),  # at the level itself: p < alpha does not reject
        (0.0096, "0.0096"),  # the 1 % level
        (0.1004, "0.1004"),  # the 10 % level
        (0.0514, "0.051"),  # three decimals already tell the side
    ],
)
def test_a_p_that_three_decimals_round_onto_a_level_shows_its_side(p, shown):
    from ihms.summary import format_p

    assert format_p(p) == shown
    assert (float(shown) < 0.05) == (p < 0.05) or float(shown) == p


def test_the_breusch_godfrey_table_shows_a_deciding_lag_p_on_its_side_of_alpha():
    # review13: lag 1's own test had p = 0.0496 and chose a Newey-West lag of 1 at
    # alpha = 0.05, but the table printed 0.050; lag 2's 0.0504 (not significant) did too.
    from ihms.stats import BreuschGodfreyTest

    table = pd.DataFrame(
        {
            "chi2": [3.9, 6.0],
            "df": [1, 2],
            "p": [0.0483, 0.0498],
            "nobs": [48, 48],
            "lag_coef": [0.3, 0.2],
            "lag_t": [2.02, 2.0],
            "lag_p": [0.0496, 0.0504],
        },
        index=pd.Index([1, 2], name="lag"),
    )
    bg = BreuschGodfreyTest(table, alpha=0.05, suggested_lag=1, zero_padded=True)
    assert _p_cells(bg.summary(), "lag_p") == ["0.0496", "0.0504"]
    assert _p_cells(bg.summary(), "p") == ["0.048", "0.0498"]
    # a level of the user's own: 0.0096 and 0.0104 both round to 0.010 at alpha = 0.01
    at_1pct = BreuschGodfreyTest(
        table.assign(lag_p=[0.0096, 0.0104]), alpha=0.01, suggested_lag=1, zero_padded=True
    )
    assert _p_cells(at_1pct.summary(), "lag_p") == ["0.0096", "0.0104"]
    at_2pct = BreuschGodfreyTest(
        table.assign(lag_p=[0.0196, 0.0204]), alpha=0.02, suggested_lag=1, zero_padded=True
    )
    assert _p_cells(at_2pct.summary(), "lag_p") == ["0.0196", "0.0204"]
