"""Deqing's regime beside seed 004's figures for Deqing county (shown, not calibrated):
the seed's shares (Jia et al. 2021, IJIC 21(3):7, Results, 'Service utilization' and
Figure 4), the simulated ones from the run's own counts — equal to ihms.indicators on
its tables — and where ``sim run --regime deqing``, ``sim compare`` and summary.json
report them."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store
from ihms.indicators import compute
from ihms.sim.seed004 import SEED_004, against_seed_004, seed_004_values

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_seed_figures_are_seed_004s():
    # seed 004, Results, "Service utilization": 27.3 % (2016) -> 24.5 % (2018) inpatient
    # care outside the county; outpatient 6.8 % -> 9.8 %; THC hospitalizations 1.4 % -> 2.3 %
    got = {f.indicator: (f.before, f.after) for f in SEED_004}
    assert got == {
        "inpatient_outside_county_share": ((2016, 27.3), (2018, 24.5)),
        "outpatient_outside_county_share": ((2016, 6.8), (2018, 9.8)),
        "thc_hospitalization_share": ((2016, 1.4), (2018, 2.3)),
    }


def test_the_comparison_says_whether_the_change_has_the_seeds_direction():
    values = {
        ("inpatient_outside_county_share", 2016): 21.0,
        ("inpatient_outside_county_share", 2018): 18.0,  # falls, as the seed's
        ("outpatient_outside_county_share", 2016): 2.0,
        ("outpatient_outside_county_share", 2018): 1.5,  # falls; the seed's rises
    }
    frame = against_seed_004(values).frame.set_index("indicator")
    row = frame.loc["inpatient_outside_county_share"]
    assert row["seed_change"] == pytest.approx(-2.8, abs=1e-9)
    assert row["simulated_change"] == pytest.approx(-3.0, abs=1e-9)
    assert row["same_direction"] is True
    assert frame.loc["outpatient_outside_county_share", "same_direction"] is False
    thc = frame.loc["thc_hospitalization_share"]
    assert math.isnan(thc["simulated_change"]) and thc["same_direction"] is None


def test_the_simulated_shares_are_the_indicator_catalogues(small_deqing_run):
    results = small_deqing_run  # 6,000 residents under Deqing's rules, in memory (conftest.py)
    sink = results.sink
    ours = seed_004_values(results)
    with Store(":memory:") as store:
        store.write(sink.dataset(validate=False))
        ids = [f.indicator for f in SEED_004]
        frame = compute(store, indicators=ids, level="county", period="year").to_frame()
    frame = frame[frame["unit"] == results.county]
    assert len(frame) == 12
    for row in frame.itertuples():
        assert ours[row.indicator, int(row.period)] == pytest.approx(row.value, rel=1e-12)


def test_sim_run_deqing_reports_the_seed_figures(tmp_path, example_path):
    out = tmp_path / "deqing"
    args = ["sim", "run", "--config", str(example_path), "--regime", "deqing"]
    result = runner.invoke(app, [*args, "--residents", "6000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "Deqing regime beside Jia et al. 2021's Deqing county (shown, not calibrated)" in text
    assert "Jia et al. 2021" in text and "27.3" in text and "24.5" in text
    assert "no calibration of the Deqing regime has been done" in text
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {r["indicator"]: r for r in summary["seed_004"]["figures"]}
    assert rows["inpatient_outside_county_share"]["seed_before"] == 27.3
    assert summary["seed_004"]["calibrated"] is False
    assert "Jia et al. 2021" in summary["seed_004"]["source"]
    # the simulated figures are the run's: 0-100 and a direction verdict
    for row in rows.values():
        assert 0 <= row["simulated_before"] <= 100
        assert row["same_direction"] in (True, False)
    # a Sanming run has no such section
    out2 = tmp_path / "sanming"
    result = runner.invoke(
        app, [*args[:4], "--regime", "sanming", "--residents", "3000", "--out", str(out2)]
    )
    assert result.exit_code == 0, result.output
    assert "Jia et al. 2021" not in _flat(result.output)
    assert "seed_004" not in json.loads((out2 / "summary.json").read_text(encoding="utf-8"))


def test_sim_compare_with_deqing_reports_the_seed_figures(example_path, simulated_once):
    import ihms.sim.compare

    simulated_once(ihms.sim.compare, "compare_regimes")  # the table and --json: one comparison
    args = ["sim", "compare", "--config", str(example_path), "--residents", "6000"]
    result = runner.invoke(app, [*args, "--regime", "sanming", "--regime", "deqing"])
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "Deqing regime beside Jia et al. 2021's Deqing county (shown, not calibrated)" in text
    result = runner.invoke(app, [*args, "--regime", "sanming", "--regime", "deqing", "--json"])
    data = json.loads(result.output)
    assert {r["indicator"] for r in data["seed_004"]["figures"]} == {f.indicator for f in SEED_004}
