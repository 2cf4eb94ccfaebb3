"""Demo step: "Use it on your county" — the commands that repeat the report's analyses on
a county's own files, in the order an analyst runs them.

It computes nothing. Each row names a command, what it reads and what it gives; the
commands are checked against the command line's own options by the tests, so a renamed
option cannot leave the report pointing at nothing.
"""

from __future__ import annotations

import pandas as pd

from ihms.demo._run import DemoContext
from ihms.report import Section
from ihms.summary import SummaryTable

__all__ = ["STEPS_ON_YOUR_COUNTY", "STEPS_ON_YOUR_COUNTY_ZH", "next_sections"]

# (what, command, reads, gives): a county's own names in CAPITALS
STEPS_ON_YOUR_COUNTY: tuple[tuple[str, str, str, str], ...] = (
    (
        "1. Describe the county",
        "ihms system check COUNTY.yaml",
        "a copy of examples/youxi.yaml with your grids, institutions and consortia",
        "the file's problems, each with its line; coverage and referral pathway notes",
    ),
    (
        "2. Check the exports",
        "ihms data check EXPORT/ --system COUNTY.yaml",
        "CSV, Excel or Parquet exports of encounters, claims, residents, follow-ups "
        "(ihms data schema lists the columns)",
        "every problem at once, by file, row and column; nothing written",
    ),
    (
        "3. Import them",
        "ihms data import EXPORT/ --system COUNTY.yaml --store COUNTY.duckdb",
        "the checked exports; resident ids are pseudonymised with your key",
        "one DuckDB store for the steps below",
    ),
    (
        "4. Indicators",
        "ihms indicators compute --store COUNTY.duckdb --level county --period year "
        "--out indicators.xlsx",
        "the store",
        "the indicators of the tables above, with numerators and denominators",
    ),
    (
        "5. Before and after a reform",
        "ihms its fit MONTHLY.csv --outcome VISITS --time month --interruption 2017-10 "
        "--seasonal --lags auto",
        "a monthly series (the indicators of step 4 by month, or your own)",
        "the itsa table: level and slope changes with Newey-West errors",
    ),
    (
        "6. Settle the global budget",
        "ihms payment settle --store COUNTY.duckdb --year 2018",
        "the store; your rules, from: ihms payment rules sanming > rules.yaml",
        "the budget, the balance, its uses and the staff pools",
    ),
    (
        "7. Try a reform first",
        "ihms sim compare --config COUNTY_sim.yaml --residents 50000",
        "a copy of examples/youxi_sim.yaml naming COUNTY.yaml",
        "the regimes side by side on a simulated county like yours",
    ),
    (
        "8. Code policy documents",
        "ihms policy init STUDY.sqlite --codebook 6d",
        "then policy import FOLDER/, policy segment, the coders' sheets, policy agreement",
        "the content tables, kappa and alpha, and the machine coder's proposals",
    ),
)


#: The commands of :data:`STEPS_ON_YOUR_COUNTY` that take ``--lang`` (their tables in
#: Chinese), by their first words.
TAKES_LANG = (
    "ihms system check",
    "ihms indicators compute",
    "ihms its fit",
    "ihms payment settle",
    "ihms sim compare",
)

#: (what, reads, gives) of each of :data:`STEPS_ON_YOUR_COUNTY`, in Chinese; the commands
#: are those rows', with ``--lang zh`` where they take it (:data:`TAKES_LANG`).
_ROWS_ZH: tuple[tuple[str, str, str], ...] = (
    (
        "1. 描述本县",
        "examples/youxi.yaml 的副本，改为本县的网格、医疗机构和医共体",
        "文件中的问题（各注明所在行）；覆盖范围和转诊路径说明",
    ),
    (
        "2. 检查导出数据",
        "就诊、结算、居民和随访数据的 CSV、Excel 或 Parquet 导出文件（所需各列见 ihms data schema）",
        "一次列出全部问题，按文件、行和列注明；不写入任何内容",
    ),
    (
        "3. 导入数据",
        "检查过的导出文件；居民编号用您的密钥做假名化处理",
        "一个 DuckDB 数据库，供以下各步使用",
    ),
    ("4. 计算指标", "该数据库", "上文各表中的指标，附分子和分母"),
    (
        "5. 改革前后对比",
        "月度序列（第 4 步的指标按月计算，或您自己的数据）",
        "与 Stata itsa 格式相同的结果表：水平变化和斜率变化，采用 Newey-West 标准误",
    ),
    (
        "6. 总额预算清算",
        "该数据库；您的规则，可由 ihms payment rules sanming > rules.yaml 生成",
        "总额预算、结余及其用途，以及医务人员薪酬激励资金",
    ),
    (
        "7. 先模拟改革",
        "examples/youxi_sim.yaml 的副本，其中指定 COUNTY.yaml",
        "在一个与本县相似的模拟县上并列比较各种支付方式",
    ),
    (
        "8. 政策文件编码",
        "之后依次运行 policy import FOLDER/ 和 policy segment，填写编码员编码表，再运行 "
        "policy agreement",
        "内容分析各表、κ 和 α 系数，以及机器编码员提出的编码",
    ),
)


def _with_lang(command: str) -> str:
    """``command`` with ``--lang zh`` when it takes it (:data:`TAKES_LANG`)."""
    return f"{command} --lang zh" if command.startswith(TAKES_LANG) else command


#: :data:`STEPS_ON_YOUR_COUNTY` in Chinese: (what, command, reads, gives), the commands
#: as typed, ``--lang zh`` added where the command takes it.
STEPS_ON_YOUR_COUNTY_ZH: tuple[tuple[str, str, str, str], ...] = tuple(
    (what, _with_lang(row[1]), reads, gives)
    for row, (what, reads, gives) in zip(STEPS_ON_YOUR_COUNTY, _ROWS_ZH, strict=True)
)


def next_sections(ctx: DemoContext) -> list[Section]:
    """The closing section: the commands that run each analysis on one's own county."""
    if ctx.zh:
        return [_next_zh()]
    section = Section("next", "Use it on your county")
    section.text(
        "Every section above can be repeated on a county's own files. The commands below "
        "are in the order an analyst runs them; names in capitals are yours. Each command "
        "has --help, and most have --json for scripts and --out for Excel, Stata or SPSS."
    )
    frame = pd.DataFrame(
        [row[1:] for row in STEPS_ON_YOUR_COUNTY],
        index=pd.Index([row[0] for row in STEPS_ON_YOUR_COUNTY], name="step"),
        columns=["command", "reads", "gives"],
    )
    section.table(
        "next_commands", frame, title="Commands that repeat this report on your own county"
    )
    return [section]


def _next_zh() -> Section:
    """The closing section in Chinese (:data:`STEPS_ON_YOUR_COUNTY_ZH`)."""
    section = Section("next", "在本县应用")
    section.text(
        "上文各节都可以用一个县自己的文件重做一遍。下表各命令按分析人员运行的先后排列，"
        "大写的名称换成您自己的。每个命令都有 `--help`；多数命令有供脚本使用的 `--json`，"
        "以及输出 Excel、Stata 或 SPSS 文件的 `--out`；能以中文输出表格的命令已加上 `--lang zh`。"
    )
    rows = STEPS_ON_YOUR_COUNTY_ZH
    frame = pd.DataFrame(
        [row[1:] for row in rows],
        index=pd.Index([row[0] for row in rows], name="步骤"),
        columns=["命令", "输入", "输出"],
    )
    table = SummaryTable(frame, title="在本县重复本报告各项分析的命令", lang="zh")
    section.table("next_commands", table)
    return section
