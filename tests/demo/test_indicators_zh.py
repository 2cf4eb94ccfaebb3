"""The indicators step in Chinese (``ihms demo --lang zh``): every section's words, its
tables' headers, row labels and notes, and the cost figure's titles and legend; the
numbers those of the English run."""

from __future__ import annotations

import io
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from tests.demo.test_cost_caveat import _calibration
from tests.demo.test_indicators_cost_table import _ByTier
from tests.demo.zh_check import english_left, section_texts

from ihms.data import Store
from ihms.data.synthetic import synthetic_dataset
from ihms.demo import DemoContext, _indicators
from ihms.demo import _indicators_zh as zh
from ihms.demo._indicator_cost import _figure_6, cost_caveat
from ihms.demo._sim_regimes import COMPARED
from ihms.indicators import compute
from ihms.report.document import Table
from ihms.system import load_system

# examples/youxi_sim.yaml's diagnosis groups (as test_indicators_demo's stand-in): 11
# ICD-10 chapters in all
GROUPS = {
    "mild": {"J": 0.45, "K": 0.15, "M": 0.15, "L": 0.10, "H": 0.15},
    "moderate": {"J": 0.30, "I": 0.20, "K": 0.15, "S": 0.15, "N": 0.10, "E": 0.10},
    "severe": {"I": 0.35, "C": 0.20, "S": 0.20, "J": 0.15, "G": 0.10},
}


def _comparison():
    """A regimes comparison whose sanming run of 20,877 residents has a primary-care
    share of 55.00 % and a hospitalization rate of 16.10 in 2019."""
    wide = pd.DataFrame(
        {"sanming": [55.0, 16.1]},
        index=[COMPARED["outpatient_contacts_primary_share"], COMPARED["hospitalization_rate"]],
    )
    runs = {name: SimpleNamespace(residents=20_877) for name in ("sanming", "ffs", "deqing")}
    return SimpleNamespace(frame=pd.DataFrame({"year": [2019]}), runs=runs, wide=lambda y: wide)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The step's sections in English and in Chinese on one small store an earlier step
    left (as the simulation leaves it), with the simulation's artefacts the later notes
    read; the indicators are computed once for both languages."""
    tmp = tmp_path_factory.mktemp("zh")
    done = {}

    def once(store, **kwargs):
        key = repr(sorted(kwargs.items()))
        if key not in done:
            done[key] = compute(store, **kwargs)
        return done[key]

    system = load_system(_indicators._youxi_file())
    sections = {}
    with Store(tmp / "given.duckdb") as store, pytest.MonkeyPatch.context() as patch:
        patch.setattr(_indicators, "compute", once)
        store.write(synthetic_dataset(system, seed=1, scale=0.003, validate=False))
        for lang in ("en", "zh"):
            ctx = DemoContext(out_dir=tmp / "out", work_dir=tmp / "work", lang=lang)
            config = SimpleNamespace(illness=SimpleNamespace(diagnosis_groups=GROUPS))
            ctx.artefacts.update(
                store=store,
                simulation=SimpleNamespace(config=config, regime="sanming"),
                sim_config_file="examples/youxi_sim.yaml",
                calibration=_calibration(602.1, False),
                regime_comparison=_comparison(),
            )
            sections[lang] = _indicators.indicators_sections(ctx)
    return sections


def _tables(sections):
    return [(s.id, b) for s in sections for b in s.blocks if isinstance(b, Table)]


def test_every_text_of_every_section_is_chinese(both):
    for section in both["zh"]:
        for text in section_texts(section):
            assert english_left(text) == [], (section.id, text)


def test_the_ids_and_table_names_stay_and_the_numbers_are_the_english_run_s(both):
    en, zh_ = both["en"], both["zh"]
    assert [s.id for s in zh_] == [s.id for s in en]
    assert [(i, t.name) for i, t in _tables(zh_)] == [(i, t.name) for i, t in _tables(en)]
    for (_, said), (_, english) in zip(_tables(zh_), _tables(en), strict=True):
        a, b = said.table.frame, english.table.frame
        assert a.shape == b.shape and said.table.lang == "zh", said.name
        numbers = b.select_dtypes("number").columns
        positions = [list(b.columns).index(c) for c in numbers]
        np.testing.assert_array_equal(
            a.iloc[:, positions].to_numpy(float), b[numbers].to_numpy(float), err_msg=said.name
        )


def test_the_key_terms_are_those_of_chinese_health_statistics(both):
    by_id = {s.id: s for s in both["zh"]}
    table_4 = _tables([by_id["indicators-table4"]])[0][1].table
    assert list(table_4.frame.index) == [
        "居民住院率（住院人次/百人，平均人口）",
        "诊疗人次（万人次）",
        "诊疗人次基层占比（%）",
    ]
    assert list(table_4.frame.columns)[-3:] == ["χ²趋势", "P 值（趋势）", "趋势方向"]
    assert set(table_4.frame["趋势方向"].dropna()) <= {"上升", "下降", "持平"}
    # the regime run's figures, the whole-county note of the simulation step, in Chinese
    assert table_4.notes[-1] == (
        "“同一个县的三种支付方式”一节给出 2019 年的 55.00% 和 16.10（20,877 名居民的模拟）："
        "那是同一支付方式下 20,877 名居民的一次模拟，是本县的一个样本，不是这里的计数。"
    )
    assert "诊疗人次为计数而非比例，不作检验。" in table_4.notes[0]
    yoy = next(t.table for _, t in _tables([by_id["indicators-table4"]]) if t.name.endswith("_yoy"))
    assert yoy.frame.index.name == "指标"
    assert {"年份", "同比增长率（%）", "同比变化（百分点）"} <= set(yoy.frame.columns)
    capacity = _tables([by_id["indicators-capacity"]])[0][1].table
    assert list(capacity.frame.columns)[-2:] == ["年均增长率（%）", "参照增长率（%）"]
    assert "乡镇卫生院平均住院日（日）" in capacity.frame.index
    assert capacity.notes[-1] == "年均增长率（%）= 100 × [(2019 年值 / 2016 年值)^(1/3) - 1]。"
    spectra = next(n for n in capacity.notes if n.startswith("此处未列：病种数"))
    assert "模拟器从其 11 个程式化的诊断组中为每次发病指定一个" in spectra
    assert "examples/youxi_sim.yaml 中的 `illness.diagnosis_groups`" in spectra
    assert "德清乡镇卫生院门急诊 62.2 至 74.3，表2" in spectra
    assert [s.mirrors for s in both["zh"]][1:] == [
        "Zhong et al. 2023，表2",
        "Zhong et al. 2023，表4",
        "Zhong et al. 2023，表5",
        "Jia et al. 2021，表2",
        "Jia et al. 2021，图6",
    ]


def test_the_cost_caveat_in_chinese():
    # test_cost_caveat's calibration: 602.1 against Youxi's 100.1 (Zhong et al. 2023,
    # Table 3), 602.1 / 100.1 = 6.01 times
    assert cost_caveat(_calibration(602.1, False), lang="zh") == (
        "模型中县级医院的次均住院费用在改革时跃升：其中断时间序列的水平变化为 602.1 元，"
        "尤溪为 100.1 元（Zhong et al. 2023，表3），是后者的 6.0 倍。“模型校准”一节指出这是"
        "模型的局限，因此改革后县级医院的次均住院费用不是研究发现。"
    )
    assert cost_caveat(_calibration(120.0, True), lang="zh") == ""


def test_the_synthetic_data_s_sentences_in_chinese():
    texts = [
        zh.source_synthetic(0.05),
        zh.sample_left_out(0.05),
        zh.unknown_note(["乡镇卫生院全科医生与专科医生比"], synthetic=True),
        *zh.table_2_notes(synthetic=True),
    ]
    assert all(english_left(t) == [] for t in texts)
    assert "随机抽取尤溪 5% 的居民" in texts[0] and "只有全县的 5%" in texts[1]
    assert texts[2] == (
        "数据中无法得到：乡镇卫生院全科医生与专科医生比（数据未记录其任何输入项）；显示为缺失，而非 0。"
    )
    assert zh.label(synthetic=True) == "尤溪（合成数据）"


def test_the_cost_figure_draws_its_words_in_chinese_with_every_glyph():
    fig = _figure_6(_ByTier(), "zh")
    assert [ax.get_title() for ax in fig.axes] == ["门急诊次均费用", "住院次均费用"]
    assert {ax.get_ylabel() for ax in fig.axes} == {"元"}
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["乡镇卫生院", "县级医院"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_two_shares_of_one_total_are_said_to_be_one_test_in_chinese():
    from tests.demo.test_indicator_trend import YEARS, _results

    from ihms.demo._indicator_trend import with_trend
    from ihms.summary import SummaryTable

    indicators = ["healthcare_visits_primary_share", "healthcare_visits_hospital_share"]
    frame = pd.DataFrame([[50.95] * 4, [49.05] * 4], index=["基层", "医院"], columns=YEARS)
    table = with_trend(
        SummaryTable(frame, title="表4"), _results(), indicators, unit="youxi", lang="zh"
    )
    # the demo's counts: primary care rising, hospitals falling (test_indicator_trend)
    assert table.frame["趋势方向"].to_list() == ["上升", "下降"]
    assert table.frame["χ²趋势"].iloc[0] == pytest.approx(table.frame["χ²趋势"].iloc[1])
    assert (
        "healthcare_visits_primary_share与healthcare_visits_hospital_share是同一总数的两个"
        "构成比，相加为 100%，故两者的检验是同一个检验，符号相反。" in table.notes[-1]
    )
    assert english_left(table.notes[-1]) == []


def test_spectra_that_round_alike_are_said_as_one_value(tmp_path):
    # Review 399, finding 11: 10.66 and 10.74 were "10.7 to 10.7" ("住院 10.7 至 10.7"):
    # the values are compared as shown, in both languages
    from ihms.demo import _indicator_capacity
    from ihms.demo._indicator_capacity import _spectra_note

    spans = {"ambulatory": [10.66, 10.74], "inpatient": [3.2, 4.96]}
    results = SimpleNamespace(
        series=lambda indicator, unit: pd.Series(spans[indicator.split("_")[-1]])
    )
    spectra = ("disease_spectrum_ambulatory", "disease_spectrum_inpatient")
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_indicator_capacity, "DISEASE_SPECTRA", spectra)
        english = _spectra_note(results, ctx)
        ctx.lang = "zh"
        chinese = _spectra_note(results, ctx)
    assert "(10.7 every year in ambulatory care; 3.2 to 5.0 in hospitalization)" in english
    assert "（门急诊 10.7（各年相同）；住院 3.2 至 5.0）" in chinese


def test_the_table_4_and_growth_sentences_say_what_the_english_says():
    # review 399, findings 9 and 10: the definition an analyst "will expect"; 50 % → 60 %
    assert "比较时，默认的正是这一口径。" in zh.TABLE_4 and "所预期" not in zh.TABLE_4
    assert "构成比从 50% 升到 60%，是上升了 10 个百分点，而不是 20%" in zh.YEAR_ON_YEAR
    # "the rows read them back up to its register's year-end count"
    assert zh.table_2_notes(synthetic=False)[1].endswith(
        "各行把它们读回，差异仅来自模拟县登记册的年末人数。"
    )
