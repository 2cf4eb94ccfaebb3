"""``ihms payment ledger``: audit the settlement ledger (a command of the ``payment``
group)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json
from ihms.cli._payment_options import JsonOpt


def ledger_cmd(
    ledger: Annotated[Path, typer.Option("--ledger", help="The ledger file.")],
    year: Annotated[int | None, typer.Option("--year", help="Audit one year.")] = None,
    institution: Annotated[
        str | None, typer.Option("--institution", help="Audit one institution.")
    ] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="Ledger scope.")] = None,
    postings: Annotated[bool, typer.Option("--postings", help="List every posting.")] = False,
    json: JsonOpt = False,
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
    with Ledger(ledger, read_only=True) as led:
        if year is None:
            batches = led.batches(scope=scope)
            if json:
                print_json(batches)
            else:
                from ihms.payment.ledger_results import batches_summary

                console.print(
                    batches_summary(
                        batches,
                        title=f"Ledger {ledger}: batches",
                        notes=("--json shows input digests and posting times.",),
                    )
                )
            return
        view = led.audit(year, institution=institution, scope=scope)
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
        console.print(view.summary())
        console.print(view.checks_summary())
        if postings:
            console.print(view.postings_summary())
    if not view.passed:
        raise typer.Exit(code=1)
