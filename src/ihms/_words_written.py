"""The fixed lines a command prints, in either language its ``--lang`` takes: where it
wrote its files (``Figure written to …``, 图已写入 …), the head of a note on stderr
(``note:``, 注：), a few more a command says as it runs or notes on stderr. Part of
:data:`ihms._words.STATUS`, said by :func:`ihms._words.said`, kept here so that every
command says them alike and none spells them inline (``tests/test_words.py``).
"""

from __future__ import annotations

__all__ = ["WRITTEN"]

#: The lines by language and kind (:data:`ihms._words.STATUS` takes them in).
WRITTEN: dict[str, dict[str, str]] = {
    "en": {
        "note": "note: ",
        "report written to": "Report written to",
        "demo done": "done",
        "written": "Written: {paths} ...",
        "written to": "Written to",
        "chart written to": "Chart written to",
        "counts written to": "Counts by year written to",
        "codings written to": "Codings written to",
        "prisma written": "PRISMA flow diagram written to",
        "record written": "Screening record written to",
        "conflicts written": "Conflicts written to",
        # ihms its fit, sim run: --plot / --figure
        "figure written to": "Figure written to",
        # ihms its fit --predict
        "predictions written to": "Predictions written to",
        # ihms its batch --out, growth --out, indicators compute --out, payment --out
        "table written to": "Table written to",
        "wrote the table": "Wrote the table to",
        "rows written to": "Wrote {rows:,} rows to",
        "tables written to": "Tables written to",
        # ihms sim run, sim seeds, sim tune
        "data written to": "Data written to",
        "store replaced": "It replaced what the store held before: {earlier}.",
        "spread written to": "Spread over seeds written to",
        "tuned written to": "Tuned values written to",
        "rules from": "Rules for {regime}: {name} v{version} (digest {digest}) from",
        # ihms sim tune, as it runs
        "tune run": "run {i}: sum of squares {ss:.4f}",
        # ihms indicators: what the values are measured in; growth: a value not named
        "units": "Values in: {parts}.",
        "units list": "; ",
        "value name": "value",
        # ihms its lags --cov glm
        "glm lags": "--cov glm: glm's coefficients are the OLS ones, so the residuals tested "
        "are those of --cov newey and ols too (Stata's estat bgodfrey and actest do not run "
        "after glm; after regress they give these numbers)",
        # ihms payment compare of the default rule sets, without a quality score
        "default rules": "compared {first} and {second} (the default); Deqing's shared "
        "savings ({scored}) are gated on each year's quality score: ",
        "default rules scored": "{head}--population gives each compared year's quality "
        "score, so add {how} to compare Deqing's too",
        "default rules unscored": "{head}add --quality-score YEAR=SCORE{missing} to compare "
        "Deqing's too (or --rules for the rule sets you want)",
        "default rules years": " (for {years})",
        # ihms payment settle over years: a note printed once, with the years it is on
        "years note": "{years}: {note}",
    },
    "zh": {
        "note": "注：",
        "report written to": "报告已写入",
        "demo done": "完成",
        "written": "已写入：{paths} 等",
        "written to": "已写入",
        "chart written to": "图已写入",
        "counts written to": "逐年计数已写入",
        "codings written to": "编码已写入",
        "prisma written": "PRISMA 流程图已写入",
        "record written": "筛选记录已写入",
        "conflicts written": "冲突清单已写入",
        "figure written to": "图已写入",
        "predictions written to": "预测值已写入",
        "table written to": "表格已写入",
        "wrote the table": "表格已写入",
        "rows written to": "已写入 {rows:,} 行至",
        "tables written to": "已写入",
        "data written to": "数据已写入",
        "store replaced": "已替换存储中原有的内容：{earlier}。",
        "spread written to": "种子间波动已写入",
        "tuned written to": "调参值已写入",
        "rules from": "{regime}的规则：{name} v{version}（校验值 {digest}），来自",
        "tune run": "第 {i} 次运行：残差平方和 {ss:.4f}",
        "units": "值的单位：{parts}。",
        "units list": "；",
        "value name": "指标值",
        "glm lags": "--cov glm：glm 的系数即 OLS 系数，故所检验的残差与 --cov newey 和 ols 相同"
        "（Stata 的 estat bgodfrey 与 actest 不能在 glm 之后运行；在 regress 之后得到相同结果）。",
        "default rules": "比较的是 {first} 与 {second}（默认）；德清医共体结余分成（{scored}）"
        "以各年度的质量评分为门槛：",
        "default rules scored": "{head}--population 已给出各比较年度的质量评分，加上 {how} "
        "即可一并比较德清",
        "default rules unscored": "{head}加上 --quality-score 年份=评分{missing}即可一并比较德清"
        "（或以 --rules 指定要比较的规则）",
        "default rules years": "（{years} 年）",
        "years note": "{years} 年：{note}",
    },
}
