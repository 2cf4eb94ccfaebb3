"""``ihms growth`` and ``ihms its`` on Stata files whose period variable is a ``%tq``,
``%th`` or ``%tw`` date ([D] Datetime: quarters, halves, weeks counted from 1960q1,
1960h1, 1960w1; yq(2016,1) = 224, yw(2018,1) = 58 × 52 = 3016). The reader gives them
as ``2016Q1``, ``2016H1``, ``2018w1`` (``tests/test_stat_periods.py``); these commands
read those as periods. The files are written by pyreadstat with the formats set."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def flat(output: str) -> str:
    return " ".join(output.split())


def _series(tmp_path, counts, display, name="series.dta"):
    path = tmp_path / name
    y = 50 + 2.0 * np.arange(len(counts)) + 5.0 * (np.arange(len(counts)) >= len(counts) // 2)
    y += np.sin(np.arange(len(counts)))  # not a perfect fit
    frame = pd.DataFrame({"t": np.asarray(counts, dtype=float), "y": y})
    pyreadstat.write_dta(frame, str(path), version=15, variable_format={"t": display})
    return path, frame


def test_growth_by_quarter_reads_a_stata_tq_variable(tmp_path):
    # 2016Q1 … 2017Q4: 224 … 231
    path, frame = _series(tmp_path, range(224, 232), "%tq")
    r = runner.invoke(
        app,
        ["growth", str(path), "--value-col", "y", "--period-col", "t", "--by", "quarter", "--yoy"],
    )
    assert r.exit_code == 0, r.output
    assert "2017Q4" in r.output
    # 2017Q1 on 2016Q1: y[4] / y[0] − 1
    assert f"{100 * (frame.y[4] / frame.y[0] - 1):+.1f}" in r.output


def test_growth_names_a_half_year_it_does_not_compare(tmp_path):
    path, _ = _series(tmp_path, range(112, 118), "%th")
    r = runner.invoke(
        app,
        ["growth", str(path), "--value-col", "y", "--period-col", "t", "--by", "quarter", "--yoy"],
    )
    assert r.exit_code != 0
    assert "'2016H1' (a half-year" in flat(r.output)


def _fit(path, interruption, extra=()):
    r = runner.invoke(
        app,
        [
            "its", "fit", str(path), "--outcome", "y", "--time", "t",
            "--interruption", interruption, "--json", *extra,
        ],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _coefs(fit: dict) -> list[float]:
    return [term["coef"] for term in fit["params"].values()]


def test_its_reads_a_stata_tq_variable_as_quarters(tmp_path):
    # the same series on plain period numbers 1..12 (interruption at 7): itsa's
    # coefficients do not depend on how the periods are numbered, only its names do
    quarters, frame = _series(tmp_path, range(224, 236), "%tq")
    plain = tmp_path / "plain.csv"
    frame.assign(t=np.arange(1, 13)).to_csv(plain, index=False)
    got = _fit(quarters, "2017Q3")
    want = _fit(plain, "7")
    # itsa names a regressor after the period as the time variable's format shows it
    assert list(got["params"]) == ["_t", "_x2017q3", "_x_t2017q3", "_cons"]
    assert got["interruptions"] == ["2017Q3"]
    assert _coefs(got) == pytest.approx(_coefs(want), rel=1e-12)


def test_its_reads_a_stata_tw_variable_as_weeks_across_the_year_end(tmp_path):
    # 2018w45 … 2019w8: week 52 (8 days long) is followed by week 1 of the next year
    weeks, frame = _series(tmp_path, range(3016 + 44, 3016 + 60), "%tw")
    plain = tmp_path / "plain.csv"
    frame.assign(t=np.arange(1, 17)).to_csv(plain, index=False)
    got = _fit(weeks, "2019w1")
    want = _fit(plain, "9")
    assert list(got["params"]) == ["_t", "_x2019w1", "_x_t2019w1", "_cons"]
    assert _coefs(got) == pytest.approx(_coefs(want), rel=1e-12)


def test_its_reads_an_spss_wkyr_variable_as_the_same_weeks_as_stata_s_tw(tmp_path):
    # the series above in SPSS: each week's first day (1 January + 7(w - 1) days) as
    # seconds from 1582-10-14, shown by WKYR ("45 WK 2018"); 2018w52 starts 24 December
    weeks, frame = _series(tmp_path, range(3016 + 44, 3016 + 60), "%tw")
    starts = [pd.Timestamp(2018, 1, 1) + pd.Timedelta(days=7 * w) for w in range(44, 52)]
    starts += [pd.Timestamp(2019, 1, 1) + pd.Timedelta(days=7 * w) for w in range(8)]
    seconds = [(day - pd.Timestamp("1582-10-14")).days * 86_400.0 for day in starts]
    spss = tmp_path / "series.sav"
    pyreadstat.write_sav(frame.assign(t=seconds), str(spss), variable_format={"t": "WKYR10"})
    got = _fit(spss, "2019w1")
    want = _fit(weeks, "2019w1")
    assert list(got["params"]) == ["_t", "_x2019w1", "_x_t2019w1", "_cons"]
    assert _coefs(got) == pytest.approx(_coefs(want), rel=1e-12)


def test_its_predict_writes_quarters_back_as_a_stata_tq_variable(tmp_path):
    # the predictions of a %tq series go back to Stata as %tq (yq(2016,1) = 224), to
    # SPSS as QYR quarters (a date in the quarter: its first day)
    quarters, _ = _series(tmp_path, range(224, 236), "%tq")
    for out in (tmp_path / "fitted.dta", tmp_path / "fitted.sav"):
        _fit(quarters, "2017Q3", ["--predict", str(out)])
    frame, meta = pyreadstat.read_dta(
        str(tmp_path / "fitted.dta"), disable_datetime_conversion=True
    )
    assert meta.original_variable_types["time"] == "%tq"
    assert frame["time"].tolist() == list(range(224, 236))
    frame, meta = pyreadstat.read_sav(str(tmp_path / "fitted.sav"))
    assert meta.original_variable_types["time"].startswith("QYR")
    # 2016-01-01 is 13,670,985,600 s from 14 Oct 1582 (tests/cli/test_stat_package_dates.py)
    assert frame["time"].iloc[0] == 13_670_985_600


def test_its_predict_writes_weeks_back_as_a_stata_tw_variable(tmp_path):
    weeks, _ = _series(tmp_path, range(3016 + 44, 3016 + 60), "%tw")
    _fit(weeks, "2019w1", ["--predict", str(tmp_path / "fitted.dta")])
    frame, meta = pyreadstat.read_dta(
        str(tmp_path / "fitted.dta"), disable_datetime_conversion=True
    )
    assert meta.original_variable_types["time"] == "%tw"
    assert frame["time"].tolist() == list(range(3060, 3076))


def test_its_reads_an_spss_moyr_series_as_months_and_names_the_missing_ones(tmp_path):
    # review R2 of session 18: an SPSS MOYR series whose months all opened quarters was
    # read as quarters (a note, and an interruption given as a month refused); MOYR
    # shows months, so the series is months with gaps, reported as such
    days = pd.date_range("2015-01-01", "2017-10-01", freq="QS")
    seconds = (days - pd.Timestamp("1582-10-14")).days * 86_400.0
    path = tmp_path / "months.sav"
    frame = pd.DataFrame({"t": seconds, "y": 100 + np.arange(len(days)) + np.sin(range(12))})
    pyreadstat.write_sav(frame, str(path), variable_format={"t": "MOYR8"})
    r = runner.invoke(
        app, ["its", "fit", str(path), "--outcome", "y", "--time", "t", "--interruption", "2016-07"]
    )
    assert r.exit_code != 0
    assert "missing time point(s) 2015-02, 2015-03" in flat(r.output)
    assert "read as quarters" not in r.output


def test_its_fits_a_panel_whose_units_wrote_stata_s_week_52_by_different_days(tmp_path):
    # two counties, 2018w45 … 2019w8; county B dated 2018's last week by 31 December
    # (SPSS week 53), county A by its first day, 24 December (week 52): both are Stata's
    # 2018w52 (which runs to 31 December), once in each county, so the balanced panel
    # fits; the week-53 check looked at the whole column and refused it
    starts = [pd.Timestamp(2018, 1, 1) + pd.Timedelta(days=7 * w) for w in range(44, 52)]
    starts += [pd.Timestamp(2019, 1, 1) + pd.Timedelta(days=7 * w) for w in range(8)]
    county_b = [
        pd.Timestamp(2018, 12, 31) if d == pd.Timestamp(2018, 12, 24) else d for d in starts
    ]
    seconds = [(d - pd.Timestamp("1582-10-14")).days * 86_400.0 for d in starts + county_b]
    rng = np.random.default_rng(19)
    y = np.concatenate([60 + 2.0 * np.arange(16), 50 + 1.5 * np.arange(16)])
    y += 6.0 * np.tile(np.arange(16) >= 8, 2) * np.repeat([1, 0], 16) + rng.normal(0, 1, 32)
    frame = pd.DataFrame({"county": ["A"] * 16 + ["B"] * 16, "t": seconds, "y": y})
    spss = tmp_path / "panel.sav"
    pyreadstat.write_sav(frame, str(spss), variable_format={"t": "WKYR10"})
    stata = tmp_path / "panel.dta"
    weeks = list(range(3016 + 44, 3016 + 60)) * 2
    pyreadstat.write_dta(
        frame.assign(t=np.asarray(weeks, dtype=float)), str(stata), version=15,
        variable_format={"t": "%tw"},
    )  # fmt: skip
    extra = ["--group", "county", "--treated", "A"]
    got = _fit(spss, "2019w1", extra)
    want = _fit(stata, "2019w1", extra)
    assert _coefs(got) == pytest.approx(_coefs(want), rel=1e-12)


def test_its_names_a_missing_group_column_before_any_spss_week_check(tmp_path):
    # the unit column named is not in the file: the week-53 check cannot know the
    # units, so the message is the missing column's, not a clash of weeks
    days = pd.to_datetime(["2018-12-17", "2018-12-24", "2018-12-31", "2019-01-01"] * 2)
    seconds = (days - pd.Timestamp("1582-10-14")).days * 86_400.0
    frame = pd.DataFrame({"county": ["A"] * 4 + ["B"] * 4, "t": seconds, "y": np.arange(8.0)})
    spss = tmp_path / "panel.sav"
    pyreadstat.write_sav(frame, str(spss), variable_format={"t": "WKYR10"})
    args = ["its", "fit", str(spss), "--outcome", "y", "--time", "t", "--interruption"]
    r = runner.invoke(app, [*args, "2019w1", "--group", "district", "--treated", "A"])
    assert r.exit_code != 0
    assert "district" in flat(r.output) and "week 53" not in flat(r.output)
    r = runner.invoke(app, [*args, "2019w1", "--group", "county", "--treated", "A"])
    assert r.exit_code != 0
    assert "and county 'A', 'B' (rows 2, 6)" in flat(r.output)  # observations, from 1
