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
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Simulation config the county is simulated from (as `ihms sim run "
            "--config`), e.g. a copy of examples/youxi_sim.yaml with another reform month "
            "\\[default: examples/youxi_sim.yaml].",
        ),
    ] = None,
) -> None:
    """Run the whole toolkit on the bundled examples and write one HTML report."""
    import ihms.demo

    sim_config = None
    if config is not None:
        from ihms.sim.load import resolve_config_path

        sim_config = resolve_config_path(config)  # a missing file: exit 2 before any step

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

        path = ihms.demo.run_demo(out, seed=seed, progress=on_step, sim_config=sim_config)
        bar.update(task, description="done", completed=bar.tasks[0].total)
    print_path("Report written to", path)
