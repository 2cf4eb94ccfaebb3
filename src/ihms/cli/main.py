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
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """ihms command line."""


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
