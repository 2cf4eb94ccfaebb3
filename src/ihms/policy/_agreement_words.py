"""The agreement table's words in Chinese (``lang="zh"``): its title, column headers,
bases and statistics, and its notes, in the terms Chinese content-analysis papers use
(编码员, 维度, 类目, 分析单元, and :data:`ihms._words.TERMS`' 一致率; Cohen's κ, Fleiss' κ, Krippendorff's α and Gwet's
AC1 keep their names, as those papers print them). The table is built in the language
asked for, as :func:`~ihms.policy.tables.frequency_table` builds its header, so the
console, the workbook and the CSV say the same. Each note is said again from the
report's counts and rows, not translated from its English text — but for the report's
two fixed sentences on undefined coefficients and the grouped-dimension note, read by
their fixed words; a note of another kind stays in English, its dimension named.

The content tables of ``policy tables`` (:mod:`ihms.policy.tables`) take their Chinese
from the same word table, :data:`ZH` — units counted, total rows, seed 000's captions
and headers — and their notes from :data:`CONTENT_NOTES`, in the terms Chinese policy
content-analysis papers print (频数, 占比 %, 文本数 (n=…), 合计, 总计, 二维分布).
"""

from __future__ import annotations

import re

from ihms._words import TERMS
from ihms.errors import InputError
from ihms.sources import YU_2024
from ihms.stats._agreement_row import (
    SAME_ANSWER,
    coverage_notes,
    paradox_notes,
    undefined_categories,
)
from ihms.stats._agreement_zh import (
    AC1_PABAK_NOTE,
    zh_coverage_notes,
    zh_mean_kappa,
    zh_paradox_notes,
)

__all__ = [
    "CONTENT_NOTES",
    "RECONCILED_ROWS",
    "ZH",
    "chance_notes",
    "content_note",
    "in_chinese",
    "said_in",
    "scales",
    "thin_mean",
    "zh_columns",
    "zh_notes",
]

_AGREE = TERMS["zh"]["percent agreement"]
#: Headers, bases, statistics and the title in Chinese, by their English words.
ZH = {
    "title": "各维度及类目的编码员间一致性",
    "dimension / category": "维度 / 类目",
    "basis": "比较方式",
    "units": "分析单元数",
    "agreement %": f"{_AGREE} %",
    "statistic": "统计量",
    "kappa units": "κ 分析单元数",
    "kappa": "κ 系数",
    "alpha": "Krippendorff's α",
    "alpha low": "α 下限",
    "alpha high": "α 上限",
    "AC1": "AC1",
    "PABAK": "PABAK",
    "whole answer": "答案整体",
    "whole set": "类目集合整体",
    "present/absent": "出现/未出现",
    "Cohen": "Cohen's κ",
    "Fleiss": "Fleiss' κ",
    # the content tables (policy tables): what n counts, as a count column names it
    "Texts": "文本数",
    "Codings": "编码数",
    "Documents": "政策文件数",
    "Policy texts": "政策文本数",  # seed 000's Tables 1, 2, 5 ("Policies" there)
    "Policies": "政策文本数",
    "Policy tools": "政策工具",  # Table 3
    "Participation": "参与主体",  # Table 4
    "n (%)": "频数（占比 %）",
    "n": "频数",
    "%": "占比 %",
    "Total": "合计",  # a group's total row (seed 000's "Total (n=620)"), a total column
    "Grand total": "总计",
    "Policy tool and secondary classification": "政策工具及二级分类",
    "Provincial and municipal level": "省市级",
    "Entries coded per dimension": "各维度的编码条目数",
    "Policy documents by year and level": "各年份及层级的政策文件数",
    # seed 000's captions (its "Distribution of …" and "2D distribution table of … and …")
    "Table 1. Policy level of the coded texts": "表1 已编码政策文本的政策层级分布",
    "Table 2. Policy nature of the coded texts": "表2 已编码政策文本的政策性质分布",
    "Table 3. Policy tools": "表3 政策工具分布",
    "Table 4. Stakeholders": "表4 利益相关者分布",
    "Table 5. Policy orientation of the coded texts": "表5 已编码政策文本的政策导向分布",
    "Table 6. Policy tools by stakeholders": "表6 政策工具与利益相关者二维分布",
    "Table 7. Policy tools by policy level": "表7 政策工具与政策层级二维分布",
    "Table 8. Policy orientation by policy level": "表8 政策导向与政策层级二维分布",
    "Table 9. Policy tools by policy nature": "表9 政策工具与政策性质二维分布",
    "Table 10. Policy orientation by policy nature": "表10 政策导向与政策性质二维分布",
    "Table 11. Policy tools by release time": "表11 政策工具与发布时间二维分布",
    "Table 12. Policy orientation by release time": "表12 政策导向与发布时间二维分布",
    # policy trend: seed 000's periods (Abstract: the disease-centered, e-health
    # technology development and health-centered periods)
    "disease-centred": "以疾病为中心时期",
    "e-health technology": "电子健康技术发展时期",
    "health-centred": "以健康为中心时期",
    "year": "年份",
    # policy words, network and cluster: their tables' titles and headers
    "term": "词语",
    "count": "频数",
    "texts": "文本数",
    "source": "起点单元",
    "direction": "方向",
    "target": "终点单元",
    "weight": "共现条目数",
    "→ (higher to lower tier)": "→（由高层级指向低层级）",
    "— (undirected)": "—（无方向）",
    "Themes of the open answers": "开放答案的主题",
    "label": "主题",
    "answers": "答案数",
    "members": "所含答案（频数）",
    # policy reconcile (背对背编码: blind double coding, as Chinese papers call it)
    "Reconciliation of blind codings": "背对背编码的核对",
    "reconciliation": "核对结果",
    "agreed": "编码一致",
    "disagreements to decide": "待裁决的分歧",
    "coded by only some coders": "仅部分编码员编码",
    "agreements recorded now": "本次记录的一致",
    # policy qdpx export
    "REFI-QDA project exchange file": "REFI-QDA 项目交换文件",
    "REFI-QDA export": "REFI-QDA 导出",
    "text sources": "文本来源",
    "users (coders)": "用户（编码员）",
    "selections": "选段",
    "codings": "编码",
    # policy qdpx import
    "Codings imported from a REFI-QDA file": "从 REFI-QDA 文件导入的编码",
    "REFI-QDA import": "REFI-QDA 导入",
    "text sources matched": "匹配的文本来源",
    "selections read": "读取的选段",
    "selections placed on no segment": "未落在任何片段上的选段",
    "segment × dimension answers": "片段 × 维度答案",
    "codings added": "新增编码",
    "decisions added": "新增裁决",
    "answers replaced": "替换的答案",
    "answers unchanged": "未变的答案",
}
#: The rows of ``policy reconcile``'s table, in English (:data:`ZH` gives their Chinese).
RECONCILED_ROWS = (
    "agreed",
    "disagreements to decide",
    "coded by only some coders",
    "agreements recorded now",
)
#: The narrow console's headers (a Chinese character takes two columns).
ZH_SHORT = {
    "维度 / 类目": "维度",
    f"{_AGREE} %": f"{_AGREE}%",
    "κ 系数": "κ",
    "κ 分析单元数": "κ 单元",
    "Krippendorff's α": "α",
    "α 下限": "α下限",
    "α 上限": "α上限",
}

#: The content tables' notes by language: what n counts (``count``: "n counts texts.",
#: ``by``: with the direction of the percentages), a zero cell, the rows left out by
#: ``top``, and documents counted once though their texts differ; and the notes and
#: titles of ``policy network`` and ``policy cluster``.
CONTENT_NOTES = {
    "en": {
        "count": "n counts {what}.",
        "by": "n counts {what}; percentages by {percent}.",
        "zero": "{zero}: not applicable (no {what} in that cell, a count of 0).",
        "top": "The first {top} of {rows} rows; percentages are of all n = {total}.",
        "mixed": "{n} document(s) have texts coded with more than one {dim} ({first}); each "
        "is counted once, under its most frequent value.",
        "n from": "(n={n} from {docs} document{s})",
        "xlsx": "Percentages are numbers (n / base) shown to {digits} decimals; the printed "
        "table rounds them half up",
        "xlsx end": ".",
        "xlsx printed": f" and drops trailing zeros, as {YU_2024} prints them.",
        # policy network and cluster
        "list": ", ",
        "themes": "{k} themes",
        "silhouette": ", silhouette {score:.3f}",
        "themes of": "Themes of the answers: {where}",
        "group": "{dimension}, group {group}",
        # policy reconcile
        "coders": "coders: {coders}",
        "to decide in": "disagreements in {dimension}: {n}",
        "overridden": "{n:,} decisions replace answers the coders agreed on ({pairs}); the "
        "decision is the final code",
        "overridden 1": "{n:,} decision replaces an answer the coders agreed on ({pairs}); "
        "the decision is the final code",
        # policy qdpx export
        "qdpx written": "written to {path}",
        "users": "users: {users}",
        "no users": "none",
        "not exported": "{n:,} coding(s) {why} were not exported",
        "on retired": "on retired segments",
        "on scheme": "on {scheme} segments",
        "not included": "on documents not included",
        "reconciled user": "user {user!r} holds the reconciled coding (agreed and decided "
        "answers); leave it out with reconciled=False (--no-reconciled)",
        # policy qdpx import
        "imported from": "{file} ({origin}), user {user!r} → {into}",
        "no origin": "origin not given",
        "into decisions": "the project's reconciliation (decisions)",
        "into coder": "coder {coder!r}",
        "codes left out": "codes left out: {codes}",
    },
    "zh": {
        "count": "n 为{what}。",
        "by": "n 为{what}；按{percent}计算占比。",
        "zero": "{zero}：不适用（该格无{thing}，计数为 0）。",
        "top": "仅列前 {top} 行（共 {rows} 行）；占比以全部 n = {total} 为分母。",
        "mixed": "{n} 份政策文件的文本被编码为不止一种{dim}（{first}）；每份文件只计一次，"
        "计入其最常见的取值。",
        "n from": "(n={n}，来自 {docs} 份政策文件)",
        "xlsx": "占比为数值（n / 基数），显示 {digits} 位小数；打印的表四舍五入",
        "xlsx end": "。",
        "xlsx printed": f"并去掉末尾的 0，与 {YU_2024} 的印法一致。",
        "list": "、",
        "themes": "{k} 个主题",
        "silhouette": "，轮廓系数 {score:.3f}",
        "themes of": "{where}答案的主题",
        "group": "{dimension}（{group}）",
        "coders": "编码员：{coders}",
        "to decide in": "{dimension}维度的分歧：{n} 处",
        "overridden": "{n:,} 项裁决替换了编码员一致的答案（{pairs}）；以裁决为最终编码",
        "overridden 1": "{n:,} 项裁决替换了编码员一致的答案（{pairs}）；以裁决为最终编码",
        "qdpx written": "已写入 {path}",
        "users": "用户：{users}",
        "no users": "无",
        "not exported": "{why}的 {n:,} 条编码未导出",
        "on retired": "已停用片段上",
        "on scheme": "{scheme} 片段上",
        "not included": "未纳入的文档上",
        "reconciled user": "用户 {user!r} 为核对后的编码（一致与裁决的答案）；以 reconciled=False"
        "（--no-reconciled）不导出此用户",
        "imported from": "{file}（{origin}），用户 {user!r} → {into}",
        "no origin": "未注明来源软件",
        "into decisions": "项目的核对结果（裁决）",
        "into coder": "编码员 {coder!r}",
        "codes left out": "未导入的代码：{codes}",
        # what n counts (the English words of the notes), and what a zero cell lacks
        "texts": ("文本数", "文本"),
        "documents": ("政策文件数", "政策文件"),
        "codings": ("编码数", "编码"),
        "co-occurring pairs within a text": ("同一文本内共现的配对数", "同一文本内共现的配对"),
        "codings (a text may carry several)": ("编码数（一条文本可有多个编码）", "编码"),
        "row": "行",
        "column": "列",
    },
}


def said_in(lang: str, words: str) -> str:
    """``words`` as a table in ``lang`` prints them: under ``"zh"`` their Chinese in
    :data:`ZH`, or as written when it has none (a user's own title or header)."""
    return ZH.get(words, words) if lang == "zh" else words


def content_note(lang: str, kind: str, **said) -> str:
    """A content table's note of ``kind`` (:data:`CONTENT_NOTES`) in ``lang``; ``what``
    (and ``percent``) given in English, as the English note says them."""
    words = CONTENT_NOTES[lang]
    if lang == "zh":
        if "what" in said:
            said["what"], said["thing"] = words[said["what"]]
        if "percent" in said:
            said["percent"] = words[said["percent"]]
    return words[kind].format(**said)


def zh_columns(below: str) -> dict[str, str]:
    """The English column names as the Chinese table names them (``below``: the
    probability that alpha is below its minimum, ``P(alpha<0.667)``)."""
    return {**ZH, below: below.replace("alpha", "α")}


def _mean_note(report, benchmark: bool, codebook) -> str:
    mean = zh_mean_kappa(report)
    if not mean:
        return ""
    return (
        f"各维度平均 κ：{mean}"
        + (f"（{YU_2024} 报告其两名编码员为 0.746）" if benchmark else "")
        + thin_mean(report, codebook, "zh")
        + "。"
    )


def thin_mean(report, codebook, lang: str) -> str:
    """What the mean kappa line adds when a dimension's Fleiss' kappa rests on few
    segments (:attr:`~ihms.stats.agreement.UnitCoverage.thin`): on how many, and where
    the note is; empty otherwise."""
    thin = [(dimension_label(codebook, k, lang), c) for k, c in report.coverage if c.thin]
    if not thin:
        return ""
    if lang == "zh":
        said = "；".join(f"{d} {c.complete:,}/{c.n_units:,}" for d, c in thin)
        return f"——但其中 Fleiss' κ 只基于每名编码员都编码的少数片段（{said}），见下方说明"
    said = "; ".join(f"{d}: {c.complete:,} of {c.n_units:,}" for d, c in thin)
    return (
        f" — but Fleiss' kappa rests on the few segments every coder coded ({said}); "
        "see the note below"
    )


def scales(dims) -> dict[str, tuple[str, ...]]:
    """The answers a coder may give in each closed single-label dimension of ``dims``:
    its codebook categories and "none applies" (``(none)``) — q for AC1 and PABAK
    (Gwet 2014: the categories of the scale, used or not)."""
    return {d.key: (*d.category_keys, "(none)") for d in dims if d.kind == "closed" and not d.multi}


def chance_notes(report, codebook, lang: str) -> list[str]:
    """The notes on q of AC1 and PABAK: a closed single-label dimension's codebook
    categories and "none applies" (Gwet 2014), and why a whole set has neither; with
    three coders or more, what agreement % is (all agree, as ``irr::agree``)."""
    single = [
        d
        for d in codebook.dimensions
        if d.key in report.dimensions and d.kind == "closed" and not d.multi
    ]
    notes = []
    if single:
        if lang == "zh":
            said = "，".join(f"{d.label('zh')} {len(d.categories) + 1}" for d in single)
            notes.append(
                f"单选维度 AC1 与 PABAK 的类目数 q：编码本的全部类目加上“无”（未用到的类目也计入）：{said}。"
            )
        else:
            said = ", ".join(f"{d.label('en')} {len(d.categories) + 1}" for d in single)
            notes.append(
                "q of a single-label dimension's AC1 and PABAK: its codebook categories "
                f"and 'none applies', used or not (Gwet 2014): {said}."
            )
    if len(report.coders) > 2:
        notes.append(
            f"{_AGREE}：每名编码了该片段的编码员答案相同的片段所占比例（不是两两{_AGREE}的平均）。"
            if lang == "zh"
            else "agreement %: the share of segments on which every coder who coded it gave "
            "the same answer (not the mean pairwise agreement some tools print)."
        )
    if report.multi_label:
        notes.append(
            "整体集合没有 AC1 与 PABAK：其可能答案是类目的每一种组合（k 个类目 2^k 种），q 如此之大时"
            f"二者即等于{_AGREE}；请看各类目“出现/未出现”行的 AC1 与 PABAK。"
            if lang == "zh"
            else "A whole set has no AC1 or PABAK: its possible answers are every set of "
            "categories (2^k for k categories), and with q that large both come to percent "
            "agreement; read its categories' present/absent AC1 and PABAK."
        )
    return notes


_GROUPED = "Grouped open dimension(s) "
#: How a grouped open dimension is compared, by level, in English and Chinese.
_GROUPED_HOW = {
    "group": (
        "on their groups only (the set of groups a coder's answers fall in)",
        "只比较其组别（编码员答案所属组别的集合）",
    ),
    "answer": (
        "on their answers, each with its group (level='group' / --level group compares "
        "the groups alone)",
        "比较其答案（连同所属组别；level='group' / --level group 只比较组别）",
    ),
}


def grouped_note(names: str, level: str) -> str:
    """The report's note on its grouped open dimensions ``names`` compared at ``level``."""
    return f"{_GROUPED}{names} compared {_GROUPED_HOW[level][0]}."


def _report_note(note: str, labels: dict[str, str], codebook) -> str:
    """A note of the report other than its coverage notes, in Chinese."""
    if note.startswith(_GROUPED):
        keys = note[len(_GROUPED) :].split(" compared ", 1)[0]
        level = next((lv for lv in _GROUPED_HOW if note == grouped_note(keys, lv)), None)
        if level is not None:
            names = "、".join(d.label("zh") for d in codebook.dimensions if d.answer_groups
                             and d.key in labels)  # fmt: skip
            return f"分组开放维度{names}{_GROUPED_HOW[level][1]}。"
    key = next((k for k in labels if note.startswith(f"{k}: ")), None)
    if key is None:
        return note
    rest = note[len(key) + 2 :]
    if rest == f"{SAME_ANSWER}.":
        return f"{labels[key]}：每名编码员对每个片段给出相同答案，κ/α 无定义。"
    m = re.search(r"\d+", rest)  # the stats' own sentence, its count read back
    if m and rest == undefined_categories(n := int(m.group())):
        return f"{labels[key]}：{n} 个类目被每名编码员在所有片段都选用或都未选用，κ/α 无定义。"
    return f"{labels[key]}: {rest}"


def zh_notes(report, codebook, *, fewer: bool, below: str, groups: list) -> list[str]:
    """The agreement table's notes in Chinese, in the order of the English ones.

    ``groups``: per dimension of the report, ``(key, label, its own row, [(category,
    label, row)])`` (the agreement table's ``_dimension_rows``), for the
    kappa-paradox notes, said again from the rows."""
    labels = {key: label for key, label, _, _ in groups}
    labels |= {k: dimension_label(codebook, k, "zh") for k in report.dimensions if k not in labels}
    said: dict[str, str] = {}
    for key, cover in report.coverage:
        multi = key in report.multi_label
        english = coverage_notes(key, cover, whole="whole code set" if multi else "whole code")
        chinese = zh_coverage_notes(
            labels[key], cover, ZH["whole set" if multi else "whole answer"], choose="--coders "
        )
        said |= dict(zip(english, chinese, strict=True))
    keyed, paradox = set(), []
    for key, label, whole, cats in groups:
        keyed.update(paradox_notes(str(key), whole, [(c, r) for c, _, r in cats]))
        paradox += zh_paradox_notes(label, whole, [(shown, r) for _, shown, r in cats])
    rest = [
        said.get(n) or _report_note(n, labels, codebook) for n in report.notes if n not in keyed
    ]
    units = (
        f"分析单元：至少两名编码员编码的片段，{_AGREE}、α、AC1 与 PABAK 均据此计算；κ 分析单元："
        "Fleiss' κ 只用每名编码员都编码了的片段，故较少。"
        if fewer
        else "分析单元：至少两名编码员编码的片段；每行的各统计量均据此计算。"
    )
    boot = (
        f"α 下限/上限与 {below.replace('alpha', 'α')}（窄表中为 P(α<min)）：对片段进行 {report.n_boot:,} 次 "
        f"bootstrap 重抽样（种子 {report.seed}），{100 * report.confidence:g}% 百分位区间。"
    )
    return [
        _mean_note(report, codebook.name == "6d", codebook),
        f"编码员：{'、'.join(map(str, report.coders))}。",
        units,
        AC1_PABAK_NOTE,
        *chance_notes(report, codebook, "zh"),
        boot if report.n_boot else "",
        *rest,
        *paradox,
    ]


def dimension_label(codebook, key, lang: str) -> str:
    """The dimension ``key``'s label in ``lang``; a dimension the codebook lacks keeps
    its key."""
    try:
        return codebook.dimension(key).label(lang)
    except InputError:  # a dimension the codebook lacks keeps its key
        return str(key)


def in_chinese(table, below: str):
    """The English-worded agreement ``table`` (its notes already Chinese) with its
    title, headers, bases and statistics in Chinese."""
    from dataclasses import replace

    names = zh_columns(below)
    frame = table.frame.assign(
        basis=table.frame["basis"].map(ZH), statistic=table.frame["statistic"].map(ZH)
    ).rename(columns=names)
    return replace(
        table,
        frame=frame,
        title=ZH["title"],
        lang="zh",
        formats={names[k]: f for k, f in table.formats.items()},
        short_headers={names[k]: ZH_SHORT.get(names[k], names[k]) for k in table.short_headers},
        stack_under={names[k]: names[v] for k, v in table.stack_under.items()},
    )
