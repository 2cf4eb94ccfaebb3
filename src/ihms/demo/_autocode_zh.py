"""The autocode demo step's words in Chinese (``ihms demo --lang zh``), said from the
same numbers as the English of :mod:`ihms.demo._autocode`, sentence for sentence, in the
terms of the agreement table (编码员, 核对后的编码, 片段, κ).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms._words import in_words_of
from ihms.sources import YU_2024

__all__ = [
    "CODER_HEADERS_ZH",
    "CURVE_CAPTION",
    "OVERVIEW_ZH",
    "apply_text",
    "coder_note",
    "curve_intro",
    "curve_text",
    "dev_set_text",
    "opening_text",
    "reach_text",
    "rules_text",
    "section_title",
]

#: The overview table's headers in Chinese, by their English words.
OVERVIEW_ZH = {
    "human vs human kappa": "编码员之间的 κ",
    "learned coder vs reconciled kappa": "机器学习编码模型与核对后编码的 κ",
    "its 95% CI low": "其 95% 置信区间下限",
    "its 95% CI high": "其 95% 置信区间上限",
    "keyword rules vs reconciled kappa": "关键词规则与核对后编码的 κ",
    "lowest probability cut reaching the human kappa": "达到编码员 κ 的最低概率阈值",
    "share the machine codes there": "该阈值下机器编码的比例",
    "its kappa there": "该阈值下机器的 κ",
    "share coded, cut chosen inside each fold": "各折内选定阈值时机器编码的比例",
    "its kappa (nested)": "其 κ（嵌套）",
    "segments with final codes": "有最终编码的片段数",
    "documents": "文件数",
    "dimension": "维度",
}

#: The machine coder's record: headers and its kind in Chinese.
CODER_HEADERS_ZH = {
    "kind": "类型",
    "model id": "模型编号",
    "training size (segments)": "训练规模（片段数）",
    "trained at (UTC)": "训练时间（UTC）",
    "notes": "备注",
    "coder id": "编码员编号",
    "machine": "机器",
}


def coder_note(note: str) -> str:
    """The machine coder's recorded note (``ihms autocode, <codebook> v1 (<hash>)``, as
    :func:`~ihms.policy.autocode.apply_to_project` stores it) in Chinese; another note
    as it is."""
    prefix = "ihms autocode, "
    if not note.startswith(prefix):
        return note
    version = note.removeprefix(prefix).replace(" (", "（").replace(")", "）")
    return f"ihms 机器编码，编码表 {version}"


def section_title(coder_like: bool) -> str:
    """The heading, by whether the learned coder reached the coders."""
    verdict = "机器的编码与编码员一样好" if coder_like else "在本语料上尚不能充当编码员"
    return f"机器辅助编码：{verdict}"


def curve_text(mean: pd.DataFrame, points: int, ahead: list, behind: list, level: int) -> str:
    """:func:`ihms.demo._autocode.curve_text` in Chinese: of the ``points`` after the
    shared start, active ``ahead`` of random at some, ``behind`` at others, ``level`` at
    the rest; the last point's kappas read from ``mean``."""
    last = mean.index.max()
    counted = (
        f"在共同起点之后的 {points} 个点中，主动学习有 {len(ahead)} 个点领先于随机选择"
        + (f"（{in_words_of('zh', ahead)}）" if ahead else "")
        + f"，{len(behind)} 个点落后"
        + (f"（{in_words_of('zh', behind)}）" if behind else "")
        + (f"，{level} 个点持平" if level else "")
    )
    verdict = (
        "在本语料上，主动学习并未胜过随机选择。"
        if len(ahead) <= len(behind)
        else "在本语料上，主动学习大多胜过随机选择。"
    )
    return (
        f"{counted}；人工编码 {last} 个段落后，模型的 κ 在主动学习下为 "
        f"{mean.at[last, 'active']:.3f}，在随机选择下为 {mean.at[last, 'random']:.3f}。{verdict}"
    )


def _dims(evaluations: dict) -> dict:
    return {d: ev.labels_zh.get(d, d) for d, ev in evaluations.items()}


def opening_text(mean_machine: float, mean_human: float, evaluations: dict) -> str:
    """The section's first paragraph: the machine as one more coder."""
    names = _dims(evaluations)
    intervals = "；".join(
        f"{names[d]} {ev.evaluation.interval.low:.3f} 至 {ev.evaluation.interval.high:.3f}，"
        f"编码员为 {ev.human_interval.low:.3f} 至 {ev.human_interval.high:.3f}"
        for d, ev in evaluations.items()
    )
    return (
        f"{YU_2024} 指出，机器学习是处理大规模政策语料所缺的一环。ihms 把机器当作又一名编码员，"
        "并以期刊检验人工编码员的标准来检验它：模型从核对后的编码学习每个维度，在从未见过的文件上"
        "检验（五折交叉验证，同一文件不会同时出现在训练集和测试集中），再把它与核对后编码之间的 "
        "Cohen's κ 与两名编码员之间的 κ 并列（此处为模拟编码员：见“编码员间一致性”）。这些维度是"
        "多选维度，须整个答案一致（一个片段（此处为段落）的全部利益相关者）才算一致，即一致性表中"
        "最严格的“答案整体”比较方式。在这个"
        f"小语料上，机器学习编码模型的平均 κ 为 {mean_machine:.3f}，编码员为 {mean_human:.3f}"
        f"（按整份文件重抽得到的 95% 区间：{intervals}）；按类目的表格显示它在哪些类目上已与人"
        "相当，在哪些类目上还需要更多人工编码的样例。"
    )


def rules_text(rules: dict) -> str:
    """The keyword rules' paragraph; ``rules`` is ``{dimension name: kappa}``."""
    reached = "和 ".join(f"{k:.3f}（{d}）" for d, k in rules.items())
    return (
        "由编码表关键词构建的关键词规则，在每个已编码段落上评分（`ihms policy autocode rules "
        f"--evaluate`），达到 {reached}，但这高估了规则：示例编码员的编码本身就是由这些关键词"
        "生成的。真实的编码员依据定义编码，而任何关键词表都无法穷尽定义；机器学习编码模型只需"
        "已编码的样例，规则仍可作为透明的第一轮编码，每个编码都注明触发它的规则。"
    )


def _reach(names: dict, reach: dict) -> str:
    return "；".join(
        f"{names[d]}：没有阈值能达到"
        if np.isnan(cut)
        else f"{names[d]}：{share:.0%} 的段落，κ {kappa:.3f}，最低概率 {cut:g}"
        for d, (cut, share, kappa) in reach.items()
    )


def _nested(names: dict, evaluations: dict) -> str:
    parts = []
    for d, ev in evaluations.items():
        n = ev.nested
        if n is None or all(c is None for c in n.cuts):
            parts.append(f"{names[d]}：没有一折的训练文件找到达到标准的阈值")
        elif n.coded == 0:
            parts.append(f"{names[d]}：所选阈值把全部留出段落都留给了人")
        else:
            kappa = "无 κ" if np.isnan(n.kappa) else f"κ {n.kappa:.3f}"
            parts.append(f"{names[d]}：{n.share_coded:.0%} 的段落，{kappa}")
    return "；".join(parts)


def reach_text(reach: dict, evaluations: dict, dev_set: str) -> str:
    """The paragraph on the model's probabilities: the cut reaching the coders."""
    names = _dims(evaluations)
    return (
        "模型也知道自己何时没有把握。它对整个答案的校准概率使它可以只编码有把握的段落，其余"
        "留给人（`ihms policy autocode apply --min-probability`）。表中在留出文件上读出机器"
        "自身编码部分达到编码员 κ 的最低阈值（至少 30 个段落），以及此时它承担的编码比例"
        f"（{_reach(names, reach)}）。该阈值在同一批预测上选定并评分，因而偏于乐观。若改为在"
        f"每折内仅用其训练文件选定阈值、在留出文件上评分，结果为：{_nested(names, evaluations)}。"
        f"这才是在新文件上可期望的结果（表中“各折内选定阈值”的各列）。{dev_set}"
    )


def dev_set_text(dev: dict) -> str:
    """The development benchmark's figures (not computed in a run) in Chinese."""
    return (
        f"在包含 {dev['sentences']:,} 个政策句子的开发集上，按同一批预测选定并评分阈值时，最低"
        f"概率 {dev['cut']} 下机器编码 {dev['share']}% 的句子，κ 为 {dev['kappa']}；编码全部句子时"
        f"为 {dev['all']}（本次运行未计算：`benchmarks/bench_autocode.py --quick`，数字见 "
        "benchmarks/README.md；该数据集不随项目发布）。"
    )


def curve_intro(start: int, curve: str) -> str:
    """The active learning paragraph around :func:`curve_text`."""
    return (
        "主动学习请人接下来编码模型最没有把握的段落：从每个由相似的不确定段落组成的簇中各取一个。"
        "从相同的 "
        f"{start} 个随机段落出发，曲线在留出文件上把它与随机选择比较（利益相关者，三折，直至每折"
        "的全部训练规模；κ 按三折的留出段落合并计算，正如编码员的 κ 按段落合并计算）："
        f"{curve}这么小的语料得到的曲线噪声很大（色带为单折的范围）；开发基准"
        "（`benchmarks/bench_autocode.py`，3,873 个政策句子）展示了大规模时的比较。"
    )


CURVE_CAPTION = (
    "机器与核对后编码的 κ（利益相关者）随人工编码的片段数的变化：主动学习与随机选择，三折合并"
    "计算（色带：单折的范围）；虚线：编码员之间的 κ，同样合并计算。"
)


def apply_text(training_size: int, coder: str, n_segments: int) -> str:
    """The last paragraph: the machine's codes entering the project."""
    return (
        f"最后，用全部 {training_size} 个有核对后编码的段落训练的模型以编码员 {coder} 的身份为项目编码："
        f"{n_segments} 个段落，每个答案都与其模型编号、训练规模、训练日期、编码表版本和概率一起"
        "保存，等待人来接受或拒绝（`ihms policy autocode review`）。一致性计算、编码核对和各表对"
        "已接受的机器编码与人的编码一视同仁。"
    )
