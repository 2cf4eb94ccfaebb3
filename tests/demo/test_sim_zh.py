"""The simulation step's sections in Chinese (``ihms demo --lang zh``): the simulated
county, its calibration and the regimes side by side, built from the same results as the
English ones (tests/demo/test_sim_demo.py, test_sim_demo_reform.py), every text Chinese
and every figure the English run's."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from tests.demo.zh_check import english_left, section_texts

from ihms.demo import _sim
from ihms.demo._sim_calibration import calibration_figure
from ihms.sim.calibrate import TARGETS, Measurements, check_targets

#: Names a Chinese reader sees as they are: a product's or method's.
ALLOWED = ("Newey-West", "Newey–West", "Breusch–Godfrey")

#: The whole county's figures the regimes section sets beside the runs (the demo of
#: 2026-11-22: 17.00 in 2016; 68.13 % and 16.37 in 2019).
WHOLE = {
    "hospitalization_rate_2016": 17.0,
    "outpatient_contacts_primary_share_2019": 68.13,
    "hospitalization_rate_2019": 16.37,
}


def _checked(reform: str, **changes):
    values = {t.key: t.value for t in TARGETS} | changes
    measured = Measurements(values=values, yearly=pd.DataFrame(), series=pd.DataFrame())
    return check_targets(measured, {}, reform=reform)


def _english_left(section) -> list[str]:
    return [run for text in section_texts(section) for run in english_left(text, ALLOWED)]


def _text(section) -> str:
    return "".join(b.text for b in section.blocks if hasattr(b, "text"))


def _numbers(table) -> list[float]:
    """Every number of a table, row by row (text cells left out)."""
    cells = table.frame.to_numpy().ravel()
    return [float(v) for v in cells if isinstance(v, (int, float, np.number))]


def _same_tables(en, zh) -> None:
    """The two sections hold the same tables by name, each with the same numbers."""
    en_tables = {t.name: t.table for t in en.tables()}
    zh_tables = {t.name: t.table for t in zh.tables()}
    assert list(en_tables) == list(zh_tables)
    for name, table in en_tables.items():
        assert zh_tables[name].lang == "zh", name
        assert table.frame.shape == zh_tables[name].frame.shape, name
        np.testing.assert_array_equal(_numbers(table), _numbers(zh_tables[name]), err_msg=name)
    assert [f.name for f in en.figures()] == [f.name for f in zh.figures()]


@pytest.fixture(scope="module")
def regimes(regime_comparison):
    mp = pytest.MonkeyPatch()
    mp.setattr(_sim, "COMPARE_RESIDENTS", 6000)
    try:
        en = _sim._regimes_section(regime_comparison, whole=WHOLE)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            zh = _sim._regimes_section(regime_comparison, whole=WHOLE, lang="zh")
        yield regime_comparison, en, zh, [str(w.message) for w in caught]
    finally:
        mp.undo()


def test_the_regimes_section_is_chinese_throughout(regimes):
    _, en, zh, caught = regimes
    assert _english_left(zh) == []
    assert (zh.id, zh.title) == ("regimes", "同一个县的四种支付方式")
    assert zh.mirrors == "Zhong et al. 2023，表1及讨论部分；Jia et al. 2021（德清）"
    text = _text(zh)
    for term in ("诊疗人次基层占比", "居民住院率", "德清医共体结余分成", "棘轮", "95% 置信区间"):
        assert term in text, term
    assert not [m for m in caught if "missing from" in m]  # every glyph of the figure drawn
    _same_tables(en, zh)
    balances = {t.name: t.table for t in zh.tables()}["sim_regime_balances"].frame
    assert list(balances.columns) == [
        "三明总额包干：结余",
        "其他地区按历史支出核定总额：结余",
        "德清医共体结余分成：结余分成",
    ]


def test_the_regimes_sentences_carry_the_english_runs_figures(regimes):
    comparison, _, zh, _ = regimes
    (n,) = {run.residents for run in comparison.runs.values()}
    wide = comparison.wide(2019)
    share = wide.loc["Primary-care share of outpatient contacts (%)"]
    rate = wide.loc["Hospitalization rate (admissions per 100 residents)"]
    text = _text(zh)
    assert text.startswith(
        "同一个县、同样的居民、同样的疾病，自 2017 年 10 月起按四种方式支付（每次模拟 "
        f"{n:,} 名居民，随机种子相同：金额是这部分人口的，约为尤溪全县的 1.7%）。2019 年，"
        f"诊疗人次基层占比在三明总额包干下为 {share['sanming']:.1f}%（{n:,} 名居民的模拟），在按项目"
        f"付费下为 {share['fee-for-service']:.1f}%，"
    )
    assert (
        f"2019 年其诊疗人次基层占比为 {share['deqing']:.1f}%，居民住院率为 "
        f"{rate['deqing']:.1f}（{n:,} 名居民的模拟）。"
    ) in text
    assert "家庭医生的签约服务费为每名签约居民每年 100.00 元（见其规则文件）" in text
    # the other areas' regime by the name the tables give it (review 399, finding 8)
    assert (
        f"在其他地区按历史支出核定总额（棘轮式）下为 {share['other-areas']:.1f}%。" in text
        and f"在按项目付费和其他地区按历史支出核定总额下分别为 {rate['fee-for-service']:.1f} 和 "
        in text
    )
    assert "其他地区的" not in text and "归属人口起算" not in text  # Deqing is in the runs
    tables = {t.name: t.table for t in zh.tables()}
    assert tables["sim_regimes"].title.endswith(f"，按 {n:,} 名模拟居民计")
    notes = "".join(tables["sim_regimes"].notes)
    assert "整个模拟县 2019 年的诊疗人次基层占比为 68.13%，居民住院率为 16.37" in notes
    assert "（见“住院率和诊疗人次”一节，对应 Zhong et al. 2023 表4）" in notes
    assert "该数据中按项目付费仅见于 2017 年 10 月之前" in notes  # the library's note, in Chinese
    assert f"每种支付方式为模拟器的一次随机运行（{n:,} 名曾在县内的居民，同一随机种子）" in notes
    deqing = "".join(tables["sim_deqing_beside_jia_2021"].notes)
    assert "模拟值：模拟县域（尤溪县）自改革之日起按德清规则支付" in deqing


def test_the_2016_baseline_in_chinese_is_judged_as_in_english(regime_comparison):
    # a county rate inside the runs' interval is sampling; one far above it is not
    comparison = regime_comparison
    inside = _sim._baseline_text(comparison, WHOLE, lang="zh")
    rate = comparison.wide(2016).loc["Hospitalization rate (admissions per 100 residents)"]
    assert inside.startswith(
        f"2016 年尚未改革，各次模拟的居民住院率均为每百居民 {rate.iloc[0]:.2f} 人次（95% 置信区间 "
    )
    said_in = "95 % interval" in _sim._baseline_text(comparison, WHOLE)
    assert said_in and "差距来自抽样" in inside
    far = _sim._baseline_text(comparison, {"hospitalization_rate_2016": 40.0}, lang="zh")
    assert "之外：差距超出了该区间所能解释的范围" in far and english_left(far) == []


def test_the_calibration_section_is_chinese_throughout():
    # seed 002's 2017 visits and primary-care share departing (shown figures), its 2019
    # hospitalization rate outside ±10 % (gated), the config tuned
    departing = _checked(
        "2017-10",
        outpatient_contacts_2017=160.0,
        outpatient_contacts_primary_share_2017=54.0,
        hospitalization_rate_2019=30.0,
    )
    en = _sim._calibration_section(departing, tuned=True)
    zh = _sim._calibration_section(departing, tuned=True, lang="zh")
    assert _english_left(zh) == []
    assert (zh.id, zh.title) == ("calibration", "模型校准：模拟县像尤溪吗？")
    assert zh.mirrors == "Zhong et al. 2023，表3、表4和表5"
    text = _text(zh)
    assert "间断" not in text and "中断时间序列分析（季节调整，Newey-West 标准误）" in text
    assert "部分指标超出其容许范围：居民住院率（每百居民住院人次），2019年。" in text
    assert "结论基于 22 个判定指标。" in text and "其中 2 个指标上模拟县偏离尤溪" in text
    _same_tables(en, zh)
    notes = {t.name: t.table for t in zh.tables()}["sim_calibration"].notes
    assert notes[0].startswith("注：") and "模拟器已按 22 个判定指标调参" in notes[-1]


def test_a_later_reform_s_calibration_says_what_is_left_out_in_chinese():
    zh = _sim._calibration_section(_checked("2018-07"), lang="zh")
    assert _english_left(zh) == []
    text = _text(zh)
    assert (
        "Zhong et al. 2023 的 37 个指标中有 29 个未纳入比较。本次运行的改革始于 2018 年 7 月，尤溪的"
        "改革始于 2017 年 10 月（Zhong et al. 2023）："
    ) in text
    assert (
        "比较 Zhong et al. 2023 全部 37 个指标中的 8 个（表4的 2016 年指标和表3按 Zhong et al. 2023 的方法"
        in text
    )
    nothing = _sim._calibration_section(_checked("2016-12"), lang="zh")
    assert _english_left(nothing) == [] and list(nothing.figures()) == []
    assert _text(nothing).endswith("Zhong et al. 2023 中没有 2016 年 12 月之前的指标。")


def _one_figure() -> pd.DataFrame:
    """A calibration frame of one figure: the 2016 hospitalization rate, 5 % over."""
    return pd.DataFrame(
        {
            "figure": ["Hospitalization rate (admissions per 100 residents) 2016"],
            "source": ["Zhong et al. 2023, Table 4"],
            "ratio": [1.05],
            "rule": ["±10 %"],
            "within": [True],
            "agrees": [True],
        }
    )


def test_the_calibration_figure_draws_chinese_words():
    frame = _one_figure()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = calibration_figure(SimpleNamespace(frame=frame), lang="zh")
        fig.canvas.draw()
    ax = fig.axes[0]
    words = [t.get_text() for t in ax.get_yticklabels()]
    words += [ax.get_xlabel(), *(t.get_text() for t in ax.get_legend().get_texts())]
    assert words[0] == "居民住院率（每百居民住院人次），2016年"
    assert "仅展示，不参与判定" in words
    assert [w for w in words if english_left(w)] == []
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_the_simulated_county_is_introduced_in_chinese(regime_comparison):
    run = regime_comparison.runs["sanming"]  # a SimulationResults, 6,000 residents asked
    en = _sim._intro_section(run)
    zh = _sim._intro_section(run, lang="zh")
    assert _english_left(zh) == []
    assert (zh.id, zh.title) == ("simulation", "用于试行改革的县：模拟尤溪县")
    text = _text(zh)
    assert (
        f"此处按全县规模的 {run.plan.scale:.0%} 运行（曾在县内居住的居民 {run.residents:,} 名；"
    ) in text
    assert "（Zhong et al. 2023，表2）" in text and "三明总额包干" in text
    # the name the later sections use is introduced with the scheme's (review 399, 8)
    assert "按三明医保基金打包支付方式（下称三明总额包干）向县域医共体支付的县" in text
    assert "常住居民 358,000 至 363,000 人，60 岁及以上人口占 14.9% 至 16.6%，县级医院 3 家" in text
    from ihms.demo._sim_zh import deqing_left_out

    assert "——最低结余率表自 5,000 名归属人口起算（" in deqing_left_out(1500, 5000)
    _same_tables(en, zh)
    assert _sim._tried_reform("2018-07", reformed=True, lang="zh").startswith(
        "本次运行改为自 2018 年 7 月起实施改革（配置中的 `reform.date`）"
    )
    assert _sim._tried_reform("2017-10", reformed=True, lang="zh") == ""


def test_a_calibration_figure_word_without_chinese_raises(monkeypatch):
    # Review 399, finding 7: a label missing from FIGURE_ZH was drawn as None
    from ihms.demo import _sim_calibration

    words = dict(_sim_calibration.FIGURE_ZH)
    del words["within ±10 %"]
    monkeypatch.setattr(_sim_calibration, "FIGURE_ZH", words)
    frame = _one_figure()
    with pytest.raises(KeyError, match="within"):
        calibration_figure(SimpleNamespace(frame=frame), lang="zh")
