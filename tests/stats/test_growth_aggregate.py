"""Monthly and quarterly flows summed to quarters and years; rates as ratios."""

import doctest
import importlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.errors import DataError, InputError
from ihms.stats import AggregatedSeries, aggregate_periods, growth_series

MONTHS = pd.period_range("2018-01", "2019-12", freq="M").astype(str)


def test_months_sum_to_quarters_and_years_and_growth_follows():
    # worked by hand: visits = 100 + month index (0..23); 2018Q1 = 100 + 101 + 102 = 303,
    # 2019Q1 = 112 + 113 + 114 = 339, so Q1 year-on-year growth = 339 / 303 - 1
    data = pd.DataFrame({"month": MONTHS, "visits": [100 + i for i in range(24)]})
    quarters = aggregate_periods(data, to="quarter", value_col="visits")
    rows = quarters.frame.set_index("period")
    assert rows.loc["2018Q1", "value"] == 303 and rows.loc["2019Q1", "value"] == 339
    assert (rows["parts"] == 3).all()
    growth = quarters.growth().frame.set_index("period")
    assert growth.loc["2019Q1", "yoy_growth"] == pytest.approx(339 / 303 - 1, rel=1e-12)
    # 2018Q2 = 103 + 104 + 105 = 312 on 303: quarter-on-quarter 312 / 303 - 1
    assert growth.loc["2018Q2", "qoq_growth"] == pytest.approx(312 / 303 - 1, rel=1e-12)
    # years: 2018 = 12 * 100 + (0 + ... + 11) = 1266; 2019 = 1200 + (12 + ... + 23) = 1410
    years = aggregate_periods(data, to="year", value_col="visits").frame
    assert years["period"].tolist() == [2018, 2019] and years["value"].tolist() == [1266, 1410]
    # ... and from the quarters the same
    again = aggregate_periods(
        quarters.frame, to="year", frequency="quarter", period_col="period",
        indicator_col="indicator",
    ).frame  # fmt: skip
    assert again["value"].tolist() == [1266, 1410]


def test_a_missing_month_gives_no_total_and_a_note():
    data = pd.DataFrame({"month": MONTHS, "visits": [100.0] * 24})
    data.loc[data["month"] == "2018-05", "visits"] = np.nan
    result = aggregate_periods(data, to="quarter", value_col="visits")
    rows = result.frame.set_index("period")
    assert math.isnan(rows.loc["2018Q2", "value"]) and rows.loc["2018Q2", "parts"] == 2
    growth = result.growth().frame.set_index("period")
    assert math.isnan(growth.loc["2019Q2", "yoy_growth"])  # never 2019Q2 over two months
    assert result.notes == ("indicator 'visits': no value for 2018-05, so no total for 2018Q2",)
    assert result.growth().notes[0] == result.notes[0]  # the growth keeps the reason


def test_an_average_summed_to_quarters_gets_a_note_and_flows_do_not():
    # three monthly costs per stay of 5,000 add up to 15,000 - no quarter's cost per
    # stay; the name says it is an average, so the totals say so (stays and cost, the
    # flows, and a ratio's parts get no note)
    data = pd.DataFrame(
        {
            "month": ["2019-01", "2019-02", "2019-03"],
            "cost_per_stay": [5000.0] * 3,
            "stays": [10.0, 20.0, 30.0],
            "cost": [5.0e4, 1.0e5, 1.5e5],
            "次均费用": [5000.0] * 3,
        }
    )
    result = aggregate_periods(
        data, to="quarter", value_col=["cost_per_stay", "stays", "cost", "次均费用"]
    )
    flagged = [n for n in result.notes if "reads as an average or a rate" in n]
    assert len(flagged) == 2
    assert "'cost_per_stay'" in flagged[0] and "'次均费用'" in flagged[1]
    by_ratio = aggregate_periods(
        data.rename(columns={"stays": "stay_count"}), to="quarter",
        value_col=["stay_count", "cost"], ratios={"mean_cost": ("cost", "stay_count")}, scale=1,
    )  # fmt: skip
    assert by_ratio.notes == ()
    # 150,000 + 100,000 + 50,000 over 60 stays = 5,000 per stay
    assert by_ratio.frame.set_index("indicator").loc["mean_cost", "value"] == 5000


def test_a_rate_is_refused_unless_its_parts_are_given():
    # worked by hand: Q1 readmissions 2 + 3 + 5 = 10 of 50 + 60 + 90 = 200 discharges:
    # 100 * 10 / 200 = 5.0 %, not the mean of the monthly rates (4.0 + 5.0 + 5.56) / 3
    data = pd.DataFrame(
        {
            "month": ["2019-01", "2019-02", "2019-03"],
            "readmitted": [2, 3, 5],
            "discharged": [50, 60, 90],
            "rate": ["4.0%", "5.0%", "5.56%"],
        }
    )
    with pytest.raises(DataError, match="indicator 'rate' is a rate or share: a rate cannot"):
        aggregate_periods(data, to="quarter", value_col=["readmitted", "discharged", "rate"])
    with pytest.raises(DataError, match="'readmitted' is a rate"):
        aggregate_periods(data, to="quarter", value_col="readmitted", rates=["readmitted"])
    result = aggregate_periods(
        data,
        to="quarter",
        value_col=["readmitted", "discharged", "rate"],
        ratios={"rate": ("readmitted", "discharged")},
    )
    rate = result.frame.set_index("indicator").loc["rate"]
    assert rate["value"] == 5.0 and rate["period"] == "2019Q1"
    assert result.rates == ("rate",)
    assert result.growth().rates == ("rate",)  # its changes in percentage points
    with pytest.raises(DataError, match="rate 'rate' needs indicator 'admitted'"):
        aggregate_periods(
            data, to="quarter", value_col="readmitted", ratios={"rate": ("readmitted", "admitted")}
        )


def test_a_ratios_change_in_points_follows_its_scale():
    # Worked example: 5 readmissions per 100 discharges in 2019, 6 in 2020 — a rise of
    # 1 percentage point however the rate is written (0.05 → 0.06 as a fraction). Per
    # 1,000 (50 → 60 ‰) has no change in points without rescaling, so it is refused.
    data = pd.DataFrame(
        {"year_month": [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)]}
    )
    data["readmitted"] = [0] * 11 + [5] + [0] * 11 + [6]
    data["discharged"] = [0] * 11 + [100] + [0] * 11 + [100]
    ratios = {"rate": ("readmitted", "discharged")}
    for scale, level in ((100, 6.0), (1, 0.06)):
        totals = aggregate_periods(
            data, to="year", period_col="year_month", value_col=["readmitted", "discharged"],
            ratios=ratios, scale=scale,
        )  # fmt: skip
        rows = totals.growth().frame.set_index(["indicator", "period"])
        assert rows.loc[("rate", 2020), "value"] == pytest.approx(level)
        assert rows.loc[("rate", 2020), "yoy_points"] == pytest.approx(1.0)
    per_mille = aggregate_periods(
        data, to="year", period_col="year_month", value_col=["readmitted", "discharged"],
        ratios=ratios, scale=1000,
    )  # fmt: skip
    assert per_mille.frame.set_index("indicator").loc["rate", "value"].tolist() == [50.0, 60.0]
    with pytest.raises(InputError, match=r"are per 1000 .* per 100 .* or per 1"):
        per_mille.growth()
    with pytest.raises(InputError, match="parameter 'rate_unit': the rates are per 1, so"):
        aggregate_periods(
            data, to="year", period_col="year_month", value_col=["readmitted", "discharged"],
            ratios=ratios, scale=1,
        ).growth(rate_unit="percent")  # fmt: skip


def test_bad_options_and_json():
    data = pd.DataFrame({"month": ["2019-01"], "value": [1]})
    with pytest.raises(InputError, match="parameter 'to': expected a longer period"):
        aggregate_periods(data, to="month")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="parameter 'to'"):
        aggregate_periods(data, to="quarter", frequency="quarter")
    with pytest.raises(InputError, match="parameter 'scale'"):
        aggregate_periods(data, to="year", scale=0)
    result = aggregate_periods(data, to="year")
    assert isinstance(result, AggregatedSeries)
    out = json.loads(json.dumps(result.to_dict(), default=str))
    assert out["frequency"] == "year" and out["source_frequency"] == "month"
    assert "no value for 2019-02–2019-12" in out["notes"][0]
    assert "Monthly values summed to years" in result.summary().to_text()
    assert repr(result) == "<AggregatedSeries: indicators=1, periods=1, frequency='year', notes=1>"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=24, max_size=24))
def test_totals_conserve_the_sum(values):
    data = pd.DataFrame({"month": MONTHS, "value": values})
    quarters = aggregate_periods(data, to="quarter").frame["value"]
    years = aggregate_periods(data, to="year").frame["value"]
    assert quarters.sum() == years.sum() == sum(values)
    assert (
        growth_series(
            aggregate_periods(data, to="year").frame, indicator_col="indicator", period_col="period"
        )
        .frame["value"]
        .tolist()
        == years.tolist()
    )


def test_doctests():
    assert doctest.testmod(importlib.import_module("ihms.stats.growth_aggregate")).failed == 0
