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
