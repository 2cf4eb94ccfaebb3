"""The calibration's notes on figures left out and on an untuned config, in Chinese
(``ihms sim calibrate --lang zh`` and the demo's calibration section): they stayed
English under a Chinese table."""

from __future__ import annotations

import pandas as pd
from tests.demo.zh_check import english_left

from ihms.sim._notes_zh import said_note
from ihms.sim.calibrate import TARGETS, Measurements, check_targets
from ihms.sim.targets import left_out_reason


def _checked(reform: str):
    values = {t.key: t.value for t in TARGETS}
    measured = Measurements(values=values, yearly=pd.DataFrame(), series=pd.DataFrame())
    return check_targets(measured, {}, reform=reform)


def test_why_figures_are_left_out_in_chinese():
    # seed 002: 37 figures; a reform in July 2018 keeps Table 4's four 2016 figures and
    # Table 3's four pre-reform slopes (tests/sim/test_calibrate_reform.py)
    assert left_out_reason("2018-07", lang="zh") == (
        "本次运行的改革始于2018年7月，尤溪的改革始于2017年10月（Zhong et al. 2023）："
        "Zhong et al. 2023 中此后各月的数据产生于尤溪的改革之下，不能检验另一项改革，故只比较"
        "2017年10月之前、即两项改革之前各月的指标：比较 Zhong et al. 2023 全部 37 个指标中的 8 个"
        "（表4的2016年指标和表3按 Zhong et al. 2023 的方法、以2017年10月为中断点拟合的改革前斜率）。"
    )
    assert left_out_reason("2016-12", lang="zh").endswith(
        "故只比较2016年12月之前、即两项改革之前各月的指标：Zhong et al. 2023 中没有2016年12月之前的指标。"
    )
    assert left_out_reason("2017-10", lang="zh") is None


def test_the_left_out_note_under_the_table_in_chinese():
    note = _checked("2018-07").left_out_note()
    said = said_note(note)
    assert said.startswith("29个指标未纳入比较：本次运行的改革始于2018年7月")
    assert "未纳入：Zhong et al. 2023，表3：" in said
    assert english_left(said) == []


def test_an_untuned_configs_note_in_chinese():
    notes = _checked("2017-10").summary().notes
    (note,) = [n for n in notes if n.startswith("No tuned value is applied")]
    assert said_note(note) == (
        "此配置未采用调参值（calibration.tuned），故没有指标经过拟合；“调参”列标出 "
        "`ihms sim calibrate --tune` 会拟合的指标：22 个判定指标及 7 个仅展示的指标（权重减半）。"
    )
