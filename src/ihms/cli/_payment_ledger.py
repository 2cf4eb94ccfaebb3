"""``ihms payment ledger``: audit the settlement ledger (a command of the ``payment``
group); ``--out`` writes the tables it prints (:mod:`ihms.cli._payment_out`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json, writes_every_row
from ihms.cli._payment_options import JsonOpt, LangOpt
from ihms.cli._payment_out import (
    OutOpt,
    check_lang,
    check_out,
    in_lang,
    say_written,
    write_payment_tables,
)


@writes_every_row("--out FILE")
def ledger_cmd(
    ledger: Annotated[Path, typer.Option("--ledger", help="The ledger file.")],
    year: Annotated[int | None, typer.Option("--year", help="Audit one year.")] = None,
    institution: Annotated[
        str | None, typer.Option("--institution", help="Audit one institution.")
    ] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="Ledger scope.")] = None,
    postings: Annotated[bool, typer.Option("--postings", help="List every posting.")] = False,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Audit the ledger: batches, or one year's postings and net by account with the
    accounts failing the audit rule (exit code 1 when any fails)."""
    from ihms.errors import InputError
    from ihms.payment import Ledger

    if year is None and (institution is not None or postings):
        given = "--institution" if institution is not None else "--postings"
        raise InputError(
            f"{given} selects within one year's audit: give --year too (without --year the "
            "command lists the batches)"
        )
    check_lang(lang)
    check_out(out)
    with Ledger(ledger, read_only=True) as led:
        if year is None:
            batches = led.batches(scope=scope)
            _batches(ledger, batches, out, json, lang)
            return
        view = led.audit(year, institution=institution, scope=scope)
    tables = [("net", view.summary()), ("audit", view.checks_summary())]
    if postings:
        tables.append(("postings", view.postings_summary()))
    if out is not None:
        files = write_payment_tables(out, tables, lang)
    if json:
        print_json(
            {
                "year": year,
                "institution": institution,
                "passed": view.passed,
                # expected_fen is null for an account no active settlement books
                "failing": view.failing,
                "net": view.net,
                "postings": view.postings,
            }
        )
    else:
        for _, table in tables:
            console.print(in_lang(table, lang))
    if out is not None:
        say_written(files, json, lang)
    if not view.passed:
        raise typer.Exit(code=1)


def _batches(ledger: Path, batches, out: Path | None, json: bool, lang: str = "en") -> None:
    """The ledger's batches: printed (or ``--json``) and written to ``out``."""
    from ihms.payment.ledger_results import BATCHES_NOTE, batches_summary

    table = batches_summary(
        batches,
        title=f"Ledger {ledger}: batches",
        notes=(BATCHES_NOTE,),
    )
    if out is not None:
        files = write_payment_tables(out, [("batches", table)], lang)
    if json:
        print_json(batches)
    else:
        console.print(in_lang(table, lang))
    if out is not None:
        say_written(files, json, lang)
