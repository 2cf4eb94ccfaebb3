"""Before its month a reform changes nothing (user review 22s, H1).

A reform run and the baseline run with the same seed share every random draw (common
random numbers), so every month before ``reform.date`` must be the same in both: the
same encounters, costs, referrals, follow-ups and family-physician registrations. Before
the fix, health-promotion intensity and the family-physician odds were one value per
year (the ramp's annual mean), so January–September 2017 of Youxi's October 2017 reform
already carried a sixth of the reform (review: Jan–Sep 2017 preventive visits 64,629
under fee for service vs 65,615 under Sanming at 20,000 residents).
"""

import numpy as np
import pandas as pd
import pytest

from ihms.sim import CountySimulation, MemorySink
from ihms.sim.config import month_index


def _run(config, system, regime, reform):
    return CountySimulation(
        config, regime=regime, reform=reform, residents=4000, system=system
    ).run(sink=MemorySink())


# 2017-10: Youxi's own reform (the example config's), at a quarter's start;
# 2017-08: within a quarter and mid-year.
@pytest.fixture(scope="module", params=["2017-10", "2017-08"])
def pair(request, small_config, youxi_system):
    reform = request.param
    runs = [_run(small_config, youxi_system, r, reform) for r in ("fee-for-service", "sanming")]
    return reform, month_index(reform, small_config.period.start), runs


def _before(table: pd.DataFrame, column: str, reform: str) -> pd.DataFrame:
    dates = pd.to_datetime(table[column])
    return table[dates < pd.Timestamp(reform + "-01")].reset_index(drop=True)


def test_the_runs_own_accounts_agree_month_by_month_before_the_reform(pair):
    _, r0, (base, reform) = pair
    for name in (
        "count",
        "total_fen",
        "insurance_fen",
        "resident_months",
        "insured_resident_months",
        "registered_insured_resident_months",
    ):
        a, b = getattr(base.tally, name), getattr(reform.tally, name)
        assert np.array_equal(a[:, :r0], b[:, :r0]), name
    assert np.array_equal(base.tally.referrals[:r0], reform.tally.referrals[:r0])
    # ... and the reform does act from its month on (the test can tell a difference).
    assert not np.array_equal(base.tally.count[:, r0:], reform.tally.count[:, r0:])
    assert not np.array_equal(
        base.tally.registered_insured_resident_months[:, r0:],
        reform.tally.registered_insured_resident_months[:, r0:],
    )


@pytest.mark.parametrize(
    ("table", "column"),
    [("encounters", "date"), ("referrals", "date"), ("followups", "date")],
)
def test_the_tables_rows_before_the_reform_are_the_same_rows(pair, table, column):
    month, _, (base, reform) = pair
    a = _before(base.sink.table(table).to_pandas(), column, month)
    b = _before(reform.sink.table(table).to_pandas(), column, month)
    assert len(a) > 0
    key = [c for c in a.columns if c.endswith("_id")] or list(a.columns)
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    )


def test_the_year_of_the_reform_shows_no_pre_reform_jump_in_promotion(pair):
    # Promotion is the regime's effort month by month; the year's figure is the mean of
    # its months, so the reform year's mean is above the baseline's only by the months
    # from the reform on.
    month, _, (base, reform) = pair
    year = int(month[:4])
    assert base.promotion[year] < reform.promotion[year]
    assert base.promotion[year - 1] == reform.promotion[year - 1]
