"""The reform's primary-care revisits and county-hospital price rise (off unless a regime
gives them; the example's Sanming does since its re-tune of 2026-11-26).

``regimes.*.primary_extra_revisits`` (with ``primary_extra_revisits_growth_per_year``)
adds revisits at the village clinic or township health centre an illness episode ended at,
never admitted; ``regimes.*.ch_outpatient_price_drift_yuan_per_month`` raises the mean cost
of a county-hospital outpatient or emergency visit by that many yuan each month. Seed 002's
Table 4 read as all outpatient contacts needs both (ARCHITECTURE, Calibration). Every
expected value below is worked from the formulas in the comments, not read from the code.

The example's reform is Sanming from 2017-10 (period month 21, from 2016-01) with a
three-month ramp: the reform regime's share w is 1/3 in 2017-10, 2/3 in 2017-11 and 1 from
2017-12 on.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

import ihms.sim.referral as referral
from ihms.data import Store
from ihms.errors import ConfigError
from ihms.payment import (
    load_rules,
    population_from_store,
    settle_year,
    settlement_inputs,
    spending_from_store,
)
from ihms.sim import CountySimulation, MemorySink, load_sim_config
from ihms.sim._codes import CH, EMERGENCY, INPATIENT, OUT, OUTPATIENT, THC, VC
from ihms.sim.referral import Pathway, with_primary_revisits
from ihms.sim.regime import behaviour

R0 = 21  # 2017-10, months from 2016-01
END_2018 = 36  # first month of 2019: the 2018 settlement's promotion acts from here


def _with(config, regime="sanming", *, costs=None, **values):
    regimes = dict(config.regimes)
    regimes[regime] = regimes[regime].model_copy(update=values)
    update = {"regimes": regimes}
    if costs:
        update["costs"] = config.costs.model_copy(update=costs)
    return config.model_copy(update=update)


def _run(config, system):
    return CountySimulation(config, residents=4000, system=system).run(sink=MemorySink())


def _w(m: int) -> float:
    """The reform regime's share in month m (ramp of 3 months from month 21)."""
    return min(max((m - R0 + 1) / 3, 0.0), 1.0)


# --- the config ------------------------------------------------------------------------


KEYS = (
    "primary_extra_revisits",
    "primary_extra_revisits_growth_per_year",
    "ch_outpatient_price_drift_yuan_per_month",
)


def test_the_keys_default_to_off_in_every_regime(youxi_config):
    for name, regime in youxi_config.regimes.items():
        given = {k: getattr(regime, k) for k in KEYS}
        # the example gives them for Sanming only: tuned, on (calibration.tuned)
        assert (
            all(v > 0 for v in given.values()) if name == "sanming" else not any(given.values())
        ), name
        left = {k: v for k, v in regime.model_dump().items() if k not in KEYS}
        default = type(regime).model_validate(left)
        assert [getattr(default, k) for k in KEYS] == [0.0, 0.0, 0.0], name


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("primary_extra_revisits: 4", "less than or equal to 3"),
        ("primary_extra_revisits: -0.5", "greater than or equal to 0"),
        ("primary_extra_revisits_growth_per_year: 0.6", "less than or equal to 0.5"),
        ("ch_outpatient_price_drift_yuan_per_month: -1", "greater than or equal to 0"),
        ("ch_outpatient_price_drift_yuan_per_month: 12", "less than or equal to 10"),
        ("ch_outpatient_price_drift_yuan_per_month: two", "a valid number"),
    ],
)
def test_a_bad_value_is_refused_naming_file_line_and_key(tmp_path, example_path, line, expected):
    text = example_path.read_text("utf-8")
    # given for "other areas" (Sanming's values are replaced by its tuned ones before
    # they are checked, calibration.tuned)
    anchor = "      family_physician_odds: 1.2\n"  # other-areas' last key
    assert text.count(anchor) == 1
    text = text.replace(anchor, anchor + f"      {line}\n")
    key = line.split(":")[0]
    lineno = text[: text.index(line)].count("\n") + 1
    bad = tmp_path / "bad_sim.yaml"
    bad.write_text(text, "utf-8")
    shutil.copy(example_path.parent / "youxi.yaml", tmp_path)  # the county file it names
    with pytest.raises(ConfigError) as caught:
        load_sim_config(bad)
    message = str(caught.value)
    assert f"bad_sim.yaml line {lineno}: key 'simulation.regimes.other-areas.{key}'" in message
    assert expected in message and "1 problem" in message, message


# --- behaviour month by month ------------------------------------------------------------


def test_revisits_grow_by_the_configured_rate_a_year_from_the_reform(youxi_config, small_run):
    # Ramp of one month: w = 1 from 2017-10. Mean extra revisits K * (1 + g) ** (k / 12)
    # k months after the reform: K = 1, g = 0.3 -> 1 (2017-10), 1.3 (2018-10), 1.69
    # (2019-10), 1.3 ** (1/12) = 1.02210 (2017-11); 0 before; 0 in a run with no reform.
    config = _with(
        youxi_config, primary_extra_revisits=1.0, primary_extra_revisits_growth_per_year=0.3
    )
    config = config.model_copy(
        update={"reform": config.reform.model_copy(update={"ramp_months": 1})}
    )
    mean = behaviour(config, small_run.layout, regime="sanming").primary_extra_revisits
    assert (mean[:R0] == 0).all()
    assert mean[R0] == pytest.approx(1.0)
    assert mean[R0 + 1] == pytest.approx(1.0221, abs=1e-4)
    assert mean[R0 + 12] == pytest.approx(1.3)
    assert mean[R0 + 24] == pytest.approx(1.69)
    none = behaviour(config, small_run.layout, regime="fee-for-service").primary_extra_revisits
    assert (none == 0).all()


def test_the_price_rises_by_the_drift_each_month_after_the_reform(youxi_config, small_run):
    # Drift d = 2 yuan a month under Sanming, summed over the months before, each weighted
    # by w: 0 up to 2017-10; 2017-11: 2/3; 2017-12: 2/3 + 4/3 = 2; then +2 a month:
    # 2018-01: 4, 2019-12 (month 47): 2 + 2 * 24 = 50.
    config = _with(youxi_config, ch_outpatient_price_drift_yuan_per_month=2.0)
    price = behaviour(config, small_run.layout, regime="sanming").ch_outpatient_price_yuan
    assert (price[: R0 + 1] == 0).all()
    assert price[R0 + 1] == pytest.approx(2 / 3)
    assert price[R0 + 2] == pytest.approx(2.0)
    assert price[R0 + 3] == pytest.approx(4.0)
    assert price[47] == pytest.approx(50.0)
    assert np.diff(price[R0 + 2 :]) == pytest.approx(np.full(47 - R0 - 2, 2.0))


# --- the pathway -------------------------------------------------------------------------


def _path(final, admitted):
    n = len(final)
    return Pathway(
        hops=np.stack([np.array(final, np.int8), np.full(n, -1, np.int8), np.full(n, -1, np.int8)]),
        final=np.array(final, np.int8),
        emergency=np.zeros((3, n), bool),
        admitted=np.array(admitted, bool),
        los=np.zeros(n, np.int16),
        down=np.zeros(n, bool),
        down_delay=np.ones(n, np.int16),
        revisits=np.array([1, 0, 0, 2, 0, 1], np.int16),
    )


def test_extra_revisits_only_at_primary_care_and_never_for_an_admitted_episode():
    # Poisson(1): P(0) = e^-1 = 0.3679, P(<= 1) = 0.7358, P(<= 2) = 0.9197; by inversion a
    # uniform 0.5 gives 1, 0.8 gives 2, 0.1 gives 0. Means by month: 0 in month 0, 1 in 1.
    path = _path([VC, THC, CH, OUT, THC, VC], [False, False, False, False, True, False])
    month = np.array([1, 1, 1, 1, 1, 0])
    u = np.array([0.8, 0.5, 0.99, 0.99, 0.99, 0.99])
    got, capped = with_primary_revisits(path, month, np.array([0.0, 1.0]), lambda: u)
    # VC: 1 + 2; THC: 0 + 1; county hospital, outside, admitted, month 0: unchanged.
    assert got.revisits.tolist() == [3, 1, 0, 2, 0, 1]
    assert (got.admitted == path.admitted).all() and (got.final == path.final).all()
    assert capped == 0


def test_extra_revisits_the_cap_cuts_short_are_counted(monkeypatch):
    # read34a L4: cut at the cap without a word. With a cap of 1, the VC's uniform 0.8
    # lies beyond P(<= 1) = 0.7358 of Poisson(1): 1 revisit, not 2, and one episode cut
    monkeypatch.setattr(referral, "EXTRA_REVISITS_MOST", 1)
    path = _path([VC, THC, CH, OUT, THC, VC], [False] * 6)
    u = np.array([0.8, 0.5, 0.99, 0.99, 0.1, 0.7])
    got, capped = with_primary_revisits(path, np.ones(6, int), np.array([0.0, 1.0]), lambda: u)
    assert got.revisits.tolist() == [2, 1, 0, 2, 0, 2]  # VC 0.7 < 0.7358: 1 + 1
    assert capped == 1


def test_with_no_mean_the_pathway_is_returned_untouched_and_nothing_drawn():
    path = _path([VC] * 6, [False] * 6)

    def draw():
        raise AssertionError("drew uniforms for a mechanism switched off")

    got, capped = with_primary_revisits(path, np.zeros(6, int), np.zeros(2), draw)
    assert got is path and capped == 0


# --- whole runs (4,000 residents) ----------------------------------------------------------


@pytest.fixture(scope="module")
def off_config(small_config):
    """The example without the two mechanisms: Sanming's tuned values set to 0 in a copy
    without the calibration block (it would put them back)."""
    from ihms.sim.load import config_from_mapping
    from ihms.sim.tune import apply_tuned

    data = small_config.model_dump()  # the tuned values already applied
    data.pop("calibration", None)
    return config_from_mapping(apply_tuned(data, {f"regimes.sanming.{k}": 0.0 for k in KEYS}))


@pytest.fixture(scope="module")
def off_run(off_config, youxi_system):
    return _run(off_config, youxi_system)


@pytest.fixture(scope="module")
def revisits_run(off_config, youxi_system):
    config = _with(
        off_config, primary_extra_revisits=1.0, primary_extra_revisits_growth_per_year=0.3
    )
    return _run(config, youxi_system)


def _episodes(run):
    """Per illness episode: month, whether it ended unadmitted at a village clinic or
    township health centre, and its number of outpatient encounters."""
    enc = run.sink.table("encounters").to_pandas()
    det = run.sink.table("encounter_details").to_pandas()
    tier = dict(zip(run.layout.institution_ids, run.layout.institution_tier, strict=True))
    start = np.datetime64(run.config.period.start, "M")
    ill = det.merge(enc, on="encounter_id")
    ill["tier"] = ill["institution_id"].map(tier)
    dates = pd.to_datetime(ill["date"]).to_numpy().astype("datetime64[M]")
    ill["month"] = (dates - start).astype(int)
    ill["primary"] = ill["tier"] <= THC
    ill["inpatient"] = ill["type"] == "inpatient"
    ill["outpatient"] = (ill["type"] == "outpatient").astype(int)
    return ill.groupby("episode_id").agg(
        month=("month", "min"),
        primary=("primary", "all"),
        inpatient=("inpatient", "any"),
        outpatient=("outpatient", "sum"),
    )


def test_extra_revisits_are_primary_care_contacts_after_the_reform_only(off_run, revisits_run):
    off, on = off_run.tally.count, revisits_run.tally.count  # grid, month, tier, type
    assert np.array_equal(off[:, :R0], on[:, :R0])  # nothing before the reform
    # Through 2018 (before the 2018 settlement's promotion acts) only village-clinic and
    # centre outpatient visits change, and each month of the reform has more of them.
    cut = off[:, :END_2018].copy(), on[:, :END_2018].copy()
    more = cut[1][:, R0:, [VC, THC], OUTPATIENT].sum(axis=0) - cut[0][
        :, R0:, [VC, THC], OUTPATIENT
    ].sum(axis=0)
    assert (more.sum(axis=1) > 0).all()
    for c in cut:
        c[:, :, [VC, THC], OUTPATIENT] = 0
    assert np.array_equal(*cut)  # admissions, hospitals, preventive visits, follow-ups
    assert off[:, :END_2018, :, INPATIENT].sum() == on[:, :END_2018, :, INPATIENT].sum() > 0


def test_extra_revisits_per_episode_are_the_configured_mean(off_run, revisits_run):
    # Expected mean in month m: K * w(m) * prod over k < m of (1 + g * w(k)) ** (1/12),
    # K = 1, g = 0.3, for each episode that ended unadmitted at primary care; the extras
    # of a year are Poisson with the sum of those means, checked within 4 SDs.
    off, on = _episodes(off_run), _episodes(revisits_run)
    off = off[off["month"] < END_2018]
    extra = on.loc[off.index, "outpatient"] - off["outpatient"]
    qualifying = off["primary"] & ~off["inpatient"]
    assert (extra[~qualifying] == 0).all() and (extra >= 0).all()
    means = {}
    growth = 1.0
    for m in range(END_2018):
        means[m] = 1.0 * _w(m) * growth
        growth *= (1 + 0.3 * _w(m)) ** (1 / 12)
    # 2017-10: 1/3; 2018-12: (1.1 * 1.2) ** (1/12) * 1.3 ** (12/12) = 1.02341 * 1.3 = 1.33043
    assert means[R0] == pytest.approx(1 / 3) and means[35] == pytest.approx(1.33043, abs=1e-5)
    for months in (range(R0, 24), range(24, END_2018)):
        chosen = qualifying & off["month"].isin(months)
        expected = sum(means[m] for m in off.loc[chosen, "month"])
        assert expected > 500
        assert abs(extra[chosen].sum() - expected) < 4 * math.sqrt(expected), months


@pytest.fixture(scope="module")
def price_runs(off_config, youxi_system):
    # No spread of costs (log_sd 0): each visit costs its mean, rounded to the fen.
    flat = _with(off_config, costs={"log_sd": 0.0})
    return _run(flat, youxi_system), _run(
        _with(flat, ch_outpatient_price_drift_yuan_per_month=2.0),
        youxi_system,
    )


def test_county_hospital_cost_per_visit_rises_by_the_drift(price_runs):
    # Expected rise of the cost per county-hospital O+E visit (yuan): 0 up to 2017-10,
    # 2/3 in 2017-11, 2 in 2017-12, then 2 more a month (4 in 2018-01 ... 26 in 2018-12);
    # every visit is the same row in both runs through 2018, each within 1 fen.
    off, on = price_runs
    rise = [0.0] * (R0 + 1) + [2 / 3] + [2.0 + 2.0 * k for k in range(END_2018 - R0 - 2)]
    assert rise[35] == 26.0
    for m in range(END_2018):
        visits = off.tally.count[:, m, CH, [OUTPATIENT, EMERGENCY]].sum()
        assert visits == on.tally.count[:, m, CH, [OUTPATIENT, EMERGENCY]].sum() > 0
        fen = [r.tally.total_fen[:, m, CH, [OUTPATIENT, EMERGENCY]].sum() for r in (off, on)]
        assert abs(fen[1] - fen[0] - round(100 * rise[m] * visits)) <= visits, m
    # no other row's cost moves
    other = [r.tally.total_fen[:, :END_2018].copy() for r in (off, on)]
    for t in other:
        t[:, :, CH, [OUTPATIENT, EMERGENCY]] = 0
    assert np.array_equal(*other)


@pytest.fixture(scope="module")
def both_run(small_config, youxi_system):
    config = _with(
        small_config,
        primary_extra_revisits=1.0,
        primary_extra_revisits_growth_per_year=0.3,
        ch_outpatient_price_drift_yuan_per_month=2.0,
    )
    return _run(config, youxi_system)


def test_money_stays_exact_with_both_mechanisms(both_run):
    # The run's own accounts are the sums of the rows it wrote, to the fen, every year, and
    # its in-run settlement equals the payment engine's from those rows.
    enc = both_run.sink.table("encounters").to_pandas()
    assert both_run.tally.total_fen.sum() == enc["total_cost_fen"].sum()
    assert both_run.tally.insurance_fen.sum() == enc["insurance_paid_fen"].sum()
    store = Store(":memory:")
    store.write(both_run.sink.dataset(validate=False))
    rules = load_rules(both_run.regime)
    spending = spending_from_store(store)
    population = population_from_store(store, registrations="required")
    for year, ours in both_run.settlements.items():
        inputs = settlement_inputs(
            rules, year, spending=spending, population=population, assume_assessment_passed=True
        )
        theirs = settle_year(rules, inputs)
        for name in (
            "consortium_fen",
            "balance_fen",
            "insurer_outlay_fen",
            "consortium_result_fen",
        ):
            assert getattr(theirs, name) == getattr(ours, name), (year, name)
    store.close()


def test_a_run_whose_extra_revisits_reach_the_cap_says_so(small_config, youxi_system, monkeypatch):
    # read34a L4: as a run's capped illness episodes and preventive visits are said
    monkeypatch.setattr(referral, "EXTRA_REVISITS_MOST", 1)
    config = _with(small_config, primary_extra_revisits=1.0)
    capped = _run(config, youxi_system).capped_counts()
    assert capped["extra_revisits"] > 0
    assert capped["illness_episodes"] == capped["preventive_visits"] == 0
    assert capped["note"].startswith(
        f"Counts cut short by the simulator's cap: {capped['extra_revisits']:,} episodes of "
        "extra primary-care revisits (at most 1 an episode) drew more than the cap allows"
    )
