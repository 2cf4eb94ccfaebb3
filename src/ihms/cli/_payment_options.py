"""The options the ``ihms payment`` commands share (one definition, one help text)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import lang_option
from ihms.cli._payment_tables import KeyFileOpt
from ihms.sources import ZHONG_2023

__all__ = [
    "AssumeOpt",
    "ColumnsOpt",
    "ConsortiumOpt",
    "CountyOpt",
    "DateOpt",
    "IndicatorsOpt",
    "JsonOpt",
    "KeyFileOpt",
    "LangOpt",
    "PopulationOpt",
    "QualityScoreOpt",
    "RulesOpt",
    "SpendingDate",
    "SpendingOpt",
    "StaffHeadcountOpt",
    "StaffOpt",
    "StoreOpt",
    "YearOpt",
]

RulesOpt = Annotated[
    str,
    typer.Option(
        "--rules",
        help="Built-in rules (sanming, other-areas, fee-for-service, "
        "deqing-shared-savings, mssp) or a YAML rule file.",
    ),
]
YearOpt = Annotated[int, typer.Option("--year", help="The year to settle.")]
StaffHeadcountOpt = Annotated[
    int | None,
    typer.Option(
        "--staff-headcount",
        min=1,
        help=f"How many staff the incentive pool is for ({ZHONG_2023}: all the consortium's "
        "medical staff); a --staff roster listing fewer is noted, with a head's share.",
    ),
]
SpendingOpt = Annotated[
    Path | None,
    typer.Option(
        "--spending",
        help="Spending table (.csv, .xlsx, .dta, .sav or .parquet; money in whole fen, insurance_paid_fen, or in "
        "yuan, insurance_paid_yuan); replaces the store's.",
    ),
]
PopulationOpt = Annotated[
    Path | None,
    typer.Option(
        "--population",
        help="Population table (.csv, .xlsx, .dta, .sav or .parquet); replaces the store's.",
    ),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Data store (ihms data import; ihms sim run --out DIR writes DIR/ihms.duckdb): "
        "spending, population and the consortium's yearly rates come from it.",
    ),
]
CountyOpt = Annotated[
    str | None,
    typer.Option("--county", help="With --store: the county (default: the one with residents)."),
]


class SpendingDate(StrEnum):
    """``--date``: the choices of :data:`ihms.payment.SPENDING_DATES`."""

    encounter = "encounter"
    settled = "settled"


DateOpt = Annotated[
    SpendingDate,
    typer.Option(
        "--date",
        help="With --store: the year spending counts in: the encounter's (default) or the "
        "day its last claim was settled (claims.settled_date), which leaves money settled "
        "after 31 December to the next year; a note says how much either puts where.",
    ),
]
ConsortiumOpt = Annotated[
    str | None,
    typer.Option(
        "--consortium",
        help="With --store: the consortium assessed (default: the county's one).",
    ),
]
IndicatorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--indicators",
        help="Indicator values (year, subject, indicator, value); with --store, a consortium "
        "value replaces the rate computed from the store.",
    ),
]
StaffOpt = Annotated[
    Path | None,
    typer.Option(
        "--staff",
        help="Staff roster for annual salaries (base_salary_fen, or base_salary_yuan in yuan).",
    ),
]
ColumnsOpt = Annotated[
    Path | None,
    typer.Option(
        "--columns",
        help="Column map: the tables' own column names read as the payment tables', per "
        "table (YAML 'spending: {机构: institution_id, 金额_元: insurance_paid_yuan}', or a "
        "CSV table,source,target; tables spending, population, indicators, staff); ~ leaves "
        "a column out; checked before the tables are read.",
    ),
]
AssumeOpt = Annotated[
    bool,
    typer.Option("--assume-passed", help="Treat the assessment as passed if no values are given."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
#: ``--lang`` of the commands whose tables an analyst hands on (budget, settle, distribute,
#: track, scorecard): the words of :mod:`ihms.payment._words_zh`; ``--json`` keeps its keys
LangOpt = lang_option("The tables' titles, headers, row labels and fixed notes (also in --out)")
QualityScoreOpt = Annotated[
    str | None,
    typer.Option(
        "--quality-score",
        help="Shared-savings rule sets: the settled year's quality score, 0 to 1 (0.92) or a "
        "percentage (92%), compared with the rules' quality standard; instead of a "
        "quality_score column in --population (a store holds none).",
    ),
]
