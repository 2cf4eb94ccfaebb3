"""A machine coder's evaluation table and learning curve in Chinese (``lang="zh"``):
headers, title and notes said again from the evaluation's numbers, in the terms of
:mod:`ihms.policy._agreement_words` (编码员, 类目, κ, 一致性). A note the cross-validation
wrote in English is said again in Chinese where its kind is known (near-identical copies,
folds that could not calibrate, refused cuts, twins); a note of another kind stays as
written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["CURVE_ZH", "HEADERS_ZH", "interval_note_zh", "said_again_zh", "summary_zh"]

#: The evaluation table's headers in Chinese, by their English words.
HEADERS_ZH = {
    "dimension / category": "维度 / 类目",
    "machine vs reconciled kappa": "机器与裁决编码的 κ",
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
    "title": "学习曲线：在未见过的文件上，机器与裁决后人工编码的 κ",
    "axis": "Cohen's κ（机器与裁决后人工编码）",
    "band": "各折合并计算；色带：单折的最小至最大值",
    "human": "编码员之间（合并计算）",
    "target": "目标 {target:g}",
}

_WHAT = {"never": "在该折中从未编码", "always": "在该折的每个片段上都有编码"}


def interval_note_zh(interval: Any, what: str) -> str:
    """:meth:`~ihms.policy.autocode.bootstrap.AgreementBootstrap.note` in Chinese."""
    undefined = (
        f"；{interval.n_undefined:,} 次重抽的 κ 无定义，未计入" if interval.n_undefined else ""
    )
    drawn = f"{interval.n_documents:,} 份文件"
    if interval.clusters != interval.n_documents:
        drawn = f"{interval.n_documents:,} 份文件的 {interval.clusters:,} 个整群（视为同一政策的文件一起抽取）"
    return (
        f"{what}的 {interval.level:.0%} 置信区间：按文件的整群 bootstrap 百分位区间（对 {drawn}"
        f"有放回重抽 {interval.n_boot:,} 次，随机种子 {interval.seed}{undefined}）；它反映的是"
        "哪些文件被编码，而非模型的重新拟合。"
    )


def _folds(text: str) -> str:
    """``fold 1 (46 segments), fold 3 (40 segments)`` as 第 1 折（46 个片段）、…"""
    parts = re.findall(r"fold (\d+) \(([\d,]+) segments\)", text)
    return "、".join(f"第 {k} 折（{n} 个片段）" for k, n in parts) or text


def said_again_zh(note: str, labels: Mapping[str, str]) -> str:
    """A note of the cross-validation in Chinese where its kind is known; ``labels``
    names the categories (key -> Chinese name)."""
    m = re.fullmatch(
        r"Documents (.+) are near-identical copies \(Jaccard >= (\S+) of character 5-grams\) "
        r"and were kept in one fold\.",
        note,
    )
    if m:
        docs = "、".join(m.group(1).split(", "))
        return f"文件 {docs} 为近乎相同的副本（字符 5-gram 的 Jaccard 系数 ≥ {m.group(2)}），已放在同一折中。"
    m = re.match(r"The model of (.+) could not calibrate its probabilities", note)
    if m:
        return (
            f"{_folds(m.group(1))}的模型无法校准其概率（某类目在其训练文件中编码过少）：其留出"
            "片段没有概率，不计入覆盖曲线和嵌套阈值，正如无法校准的模型拒绝 --min-probability。"
        )
    if note.startswith("The fold models refused a tuned cut: "):
        parts = re.findall(
            r"(\w+) in (\d+) of the (\d+) folds \((never coded there|coded on every segment there)\)",
            note,
        )
        said = "；".join(
            f"{labels.get(c, c)}：{n} / {k} 折（{_WHAT['never' if w.startswith('never') else 'always']}）"
            for c, n, k, w in parts
        )
        p = re.search(r"p >= (\S+?)\)", note)
        return (
            f"各折模型拒绝了调优阈值：{said}。在这些折的校准片段上，编码落在 F1 最佳阈值之上的"
            f"频率不高于随机（单侧超几何检验，p ≥ {p.group(1) if p else '0.05'}），因此这些折"
            "给该类目其编码中的多数答案，上表中该类目的留出 F1 和 κ 即为该答案的结果。"
        )
    m = re.match(
        r"([\d,]+) of the ([\d,]+) held-out segments have a twin coded in a training fold .*"
        r"on the ([\d,]+) without one, (kappa = \S+|no kappa)\.",
        note,
    )
    if m:
        without = "无 κ" if m.group(4) == "no kappa" else m.group(4).replace("kappa", "κ")
        return (
            f"{m.group(2)} 个留出片段中有 {m.group(1)} 个在训练折中有“孪生”片段（除地名、数字和"
            "标点外文本相同：在文件之间复制的段落），这会高估 κ；在没有孪生片段的 "
            f"{m.group(3)} 个片段上，{without}。twins_together=True（--twins-together）可把"
            "这类文件放在同一折中。"
        )
    return note


def summary_zh(pe: Any, frame, labels: Mapping[str, str]):
    """:meth:`ProjectEvaluation.summary` in Chinese: ``frame`` the table with the
    Chinese names (``labels``), its headers, title and notes said here."""
    from ihms.summary import SummaryTable

    ev = pe.evaluation
    frame = frame.rename(columns=HEADERS_ZH)
    frame.index.name = HEADERS_ZH["dimension / category"]
    name = labels.get(pe.dimension, pe.dimension)
    counts = f"{ev.n_documents:,} 份文件，{ev.n_training:,} 个有最终编码的片段"
    kappa = "维度的 κ 比较完整答案；类目的 κ 比较出现/未出现。"
    if pe.rules is not None:
        title = f"关键词规则与人工编码比较，{name}：全部已编码片段（{counts}）"
        method = (
            f"机器：{pe.rules}。规则不从编码中学习，因此对每个已编码片段评分（不分折）；没有规则"
            f"匹配的片段计为“不适用”。{kappa}"
        )
    else:
        title = f"机器与人工编码比较，{name}：按文件分组的 {ev.n_splits} 折交叉验证（{counts}）"
        method = f"机器：为模型训练时从未见过的文件编码。{kappa}"
    coders = "、".join(pe.human_coders)
    if len(pe.human_coders) < 2:
        only = f"（仅 {coders}）" if coders else ""
        human = f"编码员之间：人工编码员少于两名{only}，无 κ；请将一份样本编码两次，以便把机器与人对照。"
    else:
        human = f"编码员之间：{coders} 对相同片段的编码（ihms.stats.agreement，与一致性表相同）。"
    notes = [method, human]
    i = ev.interval
    if i is not None:
        notes.append(interval_note_zh(i, "机器与裁决编码的 κ 和 F1 "))
        if pe.human_interval is not None:
            notes.append(
                f"编码员之间 κ 的 {i.level:.0%} 置信区间：对两名编码员都编码的文件作同样的 "
                "bootstrap（相同的随机种子和重抽次数）。"
            )
        elif len(pe.human_coders) > 2:
            notes.append("编码员之间：无置信区间（编码员多于两名）。")
    repeats = pe.repeats()
    if repeats is not None:
        first, last = repeats["seeds"][0], repeats["seeds"][-1]
        notes.append(
            f"重复交叉验证：{len(repeats['kappas'])} 次，随机种子 {first} 至 {last}（第一次即本表"
            f"所用：折以 {first} 为种子，分类器用其自身的求解器种子；之后每次的折与求解器使用"
            f"同一种子）：κ 均值 {repeats['mean']:.3f}，标准差 {repeats['sd']:.3f}，范围 "
            f"{repeats['min']:.3f} 至 {repeats['max']:.3f}。"
        )
    if pe.n_machine_only:
        notes.append(
            f"未计入：{pe.n_machine_only:,} 个片段的唯一编码是经人接受的机器答案（机器以人的编码"
            "为准评分，而非以先前机器的答案）。"
        )
    notes += [said_again_zh(n, labels) for n in ev.notes]
    return SummaryTable(frame, title=title, notes=tuple(notes), digits=3, lang="zh")
