"""The layouts of ``ihms.indicators.tables`` in Chinese (``lang="zh"``, the indicators
step of ``ihms demo --lang zh``): rows by the catalogue's Chinese names and units, the
growth columns and notes in Chinese, the numbers those of the English table."""

from __future__ import annotations

import numpy as np

from ihms.indicators import compute, growth_layout, yearly_table


def test_growth_layout_in_chinese(tiny_dataset):
    ids = ["hospitalization_rate", "thc_beds_per_institution", "thc_disease_spectrum_ambulatory"]
    r = compute(tiny_dataset, indicators=ids, level="total", period="year")
    reference = {"hospitalization_rate": -0.05}
    english = growth_layout(r, ids, unit="total", reference=reference)
    table = growth_layout(r, ids, unit="total", reference=reference, title="表", lang="zh")
    frame = table.to_frame()
    assert table.lang == "zh" and frame.index.name == "指标"
    # the unit's own brackets (平均人口) inside the label's: said after a comma
    assert list(frame.index) == [
        "居民住院率（住院人次/百人，平均人口）",
        "乡镇卫生院院均床位数（张/院）",
        "乡镇卫生院门急诊病种数（种/院）",
    ]
    assert list(frame.columns) == ["2016", "2017", "年均增长率（%）", "参照增长率（%）"]
    np.testing.assert_array_equal(frame.to_numpy(float), english.to_frame().to_numpy(float))
    # as test_tables: no THC ambulatory diagnoses in 2017, so no growth rate
    assert table.notes == (
        "2016 年或 2017 年的值缺失或为零，不计增长率：乡镇卫生院门急诊病种数（种/院）。",
        "年均增长率（%）= 100 × [(2017 年值 / 2016 年值)^(1/1) - 1]。",
    )


def test_yearly_table_in_chinese_says_the_divisor_in_the_unit(tiny_dataset):
    r = compute(tiny_dataset, indicators=["healthcare_visits"], level="total", period="year")
    table = yearly_table(
        r, ["healthcare_visits"], unit="total", scale={"healthcare_visits": 1e4}, lang="zh"
    )
    name = r.catalogue["healthcare_visits"].name_zh
    assert list(table.to_frame().index) == [f"{name}（万人次）"]
    assert table.to_frame().iloc[0].tolist() == [10 / 1e4, 5 / 1e4]  # test_tables: 1.0, 0.5 in 10s
