"""The indicators step's cost section: cost per visit and per stay at township health
centres and county hospitals, as seed 004's Figure 6 draws them, with the figure's
numbers as a table, in English or Chinese (``ctx.lang``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from ihms.demo._run import DemoContext
from ihms.report import Section
from ihms.sources import JIA_2021, ZHONG_2023
from ihms.summary import SummaryTable

__all__ = ["cost_caveat", "cost_section"]

_INDICATORS = ("cost_per_outpatient_visit", "cost_per_hospitalization")
_TIERS = ("primary_centre", "secondary")
#: The figure's panels and lines, by language.
_PANELS = {
    "en": ("Outpatient and emergency visit", "Hospitalization"),
    "zh": ("门急诊次均费用", "住院次均费用"),
}
_LINES = {"en": ("Township health centres", "County hospitals"), "zh": ("乡镇卫生院", "县级医院")}


def _figure_6(by_tier, lang: str = "en"):
    """Seed 004, Figure 6 layout: cost per visit and per stay at THCs and CHs."""
    if lang == "zh":
        from ihms.fonts import use_cjk_font

        use_cjk_font()  # the titles and legend in Chinese: without it every glyph is a box
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, indicator, title in zip(axes, _INDICATORS, _PANELS[lang], strict=True):
        for tier, label in zip(_TIERS, _LINES[lang], strict=True):
            series = by_tier.series(indicator, tier)
            ax.plot(series.index, series.to_numpy(), marker="o", label=label)
        ax.set_title(title)
        if lang == "zh":  # one character, upright beside the ticks, not lying on its side
            ax.set_ylabel("元", rotation=0, labelpad=10, va="center")
        else:
            ax.set_ylabel("yuan")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _cost_table(by_tier, label: str, lang: str = "en") -> SummaryTable:
    """The numbers :func:`_figure_6` draws, by level of care and year."""
    zh = lang == "zh"
    rows = {}
    for indicator, what in zip(
        _INDICATORS,
        ("门急诊次均费用", "住院次均费用")
        if zh
        else ("per outpatient and emergency visit", "per hospitalization"),
        strict=True,
    ):
        for tier, where in zip(
            _TIERS, _LINES["zh"] if zh else ("THCs", "county hospitals"), strict=True
        ):
            name = f"{what}，{where}（元）" if zh else f"Cost {what}, {where} (yuan)"
            rows[name] = by_tier.series(indicator, tier)
    frame = pd.DataFrame(rows).T
    frame.columns = [str(c) for c in frame.columns]
    frame.index.name = "指标" if zh else "indicator"
    if zh:
        title = f"{label}：各层级机构的门急诊和住院次均费用（图中数字）"
        note = (
            "该层级机构当年门急诊（或住院）的总费用除以其门急诊人次（或住院人次）"
            "（`ihms indicators` 中的 `cost_per_outpatient_visit`、`cost_per_hospitalization`）。"
        )
    else:
        title = f"{label}: cost per visit and per stay by level of care (the figure's numbers)"
        note = (
            "Total cost of the visits (or stays) at the level's institutions over their "
            "number, in the year (ihms indicators show cost_per_outpatient_visit, "
            "cost_per_hospitalization)."
        )
    return SummaryTable(frame, title=title, digits=2, notes=(note,), lang=lang)  # 2: to the fen


def cost_caveat(calibration, *, lang: str = "en") -> str:
    """A sentence for the cost section when the county hospitals' cost per stay jumps at
    the reform by more than Youxi's (the calibration's level change departs): that jump
    is the model's, and the section's figures must not read as a finding. Empty when it
    agrees or no calibration ran. Every number is read from ``calibration.frame``."""
    key = "ch_cost_per_stay_level_change"
    if calibration is None or key not in calibration.frame.index:
        return ""
    row = calibration.frame.loc[key]
    if bool(row["agrees"]):
        return ""
    simulated, target = float(row["simulated"]), float(row["target"])
    ratio = float(row["ratio"])
    if lang == "zh":
        return (
            "模型中县级医院的次均住院费用在改革时跃升：其中断时间序列的水平变化为 "
            f"{simulated:,.1f} 元，尤溪为 {target:,.1f} 元（{ZHONG_2023}，表3），是后者的 "
            f"{ratio:.1f} 倍。“模型校准”一节指出这是模型的局限，因此改革后县级医院的次均住院"
            "费用不是研究发现。"
        )
    return (
        f" The county hospitals' cost per stay jumps at the reform in the model: its ITS "
        f"level change is {simulated:,.1f} yuan against Youxi's "
        f"{target:,.1f} ({ZHONG_2023}, Table 3), "
        f"{ratio:.1f} times as large. 'Calibration' names this a limit of the "
        "model, so the county hospitals' cost per stay after the reform is not a finding."
    )


def cost_section(ctx: DemoContext, by_tier, label: str, *, synthetic: bool) -> Section:
    """Seed 004's Figure 6 on the county: the figure, then its numbers; ``label`` names
    the data in the table's title (``Youxi (simulated)``)."""
    section = Section(
        "indicators-cost",
        ctx.pick(
            "Cost per visit and per stay by level of care", "各层级机构的门急诊和住院次均费用"
        ),
        mirrors=ctx.pick(f"{JIA_2021}, Figure 6", f"{JIA_2021}，图6"),
    )
    section.text(
        ctx.pick(
            f"{JIA_2021} followed costs separately at the two levels of the county organisation: "
            "township health centres and county hospitals, outpatient and inpatient.",
            f"{JIA_2021} 分别追踪了县域医共体两个层级的费用：乡镇卫生院和县级医院，"
            "门急诊和住院分列。",
        )
        + cost_caveat(ctx.artefacts.get("calibration"), lang=ctx.lang)
    )
    kind = ctx.pick("synthetic" if synthetic else "simulated", "合成" if synthetic else "模拟")
    section.figure(
        "indicators_cost_by_level",
        _figure_6(by_tier, ctx.lang),
        caption=ctx.pick(
            "Cost per outpatient visit and per hospitalization (yuan), THCs and county "
            f"hospitals, {kind} data.",
            f"门急诊次均费用和住院次均费用（元），乡镇卫生院和县级医院，{kind}数据。",
        ),
    )
    section.table("indicators_cost_by_level", _cost_table(by_tier, label, ctx.lang))
    return section
