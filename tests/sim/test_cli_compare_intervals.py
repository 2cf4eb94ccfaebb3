"""`ihms sim compare` shows what each compared rate rests on: its counts and interval."""

from __future__ import annotations

import json

from statsmodels.stats.proportion import proportion_confint
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _compare(example_path, *extra):
    args = ["sim", "compare", "--config", str(example_path), "--residents", "3000", "--seed", "5"]
    return runner.invoke(app, [*args, "--regime", "sanming", *extra], terminal_width=240)


def test_compare_prints_the_intervals_and_json_gives_the_counts(example_path, simulated_once):
    import ihms.sim.compare

    simulated_once(ihms.sim.compare, "compare_regimes")  # --json and the table: one comparison
    data = json.loads(_compare(example_path, "--json").output)
    counts = {
        (row["indicator"], row["year"]): row for row in data["counts"] if row["regime"] == "sanming"
    }
    row = counts["diabetes_control_rate", 2019]
    assert row["value"] == 100 * row["numerator"] / row["denominator"]
    text = " ".join(_compare(example_path).output.split())
    assert "each rate with its 95 % interval and counts" in text
    # the printed cell: value (Wilson 95 % interval); numerator / denominator
    low, high = proportion_confint(row["numerator"], row["denominator"], method="wilson")
    assert f"{100 * low:.2f}–{100 * high:.2f}" in text
    assert f"{round(row['numerator']):,} / {round(row['denominator']):,}" in text
