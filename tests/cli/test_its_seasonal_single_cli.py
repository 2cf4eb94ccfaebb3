"""``ihms its fit --group … --treated … --single --seasonal`` prints the treated unit's
table and its seasonal indices (the library side: tests/stats/test_its_seasonal_single.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SERIES = Path(__file__).parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
OUTCOME = "outpatient_emergency_visits"


def test_single_seasonal_with_a_group_column_prints_the_table(tmp_path):
    one = pd.read_csv(SERIES)[["month", OUTCOME]]
    two = pd.concat([one.assign(hosp="A"), one.assign(hosp="B")], ignore_index=True)
    path = tmp_path / "two.csv"
    two.to_csv(path, index=False)
    args = ["its", "fit", str(path), "--outcome", OUTCOME, "--time", "month"]
    args += ["--interruption", "2017-10", "--group", "hosp", "--treated", "A", "--single"]
    for cov in ("newey", "prais"):
        result = runner.invoke(app, [*args, "--seasonal", "--cov", cov], terminal_width=200)
        assert result.exit_code == 0, result.output
        assert "Seasonal indices of A:" in " ".join(result.stdout.split())
