from __future__ import annotations

import pandas as pd

from ihms.data.synthetic import synthetic_dataset, synthetic_system


def test_valid_deterministic_and_follows_the_grids(youxi):
    a = synthetic_dataset(youxi, seed=11, scale=0.01)  # validated on construction
    b = synthetic_dataset(youxi, seed=11, scale=0.01, validate=False)
    for name in a.tables:
        assert a.table(name).equals(b.table(name)), name
    res = a.to_pandas("residents")
    # year-end population at 1 % of each grid, e.g. G01 2019: 76,289 -> 763
    end_2019 = res[
        (res["entry_date"].isna() | (res["entry_date"] <= pd.Timestamp("2019-12-31")))
        & res["exit_date"].isna()
    ]
    assert (end_2019["grid_id"] == "G01").sum() == round(76289 * 0.01)
    assert len(end_2019) == sum(round(g.population[2019] * 0.01) for g in youxi.grids)
    other = synthetic_dataset(youxi, seed=12, scale=0.01, validate=False)
    assert not other.table("encounters").equals(a.table("encounters"))


def test_synthetic_system_size():
    system = synthetic_system()
    assert len(system.institutions) == 436
    assert sum(g.population[2019] for g in system.grids) == 1_000_000
    assert not system.problems()


def test_registrations_are_dated_while_present(youxi):
    data = synthetic_dataset(youxi, seed=11, scale=0.005)  # validated on construction
    res = data.to_pandas("residents")
    when = res["fp_registered_date"]
    assert (when.notna() == res["fp_registered"]).all()
    reg = res[res["fp_registered"]]
    since = reg["fp_registered_date"]
    # from three years before the period (2016-01-01) to its end, after arrival and birth
    assert since.min() >= pd.Timestamp("2013-01-01")
    assert since.max() <= pd.Timestamp("2019-12-31")
    assert not (since < reg["entry_date"]).any()
    assert not (since.dt.year < reg["birth_year"]).any()
    assert not (since >= reg["exit_date"]).any()
    # and they spread over those years (rising registration), not all on one day
    assert since.dt.year.nunique() == 7
