"""``ihms demo --lang zh``: the ITS section in Chinese — its title, paragraphs, tables and
figure — with the numbers of the English section."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from tests.demo.zh_check import english_left, section_texts

from ihms.demo._its import (
    _coefficient_table,
    _figure,
    _joint_note,
    _lag_table,
    _post_trend_table,
    _prose,
    _seasonal_table,
    _table,
    example_path,
    run,
)
from ihms.demo._its_text import OUTCOMES, _seed_table
from ihms.demo._run import DemoContext
from ihms.sim.targets import compare_its
from ihms.stats import ITSModel

#: The methods' and products' names a Chinese text keeps as they are.
NAMES = ("Newey-West", "Breusch-Godfrey", "Prais-Winsten")


@pytest.fixture(scope="module")
def zh_section():
    """The ITS step run in Chinese on the bundled series (no simulation), with its fits."""
    ctx = DemoContext(out_dir=Path("out"), work_dir=Path("work"), lang="zh")
    (section,) = run(ctx)
    return section, ctx.artefacts["its"]


def _tables(section) -> dict:
    return {t.name: t.table for t in section.tables()}


def test_nothing_of_the_chinese_section_is_english(zh_section):
    section, _ = zh_section
    texts = section_texts(section)
    assert [t for t in texts if english_left(t, allowed=NAMES)] == []
    assert section.title == "评价：支付方式改革是否改变了县级医院业务量的走势？"
    assert section.mirrors == "Zhong et al. 2023，表3和图2"
    whole = "\n".join(texts)
    for term in (
        "中断时间序列",
        "水平变化",
        "斜率变化",
        "Newey-West 标准误",
        "季节指数",
        "滞后阶数",
    ):
        assert term in whole, term
    # the section ids and table names (CSV files) stay as they are
    assert section.id == "its"
    assert set(_tables(section)) == {
        "its_coefficients",
        "its_post_trends",
        "its_breusch_godfrey",
        "its_seasonal_indices",
        "its_beside_zhong_2023",
    }
    assert all(t.lang == "zh" for t in _tables(section).values())


def _numbers(table) -> list[list[str]]:
    """The formatted cells of a table's numeric columns, row by row."""
    _, rows, numeric = table._cells()
    return [[c for c, n in zip(row, numeric, strict=True) if n] for row in rows]


def test_the_chinese_tables_show_the_numbers_of_the_english_ones(zh_section):
    section, fits = zh_section
    data = pd.read_csv(example_path())
    tests = {
        o: ITSModel(
            data, outcome=o, time="month", interruptions="2017-10", seasonal=True
        ).lag_tests()
        for o in OUTCOMES
    }
    english = {
        "its_coefficients": _table(_coefficient_table(fits), "T"),
        "its_post_trends": _table(_post_trend_table(fits), "T"),
        "its_breusch_godfrey": _table(_lag_table(tests), "T"),
        "its_seasonal_indices": _seasonal_table(fits),
        "its_beside_zhong_2023": _table(_seed_table(compare_its(fits)), "T"),
    }
    chinese = _tables(section)
    for name, table in english.items():
        said = chinese[name]
        assert said.frame.shape == table.frame.shape, name
        assert _numbers(said) == _numbers(table), name
        assert len(set(map(str, said.frame.columns)) & set(map(str, table.frame.columns))) == 0
    coefficients = chinese["its_coefficients"].frame
    assert coefficients.index.name == "结局指标：系数项"
    assert list(coefficients.columns) == [
        "估计值", "标准误", "95% 置信区间下限", "95% 置信区间上限", "P 值", "滞后阶数",
    ]  # fmt: skip
    assert coefficients.index[2] == "门急诊人次：β3 斜率变化"
    seed = chinese["its_beside_zhong_2023"].frame
    assert seed.index[0] == "县级医院门急诊人次：改革前斜率"
    assert set(seed["符号与量级一致"]) <= {"是", "否"} and set(seed["校准中的作用"]) == {
        "纳入判定",
        "仅展示",
    }
    lags = chinese["its_breusch_godfrey"].frame
    # 46 months: 11 orders tested (a quarter of the months), as in English
    assert list(lags.columns[:2]) == ["P 值（滞后 1 阶）", "P 值（滞后 1～2 阶）"]
    assert "P 值（滞后 1～11 阶）" in lags.columns
    months = chinese["its_seasonal_indices"].frame
    assert list(months.index[:2]) == ["1 月", "2 月"] and months.index.name == "月份"
    assert "参与平均的比值个数" in months.columns and "住院次均费用（元）" in months.columns
    # 46 months February 2016 - November 2019; the 12 ratios straddling the reform left out
    assert chinese["its_seasonal_indices"].notes[:2] == (
        "共 46 个月（2016 年 2 月至 2019 年 11 月）；调整后值 = 观测值 / 该月的季节指数。",
        "12 个比值未计入季节指数：其移动平均跨越干预时点。",
    )


def test_the_chinese_figure_draws_chinese_words_with_a_font_that_has_them(zh_section):
    import matplotlib.pyplot as plt

    _, fits = zh_section
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a missing glyph warns
        fig = _figure(fits, lang="zh")
        fig.canvas.draw()
    try:
        (legend,) = fig.legends
        assert [t.get_text() for t in legend.get_texts()] == [
            "观测值",
            "拟合值",
            "反事实（干预前趋势延续）",
        ]
        assert [ax.get_title() for ax in fig.axes][:2] == ["门急诊人次", "住院人次"]
        assert fig.axes[0].get_ylabel() == "每月门急诊人次（季节调整后）"
        ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
        assert ticks and all(t.endswith(("年", "月")) for t in ticks)
    finally:
        plt.close(fig)


def test_the_chinese_paragraphs_say_the_english_ones_findings(its_fits):
    paragraphs = _prose(its_fits(), "", county="尤溪县", lang="zh")
    assert all(english_left(p, allowed=NAMES) == [] for p in paragraphs)
    # the stand-in hospitalizations: post-reform slope 6.1 (95% CI 0.3 to 11.8, p = 0.038)
    # after a slope change of -13.0, as the English test of the same fits reads them
    assert (
        "此后趋势为每月 6.1 人次（95% 置信区间 0.3 至 11.8）：住院人次仍在上升，但比改革前慢"
        "（改革后斜率与零的差异有统计学意义，P = 0.038）。" in paragraphs[2]
    )
    # 0.20 / 2.0 = 10 % (Zhong et al. 2023, Table 3: cost per visit slope change 2.0)
    assert (
        "本次拟合的门急诊次均费用斜率变化为 0.20 元，而尤溪为 2.00 元，为其 10%（与尤溪的估计不一致）"
        in paragraphs[2]
    )
    # cost per stay: p = 0.161 not significant; Youxi's 18.7 has the interval -2.5 to 39.9
    assert "每月趋势（斜率）上升 7.9 元（P = 0.161，在 5% 水平上不显著）" in paragraphs[2]
    assert "尤溪自身的 95% 置信区间为 -2.5 至 39.9，包含零" in paragraphs[2]
    assert "并非独立的证据" in paragraphs[1]
    # of the 12 terms 7 agree; the 5 departures include the cost per stay's level change
    # 514.8 against 100.1, 5.1 times as large
    assert "表3的 12 个系数项中，模拟县的拟合有 7 个与发表值同号" in paragraphs[4]
    assert "有 5 个偏离：" in paragraphs[4]
    # by the table's row label, as the English names each term by the table's
    assert (
        "县级医院住院次均费用（元）：水平变化为 514.8，而尤溪为 100.1，是其 5.1 倍" in paragraphs[4]
    )
    assert (
        "这些差异来自模拟县而非尤溪：相关数字应视为模型的产物，而非对改革效应的估计。"
        in (paragraphs[4])
    )
    assert "斜率与水平变化由普通最小二乘法估计" in paragraphs[3]
    assert "标准误采用 Newey-West 法计算" in paragraphs[3]
    assert paragraphs[0].startswith(
        "尤溪县的支付方式改革将医保基金对医院的支付由按项目付费改为三明总额包干"
    )


def test_another_reform_month_and_no_reform_are_said_in_chinese(its_fits):
    fits = its_fits()
    later = _prose(fits, "", reform="2018-04", county="尤溪县", regime="sanming", lang="zh")
    assert all(english_left(p, allowed=NAMES) == [] for p in later)
    assert "（2016 年 2 月至 2019 年 11 月，2018 年 4 月起改革）" in later[0]
    assert later[4] == (
        "Zhong et al. 2023 表3是在尤溪的改革时点（2017 年 10 月）拟合的；本节的拟合在本县的改革时点"
        "（2018 年 4 月）设置中断点，因此其系数项不与已发表的系数项对照。"
    )
    assert "表3发现" not in "".join(later)
    plain = _prose(fits, "", reform="2018-04", county="尤溪县", regime="fee-for-service", lang="zh")
    assert plain[0].startswith("尤溪县仍实行按项目付费（每笔费用照付，不设总额）：其模拟县没有改革")
    assert "若改革奏效" not in plain[0]


def test_a_joint_rejection_note_in_chinese(its_fits):
    # the English test's case: lag 0 chosen, the joint test up to lag 3 rejects (p 0.017);
    # the level and slope changes' p at lag 0 (1e-6, 0.0004) and at lag 3 (2e-5, 0.02)
    chosen, refit = its_fits()["hospitalizations"], its_fits()["hospitalizations"]
    chosen.lags, refit.lags = 0, 3
    chosen.pvalues[["_x2017m10", "_x_t2017m10"]] = 1e-6, 0.0004
    refit.pvalues[["_x2017m10", "_x_t2017m10"]] = 2e-5, 0.02
    note = _joint_note("hospitalizations", chosen, 3, 0.017, refit, lang="zh")
    assert note == (
        "住院人次：至滞后 3 阶的联合检验拒绝“无自相关”（P = 0.017），而规则选定的是滞后 0 阶；"
        "改用 Newey-West 滞后 3 阶时，水平变化由 P < 0.001 变为 P < 0.001，斜率变化由 P < 0.001 "
        "变为 P = 0.020。"
    )


def test_a_simulated_system_without_a_chinese_name_is_refused():
    # review 397, finding 7: the ITS section fell back to the English name ("Youxi的支付
    # 方式改革…"), the payment step to 尤溪县 — another county's name
    from types import SimpleNamespace

    from ihms.demo._payment_baseline import county_zh
    from ihms.errors import ConfigError

    def ctx(system):
        return SimpleNamespace(artefacts={"simulation": SimpleNamespace(system=system)})

    assert county_zh(SimpleNamespace(artefacts={})) == "尤溪县"  # nothing simulated
    assert county_zh(ctx(SimpleNamespace(name="Youxi", name_zh="尤溪县"))) == "尤溪县"
    with pytest.raises(ConfigError, match="'Anytown': no name_zh"):
        county_zh(ctx(SimpleNamespace(name="Anytown", name_zh="")))


def test_the_lag_rule_note_says_when_a_quarter_of_the_months_is_taken():
    from ihms.demo._its_zh import lag_notes_zh

    # the English: "12, or a quarter of the months if fewer"
    assert "12 阶；若月数的四分之一少于 12，则取月数的四分之一）" in lag_notes_zh(12)[1]
