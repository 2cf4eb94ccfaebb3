"""``ihms demo --lang zh``: the autocode section's words in Chinese — its heading, the
active-vs-random curve as it came out, the development set's figures, the learning
curve's table and chart, and the cross-validation's notes. The whole section in Chinese
is checked beside the English one in tests/policy/autocode/test_demo_autocode.py."""

from __future__ import annotations

import warnings

import pandas as pd
from tests.demo.test_autocode_demo import CURVE
from tests.demo.zh_check import english_left

from ihms.demo._autocode import DEV_SET, curve_text, section_title
from ihms.demo._autocode_zh import dev_set_text
from ihms.policy.autocode._cuts import fold_cut_note
from ihms.policy.autocode._evaluation_zh import said_again_zh
from ihms.policy.autocode.curve import LearningCurve
from ihms.policy.autocode.evaluate import _uncalibrated_note


def test_the_curve_is_said_in_chinese_as_it_came_out():
    # CURVE: after the shared start of 30, active ahead at 60, behind at 90, 120 and 150
    text = curve_text(CURVE, lang="zh")
    assert text == (
        "在共同起点之后的 4 个点中，主动学习有 1 个点领先于随机选择（60），3 个点落后"
        "（90、120 和 150）；人工编码 150 个段落后，模型的 κ 在主动学习下为 0.375，在随机"
        "选择下为 0.454。在本语料上，主动学习并未胜过随机选择。"
    )
    ahead = CURVE.assign(active=CURVE["random"] + [0.0, 0.05, 0.05, 0.05, -0.01])
    assert "主动学习有 3 个点领先" in curve_text(ahead, lang="zh")
    assert "大多胜过随机选择" in curve_text(ahead, lang="zh")
    assert curve_text(CURVE) == curve_text(CURVE, lang="en")


def test_the_heading_in_chinese_says_whether_the_machine_reaches_the_coders():
    # the demo of 2026-11-24: learned coder 0.344, the two coders 0.660
    assert section_title(machine=0.344, human=0.660, lang="zh") == (
        "机器辅助编码：在本语料上尚不能充当编码员"
    )
    assert section_title(machine=0.70, human=0.66, lang="zh") == (
        "机器辅助编码：机器的编码与编码员一样好"
    )


def test_the_development_set_keeps_the_readmes_figures():
    text = dev_set_text(DEV_SET)
    assert "3,873 个政策句子" in text and "最低概率 0.65 时机器编码 54 % 的句子，κ 为 0.758" in text
    assert "全部句子则为 0.555" in text and english_left(text) == []


def test_the_cross_validations_notes_are_said_again_in_chinese():
    labels = {"medicine_supply": "药品供应", "demonstration_project": "示范试点"}
    refused = fold_cut_note(
        {"medicine_supply": {"never": 1}, "demonstration_project": {"always": 2}}, 5
    )
    said = said_again_zh(refused, labels)
    assert said.startswith(
        "各折模型拒绝了调优阈值：药品供应：1 / 5 折（在该折中从未编码）；示范试点：2 / 5 折"
        "（在该折的每个片段上都有编码）。"
    )
    assert "p ≥ 0.05" in said
    uncalibrated = said_again_zh(_uncalibrated_note(["fold 1 (46 segments)"]), labels)
    assert uncalibrated.startswith("第 1 折（46 个片段）的模型无法校准其概率")
    for text in (said, uncalibrated):
        assert english_left(text) == []
    assert said_again_zh("A note of another kind.", labels) == "A note of another kind."


def _curve() -> LearningCurve:
    points = pd.DataFrame(
        {
            "strategy": ["active", "active", "random", "random"] * 2,
            "n_coded": [30, 30, 30, 30, 60, 60, 60, 60],
            "repeat": [0, 1, 0, 1, 0, 1, 0, 1],
            "kappa": [0.1, 0.2, 0.1, 0.2, 0.3, 0.5, 0.2, 0.4],
        }
    )
    pooled = pd.DataFrame(
        {"strategy": ["active", "random"] * 2, "n_coded": [30, 30, 60, 60],
         "kappa": [0.15, 0.15, 0.41, 0.29]}
    )  # fmt: skip
    return LearningCurve(points, pooled)


def test_the_learning_curve_table_and_chart_in_chinese():
    curve = _curve()
    en, zh = curve.summary(), curve.summary(lang="zh")
    assert list(zh.frame.columns) == [
        "κ（主动学习）",
        "κ（随机选择）",
        "各折最小–最大（主动学习）",
        "各折最小–最大（随机选择）",
    ]
    assert zh.frame.index.name == "人工编码的片段数" and zh.lang == "zh"
    assert zh.frame.to_numpy().tolist() == en.frame.to_numpy().tolist()
    for text in (zh.title, *zh.notes):
        assert english_left(text) == []
    assert "2 折留出片段合并计算的 κ" in zh.notes[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = curve.figure(human_kappa=0.66, lang="zh")
        fig.canvas.draw()
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    ax = fig.axes[0]
    assert ax.get_xlabel() == "人工编码的片段数"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "主动学习",
        "随机选择",
        "编码员之间（合并计算）",
    ]
