"""Demo step: interrupted time series of the county hospitals' monthly volumes and costs.

Mirrors seed 002 (Zhong et al. 2023), Table 3 and Figure 2: each outcome is seasonally
adjusted by the ratio to its centred 2x12 moving average, the Newey–West lag is chosen
with Breusch–Godfrey tests, and the single-group ITS is fitted with the reform in
October 2017. The data are the simulated county's series when the simulation step left
them in ``ctx.artefacts["series"]`` (the county hospitals' months from the store, counts at
Youxi's size), and otherwise the synthetic series in ``examples/series/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ihms.demo._run import DemoContext
from ihms.errors import InputError
from ihms.report import Section
from ihms.sim.targets import MAGNITUDE_FACTOR, compare_its
from ihms.stats import ITSModel, ITSResults, plot_its
from ihms.summary import SummaryTable, format_p, p_text

__all__ = ["run"]

EXAMPLE = Path("examples") / "series" / "county_hospital_monthly.csv"
REFORM = "2017-10"
OUTCOMES = {
    "outpatient_emergency_visits": "Outpatient and emergency visits",
    "hospitalizations": "Hospitalizations",
    "cost_per_outpatient_visit": "Cost per outpatient visit (yuan)",
    "cost_per_hospitalization": "Cost per hospitalization (yuan)",
}
#: What one unit of each outcome is: the y axis of its panel.
UNITS = {
    "outpatient_emergency_visits": "visits a month",
    "hospitalizations": "hospitalizations a month",
    "cost_per_outpatient_visit": "yuan per visit",
    "cost_per_hospitalization": "yuan per hospitalization",
}
COEFFICIENTS = {
    "_t": "β1 pre-reform slope",
    "_x2017m10": "β2 level change",
    "_x_t2017m10": "β3 slope change",
}


def example_path() -> Path:
    """The bundled series: next to the source tree, or under the working directory."""
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        candidate = root / EXAMPLE
        if candidate.is_file():
            return candidate
    raise InputError(f"example data {EXAMPLE} not found (run the demo from the repository)")


def _ci_names(results: dict[str, ITSResults]) -> dict[str, str]:
    """Column names of the estimates as the report shows them: ``std. error`` and the
    interval's level (``95% CI low``) for the fits' ``std_error``, ``ci_low``, ..."""
    level = next(iter(results.values())).level
    return {
        "coef": "estimate",
        "std_error": "std. error",
        "ci_low": f"{level:.0%} CI low",
        "ci_high": f"{level:.0%} CI high",
    }


def _coefficient_table(results: dict[str, ITSResults]) -> pd.DataFrame:
    names = _ci_names(results)
    rows = []
    for name, res in results.items():
        table = pd.concat(
            [res.params, res.std_errors.rename("std_error"), res.pvalues.rename("p")], axis=1
        ).join(res.conf_int())
        for term, label in COEFFICIENTS.items():
            row = table.loc[term]
            rows.append(
                {
                    "outcome": OUTCOMES[name],
                    "coefficient": label,
                    **{shown: row[col] for col, shown in names.items()},
                    "p": row["p"],
                    "lag": res.lags,
                }
            )
    frame = pd.DataFrame(rows)
    frame.index = pd.Index(
        [f"{o} — {c}" for o, c in zip(frame.pop("outcome"), frame.pop("coefficient"), strict=True)],
        name="outcome — coefficient",
    )
    return frame


def _post_trend_table(results: dict[str, ITSResults]) -> pd.DataFrame:
    rows = {OUTCOMES[n]: r.post_trend.iloc[0] for n, r in results.items()}
    frame = pd.DataFrame(rows).T
    frame.index.name = "post-reform slope per month"
    published = _published_post_trends(compare_its(results))
    frame["seed 002 (β1 + β3)"] = [published.get(n, np.nan) for n in results]
    return frame.rename(columns=_ci_names(results))


def _lag_table(tests: dict) -> pd.DataFrame:
    rows = {}
    for name, bg in tests.items():
        row = {f"p (lags 1-{p})": bg.table.loc[p, "p"] for p in (1, 2, 3, 6, 12)}
        row["chosen lag"] = lag = bg.suggested_lag
        # the tests the rule read: the chosen order's own last lag, and the next one's,
        # at which it stopped (the joint p-values above stay small when lag 1 alone
        # carries the correlation)
        row["own p of the chosen lag"] = bg.table.loc[lag, "lag_p"] if lag else float("nan")
        row["own p of the next lag"] = (
            bg.table.loc[lag + 1, "lag_p"] if lag + 1 in bg.table.index else float("nan")
        )
        rows[OUTCOMES[name]] = row
    frame = pd.DataFrame(rows).T
    frame.index.name = "outcome (seasonally adjusted, OLS residuals)"
    return frame


def _seasonal_table(results: dict[str, ITSResults]) -> pd.DataFrame:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    frame = pd.DataFrame(
        {
            OUTCOMES[n]: next(iter(r.seasonal.values())).indices.to_numpy()
            for n, r in results.items()
        },
        index=pd.Index(months, name="month"),
    )
    return frame


def _figure(results: dict[str, ITSResults]):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5))
    for ax, (name, res) in zip(axes.ravel(), results.items(), strict=True):
        plot_its(res, ax=ax, title=OUTCOMES[name], ylabel=f"{UNITS[name]} (seasonally adjusted)")
        ax.set_xlabel("")
    fig.tight_layout()
    return fig


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def _table(frame: pd.DataFrame, title: str, notes: tuple[str, ...] = ()) -> SummaryTable:
    whole = {c: "{:.0f}".format for c in ("lag", "chosen lag") if c in frame.columns}
    pvals = {c: format_p for c in frame.columns if c == "p" or c.startswith("p (")}
    ratios = {c: "{:.2f}".format for c in frame.columns if c == "this fit / seed"}
    return SummaryTable(frame, title=title, notes=notes, formats={**whole, **pvals, **ratios})


def _change(x: float, up: str, down: str) -> str:
    return f"{up} {_fmt(x)}" if x >= 0 else f"{down} {_fmt(-x)}"


# Seed 002, Table 3: slope change (β3) of the county hospitals' costs after the reform.
SEED_COSTS = (
    "Seed 002 (Table 3) found the cost per outpatient visit turning upward after the reform "
    "(β3 = 2.0 yuan a month, P < 0.001) and no significant change in the cost per "
    "hospitalization (β3 = 18.7, P = 0.083); it reads a higher cost per visit as heavier cases "
    "staying at the county hospitals."
)


def _significance(p: float) -> str:
    return p_text(p, alpha=0.05) + ("" if p < 0.05 else ", not significant at 5%")


def _against_seed(row: pd.Series, unit: str = "") -> str:
    """One term beside seed 002's: '0.20 yuan against the seed's 2.0, a tenth of it'."""
    sim, seed, ratio = float(row["simulated"]), float(row["seed"]), float(row["ratio"])
    digits = 2 if abs(seed) < 10 else 1
    what = f"{_fmt(sim, digits)}{unit} against the seed's {_fmt(seed, digits)}"
    if ratio <= 0:
        return f"{what}, the opposite sign"
    if ratio >= 1:
        return f"{what}, {ratio:.1f} times as large"
    return f"{what}, {ratio:.0%} of it"


def _costs(results: dict[str, ITSResults], seed: pd.DataFrame) -> str:
    """What the two cost series did at the reform, with their p-values, and how their
    slope changes compare with seed 002's."""
    parts = []
    for name, what, digits in (
        ("cost_per_outpatient_visit", "the cost per outpatient visit", 2),
        ("cost_per_hospitalization", "the cost per hospitalization", 1),
    ):
        res = results[name]
        level, slope = float(res.params["_x2017m10"]), float(res.params["_x_t2017m10"])
        jump = "rose" if level >= 0 else "fell"
        trend = "rose" if slope >= 0 else "fell"
        parts.append(
            f"{what} {jump} by {_fmt(abs(level), digits)} yuan at the reform "
            f"({_significance(float(res.pvalues['_x2017m10']))}) and its monthly trend {trend} "
            f"by {_fmt(abs(slope), digits)} yuan ({_significance(float(res.pvalues['_x_t2017m10']))})"
        )
    verdicts = []
    for key, what in (
        ("ch_cost_per_visit_slope_change", "cost per outpatient visit"),
        ("ch_cost_per_stay_slope_change", "cost per hospitalization"),
    ):
        row = seed.loc[key]
        agrees = "agrees with the seed in sign and size" if row["agrees"] else "departs from it"
        verdicts.append(
            f"the {what}'s slope change here is {_against_seed(row, ' yuan')} ({agrees})"
        )
    return (
        f"As for costs, {parts[0]}; {parts[1]}. {SEED_COSTS} Set beside it, "
        f"{verdicts[0]}; {verdicts[1]}."
    )


def _seed_table(seed: pd.DataFrame) -> pd.DataFrame:
    frame = seed.assign(
        agreement=np.where(seed["agrees"], "yes", "departs"),
        checked=np.where(seed["gated"], "gated", "shown"),
    )
    frame = frame.set_index("figure")[
        ["seed", "ci_low", "ci_high", "simulated", "ratio", "agreement", "checked"]
    ]
    frame.index.name = "term (seed 002, Table 3)"
    return frame.rename(
        columns={
            "seed": "seed 002",
            "ci_low": "seed 95% CI low",
            "ci_high": "seed 95% CI high",
            "simulated": "this fit",
            "ratio": "this fit / seed",
            "agreement": "same sign and size",
            "checked": "in the calibration",
        }
    )


#: Below this share of seed 002's pre-reform slope, its post-reform trend counts as flat.
FLAT_SHARE = 0.1


def _published_post_trends(seed: pd.DataFrame) -> pd.Series:
    """Seed 002's post-reform slope (β1 + β3 of Table 3) of each series in ``seed``."""
    slopes = seed[seed["term"].isin(["_t", "_x_t2017m10"])]
    # the published terms have one decimal; rounding drops the float sum's noise (-0.2, not
    # -0.200000000000003)
    return slopes.groupby("series", sort=False)["seed"].sum().round(6)


def _post_trends(results: dict[str, ITSResults], seed: pd.DataFrame) -> str:
    """The post-reform slopes (β1 + β3) that run against a trend seed 002 found in Youxi
    (one not flat: at least :data:`FLAT_SHARE` of its pre-reform slope in size)."""
    published = _published_post_trends(seed)
    pre = seed[seed["term"] == "_t"].set_index("series")["seed"]
    parts = []
    for name, youxi in published.items():
        fit = float(results[name].params["_t"] + results[name].params["_x_t2017m10"])
        flat = abs(youxi) < FLAT_SHARE * abs(pre[name])
        if not flat and np.sign(fit) != np.sign(youxi):
            unit = " yuan" if name.startswith("cost") else ""
            parts.append(
                f"{OUTCOMES[name].split(' (')[0].lower()} {'fall' if fit < 0 else 'rise'} by "
                f"{_fmt(abs(fit))}{unit} a month, where seed 002's estimates give Youxi "
                f"{youxi:+,.1f}"
            )
    if not parts:
        return ""
    return (
        " After the reform the trend itself (β1 + β3) runs the other way: " + "; ".join(parts) + "."
    )


def _seed_prose(results: dict[str, ITSResults], seed: pd.DataFrame, simulated: bool) -> str:
    """How many Table 3 terms these fits reproduce, every one they miss, and any
    post-reform trend that runs against seed 002's."""
    data = "simulated county" if simulated else "synthetic series"
    head = (
        f"Against the source study: on {int(seed['agrees'].sum())} of seed 002's {len(seed)} "
        f"Table 3 terms the {data}'s fits have the published sign and lie within a factor of "
        f"{MAGNITUDE_FACTOR:.2f} (√10) of the published value (the table below; the "
        "slope changes are the calibration's gated figures, the other terms are shown)."
    )
    off = seed[~seed["agrees"].astype(bool)]
    trends = _post_trends(results, seed)
    if off.empty and not trends:
        return head
    missed = "; ".join(f"{row['figure']}: {_against_seed(row)}" for _, row in off.iterrows())
    return (
        head
        + (f" They depart on {len(off)}: {missed}." if missed else "")
        + trends
        + f" Those differences are the {data}'s, not Youxi's: read the figures for them as "
        "the model's, not as estimates of the reform's effect."
    )


def _stays_after(post: pd.Series, slope_change: float) -> str:
    """The hospitalizations' post-reform slope in words, as its confidence interval allows."""
    if post["ci_low"] <= 0 <= post["ci_high"]:
        return "growth stopped (the post-reform slope is not distinguishable from zero)"
    if post["coef"] > 0:
        direction = "still rising" + (", more slowly than before" if slope_change < 0 else "")
    else:
        direction = "now falling"
    return f"they are {direction} (the post-reform slope differs from zero, {p_text(float(post['p']))})"


def _seed_visits(visits: ITSResults) -> str:
    """Seed 002's finding for the visits, said to agree only when this fit agrees: a
    rising pre-reform slope and a significant fall in it."""
    found = (
        "growth before the reform (β1 = +578.3 visits a month) and a fall in the slope "
        "after it (β3 = −459.9)"
    )
    slope, change = float(visits.params["_t"]), float(visits.params["_x_t2017m10"])
    if slope > 0 and change < 0 and float(visits.pvalues["_x_t2017m10"]) < 0.05:
        return f"Seed 002 (Table 3) found the same pattern at Youxi's county hospitals: {found}."
    return (
        f"Seed 002 (Table 3) found {found} at Youxi's county hospitals; these series do not "
        "show that pattern."
    )


def _prose(results: dict[str, ITSResults], origin: str, *, simulated: bool = True) -> list[str]:
    """The section's paragraphs: the design, the visits, the stays and costs, how to read
    it, and how the fits compare with seed 002's Table 3."""
    seed = compare_its(results)
    visits = results["outpatient_emergency_visits"]
    stays = results["hospitalizations"]
    v, s = visits.params, stays.params
    v_post = visits.post_trend.iloc[0]
    s_post = stays.post_trend.iloc[0]
    v_effect = visits.effect(at="2019-11").iloc[0]
    stays_after = _stays_after(s_post, float(s["_x_t2017m10"]))
    costs = _costs(results, seed)
    return [
        "The county's integrated payment reform moved its medical-insurance fund from "
        "paying hospitals per service to a global budget the consortium keeps if it "
        "spends less. If that worked, the county hospitals should stop growing by "
        "drawing patients that primary care could treat. This section tests that on 46 "
        "months of county-hospital activity (February 2016 to November 2019, reform from "
        "October 2017) with an interrupted time series, the design of the source study's "
        "Table 3 and Figure 2.",
        f"Before the reform, outpatient and emergency visits "
        f"{_change(v['_t'], 'rose by', 'fell by')} a month. In the reform month the level "
        f"{_change(v['_x2017m10'], 'rose by', 'fell by')} visits "
        f"({p_text(visits.pvalues['_x2017m10'])}) and the monthly growth "
        f"{_change(v['_x_t2017m10'], 'quickened by', 'slowed by')} "
        f"({p_text(visits.pvalues['_x_t2017m10'])}), leaving a "
        f"post-reform trend of {_fmt(v_post['coef'])} a month (95% CI {_fmt(v_post['ci_low'])} "
        f"to {_fmt(v_post['ci_high'])}). By November 2019 the hospitals saw "
        f"{_fmt(abs(v_effect['effect']), 0)} {'fewer' if v_effect['effect'] < 0 else 'more'} "
        f"visits a month than the pre-reform trend predicts "
        f"({100 * abs(v_effect['relative_effect']):.1f}% "
        f"{'below' if v_effect['effect'] < 0 else 'above'} it). {_seed_visits(visits)}",
        f"Hospitalizations {_change(s['_t'], 'grew by', 'fell by')} a month before the reform, "
        f"{_change(s['_x2017m10'], 'rose by', 'dropped by')} at the reform and then followed a trend of "
        f"{_fmt(s_post['coef'])} a month (95% CI {_fmt(s_post['ci_low'])} to "
        f"{_fmt(s_post['ci_high'])}): {stays_after}. {costs}",
        "How to read it: each outcome was first seasonally adjusted (ratio to a centred "
        "12-month moving average; the Spring Festival dip is in the February index). The "
        "slopes and jumps are ordinary least squares; their standard errors are Newey-West "
        "with the lag picked by Breusch-Godfrey tests, as in Stata's itsa, because "
        "neighbouring months are correlated. The dashed line in the figure is the "
        "pre-reform trend carried forward. A single-group design cannot rule out other "
        "changes that began in October 2017; the study's other tables (primary-care "
        f"share, chronic-disease management) are the cross-checks. {origin}",
        _seed_prose(results, seed, simulated),
    ]


def run(ctx: DemoContext) -> list[Section]:
    """Fit the four ITS models and return the report section."""
    simulated = ctx.artefacts.get("series")
    if simulated is not None:
        data = simulated
        name = "simulated county-hospital series"
        origin = (
            "The series are the simulated county's (the simulation section): the county "
            "hospitals' months read back from its data store with the indicator catalogue."
        )
    else:
        path = example_path()
        data = pd.read_csv(path)
        name = path.name
        origin = "These data are synthetic, shaped after the published estimates."
    results: dict[str, ITSResults] = {}
    tests = {}
    for outcome in OUTCOMES:
        model = ITSModel(
            data, outcome=outcome, time="month", interruptions=REFORM, seasonal=True, source=name
        )
        tests[outcome] = model.lag_tests(max_lag=12)
        results[outcome] = model.fit(cov_type="newey", lags=tests[outcome].suggested_lag)
    ctx.artefacts["its"] = results

    section = Section(
        "its",
        "Evaluation: did the payment reform bend the county hospitals' volumes?",
        mirrors="seed 002, Table 3 and Figure 2",
    )
    paragraphs = _prose(results, origin, simulated=simulated is not None)
    visits = results["outpatient_emergency_visits"]
    section.text(paragraphs[0])
    section.table(
        "its_coefficients",
        _table(
            _coefficient_table(results),
            "Interrupted time series of county-hospital outcomes, reform October 2017",
            (
                "Single-group ITS (Stata itsa terms _t, _x2017m10, _x_t2017m10); OLS with "
                "Newey-West standard errors, lag chosen by Breusch-Godfrey; outcomes "
                f"seasonally adjusted; {visits.n} months, df = {visits.df_resid}.",
            ),
        ),
    )
    section.text(paragraphs[1])
    section.text(paragraphs[2])
    section.table(
        "its_post_trends",
        _table(_post_trend_table(results), "Post-reform monthly trend (β1 + β3), itsa posttrend"),
    )
    section.figure(
        "its_figure",
        _figure(results),
        caption="Observed (seasonally adjusted) values, fitted segments, and the pre-reform "
        "trend carried forward (dashed). The dotted line marks October 2017.",
    )
    section.table(
        "its_breusch_godfrey",
        _table(
            _lag_table(tests),
            "Breusch-Godfrey tests for autocorrelation (p-values) and the chosen lag",
            (
                "H0: no serial correlation up to the given lag (Stata estat bgodfrey).",
                "The chosen lag reads each order's own last lag (the t test of e(t-p) in "
                "the order-p regression) upward from lag 1 and stops at the first that is "
                "not significant at 5 %; 'own p' gives the chosen lag's and the next one's.",
            ),
        ),
    )
    section.table(
        "its_seasonal_indices",
        _table(
            _seasonal_table(results),
            "Seasonal indices (ratio to centred 2x12 moving average, mean 1)",
        ),
    )
    section.text(paragraphs[3])
    section.text(paragraphs[4])
    section.table(
        "its_seed_comparison",
        _table(
            _seed_table(compare_its(results)),
            "The fitted terms beside seed 002, Table 3",
            (
                "Same sign and size: the fit has the published sign and lies within a factor "
                "of √10 of it (the calibration's rule for ITS terms). Gated terms decide the "
                "calibration's verdict; shown terms are printed for comparison.",
            ),
        ),
    )
    if not np.isfinite(results["outpatient_emergency_visits"].params).all():
        raise InputError("the ITS fit of the example series produced non-finite numbers")
    return [section]
