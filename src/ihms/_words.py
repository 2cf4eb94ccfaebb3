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

import re

from ihms._words_written import WRITTEN
from ihms.errors import InputError

__all__ = [
    "RULES",
    "STATUS",
    "TERMS",
    "YES_NO_ZH",
    "check_lang",
    "in_words_of",
    "notes_under_zh",
    "said",
    "said_again",
]


def check_lang(lang: str) -> str:
    """``lang`` if ihms writes its tables and lines in it (``"en"`` or ``"zh"``): the
    check behind every ``--lang`` and every ``lang=`` parameter.

    Raises
    ------
    InputError
        Any other language.
    """
    if lang not in ("en", "zh"):
        raise InputError(f"parameter 'lang': expected 'en' or 'zh', got {lang!r}")
    return lang


#: The agreement statistics' terms, by language, that every table, note and sentence of
#: ``ihms agreement``, ``policy agreement`` and ``policy screen`` uses — spelled here
#: only. The Chinese are the forms of Chinese methodological writing on kappa, where
#: prevalence is 患病率 (the epidemiology term, not 流行率): 一致率 (observed agreement),
#: PABAK's 患病率和偏倚调整的 κ (Byrt, Bishop & Carlin 1993), the κ 悖论 of high agreement
#: and low kappa (Feinstein & Cicchetti 1990) and the 患病率指数.
TERMS: dict[str, dict[str, str]] = {
    "zh": {
        "percent agreement": "一致率",
        "PABAK": "患病率和偏倚调整的 κ",
        "kappa paradox": "κ 悖论",
        "prevalence index": "患病率指数",
    },
}
_ZH = TERMS["zh"]

#: A yes/no cell (a test's flag, 考核合格) as a Chinese table says it, not True/False.
YES_NO_ZH: dict[bool, str] = {True: "是", False: "否"}

#: The lines of this module by language and kind (:data:`STATUS` says them all).
_LINES: dict[str, dict[str, str]] = {
    "en": {
        # a table split into column blocks: the title of each block after the first
        "continued": "{title} (continued)",
        # a long table printed (ihms._table_rows; the terminal, a file or a pipe): its first and last rows
        "rows shown": "Showing {shown:,} of {rows:,} rows (the first {head:,} and the last "
        "{tail:,}).",
        # ... with the group rows of the first of the last, which were left out
        "rows shown group": "Showing {shown:,} of {rows:,} rows (the first {head:,}, the "
        "last {tail:,} and the group row of the last).",
        "rows shown groups": "Showing {shown:,} of {rows:,} rows (the first {head:,}, the "
        "last {tail:,} and the {groups:,} group rows of the last).",
        "rows every": " Every row: {ways}; all of them printed: {lift}.",
        "rows lift": " All of them printed: {lift}.",
        "rows or": " or ",
        "data set written": "Data set written to {path}: {segments:,} segments, {variables} "
        "variables ({dichotomies} of them 0/1 for multi-label categories and open answers).",
        "removed": "{names} (an earlier run's) removed: this run writes none.",
        "unresolved left out": "{n} answers are unresolved (coders differ, no decision) and "
        "left out.",
        "unresolved missing": "{n} answers are unresolved (coders differ, no decision) and "
        "left missing.",
        "single coder": "{n} answers rest on a single coder (the other coders left those "
        "segments uncoded) and are counted as they coded them.",
        "count documents": "The texts are segments of fewer documents: a document's own "
        "value (level, year ...) counts once per text; `count: documents` in a --spec "
        "table counts each document once.",
        "table left out": "{name} ({title}) left out: {why}",
        "no codings": "dimension {key!r} has no codings in {source!r}",
        "from metadata": " (it comes from the documents' metadata: {zh} / {en})",
        # policy words: a category's top terms
        "top terms": "{category}: {terms}",
        # policy words: the stop lists applied, in order
        "stop lists": "Stop lists applied, in order: {lists}.",
        "stop list built-in": "built-in ({n} words)",
        "stop list project": "the project's {name} ({n} lines, stored {at})",
        "stop list file": "--stopwords {name} ({n} lines)",
        # policy qdpx export, while it writes
        "writing qdpx": "writing the REFI-QDA project",
        # policy reconcile
        "decisions recorded": "{n} decisions recorded by {by}.",
        "to decide written": "Disagreements written to {path}: fill in 'decision' and run "
        "with --decisions.",
        "none to decide": "No disagreements to decide; {path} holds only the headers.",
        "still unresolved": "{n} segment × dimension answers still unresolved.",
        # policy segment
        "scheme paragraph": "paragraph",
        "scheme clause": "clause",
        "segmented": "{segments} {scheme} segments in {documents} documents: {new} new, {kept} "
        "kept, {retired} retired (coded, text gone), {deleted} deleted.",
        "scheme segments": "{n} {scheme}",
        "other schemes kept": "The project's {held} segments are kept; name the scheme to work "
        "on with --scheme {scheme} ({commands} ...).",
        # policy codes import and qdpx import
        "imported": "Imported {rows} answers of {coders}: {added} codings written, {replaced} "
        "answers replaced, {removed}{unchanged} unchanged.",
        "answers removed": "{n} answers removed{named}, ",
        "answer removed": "{n} answer removed{named}, ",
        "named": " ({names})",
        "kept empty": "{n} answers stored earlier have an empty cell in the sheet and were kept: "
        "{cells}. Import with --replace to remove them (the sheet is then the coder's whole "
        "answer); where nothing applies, write - (or 无, none).",
        "kept empty 1": "{n} answer stored earlier has an empty cell in the sheet and was kept: "
        "{cells}. Import with --replace to remove it (the sheet is then the coder's whole "
        "answer); where nothing applies, write - (or 无, none).",
        "sheet left out": "{sheet}: no segment or dimension columns; left out.",
        "left empty": "{n} empty cell(s) in rows that code other dimensions are not coded: "
        "{cells}. Where nothing applies, write - (or 无, none) and import again; an uncoded "
        "answer leaves the segment out of the agreement.",
        "agreements withdrawn": "{n} agreement(s) withdrawn: a coder in them changed the answer; "
        "run {command} to list them as disagreements.",
        "agreements withdrawn 1 coder": "{n} agreement(s) withdrawn: the coder changed the "
        "answer; run {command} to list them as disagreements.",
        "decisions to review": "{n} decision(s) were made on answers that have now changed; they "
        "stand until you review them: {pairs}",
        "decisions to review now": "{n} decision(s) were made on answers that have now changed; "
        "review them.",
        "reading qdpx": "reading the REFI-QDA project",
        "selection unplaced": "Selection {guid} in {source!r} ({start}–{end}) covers too little "
        "of any segment (--min-overlap {overlap:g}); not imported.",
        "more unplaced": "... and {n} more such selections.",
        # ihms trend (Cochran–Armitage)
        "trend title": "Chi-square test for trend in proportions",
        "trend row": "Trend (Cochran–Armitage, {form} form)",
        "departure row": "Departure from linear trend",
        "overall row": "Overall (Pearson, independence)",
        "trend chi2": "chi2",
        "trend df": "df",
        "trend note": "Proportions {props} at scores {scores}; N = {n}; slope {slope:.4g}, z = "
        "{z:.3f}.",
        "departure note": "The departure is the overall chi-square minus the n-form trend "
        "({gap:.4f}), as Stata's ptrend computes it, so the three rows add up in the n form "
        "only.",
        # policy screen: the PRISMA 2020 flow, the rules and what they exclude for
        "flow title": "PRISMA 2020 flow of the policy corpus",
        "flow step": "PRISMA 2020 step",
        "flow identified": "Records identified",
        "flow from": "  from {source}",
        "flow duplicates": "Duplicate records removed",
        "flow screened": "Records screened",
        "flow excluded title": "Records excluded (title screening)",
        "flow sought": "Reports sought for retrieval",
        "flow not retrieved": "Reports not retrieved",
        "flow assessed": "Reports assessed for eligibility",
        "flow excluded fulltext": "Reports excluded (full text)",
        "flow included": "Documents included",
        "flow record": "record",
        "flow report": "report",
        "flow stage title": "title",
        "flow stage fulltext": "full-text",
        "several reasons": "{n} {what}(s) excluded at the {name} stage for several reasons count "
        "under each reason, so that stage's reasons add to more than its exclusions",
        # ihms trend with a table: where the scores came from (cli._trend_table)
        "trend values": "scores: the values of column '{column}' ({option})",
        "trend periods": "scores: the periods of column '{column}' counted from the first "
        "({start} = 1; a period left out counts as a gap)",
        "trend rows": "scores: 1..{k} in the file's row order",
        "trend order": "scores: 1..{k} in that order",
        "trend as text": "no cell of column '{column}' reads as a period: the groups sorted "
        "as text ({shown})",
        "rule titles": "{n} title pattern(s) at the title stage",
        "rule dates": "published {start} to {end} at the full-text stage",
        "rule from": "published from {start} at the full-text stage",
        "rule up to": "published up to {end} at the full-text stage",
        "rule length": "at least {n} characters of text at the full-text stage",
        "reason before": "published before {date}",
        "reason after": "published after {date}",
        "reason length": "fewer than {n} characters of text",
        # policy screen / screening: the reviewers' agreement and the methods statement
        "stage title": "title",
        "stage fulltext": "full text",
        "decision include": "include",
        "decision exclude": "exclude",
        "decided include": "included",
        "decided exclude": "excluded",
        "list": ", ",
        "names and": "{names} and {last}",
        "unnamed": "(unnamed)",
        "sentences": " ",
        "end": ".",
        "screened per stage": "Records were screened at the title stage by {title}, and reports "
        "at the full-text stage by {full}.",
        "screened by reviewers": "Each record and each report was screened by {n} reviewers "
        "({names}) working independently.",
        "screened by one named": "Records and reports were screened by one reviewer ({name}).",
        "screened by one": "Records and reports were screened by one reviewer.",
        "screened by rules": "No reviewer recorded decisions; the rules alone decided.",
        "reviewers independently": "{n} reviewers ({names}) working independently",
        "one reviewer named": "one reviewer ({name})",
        "one reviewer": "one reviewer",
        "no reviewer": "no reviewer (the rules alone)",
        "no document reached": "No document reached the {stage} stage.",
        "stage by rules": "{stage} stage: {n} document(s), every decision left to the rules (no "
        "reviewer recorded one), so no agreement between reviewers is reported.",
        "stage agreement": "{stage} stage: {n} document(s){by_rules}, agreement {pct:.1f}%, {k}; "
        "{conflicts} conflict(s)",
        "left to rules": " ({left} of {total} decisions left to the rules)",
        "Cohen's kappa": "Cohen's kappa",
        "Fleiss' kappa": "Fleiss' kappa",
        "kappa undefined": "{statistic} undefined (every decision was the same)",
        "and AC1": ", Gwet's AC1 {ac1:.2f}",
        "and PABAK first": ", PABAK {pabak:.2f}",
        "and PABAK": ", PABAK {pabak:.2f}",
        "settled by": " settled by {who}",
        "by rule": "{rule}",
        "by stage reviewer": "{who}, one of the stage's reviewers",
        "by third reviewer": "{who}, a third reviewer",
        "by adjudicator": "{who}, an adjudicating reviewer",
        "settled n": "{who} ({n})",
        "rules applied": "Rules applied automatically where a reviewer recorded no decision: "
        "{rules}.",
        "rules list": "; ",
        "paradox": "{stage} stage: kappa {kappa:.2f} despite {pct:.1f}% agreement because "
        "{share:.0f}% of the decisions were {common}, which makes kappa's chance agreement high "
        "(the kappa paradox, Feinstein & Cicchetti 1990); {others} depend far less on that "
        "share. The reviewers agreed to {rare} {agreed} of the {either} documents {who} of them "
        "{rare_done}.",
        "paradox AC1": "Gwet's AC1 ({ac1:.2f})",
        "paradox PABAK": " and PABAK ({pabak:.2f})",
        "either of two": "either",
        "any of more": "any",
        # the agreement table of the stages
        "screening title": "Independent screening by {who} ({statistic})",
        "n reviewers": "{n} reviewers",
        "stage reviewers": "{stage}: {names}",
        "stage list": "; ",
        "column stage": "stage",
        "column documents": "documents",
        "column recorded": "recorded",
        "column agreement": "agreement %",
        "column conflicts": "conflicts",
        "column settled": "settled by",
    },
    "zh": {
        "continued": "{title}（续表）",
        "rows shown": "显示 {rows:,} 行中的 {shown:,} 行（前 {head:,} 行和后 {tail:,} 行）。",
        "rows shown group": "显示 {rows:,} 行中的 {shown:,} 行（前 {head:,} 行、后 {tail:,} "
        "行及后者所属的分组行）。",
        "rows shown groups": "显示 {rows:,} 行中的 {shown:,} 行（前 {head:,} 行、后 {tail:,} "
        "行及后者所属的 {groups:,} 个分组行）。",
        "rows every": "全部行：{ways}；输出全部行：{lift}。",
        "rows lift": "输出全部行：{lift}。",
        "rows or": " 或 ",
        "data set written": "数据集已写入 {path}：{segments:,} 个片段，{variables} 个变量"
        "（其中 {dichotomies} 个为多选类目和开放答案的 0/1 变量）。",
        "removed": "{names}（上次运行所写）已删除：本次运行不生成此文件。",
        "unresolved left out": "{n} 个答案未决（编码员意见不一且未裁决），未计入。",
        "unresolved missing": "{n} 个答案未决（编码员意见不一且未裁决），记为缺失。",
        "single coder": "{n} 个答案仅一名编码员编码（其他编码员未编码这些片段），按其编码计入。",
        "count documents": "文本为较少政策文件的分段：文件自身的取值（层级、年份等）按每条文本各计一次；"
        "在 --spec 表格设定中将 'count' 设为 'documents' 则每份文件只计一次。",
        "table left out": "{name}（{title}）未生成：{why}",
        "no codings": "维度 {key!r} 在 {source!r} 中没有编码",
        "from metadata": "（该维度来自政策文件的元数据：{zh} / {en}）",
        "top terms": "{category}：{terms}",
        "stop lists": "依次使用的停用词表：{lists}。",
        "stop list built-in": "内置停用词表（{n} 个词）",
        "stop list project": "项目停用词表 {name}（{n} 行，{at} 存入）",
        "stop list file": "--stopwords {name}（{n} 行）",
        "writing qdpx": "正在写入 REFI-QDA 项目",
        "decisions recorded": "已记录 {n} 项裁决（裁决人：{by}）。",
        "to decide written": "分歧已写入 {path}：在 'decision' 列填写裁决后加 --decisions 再次运行。",
        "none to decide": "无待裁决的分歧；{path} 仅含表头。",
        "still unresolved": "仍有 {n} 个片段 × 维度的答案未决。",
        "scheme paragraph": "段落",
        "scheme clause": "条款",
        "segmented": "{documents} 份文件共 {segments} 个{scheme}片段：新增 {new} 个，保留 {kept} 个，"
        "停用 {retired} 个（已编码但文本已不存在），删除 {deleted} 个。",
        "scheme segments": "{n} 个{scheme}",
        "other schemes kept": "项目中的 {held}片段保留不变；请用 --scheme {scheme} 指定要处理的"
        "切分方式（{commands} 等）。",
        "imported": "已导入 {coders} 的 {rows} 个答案：写入 {added} 条编码，替换 {replaced} 个答案，"
        "{removed}{unchanged} 个未变。",
        "answers removed": "删除 {n} 个答案{named}，",
        "answer removed": "删除 {n} 个答案{named}，",
        "named": "（{names}）",
        "kept empty": "{n} 个先前存储的答案在表中为空单元格，已保留：{cells}。加 --replace 导入即可"
        "删除（表格即为该编码员的全部答案）；不适用之处请填写 -（或 无、'none'）。",
        "kept empty 1": "{n} 个先前存储的答案在表中为空单元格，已保留：{cells}。加 --replace 导入即可"
        "删除（表格即为该编码员的全部答案）；不适用之处请填写 -（或 无、'none'）。",
        "sheet left out": "{sheet}：没有片段列或维度列，未导入。",
        "left empty": "编码了其他维度的行中有 {n} 个空单元格，视为未编码：{cells}。不适用之处请填写 "
        "-（或 无、'none'）后再次导入；未编码的答案使该片段不计入一致性。",
        "agreements withdrawn": "撤回 {n} 项一致：其中有编码员修改了答案；运行 {command} "
        "将其列为分歧。",
        "agreements withdrawn 1 coder": "撤回 {n} 项一致：该编码员修改了答案；运行 {command} "
        "将其列为分歧。",
        "decisions to review": "{n} 项裁决所依据的答案已更改；复核之前裁决仍然有效：{pairs}",
        "decisions to review now": "{n} 项裁决所依据的答案已更改，请复核。",
        "reading qdpx": "正在读取 REFI-QDA 项目",
        "selection unplaced": "{source!r} 中的选段 {guid}（{start}–{end}）覆盖任何片段的比例都太小"
        "（--min-overlap {overlap:g}），未导入。",
        "more unplaced": "……另有 {n} 个此类选段。",
        "trend title": "率的趋势卡方检验",
        "trend row": "趋势（Cochran–Armitage，以 {form} 为分母）",
        "departure row": "偏离线性趋势",
        "overall row": "总体（Pearson 独立性检验）",
        "trend chi2": "χ²",
        "trend df": "自由度",
        "trend note": "各组比例 {props}，对应评分 {scores}；N = {n}；斜率 {slope:.4g}，z = {z:.3f}。",
        "departure note": "偏离线性趋势为总体卡方减去以 n 为分母的趋势卡方（{gap:.4f}），与 Stata 的 "
        "ptrend 算法相同，因此三行仅在以 n 为分母时相加相等。",
        "flow title": "政策文本的 PRISMA 2020 流程",
        "flow step": "PRISMA 2020 步骤",
        "flow identified": "检索到的记录",
        "flow from": "  来自{source}",
        "flow duplicates": "删除的重复记录",
        "flow screened": "初筛的记录",
        "flow excluded title": "排除的记录（题名初筛）",
        "flow sought": "需获取全文的报告",
        "flow not retrieved": "未能获取全文的报告",
        "flow assessed": "全文评估合格性的报告",
        "flow excluded fulltext": "排除的报告（全文复筛）",
        "flow included": "纳入的文件",
        "flow record": "记录",
        "flow report": "报告",
        "flow stage title": "题名初筛",
        "flow stage fulltext": "全文复筛",
        "several reasons": "{name}阶段有 {n} 条{what}因多个理由被排除，在每个理由下各计一次，故该阶段"
        "各理由之和大于其排除数",
        "trend values": "评分：{column} 列的取值（{option}）",
        "trend periods": "评分：{column} 列的时期，自第一个时期起计数（{start} = 1；缺少的时期计为间隔）",
        "trend rows": "评分：按文件中的行序取 1..{k}",
        "trend order": "评分：按此顺序取 1..{k}",
        "trend as text": "{column} 列中没有可读作时期的单元格：各组按文本排序（{shown}）",
        "rule titles": "题名初筛阶段的 {n} 条题名规则",
        "rule dates": "全文复筛阶段发布于 {start} 至 {end}",
        "rule from": "全文复筛阶段发布于 {start} 及以后",
        "rule up to": "全文复筛阶段发布于 {end} 及以前",
        "rule length": "全文复筛阶段正文至少 {n} 个字符",
        "reason before": "发布于 {date} 之前",
        "reason after": "发布于 {date} 之后",
        "reason length": "正文不足 {n} 个字符",
        "stage title": "题名初筛",
        "stage fulltext": "全文复筛",
        "decision include": "纳入",
        "decision exclude": "排除",
        "decided include": "纳入",
        "decided exclude": "排除",
        "list": "、",
        "names and": "{names} 和 {last}",
        "unnamed": "（未署名）",
        "sentences": "",
        "end": "。",
        "screened per stage": "题名初筛阶段由{title}筛选记录，全文复筛阶段由{full}筛选报告。",
        "screened by reviewers": "每条记录和每篇报告均由 {n} 名评审员（{names}）独立筛选。",
        "screened by one named": "记录和报告由一名评审员（{name}）筛选。",
        "screened by one": "记录和报告由一名评审员筛选。",
        "screened by rules": "没有评审员记录决定；全部由规则判定。",
        "reviewers independently": " {n} 名评审员（{names}）独立",
        "one reviewer named": "一名评审员（{name}）",
        "one reviewer": "一名评审员",
        "no reviewer": "规则（无评审员）",
        "no document reached": "没有文件进入{stage}阶段。",
        "stage by rules": "{stage}阶段：{n} 份文件，全部决定由规则作出（无评审员记录决定），"
        "故不报告评审员间一致性。",
        "stage agreement": "{stage}阶段：{n} 份文件{by_rules}，"
        + _ZH["percent agreement"]
        + " {pct:.1f}%，{k}；冲突 {conflicts} 处",
        "left to rules": "（{total} 个决定中 {left} 个由规则作出）",
        "Cohen's kappa": "Cohen's κ",
        "Fleiss' kappa": "Fleiss' κ",
        "kappa undefined": "{statistic} 无定义（所有决定均相同）",
        "and AC1": "，Gwet's AC1 {ac1:.2f}",
        "and PABAK first": f"，PABAK（{_ZH['PABAK']}）{{pabak:.2f}}",
        "and PABAK": "，PABAK {pabak:.2f}",
        "settled by": "，由 {who}裁决",
        "by rule": "{rule} 规则",
        "by stage reviewer": "{who}（本阶段评审员之一）",
        "by third reviewer": "{who}（第三评审员）",
        "by adjudicator": "{who}（裁决评审员）",
        "settled n": "{who}（{n} 处）",
        "rules applied": "评审员未记录决定之处自动适用的规则：{rules}。",
        "rules list": "；",
        "paradox": "{stage}阶段："
        + _ZH["percent agreement"]
        + " {pct:.1f}%，而 κ 仅 {kappa:.2f}：{share:.0f}% 的决定为{common}，使 κ 的机遇一致性偏高（"
        + _ZH["kappa paradox"]
        + "，Feinstein & Cicchetti 1990）；{others}受该比例的影响小得多。在{who}评审员{rare_done}的 "
        "{either} 份文件中，评审员一致{rare}的有 {agreed} 份。",
        "paradox AC1": "Gwet's AC1（{ac1:.2f}）",
        "paradox PABAK": "与 PABAK（{pabak:.2f}）",
        "either of two": "任一",
        "any of more": "任一",
        "screening title": "{who}独立筛选的一致性（{statistic}）",
        "n reviewers": "{n} 名评审员",
        "stage reviewers": "{stage}：{names}",
        "stage list": "；",
        "column stage": "阶段",
        "column documents": "文件数",
        "column recorded": "评审员记录的决定数",
        "column agreement": f"{_ZH['percent agreement']} %",
        "column conflicts": "冲突数",
        "column settled": "裁决者",
    },
}

#: The lines by language and kind; ``{…}`` is filled in by :func:`said`: this module's,
#: then those saying where a command wrote its files and the head of a note
#: (:data:`ihms._words_written.WRITTEN`).
STATUS: dict[str, dict[str, str]] = {
    lang: {**lines, **WRITTEN[lang]} for lang, lines in _LINES.items()
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


def notes_under_zh(notes) -> tuple[str, ...]:
    """A Chinese table's notes, the first after ``注：`` as Chinese papers set them.

    >>> notes_under_zh(["数据来源：尤溪县。", "P < 0.05。"])
    ('注：数据来源：尤溪县。', 'P < 0.05。')
    """
    said = tuple(notes)
    return (f"注：{said[0]}", *said[1:]) if said else ()


def in_words_of(lang: str, items) -> str:
    """``items`` as a sentence in ``lang`` lists them: ``a, b and c`` (``"zh"``:
    ``a、b 和 c``).

    >>> in_words_of("zh", ["alice", "bob", "carol"]), in_words_of("en", ["alice", "bob"])
    ('alice、bob 和 carol', 'alice and bob')
    """
    words = [str(item) for item in items]
    if len(words) < 2:
        return "".join(words)
    return said(lang, "names and", names=said(lang, "list").join(words[:-1]), last=words[-1])


#: The kinds of line the screening's rules and their exclusion reasons are said in, read
#: back by :func:`said_again` (a project keeps them as written, in English).
#: The open-ended date windows first: "published up to …" would read as a window from "up".
RULES = ("rule titles", "rule up to", "rule from", "rule dates", "rule length",
         "reason before", "reason after", "reason length")  # fmt: skip


def said_again(lang: str, text: str, kinds=RULES) -> str:
    """``text``, a line said in English as one of ``kinds`` says it, said in ``lang``;
    as it is when no kind says it so (a reviewer's own reason, 政策解读).

    >>> said_again("zh", "published after 2021-12-31"), said_again("zh", "政策解读")
    ('发布于 2021-12-31 之后', '政策解读')
    >>> said_again("zh", "published up to 2021-12-31 at the full-text stage")
    '全文复筛阶段发布于 2021-12-31 及以前'
    >>> said_again("zh", "published 2016-01-01 to 2021-12-31 at the full-text stage")
    '全文复筛阶段发布于 2016-01-01 至 2021-12-31'
    """
    for kind in kinds:
        parts = re.split(r"{(\w+)[^}]*}", STATUS["en"][kind])
        pattern = "".join(f"(?P<{p}>.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
        m = re.fullmatch(pattern, text)
        if m:
            return said(lang, kind, **m.groupdict())
    return text
