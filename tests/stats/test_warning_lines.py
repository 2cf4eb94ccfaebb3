"""ITSModel.fit's and fit_its_batch's own warnings point at the caller's line, as the
warnings module's ``stacklevel`` is meant to: not at a line inside ihms (review34a M1: the
level→confidence rename's wrapper added a frame, and two of fit's warnings then pointed at
``ihms/_renamed.py``)."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

import ihms.stats.its as its_module
from ihms.errors import IhmsWarning, StatisticalWarning
from ihms.stats import ITSModel, fit_its_batch
from ihms.stats._newey import prais_winsten


def _caught(call) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if issubclass(w.category, IhmsWarning)]


def _years_as_days() -> pd.DataFrame:
    """Twelve years, each written as its 1 January: read as years, with a note."""
    rng = np.random.default_rng(3)
    days = [f"{year}-01-01" for year in range(2006, 2018)]
    return pd.DataFrame({"t": days, "y": 100 + np.arange(12) + rng.normal(0, 1, 12)})


def _on_the_lines() -> pd.DataFrame:
    t = np.arange(24)
    months = pd.period_range("2022-01", periods=24, freq="M").astype(str)
    return pd.DataFrame({"month": months, "visits": 1000.0 + 20 * t + (t >= 12) * 300})


def _autocorrelated() -> pd.DataFrame:
    """Forty months with AR(1) errors, rho 0.8: Prais-Winsten needs a few iterations."""
    rng = np.random.default_rng(7)
    e = np.zeros(40)
    for i in range(1, 40):
        e[i] = 0.8 * e[i - 1] + rng.normal()
    months = pd.period_range("2020-01", periods=40, freq="M").astype(str)
    return pd.DataFrame({"month": months, "y": 50 + 0.5 * np.arange(40) + e})


def _assert_at_this_file(caught, words: str) -> None:
    hits = [w for w in caught if words in str(w.message)]
    assert hits, [str(w.message) for w in caught]
    assert [w.filename for w in hits] == [__file__] * len(hits)


def test_the_reading_note_of_fit_points_at_the_caller():
    model = ITSModel(_years_as_days(), outcome="y", time="t", interruptions=["2012"])
    _assert_at_this_file(_caught(lambda: model.fit()), "read as years")


def test_the_exact_fit_warning_of_fit_points_at_the_caller():
    model = ITSModel(_on_the_lines(), outcome="visits", time="month", interruptions="2023-01")
    _assert_at_this_file(_caught(lambda: model.fit()), "exactly")
    _assert_at_this_file(_caught(lambda: model.fit(lags="auto")), "exactly")
    _assert_at_this_file(_caught(lambda: model.fit(level=0.9)), "exactly")


def test_prais_winsten_not_converging_points_at_the_caller(monkeypatch):
    model = ITSModel(_autocorrelated(), outcome="y", time="month", interruptions="2021-09")
    # one iteration cannot converge from rho 0 (a partial adds no Python frame)
    monkeypatch.setattr(its_module, "prais_winsten", functools.partial(prais_winsten, max_iter=1))
    _assert_at_this_file(_caught(lambda: model.fit(cov_type="prais")), "did not converge")


def test_fit_its_batch_warnings_point_at_the_caller():
    years = _years_as_days().assign(unit="a")
    _assert_at_this_file(
        _caught(
            lambda: fit_its_batch(years, outcome="y", time="t", series="unit", interruptions="2012")
        ),
        "read as years",
    )
    exact = _on_the_lines().assign(unit="a")
    caught = _caught(
        lambda: fit_its_batch(
            exact, outcome="visits", time="month", series="unit", interruptions="2023-01"
        )
    )
    _assert_at_this_file([w for w in caught if w.category is StatisticalWarning], "exactly")


def test_its_batch_effects_prais_not_converging_points_at_the_caller(monkeypatch):
    # read34a M2: re-given by a context manager with a fixed stacklevel, it pointed at
    # the ``with`` line in ihms/stats/its_batch_effects.py
    from ihms.stats.its_batch_effects import its_batch_effects

    data = _autocorrelated().assign(u="a")
    monkeypatch.setattr(its_module, "prais_winsten", functools.partial(prais_winsten, max_iter=1))
    args = {"outcomes": "y", "time": "month", "interruptions": "2021-09", "cov_type": "prais"}
    for more in ({"series": "u"}, {"series": "u", "level": 0.9}, {}):
        rows = data if more else data.drop(columns="u")  # long, renamed keyword, wide
        caught = _caught(lambda: its_batch_effects(rows, **args, **more))  # noqa: B023
        _assert_at_this_file(caught, "did not converge")


def test_the_seasonal_adjustments_warning_points_at_the_caller():
    # ratio_to_moving_average warned with stacklevel=2: at ihms/stats/its.py when
    # ITSModel.fit(seasonal) or fit_its_batch reached it
    months = pd.period_range("2016-01", periods=24, freq="M").astype(str)
    y = 100.0 + np.arange(24) + 10 * (np.arange(24) >= 12)
    frame = pd.DataFrame({"m": months, "y": y})
    model = ITSModel(frame, outcome="y", time="m", interruptions="2017-01", seasonal=True)
    _assert_at_this_file(_caught(lambda: model.fit()), "too short to leave out")
    batch = frame.assign(u="a")
    args = {"outcome": "y", "time": "m", "series": "u", "interruptions": "2017-01"}
    caught = _caught(lambda: fit_its_batch(batch, **args, seasonal=True))
    _assert_at_this_file(caught, "too short to leave out")
