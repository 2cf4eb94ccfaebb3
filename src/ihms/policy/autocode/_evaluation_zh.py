"""A machine coder's evaluation table and learning curve in Chinese (``lang="zh"``):
headers, and each kind of note (:class:`~ihms.policy.autocode._notes.Note`) phrased
from the same numbers as its English, in the terms of
:mod:`ihms.policy._agreement_words` (编码员, 类目, 核对后的编码, κ, 一致性).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ihms.policy.autocode._notes import ENGLISH

__all__ = ["CHINESE", "CURVE_ZH", "HEADERS_ZH", "interval_note_zh"]

#: The evaluation table's headers in Chinese, by their English words.
HEADERS_ZH = {
    "dimension / category": "维度 / 类目",
    "machine vs reconciled kappa": "机器与核对后编码的 κ",
    "machine 95% CI": "机器 κ 的 95% 置信区间",
    "human vs human kappa": "编码员之间的 κ",
    "human 95% CI": "编码员 κ 的 95% 置信区间",
    "precision": "精确率",
    "recall": "召回率",
    "f1": "F1",
    "f1 95% CI": "F1 的 95% 置信区间",
    "support": "样本数",
}

#: The learning curve's words in Chinese.
CURVE_ZH = {
    "active": "主动学习",
    "random": "随机选择",
    "hand-coded segments": "人工编码的片段数",
    "title": "学习曲线：在未见过的文件上，机器与核对后编码的 κ",
    "axis": "Cohen's κ（机器与核对后的编码）",
    "band": "各折合并计算；色带：单折的最小至最大值",
    "human": "编码员之间（合并计算）",
    "target": "目标 {target:g}",
    "kappa of": "κ（{s}）",
    "folds of": "各折最小–最大（{s}）",
    "pooled": "{folds} 折留出片段合并计算的 κ，与编码员之间的 κ 按片段合并计算相同",
    "mean": "{folds} 折 κ 的均值",
    "note": "每个点用相应数量的人工编码片段训练，在留出文件上评分：{kind}；最小–最大：单折。",
}


def interval_note_zh(interval: Any, what: str) -> str:
    """:meth:`~ihms.policy.autocode.bootstrap.AgreementBootstrap.note` in Chinese."""
    undefined = (
        f"；{interval.n_undefined:,} 次重抽的 κ 无定义，未计入" if interval.n_undefined else ""
    )
    drawn = f"{interval.n_documents:,} 份文件"
    if interval.clusters != interval.n_documents:
        drawn = f"{interval.n_documents:,} 份文件的 {interval.clusters:,} 个整群（视为同一政策的文件一起抽取）"
    return (
        f"{what}的 {interval.level:.0%} 置信区间：按文件的整群自助法（bootstrap）百分位区间"
        f"（对 {drawn}有放回重抽 {interval.n_boot:,} 次，随机种子 {interval.seed}{undefined}）；"
        "该区间只反映抽到哪些文件带来的变异，不包括重新拟合模型的变异。"
    )


def _copies(docs: tuple[str, ...], threshold: float) -> str:
    return f"文件 {'、'.join(docs)} 为近乎相同的副本（字符 5-gram 的 Jaccard 系数 ≥ {threshold:g}）"


def _copies_in_fold(labels, docs, threshold) -> str:
    return f"{_copies(docs, threshold)}，已放在同一折中。"


def _copies_drawn_together(labels, docs, threshold) -> str:
    return f"{_copies(docs, threshold)}，自助法（bootstrap）重抽时一起抽取。"


def _uncalibrated(labels, folds) -> str:
    named = "、".join(f"第 {k} 折（{n:,} 个片段）" for k, n in folds)
    return (
        f"{named}的模型无法校准其概率（某类目在其训练集中仅见于过少的文件）：其留出片段没有"
        "概率，不计入覆盖曲线和嵌套阈值，与无法校准的模型不接受 --min-probability 的处理一致。"
    )


def _refused_cuts(labels, counts, n_folds, alpha) -> str:
    what = {"never": "从未编码", "always": "的每个片段上都有编码"}
    said = "；".join(
        f"{labels.get(c, c)}：{n_folds} 折中的 {n} 折"
        f"（{'在该折' if n == 1 else '在这些折'}{'中' if kind == 'never' else ''}{what[kind]}）"
        for c, by_kind in counts.items()
        for kind, n in by_kind.items()
    )
    return (
        f"各折模型拒绝了调优阈值：{said}。在这些折的校准片段上，已编码片段落在 F1 最优阈值"
        f"之上的频率并不高于随机水平（单侧超几何检验，p ≥ {alpha:g}），因此这些折对该类目一律"
        "给出其编码中的多数答案；上表中该类目的留出 F1 和 κ 即为这一答案的结果。"
    )


def _twins(labels, n, total, rest, kappa) -> str:
    without = "无 κ" if kappa is None else f"κ = {kappa:.3f}"
    return (
        f"{total:,} 个留出片段中有 {n:,} 个在训练折中有已编码的“孪生”片段（除地名、数字和"
        "标点外文本相同：在文件之间复制的段落），这会高估 κ；在没有孪生片段的 "
        f"{rest:,} 个片段上，{without}。twins_together=True（--twins-together）可把"
        "这类文件放在同一折中。"
    )


def _unseen(labels, categories) -> str:
    named = "、".join(f"“{labels.get(c, c)}”" for c in categories)
    return f"没有人编码过{named}：规则给出的{'该类目' if len(categories) == 1 else '这些类目'}编码不计入比较。"


def _rules(labels, n_rules, n_categories) -> str:
    return f"{n_rules} 条关键词规则，覆盖 {n_categories} 个类目"


def _repeats(labels, summary) -> str:
    said = (
        "重复交叉验证：{runs} 次，随机种子 {first} 至 {last}（第一次即本表所用：折以 {first} 为种子，"
        "分类器用其自身的求解器种子；之后每次的折与求解器使用同一种子）：κ 均值 {mean:.3f}，"
        "标准差 {sd:.3f}，范围 {min:.3f} 至 {max:.3f}。"
    )
    seeds = summary["seeds"]
    return said.format(runs=len(summary["kappas"]), first=seeds[0], last=seeds[-1], **summary)


def _counts(n_documents: int, n_training: int) -> str:
    return f"{n_documents:,} 份文件，{n_training:,} 个有最终编码的片段"


def _title_rules(labels, name, n_documents, n_training) -> str:
    return f"关键词规则与人工编码比较，{name}：全部已编码片段（{_counts(n_documents, n_training)}）"


def _title_folds(labels, name, n_splits, n_documents, n_training) -> str:
    return (
        f"机器与人工编码比较，{name}：按文件分组的 {n_splits} 折交叉验证"
        f"（{_counts(n_documents, n_training)}）"
    )


_KAPPA = "维度的 κ 比较完整答案；类目的 κ 比较出现/未出现。"


def _method_rules(labels, rules) -> str:
    from ihms.policy.autocode._notes import said_in  # a Note, or a description given

    return (
        f"机器：{said_in('zh', rules, labels)}。规则不从编码中学习，因此对每个已编码片段评分"
        f"（不分折）；没有规则匹配的片段计为“不适用”。{_KAPPA}"
    )


def _method_folds(labels) -> str:
    return f"机器：为模型训练时从未见过的文件编码。{_KAPPA}"


def _human_few(labels, coders) -> str:
    only = f"（仅 {coders[0]}）" if coders else ""
    return f"编码员之间：人工编码员少于两名{only}，无 κ；请将一份样本编码两次，以便把机器与人对照。"


def _human_pair(labels, coders) -> str:
    return f"编码员之间：{'、'.join(coders)} 对相同片段的编码（ihms.stats.agreement，与一致性表相同）。"


def _machine_interval(labels, interval) -> str:
    return interval_note_zh(interval, "机器与核对后编码的 κ 和 F1 ")


def _human_interval(labels, level) -> str:
    return (
        f"编码员之间 κ 的 {level:.0%} 置信区间：对两名编码员都编码的文件作同样的自助法重抽"
        "（随机种子和重抽次数相同）。"
    )


def _human_no_interval(labels) -> str:
    return "编码员之间：无置信区间（编码员多于两名）。"


def _machine_only(labels, n) -> str:
    return (
        f"未计入：{n:,} 个片段的唯一编码是经人接受的机器答案（机器以人的编码为准评分，而非以"
        "先前机器的答案）。"
    )


#: Each kind of :class:`~ihms.policy.autocode._notes.Note` in Chinese, from the
#: categories' Chinese names and the note's params: the function of this module named as
#: the kind's English one in :data:`~ihms.policy.autocode._notes.ENGLISH`.
CHINESE: dict[str, Callable[..., str]] = {
    kind: globals()[english.__name__] for kind, english in ENGLISH.items()
}
