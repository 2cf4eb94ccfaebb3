"""``ihms sim compare --seeds``: the reform's simulated effect over several seeds
(session 22 review s, M1: the director ran four seeds by hand).

The reference is the existing single-run path: ``ihms sim run --seed S --regime R
--json`` once per seed and regime, its ``per_year`` and ``settlements`` read back, the
mean, SD, min and max taken here with :mod:`statistics`. The seeds' spread must equal
what those separate runs give.
"""

from __future__ import annotations

import csv
import json
import statistics

import pytest
from tests.sim.conftest import simulate_once
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.sim.seeds import SPREAD_Z, parse_seeds

runner = CliRunner()
RESIDENTS = "800"  # the smallest county the sim CLI tests run (tests/sim/test_cli.py)
SEEDS = (1, 2)
REGIMES = ("fee-for-service", "sanming")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def single_runs(example_path, tmp_path_factory):
    """``sim run`` summaries by (seed, regime), each a run of its own."""
    out = tmp_path_factory.mktemp("single")
    runs = {}
    for seed in SEEDS:
        for regime in REGIMES:
            args = ["sim", "run", "--config", str(example_path), "--residents", RESIDENTS]
            args += ["--seed", str(seed), "--regime", regime, "--json"]
            result = runner.invoke(app, [*args, "--out", str(out / f"{seed}-{regime}")])
            assert result.exit_code == 0, result.output
            runs[seed, regime] = json.loads(result.output)
    return runs


@pytest.fixture(scope="module")
def over_seeds(example_path, tmp_path_factory):
    """``sim compare --seeds 1,2`` said twice, as --json with a --table and on a wide
    console for 2019: its JSON, the table's path and the console's text. The two say one
    comparison over the seeds, simulated once (``simulate_once``)."""
    import ihms.sim.seeds

    table = tmp_path_factory.mktemp("seeds") / "spread.csv"
    args = ["sim", "compare", "--config", str(example_path), "--residents", RESIDENTS]
    args += ["--regime", "fee-for-service", "--regime", "sanming", "--seeds", "1,2"]
    with pytest.MonkeyPatch.context() as mp:
        simulate_once(mp, ihms.sim.seeds, "compare_seeds")
        result = runner.invoke(app, [*args, "--json", "--table", str(table)])
        assert result.exit_code == 0, result.output
        wide = {"COLUMNS": "200"}
        shown = runner.invoke(app, [*args, "--year", "2019"], env=wide, terminal_width=200)
    assert shown.exit_code == 0, shown.output
    return json.loads(result.output), table, shown.output


def _single(runs, seed, regime, year, figure):
    """A figure of one ``sim run`` summary, in the comparison's unit."""
    summary = runs[seed, regime]
    per_year = summary["per_year"][str(year)]
    if figure == "charged":  # million yuan
        return per_year["insurance_paid_fen"] / 100 / 1e6
    if figure == "admissions":
        return per_year["admissions"]
    if figure == "balance_kept":  # the balance the consortium retained, million yuan
        settled = summary["settlements"].get(str(year))
        return 0.0 if settled is None else settled["retained_fen"] / 100 / 1e6
    raise AssertionError(figure)


def _row(rows, **key):
    (row,) = [r for r in rows if all(r[k] == v for k, v in key.items())]
    return row


def _check(row, values):
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    assert row["mean"] == pytest.approx(mean, rel=1e-12)
    assert row["sd"] == pytest.approx(sd, rel=1e-12, abs=1e-12)
    assert row["min"] == pytest.approx(min(values), rel=1e-12)
    assert row["max"] == pytest.approx(max(values), rel=1e-12)
    assert row["spread_low"] == pytest.approx(mean - SPREAD_Z * sd, rel=1e-12, abs=1e-12)
    assert row["spread_high"] == pytest.approx(mean + SPREAD_Z * sd, rel=1e-12, abs=1e-12)
    for seed, value in zip(SEEDS, values, strict=True):
        assert row[f"seed {seed}"] == pytest.approx(value, rel=1e-12)


def test_the_spread_over_seeds_is_that_of_separate_sim_runs(over_seeds, single_runs):
    data, _, _ = over_seeds
    assert data["seeds"] == list(SEEDS)
    assert data["baseline"] == "fee-for-service"
    rows = data["spread"]
    for year in (2016, 2017, 2018, 2019):
        for figure in ("charged", "admissions", "balance_kept"):
            for regime in REGIMES:
                values = [_single(single_runs, s, regime, year, figure) for s in SEEDS]
                row = _row(rows, regime=regime, measure="value", year=year, figure=figure)
                _check(row, values)
        # the reform's effect on spending, seed by seed (same seed in both regimes)
        base = [_single(single_runs, s, "fee-for-service", year, "charged") for s in SEEDS]
        reform = [_single(single_runs, s, "sanming", year, "charged") for s in SEEDS]
        diff = [r - b for r, b in zip(reform, base, strict=True)]
        rel = [100 * (r - b) / b for r, b in zip(reform, base, strict=True)]
        key = {"regime": "sanming", "year": year, "figure": "charged"}
        _check(_row(rows, measure="difference", **key), diff)
        _check(_row(rows, measure="relative difference (%)", **key), rel)
    # the seeds do differ: a spread of zero would check nothing
    row = _row(rows, regime="sanming", measure="value", year=2019, figure="charged")
    assert row["max"] > row["min"]


def test_the_table_holds_the_json_rows(over_seeds):
    data, table, _ = over_seeds
    with table.open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == len(data["spread"])
    first = written[0]
    assert {"figure", "regime", "measure", "year", "seeds", "mean", "seed 1", "seed 2"} <= set(
        first
    )
    assert first["seeds"] == "1,2"
    row = _row(data["spread"], regime="sanming", measure="value", year=2019, figure="charged")
    (line,) = [
        r
        for r in written
        if (r["regime"], r["measure"], r["year"], r["figure"])
        == ("sanming", "value", "2019", "charged")
    ]
    assert float(line["mean"]) == pytest.approx(row["mean"], rel=1e-12)


def test_the_console_says_spread_not_confidence(over_seeds):
    _, _, shown = over_seeds  # --year 2019 on a 200-column console
    text = _flat(shown)
    # the year is not listed with the seeds (sim review finding 5)
    assert "fee-for-service, sanming in 2019 over seeds 1 and 2, " in text
    assert "across-seed spread" in text
    assert "not a confidence interval of the real world" in text
    assert "Admissions (N)" in text  # short enough not to wrap in any console


def test_seeds_as_a_count_start_at_the_seed():
    assert parse_seeds("3", start=7) == (7, 8, 9)
    assert parse_seeds("1,2, 3", start=7) == (1, 2, 3)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1", "at least 2 seeds"),
        ("0", "at least 2 seeds"),
        ("1,1", "seed 1 is given twice"),
        ("1,x", "got 'x'"),
        ("1,-2", "got '-2'"),
        ("", "expected"),
    ],
)
def test_bad_seeds_are_refused(text, says):
    with pytest.raises(InputError, match="option '--seeds'") as caught:
        parse_seeds(text, start=1)
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--seeds", "1"], "option '--seeds'"),
        (["--seeds", "1,2", "--seed", "4"], "option '--seed'"),
        (["--table", "x.csv"], "option '--table'"),
        (["--seeds", "2", "--table", "x.txt"], "expected a .xlsx or .csv file name"),
        (["--seeds", "2", "--figure", "f.png"], "option '--figure'"),
    ],
)
def test_bad_options_are_refused_before_simulating(example_path, monkeypatch, extra, says):
    from ihms.sim import CountySimulation

    monkeypatch.setattr(CountySimulation, "run", lambda *a, **k: pytest.fail("simulated"))
    args = ["sim", "compare", "--config", str(example_path), "--residents", RESIDENTS]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 2, result.output
    assert says in _flat(result.output)


def test_the_one_run_notes_point_to_seeds():
    import pandas as pd

    from ihms.sim._compare_notes import _one_run_note
    from ihms.sim._intervals import interval_table

    assert "sim compare --seeds" in _one_run_note({})
    counts = pd.DataFrame(
        [{"regime": "sanming", "year": 2019, "indicator": "hospitalization_rate"}]
    ).assign(numerator=10.0, denominator=100.0, value=10.0)
    table = interval_table(
        counts, 2019, labels={"hospitalization_rate": "rate"}, regimes={"sanming": "Sanming"}
    )
    assert "sim compare --seeds" in " ".join(table.notes)


def test_over_seeds_says_which_values_are_tuned_as_sim_run_does(over_seeds, single_runs):
    # session 22: sim run/compare say which values calibration replaced; --seeds says it too
    data, _, _ = over_seeds
    assert data["calibration"] == single_runs[SEEDS[0], "sanming"]["calibration"]
    assert data["calibration"]["notes"]
