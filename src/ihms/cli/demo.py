"""``ihms demo``."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ihms.cli._common import console, err_console, lang_option, print_path

LangOpt = lang_option("The report's prose, titles, tables and figures (the same numbers)")
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def demo(
    out: Annotated[Path, typer.Option(help="Folder for report.html, tables and figures.")] = Path(
        "out/demo"
    ),
    seed: Annotated[int, typer.Option(help="Seed for every random generator.")] = 20171001,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Simulation config the county is simulated from (as `ihms sim run "
            "--config`), e.g. a copy of examples/youxi_sim.yaml with another reform month "
            "\\[default: examples/youxi_sim.yaml].",
        ),
    ] = None,
    lang: LangOpt = "en",
) -> None:
    """Run the whole toolkit on the bundled examples and write one HTML report."""
    import ihms.demo
    from ihms._words import check_lang, said

    check_lang(lang)

    sim_config = None
    if config is not None:
        from ihms.sim.load import resolve_config_path

        sim_config = resolve_config_path(config)  # a missing file: exit 2 before any step

    with (
        _interruptible() as interrupted,
        Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar,
    ):
        task = bar.add_task("demo", total=None)

        def on_step(step, index, total):
            bar.update(task, description=step.shown(lang), completed=index, total=total)

        try:
            path = ihms.demo.run_demo(
                out,
                seed=seed,
                progress=on_step,
                sim_config=sim_config,
                lang=lang,
                told=lambda text: bar.console.print(text, markup=False, highlight=False),
            )
        except (KeyboardInterrupt, Exception) as exc:
            # DuckDB turns Ctrl-C during a query into RuntimeError('Query interrupted')
            if not (isinstance(exc, KeyboardInterrupt) or interrupted):
                raise
            bar.stop()
            err_console.print(
                "interrupted (Ctrl-C): the earlier report and work folder, if any, are as "
                "they were",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
            raise typer.Exit(INTERRUPTED_EXIT) from None
        bar.update(task, description=said(lang, "demo done"), completed=bar.tasks[0].total)
    print_path(said(lang, "report written to"), path)


@contextmanager
def _interruptible() -> Iterator[list[bool]]:
    """A list that holds True once Ctrl-C was pressed in the block: the run may end by
    another exception then (DuckDB's 'Query interrupted'), which is the interruption.
    Ctrl-C still raises KeyboardInterrupt as by default. Outside the main thread (where
    no handler can be set) the list stays empty."""
    pressed: list[bool] = []

    def on_sigint(signum, frame):
        pressed.append(True)
        signal.default_int_handler(signum, frame)

    try:
        before = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread
        yield pressed
        return
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, before)
