"""Batch ITS with ``delta`` (Stata's ``tsset t, delta()``), as the single-series fit.

The hand-checked case: eight quarters whose time column counts months (1, 4, ..., 22;
delta 3), interrupted at month 13 (the fifth quarter). The values are the lines
10 + 2 q before and 15 + 3 q − 4 after (q = 0..7, the quarter's number from the first),
plus residuals (+1, −1, −1, +1) in each segment, which sum to 0 and are orthogonal to
q within it (0 − 1 − 2 + 3 = 0). The model with one interruption fits each segment's own
line, so OLS returns the generating lines exactly. By hand, per quarter (periods
numbered 1..8): _t = 2, _x = 5, _x_t = 1, _cons = 10; per month (_t = month − 1, as
itsa codes it): _t = 2/3, _x_t = 1/3, the level change 5 and _cons 10 unchanged.
OLS standard errors: s² = 8 / (8 − 4) = 2; S_qq = 5 in each segment (q − 1.5 over four
points), so se(_t) = sqrt(2/5) per quarter and sqrt(2/45) per month (S = 45 in months);
se(_x_t) = sqrt(2 (1/5 + 1/5)) = sqrt(0.8) per quarter, a third of it per month;
se(_x) = sqrt(2 (1/4 + 2.5²/5) + 2 (1/4 + 1.5²/5)) = sqrt(4.4) both ways (the pre line's
value at the interruption, 2.5 quarters beyond its centre, minus the post line's, 1.5
before its centre).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.stats.test_its_delta import _Y

from ihms.errors import DataError
from ihms.stats import ITSModel, fit_its_batch
from ihms.stats.its_batch_effects import its_batch_effects

_QUARTERLY = [11, 11, 13, 17, 24, 25, 28, 33]


def _months(y=_QUARTERLY, **more) -> pd.DataFrame:
    return pd.DataFrame({"month": np.arange(1, 23, 3), "y": y, **more})


def test_hand_checked_quarters_in_months_slopes_per_month_level_change_unchanged():
    by_month = fit_its_batch(
        _months(s="a"), outcome="y", time="month", series="s", interruptions=13,
        cov_type="ols", delta=3,
    ).result("a")  # fmt: skip
    numbered = pd.DataFrame({"quarter": np.arange(1, 9), "y": _QUARTERLY, "s": "a"})
    by_quarter = fit_its_batch(
        numbered, outcome="y", time="quarter", series="s", interruptions=5, cov_type="ols"
    ).result("a")
    expected_month = {"_t": 2 / 3, "_x13": 5, "_x_t13": 1 / 3, "_cons": 10}
    expected_quarter = {"_t": 2, "_x5": 5, "_x_t5": 1, "_cons": 10}
    assert by_month.params.to_dict() == pytest.approx(expected_month, rel=1e-12)
    assert by_quarter.params.to_dict() == pytest.approx(expected_quarter, rel=1e-12)
    se_month = {"_t": np.sqrt(2 / 45), "_x13": np.sqrt(4.4), "_x_t13": np.sqrt(0.8) / 3}
    se_quarter = {"_t": np.sqrt(2 / 5), "_x5": np.sqrt(4.4), "_x_t5": np.sqrt(0.8)}
    assert by_month.std_errors.drop("_cons").to_dict() == pytest.approx(se_month, rel=1e-12)
    assert by_quarter.std_errors.drop("_cons").to_dict() == pytest.approx(se_quarter, rel=1e-12)
    # the slopes differ by exactly delta, the level change not at all; tests unchanged
    assert by_quarter.params["_x_t5"] == pytest.approx(3 * by_month.params["_x_t13"], rel=1e-12)
    np.testing.assert_allclose(by_month.pvalues.to_numpy(), by_quarter.pvalues.to_numpy())
    assert by_month.post_trend["coef"].iloc[0] == pytest.approx(1.0, rel=1e-12)  # 3 a quarter
    assert by_month.to_dict()["delta"] == 3
    assert by_quarter.to_dict()["delta"] == 1


@pytest.mark.parametrize(("cov_type", "lags"), [("newey", 1), ("newey", 2), ("glm", 1), ("ols", 0)])
def test_a_batch_of_one_is_the_single_fit_under_delta(cov_type, lags):
    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": _Y})
    one = ITSModel(df, outcome="y", time="year", interruptions=2012, delta=2).fit(
        cov_type=cov_type, lags=lags
    )
    batch = fit_its_batch(
        df.assign(s="only"), outcome="y", time="year", series="s", interruptions=2012,
        cov_type=cov_type, lags=lags, delta=2,
    )  # fmt: skip
    again = batch.result("only")
    np.testing.assert_allclose(again.params, one.params, rtol=1e-11)
    np.testing.assert_allclose(again.std_errors, one.std_errors, rtol=1e-11)
    np.testing.assert_allclose(again.pvalues, one.pvalues, rtol=1e-9)
    assert again.to_dict()["delta"] == one.to_dict()["delta"] == 2
    assert again.to_dict()["notes"] == one.to_dict()["notes"]
    assert one.design.delta_note in batch.notes
    assert one.design.delta_note in " ".join(batch.summary().to_text().split())


def test_several_series_each_their_own_fit_and_the_effects_table_carries_delta():
    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": _Y})
    other = df.assign(y=df["y"] * 0.9 + np.sin(np.arange(12)))
    long = pd.concat([df.assign(s="A"), other.assign(s="B")], ignore_index=True)
    batch = fit_its_batch(long, outcome="y", time="year", series="s", interruptions=2012,
                          lags=1, delta=2)  # fmt: skip
    for name, rows in (("A", df), ("B", other)):
        one = ITSModel(rows, outcome="y", time="year", interruptions=2012, delta=2).fit(lags=1)
        np.testing.assert_allclose(batch.params.loc[name], one.params, rtol=1e-11)
        np.testing.assert_allclose(batch.std_errors.loc[name], one.std_errors, rtol=1e-11)
    for lags in (1, "auto"):  # batched, and a lag per series through ITSModel
        effects = its_batch_effects(long, outcomes="y", time="year", series="s",
                                    interruptions=2012, lags=lags, delta=2)  # fmt: skip
        out = effects.to_dict()
        assert out["delta"] == 2
        assert any("tsset year, delta(2)" in note for note in out["notes"])
        row = effects.frame.set_index(["s", "effect"]).loc[("B", "slope change")]
        one = ITSModel(other, outcome="y", time="year", interruptions=2012, delta=2)
        assert row["coef"] == pytest.approx(one.fit(lags=lags).params["_x_t2012"], rel=1e-11)
    wide = df.assign(z=other["y"])
    effects = its_batch_effects(wide, outcomes=["y", "z"], time="year", interruptions=2012,
                                lags=1, delta=2)  # fmt: skip
    slope = effects.frame.set_index(["outcome", "effect"]).loc[("z", "slope change"), "coef"]
    assert slope == pytest.approx(batch.params.loc["B", "_x_t2012"], rel=1e-11)


def test_batch_time_points_checked_against_delta():
    long = pd.concat([_months(s="a"), _months(s="b")], ignore_index=True)
    options = {"outcome": "y", "time": "month", "series": "s", "interruptions": 13}
    # a month off the grid of every 3 from the first, with its file row
    bad = long.copy()
    bad.loc[9, "month"] = 5
    with pytest.raises(DataError) as err:
        fit_its_batch(bad, **options, delta=3, source="q.csv")
    (problem,) = err.value.problems
    assert problem.startswith(
        "column 'month': time point(s) 5 (rows 11) are not whole periods of delta=3 from "
        "the first, 1"
    )
    # a missing quarter of one series is a gap at its month
    with pytest.raises(DataError) as err:
        fit_its_batch(long.drop(index=[10]), **options, delta=3)
    assert err.value.problems == ["series 'b': missing time point(s) 7 (every delta=3)"]
    # without delta the every-3 spacing is told, now offering delta
    with pytest.raises(DataError, match=r"give delta=3 \(--delta 3 on the command line"):
        fit_its_batch(long, **options)
