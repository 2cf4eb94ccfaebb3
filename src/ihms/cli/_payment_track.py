"""``ihms payment track``: the budget year so far (预算执行进度), month by month, with a
projection to year end (a command of the ``payment`` group; :mod:`ihms.payment.tracking`)."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json, writes_every_row
from ihms.cli._payment_options import JsonOpt, LangOpt, RulesOpt, SpendingDate
from ihms.cli._payment_out import (
    OutOpt,
    check_lang,
    check_out,
    in_lang,
    say_written,
    write_payment_tables,
)
from ihms.errors import InputError


class Projection(StrEnum):
    """``--projection``: the choices of :data:`ihms.payment.tracking.PROJECTIONS`."""

    profile = "profile"
    linear = "linear"


#: Library messages that start with their parameter's name, as the command names it.
_OPTIONS = ("through:", "county:", "projection:")


@writes_every_row("--out FILE")
def track(
    year: Annotated[int, typer.Option("--year", help="The budget year tracked.")],
    through: Annotated[
        str,
        typer.Option(
            "--through",
            metavar="YYYY-MM",
            help="The last month tracked, in the budget year (2018-06; also 2018年6月, 2018/6, "
            "2018.06, 201806 or a date on the 1st): spending paid by its end counts.",
        ),
    ],
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Data store (ihms data import; ihms sim run --out DIR writes DIR/ihms.duckdb) "
            "holding the claims paid so far.",
        ),
    ] = None,
    spending: Annotated[
        Path | None,
        typer.Option(
            "--spending",
            help="Instead of --store: a monthly spending table (month YYYY-MM, setting, "
            "institution_id, insurance_paid_fen or _yuan), with --population; e.g. "
            "monthly_spending.csv in examples/payment, with --year 2018 --through 2018-06.",
        ),
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option("--population", help="With --spending: the population table (the budget)."),
    ] = None,
    rules: RulesOpt = "sanming",
    county: Annotated[
        list[str] | None,
        typer.Option(
            "--county",
            help="A county to track (repeat for several, with the consortium's total; "
            "default: the store's one county with residents); with --spending, the name "
            "the tables give the county's rows.",
        ),
    ] = None,
    date: Annotated[
        SpendingDate,
        typer.Option(
            "--date",
            help="With --store: the month spending counts in: the encounter's (default; a "
            "claim settled after --through is named as late, and counted in the projection "
            "with late claims) or the month the encounter's last claim was settled "
            "(claims.settled_date; the encounter counts whole then, as settle --date "
            "settled counts it).",
        ),
    ] = SpendingDate.encounter,
    projection: Annotated[
        Projection,
        typer.Option(
            "--projection",
            help="profile: from the previous full years' monthly shares of spending where "
            "the store holds one, else time-proportional; linear: time-proportional.",
        ),
    ] = Projection.profile,
    profile_years: Annotated[
        int,
        typer.Option(
            "--profile-years", min=1, help="At most this many previous full years in the profile."
        ),
    ] = 3,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """The global budget against the spending paid so far, by month: used, elapsed,
    pace, the projection to 31 December and the projected balance (预算执行进度)."""
    from ihms.cli._notes import notes_on_stderr
    from ihms.cli._payment_tables import _open_store
    from ihms.payment import load_rules, tracking_from_store

    check_lang(lang)
    check_out(out)
    with notes_on_stderr():
        r = load_rules(rules)
    try:
        if store is not None:
            if spending is not None or population is not None:
                raise InputError(
                    "give --store, or --spending with --population, not both: the store "
                    "holds the spending and the population"
                )
            with _open_store(store) as db, notes_on_stderr():
                result = tracking_from_store(
                    db, r, year=year, through=through, counties=county, date=date.value,
                    projection=projection.value, profile_years=profile_years,
                )  # fmt: skip
        else:
            given = (spending, population)
            result = _from_files(r, given, year, through, county, date, projection, profile_years)
    except InputError as exc:
        text = str(exc)
        if text.startswith(_OPTIONS) and type(exc) is InputError:
            raise InputError(f"--{text}") from None
        raise
    tables = [("tracking", result.summary()), ("months", result.months_summary())]
    if out is not None:
        files = write_payment_tables(out, tables, lang)
    if json:
        print_json({"rules": r.name, **result.to_dict()})
    else:
        # the notes once, under the month tracked
        console.print(in_lang(replace(result.months_summary(), notes=()), lang))
        console.print(in_lang(result.summary(), lang))
    if out is not None:
        say_written(files, json, lang)


def _from_files(rules, files, year, through, county, date, projection, profile_years):
    """The tracking from a monthly spending table and a population table."""
    from ihms.cli._notes import notes_on_stderr
    from ihms.payment import MonthlySpendingTable, PopulationTable, tracking_from_tables
    from ihms.payment.monthly_spending import WHOLE_COUNTY

    spending, population = files
    if spending is None or population is None:
        lacking = "--spending" if spending is None else "--population"
        raise InputError(
            f"give --store, or --spending (a monthly spending table) with --population: "
            f"{lacking} is missing"
        )
    if date != SpendingDate.encounter:
        raise InputError(
            "--date settled: a monthly spending table gives what was paid in each month "
            "already; --date applies to --store"
        )
    if county and len(county) > 1:
        raise InputError(
            "--county: a monthly spending table is one county's; give --county once, or "
            "use --store for several"
        )
    with notes_on_stderr():
        monthly = MonthlySpendingTable.read(spending)
        pop = PopulationTable.read(population)
    return tracking_from_tables(
        rules, monthly, pop, year=year, through=through,
        county=county[0] if county else WHOLE_COUNTY,
        projection=projection.value, profile_years=profile_years,
    )  # fmt: skip
