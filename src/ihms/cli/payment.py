"""``ihms payment``: budgets, in-year tracking, settlement, distribution, scorecards,
comparison, ledger.

Every command reads the rules (``--rules``: a built-in name such as ``sanming`` or a
YAML file) and the tables it needs (spending, population, indicator values, staff), calls
:mod:`ihms.payment` and prints tables, or JSON with ``--json``.

With ``--store`` the spending and population tables are read from a data store and the
consortium's assessment rates are computed from it with the indicator catalogue. A table
given as a file as well takes precedence: ``--spending`` or ``--population`` replaces the
store's table, and a consortium value in ``--indicators`` replaces the computed rate for
that indicator and year (a note on stderr says which); staff rows are added. With
``--staff``, the roster's health education sessions and THC consultation days are counted
from the store's staff activities, under the file's values for a member.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ihms.cli._common import IhmsGroup, console
from ihms.cli._payment_compare import compare
from ihms.cli._payment_ledger import ledger_cmd
from ihms.cli._payment_scorecard import scorecard
from ihms.cli._payment_settle import budget, distribute, settle
from ihms.cli._payment_track import track
from ihms.cli.payment_supervision import supervision

__all__ = ["app"]

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Payment: global budgets, year-end settlement, balance distribution, annual-salary "
    "scorecards, shared savings and an auditable ledger.",
)


@app.command()
def rules(
    name: Annotated[
        str | None, typer.Argument(help="A built-in rule set to print as YAML.")
    ] = None,
) -> None:
    """List the built-in rule sets, or print one (a template for a county's own file)."""
    from ihms.payment import BUILTIN_RULES, builtin_rules_text, load_rules

    if name is not None:
        typer.echo(builtin_rules_text(name))
        return
    for n in BUILTIN_RULES:
        r = load_rules(n)
        console.print(f"[bold]{n}[/bold] ({r.kind}, v{r.version}): {r.title}", highlight=False)


# each subcommand group lives in its own module; registered here in the order --help lists
app.command()(budget)
app.command()(settle)
app.command()(distribute)
app.command()(scorecard)
app.command()(compare)
app.command("ledger")(ledger_cmd)
app.command()(supervision)
app.command()(track)
