"""One-way sensitivity (``ihms sim sensitivity``, user review 22s M1): each parameter alone
at the ends of its range, the outcome at each end, the farthest from the base run first."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.sim import load_sim_config
from ihms.sim.compare import compare_regimes
from ihms.sim.seeds import _seed_values
from ihms.sim.sensitivity import _parameters, one_way, parse_vary, with_value

PRICE = "costs.outpatient_yuan.county_hospital"  # tuned: 60-300 yuan
EFFORT = "regimes.sanming.promotion_effort"
YEAR_KEY = "family_physician.registration.2016"  # in a year-keyed map, {2016: 0.25, ...}
runner = CliRunner()


def test_a_tuned_key_is_varied_over_its_tuning_bounds(youxi_config):
    got = parse_vary(PRICE, youxi_config)
    assert (got.low, got.high, got.range_from) == (60.0, 300.0, "tuning bounds")
    assert got.base == youxi_config.costs.outpatient_yuan["county_hospital"]
    given = parse_vary("regimes.sanming.promotion_effort=0.1:0.5", youxi_config)
    assert (given.low, given.high, given.range_from) == (0.1, 0.5, "given")
    assert given.base == youxi_config.regimes["sanming"].promotion_effort


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "costs.outpatient_yuan.county_hospitl",
            "did you mean 'costs.outpatient_yuan.county_hospital'",
        ),
        ("regimes.sanming.promotion_effort", "has no tuning bounds; give its range"),
        ("regimes.sanming.promotion_effort=0.5:0.1", "LOW < HIGH"),
        ("regimes.sanming.promotion_effort=0.1", "KEY=LOW:HIGH"),
        ("regimes.sanming.promotion_effort=a:b", "with numbers"),
        ("seed=1:2", "sim compare --seeds"),
    ],
)
def test_a_bad_vary_is_refused_naming_the_option(youxi_config, text, says):
    with pytest.raises(InputError, match="option '--vary'") as err:
        parse_vary(text, youxi_config)
    assert says in str(err.value)


def test_a_value_outside_what_the_config_accepts_is_refused_before_simulating(youxi_config):
    bad = parse_vary("population.insured_share=0.5:1.5", youxi_config)
    with pytest.raises(Exception, match="insured_share"):
        one_way(youxi_config, [bad], residents=500)


def _edited_copy(tmp_path, example_path, value: str):
    """The example with the tuned county-hospital price edited in its calibration block,
    as a user would set it (the independent way of setting the value)."""
    shutil.copy(example_path.with_name("youxi.yaml"), tmp_path / "youxi.yaml")
    text = example_path.read_text(encoding="utf-8")
    tuned = load_sim_config(example_path).calibration.tuned[PRICE]
    old = f"{PRICE}: {tuned}"
    assert old in text
    path = tmp_path / "sim.yaml"
    path.write_text(text.replace(old, f"{PRICE}: {value}"), encoding="utf-8")
    return path


def test_with_value_sets_a_tuned_parameter_as_editing_the_file_does(
    tmp_path, example_path, youxi_config
):
    edited = load_sim_config(_edited_copy(tmp_path, example_path, "60"))
    set_here = with_value(youxi_config, PRICE, 60.0)
    assert set_here.costs.outpatient_yuan["county_hospital"] == 60.0
    assert set_here.model_dump(exclude={"county"}) == edited.model_dump(exclude={"county"})


@pytest.fixture(scope="module")
def price_and_effort(youxi_config, youxi_system):
    """One one-way run of 1,500 residents varying the promotion effort (0.29-0.31) and the
    county-hospital price over its tuning bounds; the tests only read it."""
    varied = [parse_vary(f"{EFFORT}=0.29:0.31", youxi_config), parse_vary(PRICE, youxi_config)]
    return one_way(youxi_config, varied, residents=1500, system=youxi_system)


def test_each_end_runs_as_a_comparison_of_the_config_so_set(
    tmp_path, example_path, youxi_config, youxi_system, price_and_effort
):
    # each setting is a comparison of its own, whatever else the run varies
    result = price_and_effort
    edited = load_sim_config(_edited_copy(tmp_path, example_path, "300"))
    alone = compare_regimes(
        edited,
        regimes=("fee-for-service", "sanming"),
        residents=1500,
        seed=youxi_config.seed,
        system=youxi_system,
    )
    expected = _seed_values(alone, youxi_config.seed, "fee-for-service")
    v = result.values
    high = v[(v["parameter"] == PRICE) & (v["setting"] == "high")]
    assert (high["parameter_value"] == 300.0).all()
    merged = high.merge(expected, on=["regime", "measure", "year", "figure"])
    assert len(merged) == len(expected) > 0
    np.testing.assert_array_equal(merged["value_x"], merged["value_y"])
    # the price moves what insurance pays: Sanming's spending charged in 2019 rises with it
    # over the tuning range (60 -> 300 yuan). Not checked against the base run (251 yuan):
    # at 1,500 residents the balance-funded promotion, which the price moves too, can
    # outweigh 251 -> 300 (it did once the episode cap rose from 4 to 15, sim review
    # finding 4, which changes the few resident-months the old cap cut short)
    got = result.outcome("charged", "value", 2019)
    assert got[(PRICE, "high")] > got[(PRICE, "low")]


def test_every_key_the_option_lists_can_be_set_to_its_own_value(youxi_config):
    """Review 23 M3: `--vary` listed the year-keyed keys but could not set them."""
    listed = _parameters(youxi_config)
    assert YEAR_KEY in listed
    base = youxi_config.model_dump()
    for key, value in listed.items():
        assert with_value(youxi_config, key, value).model_dump() == base, key


def test_a_year_keyed_parameter_is_set_in_its_year_alone(youxi_config):
    registration = youxi_config.family_physician.registration
    assert parse_vary(f"{YEAR_KEY}=0.2:0.3", youxi_config).base == registration[2016]
    got = with_value(youxi_config, YEAR_KEY, 0.2).family_physician.registration
    assert got == {**registration, 2016: 0.2}


def test_with_value_names_the_key_as_given_not_the_calibration_block(youxi_config):
    for key in ("family_physician.registration.2031", "regimes.sanming.nope"):
        with pytest.raises(InputError, match=f"option '--vary'.*'{key}'") as err:
            with_value(youxi_config, key, 1.0)
        assert "calibration" not in str(err.value)


def _known_outcome(x0: float, y0: float, z0: float):
    """A stand-in for the simulator whose outcome's response to each parameter is known:
    U-shaped in the promotion effort (both ends 4 above the base run), linear in the price
    (1 per 100 yuan) and in the 2016 registration (10 per unit)."""

    def values(cfg, seed, baseline):
        x = cfg.regimes["sanming"].promotion_effort
        y = cfg.costs.outpatient_yuan["county_hospital"]
        z = cfg.family_physician.registration[2016]
        value = 100 * (x - x0) ** 2 + (y - y0) / 100 + 10 * (z - z0)
        return pd.DataFrame(
            {"seed": [seed], "regime": ["sanming"], "measure": ["difference"]}
            | {"year": [2019], "figure": ["charged"], "value": [value]}
        )

    return values


def test_the_tornado_puts_the_farthest_reach_from_the_base_first(youxi_config, monkeypatch):
    """Review 23 L3/L4: the order follows from a constructed outcome, not from a run. The
    effort's ends both lie 4 above the base (swing 0, reach 4); the price's lie at
    (60 - base)/100 and (300 - base)/100 (swing 2.4, reach (base - 60)/100 < 2.4); the
    registration's at -0.5 and +0.5 (swing 1, reach 0.5). Sorted by |swing| the effort
    would come last, though it moves the outcome farthest."""
    import ihms.sim.sensitivity as sensitivity

    x0 = youxi_config.regimes["sanming"].promotion_effort
    y0 = youxi_config.costs.outpatient_yuan["county_hospital"]
    z0 = youxi_config.family_physician.registration[2016]
    assert (x0, z0) == (0.3, 0.25) and 60 + 240 / 2 < y0 < 300  # the case's premises
    monkeypatch.setattr(sensitivity, "compare_regimes", lambda cfg, **kw: cfg)
    monkeypatch.setattr(sensitivity, "_seed_values", _known_outcome(x0, y0, z0))
    varied = [
        parse_vary(f"{YEAR_KEY}=0.2:0.3", youxi_config),
        parse_vary(PRICE, youxi_config),
        parse_vary(f"{EFFORT}=0.1:0.5", youxi_config),
    ]
    result = one_way(youxi_config, varied, system="not read")
    table = result.tornado("charged", "difference", 2019)
    assert list(table.index) == [EFFORT, PRICE, YEAR_KEY]
    np.testing.assert_allclose(table["reach"], [4.0, (y0 - 60) / 100, 0.5], rtol=1e-9)
    np.testing.assert_allclose(table["swing"], [0.0, 2.4, 1.0], rtol=1e-9, atol=1e-12)


def test_the_tornado_reads_each_runs_outcome(price_and_effort):
    result = price_and_effort
    table = result.tornado("charged", "difference", 2019)
    got = result.outcome("charged", "difference", 2019)
    base = got[("", "base")]
    assert sorted(table.index) == sorted([EFFORT, PRICE])
    for key in table.index:
        row = table.loc[key]
        assert row["at low"] == got[(key, "low")] and row["at high"] == got[(key, "high")]
        assert row["swing"] == row["at high"] - row["at low"]
        assert row["reach"] == max(abs(row["at low"] - base), abs(row["at high"] - base))
    assert table["reach"].is_monotonic_decreasing
    assert "One-way sensitivity, 2019" in result.summary("charged", "difference", 2019).title


def test_cli_prints_the_tornado_and_json(example_path, simulated_once):
    import ihms.sim.sensitivity

    simulated_once(ihms.sim.sensitivity, "one_way")  # --outcome picks what is shown
    args = ["sim", "sensitivity", "--config", str(example_path), "--residents", "800"]
    args += ["--vary", "regimes.sanming.promotion_effort=0.1:0.5", "--year", "2019"]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "One-way sensitivity, 2019" in shown.output
    # a long key folds in its column on a narrow console: "regimes.sanming." on the row's
    # first line, "promotion_effort" under it
    assert "regimes.sanming." in shown.output and "promotion_effort" in shown.output
    out = runner.invoke(app, [*args, "--outcome", "admissions", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["outcome"], data["measure"], data["year"]) == ("admissions", "difference", 2019)
    (row,) = data["tornado"]
    assert row["parameter"] == "regimes.sanming.promotion_effort"
    assert row["swing"] == row["at high"] - row["at low"]


class _Reached(Exception):
    """Raised where the simulating would begin: every setting was accepted."""


def test_cli_varies_a_year_keyed_parameter_and_names_a_bad_one_as_written(
    example_path, monkeypatch
):
    import ihms.sim.sensitivity as sensitivity

    def reached(*a, **k):
        raise _Reached

    monkeypatch.setattr(sensitivity, "compare_regimes", reached)
    base = ["sim", "sensitivity", "--config", str(example_path), "--residents", "800"]
    got = runner.invoke(app, [*base, "--vary", f"{YEAR_KEY}=0.2:0.3"])
    assert isinstance(got.exception, _Reached), got.output
    got = runner.invoke(app, [*base, "--vary", f"{YEAR_KEY}=0.2:1.5"])
    assert got.exit_code == 2, got.output
    assert f"{YEAR_KEY}=1.5" in got.output and "calibration" not in got.output


def test_cli_refuses_bad_options_before_simulating(example_path, monkeypatch):
    import ihms.sim.sensitivity as sensitivity

    def no_runs(*a, **k):
        raise AssertionError("simulated")

    monkeypatch.setattr(sensitivity, "compare_regimes", no_runs)
    base = ["sim", "sensitivity", "--config", str(example_path), "--residents", "800"]
    for extra, says in [
        (["--vary", "nosuch.key=1:2"], "option '--vary'"),
        (["--vary", PRICE, "--outcome", "nothing"], "option '--outcome'"),
        (["--vary", PRICE, "--year", "2030"], "option '--year'"),
        (["--vary", PRICE, "--regime", "fee-for-service"], "option '--measure'"),
    ]:
        got = runner.invoke(app, [*base, *extra])
        assert got.exit_code == 2, (extra, got.output)
        assert says in got.output, (extra, got.output)
