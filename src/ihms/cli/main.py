"""The ``ihms`` Typer application. Each command group lives in its own module."""

from __future__ import annotations

import typer

from ihms.cli._common import IhmsGroup
from ihms.cli.data import app as data_app
from ihms.cli.demo import demo
from ihms.cli.evaluation import agreement, trend
from ihms.cli.growth import growth
from ihms.cli.indicators import app as indicators_app
from ihms.cli.its import app as its_app
from ihms.cli.its_batch import batch as its_batch
from ihms.cli.payment import app as payment_app
from ihms.cli.payment_supervision import supervision as _payment_supervision  # noqa: F401
from ihms.cli.policy import app as policy_app
from ihms.cli.policy_autocode import app as policy_autocode_app
from ihms.cli.policy_autocode_table import app as policy_autocode_table_app
from ihms.cli.policy_qdpx import app as policy_qdpx_app
from ihms.cli.policy_screen import screen as policy_screen
from ihms.cli.policy_screen import screening as policy_screening
from ihms.cli.sim import app as sim_app
from ihms.cli.sim_sensitivity import sensitivity as sim_sensitivity
from ihms.cli.system import app as system_app

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    help="ihms: integrated health care — policy analysis, delivery-system data, payment, "
    "indicators, evaluation and a county simulator.",
)

app.command()(demo)
app.add_typer(its_app, name="its")
its_app.command("batch")(its_batch)
app.command()(trend)
app.command()(growth)
app.command()(agreement)
app.add_typer(payment_app, name="payment")
app.add_typer(system_app, name="system")
app.add_typer(data_app, name="data")
app.add_typer(indicators_app, name="indicators")
app.add_typer(policy_app, name="policy")
policy_app.command("screen")(policy_screen)
policy_app.command("screening")(policy_screening)
policy_app.add_typer(policy_autocode_app, name="autocode")
policy_autocode_app.add_typer(policy_autocode_table_app, name="table")
policy_app.add_typer(policy_qdpx_app, name="qdpx")
app.add_typer(sim_app, name="sim")
sim_app.command("sensitivity")(sim_sensitivity)


def _version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"ihms {version('ihms')}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
    max_rows: int | None = typer.Option(
        None,
        "--max-rows",
        min=0,
        metavar="N",
        help="The most rows of a table printed whole, on the terminal or redirected to a "
        "file or pipe (default 60, or the IHMS_MAX_ROWS environment variable; 0: every "
        "row); a longer one shows its first and last 20 (N/2 under a smaller N) and a "
        "note. --out files and --json hold every row.",
    ),
) -> None:
    """ihms command line."""
    from ihms import _table_rows
    from ihms.cli._notes import warnings_as_notes

    # the library's warnings as notes in every command, not a line of typer's source
    warnings_as_notes(ctx)

    # a bad IHMS_MAX_ROWS is refused before the command does its work, not at its table
    _table_rows.use_option(max_rows if max_rows is not None else _table_rows.max_rows())


def _terminate(signum, frame) -> None:
    """SIGTERM (``kill``, a job scheduler's time limit) ends the command as Ctrl-C does:
    by an exception, so every writer's clean-up runs and no temporary folder or
    half-written file is left behind."""
    raise SystemExit(128 + signum)


def main() -> None:
    """The ``ihms`` console script: the Typer app, with SIGTERM turned into an exit."""
    import signal

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
