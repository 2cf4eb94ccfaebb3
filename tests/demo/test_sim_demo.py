"""The demo's regime comparison: seed 002's three regimes and Deqing's shared savings,
each figure the text quotes read from the comparison, money labelled by its regime."""

from __future__ import annotations

import pytest

from ihms.demo import _sim
from ihms.errors import InputError
from ihms.payment import load_rules
from ihms.sim import CountySimulation, load_sim_config
from ihms.sim._codes import regime_rules
from ihms.sim.compare import check_county_size, compare_regimes
from ihms.sim.load import example_file
from ihms.system import load_system

RESIDENTS = 6000  # Deqing's minimum savings rate starts at 5,000 assigned people


@pytest.fixture(scope="module")
def section(regime_comparison):
    comparison = regime_comparison  # RESIDENTS residents, seed 7 (conftest)
    mp = pytest.MonkeyPatch()
    mp.setattr(_sim, "COMPARE_RESIDENTS", RESIDENTS)
    try:
        yield comparison, _sim._regimes_section(comparison)
    finally:
        mp.undo()


def test_the_demo_compares_deqing_with_seed_002s_regimes(section):
    comparison, sec = section
    assert _sim.COMPARE_REGIMES == ("fee-for-service", "sanming", "other-areas", "deqing")
    assert sec.title == "Four ways to pay the same county"
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    wide = comparison.wide(2019)
    share = wide.loc["Primary-care share of outpatient contacts (%)", "deqing"]
    assert f"in 2019 its primary-care share is {share:.1f} %" in text
    (n,) = {run.residents for run in comparison.runs.values()}
    assert f"each run {n:,} residents" in text
    regimes = {t.name: t.table.to_frame() for t in sec.tables()}["sim_regimes"]
    assert "Deqing CIHO" in regimes.columns


def test_the_runs_money_is_said_as_the_share_of_youxi_they_simulate(section):
    # Review 399, finding 2: "about one eighteenth of Youxi's" was 20,000 residents of
    # Youxi's 358,000 (Zhong et al. 2023, Table 2: 35.8 ten-thousands in 2016), said for
    # runs of any size; these runs are 6,000 of 358,000 = 1.676 %, about 1.7 %.
    comparison, sec = section
    for run in comparison.runs.values():
        assert run.plan.scale == pytest.approx(RESIDENTS / 358_000, rel=1e-12)
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    assert "money is that population's, about 1.7 % of Youxi's)" in text
    assert "eighteenth" not in text
    (figure,) = [f for f in sec.figures() if f.name == "sim_regimes_figure"]
    assert figure.caption.endswith("about 1.7 % of Youxi's).")


def test_the_demo_shows_what_each_regimes_rates_rest_on(section):
    # Session 18 review, finding 6: N, one run per regime, and an interval per rate
    comparison, sec = section
    tables = {t.name: t.table for t in sec.tables()}
    regimes = tables["sim_regimes"]
    assert regimes.frame.loc["Residents simulated, ever present (N)", "Sanming IMPM"] == (
        comparison.runs["sanming"].residents
    )
    assert "one stochastic run" in " ".join(regimes.notes)
    intervals = tables["sim_regimes_intervals"].to_frame()
    assert list(intervals.columns) == list(regimes.frame.columns)
    # one cell against statsmodels directly: Sanming's 2019 primary-care share, Wilson's
    # score interval of its contacts in primary care over all outpatient contacts
    from statsmodels.stats.proportion import proportion_confint

    counts = comparison.counts.set_index(["regime", "year", "indicator"])
    row = counts.loc[("sanming", 2019, "outpatient_contacts_primary_share")]
    low, high = proportion_confint(
        round(row["numerator"]), round(row["denominator"]), alpha=0.05, method="wilson"
    )
    cell = intervals.loc[
        "Primary-care share of outpatient contacts (%) — N: outpatient contacts", "Sanming IMPM"
    ]
    assert cell == (
        f"{row['value']:.2f} ({low * 100:.2f}–{high * 100:.2f}); "
        f"{round(row['numerator']):,} / {round(row['denominator']):,}"
    )


def test_the_demo_sets_deqings_run_beside_seed_004_without_claiming_calibration(section):
    from ihms.sim.seed004 import seed_004_comparison

    comparison, sec = section
    tables = {t.name: t.table for t in sec.tables()}
    table = tables["sim_deqing_beside_jia_2021"]
    expected = seed_004_comparison(comparison.runs["deqing"]).frame.set_index("figure")
    shown = table.to_frame()
    assert list(shown["Deqing 2016"]) == [27.3, 6.8, 1.4]  # seed 004, Results
    assert list(shown["simulated 2018"]) == list(expected["simulated_after"])
    assert "no calibration of the Deqing regime has been done" in " ".join(table.notes)
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    row = expected.loc["Inpatient care outside the county (%)"]
    assert (
        f"from {row['simulated_before']:.1f} % in 2016 to {row['simulated_after']:.1f} % in 2018"
        in text
    )
    assert "27.3 % to 24.5 %" in text and "not tuned" in text


def test_what_each_settlement_leaves_is_labelled_by_regime(section):
    comparison, sec = section
    kept = {t.name: t.table.to_frame() for t in sec.tables()}["sim_regime_balances"]
    assert list(kept.columns) == [
        "Sanming IMPM: balance",
        "Other areas of China: balance",
        "Deqing CIHO: shared savings",
    ]
    deqing = comparison.settlements["deqing"]
    for year, rec in deqing.items():
        # yuan, from the settlement record's fen
        assert (
            kept.loc[year, "Deqing CIHO: shared savings"]
            == rec.shared_savings.shared_savings_fen / 100
        )


def test_the_calibration_figure_shows_every_yearly_figure_and_its_departures():
    # two gated figures (one within ±10 %, one not) and two shown for comparison (one
    # agreeing, one departing: 159.18 against 202.30, seed 002 Table 4's 2017 visits)
    from types import SimpleNamespace

    import pandas as pd

    frame = pd.DataFrame(
        {
            "figure": ["rate 2016", "rate 2019", "visits 2017", "share 2018", "CH slope"],
            "source": ["Zhong et al. 2023, Table 4"] * 3
            + ["Zhong et al. 2023, Table 5", "Zhong et al. 2023, Table 3"],
            "ratio": [1.0, 1.2, 159.18 / 202.30, 1.05, 1.8],
            "rule": ["±10 %", "±10 %", "shown", "shown", "sign, ×√10"],
            "within": [True, False, None, None, True],
            "agrees": [True, False, False, True, True],
        }
    )
    fig = _sim._calibration_figure(SimpleNamespace(frame=frame))
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_height() < 1][:4]  # the bars, not the band
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "rate 2016",
        "rate 2019",
        "visits 2017",
        "share 2018",
    ]
    red = (0.894, 0.341, 0.337)
    assert [tuple(round(c, 3) for c in b.get_facecolor()[:3]) == red for b in bars] == [
        False,
        True,
        True,
        False,
    ]
    assert [bool(b.get_hatch()) for b in bars] == [False, False, True, True]
    # review 27: the bars started at the axis' edge (0.5); each now runs from 1 to its
    # ratio, so its length is the departure (visits 2017: 159.18 / 202.30 = 0.787)
    assert [round(b.get_x(), 3) for b in bars] == [1.0] * 4
    ends = [round(b.get_x() + b.get_width(), 3) for b in bars]
    assert ends == [1.0, 1.2, round(159.18 / 202.30, 3), 1.05]


def test_a_run_too_small_for_deqing_leaves_it_out_and_says_so(monkeypatch):
    # 1,500 residents: about 1,460 insured, below the 5,000 assigned people where the
    # minimum savings rate table starts (MSSP, 42 CFR 425.110)
    config = load_sim_config(example_file("youxi_sim.yaml"))
    system = load_system(config.county)
    three = ("fee-for-service", "sanming", "other-areas")
    assert _sim._compared_regimes(config, 1500, system) == three
    assert _sim._compared_regimes(config, 20_000, system)[-1] == "deqing"
    comparison = compare_regimes(
        config,
        regimes=_sim._compared_regimes(config, 1500, system),
        residents=1500,
        seed=7,
        system=system,  # the county file read once above
    )
    monkeypatch.setattr(_sim, "COMPARE_RESIDENTS", 1500)
    sec = _sim._regimes_section(comparison)
    assert sec.title == "Three ways to pay the same county"
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    assert "Deqing's shared savings (Jia et al. 2021) are left out: runs of 1,500 residents" in text
    assert "which starts at 5,000 assigned people" in text  # the table's first band


def test_deqing_is_left_out_exactly_when_the_county_size_check_refuses_it():
    # The demo asks the check `ihms sim run|compare` and CountySimulation.run use, so the
    # two cannot drift: 5,100 residents give about 4,997 insured in 2018 (the first
    # settled year), under the MSR table's 5,000 (+1 % margin): refused, left out; 5,300
    # give more: taken (a fixed limit of 5,500 residents, the demo's before, left it out
    # while `sim compare` ran it). Figures: tests/sim/test_cli_regimes.py, "simulate at
    # least 5,154".
    config = load_sim_config(example_file("youxi_sim.yaml"))
    system = load_system(config.county)
    rules = load_rules(regime_rules("deqing"))
    for residents, fits in ((1500, False), (5100, False), (5300, True), (20_000, True)):
        sim = CountySimulation(config, regime="deqing", residents=residents, system=system)
        try:
            check_county_size(sim, rules)
            checked = True
        except InputError:
            checked = False
        assert checked == fits, residents
        compared = _sim._compared_regimes(config, residents, system)
        assert ("deqing" in compared) == fits, residents


def test_the_demo_sets_the_runs_2016_beside_the_whole_county(section):
    # Session 18 review, finding 6: the regimes table's 2016 hospitalization rate (16.45)
    # differs from the whole county's (17.00) before any reform: the text sets the two
    # side by side with the runs' interval, so the reader can size the regimes' gaps.
    comparison, _ = section
    wide = comparison.wide(2016).loc["Hospitalization rate (admissions per 100 residents)"]
    assert wide.nunique() == 1  # same seed, no reform yet: every regime the same
    sec = _sim._regimes_section(comparison, whole={"hospitalization_rate_2016": 17.0})
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    low, high = _garwood(comparison, 2016)
    assert (
        f"In 2016, before any reform, every run has {wide.iloc[0]:.2f} (95 % interval "
        f"{low:.2f}–{high:.2f}) admissions per 100 residents against 17.00 for the whole "
        "simulated county" in text
    )


def _garwood(comparison, year: int) -> tuple[float, float]:
    """The exact Poisson (Garwood) 95 % interval of the runs' hospitalization rate in
    ``year``, per 100 residents, from the comparison's counts through statsmodels."""
    from statsmodels.stats.rates import confint_poisson

    counts = comparison.counts.set_index(["regime", "year", "indicator"])
    row = counts.loc[("sanming", year, "hospitalization_rate")]
    low, high = confint_poisson(
        round(row["numerator"]), row["denominator"], method="exact-c", alpha=0.05
    )
    return float(low) * 100, float(high) * 100


def test_the_2016_gap_is_judged_by_the_runs_interval(section):
    # Session 18 review R1, item 4: the gap to the whole county was always called
    # sampling; it is only when the county's rate lies inside the runs' interval.
    comparison, _ = section
    low, high = _garwood(comparison, 2016)
    inside = (low + high) / 2
    text = _sim._baseline_text(comparison, {"hospitalization_rate_2016": inside})
    assert f"(95 % interval {low:.2f}–{high:.2f})" in text
    assert "inside the runs' 95 % interval" in text and "sampling, not payment" in text
    outside = high + 1.0
    text = _sim._baseline_text(comparison, {"hospitalization_rate_2016": outside})
    assert f"against {outside:.2f} for the whole simulated county" in text
    assert "outside the runs' 95 % interval" in text
    assert "sampling, not payment" not in text


def test_runs_that_differ_before_the_reform_are_judged_run_by_run(section):
    # one run's 2016 admissions doubled (as a regime acting before the reform would):
    # the county's rate lies inside the others' intervals only, and the gap is not
    # called sampling
    import dataclasses

    comparison, _ = section
    counts = comparison.counts.copy()
    hit = (
        (counts["regime"] == "sanming")
        & (counts["year"] == 2016)
        & (counts["indicator"] == "hospitalization_rate")
    )
    counts.loc[hit, ["numerator", "value"]] *= 2
    low, high = _garwood(comparison, 2016)
    text = _sim._baseline_text(
        dataclasses.replace(comparison, counts=counts),
        {"hospitalization_rate_2016": (low + high) / 2},
    )
    assert "the runs have " in text
    assert f"inside the 95 % intervals of {len(comparison.runs) - 1} of the " in text
    assert "sampling, not payment" not in text


def test_no_year_before_the_reform_no_before_any_reform_sentence(section):
    # a reform from January 2016 leaves no compared year before it: 2016 is a reform year
    import dataclasses
    from types import SimpleNamespace

    comparison, _ = section
    config = next(iter(comparison.runs.values())).config
    moved = config.model_copy(
        update={"reform": config.reform.model_copy(update={"date": "2016-01"})}
    )
    runs = {r: SimpleNamespace(config=moved) for r in comparison.runs}
    early = dataclasses.replace(comparison, runs=runs)
    assert _sim._baseline_text(early, {"hospitalization_rate_2016": 17.0}) == ""
    # and the regimes' text names the config's reform month, not October 2017
    assert "from January 2016" in _sim._reform_text(early)


def test_the_regime_money_tables_say_per_how_many_simulated_residents(section):
    # review P #8: "Sanming 2018 balance" was 10.27 M in the settlement sections (the whole
    # county) and 391,444.83 in the regime tables (a run of 20,877 residents ever present,
    # asked for 20,000): the regime tables' titles now give the run's true N, the N row's
    comparison, sec = section
    (n,) = {run.residents for run in comparison.runs.values()}
    assert n != RESIDENTS  # residents ever present: more than the size asked for
    tables = {t.name: t.table for t in sec.tables()}
    for name in ("sim_regimes", "sim_regime_balances"):
        assert tables[name].title.endswith(f"per {n:,} simulated residents"), name
    wide = comparison.wide(2019)
    assert wide.loc["Residents simulated, ever present (N)"].eq(n).all()
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    notes = " ".join(note for t in tables.values() for note in t.notes)
    assert f"{RESIDENTS:,} residents" not in text + notes


def test_a_regime_run_s_figures_are_tagged_and_the_whole_county_s_named(section):
    # Session 24 review, item 11: Sanming's 2019 primary-care share was 68.13 (whole
    # county, Table 4) and 67.61 (the regime run) with nothing telling the two apart
    comparison, _ = section
    wide = comparison.wide(2019)
    (n,) = {run.residents for run in comparison.runs.values()}
    whole = {"outpatient_contacts_primary_share_2019": 68.13, "hospitalization_rate_2019": 16.37}
    sec = _sim._regimes_section(comparison, whole=whole)
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text"))
    share = wide.loc["Primary-care share of outpatient contacts (%)", "sanming"]
    rate = wide.loc["Hospitalization rate (admissions per 100 residents)", "sanming"]
    assert f"{share:.1f} % ({n:,}-resident run) under Sanming's rules" in text
    assert f"{rate:.1f} admissions per 100 residents ({n:,}-resident run)" in text
    notes = " ".join({t.name: t.table for t in sec.tables()}["sim_regimes"].notes)
    assert "whole simulated county has a primary-care share of 68.13 %" in notes
    assert "hospitalization rate of 16.37 in 2019" in notes
    # and the whole county's Table 4 names the run's figures in turn
    from types import SimpleNamespace

    from ihms.demo._sim_regimes import regime_run_note

    (note,) = regime_run_note(comparison, SimpleNamespace(regime="sanming"))
    assert f"gives {share:.2f} % and {rate:.2f} for 2019 ({n:,}-resident run)" in note
    assert "Four ways to pay the same county" in note
    assert regime_run_note(comparison, SimpleNamespace(regime="no-such-regime")) == ()
