import math

import numpy as np
import pytest
import yaml

from ihms.errors import ConfigError, InputError
from ihms.sim import load_sim_config
from ihms.sim.calibrate import TARGETS
from ihms.sim.tune import (
    TUNED,
    TuningResults,
    _residuals,
    apply_tuned,
    fitted_targets,
    tune,
    write_tuned,
)


def test_apply_tuned_sets_and_checks_paths(youxi_config):
    data = youxi_config.model_dump()
    out = apply_tuned(data, {"regimes.sanming.ch_mild_attraction": -1.25})
    assert out["regimes"]["sanming"]["ch_mild_attraction"] == -1.25
    assert data["regimes"]["sanming"]["ch_mild_attraction"] != -1.25  # the input is untouched
    with pytest.raises(ConfigError, match=r"no numeric parameter 'regimes\.sanming\.nope'"):
        apply_tuned(data, {"regimes.sanming.nope": 1.0})


def test_apply_tuned_finds_a_year_in_a_year_keyed_map(youxi_config):
    """A dotted path is text; the registration map is keyed by int years (review 23 M3)."""
    data = youxi_config.model_dump()
    out = apply_tuned(data, {"family_physician.registration.2018": 0.5})
    assert out["family_physician"]["registration"] == {2016: 0.25, 2017: 0.3, 2018: 0.5, 2019: 0.4}
    for path in ("family_physician.registration.2031", "family_physician.registration.02018"):
        with pytest.raises(ConfigError, match=f"no numeric parameter '{path}'"):
            apply_tuned(data, {path: 0.5})


def test_every_tuned_path_exists(youxi_config):
    apply_tuned(youxi_config.model_dump(), {p.path: (p.low + p.high) / 2 for p in TUNED})


def test_residuals_are_zero_at_the_targets():
    values = {t.key: t.value for t in TARGETS}
    assert np.allclose(_residuals(values), 0.0)
    values["hospitalization_rate_2016"] = 17.0 * 1.1  # at the edge of +-10 %: residual 1
    assert _residuals(values).max() == pytest.approx(1.0)


def _residual_of(**changes):
    values = {t.key: t.value for t in TARGETS}
    values.update(changes)
    keys = [t.key for t in fitted_targets()]
    return dict(zip(keys, _residuals(values), strict=True))


def test_residuals_are_in_units_of_each_figures_tolerance():
    # seed 002 Table 3, cost per outpatient visit slope change 2.0 (gated, sign and
    # sqrt(10)): 2.0 / sqrt(10) = 0.632 is at the edge, log(1 / sqrt(10)) / log(sqrt(10))
    res = _residual_of(ch_cost_per_visit_slope_change=2.0 / math.sqrt(10))
    assert res["ch_cost_per_visit_slope_change"] == pytest.approx(-1.0)
    # a shown term counts half: visits' pre-reform slope 578.3 x sqrt(10) -> 0.5
    res = _residual_of(ch_visits_pre_slope=578.3 * math.sqrt(10))
    assert res["ch_visits_pre_slope"] == pytest.approx(0.5)
    # below a tenth of the target the log continues as its tangent: ratio 0 gives
    # (log 0.1 - 1) / log sqrt(10) = -2 - 1 / 1.1513 = -2.8686, ratio -0.1 one step further
    zero = _residual_of(ch_admissions_slope_change=0.0)["ch_admissions_slope_change"]
    assert zero == pytest.approx((math.log(0.1) - 1) / math.log(math.sqrt(10)))
    negative = _residual_of(ch_admissions_slope_change=1.81)["ch_admissions_slope_change"]
    assert negative == pytest.approx(zero - 1 / math.log(math.sqrt(10)))


def test_only_established_terms_are_fitted_among_those_shown():
    fitted = {t.key for t in fitted_targets()}
    # seed 002 Table 3: cost per hospitalization pre-reform slope 6.4 (-10.6 to 23.4) and
    # level change 100.1 (-168.1 to 368.7) include zero; the slope change is gated
    assert "ch_cost_per_stay_pre_slope" not in fitted
    assert "ch_cost_per_stay_level_change" not in fitted
    assert "ch_cost_per_stay_slope_change" in fitted
    # cost per outpatient visit level change 15.9 (4.3 to 27.5) excludes zero
    assert "ch_cost_per_visit_level_change" in fitted
    # yearly figures only shown (Table 4 in 2017 and 2018) are not fitted ...
    assert "outpatient_contacts_2017" not in fitted
    # ... but the county hospitals' 2016 level of visits, 49.2 % x 1,342,000 / 12 = 55,022
    # (Table 4 read as 诊疗人次), is, at half weight: 55,022 x sqrt(1.1) -> 0.5 x 0.5
    assert "ch_visits_month_2016" in fitted
    res = _residual_of(ch_visits_month_2016=55_022 * math.sqrt(1.1))
    assert res["ch_visits_month_2016"] == pytest.approx(0.25)


def test_tune_recovers_a_known_parameter(youxi_config):
    # A stand-in for the simulation whose hospitalization rates depend on one parameter
    # linearly: rate = 10 x factor. The published 17.0 and 16.3 (seed 002 Table 4) are
    # best matched by the factor whose log-ratio residuals cancel: 10 f = sqrt(17.0 x 16.3).
    path = "regimes.fee-for-service.ch_admission_factor"
    fixed = {t.key: t.value for t in TARGETS}

    def evaluate(cfg):
        f = cfg.regimes["fee-for-service"].ch_admission_factor
        return {**fixed, "hospitalization_rate_2016": 10 * f, "hospitalization_rate_2019": 10 * f}

    param = next(p for p in TUNED if p.path == path)
    res = tune(youxi_config, evaluate, parameters=(param,), max_evaluations=40)
    assert res.tuned[path] == pytest.approx(np.sqrt(17.0 * 16.3) / 10, rel=1e-3)


def _three_parameter_fit(youxi_config, budget):
    """Tune three parameters against a stand-in whose figures are nonlinear in them (the
    solver needs several iterations of 1 + 3 runs), counting the stand-in's calls."""
    paths = (
        "regimes.fee-for-service.ch_admission_factor",
        "regimes.sanming.ch_admission_factor",
        "costs.outpatient_yuan.county_hospital",
    )
    fixed = {t.key: t.value for t in TARGETS}
    calls = []

    def evaluate(cfg):
        ffs = cfg.regimes["fee-for-service"].ch_admission_factor
        sanming = cfg.regimes["sanming"].ch_admission_factor
        price = cfg.costs.outpatient_yuan["county_hospital"]
        values = {
            **fixed,
            "hospitalization_rate_2016": 10 * ffs**3,
            "hospitalization_rate_2019": 10 * sanming**2 * ffs,
            "outpatient_contacts_2016": price**2 / 100,
        }
        calls.append(((ffs, sanming, price), float(np.sum(_residuals(values) ** 2))))
        return values

    params = tuple(p for p in TUNED if p.path in paths)
    return tune(youxi_config, evaluate, parameters=params, max_evaluations=budget), calls


def test_the_budget_counts_every_simulation_run(youxi_config):
    # scipy's max_nfev leaves out the finite-difference Jacobian's runs: a budget of 10
    # ran 37 simulations. Every run counts, and the best point evaluated is returned.
    res, calls = _three_parameter_fit(youxi_config, 10)
    assert len(calls) == 10
    assert res.run["evaluations"] == 10
    assert res.run["status"].startswith("budget of 10 simulation runs spent")
    point, ss = min(calls, key=lambda c: c[1])
    assert tuple(res.tuned.values()) == pytest.approx(point, abs=1e-4)
    assert res.run["sum_of_squares"] == pytest.approx(ss, abs=1e-6)
    # a budget below one Jacobian (1 + 3 runs) still returns the better of its runs
    res, calls = _three_parameter_fit(youxi_config, 2)
    assert len(calls) == 2 and res.run["evaluations"] == 2
    point, _ = min(calls, key=lambda c: c[1])
    assert tuple(res.tuned.values()) == pytest.approx(point, abs=1e-4)


def test_a_budget_the_solver_does_not_spend_is_not_padded(youxi_config):
    # converged within the budget: the runs it took, scipy's own message, no extra run
    res, calls = _three_parameter_fit(youxi_config, 500)
    assert len(calls) == res.run["evaluations"] < 500
    assert "termination condition" in res.run["status"]


@pytest.mark.parametrize("budget", [0, -3, 2.5, True])
def test_a_budget_below_one_run_is_refused(youxi_config, budget):
    with pytest.raises(InputError, match="max_evaluations: expected an integer >= 1"):
        tune(youxi_config, lambda cfg: {}, parameters=TUNED[:1], max_evaluations=budget)


def test_write_tuned_round_trip(tmp_path, example_path, youxi_config):
    target = tmp_path / "youxi_sim.yaml"
    text = example_path.read_text(encoding="utf-8").replace(
        "county: youxi.yaml", f"county: {example_path.parent / 'youxi.yaml'}"
    )
    target.write_text(text, encoding="utf-8")
    result = TuningResults(
        tuned={"regimes.sanming.ch_mild_attraction": -0.5},
        start={"regimes.sanming.ch_mild_attraction": 0.0},
        residuals=None,
        run={"residents": 100, "seed": 1},
    )
    write_tuned(target, result)
    write_tuned(target, result)  # replaces its own block, does not stack them
    config = load_sim_config(target)
    assert config.regimes["sanming"].ch_mild_attraction == -0.5
    assert config.calibration.run == {"residents": 100, "seed": 1}
    assert target.read_text(encoding="utf-8").splitlines().count("  calibration:") == 1
    body = yaml.safe_load(target.read_text(encoding="utf-8"))["simulation"]
    assert body["population"] == yaml.safe_load(text)["simulation"]["population"]


def _county_with_section_first(example_path):
    """examples/youxi.yaml with examples/youxi_sim.yaml's section placed before the county's
    own keys (a county file may hold its simulation section anywhere)."""
    county = example_path.parent / "youxi.yaml"
    section = example_path.read_text(encoding="utf-8").split("\nsimulation:\n", 1)[1]
    section = section.replace("  county: youxi.yaml", "").rstrip("\n")
    return f"simulation:\n{section}\n\n" + county.read_text(encoding="utf-8")


def _result(value):
    return TuningResults(
        tuned={"regimes.sanming.ch_mild_attraction": value},
        start={"regimes.sanming.ch_mild_attraction": 0.0},
        residuals=None,
        run={"residents": 100, "seed": 1},
    )


def test_write_tuned_keeps_what_follows_the_simulation_section(tmp_path, example_path):
    # The block was cut at the first "  calibration:" and everything after it dropped (the
    # county's grids and institutions), or, with no block yet, appended at the file's end
    # under whatever key came last.
    target = tmp_path / "county.yaml"
    text = _county_with_section_first(example_path)
    target.write_text(text, encoding="utf-8")
    before = yaml.safe_load(text)
    write_tuned(target, _result(-0.5))
    after = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert after["simulation"]["calibration"]["tuned"] == {
        "regimes.sanming.ch_mild_attraction": -0.5
    }
    assert {k: v for k, v in after.items() if k != "simulation"} == {
        k: v for k, v in before.items() if k != "simulation"
    }
    del before["simulation"]["calibration"], after["simulation"]["calibration"]
    assert after == before
    # and without an earlier block
    del before["simulation"]
    bare = tmp_path / "bare.yaml"
    bare.write_text(yaml.safe_dump({"simulation": {"seed": 1}, **before}), encoding="utf-8")
    write_tuned(bare, _result(-0.25))
    again = yaml.safe_load(bare.read_text(encoding="utf-8"))
    assert again["simulation"] == {
        "seed": 1,
        "calibration": {
            "tuned": {"regimes.sanming.ch_mild_attraction": -0.25},
            "run": {"residents": 100, "seed": 1},
        },
    }
    assert {k: v for k, v in again.items() if k != "simulation"} == before


def test_write_tuned_into_a_file_holding_the_section_at_its_top_level(tmp_path):
    # load_sim_config also reads a file whose top level is the section's content
    target = tmp_path / "flat_sim.yaml"
    target.write_text("county: youxi.yaml\nseed: 7\n", encoding="utf-8")
    write_tuned(target, _result(-0.5))
    write_tuned(target, _result(-0.75))
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data == {
        "county": "youxi.yaml",
        "seed": 7,
        "calibration": {
            "tuned": {"regimes.sanming.ch_mild_attraction": -0.75},
            "run": {"residents": 100, "seed": 1},
        },
    }
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left beside it


def test_write_tuned_refuses_a_section_it_cannot_place_the_block_in(tmp_path):
    target = tmp_path / "flow.yaml"
    text = "ihms_system: 1\nsimulation: {seed: 1}\n"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"flow\.yaml: key 'simulation' is not a block"):
        write_tuned(target, _result(-0.5))
    assert target.read_text(encoding="utf-8") == text
    assert list(tmp_path.iterdir()) == [target]


def test_the_lower_edge_of_ten_percent_is_a_little_beyond_minus_one():
    # what the module says: seed 002 Table 4, hospitalization rate 17.0 (2016); 0.9 x 17.0
    # = 15.3 is the lower edge of +-10 %, log(0.9) / log(1.1) = -1.1055
    res = _residual_of(hospitalization_rate_2016=17.0 * 0.9)["hospitalization_rate_2016"]
    assert res == pytest.approx(math.log(0.9) / math.log(1.1)) and res == pytest.approx(
        -1.105, abs=1e-3
    )
