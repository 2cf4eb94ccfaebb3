"""``single`` with a group column and ``seasonal``: the treated unit analysed alone is
seasonally adjusted as the same series given without a group column is (itsa ``single
treatid()`` on the adjusted outcome)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ihms.stats.its import ITSModel

SERIES = Path(__file__).parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
OUTCOME = "outpatient_emergency_visits"


def _two_hospitals() -> pd.DataFrame:
    one = pd.read_csv(SERIES)[["month", OUTCOME]]
    other = one.assign(**{OUTCOME: one[OUTCOME] * 1.3})
    return pd.concat([one.assign(hosp="A"), other.assign(hosp="B")], ignore_index=True)


@pytest.mark.parametrize("cov_type", ["newey", "glm", "ols", "prais"])
def test_single_with_a_group_column_summarises_the_seasonal_treated_unit(cov_type):
    lags = 0 if cov_type in ("ols", "prais") else 1
    common = dict(outcome=OUTCOME, time="month", interruptions="2017-10", seasonal=True)
    alone = ITSModel(pd.read_csv(SERIES), **common).fit(cov_type=cov_type, lags=lags)
    res = ITSModel(_two_hospitals(), group="hosp", treated="A", single=True, **common).fit(
        cov_type=cov_type, lags=lags
    )
    np.testing.assert_allclose(res.params.to_numpy(), alone.params.to_numpy(), rtol=1e-10)
    notes = res.summary().notes
    wanted = f"Seasonal indices of A: {alone.seasonal[None].indices_text()}."
    assert wanted in notes
    assert f"Seasonal indices: {alone.seasonal[None].indices_text()}." in alone.summary().notes
