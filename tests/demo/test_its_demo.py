"""The ITS demo step writes its section, tables and figure into the report."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.demo import STEPS, Step, run_demo
from ihms.demo._its import example_path


def _example_fits():
    """The four ITS fits of the bundled synthetic series (Newey-West, lag 1)."""
    from ihms.demo._its import OUTCOMES, REFORM
    from ihms.stats import ITSModel

    data = pd.read_csv(example_path())
    return {
        o: ITSModel(data, outcome=o, time="month", interruptions=REFORM, seasonal=True).fit(
            cov_type="newey", lags=1
        )
        for o in OUTCOMES
    }


def test_its_step_runs_after_the_steps_it_reads():
    keys = [s.key for s in STEPS]
    assert keys.index("sim") < keys.index("its")


@pytest.fixture(scope="module")
def its_report(tmp_path_factory):
    """The report of the ITS step alone (on the bundled series), built once."""
    tmp_path = tmp_path_factory.mktemp("its")
    step = next(s for s in STEPS if s.key == "its")
    report = run_demo(tmp_path / "demo", steps=[Step(step.key, step.label, step.target)])
    return tmp_path, report


def test_its_step_writes_the_report(its_report):
    tmp_path, report = its_report
    html = report.read_text(encoding="utf-8")
    assert "Interrupted time series of county-hospital outcomes" in html
    assert "Zhong et al. 2023, Table 3" in html
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
    seed = pd.read_csv(
        tmp_path / "demo" / "tables" / "its-its_beside_zhong_2023.csv",
        encoding="utf-8-sig",
        index_col=0,
    )
    # every term of seed 002 Table 3 beside the fit; visits' pre-reform slope 578.3
    assert len(seed) == 12
    assert (
        seed.loc["CH outpatient+emergency visits: pre-reform slope", "Youxi (Zhong et al. 2023)"]
        == 578.3
    )


def test_its_step_tests_the_orders_and_chooses_the_lag_of_its_fit_lags_auto(its_report):
    # review of 2026-11-25, finding 3: the demo tested 12 orders (Bonferroni 0.05/12)
    # while `ihms its lags`, `its fit --lags auto` and the calibration test the library's
    # default, 12 or a quarter of the months if fewer: 11 for these 46 months
    from tests.cli.test_its_cli import run_json

    from ihms.demo._its import OUTCOMES

    tmp_path, report = its_report
    table = pd.read_csv(
        tmp_path / "demo" / "tables" / "its-its_breusch_godfrey.csv",
        encoding="utf-8-sig",
        index_col=0,
    )
    html = report.read_text(encoding="utf-8")
    coefficients = pd.read_csv(
        tmp_path / "demo" / "tables" / "its-its_coefficients.csv", encoding="utf-8-sig", index_col=0
    )
    for outcome, shown in OUTCOMES.items():
        args = ["its", "lags", str(example_path()), "--outcome", outcome, "--time", "month",
                "--interruption", "2017-10", "--seasonal"]  # fmt: skip
        cli = run_json(args)
        orders = len(cli["tests"])
        assert orders == 11
        assert table.columns[4] == f"p (lags 1-{orders})"
        assert table.loc[shown, f"p (lags 1-{orders})"] == pytest.approx(cli["tests"][-1]["p"])
        assert table.loc[shown, "chosen lag"] == cli["suggested_lag"]
        fit = run_json(["its", "fit", *args[2:], "--lags", "auto"])
        assert (coefficients.filter(like=shown, axis=0)["lag"] == fit["lags"]).all()
    assert f"0.05/{orders} (Bonferroni over the {orders} orders tested" in html
    assert "0.05/12" not in html


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
    from ihms.demo._its import _figure

    fits = _example_fits()
    fig = _figure(fits)
    # review 27: each panel's legend covered observed months; one legend below them all
    assert all(ax.get_legend() is None for ax in fig.axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()][:2] == ["Observed", "Fitted"]
    labels = [ax.get_ylabel() for ax in fig.axes]
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
    said = _prose(fits, "")[1]
    assert "and this fit shows the same change of slope" in said
    # the slope changes are calibration targets: their match is no independent evidence
    assert "checks the tuning and is no independent evidence" in said
    flat = fits["outpatient_emergency_visits"]
    flat.params["_x_t2017m10"] = 12.0
    flat.pvalues["_x_t2017m10"] = 0.4
    text = _prose(fits, "")[1]
    assert "same change of slope" not in text
    # seed 002 Table 3 (DOMAIN.md section 6): +578.3 a month before, slope change -459.9
    assert "(β1 = +578.3 visits a month)" in text and "(β3 = −459.9)" in text
    assert "these series do not show that pattern" in text


def test_the_prose_says_where_the_fits_depart_from_table_3(its_fits):
    # the audit of the demo: the simulated cost per outpatient visit's slope change (0.20)
    # was printed beside seed 002's 2.0 (Table 3) without a word on the tenfold gap
    from ihms.demo._its import _prose

    paragraphs = _prose(its_fits(), "")
    # 0.20 / 2.0 = 10 %; cost per hospitalization 7.9 / 18.7 = 42 %, inside 1/sqrt(10)
    assert (
        "the cost per outpatient visit's slope change here is 0.20 yuan against Youxi's "
        "2.00, 10% of it (departs from it)" in paragraphs[2]
    )
    assert (
        "the cost per hospitalization's slope change here is 7.9 yuan against Youxi's 18.7, "
        "42% of it (agrees with Youxi's in sign and size, as the calibration required; "
        # Zhong et al. 2023, Table 3: cost per stay slope change 18.7, 95% CI -2.5 to 39.9
        "Youxi's own 95% interval, -2.5 to 39.9, holds zero)" in paragraphs[2]
    )
    # of the 12 terms, the 5 outside a factor of sqrt(10): cost per visit -0.15 / -0.9,
    # 2.24 / 15.9, 0.20 / 2.0; cost per stay 1.7 / 6.4 = 27 %, 514.8 / 100.1 = 5.1 times
    assert (
        "on 7 of Zhong et al. 2023's 12 Table 3 terms the simulated county's fits have the published "
        "sign and lie within a factor of 3.16 (√10) of the published value" in paragraphs[4]
    )
    assert "They depart on 5:" in paragraphs[4]
    assert "CH cost per hospitalization (yuan): level change: 514.8 against Youxi's 100.1, 5.1 times as large" in paragraphs[4]  # fmt: skip
    assert "simulated county" in paragraphs[4]


def test_the_prose_names_no_departure_when_every_term_agrees(its_fits):
    from ihms.demo._its import _prose

    fits = its_fits()
    # seed 002 Table 3's own estimates for the two cost series
    for name, terms in (
        ("cost_per_outpatient_visit", (-0.9, 15.9, 2.0)),
        ("cost_per_hospitalization", (6.4, 100.1, 18.7)),
    ):
        fits[name].params[["_t", "_x2017m10", "_x_t2017m10"]] = terms
    text = _prose(fits, "", simulated=False)[4]
    assert "on 12 of Zhong et al. 2023's 12 Table 3 terms the synthetic series's fits" in text
    assert "depart" not in text


def test_the_prose_says_when_a_post_reform_trend_runs_against_seed_002(its_fits):
    from ihms.demo._its import _prose

    fits = its_fits()
    # stand-in visits: 501.2 - 469.4 = +31.8 a month after the reform, the direction of
    # seed 002 Table 3's 578.3 - 459.9 = +118.4; stand-in hospitalizations 19.1 - 13.0 =
    # +6.1 against Youxi's 17.9 - 18.1 = -0.2, flat on the scale of its pre-reform slope
    # (0.2 < 0.1 x 17.9): nothing to say
    assert "runs the other way" not in _prose(fits, "")[4]
    # a slope change of -825.8 leaves 501.2 - 825.8 = -324.6 a month
    fits["outpatient_emergency_visits"].params["_x_t2017m10"] = -825.8
    text = _prose(fits, "")[4]
    assert (
        "After the reform the trend itself (β1 + β3) runs the other way: outpatient and "
        "emergency visits fall by 324.6 a month, where Zhong et al. 2023's estimates give Youxi +118.4."
        in text
    )


def test_the_post_trend_table_shows_seed_002s_beside_each():
    from ihms.demo._its import _post_trend_table

    fits = _example_fits()
    column = _post_trend_table(fits)["Zhong et al. 2023 (β1 + β3)"]
    # seed 002 Table 3: 578.3 - 459.9, 17.9 - 18.1, -0.9 + 2.0, 6.4 + 18.7
    assert column.tolist() == pytest.approx([118.4, -0.2, 1.1, 25.1])


def test_the_lag_table_shows_the_test_that_chose_the_lag():
    # review of the demo, session 18: the rule reads each order's own last lag (lag_p),
    # which the table did not show; the table now shows the p that chose the lag and
    # the next order's own p, at which the stepwise reading stopped.
    from ihms.demo._its import OUTCOMES, REFORM, _lag_table
    from ihms.stats import ITSModel

    data = pd.read_csv(example_path())
    name = "outpatient_emergency_visits"
    bg = ITSModel(data, outcome=name, time="month", interruptions=REFORM, seasonal=True).lag_tests(
        max_lag=12
    )
    row = _lag_table({name: bg}).loc[OUTCOMES[name]]
    chosen = int(row["chosen lag"])
    assert row["own p of the next lag"] == pytest.approx(bg.table.loc[chosen + 1, "lag_p"])
    assert row["own p of the next lag"] >= 0.05
    # the bundled visits: order 1's own-lag p is 0.054 but its chi2 p 0.045 (the same
    # hypothesis, the p estat bgodfrey prints) rejects, so lag 1 is chosen by the chi2
    assert chosen == 1 and bg.order_one_by_chi2
    assert row["p that chose the lag"] == pytest.approx(bg.table.loc[1, "p"])
    assert row["p that chose the lag"] < 0.05 <= bg.table.loc[1, "lag_p"]


def test_the_lag_table_says_which_rule_set_the_lag_and_its_note_gives_both():
    # session 23 demo review, 16: the note described only the stepwise rule, while the
    # lag is the larger of the stepwise and the Bonferroni orders (ihms.stats._autocorr)
    from ihms.demo._its import OUTCOMES, REFORM, _lag_table, lag_notes
    from ihms.stats import ITSModel

    data = pd.read_csv(example_path())
    name = "outpatient_emergency_visits"
    bg = ITSModel(data, outcome=name, time="month", interruptions=REFORM, seasonal=True).lag_tests(
        max_lag=12
    )
    row = _lag_table({name: bg}).loc[OUTCOMES[name]]
    assert row["stepwise lag"] == bg.stepwise_lag
    assert row["Bonferroni lag"] == bg.bonferroni_lag
    assert row["chosen lag"] == max(bg.stepwise_lag, bg.bonferroni_lag)
    note = " ".join(lag_notes(len(bg.table)))
    assert "larger" in note and "Bonferroni" in note and "0.05/12" in note


def test_the_seasonal_table_says_which_months_rest_on_one_year():
    # review 27: the indices left out the ratios straddling the reform without saying so.
    # 46 months Feb 2016 - Nov 2019 give centred ratios Aug 2016 - May 2019 (34); those
    # centred Apr 2017 - Mar 2018 straddle October 2017 (t - 6 < Oct 2017 <= t + 6) and are
    # left out (12), so June and July keep only their 2018 ratio and the other months two.
    import numpy as np

    from ihms.demo._its import OUTCOMES, _seasonal_table
    from ihms.stats.its import ITSModel

    months = pd.period_range("2016-02", "2019-11", freq="M")
    t = np.arange(len(months))
    season = 1 + 0.1 * np.sin(2 * np.pi * months.month.to_numpy() / 12)
    after = (months >= pd.Period("2017-10", "M")).astype(float)
    data = pd.DataFrame({"month": months.astype(str)})
    for k, outcome in enumerate(OUTCOMES):
        data[outcome] = (1000 + 10 * t + 300 * after + k) * season
    results = {
        o: ITSModel(data, outcome=o, time="month", interruptions="2017-10", seasonal=True).fit()
        for o in OUTCOMES
    }
    table = _seasonal_table(results)
    averaged = dict(zip(table.frame.index, table.frame["ratios averaged"], strict=True))
    assert averaged == {m: (1 if m in ("Jun", "Jul") else 2) for m in averaged}
    notes = " ".join(table.notes)
    assert "12 ratio(s) left out of the indices" in notes
    assert "statsmodels' seasonal_decompose keeps them" in notes


def test_a_joint_breusch_godfrey_rejection_above_the_chosen_lag_gets_a_refit_note():
    # review 27: the demo's hospitalizations chose lag 0 (own p of lag 1: 0.345) while the
    # joint tests up to lags 2 and 3 rejected (p 0.043, 0.017), and nothing said so
    from types import SimpleNamespace

    from ihms.demo._its import _joint_note, _joint_rejection

    joint = {1: 0.20, 2: 0.043, 3: 0.017, **dict.fromkeys(range(4, 13), 0.09)}
    table = pd.DataFrame({"p": joint})
    assert _joint_rejection(SimpleNamespace(table=table, suggested_lag=0)) == 3
    assert _joint_rejection(SimpleNamespace(table=table, suggested_lag=3)) is None
    assert _joint_rejection(SimpleNamespace(table=table.clip(lower=0.06), suggested_lag=0)) is None

    def fit(lags, p_level, p_slope):
        index = ["_cons", "_t", "_x2017m10", "_x_t2017m10"]
        return SimpleNamespace(
            params=pd.Series(0.0, index=index),
            pvalues=pd.Series([0.0, 0.0, p_level, p_slope], index=index),
            lags=lags,
        )

    note = _joint_note("hospitalizations", fit(0, 1e-6, 0.0004), 3, 0.017, fit(3, 2e-5, 0.02))
    assert note.startswith("Hospitalizations: the joint test up to lag 3 rejects")
    assert "(p 0.017) though the rule chose lag 0; with Newey-West lag 3 instead" in note
    assert note.endswith(
        "the level change's p <0.001 → <0.001, the slope change's p <0.001 → 0.020."
    )


def test_the_published_figures_are_shown_as_the_study_prints_them():
    # review 27 follow-up: Zhong et al. 2023's post-reform trend 118.4 (578.3 - 459.9,
    # Table 3) was shown as 118.4000 beside this fit's four-place estimates
    from ihms.demo._its import _table
    from ihms.sources import ZHONG_2023

    frame = pd.DataFrame(
        {
            "estimate": [-273.17629],
            f"{ZHONG_2023} (β1 + β3)": [578.3 - 459.9],
            "Youxi 95% CI low": [-0.15],
            "this fit / Youxi": [0.4567],
        }
    )
    row = _table(frame, "T").to_text().splitlines()[-2].split()
    assert row == ["0", "-273.1763", "118.4", "-0.15", "0.46"]
