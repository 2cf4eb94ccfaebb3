"""Calibrating a config whose reform month is not Youxi's (seed 002: October 2017).

Seed 002's figures after October 2017 were produced under Youxi's reform, so they are no
test of a reform in another month; the figures of months before both reforms still are.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.sim.calibrate import TARGETS, Measurements, calibrate, check_targets, measure
from ihms.sim.targets import STUDY_WINDOW, compared_targets, left_out_reason

# seed 002, Table 4: the 2016 figures describe a year wholly before October 2017 (its
# visits read as 诊疗人次, all outpatient contacts, and their county hospitals' month)
TABLE_4_2016 = {
    "hospitalization_rate_2016",
    "outpatient_contacts_2016",
    "outpatient_contacts_primary_share_2016",
    "ch_visits_month_2016",
}
# seed 002, Table 3: the pre-reform slopes (beta1) are the trend of February 2016 -
# September 2017; the level and slope changes are of the months from October 2017 on
PRE_SLOPES = {
    "ch_visits_pre_slope",
    "ch_admissions_pre_slope",
    "ch_cost_per_visit_pre_slope",
    "ch_cost_per_stay_pre_slope",
}


def _keys(targets) -> set[str]:
    return {t.key for t in targets}


def test_youxis_own_month_compares_every_figure():
    compared, left_out = compared_targets("2017-10")
    assert compared == TARGETS and left_out == ()
    assert left_out_reason("2017-10") is None


def test_a_later_reform_keeps_the_figures_before_youxis():
    compared, left_out = compared_targets("2018-07")
    assert _keys(compared) == TABLE_4_2016 | PRE_SLOPES
    assert _keys(left_out) == _keys(TARGETS) - TABLE_4_2016 - PRE_SLOPES
    # Table 5 starts in 2017, a year Youxi's reform reached for its last three months
    assert "hypertension_management_rate_2017" in _keys(left_out)
    # in seed 002's order
    assert [t.key for t in compared] == [t.key for t in TARGETS if t.key in _keys(compared)]


@pytest.mark.parametrize("reform", ["2017-01", "2017-03", "2017-09"])
def test_an_earlier_reform_keeps_the_years_before_it(reform):
    # the pre-reform slopes run to September 2017: months already under this reform
    compared, _ = compared_targets(reform)
    assert _keys(compared) == TABLE_4_2016


def test_a_reform_within_2016_leaves_nothing_to_compare():
    compared, left_out = compared_targets("2016-12")
    assert compared == () and len(left_out) == len(TARGETS)


def test_the_reason_names_both_reforms_and_the_month_the_figures_stop():
    text = left_out_reason("2018-07")
    assert "July 2018" in text and "October 2017" in text
    assert "8 of Zhong et al. 2023's 37 figures are compared" in text
    assert "before October 2017" in text
    # the pre-reform slopes are seed 002's beta1 of an October 2017 interruption
    assert (
        "pre-reform slopes, fitted as Zhong et al. 2023's with the interruption in October 2017"
        in text
    )
    early = left_out_reason("2017-03")
    assert "before March 2017" in early and "4 of Zhong et al. 2023's 37" in early


def _all_published(**changes) -> Measurements:
    values = {t.key: t.value for t in TARGETS} | changes
    return Measurements(values=values, yearly=pd.DataFrame(), series=pd.DataFrame())


def test_check_targets_judges_only_the_figures_before_both_reforms():
    # seed 002 Table 4: 254.6 (10,000s) visits in 2019; 400 would fail, but 2019 was
    # Youxi's reform's year, not this one's
    res = check_targets(_all_published(outpatient_contacts_2019=400.0), {}, reform="2018-07")
    assert set(res.frame.index) == TABLE_4_2016 | PRE_SLOPES
    assert res.passed and res.failures == []
    assert len(res.left_out) == 29 and "outpatient_contacts_2019" in res.left_out
    # ... while a 2016 figure still decides: 17.0 x 1.11 = 18.87 is outside +-10 %
    res = check_targets(_all_published(hospitalization_rate_2016=18.87), {}, reform="2018-07")
    assert res.failures == ["hospitalization_rate_2016"]
    text = " ".join(res.summary().to_text().split())
    assert "29 figures left out" in text and "July 2018" in text


def test_check_targets_with_nothing_to_compare_does_not_pass():
    res = check_targets(_all_published(), {}, reform="2016-12")
    assert res.frame.empty and not res.passed
    text = " ".join(res.summary().to_text().split())
    assert "no figure of Zhong et al. 2023 lies before December 2016" in text


def _measured(run, reform: str):
    data = run.sink.dataset(validate=False)
    return measure(data, county=run.county, reform=reform, window=STUDY_WINDOW, scale=1.0)


def test_measure_for_a_later_reform_fits_table_3_at_youxis_month(small_run):
    # the pre-reform slopes are Table 3's beta1 of an October 2017 interruption: the
    # simulated series is fitted there, whatever the config's month
    m = _measured(small_run, "2018-07")
    assert set(m.values) == TABLE_4_2016 | PRE_SLOPES
    assert set(m.its) == {
        "outpatient_emergency_visits",
        "hospitalizations",
        "cost_per_outpatient_visit",
        "cost_per_hospitalization",
    }
    for fit in m.its.values():
        assert "_x_t2017m10" in fit.params.index
    assert m.values["ch_visits_pre_slope"] == float(
        m.its["outpatient_emergency_visits"].params["_t"]
    )
    assert len(m.series) == 46


def test_measure_for_an_earlier_reform_fits_no_its(small_run):
    m = _measured(small_run, "2017-03")
    assert set(m.values) == TABLE_4_2016 and m.its == {}
    assert len(m.series) == 46  # the demo's ITS step reads the series still


def test_calibrate_refuses_a_config_with_nothing_to_compare_before_running(
    small_config, monkeypatch
):
    from ihms.errors import ConfigError
    from ihms.sim import with_overrides
    from ihms.sim.run import CountySimulation

    monkeypatch.setattr(CountySimulation, "run", lambda *a, **k: pytest.fail("simulated"))
    early = with_overrides(small_config, reform="2016-12")
    with pytest.raises(
        ConfigError, match=r"reform\.date.*no figure of Zhong et al. 2023 lies before"
    ):
        calibrate(early, residents=800)


def test_sim_calibrate_says_which_figures_it_left_out_and_why(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    import ihms.sim.calibrate
    from ihms.cli.main import app
    from ihms.sim.load import example_file

    text = example_file("youxi_sim.yaml").read_text(encoding="utf-8")
    old = 'reform: {date: "2017-10"'
    assert old in text
    text = text.replace(old, 'reform: {date: "2018-07"').replace(
        "county: youxi.yaml", f"county: {example_file('youxi.yaml')}"
    )
    config = tmp_path / "later_sim.yaml"
    config.write_text(text, encoding="utf-8")

    def checked(cfg, **_):  # the run's figures as published: the gate passes
        return check_targets(_all_published(), {}, reform=cfg.reform.date)

    monkeypatch.setattr(ihms.sim.calibrate, "calibrate", checked)
    runner = CliRunner()
    args = ["sim", "calibrate", "--config", str(config), "--residents", "800"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["reform"] == "2018-07" and len(report["left_out"]) == 29
    assert "July 2018" in report["left_out_reason"]
    assert {row["key"] for row in report["figures"]} == TABLE_4_2016 | PRE_SLOPES
    result = runner.invoke(app, args, terminal_width=200)
    flat = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "29 figures left out: This run's reform begins in July 2018" in flat
    assert "Left out: Zhong et al. 2023, Table 3: level change and slope change of" in flat
