"""The lines ihms prints around its tables — where a command wrote its files, what it
left out and why, the "(continued)" of a table split into column blocks — in each
language a command's ``--lang`` takes, kept once here so that every command says them
alike. A ``policy`` command run with ``--lang zh`` builds its tables in Chinese
(:mod:`ihms.policy._agreement_words`) and says these lines in Chinese too, in the
words of Chinese statistics software and papers: 已写入, 续表, 未决, 裁决.

Any other language (``key``, the names-as-keys of ``policy codes export``) prints the
English lines.
"""

from __future__ import annotations

__all__ = ["STATUS", "said"]

#: The lines by language and kind; ``{…}`` is filled in by :func:`said`.
STATUS: dict[str, dict[str, str]] = {
    "en": {
        # a table split into column blocks: the title of each block after the first
        "continued": "{title} (continued)",
        "written": "Written: {paths} ...",
        "written to": "Written to",
        "chart written to": "Chart written to",
        "counts written to": "Counts by year written to",
        "codings written to": "Codings written to",
        "data set written": "Data set written to {path}: {segments:,} segments, {variables} "
        "variables ({dichotomies} of them 0/1 for multi-label categories and open answers).",
        "removed": "{names} (an earlier run's) removed: this run writes none.",
        "unresolved left out": "{n} answers are unresolved (coders differ, no decision) and "
        "left out.",
        "unresolved missing": "{n} answers are unresolved (coders differ, no decision) and "
        "left missing.",
        "single coder": "{n} answers rest on a single coder (the other coders left those "
        "segments uncoded) and are counted as they coded them.",
        "table left out": "{name} ({title}) left out: {why}",
        "no codings": "dimension {key!r} has no codings in {source!r}",
        "from metadata": " (it comes from the documents' metadata: {zh} / {en})",
        # policy words: a category's top terms
        "top terms": "{category}: {terms}",
        # policy qdpx export, while it writes
        "writing qdpx": "writing the REFI-QDA project",
        # policy reconcile
        "decisions recorded": "{n} decisions recorded by {by}.",
        "to decide written": "Disagreements written to {path}: fill in 'decision' and run "
        "with --decisions.",
        "none to decide": "No disagreements to decide; {path} holds only the headers.",
        "still unresolved": "{n} segment × dimension answers still unresolved.",
    },
    "zh": {
        "continued": "{title}（续表）",
        "written": "已写入：{paths} 等",
        "written to": "已写入",
        "chart written to": "图已写入",
        "counts written to": "逐年计数已写入",
        "codings written to": "编码已写入",
        "data set written": "数据集已写入 {path}：{segments:,} 个片段，{variables} 个变量"
        "（其中 {dichotomies} 个为多选类目和开放答案的 0/1 变量）。",
        "removed": "{names}（上次运行所写）已删除：本次运行不生成此文件。",
        "unresolved left out": "{n} 个答案未决（编码员意见不一且未裁决），未计入。",
        "unresolved missing": "{n} 个答案未决（编码员意见不一且未裁决），记为缺失。",
        "single coder": "{n} 个答案仅一名编码员编码（其他编码员未编码这些片段），按其编码计入。",
        "table left out": "{name}（{title}）未生成：{why}",
        "no codings": "维度 {key!r} 在 {source!r} 中没有编码",
        "from metadata": "（该维度来自政策文件的元数据：{zh} / {en}）",
        "top terms": "{category}：{terms}",
        "writing qdpx": "正在写入 REFI-QDA 项目",
        "decisions recorded": "已记录 {n} 项裁决（裁决人：{by}）。",
        "to decide written": "分歧已写入 {path}：在 'decision' 列填写裁决后加 --decisions 再次运行。",
        "none to decide": "无待裁决的分歧；{path} 仅含表头。",
        "still unresolved": "仍有 {n} 个片段 × 维度的答案未决。",
    },
}


def said(lang: str, kind: str, **fill: object) -> str:
    """The line of ``kind`` (a key of :data:`STATUS`) in ``lang``, ``fill`` put in its
    blanks; English for a language without lines of its own.

    >>> said("zh", "continued", title="表3 政策工具分布")
    '表3 政策工具分布（续表）'
    >>> said("en", "removed", names="top_terms.csv")
    "top_terms.csv (an earlier run's) removed: this run writes none."
    """
    return STATUS.get(lang, STATUS["en"])[kind].format(**fill)
