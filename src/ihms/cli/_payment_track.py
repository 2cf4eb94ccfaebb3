"""``ihms payment track``: the budget year so far (预算执行进度), month by month, with a
projection to year end (a command of the ``payment`` group; :mod:`ihms.payment.tracking`)."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json
from ihms.cli._payment_options import DateOpt, JsonOpt, RulesOpt, SpendingDate
from ihms.cli._payment_out import OutOpt, check_out, say_written, write_payment_tables
from ihms.errors import InputError


class Projection(StrEnum):
    """``--projection``: the choices of :data:`ihms.payment.tracking.PROJECTIONS`."""

    profile = "profile"
    linear = "linear"


#: Library messages that start with their parameter's name, as the command names it.
_OPTIONS = ("through:", "county:", "projection:")


def track(
    store: Annotated[
        Path,
        typer.Option(
            "--store",
            help="Data store (ihms data import; ihms sim run --out DIR writes DIR/ihms.duckdb) "
            "holding the claims paid so far.",
        ),
    ],
    year: Annotated[int, typer.Option("--year", help="The budget year tracked.")],
    through: Annotated[
        str,
        typer.Option(
            "--through",
            metavar="YYYY-MM",
            help="The last month tracked, in the budget year (2018-06): spending paid by its "
            "end counts.",
        ),
    ],
    rules: RulesOpt = "sanming",
    county: Annotated[
        list[str] | None,
        typer.Option(
            "--county",
            help="A county to track (repeat for several, with the consortium's total; "
            "default: the store's one county with residents).",
        ),
    ] = None,
    date: DateOpt = SpendingDate.encounter,
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
) -> None:
    """The global budget against the spending paid so far, by month: used, elapsed,
    pace, the projection to 31 December and the projected balance (预算执行进度)."""
    from ihms.cli._payment_tables import _open_store, notes_on_stderr
    from ihms.payment import load_rules, tracking_from_store

    check_out(out)
    with notes_on_stderr():
        r = load_rules(rules)
    try:
        with _open_store(store) as db, notes_on_stderr():
            result = tracking_from_store(
                db,
                r,
                year=year,
                through=through,
                counties=county,
                date=date.value,
                projection=projection.value,
                profile_years=profile_years,
            )
    except InputError as exc:
        text = str(exc)
        if text.startswith(_OPTIONS) and type(exc) is InputError:
            raise InputError(f"--{text}") from None
        raise
    tables = [("tracking", result.summary()), ("months", result.months_summary())]
    if out is not None:
        files = write_payment_tables(out, tables)
    if json:
        print_json({"rules": r.name, **result.to_dict()})
    else:
        # the notes once, under the month tracked
        console.print(replace(result.months_summary(), notes=()))
        console.print(result.summary())
    if out is not None:
        say_written(files, json)
