"""The ITS demo step writes its section, tables and figure into the report."""

from __future__ import annotations

import pandas as pd

from ihms.demo import STEPS, Step, run_demo
from ihms.demo._its import example_path


def test_its_step_runs_after_the_steps_it_reads():
    keys = [s.key for s in STEPS]
    assert keys.index("sim") < keys.index("its")


def test_its_step_writes_the_report(tmp_path):
    step = next(s for s in STEPS if s.key == "its")
    report = run_demo(tmp_path / "demo", steps=[Step(step.key, step.label, step.target)])
    html = report.read_text(encoding="utf-8")
    assert "Interrupted time series of county-hospital outcomes" in html
    assert "seed 002, Table 3" in html
    assert "Outpatient and emergency visits — β3 slope change" in html
    assert "data:image/png;base64" in html
    coefficients = pd.read_csv(
        tmp_path / "demo" / "tables" / "its-its_coefficients.csv", encoding="utf-8-sig", index_col=0
    )
    assert len(coefficients) == 12
    slope = coefficients.loc["Outpatient and emergency visits — β1 pre-reform slope", "estimate"]
    # The synthetic series is shaped after seed 002 Table 3 (+578.3 visits a month).
    assert 450 < slope < 700
    assert (tmp_path / "demo" / "figures" / "its-its_figure.png").stat().st_size > 10_000


def test_example_series_is_the_committed_script_output(tmp_path):
    import importlib.util

    script = example_path().with_name("make_series.py")
    spec = importlib.util.spec_from_file_location("make_series", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.main(tmp_path / "series.csv")
    assert fresh.read_bytes() == example_path().read_bytes()
    data = pd.read_csv(fresh)
    assert len(data) == 46 and data["month"].iloc[[0, 20, -1]].tolist() == [
        "2016-02",
        "2017-10",
        "2019-11",
    ]


def test_the_prose_says_which_cost_changes_are_significant_and_what_seed_002_found(its_fits):
    from ihms.demo._its import _prose

    text = _prose(its_fits(cost_per_stay_p=0.161), "")[2]
    # A slope change with p = 0.161 is not a finding; seed 002 Table 3 has the cost per
    # hospitalization's β3 = 18.7 with P = 0.083, also not significant.
    assert "its monthly trend rose by 7.9 yuan (p = 0.161, not significant at 5%)" in text
    assert "(β3 = 18.7, P = 0.083)" in text
    assert "as the source study also found" not in text


def test_a_post_reform_slope_with_p_0_038_is_still_rising_not_clearly_so(its_fits):
    from ihms.demo._its import _prose

    text = _prose(its_fits(), "")[2]
    assert "clearly" not in text
    assert (
        "still rising, more slowly than before (the post-reform slope differs from zero, p = 0.038)"
        in text
    )


def test_the_figure_gives_each_outcome_its_unit():
    # review of the demo report: the y axes said only "seasonally adjusted"
    from ihms.demo._its import OUTCOMES, REFORM, _figure
    from ihms.stats import ITSModel

    data = pd.read_csv(example_path())
    fits = {
        o: ITSModel(data, outcome=o, time="month", interruptions=REFORM, seasonal=True).fit(
            cov_type="newey", lags=1
        )
        for o in OUTCOMES
    }
    labels = [ax.get_ylabel() for ax in _figure(fits).axes]
    assert labels == [
        "visits a month (seasonally adjusted)",
        "hospitalizations a month (seasonally adjusted)",
        "yuan per visit (seasonally adjusted)",
        "yuan per hospitalization (seasonally adjusted)",
    ]


def test_the_prose_says_seed_002_agrees_only_when_the_fit_does(its_fits):
    # the sentence "Seed 002 found the same pattern" was printed whatever the fit said
    from ihms.demo._its import _prose

    fits = its_fits()
    # the stand-in visits: pre-reform slope +501.2, slope change -469.4 (p = 1e-20)
    assert "found the same pattern at Youxi's county hospitals" in _prose(fits, "")[1]
    flat = fits["outpatient_emergency_visits"]
    flat.params["_x_t2017m10"] = 12.0
    flat.pvalues["_x_t2017m10"] = 0.4
    text = _prose(fits, "")[1]
    assert "same pattern" not in text
    # seed 002 Table 3 (DOMAIN.md section 6): +578.3 a month before, slope change -459.9
    assert "(β1 = +578.3 visits a month)" in text and "(β3 = −459.9)" in text
    assert "these series do not show that pattern" in text
