"""``ihms payment supervision``: the staff scorecards' indicators so far in a year, as
the online supervision system shows them (a command of the ``payment`` group); ``--out``
writes the tables it prints, their figures as numbers (:mod:`ihms.cli._payment_out`)."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json, writes_every_row
from ihms.cli._notes import notes_on_stderr
from ihms.cli._payment_options import ColumnsOpt, IndicatorsOpt, JsonOpt, LangOpt, RulesOpt
from ihms.cli._payment_out import (
    OutOpt,
    check_lang,
    check_out,
    in_lang,
    say_written,
    write_payment_tables,
)
from ihms.cli._payment_store_staff import _store_key, no_activities_noted
from ihms.cli._payment_tables import KeyFileOpt, _open_store, column_map
from ihms.cli._stats_options import as_options
from ihms.errors import InputError

#: The library's words for the file the counts may come from, and the option a
#: command-line user gives it with.
_FILE_OPTION = (("in an indicator values file", "in an indicator values file (--indicators)"),)


@writes_every_row("--out FILE")
def supervision(
    store: Annotated[
        Path, typer.Option("--store", help="Data store holding the staff activities.")
    ],
    staff: Annotated[
        Path, typer.Option("--staff", help="Staff roster (.csv, .xlsx, .dta, .sav or .parquet).")
    ],
    year: Annotated[int, typer.Option("--year", help="The year supervised.")],
    month: Annotated[
        int | None,
        typer.Option(
            "--month",
            min=1,
            max=12,
            help="Up to the end of this month (default: the year, or the store's last day in it).",
        ),
    ] = None,
    indicators: IndicatorsOpt = None,
    key_file: KeyFileOpt = None,
    columns: ColumnsOpt = None,
    rules: RulesOpt = "sanming",
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Each staff member's scorecard indicators to date against the year's targets, and
    the card's total to date and at this pace against its pass mark."""
    from ihms.payment import (
        STAFF_ACTIVITY_INDICATORS,
        IndicatorValues,
        StaffRoster,
        load_rules,
        staff_values_from_store,
        supervision,
    )

    check_lang(lang)
    check_out(out)
    mapped = column_map(columns)  # a bad map: no table read
    with notes_on_stderr():  # a former indicator id in the rule or value file: a note
        r = load_rules(rules)
        roster = StaffRoster.read(staff, columns=mapped)
        given = None if indicators is None else IndicatorValues.read(indicators, columns=mapped)
    with _open_store(store) as db:
        end = db.period.end
        last = (
            date(year, month, calendar.monthrange(year, month)[1]) if month else date(year, 12, 31)
        )
        through = min(last, end) if end.year == year else last
        if given is not None and no_activities_noted(db, given, STAFF_ACTIVITY_INDICATORS):
            counted = IndicatorValues({}, source=given.source)
        else:
            with as_options(_FILE_OPTION):
                counted = staff_values_from_store(
                    db, year, roster=roster, pseudonymiser=_store_key(db, key_file), through=through
                )
    values = {k: dict(v) for k, v in counted.values.items()}
    if given is not None:
        for k, v in given.values.items():
            values.setdefault(k, {}).update(v)
    view = supervision(
        r, roster, IndicatorValues(values, source=counted.source), year, through=through
    )
    if not view.lines:
        raise InputError(f"--staff {staff}: no member has a role with a scorecard in {r.name!r}")
    tables = [("indicators", view.summary()), ("totals", view.cards_summary())]
    if out is not None:
        # the tables hold the figures as printed (and as --json gives them), as Decimals
        files = write_payment_tables(out, tables, lang)
    if json:
        print_json(view.to_dict())
    else:
        for _, table in tables:
            console.print(in_lang(table, lang))
    if out is not None:
        say_written(files, json, lang)
