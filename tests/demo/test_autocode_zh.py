"""``ihms demo --lang zh``: the autocode section's words in Chinese — its heading, the
active-vs-random curve as it came out, the development set's figures, the learning
curve's table and chart (the cross-validation's notes: tests/policy/autocode/
test_notes_zh.py). The whole section in Chinese
is checked beside the English one in tests/policy/autocode/test_demo_autocode.py."""

from __future__ import annotations

import warnings

import pandas as pd
from tests.demo.test_autocode_demo import CURVE
from tests.demo.zh_check import english_left, latin_words_left

from ihms.demo._autocode import DEV_SET, curve_text, section_title
from ihms.demo._autocode_zh import dev_set_text
from ihms.policy.autocode.curve import LearningCurve


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
    # the English is the default, and is not the Chinese
    assert (
        curve_text(CURVE)
        == curve_text(CURVE, lang="en")
        == (
            "active selection was ahead of random at 1 of the 4 points (60) and behind at 3 "
            "(90, 120 and 150); after 150 hand-coded paragraphs the model reaches kappa 0.375 "
            "with active and 0.454 with random selection. On this corpus active learning did "
            "not beat random choice."
        )
    )


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
    assert "3,873 个政策句子" in text and "最低概率 0.65 下机器编码 54% 的句子，κ 为 0.758" in text
    assert "编码全部句子时为 0.555" in text and latin_words_left(text) == []


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


def test_the_learning_curve_without_pooled_kappas_in_both_languages():
    # the same decision (pooled or the folds' mean) phrased in each language
    curve = _curve()
    unpooled = LearningCurve(curve.points, None)
    assert unpooled.summary().notes == (
        "Each point trains on that many hand-coded segments and is scored on held-out "
        "documents: mean of the 2 folds' kappas; min–max: the single folds.",
    )
    assert unpooled.summary(lang="zh").notes == (
        "每个点用相应数量的人工编码片段训练，在留出文件上评分：2 折 κ 的均值；最小–最大：单折。",
    )
    assert (
        curve.summary()
        .notes[0]
        .endswith(
            "kappa over the held-out segments of the 2 folds pooled, as the human coders' kappa "
            "is pooled over segments; min–max: the single folds."
        )
    )
