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

__all__ = ["STEPS_ON_YOUR_COUNTY", "next_sections"]

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


def next_sections(ctx: DemoContext) -> list[Section]:
    """The closing section: the commands that run each analysis on one's own county."""
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
