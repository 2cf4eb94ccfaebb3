"""Demo step, payment part: the year the reform began, shown as the baseline.

Sanming sets a year's global budget at its start (seed 002: "At the beginning of each
year, after the Healthcare Security Administration draws the medical insurance fund for
the private hospital and the risk adjustment fund, all the remaining total medical
insurance funds are allocated to IHC"). A reform that begins within a year (Youxi's, in
October 2017) therefore first settles, and first scores its consortium and staff, in the
next whole year; the year it began is the baseline: its spending is shown, not settled
against a budget nobody set nor scored on a scorecard that applied for a quarter.
Which years those are is :func:`ihms.sim.regime.first_settled_year` and
:func:`ihms.sim.regime.baseline_year`, the rule ``ihms sim run`` settles by too.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd

from ihms.errors import ConfigError
from ihms.payment import PaymentRules, PopulationTable, SpendingTable, load_rules
from ihms.payment.money import format_yuan, yuan_column
from ihms.payment.reform import month_words, month_zh
from ihms.report import Section
from ihms.sim._codes import regime_rules
from ihms.sources import ZHONG_2023
from ihms.summary import SummaryTable

__all__ = [
    "REFORM",
    "baseline_section",
    "county_zh",
    "simulated_baseline",
    "simulated_reform",
    "years_text",
]

#: Youxi's reform month, when no simulated county gives its own (seed 002: "Youxi
#: implemented the IMPM policy in October 2017").
REFORM = "2017-10"


def simulated_baseline(ctx: Any) -> str:
    """The simulated config's ``baseline_regime`` (a run of it is no reform:
    :func:`ihms.payment.reform.is_reform`), else the config's default."""
    from ihms.sim.config import SimulationConfig

    config = getattr(ctx.artefacts.get("simulation"), "config", None)
    if config is None:
        return str(SimulationConfig.model_fields["baseline_regime"].default)
    return str(config.baseline_regime)


def simulated_reform(ctx: Any) -> tuple[str, str, str]:
    """The reform month, the county's name and the reform regime: the simulated county's
    (its config's ``reform.date`` and ``reform.regime``, its delivery system's name), else
    Youxi's October 2017 under Sanming's IMPM (:data:`REFORM`) — what the payment and ITS
    steps read."""
    simulation = ctx.artefacts.get("simulation")
    config = getattr(simulation, "config", None)
    if config is None:
        return REFORM, "Youxi", "sanming"
    return str(config.reform.date), simulation.system.name, str(config.reform.regime)


def county_zh(ctx: Any) -> str:
    """The county's Chinese name: the simulated delivery system's ``name_zh``; Youxi's
    (尤溪县) when nothing was simulated.

    Raises
    ------
    ConfigError
        The simulated delivery system has no ``name_zh``: a Chinese report would name
        the county in English, or as another county.
    """
    system = getattr(ctx.artefacts.get("simulation"), "system", None)
    if system is None:
        return "尤溪县"
    if not getattr(system, "name_zh", None):
        raise ConfigError(
            f"delivery system {getattr(system, 'name', '?')!r}: no name_zh; the Chinese "
            "report (--lang zh) names the county by it: add name_zh to the system file"
        )
    return system.name_zh


def _why_whole_years(rules: PaymentRules, *, lang: str = "en") -> str:
    """Why a regime of ``rules``' kind settles whole years only."""
    if lang == "zh":
        if rules.kind == "shared_savings":
            return "结余分成按整个年度、以上一年为基准计算"
        return (
            f"总额预算在年初按全年核定（{ZHONG_2023} 关于三明：医保基金“在每年年初”分配给医共体）"
        )
    if rules.kind == "shared_savings":
        return (
            "shared savings are reckoned over a whole year against a benchmark from the year before"
        )
    return (
        f"a global budget is set for a year at its start ({ZHONG_2023}, of Sanming's: the fund is "
        "allocated to the consortium “at the beginning of each year”)"
    )


#: The built-in rule sets' titles in Chinese (:func:`reform_payment`), the short names
#: those of ``ihms payment compare --lang zh`` (``payment._words_zh_books.REGIME_ZH``).
TITLES_ZH: dict[str, str] = {
    "Sanming IMPM — population-based global budget, balance kept by the consortium": (
        "三明总额包干（按参保人数核定总额预算，结余留归医共体）"
    ),
    "Fee for service — every claim paid, no budget": "按项目付费（每笔费用照付，不设总额）",
    "Deqing CIHO — total-cost-of-care shared savings, blended primary-care payment": (
        "德清医共体结余分成（按医疗总费用分享结余，基层混合支付）"
    ),
    "Other areas of China — history-based budget (the ratchet), shared overspend": (
        "其他地区按历史支出核定总额（逐年按上年支出核定，超支分担）"
    ),
    "Medicare Shared Savings Program, ENHANCED track (two-sided)": (
        "美国医保共享节余计划（双向风险）"
    ),
}


def reform_payment(regime: str, *, lang: str = "en") -> str:
    """How a simulated regime pays its consortium, by the title of the built-in rules it
    settles by (:func:`~ihms.sim._codes.regime_rules`), as the payment section names
    them: ``Sanming IMPM (population-based global budget, balance kept by the
    consortium)``; ``lang="zh"``: ``三明总额包干（按参保人数核定总额预算，结余留归医共体）``
    (:data:`TITLES_ZH`)."""
    title = load_rules(regime_rules(regime)).title
    if lang == "zh":
        return TITLES_ZH[title]
    short, _, what = title.partition(" — ")
    return f"{short} ({what})" if what else short


def years_text(
    reform: str,
    *,
    county: str,
    first: int,
    baseline: int | None,
    regime: str = "sanming",
    reformed: bool = True,
    lang: str = "en",
) -> str:
    """The rules section's sentences on which years are settled and why; ``county`` is
    the county's name, ``baseline`` the year the reform ran only part of (none for a
    reform from January), ``regime`` the simulated reform regime, whose built-in rules
    (:func:`~ihms.sim._codes.regime_rules`) name the reform; the settlements themselves are
    Sanming's. ``reformed`` is whether the run is a reform
    (:func:`ihms.payment.reform.is_reform`: its regime is not the config's baseline);
    ``lang="zh"``: in Chinese (``county`` given in Chinese)."""
    rules = load_rules(regime_rules(regime))
    if lang == "zh":
        return _years_zh(reform, county, first, baseline, rules, regime, reformed)
    named = reform_payment(regime)
    when = month_words(reform)
    if not reformed:
        head = (
            f"{county} stays on {named}: its simulated county has no reform, and the "
            f"settlements below apply Sanming's rules to its data as if from {when}; "
            f"{_why_whole_years(load_rules('sanming'))}"
        )
    else:
        head = f"{county} began paying its consortium by {named} in {when}; " + _why_whole_years(
            rules
        )
    under = (
        "under its rules"
        if rules.name == "sanming"
        else "under Sanming's rules (the demo's settlements; the comparison sets the others beside them)"
    )
    text = f"{head}, so the first year settled and scored {under} is {first}"
    if baseline is None:
        return text + "."
    return text + (
        f"; {baseline}, in which the reform ran only from {month_words(reform, year=False)}, "
        "is the baseline year: its spending is shown, and it is neither settled nor scored "
        "(no budget, no assessment, no staff scorecards). `ihms sim run` settles the same "
        "years, the whole years of the reform, and so leaves the baseline year unsettled "
        "in the simulated county too."
    )


def _years_zh(reform, county, first, baseline, rules, regime, reformed) -> str:
    """:func:`years_text` in Chinese."""
    named, when = reform_payment(regime, lang="zh"), month_zh(reform)
    if not reformed:
        why = _why_whole_years(load_rules("sanming"), lang="zh")
        head = (
            f"{county}仍实行{named}：其模拟县域未实施改革，以下结算将三明规则应用于其数据，视同"
            f"自 {when}起实施；{why}"
        )
    else:
        head = f"{county}自 {when}起按{named}向医共体支付；{_why_whole_years(rules, lang='zh')}"
    under = (
        "按其规则"
        if rules.name == "sanming"
        else "按三明规则（即演示的结算；比较一节将其他规则与之并列）"
    )
    text = f"{head}，因此{under}结算和考核的第一个年度是 {first} 年"
    if baseline is None:
        return text + "。"
    return text + (
        f"；{baseline} 年改革仅自 {month_zh(reform, year=False)}起实施，为基线年：列出其医保"
        "支付，但既不结算也不考核（无总额预算、无考核、无医务人员考核评分表）。`ihms sim run` "
        "结算的也是这些年度，即改革的完整年度，因此模拟县域的基线年同样不予结算。"
    )


#: The baseline table's rows, in Chinese.
_BASELINE_ROWS_ZH = {
    "In the consortium's institutions": "医共体内机构",
    "Outside the county": "县外",
    "At private hospitals": "民营医院",
    "Total insurance-paid care": "医保支付合计",
    "Per insured resident": "参保人均",
}


def baseline_section(
    year: int,
    *,
    spending: SpendingTable,
    population: PopulationTable,
    reform: str,
    first: int,
    lang: str = "en",
) -> Section:
    """The baseline year's insurance-paid care by place of treatment, and per insured
    resident; the report section (``lang="zh"``: its words in Chinese)."""
    s = spending.for_year(year)
    total = s.consortium_total + s.outside_county + s.private
    rows = {
        "In the consortium's institutions": s.consortium_total,
        "Outside the county": s.outside_county,
        "At private hospitals": s.private,
        "Total insurance-paid care": total,
    }
    insured = population.rows[year].insured_population if year in population.rows else None
    if insured:
        per_head = Fraction(total, insured)
        rows["Per insured resident"] = int(per_head + Fraction(1, 2))  # half up, to the fen
    frame = pd.DataFrame(
        {"Amount (yuan)": yuan_column(list(rows.values()))},
        index=pd.Index(list(rows), name="Insurance-paid care"),
    )
    if lang == "zh":
        return _baseline_zh(year, frame, total, insured, reform, first)
    sec = Section(
        f"payment-{year}",
        f"{year}: the baseline year (the reform began in {month_words(reform)})",
        mirrors="",
    )
    who = f" for {insured:,} insured residents (the year's average)" if insured else ""
    sec.text(
        f"{year} is the year before the first settled under Sanming's rules ({first}): the "
        f"reform began in {month_words(reform)}, the months before it paid under the old "
        "rules. It is "
        "neither settled nor scored; its spending is the baseline the later years are read "
        f"against, and the year before {first} that the other areas' ratchet and Deqing's "
        f"benchmark read in the comparison below. Residents' insured care cost "
        f"{format_yuan(total)} yuan{who}."
    )
    sec.table(
        "baseline",
        SummaryTable(
            frame,
            title=f"Insurance-paid care of {year}, the baseline year (not settled)",
            notes=("Money in yuan, exact to the fen; per insured resident rounded half up.",),
        ),
    )
    return sec


def _baseline_zh(year, frame, total, insured, reform, first) -> Section:
    """:func:`baseline_section` in Chinese, from the English one's table."""
    frame = frame.rename(columns={"Amount (yuan)": "金额（元）"}, index=_BASELINE_ROWS_ZH)
    frame.index.name = "医保支付"
    when = month_zh(reform)
    sec = Section(f"payment-{year}", f"{year} 年：基线年（改革始于 {when}）", mirrors="")
    who = f"，参保人数 {insured:,} 人（全年平均）" if insured else ""
    sec.text(
        f"{year} 年是按三明规则结算的第一个年度（{first} 年）的前一年：改革始于 {when}，此前各月仍按"
        "原规则支付。该年既不结算也不考核；其医保支付是解读以后各年的基线，也是下文比较中其他地区"
        f"按历史支出核定总额和德清结余分成基准所读取的 {first} 年前一年。参保居民的医保费用为 "
        f"{format_yuan(total)} 元{who}。"
    )
    sec.table(
        "baseline",
        SummaryTable(
            frame,
            title=f"{year} 年（基线年，不结算）的医保支付",
            notes=("金额单位：元，精确到分；参保人均金额四舍五入到分。",),
            lang="zh",
        ),
    )
    return sec
