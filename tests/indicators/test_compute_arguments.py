"""``compute`` given what a notebook user naturally passes: a store's path is refused
naming how to open it (it was an ``AttributeError: 'str' object has no attribute
'producer'``), and one indicator id is one indicator (it was iterated as its letters:
"no indicator 'h' in the catalogue") — a user walk, session 32."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.indicators import compute


def test_a_path_or_a_frame_is_refused_naming_how_to_open_a_store():
    with pytest.raises(InputError, match=r"parameter 'data': expected a Store .*got str "
                       r"'ihms.duckdb' \(open the file: with Store\('ihms.duckdb'"):  # fmt: skip
        compute("ihms.duckdb")
    with pytest.raises(InputError, match=r"parameter 'data': .*got DataFrame"):
        compute(pd.DataFrame({"a": [1]}))


def test_one_indicator_id_is_a_one_item_list(tiny_dataset):
    one = compute(tiny_dataset, indicators="hospitalization_rate", level="total")
    listed = compute(tiny_dataset, indicators=["hospitalization_rate"], level="total")
    pd.testing.assert_frame_equal(one.to_frame(), listed.to_frame())
    assert set(one.to_frame()["indicator"]) == {"hospitalization_rate"}
    with pytest.raises(InputError, match="parameter 'indicators': expected indicator ids"):
        compute(tiny_dataset, indicators=3, level="total")


def test_results_name_an_indicator_or_unit_they_do_not_hold(tiny_dataset):
    # a user walk (session 32): wide(unit="G99") gave an empty table, series("nope", …)
    # "no values of 'nope' for unit …", wide() "several units: pass unit="
    r = compute(tiny_dataset, indicators="hospitalization_rate", level="grid")
    unit = r.to_frame()["unit"].iloc[0]
    with pytest.raises(InputError, match=r"no indicator 'nope' in these results \('hosp"):
        r.series("nope", unit)
    with pytest.raises(InputError, match="no unit 'G99' in these results"):
        r.wide(unit="G99")
    with pytest.raises(InputError, match=r"several units \(.*\); pass one, e\.g\. unit="):
        r.wide()
    assert r.series("hospitalization_rate", unit).name == "hospitalization_rate"


def test_results_take_one_indicator_id_as_a_one_item_list(tiny_dataset):
    # wide(indicators="hospitalizations") iterated the id as its letters and gave an
    # empty table (a notebook review, session 33)
    r = compute(
        tiny_dataset,
        indicators=["hospitalizations", "hospitalization_rate"],
        level="county",
        period="year",
    )
    one = r.wide(unit="c1", indicators="hospitalization_rate")
    pd.testing.assert_frame_equal(one, r.wide(unit="c1", indicators=["hospitalization_rate"]))
    assert list(one.index) == ["hospitalization_rate"] and list(one.columns) == ["2016", "2017"]
    picked = r.select(indicators="hospitalizations", units="c1", periods=2016)
    assert picked[["indicator", "unit", "period"]].values.tolist() == [
        ["hospitalizations", "c1", "2016"]
    ]
    with pytest.raises(InputError, match="parameter 'indicators': expected indicator ids"):
        r.wide(unit="c1", indicators=3)


def test_periods_take_a_numpy_year_and_refuse_other_kinds_naming_the_parameter(tiny_dataset):
    # review diff33a F14: periods=df.year.max() (a numpy integer) and periods=2019.0
    # raised "TypeError: 'numpy.int64' object is not iterable"
    r = compute(tiny_dataset, indicators=["hospitalizations"], level="county", period="year")
    one = r.select(periods=np.int64(2016))
    pd.testing.assert_frame_equal(one, r.select(periods="2016"))
    assert set(one["period"]) == {"2016"} and len(one) > 0
    both = r.select(periods=[np.int32(2016), 2017])
    assert set(both["period"]) == {"2016", "2017"}
    for bad, got in [(2016.0, "float 2016.0"), (True, "got bool"), ([2016, 2017.5], "list")]:
        with pytest.raises(InputError) as caught:
            r.select(periods=bad)
        said = str(caught.value)
        assert said.startswith("parameter 'periods': expected period labels") and got in said
