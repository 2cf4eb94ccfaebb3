"""A series observed every few years, as Stata reads it after ``tsset year, delta(2)``.

Linden's ``itsa.ado`` (3.7.0, 12Jan2026) builds the regressors from the tsset time
itself: ``gen _t = `tvar' - `tvar'[1]`` and ``gen _x_t<P> = (`tvar' - `t') * _x<P>``, so
with ``delta(2)`` on years ``_t`` runs 0, 2, 4, ... (years, not periods), while the lag
operators ``newey``, ``prais`` and ``estat bgodfrey`` use step one period of ``delta``.
Fitting the same values with the periods numbered 1..n therefore gives, by hand: the
same levels (``_x``, ``_cons``) and tests; the slopes (``_t``, ``_x_t``) and their
standard errors divided by ``delta``; the same rho and Breusch-Godfrey statistics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.stats import ITSModel

_Y = [20.1, 21.9, 22.4, 24.6, 25.0, 26.8, 24.2, 23.9, 23.1, 22.8, 21.5, 21.7]


def biennial(**kwargs) -> ITSModel:
    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": _Y})
    return ITSModel(df, outcome="y", time="year", interruptions=2012, delta=2, **kwargs)


def numbered() -> ITSModel:
    df = pd.DataFrame({"period": np.arange(1, 13), "y": _Y})
    return ITSModel(df, outcome="y", time="period", interruptions=7)


def _by_hand(res, ref, delta: int = 2) -> None:
    """``res`` (per year) against ``ref`` (per period) as the module docstring says."""
    names = dict(zip(ref.params.index, res.params.index, strict=True))
    for per_period, per_year in names.items():
        scale = delta if per_year.endswith(("_t", "_t2012")) else 1  # _t, _z_t, _x_t, ...
        assert res.params[per_year] * scale == pytest.approx(ref.params[per_period], rel=1e-10)
        assert res.std_errors[per_year] * scale == pytest.approx(
            ref.std_errors[per_period], rel=1e-10
        )
        assert res.pvalues[per_year] == pytest.approx(ref.pvalues[per_period], rel=1e-10)


@pytest.mark.parametrize(
    "options",
    [{"lags": 1}, {"cov_type": "glm", "lags": 2}, {"cov_type": "prais"}, {"cov_type": "ols"}],
)
def test_a_biennial_fit_is_the_numbered_fit_with_slopes_per_year(options):
    res = biennial().fit(**options)
    ref = numbered().fit(**options)
    assert list(res.params.index) == ["_t", "_x2012", "_x_t2012", "_cons"]
    # itsa: _t = year - first year, in years (0, 2, 4, ...), not periods
    np.testing.assert_array_equal(res.design.X[:, 0], np.arange(0, 24, 2))
    np.testing.assert_array_equal(res.design.periods, np.arange(12))
    _by_hand(res, ref)
    if options.get("cov_type") == "prais":
        assert res.rho == pytest.approx(ref.rho, rel=1e-10)


def test_lag_tests_count_periods_and_the_notes_say_the_slopes_unit():
    bg, ref = biennial().lag_tests(max_lag=3), numbered().lag_tests(max_lag=3)
    pd.testing.assert_frame_equal(bg.table, ref.table)
    ch, ch_ref = biennial().actest(lags=2).table, numbered().actest(lags=2).table
    # where Psi needed no eigenvalue repair; the repair (|eigenvalues|, as actest's) is
    # not invariant to rescaling _t, so there Stata's numbers are those with _t in years
    pd.testing.assert_frame_equal(ch[["chi2", "p"]], ch_ref[["chi2", "p"]])
    assert ch.loc[1, "lag_chi2"] == pytest.approx(ch_ref.loc[1, "lag_chi2"], rel=1e-10)
    assert ch.loc[2, "lag_adjusted"]
    res = biennial().fit(lags=1)
    note = (
        "Time 'year' every 2 (Stata: tsset year, delta(2)): lags count periods of 2; "
        "_t = year - 2000 and the _x_t terms count 'year' units as itsa codes them, so the "
        "slopes are per 1 year (a period's change is 2 x the slope)."
    )
    assert note in " ".join(res.summary().to_text().split())
    assert note in res.to_dict()["notes"]


def test_several_units_every_two_years_keep_their_lags_within_units():
    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": _Y})
    other = df.assign(y=df["y"] * 0.9 + np.sin(np.arange(12)))
    panel = pd.concat([df.assign(u="A"), other.assign(u="B")], ignore_index=True)
    options = {"outcome": "y", "group": "u", "treated": "A"}
    res = ITSModel(panel, time="year", interruptions=2012, delta=2, **options).fit(lags=1)
    renumbered = panel.assign(period=(panel["year"] - 2000) // 2 + 1)
    ref = ITSModel(renumbered, time="period", interruptions=7, **options).fit(lags=1)
    _by_hand(res, ref)


def test_a_missing_survey_year_is_still_a_gap():
    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": _Y}).drop(index=[4])
    with pytest.raises(DataError) as err:
        ITSModel(df, outcome="y", time="year", interruptions=2012, delta=2).fit()
    (problem,) = err.value.problems
    assert problem.startswith("column 'year': missing time point(s) 2008; the series must be")
    assert "(every delta=2)" in problem


def test_a_delta_that_does_not_divide_the_spacing_is_refused():
    df = pd.DataFrame({"year": np.arange(2000, 2036, 3), "y": _Y})
    with pytest.raises(DataError) as err:
        ITSModel(df, outcome="y", time="year", interruptions=2018, delta=2, source="s.csv").fit()
    (problem,) = err.value.problems
    assert problem.startswith(
        "column 'year': time point(s) 2003, 2009, 2015, 2021, 2027 and more (rows 3, 5, 7, 9, "
        "11) are not whole periods of delta=2 from the first, 2000"
    )
    # every 4 years with delta=2: evenly spaced, at twice the period given
    df = pd.DataFrame({"year": np.arange(2000, 2048, 4), "y": _Y})
    with pytest.raises(DataError, match=r"every 4 \(2000, 2004, 2008, \.\.\., 2044\), not "):
        ITSModel(df, outcome="y", time="year", interruptions=2024, delta=2).fit()
    # without delta the message now offers it
    with pytest.raises(DataError, match=r"give delta=4 \(--delta 4 on the command line"):
        ITSModel(df, outcome="y", time="year", interruptions=2024).fit()


@pytest.mark.parametrize("delta", [0, -2, 1.5, "2", True])
def test_delta_must_be_a_whole_number_of_time_units(delta):
    with pytest.raises(InputError, match=r"parameter 'delta': expected an integer >= 1"):
        ITSModel(
            pd.DataFrame({"year": range(2000, 2012), "y": _Y}),
            outcome="y",
            time="year",
            interruptions=2006,
            delta=delta,
        ).fit()


def test_delta_is_for_integer_time():
    df = pd.DataFrame({"month": [f"2020-{m:02d}" for m in range(1, 13)], "y": _Y})
    with pytest.raises(InputError, match="parameter 'delta': applies to integer time"):
        ITSModel(df, outcome="y", time="month", interruptions="2020-07", delta=3).fit()
