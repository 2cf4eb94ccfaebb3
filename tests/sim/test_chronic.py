"""Chronic-disease incidence: a persistent liability per resident and condition, onset when
the resident's age-specific prevalence passes it (``ihms.sim.chronic``).

Before incidence existed every resident's status was drawn once at entry from the age
band's prevalence, so the register fell while the county aged; these tests pin the
single-year prevalence curve by hand arithmetic, the onsets of a closed cohort, that no
one loses a condition and that the draws repeat with the seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.sim.chronic import NEVER, onset_years, prevalence_by_age, sample_traits
from ihms.sim.config import SimulationConfig
from ihms.sim.population import (
    MAX_AGE,
    Residents,
    n_blocks,
    plan_population,
    population_targets,
    sample_residents,
)

HYPERTENSION = {"0-14": 0.0, "15-59": 0.06, "60+": 0.35}  # examples/youxi_sim.yaml
DIABETES = {"0-14": 0.0, "15-59": 0.015, "60+": 0.08}

# With every 5-year band under 60 weighing the same and no deaths at 60+, each single
# year of age weighs the same within its band, so the curve's knots follow by hand:
#   15-59: linear from v(15) = 0 (the 0-14 band is 0, flat) to v(60); the band's mean is
#          v(60) · mean((a - 15) / 45, a = 15..59) = v(60) · 22/45 = 0.06
#          → v(60) = 0.06 · 45 / 22 = 0.1227272…
#   60+:   linear from v(60) to v(100) over ages 60..100; mean((a - 60) / 40) = 1/2, so
#          (v(60) + v(100)) / 2 = 0.35 → v(100) = 0.7 − v(60) = 0.5772727…
V60 = 0.06 * 45 / 22
V100 = 0.7 - V60
V61 = V60 + (V100 - V60) / 40  # = 0.1340909…


def _config(base: SimulationConfig, *, uniform: bool = True, **prevalence) -> SimulationConfig:
    data = base.model_dump()
    if uniform:
        data["population"]["age_weights"] = dict.fromkeys(data["population"]["age_weights"], 1.0)
        data["population"]["death_rate_60_plus"] = 0.0
    for condition, bands in prevalence.items():
        data["chronic"][condition]["prevalence"] = bands
    return SimulationConfig.model_validate(data)


def _cohort(n: int, birth_year: int, *, months: int = 48, exit_month: int | None = None):
    """``n`` residents born in ``birth_year``, present from the period's first month."""
    exit_ = months + 1 if exit_month is None else exit_month
    return Residents(
        block=0,
        resident_id=np.arange(n, dtype=np.int64),
        birth_year=np.full(n, birth_year, np.int16),
        male=np.zeros(n, bool),
        village=np.zeros(n, np.int16),
        entry=np.zeros(n, np.int16),
        exit=np.full(n, exit_, np.int16),
        died=np.zeros(n, bool),
        insured=np.ones(n, bool),
    )


def test_the_prevalence_curve_by_single_year_of_age_worked_by_hand(youxi_config):
    cfg = _config(youxi_config)
    curve = prevalence_by_age(HYPERTENSION, cfg.population)
    assert curve.shape == (MAX_AGE + 1,)
    assert curve[:16] == pytest.approx(np.zeros(16), abs=1e-15)
    assert curve[60] == pytest.approx(V60, rel=1e-12)
    assert curve[61] == pytest.approx(V61, rel=1e-12)
    assert curve[100] == pytest.approx(V100, rel=1e-12)
    # linear inside a band: halfway between 15 and 60 (37.5) sits at half of v(60)
    assert (curve[37] + curve[38]) / 2 == pytest.approx(V60 / 2, rel=1e-12)
    # each band's mean over its single years is the configured prevalence
    assert curve[15:60].mean() == pytest.approx(0.06, rel=1e-12)
    assert curve[60:].mean() == pytest.approx(0.35, rel=1e-12)


def test_the_curve_keeps_the_band_means_under_the_configs_own_age_structure(youxi_config):
    # weights as the population plan's first year: the 5-year bands' weights spread over
    # their single years, and (1 − death rate 60+)^j at age 60 + j
    pop = youxi_config.population
    w = np.zeros(MAX_AGE + 1)
    for band, weight in pop.age_weights.items():
        lo, hi = (int(x) for x in band.split("-"))
        w[lo : hi + 1] = weight / (hi - lo + 1)
    w[60:] = (1 - pop.death_rate_60_plus) ** np.arange(MAX_AGE - 59)
    for bands in (HYPERTENSION, DIABETES):
        curve = prevalence_by_age(bands, pop)
        for (lo, hi), band in (((0, 14), "0-14"), ((15, 59), "15-59"), ((60, MAX_AGE), "60+")):
            got = np.average(curve[lo : hi + 1], weights=w[lo : hi + 1])
            assert got == pytest.approx(bands[band], abs=1e-12)
        # no steps at the band edges: the old step at 60 was 0.35 − 0.06 = 0.29
        assert np.diff(curve).max() < 0.03
        assert (np.diff(curve) >= 0).all()


def test_a_curve_never_falls_so_no_one_loses_a_condition(youxi_config):
    # bands that fall with age (0.05 under 15, 0.02 at 15-59) cannot be met by people who
    # keep what they have: the curve holds its maximum instead of falling
    falling = {"0-14": 0.05, "15-59": 0.02, "60+": 0.30}
    curve = prevalence_by_age(falling, _config(youxi_config).population)
    assert (np.diff(curve) >= 0).all()
    assert curve[14] == pytest.approx(0.05) and curve[15] == pytest.approx(0.05)
    assert ((curve >= 0) & (curve <= 1)).all()
    # 15-59 is held at 0.05; 60+ starts from there and still meets its own mean:
    # (0.05 + v(100)) / 2 = 0.30 → v(100) = 0.55 (uniform weights, as above)
    assert curve[59] == pytest.approx(0.05)
    assert curve[100] == pytest.approx(0.55, rel=1e-12)
    assert curve[60:].mean() == pytest.approx(0.30, rel=1e-12)
    cohort = _cohort(5000, 2002)  # 14 in 2016, 15 from 2017
    traits = sample_traits(cohort, _config(youxi_config, hypertension=falling))
    for y in (2016, 2017, 2018):
        assert (traits.has(0, y) <= traits.has(0, y + 1)).all()  # had it → still has it


def test_a_closed_cohort_ageing_one_year_gets_the_onsets_worked_by_hand(youxi_config):
    # 10,000 residents born 1956 (60 in 2016, 61 in 2017) with liabilities spread evenly,
    # u_i = (i + 0.5) / 10,000: prevalent in 2016 are those with u < v(60) = 0.1227272…,
    # i + 0.5 < 1,227.27 → i = 0..1,226, 1,227 people; by 2017 u < v(61) = 0.1340909…,
    # i + 0.5 < 1,340.91 → i ≤ 1,340, 1,341 people: 114 onsets in 2017
    curve = prevalence_by_age(HYPERTENSION, _config(youxi_config).population)
    n = 10_000
    u = (np.arange(n) + 0.5) / n
    since = onset_years(
        u,
        np.full(n, 1956),
        first_year=np.full(n, 2016),
        last_year=np.full(n, 2019),
        curve=curve,
        years=(2016, 2017, 2018, 2019),
    )
    assert (since == 2016).sum() == 1227
    assert (since == 2017).sum() == 114
    # 2018: u < v(62) = V60 + 2 (V100 − V60) / 40 = 0.1454545…, i + 0.5 < 1,454.55 →
    # 1,455 people: 114 more; 2019: u < v(63) = 0.1568181…, i + 0.5 < 1,568.18 → 1,568
    assert (since == 2018).sum() == 114
    assert (since <= 2019).sum() == 1568
    assert (since[since != NEVER] >= 2016).all()


def test_sampled_traits_of_a_closed_cohort_have_the_expected_onsets(youxi_config):
    # the same cohort through the run's own draws: 40,000 born 1956, so 2016's prevalent
    # are Binomial(40,000, 0.12273) — 4,909.1, sd 65.6 — and 2017's onsets
    # Binomial(40,000, 0.0113636) — 454.5, sd 21.2; four sd either side
    cfg = _config(youxi_config)
    n = 40_000
    traits = sample_traits(_cohort(n, 1956), cfg)
    since = traits.since[0]
    assert abs((since == 2016).sum() - n * V60) < 4 * 65.6
    assert abs((since == 2017).sum() - n * (V61 - V60)) < 4 * 21.2
    assert set(np.unique(since)) <= {2016, 2017, 2018, 2019, int(NEVER)}


def test_no_onset_after_a_resident_has_left(youxi_config):
    # 20,000 aged 70 in 2016 who leave in June 2017 (exit month index 18): onsets only in
    # 2016 (prevalent) or 2017, never 2018-2019, so the register describes their last year
    cohort = _cohort(20_000, 1946, exit_month=18)
    since = sample_traits(cohort, _config(youxi_config)).since
    assert (since[since != NEVER] <= 2017).all()
    assert (since == 2017).any()


def test_the_traits_repeat_with_the_seed_and_change_with_another(youxi_config):
    cohort = _cohort(5000, 1950)
    cfg = _config(youxi_config)
    a, b = sample_traits(cohort, cfg), sample_traits(cohort, cfg)
    assert np.array_equal(a.since, b.since) and np.array_equal(a.z_manage, b.z_manage)
    other = sample_traits(cohort, cfg.model_copy(update={"seed": cfg.seed + 1}))
    assert not np.array_equal(a.since, other.since)


def test_the_register_grows_as_the_county_ages(youxi_config, youxi_system):
    # Youxi's year-end register — residents present in December with the condition —
    # for 40,000 residents in 2016 (the population plan and the run's own draws, no
    # care simulated). Before incidence it fell from 2016 to 2019 (the full-size demo's
    # patients under management: hypertension 31,754 → 30,469, diabetes 7,630 → 7,322)
    # while the 60+ share rose from 14.9 to 16.6 %.
    cfg = youxi_config
    targets = population_targets(youxi_system, cfg.period.years)
    plan = plan_population(cfg, targets, scale=40_000 / targets[2016][0])
    month_year = plan.months.astype("datetime64[Y]").astype(int) + 1970
    register = np.zeros((2, 4), np.int64)
    for b in range(n_blocks(plan, cfg.block_size)):
        res = sample_residents(plan, cfg, np.ones(1), block=b)
        traits = sample_traits(res, cfg)
        for i, y in enumerate(cfg.period.years):
            december = np.flatnonzero(month_year == y)[-1]
            present = res.present(np.array([december]))[0]
            for c in range(2):
                register[c, i] += (present & traits.has(c, y)).sum()
    growth = register[:, 3] / register[:, 0] - 1
    # about +9 % (hypertension) and +8 % (diabetes) over three years; sampling noise of
    # a three-year change among ~3,000 and ~700 patients is a few per cent at most
    assert (growth > 0.03).all(), register


def test_new_cases_are_followed_up(small_tables):
    # the run's patients followed up in the year, hypertension (4,000 residents): 406 in
    # 2016 falling to 386 in 2019 before incidence
    fu = small_tables["followups"]
    year = pd.to_datetime(fu["date"]).dt.year
    ht = fu[fu["condition"] == "hypertension"]
    patients = ht.groupby(year[ht.index])["resident_id"].nunique()
    assert patients[2019] > patients[2016]
