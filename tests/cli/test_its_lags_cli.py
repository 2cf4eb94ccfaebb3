"""``ihms its fit``: the time option's help and the lag chosen by ``--lags auto``
(moved out of ``test_its_cli.py``, which had grown past 500 lines)."""

from __future__ import annotations

from tests.cli.test_its_cli import flat, run_json
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_its_time_help_names_first_and_last_days_of_quarters_and_years():
    # review R2 of session 18: the help named only a quarter's first day
    text = flat(runner.invoke(app, ["its", "fit", "--help"]).output.replace("│", " "))
    assert "every date a quarter's first day, 2017-07-01, or every one its last, 2017-09-30" in text
    assert "integers (1989; years also as every date 1 January, or every one 31 December)" in text


def test_lags_auto_reports_the_chosen_lag_and_why(tmp_path):
    # noise correlated at lag 2 only: statsmodels' auxiliary OLS gives lag 1 p = 0.83,
    # lag 2 p < 0.001, lags 3-4 p > 0.3 (tests/stats/test_autocorr.py), so lag 2
    import numpy as np

    rng = np.random.default_rng(0)
    u = np.zeros(40)
    for t in range(2, 40):
        u[t] = -0.7 * u[t - 2] + rng.normal()
    rows = ["t,y"] + [f"{t},{float(50 + 0.3 * t - 4 * (t >= 20) + u[t])!r}" for t in range(40)]
    path = tmp_path / "ar2.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["its", "fit", str(path), "--outcome", "y", "--time", "t", "--interruption", "20",
            "--lags", "auto", "--max-lag", "4"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "lag 2 chosen by Breusch-Godfrey" in flat(result.output)
    out = run_json(args)
    assert out["lags"] == 2
    assert any(n.startswith("lag 2 chosen by Breusch-Godfrey") for n in out["notes"])
    lags = run_json(["its", "lags", *args[2:9], "--max-lag", "4"])
    assert lags["suggested_lag"] == 2 and lags["significant_orders"] == [2]
