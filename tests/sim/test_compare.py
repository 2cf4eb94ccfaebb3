import math

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.sim.compare import RegimeComparison


def test_summary_of_a_year_not_compared_names_the_years():
    frame = pd.DataFrame(
        {
            "regime": ["sanming", "sanming"],
            "year": [2018, 2019],
            "figure": ["hospitalization_rate", "hospitalization_rate"],
            "value": [16.0, 15.5],
        }
    )
    cmp = RegimeComparison(frame=frame, settlements={}, runs={"sanming": None})
    assert cmp.summary(2019).frame.loc[:, "Sanming IMPM"].tolist() == [15.5]  # built-in title
    with pytest.raises(
        InputError, match=r"year: expected one of the compared years \[2018, 2019\], got 2030"
    ):
        cmp.summary(2030)


def test_the_uses_of_the_kept_balance_follow_the_kept_balance():
    keys = ["clawback", "balance_kept", "staff_incentive", "cooperation"]
    frame = pd.DataFrame(
        {"regime": "sanming", "year": 2018, "figure": keys, "value": [5.0, 10.0, 6.0, 4.0]}
    )
    rows = list(
        RegimeComparison(frame=frame, settlements={}, runs={"sanming": None}).wide(2018).index
    )
    kept = rows.index("Kept by the consortium: balance or shared savings (million yuan)")
    # the "of which" rows break down the kept balance (6 + 4 = 10), so they sit under it
    assert rows[kept + 1 : kept + 3] == [
        "  of which staff salary incentives (million yuan)",
        "  of which cooperation among CH/THC/clinics (million yuan)",
    ]
    assert rows.index("Balance clawed back (million yuan)") < kept


def test_compared_labels_give_the_catalogue_unit():
    # The comparison table printed the hospitalization rate as "(%)" (seed 002's label),
    # but the catalogue defines it as admissions per 100 residents; a label must carry
    # the unit the catalogue computes in.
    from ihms.indicators import load_catalogue
    from ihms.sim.compare import COMPARED

    catalogue = load_catalogue()
    for indicator, label in COMPARED.items():
        unit = catalogue[indicator].unit
        expected = "(%)" if unit == "%" else f"({unit.split(',')[0]})"
        assert label.endswith(expected), (indicator, label, unit)


def test_the_library_refuses_a_county_too_small_for_deqing_before_simulating(
    youxi_config, youxi_system, monkeypatch
):
    # as `ihms sim compare --residents 5100` (tests/sim/test_cli_regimes.py): 5,100
    # residents × population.insured_share 0.97 ≈ 4,997 insured in 2018 (the first settled year, the fewest), under the 5,000
    # assigned people the minimum savings rate table of deqing-shared-savings starts at
    from ihms.sim import compare

    def no_simulating(*args, **kwargs):
        raise AssertionError("simulated before the check")

    monkeypatch.setattr(compare.CountySimulation, "run", no_simulating)
    with pytest.raises(InputError) as refused:
        compare.compare_regimes(
            youxi_config, regimes=("sanming", "deqing"), residents=5100, system=youxi_system
        )
    text = " ".join(str(refused.value).split())
    assert text.startswith("parameter 'residents': 5,100 residents give about 4,997 insured")
    assert "residents in 2018 (population.insured_share 0.97)" in text
    assert "minimum savings rate table of rules 'deqing-shared-savings'" in text
    assert "simulate at least 5,154" in text


@pytest.fixture(scope="module")
def sanming_and_deqing(youxi_config, youxi_system):
    """Sanming's budget and Deqing's shared savings on one 6,000-resident county (Deqing's
    minimum savings rate starts at 5,000 assigned people). Seed 4: Deqing's savings pass
    the minimum savings rate in both settled years, 2018 and 2019 (seed 7's did only in
    2017, the reform's baseline year, which is no longer settled)."""
    from ihms.sim.compare import compare_regimes

    return compare_regimes(
        youxi_config,
        regimes=("sanming", "deqing"),
        residents=6000,
        seed=4,
        system=youxi_system,
    )


_USES = ("staff_incentive", "cooperation", "health_promotion", "institutional_development")


def test_what_the_consortium_keeps_is_the_sum_of_its_uses_under_shared_savings_too(
    sanming_and_deqing,
):
    # Session 18 review, finding 8: Deqing's column showed "Balance kept by the
    # consortium 0.00" over "of which" rows of 0.02 / 0.02 / 0.03 (its shared savings,
    # distributed), and the figure drew Deqing at zero though it earned shared savings.
    # The parent row is what the consortium keeps to distribute — a kept balance under a
    # budget, the shared savings under Deqing's rules — so its uses add up to it.
    frame = sanming_and_deqing.frame.set_index(["regime", "year", "figure"])["value"]
    for regime, records in sanming_and_deqing.settlements.items():
        for year, rec in records.items():
            kept = frame[regime, year, "balance_kept"]
            uses = sum(frame[regime, year, use] for use in _USES)
            assert kept == pytest.approx(uses, abs=1e-9), (regime, year)
            assert kept == rec.distribution.total_fen / 100 / 1e6
    earned = [
        y
        for y, rec in sanming_and_deqing.settlements["deqing"].items()
        if rec.distribution.total_fen
    ]
    assert earned, "the fixture should earn Deqing some shared savings"
    for year in earned:
        assert frame["deqing", year, "balance_kept"] == frame["deqing", year, "shared_savings"] > 0


def test_the_figure_draws_what_the_consortium_keeps(sanming_and_deqing):
    fig = sanming_and_deqing.figure()
    frame = sanming_and_deqing.frame
    (ax,) = [a for a in fig.axes if a.get_title().startswith("Kept by the consortium")]
    for line in ax.get_lines():
        if line.get_label().startswith("reform from"):
            continue  # the reform month's mark
        regime = {"Deqing CIHO": "deqing", "Sanming IMPM": "sanming"}[line.get_label()]
        sel = frame[(frame["regime"] == regime) & (frame["figure"] == "balance_kept")]
        assert list(line.get_ydata()) == list(sel["value"])
    deqing = frame[(frame["regime"] == "deqing") & (frame["figure"] == "balance_kept")]
    assert deqing["value"].max() > 0


def test_compared_labels_name_the_standardized_management_rates_as_such():
    # Session 18 review, finding 7: "Hypertension management (%)" read as the management
    # rate (管理率, coverage); the catalogue's indicator is the standardized management
    # rate (规范管理率: managed patients followed up at least four times). The label must
    # carry the catalogue's qualifier, as the calibration's (targets.py) does.
    from ihms.indicators import load_catalogue
    from ihms.sim.compare import COMPARED

    catalogue = load_catalogue()
    standardized = [k for k in COMPARED if "standardized" in catalogue[k].name_en]
    assert standardized == ["hypertension_management_rate", "diabetes_management_rate"]
    assert COMPARED["hypertension_management_rate"] == "Hypertension standardized management (%)"
    assert COMPARED["diabetes_management_rate"] == "Diabetes standardized management (%)"


def test_the_intervals_are_wilsons_for_shares_and_garwoods_for_the_admission_rate():
    # Session 18 review, finding 6: FFS diabetes standardized management 70.30 % = 284 /
    # 404. Wilson's score interval (Wilson 1927; z = 1.959964), worked out: centre (p +
    # z²/2n) / (1 + z²/n) = 0.701059, half-width z √(p(1-p)/n + z²/4n²) / (1 + z²/n) =
    # 0.044389.
    from scipy.stats import chi2

    from ihms.sim._intervals import interval

    low, high = interval("diabetes_management_rate", 284, 404)
    assert (low, high) == pytest.approx((65.6670, 74.5447), abs=1e-3)
    # the hospitalization rate: 498 admissions over 3,037 residents (average
    # population); Garwood's exact Poisson limits χ²(0.025; 2k)/2 and χ²(0.975; 2k+2)/2
    low, high = interval("hospitalization_rate", 498, 3037.0)
    assert low == pytest.approx(chi2.ppf(0.025, 2 * 498) / 2 / 3037 * 100, rel=1e-9)
    assert high == pytest.approx(chi2.ppf(0.975, 2 * 499) / 2 / 3037 * 100, rel=1e-9)
    # no patients: no interval (review R1.6: comparing two NaN tuples with != held
    # whatever they were)
    assert all(math.isnan(v) for v in interval("diabetes_management_rate", 0, 0))
    assert all(math.isnan(v) for v in interval("hospitalization_rate", 0, 0.0))


def test_the_comparison_says_what_each_rate_rests_on(sanming_and_deqing):
    # Session 18 review, finding 6: the regimes table gave no N and no uncertainty; each
    # regime is one stochastic run, and the diabetes rows rest on a few hundred patients.
    cmp = sanming_and_deqing
    table = cmp.summary(2019)
    frame = table.frame
    for regime, label in (("sanming", "Sanming IMPM"), ("deqing", "Deqing CIHO")):
        run = cmp.runs[regime]
        assert frame.loc["Residents simulated, ever present (N)", label] == run.residents
        counts = cmp.counts[(cmp.counts["regime"] == regime) & (cmp.counts["year"] == 2019)]
        n = counts.set_index("indicator")["denominator"]
        assert (
            frame.loc["Diabetic patients under management (N)", label]
            == n["diabetes_management_rate"]
            == n["diabetes_control_rate"]
        )
        assert (
            frame.loc["Hypertensive patients under management (N)", label]
            == (n["hypertension_management_rate"])
        )
    notes = " ".join(table.notes)
    assert f"one stochastic run of {cmp.runs['sanming'].residents:,} residents" in notes
    rendered = table.to_text()
    assert "Diabetic patients under management (N)" in rendered

    intervals = cmp.intervals(2019)
    cell = intervals.frame.loc[
        "Diabetes standardized management (%) — N: diabetic patients under management",
        "Deqing CIHO",
    ]
    row = cmp.counts.set_index(["regime", "year", "indicator"]).loc[
        ("deqing", 2019, "diabetes_management_rate")
    ]
    from ihms.sim._intervals import interval

    low, high = interval("diabetes_management_rate", row["numerator"], row["denominator"])
    assert cell == (
        f"{row['value']:.2f} ({low:.2f}–{high:.2f}); "
        f"{round(row['numerator']):,} / {round(row['denominator']):,}"
    )
    assert low < row["value"] < high
    assert "one stochastic run" in " ".join(intervals.notes)
    with pytest.raises(InputError, match="expected one of the compared years"):
        cmp.intervals(2030)


def test_fee_for_service_says_its_rise_extends_the_tuned_drift(youxi_config):
    # Session 18 review, finding 6: FFS hospitalizations climb 16.4 → 20.0 per 100 by
    # extending a tuned drift; the note names it, with the config's value.
    from types import SimpleNamespace

    from ihms.sim.compare import FFS_DRIFT, _drift_note

    assert FFS_DRIFT in youxi_config.calibration.tuned
    value = youxi_config.regimes["fee-for-service"].ch_attraction_drift_per_year
    (note,) = _drift_note({"fee-for-service": SimpleNamespace(config=youxi_config)})
    assert f"regimes.fee-for-service.ch_attraction_drift_per_year = {value:g} a year" in note
    assert "tuned with the calibration" in note and "before 2017-10" in note
    # extended to the period's last year, the config's (not a year written in the note)
    later = youxi_config.model_copy(
        update={"period": youxi_config.period.model_copy(update={"end": "2021-12"})}
    )
    (note,) = _drift_note({"fee-for-service": SimpleNamespace(config=later)})
    assert "extended unchanged to 2021" in note
    assert _drift_note({"sanming": SimpleNamespace(config=youxi_config)}) == ()


def test_personnel_cost_per_physician_is_the_county_hospitals_and_thcs(sanming_and_deqing):
    # Session 18 review, finding 5: the row is the county hospitals' and THCs' personnel
    # cost over their physicians; village clinics (no physicians counted, paid by volume)
    # are left out of the numerator as of the denominator. Review R1.5: selected by tier,
    # as the row's label says — a centre that a small run scales to no physician still
    # pays staff (by volume) and is one of the THCs; it was left out for having none.
    from ihms.sim._codes import CH, THC

    frame = sanming_and_deqing.frame.set_index(["regime", "year", "figure"])["value"]
    zero_headed = 0
    for regime, run in sanming_and_deqing.runs.items():
        res = run.resources
        heads = res["gps"].fillna(0) + res["specialists"].fillna(0)
        salaried = res["institution_id"].isin(
            [
                inst
                for inst, tier in zip(
                    run.layout.institution_ids, run.layout.institution_tier, strict=True
                )
                if tier in (CH, THC)
            ]
        )
        for year in (2016, 2019):
            sel = salaried & (res["year"] == year)
            zero_headed += int((sel & (heads == 0) & (res["personnel_cost_fen"] > 0)).sum())
            expected = res.loc[sel, "personnel_cost_fen"].sum() / 100 / heads[sel].sum()
            got = frame[regime, year, "personnel_cost_per_physician"]
            assert got == pytest.approx(expected, rel=1e-12), (regime, year)
    assert zero_headed, "the fixture should scale some THC to no physician"


def test_the_personnel_cost_note_follows_each_regimes_staff_pay_method():
    # Session 18 review R1, finding 4: the note always described Sanming's personnel cost
    # as annual salary, even when --rules gave Sanming rules with staff_pay.method: volume.
    from dataclasses import replace

    from ihms.payment import load_rules

    frame = pd.DataFrame(
        {
            "regime": ["fee-for-service", "sanming"],
            "year": 2019,
            "figure": "hospitalization_rate",
            "value": [16.0, 15.5],
        }
    )
    runs = {"fee-for-service": None, "sanming": None}

    def note(rules):
        notes = RegimeComparison(frame=frame, settlements={}, runs=runs, rules=rules).summary(2019)
        (said,) = [n for n in notes.notes if n.startswith("Personnel cost")]
        return said

    built_in = note({})
    assert "annual salary system (Sanming IMPM)" in built_in
    # review 27: 243,108 yuan "per physician" beside doctors' salaries of about 146,000
    assert "every staff member's pay (nurses, technicians and managers too)" in built_in
    sanming = load_rules("sanming")
    by_volume = replace(  # no annual salary, so no director's scorecard to gate on
        sanming,
        # no cards, so no card for other roles either (staff_pay.other_roles)
        staff_pay=replace(sanming.staff_pay, method="volume", scorecards={}, other_roles=None),
        settlement=replace(sanming.settlement, assessment="none"),
    )
    said = note({"sanming": by_volume})
    assert "annual salary" not in said
    assert "every compared regime's rules pay staff by volume" in said
    assert "for every staff member, divided by the physicians" in said


def test_the_figure_marks_the_reform_month(sanming_and_deqing):
    # User review 22s, L5: annual points and no mark of when the reform began. The
    # fixture's reform is the example's, October 2017: 2017 + 9/12 on the year axis.
    fig = sanming_and_deqing.figure()
    for ax in fig.axes:
        marks = [line for line in ax.get_lines() if line.get_label() == "reform from 2017-10"]
        assert len(marks) == 1, ax.get_title()
        assert list(marks[0].get_xdata()) == [2017.75, 2017.75]
