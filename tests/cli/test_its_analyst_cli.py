"""``ihms its`` as an analyst meets it with a GBK table of Chinese headers: a series
lying exactly on its lines (a note on stderr, no Python warning, no negative F or t of
1e14; the fit's numbers: tests/stats/test_its_exact_fit.py), a column not in the table."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def exact_csv(tmp_path):
    t = np.arange(24)
    y = 1000 + 20 * t + (t >= 12) * (300 + 10 * (t - 12))
    lines = ["月份,门诊人次"] + [f"{2022 + i // 12}年{i % 12 + 1}月,{v}" for i, v in enumerate(y)]
    path = tmp_path / "exact.csv"
    path.write_text("\n".join(lines) + "\n", encoding="gbk")
    return path


def test_fit_and_lags_note_an_exact_fit_and_print_no_test(tmp_path):
    args = [str(exact_csv(tmp_path)), "--outcome", "门诊人次", "--time", "月份"]
    args += ["--interruption", "2023-01"]
    result = runner.invoke(app, ["its", "fit", *args, "--lags", "auto", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["lags"] == 0
    assert out["model_test"]["F"] is None
    assert out["params"]["_x2023m1"]["std_error"] == 0
    assert out["params"]["_x2023m1"]["t"] is None
    stderr = " ".join(result.stderr.split())
    assert stderr.startswith("note: outcome '门诊人次': exactly on the fitted lines"), stderr
    assert "Warning" not in stderr
    result = runner.invoke(app, ["its", "fit", *args])
    assert result.exit_code == 0, result.output
    assert "F(3, 20) = —" in " ".join(result.stdout.split()) or "F(3, 20)" not in result.stdout
    result = runner.invoke(app, ["its", "lags", *args, "--max-lag", "3"])
    assert result.exit_code == 0, result.output
    assert "note: outcome '门诊人次': exactly" in " ".join(result.stderr.split())


def test_a_column_not_in_the_table_names_the_option_it_was_given_to(tmp_path):
    # Before: "column(s) 'month' not found in exact.csv; available: 月份, 门诊人次" — which
    # option named 'month' was left to guess.
    args = ["its", "fit", str(exact_csv(tmp_path)), "--outcome", "门诊人次", "--time", "month"]
    result = runner.invoke(app, [*args, "--interruption", "2023-01"])
    assert result.exit_code == 2
    assert (
        "column(s) 'month' (option '--time') not found in exact.csv; available: 月份, 门诊人次"
        in " ".join(result.output.split())
    )


def _three_counties(tmp_path, suffix: str):
    """甲县 (code 1, treated) and two controls, 36 months, the county stored as labelled
    codes as Stata and SPSS keep them."""
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(21)
    months = pd.period_range("2016-01", periods=36, freq="M")
    rows = []
    for code in (1, 2, 3):
        for i, m in enumerate(months):
            y = 2000 + 5 * i + 30 * code - 60 * (code == 1) * (i >= 18) + rng.normal(0, 10)
            rows.append({"county": code, "month": str(m), "adm": round(y, 1)})
    frame = pd.DataFrame(rows)
    path = tmp_path / f"three{suffix}"
    labels = {"county": {1: "甲县", 2: "乙县", 3: "丙县"}}
    if suffix == ".sav":
        pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    else:
        frame.to_stata(path, write_index=False, value_labels=labels, version=118)
    return path, frame


def _county_fit(path, *more):
    return runner.invoke(app, ["its", "fit", str(path), "--outcome", "adm", "--time", "month",
                               "--group", "county", "--interruption", "2017-07", *more,
                               "--json"])  # fmt: skip


def test_a_labelled_unit_is_found_by_its_label(tmp_path):
    for suffix in (".sav", ".dta"):
        path, _ = _three_counties(tmp_path, suffix)
        by_code = _county_fit(path, "--treated", "1", "--control", "2")
        by_label = _county_fit(path, "--treated", "甲县", "--control", "乙县")
        assert by_label.exit_code == 0, by_label.output
        assert json.loads(by_label.stdout)["params"] == json.loads(by_code.stdout)["params"]
        wrong = " ".join(_county_fit(path, "--treated", "丁县").output.split())
        assert "values: 1 (甲县), 2 (乙县), 3 (丙县)" in wrong
        assert f"column 'county' of {path.name}" in wrong


def test_unit_errors_suggest_the_nearest_name_and_name_the_file(tmp_path):
    path = tmp_path / "three.csv"
    _, frame = _three_counties(tmp_path, ".sav")
    frame.assign(county=frame["county"].map({1: "甲县", 2: "乙县", 3: "丙县"})).to_csv(
        path, index=False
    )
    treated = " ".join(_county_fit(path, "--treated", "甲").output.split())
    assert "did you mean '甲县'?" in treated
    control = " ".join(_county_fit(path, "--treated", "甲县", "--control", "乙").output.split())
    assert "'乙' is not a value of column 'county' of three.csv" in control
    assert "did you mean '乙县'?" in control
