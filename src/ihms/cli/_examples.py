"""The "Examples" block under a command's ``--help`` (click's epilog), for the commands a
new user meets first: runnable lines on the bundled ``examples/`` files, from the folder
that holds them (the ihms checkout), each chain in the order a user runs it (``policy
init`` before ``policy import``; ``data generate`` before ``indicators compute``).

:class:`ihms.cli._common.IhmsGroup` gives each command its block as it looks the command
up, so the command modules stay as they are. ``tests/cli/test_help_examples.py`` parses
every line with the command's own parser (a renamed option fails there) and runs most of
them on a copy of ``examples/``.
"""

from __future__ import annotations

__all__ = ["EXAMPLES", "epilog"]

_P = "out/study.sqlite"
_E = "examples/policies"
_PAY = "examples/payment"
_SERIES = "examples/series"

#: command path (``"its fit"``) → example lines: ``ihms …`` commands (``\\`` continues a
#: line), each under a ``#`` comment saying what it does
EXAMPLES: dict[str, str] = {
    "demo": """\
# everything on the bundled examples: out/demo/report.html (1-3 minutes)
ihms demo
# its simulated county's store stays for other commands:
ihms indicators compute --level county --store out/demo-work/sim.duckdb""",
    "its fit": f"""\
# a monthly series, seasonally adjusted, Newey-West lag by Breusch-Godfrey
ihms its fit {_SERIES}/county_hospital_monthly.csv \\
    --outcome outpatient_emergency_visits --time month \\
    --interruption 2017-10 --seasonal --lags auto --plot visits.png
# another outcome as JSON; observed, fitted, counterfactual values to a file
ihms its fit {_SERIES}/county_hospital_monthly.csv \\
    --outcome hospitalizations --time month --interruption 2017-10 \\
    --lags 1 --predict fitted.csv --json""",
    "its lags": f"""\
# which Newey-West lag? Breusch-Godfrey tests of the adjusted series
ihms its lags {_SERIES}/county_hospital_monthly.csv \\
    --outcome outpatient_emergency_visits --time month \\
    --interruption 2017-10 --seasonal""",
    "its batch": f"""\
# two indicator columns of a wide table, the lags chosen per series
ihms its batch {_SERIES}/county_hospital_monthly.csv --time month \\
    --interruption 2017-10 --outcome outpatient_emergency_visits \\
    --outcome hospitalizations --seasonal --lags auto --adjust holm""",
    "trend": f"""\
# Cochran-Armitage test for trend in four groups' proportions
ihms trend --events 83,90,129,70 --totals 86,93,136,82
ihms trend --events 83,90,129,70 --totals 86,93,136,82 --lang zh
# the same from a table, one row per year
ihms trend {_SERIES}/smokers.csv --events-col smokers \\
    --totals-col patients --order-col year""",
    "growth": f"""\
# average annual growth 2016-2018 against a national 21.3 %
ihms growth --start-year 2016 --end-year 2018 --start 1.04 --end 1.63 \\
    --reference 21.3%
# every indicator of a long table, against its national rate
ihms growth {_SERIES}/deqing_thc_growth.csv \\
    --indicator-col indicator --reference-col national
# monthly: same month last year (同比) and previous month (环比)
ihms growth {_SERIES}/county_hospital_monthly.csv --by month \\
    --value-col hospitalizations --out growth.xlsx""",
    "agreement": f"""\
# two coders in a wide table (one column per coder), several codes a cell
ihms agreement {_E}/codings/codings_wide.csv --unit segment \\
    --dimension dimension --coders coder_a,coder_b --multi-label
# a long table (one row per segment and coder), as JSON
ihms agreement {_E}/codings/codings_long.csv --unit segment \\
    --coder coder --code code --dimension dimension \\
    --multi-label-dimension tools \\
    --multi-label-dimension stakeholders --json""",
    "system check": """\
ihms system check examples/youxi.yaml""",
    "system coverage": """\
ihms system coverage examples/youxi.yaml --year 2018""",
    "system show": """\
ihms system show examples/youxi.yaml
ihms system show examples/youxi.yaml --what referrals --year 2016 --json""",
    "data generate": """\
# made-up residents and records for the county's grids, in ihms.duckdb
ihms data generate --system examples/youxi.yaml --scale 0.05 --seed 1""",
    "data export": """\
# the store's tables as CSV files (pseudonymised or synthetic ids only)
ihms data export --out shared/ --format csv""",
    "data check": """\
# check a folder of tables (one file per table) without writing anything
ihms data check shared/ --system examples/youxi.yaml""",
    "data import": """\
# a folder of tables into a store; your county's own tables need a key:
#   export IHMS_PSEUDONYM_KEY=... (see the README), then
#   ihms data import my_export/ --system examples/youxi.yaml
# a folder `ihms data export` wrote: its ids kept, no key needed
ihms data import shared/ --store copy.duckdb""",
    "indicators list": """\
ihms indicators list
ihms --max-rows 10 indicators list""",
    "indicators show": """\
ihms indicators show hypertension_control_rate""",
    "indicators compute": """\
# each county by year, on the store in ihms.duckdb (ihms data generate)
ihms indicators compute --level county --period year
# each institution by month, small cells suppressed, into a workbook
ihms indicators compute --level institution --period month \\
    --min-cell 5 --out ind.xlsx""",
    "payment rules": """\
ihms payment rules
ihms payment rules sanming""",
    "payment budget": f"""\
ihms payment budget --population {_PAY}/population.csv --year 2018""",
    "payment settle": f"""\
# Sanming's year-end settlement of 2018, every step shown
ihms payment settle --spending {_PAY}/spending.csv \\
    --population {_PAY}/population.csv \\
    --indicators {_PAY}/indicators.csv \\
    --staff {_PAY}/staff.csv --year 2018 --steps
# two years, in Chinese, into a workbook
ihms payment settle --spending {_PAY}/spending.csv \\
    --population {_PAY}/population.csv \\
    --indicators {_PAY}/indicators.csv \\
    --year 2018 --year 2019 --lang zh --out settle.xlsx""",
    "payment scorecard": f"""\
ihms payment scorecard --indicators {_PAY}/indicators.csv \\
    --staff {_PAY}/staff.csv \\
    --spending {_PAY}/spending.csv \\
    --population {_PAY}/population.csv --year 2019""",
    "payment compare": f"""\
# Sanming against the other-areas ratchet, year by year
ihms payment compare --spending {_PAY}/spending.csv \\
    --population {_PAY}/population.csv \\
    --indicators {_PAY}/indicators.csv \\
    --year 2018 --year 2019""",
    "payment track": f"""\
# the budget's first half-year: spending against the pro-rata budget
ihms payment track --spending {_PAY}/monthly_spending.csv \\
    --population {_PAY}/population.csv \\
    --year 2018 --through 2018-06""",
    "policy init": f"""\
# a project on the six-dimension codebook (or symbiosis, or your YAML)
ihms policy init {_P} --codebook 6d""",
    "policy codebook": """\
# copy a built-in codebook to edit (an existing file needs --overwrite)
ihms policy codebook 6d --out my6d.yaml
ihms policy codebook 6d""",
    "policy import": f"""\
ihms policy import {_P} {_E}/corpus \\
    --metadata {_E}/metadata.xlsx""",
    "policy screen": f"""\
ihms policy screen {_P} --to 2021-12-31 \\
    --decisions {_E}/screening.csv""",
    "policy segment": f"""\
# paragraphs (--scheme clause: clauses, coded 00-29-6-2)
ihms policy segment {_P}""",
    "policy codes export": f"""\
# a coding sheet for a coder, in Chinese
ihms policy codes export {_P} template.xlsx \\
    --coder alice --lang zh""",
    "policy codes import": f"""\
ihms policy codes import {_P} \\
    {_E}/codings/coder_a.xlsx --coder coder_a
ihms policy codes import {_P} \\
    {_E}/codings/coder_b.xlsx --coder coder_b""",
    "policy agreement": f"""\
# kappa, alpha, AC1 and PABAK per dimension and category
ihms policy agreement {_P}
ihms policy agreement {_P} --lang zh --out out/agreement.xlsx""",
    "policy reconcile": f"""\
ihms policy reconcile {_P} --coders coder_a,coder_b \\
    --out out/disagreements.xlsx""",
    "policy tables": f"""\
# the content-analysis tables as printed: xlsx, csv, html, tex, docx
ihms policy tables {_P} --out out/tables""",
    "policy dataset": f"""\
# a row per segment for SPSS (.dta: Stata)
ihms policy dataset {_P} out/codes.sav""",
    "policy info": f"""\
ihms policy info {_P}""",
    "sim run": """\
# a scaled county under Sanming's payment, its store in out/sim/
ihms sim run --regime sanming --residents 50000 --out out/sim
ihms indicators compute --store out/sim/ihms.duckdb --level county""",
    "sim compare": """\
ihms sim compare --residents 60000 --figure out/regimes.png""",
    "sim calibrate": """\
# simulated against Zhong et al. 2023, Tables 3-5
ihms sim calibrate""",
}


def epilog(path: str) -> str | None:
    """The help's examples block of the command ``path`` (``"policy init"``), as rich
    markup text (brackets escaped), or None for a command without one."""
    from rich.markup import escape

    lines = EXAMPLES.get(path)
    if lines is None:
        return None
    body = "\n".join(f"  {line}" for line in lines.splitlines())
    return escape("Examples (from the folder holding examples/):\n" + body)
