import math

import numpy as np
import pandas as pd
import pytest

from ihms.sim import with_overrides
from ihms.sim.calibrate import TARGETS, Measurements, calibrate, check_targets
from ihms.sim.targets import compare_its, meets

# seed 002 Table 4 (hospitalization rate %, number of healthcare outpatient visits in
# 10,000s — the county's outpatient contacts — and their primary-care share %), Table 5 (2017-2019 management and
# control %) and Table 3 (ITS per month).
PUBLISHED = {
    "hospitalization_rate_2016": 17.0,
    "hospitalization_rate_2017": 16.8,
    "hospitalization_rate_2018": 15.8,
    "hospitalization_rate_2019": 16.3,
    # Table 4's visits are the county's 诊疗人次, every outpatient contact (ihms.sim.targets)
    "outpatient_contacts_2016": 134.2,
    "outpatient_contacts_2017": 202.3,
    "outpatient_contacts_2018": 190.6,
    "outpatient_contacts_2019": 254.6,
    "outpatient_contacts_primary_share_2016": 50.8,
    "outpatient_contacts_primary_share_2017": 63.0,
    "outpatient_contacts_primary_share_2018": 60.8,
    "outpatient_contacts_primary_share_2019": 69.2,
    # its hospitals' 49.2 % of 1,342,000 in 2016 a month, 660,264 / 12 = 55,022 (shown,
    # fitted at half weight; tests/sim/test_calibration_contacts.py)
    "ch_visits_month_2016": 55022.0,
    "hypertension_management_rate_2017": 69.9,
    "hypertension_management_rate_2018": 78.4,
    "hypertension_management_rate_2019": 81.5,
    "hypertension_control_rate_2017": 65.8,
    "hypertension_control_rate_2018": 71.8,
    "hypertension_control_rate_2019": 68.4,
    "diabetes_management_rate_2017": 71.3,
    "diabetes_management_rate_2018": 76.9,
    "diabetes_management_rate_2019": 78.3,
    "diabetes_control_rate_2017": 65.0,
    "diabetes_control_rate_2018": 65.9,
    "diabetes_control_rate_2019": 72.5,
    "ch_visits_pre_slope": 578.3,
    "ch_visits_level_change": -2470.3,
    "ch_visits_slope_change": -459.9,
    "ch_admissions_pre_slope": 17.9,
    "ch_admissions_level_change": -286.0,
    "ch_admissions_slope_change": -18.1,
    "ch_cost_per_visit_pre_slope": -0.9,
    "ch_cost_per_visit_level_change": 15.9,
    "ch_cost_per_visit_slope_change": 2.0,
    "ch_cost_per_stay_pre_slope": 6.4,
    "ch_cost_per_stay_level_change": 100.1,
    "ch_cost_per_stay_slope_change": 18.7,
}
# seed 002 Table 3: the 95 % confidence intervals printed beside each estimate.
PUBLISHED_CI = {
    "ch_visits_pre_slope": (462.5, 694.1),
    "ch_visits_level_change": (-4572.9, -367.7),
    "ch_visits_slope_change": (-596.5, -323.3),
    "ch_admissions_pre_slope": (11.7, 24.2),
    "ch_admissions_level_change": (-406.8, -165.1),
    "ch_admissions_slope_change": (-26.8, -9.4),
    "ch_cost_per_visit_pre_slope": (-1.3, -0.4),
    "ch_cost_per_visit_level_change": (4.3, 27.5),
    "ch_cost_per_visit_slope_change": (1.1, 2.9),
    "ch_cost_per_stay_pre_slope": (-10.6, 23.4),
    "ch_cost_per_stay_level_change": (-168.1, 368.7),
    "ch_cost_per_stay_slope_change": (-2.5, 39.9),
}


def test_targets_are_the_published_figures():
    by_key = {t.key: t for t in TARGETS}
    # every target is checked against the printed tables, and each ITS term's interval
    assert set(by_key) == set(PUBLISHED)
    assert {t.key for t in TARGETS if t.its is not None} == set(PUBLISHED_CI)
    for key, value in PUBLISHED.items():
        assert by_key[key].value == value
        assert by_key[key].source.startswith("Zhong et al. 2023, Table")
    gated = {t.key for t in TARGETS if t.rule != "shown"}
    # the figures: Table 4 in 2016 and 2019, Table 5 in 2017-2019, Table 3 slope changes
    assert "hospitalization_rate_2017" not in gated
    assert {
        "hospitalization_rate_2016",
        "outpatient_contacts_2016",
        "outpatient_contacts_2019",
        "outpatient_contacts_primary_share_2019",
        "diabetes_control_rate_2018",
        "ch_visits_slope_change",
        "ch_cost_per_visit_slope_change",
        "ch_cost_per_stay_slope_change",
    } <= gated
    # level changes and pre-reform slopes are shown, as for the visits and admissions
    assert {"ch_cost_per_visit_level_change", "ch_cost_per_stay_pre_slope"}.isdisjoint(gated)
    for key, ci in PUBLISHED_CI.items():
        assert by_key[key].ci == ci
        assert ci[0] < by_key[key].value < ci[1], key
    # seed 002's text restates two post-reform trends (beta1 + beta3): admissions "decreased
    # at a rate of 0.2 per month", the cost per visit "increased at a rate of 1.1 RMB"
    post = {
        name: by_key[f"{name}_pre_slope"].value + by_key[f"{name}_slope_change"].value
        for name in ("ch_admissions", "ch_cost_per_visit")
    }
    assert post == pytest.approx({"ch_admissions": -0.2, "ch_cost_per_visit": 1.1})
    # Table 4 prints visits in 10,000s of the whole county: a scaled count
    contacts = by_key["outpatient_contacts_2019"]
    assert contacts.scaled and contacts.per == 1e4 and contacts.indicator == "outpatient_contacts"
    share = by_key["outpatient_contacts_primary_share_2019"]
    assert share.indicator == "outpatient_contacts_primary_share" and not share.scaled


def _measured(**changes):
    values = {t.key: t.value for t in TARGETS}
    values.update(changes)
    return Measurements(values=values, yearly=pd.DataFrame(), series=pd.DataFrame())


def test_rules_worked_examples():
    # ±10 %: 17.0 x 1.09 = 18.53 passes, 17.0 x 1.11 = 18.87 fails.
    assert check_targets(_measured(hospitalization_rate_2016=18.53), {}).passed
    res = check_targets(_measured(hospitalization_rate_2016=18.87), {})
    assert not res.passed and res.failures == ["hospitalization_rate_2016"]
    # a figure only shown never decides: 2017's rate may be anything
    assert check_targets(_measured(hospitalization_rate_2017=40.0), {}).passed
    # slope change -459.9: -459.9 x 3 = -1379.7 is within sqrt(10) = 3.162; x 3.3 is not;
    # the wrong sign fails whatever its size.
    assert check_targets(_measured(ch_visits_slope_change=-1379.7), {}).passed
    assert not check_targets(_measured(ch_visits_slope_change=-459.9 * 3.3), {}).passed
    assert not check_targets(_measured(ch_admissions_slope_change=18.1), {}).passed
    assert not check_targets(_measured(diabetes_control_rate_2019=math.nan), {}).passed
    # cost per outpatient visit, slope change 2.0: 0.20 is a tenth (outside 1/3.162)
    res = check_targets(_measured(ch_cost_per_visit_slope_change=0.20), {})
    assert res.failures == ["ch_cost_per_visit_slope_change"]
    # outpatient contacts 2019, 254.6 (10,000s): 301.9 is 18.6 % above
    assert check_targets(_measured(outpatient_contacts_2019=301.9), {}).failures == [
        "outpatient_contacts_2019"
    ]


def test_meets_worked_examples():
    # +-10 %: 63.0 x 0.9 = 56.7 is inside, 53.7 is not; sign and sqrt(10): 2.0 / 3.162 = 0.632
    assert meets("relative", 63.0, 56.7) and not meets("relative", 63.0, 53.7)
    assert meets("sign_magnitude", 2.0, 0.64) and not meets("sign_magnitude", 2.0, 0.62)
    assert not meets("sign_magnitude", 2.0, -2.0)
    assert not meets("relative", 63.0, math.nan)


def test_a_shown_figure_that_departs_is_said_so_with_its_reason():
    # seed 002 Table 4: primary-care share 63.0 % in 2017; 53.7 is 14.8 % below it
    res = check_targets(_measured(outpatient_contacts_primary_share_2017=53.7), {})
    assert res.passed  # shown figures never decide the verdict ...
    assert res.departures == ["outpatient_contacts_primary_share_2017"]  # ... but are checked
    (note,) = res.departure_notes()
    assert "simulated 53.70 against 63.00 (Zhong et al. 2023, Table 4)" in note
    assert "IMPM began in October 2017" in note
    text = res.summary().to_text()
    assert "(shown) departs" in text and "Where the simulation departs" in text
    # a shown figure within its kind's rule is not listed
    assert (
        check_targets(_measured(outpatient_contacts_primary_share_2017=60.0), {}).departures == []
    )


def test_a_reason_several_departures_share_is_printed_once_with_its_figures():
    # seed 002, Table 4 (2017, shown): hospitalization rate 16.8, outpatient contacts 202.3
    # (10,000s) and primary-care share 63.0 %; 40, 160 and 54 are each outside ±10 %.
    # The visits and the share depart for one reason (the reform's first months); the
    # rate has none in the model's structure (session 24 review, item 9: `sim calibrate`
    # printed the 2017 reason twice word for word).
    res = check_targets(
        _measured(
            hospitalization_rate_2017=40.0,
            outpatient_contacts_2017=160.0,
            outpatient_contacts_primary_share_2017=54.0,
        ),
        {},
    )
    assert len(res.departures) == 3
    (why,) = {t.note for t in TARGETS if t.key in res.departures and t.note}
    unknown, shared = res.departure_notes()
    assert unknown.startswith("Hospitalization")
    assert "simulated 40.00 against 16.80" in unknown
    assert unknown.endswith(
        "no reason in the model's structure is known: the tuned parameters fall short."
    )
    assert shared == (
        "Outpatient contacts per year (10,000s) 2017: simulated 160.00 against 202.30 "
        "(Zhong et al. 2023, Table 4); Primary-care share of outpatient contacts (%) 2017: "
        f"simulated 54.00 against 63.00 (Zhong et al. 2023, Table 4) — {why}."
    )
    notes = res.summary().notes
    assert sum(why in n for n in notes) == 1
    assert notes[-2:] == (unknown, shared)
    assert notes[-3] == "Where the simulation departs from Zhong et al. 2023 on figures not gated:"


def test_compare_its_sets_each_fit_beside_table_3():
    from types import SimpleNamespace

    terms = ["_cons", "_t", "_x2017m10", "_x_t2017m10"]
    fits = {
        # the demo's simulated cost per outpatient visit before this calibration (2026-11-22)
        "cost_per_outpatient_visit": SimpleNamespace(
            params=pd.Series([98.4, -0.15, 2.24, 0.20], index=terms)
        )
    }
    frame = compare_its(fits)
    assert list(frame.index) == [
        "ch_cost_per_visit_pre_slope",
        "ch_cost_per_visit_level_change",
        "ch_cost_per_visit_slope_change",
    ]
    # seed 002 Table 3: -0.9, 15.9, 2.0; ratios 0.15 / 0.9, 2.24 / 15.9, 0.20 / 2.0
    assert frame["seed"].tolist() == [-0.9, 15.9, 2.0]
    assert frame["ratio"].tolist() == pytest.approx([0.15 / 0.9, 2.24 / 15.9, 0.1])
    assert not frame["agrees"].any()
    assert frame["gated"].tolist() == [False, False, True]


@pytest.fixture(scope="module")
def calibrated(small_config, youxi_system):
    """IMPM and fee for service on the same 8,000 residents (reduced scale)."""
    impm = calibrate(small_config, residents=8000, system=youxi_system)
    ffs = calibrate(
        with_overrides(small_config, regime="fee-for-service"), residents=8000, system=youxi_system
    )
    return impm, ffs


def test_machinery_measures_every_figure(calibrated):
    impm, _ = calibrated
    assert list(impm.frame.index) == [t.key for t in TARGETS]
    assert impm.frame["simulated"].notna().all()
    assert impm.details["scale"] == pytest.approx(358_000 / 8000, rel=1e-6)
    assert len(impm.measurements.series) == 46  # Feb 2016 ... Nov 2019, seed 002's window
    table = impm.summary().frame
    assert (
        len(table) == len(TARGETS)
        and table["source"].str.startswith("Zhong et al. 2023, Table").all()
    )
    # Table 4's visits are a yearly count of the whole county in 10,000s: the run's count
    # times its scale (358,000 / 8,000), over 10,000
    raw = impm.measurements.yearly
    count = raw.loc[
        (raw["indicator"] == "outpatient_contacts") & (raw["period"] == "2016"), "value"
    ]
    assert impm.frame.loc["outpatient_contacts_2016", "simulated"] == pytest.approx(
        float(count.iloc[0]) * impm.details["scale"] / 1e4
    )
    assert set(impm.measurements.its) == {
        "outpatient_emergency_visits",
        "hospitalizations",
        "cost_per_outpatient_visit",
        "cost_per_hospitalization",
    }


def test_direction_of_each_effect(calibrated):
    impm, ffs = calibrated

    def v(res, key):
        return res.frame.loc[key, "simulated"]

    # before the reform the two runs are the same county on the same seed
    assert v(impm, "hospitalization_rate_2016") == v(ffs, "hospitalization_rate_2016")
    # seed 002, Tables 3-5 and discussion: fewer admissions, more primary care, better
    # chronic management and control, county hospitals' growth bent downwards
    assert v(impm, "hospitalization_rate_2019") < v(ffs, "hospitalization_rate_2019")
    assert v(impm, "outpatient_contacts_primary_share_2019") > v(
        ffs, "outpatient_contacts_primary_share_2019"
    )
    for rate in (
        "hypertension_management_rate",
        "hypertension_control_rate",
        "diabetes_management_rate",
        "diabetes_control_rate",
    ):
        assert v(impm, f"{rate}_2019") > v(ffs, f"{rate}_2019"), rate
    for term in ("ch_visits_slope_change", "ch_admissions_slope_change"):
        assert v(impm, term) < 0
        assert v(impm, term) < v(ffs, term), term
    # visits bend clearly even at this size (admissions are few: their ITS is noisy here)
    assert v(impm, "ch_visits_slope_change") < v(ffs, "ch_visits_slope_change") - 200
    assert v(impm, "ch_visits_level_change") < v(ffs, "ch_visits_level_change")


def _perturbed(config, path, value):
    from ihms.sim.load import config_from_mapping
    from ihms.sim.tune import apply_tuned

    data = config.model_dump()  # the tuned values already applied
    data.pop("calibration", None)
    return config_from_mapping(apply_tuned(data, {path: value}))


@pytest.mark.parametrize(
    ("path", "value", "figure"),
    [
        # logit 0.65 -> -1.0: a hypertensive patient is managed with odds about five
        # times lower, so seed 002 Table 5's 81.5 % (2019) is far out of reach
        ("chronic.hypertension.management_logit", -1.0, "hypertension_management_rate_2019"),
        # county hospitals drawing mild cases more each year after the reform: their visits
        # bend upwards, against the sign of Table 3's slope change (-459.9)
        ("regimes.sanming.ch_attraction_drift_per_year", 0.5, "ch_visits_slope_change"),
    ],
)
def test_the_gate_fails_when_a_parameter_is_pushed_off(
    calibrated, small_config, youxi_system, path, value, figure
):
    impm, _ = calibrated
    assert impm.frame.loc[figure, "within"], "the unperturbed run must meet the figure"
    res = calibrate(_perturbed(small_config, path, value), residents=8000, system=youxi_system)
    assert not res.passed
    assert figure in res.failures
    assert "outside: " in res.summary().to_text() and figure not in impm.failures


# The committed calibration is checked at 80,000 residents (about 6 s alone on the 2-core
# machine): the smallest size at which the verdict is not the luck of one draw. With the
# tuned examples/youxi_sim.yaml of 2026-11-24, seeds 1-5 and the config's: 20,000 residents
# failed 3 of 6 (the admissions' and the cost per stay's slope changes, noisy at that size);
# 40,000 failed 1 of 6 (the config's seed: the cost per stay's slope change at 4.3 against
# a floor of 18.7 / sqrt(10) = 5.9); 80,000 passed 6 of 6, that figure at 14.2 or more.
# The config re-tuned on 2026-11-26 (Table 4 over all outpatient contacts) passes at
# 80,000 and at full size on the config's seed; other seeds were not re-checked.
CI_RESIDENTS = 80_000


@pytest.mark.slow
def test_the_committed_config_meets_every_gated_target(youxi_config, youxi_system):
    """A mistuned examples/youxi_sim.yaml fails here, not only in `ihms sim calibrate`."""
    res = calibrate(youxi_config, residents=CI_RESIDENTS, system=youxi_system)
    assert res.passed, res.summary().to_text()
    # every gated figure of seed 002 Tables 3-5 was measured: Table 4 in 2016 and 2019 (6),
    # Table 5 (12), the four Table 3 slope changes
    gated = res.frame[res.frame["within"].notna()]
    assert len(gated) == sum(t.rule != "shown" for t in TARGETS) == 22


def test_failures_are_named_when_measured_as_numpy_numbers():
    # meets() returned numpy.bool_ for numpy input, which `failures` (w is False) missed:
    # the verdict read "outside: ." with no figure named
    values = {t.key: np.float64(t.value) for t in TARGETS}
    values["hospitalization_rate_2016"] = np.float64(30.0)  # seed 002 Table 4: 17.0
    res = check_targets(Measurements(values, pd.DataFrame(), pd.DataFrame()), {})
    assert not res.passed and res.failures == ["hospitalization_rate_2016"]
    assert "outside: hospitalization_rate_2016." in res.summary().to_text()


def test_tuning_refuses_another_reform_month(small_config):
    # tuning fits seed 002's figures after Youxi's October 2017 reform too; checking a
    # config with another month compares the figures before both
    # (tests/sim/test_calibrate_reform.py)
    from ihms.errors import ConfigError
    from ihms.sim.calibrate import check_reform

    late = with_overrides(small_config, reform="2018-01")
    with pytest.raises(ConfigError, match=r"reform\.date.*tuning.*2017-10.*got 2018-01"):
        check_reform(late.reform.date)


def test_calibrate_refuses_another_study_window_before_running(small_config, monkeypatch):
    # a config fitting the ITS on 2016-01 ... 2019-12 ran and compared its coefficients
    # with Table 3's, which seed 002 fitted on 2016-02 ... 2019-11 (T = 1 ... 46)
    from ihms.errors import ConfigError
    from ihms.sim.config import MonthSpan
    from ihms.sim.run import CountySimulation

    monkeypatch.setattr(CountySimulation, "run", lambda *a, **k: pytest.fail("simulated"))
    whole = small_config.model_copy(
        update={"study_window": MonthSpan(start="2016-01", end="2019-12")}
    )
    with pytest.raises(ConfigError) as err:
        calibrate(whole, residents=800)
    # ... then what to do instead (tests/sim/test_error_places.py)
    assert str(err.value).startswith(
        "config: key 'simulation.study_window': the calibration targets are Zhong et al. 2023's, "
        "whose Table 3 is fitted on 2016-02 … 2019-11 (46 months); got 2016-01 … 2019-12. "
    )


def test_the_2017_note_says_what_table_4_shows():
    # seed 002 Table 4: visits 134.2, 202.3, 190.6, 254.6 reach 57 % of the 2016-2019 rise
    # in 2017, the primary-care share (50.8, 63.0, 60.8, 69.2) 66 %; both fall in 2018
    by_key = {t.key: t for t in TARGETS}
    for ind in ("outpatient_contacts", "outpatient_contacts_primary_share"):
        v = {y: by_key[f"{ind}_{y}"].value for y in (2016, 2017, 2018, 2019)}
        assert 0.5 < (v[2017] - v[2016]) / (v[2019] - v[2016]) < 0.7 and v[2018] < v[2017]
        assert "more than half of the way to 2019's" in by_key[f"{ind}_2017"].note


def test_compare_its_refuses_a_fit_interrupted_at_another_month():
    # Table 3's terms are those of an interruption in October 2017 (_x2017m10); a fit at
    # January 2018 has none of them (session 18 review: a KeyError escaped).
    from types import SimpleNamespace

    from ihms.errors import InputError

    terms = ["_cons", "_t", "_x2018m1", "_x_t2018m1"]
    fits = {"cost_per_outpatient_visit": SimpleNamespace(params=pd.Series([1.0] * 4, index=terms))}
    with pytest.raises(InputError, match=r"_x2017m10.*2017-10.*_x2018m1"):
        compare_its(fits)
