"""``its_batch_effects``: the library behind ``ihms its batch`` (its numbers against
single fits are tested through the command in ``tests/cli/test_its_batch_cli.py``).

Adjusted p-values: statsmodels' ``multipletests``, the reference."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from ihms.errors import IhmsWarning, StatisticalWarning
from ihms.stats import ITSModel
from ihms.stats.its_batch_effects import its_batch_effects


def quarterly_wide() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            # every date a quarter's first day: read as quarters, with a note
            "q": pd.date_range("2015-01-01", periods=16, freq="QS").strftime("%Y-%m-%d"),
            "a": rng.normal(size=16),
            "b": np.arange(16.0),  # exactly on its lines: no test
            "c": rng.normal(size=16) + np.arange(16) / 4,
        }
    )


@pytest.mark.parametrize("lags", [1, "auto"])
def test_notes_of_the_whole_batch_are_given_once_not_per_series(lags):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        its_batch_effects(
            quarterly_wide(), outcomes=["a", "b", "c"], time="q", interruptions="2017Q1", lags=lags
        )
    ours = [w for w in caught if issubclass(w.category, IhmsWarning)]
    reading = [w for w in ours if "read as quarters" in str(w.message)]
    exact = [w for w in ours if "exactly on the fitted lines" in str(w.message)]
    assert len(reading) == 1 and len(exact) == 1 and len(ours) == 2
    assert issubclass(exact[0].category, StatisticalWarning)
    assert str(exact[0].message).startswith("outcome b ")


def test_an_untestable_series_is_left_out_of_the_adjustment():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = its_batch_effects(
            quarterly_wide(),
            outcomes=["a", "b", "c"],
            time="q",
            interruptions="2017Q1",
            adjust="holm",
        )
    frame = res.frame
    assert frame.loc[frame["outcome"] == "b", ["p", "p_adjusted"]].isna().all().all()
    for _, rows in frame[frame["outcome"] != "b"].groupby("effect"):
        expected = multipletests(rows["p"].to_numpy(), method="holm")[1]
        assert rows["p_adjusted"].to_numpy() == pytest.approx(expected, rel=1e-12)
    by_row = res.to_dict()["rows"]
    assert [r["p"] for r in by_row if r["outcome"] == "b"] == [None, None, None]


def test_a_wide_table_equals_one_model_per_column_and_leaves_data_alone():
    wide = quarterly_wide().drop(columns="b")
    before = wide.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IhmsWarning)
        res = its_batch_effects(
            wide, outcomes=["c", "a"], time="q", interruptions="2017Q1", cov_type="prais"
        )
        single = ITSModel(wide, outcome="a", time="q", interruptions="2017Q1").fit(cov_type="prais")
    pd.testing.assert_frame_equal(wide, before)
    assert res.frame["outcome"].tolist() == ["c"] * 3 + ["a"] * 3
    level = res.frame.set_index(["outcome", "effect"]).loc[("a", "level change")]
    assert level["coef"] == pytest.approx(single.params["_x2017q1"], rel=1e-12)
    assert level["std_error"] == pytest.approx(single.std_errors["_x2017q1"], rel=1e-12)


def test_the_note_without_an_adjustment_names_the_parameter_not_the_option():
    # the library is called from Python: adjust='holm'; `ihms its batch` says --adjust
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = its_batch_effects(
            quarterly_wide(), outcomes=["a", "c"], time="q", interruptions="2017Q1"
        )
    said = " ".join(res.notes)
    assert "adjust='holm' (family-wise error) or adjust='fdr_bh'" in said
    assert "--adjust" not in said
