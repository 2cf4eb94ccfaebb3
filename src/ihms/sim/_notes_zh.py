"""The notes under the county simulator's tables, and the lines ``ihms sim`` prints
around them, in Chinese (``--lang zh``): each by the English sentence the library
writes, the fixed ones whole, those with figures in them by pattern, every figure kept
as written. A note no pattern says stays English (the long explanations of why a
calibration figure departs among them).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ihms._words import said as said_word
from ihms.payment.reform import month_zh
from ihms.sim._calibration_zh import departure_zh, figures_zh

__all__ = ["figure_zh", "said_by", "said_line", "said_note"]

_ASSUMED = (
    r"the behaviour under each regime \(regimes\.\*, integration\.\*\), and so the reform's "
    r"effect, is assumed \(how far the results move with it: ihms sim sensitivity\)"
)
_ASSUMED_ZH = "各支付方式下的行为参数（regimes.*、integration.*）及由此得出的改革效果均为假设值（其影响大小见 ihms sim sensitivity）"

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


def _month(name: str) -> str:
    return f"{_MONTHS[name]} 月" if name in _MONTHS else name


def _settled(m: re.Match) -> str:
    whole = (
        f"改革后每个完整日历年（{m[3].replace(', ', '、')}）按该支付方式的规则进行年终清算"
        if m[3]
        else "研究期内无改革后的完整日历年，故不清算"
    )
    text = f"改革自 {m[2]} 年 {_month(m[1])}起：{whole}，总额预算或支出基准按全年核定。"
    if m[4]:
        text += f"{m[4]} 年改革仅自 {_month(m[5])}起实施，为基线年：其费用计入核算，但不清算、不考核（与 ihms demo 一致）。"
    elif m[6]:
        text += "改革覆盖第一年全年：无基线年。"
    return text


def _tuned(m: re.Match) -> str:
    if m[5] is None:
        return f"calibration.tuned 中的 {m[1]} 个调参值（{_origin(m[2], m[3])}，以 {m[4]} 尤溪数据为目标）替代配置文件中所写的值（二者相同）。"
    listed = re.sub(r": (\S+) written, (\S+) used", r"：配置值 \1，采用 \2", m[6])
    listed = listed.replace("; ", "；")
    return (
        f"calibration.tuned 中的 {m[1]} 个调参值（{_origin(m[2], m[3])}，以 {m[4]} 尤溪数据为目标）"
        f"替代配置文件中所写的值，其中 {m[5]} 个不同：{listed}。"
    )


def _origin(county: str, date: str) -> str:
    return f"针对 {county} 调参，调参日期 {date}"


def _verdict(m: re.Match) -> str:
    head = "结论（样本内）：" if m[1] else "结论："
    rest = m[2]
    if rest == "every gated figure is within its rule.":
        return head + "所有判定指标均符合其规则。"
    if rest.startswith("outside: "):
        failed = rest[len("outside: ") :].rstrip(".").split(", ")
        return head + "不符合：" + "、".join(figure_zh(key) for key in failed) + "。"
    return head + rest


def figure_zh(key: str) -> str:
    """A calibration figure by its key (``ch_cost_per_stay_slope_change``): its label in
    Chinese; a key no figure has, as it is."""
    from ihms.sim._words_zh import said_cell
    from ihms.sim.targets import TARGETS

    label = next((t.label for t in TARGETS if t.key == key), None)
    return key if label is None else str(said_cell(label))


def _in_sample(m: re.Match) -> str:
    also = ""
    if m[2]:
        also = f"及 {m[2]} 个仅展示的指标（权重减半）"
    return (
        f"样本内：配置中的调参值（`ihms sim calibrate --tune`）拟合了此处比较的全部 {m[1]} 个"
        f"判定指标{also}，故该结论说明的是在当前规模和随机种子下拟合是否成立，而非模型在未参与"
        "调参的指标上的表现（见下文留出指标）。"
    )


def _held_out(m: re.Match) -> str:
    text = f"留出指标（未参与 `ihms sim calibrate --tune` 拟合）：{m[2]} 个中有 {m[1]} 个按其规则与 {m[3]} 一致"
    if m[4]:
        text += f"；{m[4]} 个偏离：{figures_zh(m[5])}"
    return text + "。"


def _cells_under(m: re.Match) -> str:
    return f"曾在县内居住的居民共 {m[1]} 名；随机种子 {m[2]}；用时 {m[3]} 秒。"


def _base(m: re.Match) -> str:
    return f"基准运行（所有参数取配置值）：{m[1]}。"


def _one_run(m: re.Match) -> str:
    size = f"{m[1]} 名曾在县内的居民，" if m[1] else ""
    return (
        f"每种支付方式为模拟器的一次随机运行（{size}同一随机种子），而非多次运行的均数：几百名"
        "患者上几个百分点的差距可能是偶然的——`RegimeComparison.intervals` 给出各率的计数及 "
        "95% 置信区间，`ihms sim compare --seeds` 给出各指标在不同随机种子间的波动。"
    )


def _baseline(m: re.Match) -> str:
    settled = "期内无" if m[3] == "none in the period" else m[3].replace(", ", "、")
    text = (
        f"{m[1]} 年（自 {_month(m[2])}起）为改革基线年：不清算，故其金额行无总额预算、结余或"
        f"医务人员薪酬激励——总额预算或支出基准按全年核定（清算年份：{settled}，即改革后的完整"
        "年份，与 `ihms sim run` 和 `ihms demo` 一致）"
    )
    if m[4]:
        text += f"；其人员经费按年薪制支付 12 个月中的 {m[4]} 个月，不含激励（激励各行该年为零）"
    return text + "。"


def _month_of(month: str) -> str:
    return month_zh(month) if re.fullmatch(r"\d{4}-\d{2}", month) else month


def _drift(m: re.Match) -> str:
    how = (
        f"随校准按 {m[3]} 数据调参，该数据中按项目付费仅见于 {_month_of(m[4])}之前"
        if m[3]
        else "由配置文件设定"
    )
    return (
        "按项目付费即县域改革前行为的延续：其住院率上升，部分因为县级医院对轻症患者的吸引力"
        f"按 `{m[1]}` = {m[2]} 每年持续增长（{how}），并原样延续至 {m[5]} 年——这是假设，并非"
        "对一个一直按项目付费的县的观察。"
    )


def _spread(m: re.Match) -> str:
    return (
        f"随机种子 {m[1]}：每个种子下各支付方式各运行一次（相同居民与疾病），与 {m[2]} 的差值在"
        f"同一种子内计算后再汇总。标准差：{m[3]} 个种子的样本标准差。种子间波动范围：均数 ± "
        f"{m[4]} × 标准差，即在此县域规模下模型自身随机性使指标在不同运行间的变动幅度——并非"
        "现实世界的置信区间：各支付方式的行为参数（regimes.*）和校准均为假设，任何种子都不"
        "改变它们。种子较少时标准差本身也不精确。"
    )


def _capped(m: re.Match) -> str:
    parts = re.sub(
        r"([\d,]+) resident-months? of illness episodes \(at most (\d+) a month\)",
        r"\1 个居民月的疾病发作（每月至多 \2 次）",
        m[1],
    )
    parts = re.sub(
        r"([\d,]+) resident-months? of preventive visits \(at most (\d+) a month\)",
        r"\1 个居民月的健康门诊（每月至多 \2 次）",
        parts,
    )
    parts = re.sub(
        r"([\d,]+) episodes? of extra primary-care revisits \(at most (\d+) an episode\)",
        r"\1 次发作的基层额外复诊（每次发作至多 \2 次）",
        parts,
    )
    parts = parts.replace("）, ", "）、").replace(" and ", "和 ")  # each part opens on its count
    return (
        f"模拟器上限截断的计数：{parts}超过上限，故这些月份的事件少于按发生率应有的数量，相关"
        "指标偏低；请降低 illness.trend_per_year、healthcare.growth_per_year、regimes.*.primary_extra_revisits（或其增长率）或各发生率，或缩短研究期。"
    )


def _pay(m: re.Match) -> str:
    if m[1] is None:
        return (
            "人员经费：医疗收入的一定比例——所比较的各支付方式规则均按工作量付薪"
            f"（staff_pay.method）——为全部职工的薪酬除以医师数。{m[2]} 未给出薪酬水平：该水平为假设值。"
        )
    salaried = "、".join(_regime(r) for r in m[1].split(", "))
    return (
        f"人员经费：按工作量付薪时为医疗收入的一定比例；年薪制下（{salaried}）为改革前最后一年的"
        "医师人均薪酬加模拟中年终清算的医务人员薪酬激励（视考核为合格），故不再随服务量下降。它是"
        "全部职工（含护士、技术人员和管理人员）的薪酬除以医师数，故远高于医生本人的薪酬。"
        f"{m[2]} 未给出薪酬水平：该水平为假设值。"
    )


def _regime(label: str) -> str:
    from ihms.sim._words_zh import regime_zh

    return regime_zh(label)


def _computed(m: re.Match) -> str:
    rules = "内置" if m[1] == "built in" else m[1].replace("; the others built in", "；其余为内置")
    return (
        "各指标由 ihms.indicators 根据每次运行的数据表计算；金额来自 ihms.payment 按该支付方式"
        f"规则进行的年终清算（规则：{rules}；按项目付费无总额预算，故无结余；德清结余分成以支出"
        "基准而非总额预算衡量，视质量标准为达标）。医共体留用的是总额预算下的结余，或德清规则下"
        "的结余分成；“其中”各行为其用途。"
    )


def _ranges(text: str) -> str:
    """Where the sensitivity's ranges come from (:data:`ihms.sim.sensitivity._RANGES`)."""
    from ihms.sim.sensitivity import _RANGES

    said = {
        _RANGES["given"]: "由 --vary 给定",
        _RANGES["tuning bounds"]: "调参边界，即校准可能取值的范围（并非测量的不确定性）",
    }
    return "；".join(said.get(part, part) for part in text.split("; "))


def _left_out(m: re.Match) -> str:
    from ihms.sim.targets import left_out_reason

    month = re.match(r"This run's reform begins in (\w+) (\d{4})", m[2])
    reform = f"{month[2]}-{_MONTHS[month[1]]:02d}" if month and month[1] in _MONTHS else ""
    if not reform or left_out_reason(reform) != m[2]:
        raise ValueError(f"left-out note: no reform month whose reason reads {m[2]!r}")
    reason = left_out_reason(reform, lang="zh")
    return f"{m[1]} 个指标未纳入比较：{reason}未纳入：{figures_zh(m[3])}。"


def _not_tuned(m: re.Match) -> str:
    also = f"及 {m[2]} 个仅展示的指标（权重减半）" if m[2] else ""
    return (
        "此配置未采用调参值（calibration.tuned），故没有指标经过拟合；“调参”列标出 "
        f"`ihms sim calibrate --tune` 会拟合的指标：{m[1]} 个判定指标{also}。"
    )


#: Notes by pattern: a template (``\\1`` …) or a function of the match.
def _county_zh(county: str) -> str:
    """The simulated county as the seed-004 note names it (``simulated Youxi county``)."""
    name = county.removeprefix("the ").removeprefix("simulated ").removeprefix("county")
    return f"模拟县域（{name.strip()}）" if name.strip() else "模拟县域"


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match], str] | str], ...] = (
    (
        re.compile(r"^([\d,]+) residents? ever present; random seed (\d+); ([\d.]+) s\.$"),
        _cells_under,
    ),
    (
        re.compile(
            r"^Reform from (\w+) (\d{4}): (?:each whole calendar year of the reform is settled "
            r"under the regime's rules \(([^)]*)\)|no whole calendar year of the reform lies in "
            r"the period, so none is settled), a year's budget or benchmark being set for the "
            r"whole year\.(?: (\d{4}), in which the reform ran only from (\w+), is the baseline "
            r"year: .*|( The reform ran the whole of its first year: there is no baseline year\.))$"
        ),
        _settled,
    ),
    (
        re.compile(r"^Regime (\S+) throughout, no reform: no year is settled\.$"),
        r"全程实行\1，未改革：不进行年终清算。",
    ),
    (
        re.compile(
            r"^(\d+) values of calibration\.tuned \(tuned for (.+?) on (\S+), to (.+)'s Youxi "
            r"figures\) replace the values written above them(?: — (\d+) differ: (.+)\.| \(the same values\)\.)$",
            re.S,
        ),
        _tuned,
    ),
    (
        re.compile(
            r"^The rest is not calibrated: beyond the tuned keys, "
            + _ASSUMED
            + r"\. To run on the values written instead, set calibration\.applied: false\.$"
        ),
        "其余未经校准：除调参项外，"
        + _ASSUMED_ZH
        + "。如需使用配置文件中所写的值，请设 calibration.applied: false。",
    ),
    (
        re.compile(
            r"^No value of this config is calibrated \(no calibration\.tuned\): "
            + _ASSUMED
            + r"\.$"
        ),
        "此配置无校准值（无 calibration.tuned）：" + _ASSUMED_ZH + "。",
    ),
    (re.compile(r"^Verdict( \(in sample\))?: (.+)$"), _verdict),
    (
        re.compile(
            r"^In sample: the config's tuned values were fitted \(`ihms sim calibrate --tune`\) to "
            r"all (\d+) gated figures compared here(?: and (\d+) shown figures? at half weight)?, .+$"
        ),
        _in_sample,
    ),
    (
        re.compile(
            r"^Held out \(not fitted by `ihms sim calibrate --tune`\): (\d+) of (\d+) agree with "
            r"(.+?) by the rule of their kind(?:; (\d+) departs?: (.+))?\.$"
        ),
        _held_out,
    ),
    (
        re.compile(
            r"^Held out \(not fitted by `ihms sim calibrate --tune`\): none; every figure compared is one the tuning fits\.$"
        ),
        "留出指标（未参与 `ihms sim calibrate --tune` 拟合）：无；所比较的指标均参与调参拟合。",
    ),
    (re.compile(r"^(\d+) figures left out: (.+?) Left out: (.+)\.$"), _left_out),
    (
        re.compile(
            r"^No tuned value is applied in this config \(calibration\.tuned\), so no figure "
            r"was fitted to; .+: the (\d+) gated figures(?: and (\d+) shown figures? at half weight)?\.$"
        ),
        _not_tuned,
    ),
    (
        re.compile(r"^Where the simulation departs from (.+) on figures not gated:$"),
        r"模拟值与 \1 数据偏离的非判定指标：",
    ),
    (
        re.compile(
            r"^Personnel cost: a share of the revenue charged(?: while staff are paid by volume; "
            r"under the annual salary system \((.+?)\) the last| —).+ (\S+ et al\. \d{4}) gives no "
            r"pay levels: the levels are assumed\.$"
        ),
        _pay,
    ),
    (
        re.compile(
            r"^Indicators computed with ihms\.indicators from each run's tables; money from "
            r"ihms\.payment's settlement under the regime's rules \((.+?); fee for service has no budget, .+$"
        ),
        _computed,
    ),
    (re.compile(r"^Base run \(every parameter at the config's value\): (.+)\.$"), _base),
    (
        re.compile(
            r"^Each regime is one stochastic run(?: of ([\d,]+) residents ever present)? \(same seed\), not a mean over runs: .+$"
        ),
        _one_run,
    ),
    (
        re.compile(
            r"^(\d{4}) \(from (\w+)\) is the baseline year of the reform: not settled, .+ \(settled: "
            r"(.+), the whole years of the reform, .+?\)(?:; its personnel cost pays the (\d+) of 12 months .+)?\.$"
        ),
        _baseline,
    ),
    (
        re.compile(
            r"^Deqing: (.+), Results, 'Service utilization' and Figure 4; changes in percentage "
            r"points; inpatient care outside the county was about 30 % in 2017\. Simulated: (.+) "
            r"paid by Deqing's rules from the reform date, not Deqing county itself, so levels "
            r"differ; only the direction of the change is compared\.$"
        ),
        lambda m: (
            f"德清县：{m[1]}，结果部分“服务利用”及图4；变化以百分点计；2017 年县外住院约占 30%。"
            f"模拟值：{_county_zh(m[2])}自改革之日起按德清规则支付，并非德清县本身，故水平不同，"
            "仅比较变化方向。"
        ),
    ),
    (
        re.compile(
            r"^Fee for service is the county's pre-reform behaviour continued: .+ keeps growing at "
            r"(\S+) = (\S+) a year \((?:tuned with the calibration to (.+)'s figures, which show "
            r"fee for service only before (\S+)|set in the config)\), extended unchanged to "
            r"(\d{4}) — .+$"
        ),
        _drift,
    ),
    (
        re.compile(
            r"^Over seeds (.+?): each seed runs every regime once .+ a difference from (\S+) is "
            r"taken within a seed, then summarized\. SD: the sample SD over the (\d+) seeds\. "
            r"Across-seed spread: mean ± (\S+) × SD, .+$"
        ),
        _spread,
    ),
    (
        re.compile(
            r"^Counts cut short by the simulator's cap: (.+) drew more than the cap allows, .+$"
        ),
        _capped,
    ),
)

#: Fixed notes by their English words.
_WHOLE: dict[str, str] = {
    "A row per simulated year. Counts are the year's events of the county's residents "
    "wherever treated, in the county or outside: outpatient and emergency visits, "
    "admissions, preventive visits (healthcare (preventive) outpatient visits) and "
    "chronic-disease follow-ups. Resident-years: the months residents were present, over "
    "12. Total cost: all their care, in yuan; insurance paid: the part the medical "
    "insurance fund paid. Health promotion: its intensity (0: none, 1: full), the "
    "regime's own promotion effort plus what the previous year's balance funds, capped at 1.": "每行为一个模拟年份。计数为县域居民当年的就诊事件，不论在县内还是县外就医：门急诊"
    "人次、住院人次、健康门诊人次和慢性病随访人次。人年数：居民在县内的月数"
    "除以 12。总费用：其全部医疗费用（元）；医保基金支出：其中医保基金支付的部分。健康促进"
    "强度：0 为无、1 为充分，即该支付方式自身的健康促进力度加上上一年结余所资助的部分，上限为 1。",
    "In the county: its institutions (the consortia's: village clinics and township health "
    "centres as primary care, and the county hospitals). Outside the county (%): its share "
    "of insurance paid. Total cost: insurance paid and out of pocket.": "县域内：县内各医疗机构（医共体内的村卫生室和乡镇卫生院为基层医疗卫生机构，另有县级"
    "医院）。县外占比（%）：县外医保基金支出占医保基金支出的比例。总费用：医保基金支付与个人"
    "自付之和。",
    "The in-run settlement treats the assessment as passed (ihms payment settle --store "
    "settles the years again with the scorecards).": "模拟中的年终清算视考核为合格（ihms payment settle --store 按考核评分表重新清算各年）。",
    "The in-run settlement treats the assessment as passed (ihms payment settle --store "
    "settles the years again with the scorecards) and, under shared savings, the quality "
    "standard as met.": "模拟中的年终清算视考核为合格、结余分成下的质量标准为达标（ihms payment settle "
    "--store 按考核评分表重新清算各年）。",
    "Relative difference: (regime − baseline) / baseline × 100 within each seed; none where "
    "the baseline's figure is 0 (fee for service keeps no balance). Every figure, and each "
    "seed's value: --table or --json.": "相对差值：在每个种子内计算（支付方式 − 基线）/ 基线 × 100；基线值为 0 时不计算（按项目"
    "付费无结余）。全部指标及每个种子的值：--table 或 --json。",
    "Bar: left of | how far the outcome falls below the base run's, right how far it rises, "
    "scaled to the widest. Every outcome and year: --json.": "条形：| 左侧为结局低于基准运行的幅度，右侧为高于基准运行的幅度，按最宽者缩放。全部结局"
    "和年份：--json。",
    "The run's resources table leaves consultation income and total expense empty (not "
    "simulated), so the THC consultation-fee and personnel-cost shares are missing, not 0.": "本次运行的资源表未填写诊查收入和总支出（未模拟），故乡镇卫生院诊查费占比和人员经费占比"
    "为缺失值，而非 0。",
    "regimes.deqing in the config is an assumption, not tuned to these figures: no "
    "calibration of the Deqing regime has been done.": "配置中的 regimes.deqing 为假设值，未按这些数据调参：德清支付方式未经校准。",
}

_EN_PREFIX = {
    "Relative figures pass within ±10 %; ITS slope changes pass with Youxi's sign and a "
    "ratio within a factor of √10.": "相对指标在 ±10% 以内为符合；中断时间序列的斜率变化与尤溪同号且比值在 "
    "√10 倍以内为符合。标注（仅展示）的指标不参与结论判定，但按同类规则检验。年度指标由 "
    "ihms.indicators 计算；中断时间序列由 ihms.stats 对县级医院月度序列计算（季节调整，Newey–West "
    "标准误，滞后阶数按 Breusch–Godfrey 检验确定）",
    "Each regime is one stochastic run of the simulator (same seed), not a mean over runs: a "
    "rate is its numerator over N": "每种支付方式为模拟器的一次随机运行（同一随机种子），而非"
    "多次运行的均数：率为分子除以其后所示的 N。区间：构成比用 Wilson 区间，住院率用精确 "
    "Poisson（Garwood）区间（statsmodels）。它们将每名患者、每次就诊和住院视为相互独立：就诊"
    "和住院在居民内部聚集，故这些区间偏窄。它们只反映各率自身的抽样误差，而非支付方式间差值"
    "的误差：各支付方式共享居民和疾病（共同随机数），其差值随种子的变动应小于两个独立样本"
    "（`ihms sim compare --seeds` 可度量其在种子间的波动）。",
    "Each parameter is set alone to the low and the high end of its range": "每次只将一个参数"
    "设为其取值范围的下限或上限，其余参数取配置值；每次运行使用同一随机种子，故变动幅度（取"
    "上限时 − 取下限时）即该参数的影响，仅含参数改变后续抽样所致的抖动（其大小见 sim compare "
    "--seeds）。各行按最大偏离（较远一端与基准运行的距离）排序（两端可能位于同侧，此时变动"
    "幅度低估了影响）。",
}


def said_note(text: str) -> str:
    """A note of the simulator in Chinese, every figure as written; as it is when no
    pattern says it."""
    if text in _WHOLE:
        return _WHOLE[text]
    for head, said in _EN_PREFIX.items():
        if text.startswith(head):
            scale = re.search(r"counts scaled ×(\S+) to Youxi's size", text)
            rest = f"，计数按 ×{scale[1]} 缩放至尤溪规模" if scale else ""
            ranges = text.partition("Ranges: ")[2].removesuffix(".")
            rest += f"取值范围：{_ranges(ranges)}。" if ranges else ""
            return said + rest + ("。" if said.endswith("确定）") else "")
    departure = departure_zh(text)
    if departure is not None:
        return departure
    return said_by(_PATTERNS, text)


def said_by(patterns, text: str) -> str:
    """``text`` said by the first of ``patterns`` (regular expression, then a template
    with ``\\1`` … or a function of the match) that matches it; as it is when none does."""
    for pattern, say in patterns:
        m = pattern.match(text)
        if m:
            return say(m) if callable(say) else m.expand(say)
    return text


def said_line(text: str, lang: str) -> str:
    """A note ``ihms sim`` prints beside its tables, in ``lang`` (Chinese after ``注：``)."""
    return said_word("zh", "note") + said_note(text) if lang == "zh" else text
