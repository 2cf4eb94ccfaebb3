"""The simulation step's words in Chinese (``ihms demo --lang zh``): the simulated
county, its calibration and the regimes side by side, each sentence beside the figures
:mod:`ihms.demo._sim` computed once for both languages.

The terms are those ``ihms sim --lang zh`` prints (:mod:`ihms.sim._words_zh`): the
regimes by their rule sets' Chinese names (三明总额包干, 按项目付费, 其他地区按历史支出核定
总额, 德清医共体结余分成), the catalogue's indicator names (诊疗人次基层占比, 居民住院率),
判定指标 / 仅展示 for the calibration's gated and shown figures.
"""

from __future__ import annotations

from ihms.payment.reform import month_zh
from ihms.sim._calibration_zh import figures_zh
from ihms.sim._notes_zh import figure_zh
from ihms.sim._target_words import figures_words
from ihms.sim._words_zh import regime_zh
from ihms.sim.targets import TARGETS, left_out_reason
from ihms.sources import JIA_2021, ZHONG_2023, cited_zh

__all__ = [
    "CALIBRATION_TITLE",
    "FIGURE_ZH",
    "INTRO_TITLE",
    "PAID_BEHAVIOUR",
    "balances_words",
    "calibration_caption",
    "calibration_texts",
    "intro",
    "regimes_caption",
    "regimes_mirrors",
    "regimes_paragraph",
    "regimes_table_words",
    "size",
    "tried_reform",
]

INTRO_TITLE = "用于试行改革的县：模拟尤溪县"


def size(scale: float, residents: int) -> str:
    """How much of the county the run simulates."""
    if scale == 1:
        return f"此处模拟的是整个县：曾在县内居住的居民共 {residents:,} 名"
    return (
        f"此处按全县规模的 {scale:.0%} 运行（曾在县内居住的居民 {residents:,} 名；县级医院序列"
        "中的计数已按比例放大回全县规模）"
    )


def tried_reform(reform: str, *, reformed: bool, youxi: bool) -> str:
    """A sentence when the run is no reform, or its reform month is not Youxi's."""
    if not reformed:
        return "本次运行未实施改革：其支付方式即配置中的 `baseline_regime`。"
    if youxi:
        return ""
    return (
        f"本次运行改为自 {month_zh(reform)}起实施改革（配置中的 `reform.date`），故以下各节显示"
        "当时改革会产生的结果；校准只在两项改革之前的月份与尤溪比较。"
    )


def intro(size_words: str, seed: int, tried: str) -> str:
    """The first paragraph: Youxi, what the simulator rebuilds it from, this run."""
    return (
        "尤溪县（福建省三明市）是第一个按三明医保基金打包支付方式（下称三明总额包干）向县域"
        "医共体支付的县，始于 2017 年 10 月。模拟器依据已发表的结构重建该县——常住居民 358,000 至 "
        "363,000 人，60 岁及以上人口占 14.9% 至 16.6%，县级医院 3 家，乡镇卫生院由 18 家增至 "
        "23 家，村卫生室 350 至 387 个"
        f"（{cited_zh(f'{ZHONG_2023}, Table 2')}）——并让居民逐月患病、就医、转诊、住院和接受"
        f"随访。{size_words}（随机种子 {seed}）；后续各节均读取本次运行写入的数据表。{tried}"
    )


PAID_BEHAVIOUR = (
    "医疗机构如何行事，取决于如何向其付费。按项目付费时，县级医院靠服务量获得收入，吸引"
    "轻症患者，也倾向于收治入院；在三明总额包干下，医共体可留用按人口核定的总额预算中节约"
    "下来的结余，因此会把轻症患者引向基层、把患者留在县内，并以结余资助健康促进——结余在改革"
    "后的每个完整年度由医保结算模块按三明规则清算，并用于加强下一年的慢性病管理。"
)

CALIBRATION_TITLE = "模型校准：模拟县像尤溪吗？"


def calibration_texts(calibration) -> list[str]:
    """The calibration section's paragraphs: how the county is measured and the
    verdict, the figures left out and why, the shown figures that depart."""
    if calibration.frame.empty:
        verdict = f"未比较任何指标。{left_out_reason(calibration.reform, lang='zh')}"
    elif calibration.passed:
        verdict = "参与结论判定的每个指标均在其容许范围之内。"
    else:
        failed = "、".join(figure_zh(k) for k in calibration.failures)
        verdict = f"部分指标超出其容许范围：{failed}。"
    texts = [
        "模拟县完全按真实县的方法测量：年度率和计数用指标目录计算，县级医院的月度服务量和"
        "费用用中断时间序列分析（季节调整，Newey-West 标准误）。每个指标都与 "
        f"{ZHONG_2023} 报告的尤溪数值比较。率或年度计数在 ±10% 以内为符合；改革时的趋势变化与"
        f"已发表结果同号且大小相当（相差不超过 √10 倍）为符合。{verdict}"
    ]
    if calibration.left_out and not calibration.frame.empty:
        texts.append(
            f"{ZHONG_2023} 的 {len(TARGETS)} 个指标中有 {len(calibration.left_out)} 个未纳入"
            f"比较。{left_out_reason(calibration.reform, lang='zh')}未纳入："
            f"{figures_zh(figures_words(calibration.left_out))}。"
        )
    if calibration.departures:
        texts.append(
            f"结论基于 {int(calibration.frame['within'].notna().sum())} 个判定指标。其余指标仅"
            f"作对照展示，按同类指标的规则检验，其中 {len(calibration.departures)} 个指标上"
            "模拟县偏离尤溪。应把这些偏离看作模型的局限，而非研究发现；表下注释说明了原因。"
        )
    return texts


def calibration_caption(*, left_out: bool) -> str:
    """The calibration figure's caption."""
    compared = "所比较的" if left_out else ""
    return (
        f"{cited_zh(f'{ZHONG_2023}, Tables 4 and 5')}中{compared}各年度指标的模拟值与已发表值"
        "之比：实心条参与结论判定，斜线条仅作对照展示；红色：超出 ±10%。"
    )


#: The calibration figure's words.
FIGURE_ZH = {
    "simulated / published (grey band: ±10 %)": "模拟值 / 已发表值（灰色带：±10%）",
    "within ±10 %": "在 ±10% 以内",
    "outside ±10 %": "超出 ±10%",
    "shown, not gated": "仅展示，不参与判定",
}


def regimes_mirrors() -> str:
    """What the regimes section mirrors."""
    return f"{cited_zh(f'{ZHONG_2023}, Table 1')}及讨论部分；{JIA_2021}（德清）"


def _scale(size_words: str, share: str) -> str:
    """The regime runs' size, and what their money is (``share`` of Youxi's)."""
    return f"每次模拟 {size_words} 名居民，随机种子相同：金额是这部分人口的，约为尤溪全县的 {share}"


def regimes_paragraph(
    *,
    ways: str,
    reform: str,
    size_words: str,
    share_words: str,
    last: int,
    tag: str,
    figures: dict[str, tuple[float, float]],
    deqing: str,
) -> str:
    """The regimes side by side: ``figures`` gives each regime's primary-care share (%)
    and hospitalization rate in ``last``; ``deqing`` the sentence on Deqing's run."""
    share = {r: f"{s:.1f}%" for r, (s, _) in figures.items()}
    hosp = {r: f"{h:.1f}" for r, (_, h) in figures.items()}
    return (
        f"同一个县、同样的居民、同样的疾病，{reform}按{ways}种方式支付（{_scale(size_words, share_words)}）。"
        f"{last} 年，诊疗人次基层占比在{regime_zh('sanming')}下为 {share['sanming']}{tag}，在"
        f"{regime_zh('fee-for-service')}下为 {share['fee-for-service']}，在"
        f"{regime_zh('other-areas')}（棘轮式）下为 {share['other-areas']}。居民住院率在"
        f"{regime_zh('sanming')}下为每百居民 {hosp['sanming']} 人次{tag}，在"
        f"{regime_zh('fee-for-service')}和{regime_zh('other-areas')}下分别为 "
        f"{hosp['fee-for-service']} 和 {hosp['other-areas']}。在棘轮机制下，支出较少的医共体下一年获得的预算也较少，且结余"
        "只能用于机构发展，因此让患者保持健康、留在基层的激励较弱——这正是 "
        f"{ZHONG_2023} 在其表1中所作的对比。{deqing}这一比较也可用 "
        "`ihms sim compare --regime ...` 得到。"
    )


def deqing_left_out(residents: int, msr_starts_at: int) -> str:
    """Why Deqing's run is not in the comparison."""
    return (
        f"{JIA_2021} 的{regime_zh('deqing')}未纳入比较：{residents:,} 名居民的模拟规模太小，达不到其最低"
        f"结余率的要求——最低结余率表自 {msr_starts_at:,} 名归属人口起算（"
        "`ihms sim compare --regime deqing` 可在更大的县上运行它）。"
    )


def deqing_in(fee: str, last: int, figures: tuple[float, float], tag: str) -> str:
    """Deqing's run in the comparison: how it pays, and its two figures in ``last``."""
    share, hosp = figures
    return (
        f"{JIA_2021} 的{regime_zh('deqing')}不设总额预算：医共体按其支出低于支出基准部分的一定比例获得"
        f"分成，家庭医生的签约服务费为{fee}（见其规则文件），并视质量标准为达标；{last} 年其"
        f"诊疗人次基层占比为 {share:.1f}%，居民住院率为 {hosp:.1f}{tag}。"
    )


def regimes_table_words(size_words: str) -> tuple[str, str]:
    """The regimes table's title ending and its note on the runs' size."""
    return (
        f"按 {size_words} 名模拟居民计",
        f"每次模拟 {size_words} 名居民；金额各行是这部分居民的，而非尤溪全县的（医保结算"
        "各节结算的是整个模拟县）。",
    )


def regimes_caption(years: str, reform: str, size_words: str, share_words: str) -> str:
    """The caption of the regimes' paths."""
    return f"各支付方式下的变化路径，{years}（{reform}改革；{_scale(size_words, share_words)}）。"


def balances_words(size_words: str) -> tuple[str, tuple[str, ...]]:
    """The title and notes of what each settlement leaves the consortium."""
    return (
        f"各支付方式下每年年终清算留给医共体的金额（元），按 {size_words} 名模拟居民计",
        (
            "注：结余为总额预算减去计入总额的支出，是考核及任何收回之前的数额（上表给出留用"
            "部分）。结余分成：德清规则下医共体从支出低于支出基准的部分中所得的分成。按项目"
            f"付费两者皆无。每次模拟 {size_words} 名居民。",
        ),
    )
