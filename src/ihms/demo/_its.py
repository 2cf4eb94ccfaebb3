"""Demo step: interrupted time series of the county hospitals' monthly volumes and costs.

Mirrors seed 002 (Zhong et al. 2023), Table 3 and Figure 2: each outcome is seasonally
adjusted by the ratio to its centred 2x12 moving average, the Newey–West lag is chosen
with Breusch–Godfrey tests, and the single-group ITS is fitted with the reform in the
simulated config's reform month (``reform.date``, as the payment step reads it:
:func:`~ihms.demo._payment_baseline.simulated_reform`), Youxi's October 2017 without a
simulation; seed 002's Table 3 is set beside the fits only when that month is its own
(:mod:`ihms.demo._its_text`). The data are the simulated county's series when the simulation step left
them in ``ctx.artefacts["series"]`` (the county hospitals' months from the store, counts at
Youxi's size), and otherwise the synthetic series in ``examples/series/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ihms.demo._its_lags import _joint_note, _joint_rejection, _lag_table, lag_notes
from ihms.demo._its_text import (
    FLAT_SHARE,
    OUTCOMES,
    UNITS,
    _change,
    _costs,
    _fmt,
    _published_post_trends,
    _seed_prose,
    _seed_table,
    _seed_visits,
    _stays_after,
    fitted_months,
    not_compared,
    reform_intro,
    terms,
)
from ihms.demo._its_text_zh import prose_zh
from ihms.demo._its_zh import (
    UNITS_ZH,
    in_zh,
    lag_notes_zh,
    month_ticks_zh,
    outcomes_zh,
    seasonal_notes_zh,
)
from ihms.demo._payment_baseline import REFORM, county_zh, simulated_baseline, simulated_reform
from ihms.demo._run import DemoContext
from ihms.errors import InputError
from ihms.payment.reform import month_words, month_zh
from ihms.report import Section
from ihms.sim.targets import REFORM_MONTH, compare_its
from ihms.sources import ZHONG_2023
from ihms.stats import ITSModel, ITSResults, plot_its
from ihms.summary import SummaryTable, format_p, p_text

__all__ = ["FLAT_SHARE", "OUTCOMES", "REFORM", "run"]

EXAMPLE = Path("examples") / "series" / "county_hospital_monthly.csv"


def _coefficients(fit) -> dict[str, str]:
    """The fit's terms (``_t`` and its interruption's, :func:`terms`) and their labels."""
    level, slope = terms(fit)
    return {"_t": "β1 pre-reform slope", level: "β2 level change", slope: "β3 slope change"}


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
        for term, label in _coefficients(res).items():
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


def _post_trend_table(results: dict[str, ITSResults], *, compared: bool = True) -> pd.DataFrame:
    """The post-reform slopes, with seed 002's beside them when ``compared``."""
    rows = {OUTCOMES[n]: r.post_trend.iloc[0] for n, r in results.items()}
    frame = pd.DataFrame(rows).T
    frame.index.name = "post-reform slope per month"
    if compared:
        published = _published_post_trends(compare_its(results))
        frame[f"{ZHONG_2023} (β1 + β3)"] = [published.get(n, np.nan) for n in results]
    return frame.rename(columns=_ci_names(results))


def _seasonal_table(results: dict[str, ITSResults], *, lang: str = "en") -> SummaryTable:
    """The outcomes' seasonal indices side by side, with how many ratios each month's
    index averages (the same months for every outcome) and the adjustment's notes
    (``lang="zh"``: in Chinese, the same indices)."""
    adjustments = [next(iter(r.seasonal.values())) for r in results.values()]
    first = adjustments[0].summary()
    frame = pd.DataFrame(
        {OUTCOMES[n]: a.indices.to_numpy() for n, a in zip(results, adjustments, strict=True)},
        index=pd.Index(list(first.frame.index), name="month"),
    )
    frame["ratios averaged"] = first.frame["ratios averaged"].to_numpy()
    notes = first.notes
    if adjustments[0].left_out:
        notes += (
            "A ratio whose centred 13-month window straddles the reform would carry the "
            "reform's jump into the indices and bias the level change towards zero, so it "
            "is left out; statsmodels' seasonal_decompose keeps them and gives other "
            "indices. A month averaging a single ratio rests on one year.",
        )
    formats = {"ratios averaged": "{:.0f}".format}
    if lang == "zh":
        frame, formats = in_zh(frame, formats)
        notes = seasonal_notes_zh(adjustments[0])
    return SummaryTable(
        frame,
        title=(
            "季节指数（与中心化 2x12 移动平均之比，均值为 1）"
            if lang == "zh"
            else "Seasonal indices (ratio to centred 2x12 moving average, mean 1)"
        ),
        notes=notes,
        formats=formats,
        lang=lang,
    )


def _figure(results: dict[str, ITSResults], *, lang: str = "en"):
    """The four outcomes' panels, with one legend below them (``lang="zh"``: titles,
    axes, legend and month ticks in Chinese, drawn with a CJK font)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if lang == "zh":  # before the axes are made: their labels take the font of then
        from ihms.fonts import use_cjk_font

        use_cjk_font()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    for ax, (name, res) in zip(axes.ravel(), results.items(), strict=True):
        if lang == "zh":
            plot_its(
                res,
                ax=ax,
                title=outcomes_zh()[name],
                ylabel=f"{UNITS_ZH[name]}（季节调整后）",
                lang="zh",
            )
            month_ticks_zh(ax)
        else:
            plot_its(
                res, ax=ax, title=OUTCOMES[name], ylabel=f"{UNITS[name]} (seasonally adjusted)"
            )
        ax.set_xlabel("")
    # one legend for the four panels, below them: inside a panel it covered observed
    # months (the cost per hospitalization's late 2017)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    for ax in axes.ravel():
        ax.get_legend().remove()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _table(
    frame: pd.DataFrame, title: str, notes: tuple[str, ...] = (), *, lang: str = "en"
) -> SummaryTable:
    """A table of the section, its columns formatted by their English names; ``lang="zh"``:
    its headers, labels and text cells then said in Chinese (:func:`in_zh`), the title and
    notes given in Chinese by the caller."""
    whole = {c: "{:.0f}".format for c in ("lag", "chosen lag") if c in frame.columns}
    pvals = {c: format_p for c in frame.columns if c == "p" or c.startswith("p (")}
    ratios = {c: "{:.2f}".format for c in frame.columns if c == "this fit / Youxi"}
    # the study's figures as it prints them (118.4, -0.15), not padded to four places
    published = {
        c: "{:,.6g}".format
        for c in frame.columns
        if str(c).startswith(("Youxi", ZHONG_2023)) and c != "this fit / Youxi"
    }
    formats = {**whole, **pvals, **ratios, **published}
    if lang == "zh":
        frame, formats = in_zh(frame, formats)
    return SummaryTable(frame, title=title, notes=notes, formats=formats, lang=lang)


def _prose(
    results: dict[str, ITSResults],
    origin: str,
    *,
    simulated: bool = True,
    reform: str = REFORM,
    county: str = "Youxi",
    regime: str = "sanming",
    baseline: str = "fee-for-service",
    lang: str = "en",
) -> list[str]:
    """The section's paragraphs: the design, the visits, the stays and costs, how to read
    it, and how the fits compare with seed 002's Table 3 (``reform``: the month the fits
    are interrupted at; Table 3 is set beside them only when it is Table 3's own).
    ``county`` and ``regime`` are the simulated config's (:func:`simulated_reform`); the
    months are those fitted (:func:`~ihms.demo._its_text.fitted_months`); ``lang="zh"``:
    the same paragraphs in Chinese (:func:`~ihms.demo._its_text_zh.prose_zh`)."""
    seed = compare_its(results) if reform == REFORM_MONTH else None
    visits = results["outpatient_emergency_visits"]
    last = fitted_months(visits)[2]
    v_effect = visits.effect(at=last).iloc[0]
    if lang == "zh":
        return prose_zh(
            results,
            origin,
            seed,
            v_effect,
            simulated=simulated,
            reform=reform,
            county=county,
            regime=regime,
            baseline=baseline,
        )
    stays = results["hospitalizations"]
    v, s = visits.params, stays.params
    x, xt = terms(visits)
    sx, sxt = terms(stays)
    v_post = visits.post_trend.iloc[0]
    s_post = stays.post_trend.iloc[0]
    stays_after = _stays_after(s_post, float(s[sxt]))
    costs = _costs(results, seed)
    when = month_words(reform)
    return [
        reform_intro(visits, reform=reform, county=county, regime=regime, baseline=baseline),
        f"Before the reform, outpatient and emergency visits "
        f"{_change(v['_t'], 'rose by', 'fell by')} a month. In the reform month the level "
        f"{_change(v[x], 'rose by', 'fell by')} visits "
        f"({p_text(visits.pvalues[x])}) and the monthly growth "
        f"{_change(v[xt], 'quickened by', 'slowed by')} "
        f"({p_text(visits.pvalues[xt])}), leaving a "
        f"post-reform trend of {_fmt(v_post['coef'])} a month (95% CI {_fmt(v_post['ci_low'])} "
        f"to {_fmt(v_post['ci_high'])}). By {month_words(last)} the hospitals saw "
        f"{_fmt(abs(v_effect['effect']), 0)} {'fewer' if v_effect['effect'] < 0 else 'more'} "
        f"visits a month than the pre-reform trend predicts "
        f"({100 * abs(v_effect['relative_effect']):.1f}% "
        f"{'below' if v_effect['effect'] < 0 else 'above'} it)."
        + ("" if seed is None else f" {_seed_visits(visits)}"),
        f"Hospitalizations {_change(s['_t'], 'grew by', 'fell by')} a month before the reform, "
        f"{_change(s[sx], 'rose by', 'dropped by')} at the reform and then followed a trend of "
        f"{_fmt(s_post['coef'])} a month (95% CI {_fmt(s_post['ci_low'])} to "
        f"{_fmt(s_post['ci_high'])}): {stays_after}. {costs}",
        "How to read it: each outcome was first seasonally adjusted (ratio to a centred "
        "12-month moving average, leaving out the averages that straddle the reform; the "
        "Spring Festival dip is in the February index). The "
        "slopes and jumps are ordinary least squares; their standard errors are Newey-West "
        "with the lag picked by Breusch-Godfrey tests, as in Stata's itsa, because "
        "neighbouring months are correlated. The dashed line in the figure is the "
        "pre-reform trend carried forward. A single-group design cannot rule out other "
        f"changes that began in {when}; the study's other tables (primary-care "
        f"share, chronic-disease management) are the cross-checks. {origin}",
        not_compared(reform) if seed is None else _seed_prose(results, seed, simulated),
    ]


def run(ctx: DemoContext) -> list[Section]:
    """Fit the four ITS models and return the report section."""
    simulated = ctx.artefacts.get("series")
    if simulated is not None:
        data = simulated
        name = "simulated county-hospital series"
        origin = ctx.pick(
            "The series are the simulated county's (the simulation section): the county "
            "hospitals' months read back from its data store with the indicator catalogue.",
            "这些序列来自模拟县（见模拟一节）：用指标目录从其数据库读回的县级医院各月数据。",
        )
    else:
        path = example_path()
        data = pd.read_csv(path)
        name = path.name
        origin = ctx.pick(
            "These data are synthetic, shaped after the published estimates.",
            "这些数据为合成数据，按已发表的估计值构造。",
        )
    reform, county, regime = simulated_reform(ctx)
    if ctx.zh:  # the delivery system's Chinese name, as the payment step names it
        county = county_zh(ctx)
    compared = reform == REFORM_MONTH
    results: dict[str, ITSResults] = {}
    tests = {}
    rejected: dict[str, tuple[int, float, ITSResults]] = {}
    for outcome in OUTCOMES:
        model = ITSModel(
            data, outcome=outcome, time="month", interruptions=reform, seasonal=True, source=name
        )
        # the orders and the lag of `ihms its fit --lags auto` (and of the calibration's
        # fits): the library's default, not a number of the demo's own
        tests[outcome] = bg = model.lag_tests()
        results[outcome] = model.fit(cov_type="newey", lags="auto")
        order = _joint_rejection(bg)
        if order is not None:  # refit as a reviewer would ask: lag at the rejecting order
            rejected[outcome] = (
                order,
                bg.table.loc[order, "p"],
                model.fit(cov_type="newey", lags=order),
            )
    ctx.artefacts["its"] = results

    section = Section(
        "its",
        ctx.pick(
            "Evaluation: did the payment reform bend the county hospitals' volumes?",
            "评价：支付方式改革是否改变了县级医院业务量的走势？",
        ),
        mirrors=ctx.pick(f"{ZHONG_2023}, Table 3 and Figure 2", f"{ZHONG_2023}，表3和图2"),
    )
    paragraphs = _prose(
        results,
        origin,
        simulated=simulated is not None,
        reform=reform,
        county=county,
        regime=regime,
        baseline=simulated_baseline(ctx),
        lang=ctx.lang,
    )
    visits = results["outpatient_emergency_visits"]
    when = ctx.pick(month_words(reform), month_zh(reform))
    section.text(paragraphs[0])
    section.table(
        "its_coefficients",
        _table(
            _coefficient_table(results),
            ctx.pick(
                f"Interrupted time series of county-hospital outcomes, reform {when}",
                f"县级医院结局指标的中断时间序列分析（{when}改革）",
            ),
            (
                ctx.pick(
                    f"Single-group ITS (Stata itsa terms {', '.join(_coefficients(visits))}); "
                    "OLS with Newey-West standard errors, lag chosen by Breusch-Godfrey; "
                    f"outcomes seasonally adjusted; {visits.n} months, df = {visits.df_resid}.",
                    f"单组中断时间序列（Stata itsa 的系数项 {'、'.join(_coefficients(visits))}）；"
                    "OLS 回归，Newey-West 标准误，滞后阶数由 Breusch-Godfrey 检验选定；结局指标"
                    f"经季节调整；{visits.n} 个月，自由度 = {visits.df_resid}。",
                ),
            ),
            lang=ctx.lang,
        ),
    )
    section.text(paragraphs[1])
    section.text(paragraphs[2])
    section.table(
        "its_post_trends",
        _table(
            _post_trend_table(results, compared=compared),
            ctx.pick(
                "Post-reform monthly trend (β1 + β3), itsa posttrend",
                "改革后每月趋势（β1 + β3，itsa 的 posttrend）",
            ),
            lang=ctx.lang,
        ),
    )
    section.figure(
        "its_figure",
        _figure(results, lang=ctx.lang),
        caption=ctx.pick(
            "Observed (seasonally adjusted) values, fitted segments, and the pre-reform "
            f"trend carried forward (dashed). The dotted line marks {when}.",
            f"观测值（季节调整后）、分段拟合线，以及延续的改革前趋势（虚线）。点线标示 {when}。",
        ),
    )
    orders = max(len(bg.table) for bg in tests.values())
    section.table(
        "its_breusch_godfrey",
        _table(
            _lag_table(tests),
            ctx.pick(
                "Breusch-Godfrey tests for autocorrelation (p-values) and the chosen lag",
                "自相关的 Breusch-Godfrey 检验（P 值）及选定的滞后阶数",
            ),
            (lag_notes_zh(orders) if ctx.zh else lag_notes(orders))
            + tuple(_joint_note(o, results[o], *r, lang=ctx.lang) for o, r in rejected.items()),
            lang=ctx.lang,
        ),
    )
    section.table(
        "its_seasonal_indices",
        _seasonal_table(results, lang=ctx.lang),
    )
    section.text(paragraphs[3])
    section.text(paragraphs[4])
    if not compared:
        return _checked(section, results)
    section.table(
        "its_beside_zhong_2023",
        _table(
            _seed_table(compare_its(results)),
            ctx.pick(
                f"The fitted terms beside {ZHONG_2023}, Table 3",
                f"拟合的系数项与 {ZHONG_2023} 表3对照",
            ),
            (
                ctx.pick(
                    "Same sign and size: the fit has the published sign and lies within a "
                    "factor of √10 of it (the calibration's rule for ITS terms). Gated terms "
                    "decide the calibration's verdict; shown terms are printed for comparison.",
                    "符号与量级一致：拟合值与发表值同号，且相差不超过 √10 倍（校准对中断时间序列"
                    "系数项的规则）。“纳入判定”的系数项决定校准结论；“仅展示”的系数项仅供对照。",
                ),
            ),
            lang=ctx.lang,
        ),
    )
    return _checked(section, results)


def _checked(section: Section, results: dict[str, ITSResults]) -> list[Section]:
    if not np.isfinite(results["outpatient_emergency_visits"].params).all():
        raise InputError("the ITS fit of the example series produced non-finite numbers")
    return [section]
