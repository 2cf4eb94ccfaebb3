"""``ihms demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ihms.cli._common import console, print_path


def demo(
    out: Annotated[Path, typer.Option(help="Folder for report.html, tables and figures.")] = Path(
        "out/demo"
    ),
    seed: Annotated[int, typer.Option(help="Seed for every random generator.")] = 20171001,
) -> None:
    """Run the whole toolkit on the bundled examples and write one HTML report."""
    from ihms.demo import run_demo

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("demo", total=None)

        def on_step(step, index, total):
            bar.update(task, description=step.label, completed=index, total=total)

        path = run_demo(out, seed=seed, progress=on_step)
        bar.update(task, description="done", completed=bar.tasks[0].total)
    print_path("Report written to", path)
