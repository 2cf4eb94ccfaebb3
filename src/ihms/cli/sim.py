"""``ihms sim``: run the county simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ihms.cli._common import IhmsGroup, console, print_json

app = typer.Typer(
    cls=IhmsGroup, no_args_is_help=True, help="Simulate a county under a payment regime."
)

ConfigOpt = Annotated[Path, typer.Option("--config", help="YAML with the `simulation:` section.")]
RegimeOpt = Annotated[
    str | None,
    typer.Option(help="Regime from the reform on: fee-for-service, sanming or other-areas."),
]
ReformOpt = Annotated[str | None, typer.Option(help="Reform month, YYYY-MM.")]
SeedOpt = Annotated[int | None, typer.Option(help="Seed (default: the config's).")]
ResidentsOpt = Annotated[
    int | None, typer.Option(help="Scale the county to this first-year population.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]


def _progress(quiet: bool):
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} block-years"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet,
    )


@app.command()
def run(
    config: ConfigOpt = Path("examples/youxi_sim.yaml"),
    regime: RegimeOpt = None,
    reform: ReformOpt = None,
    seed: SeedOpt = None,
    residents: ResidentsOpt = None,
    out: Annotated[
        Path, typer.Option(help="Folder for the tables (Parquet, one folder per table).")
    ] = Path("out/sim"),
    json_: JsonOpt = False,
) -> None:
    """Simulate the county and write its data tables and a summary."""
    from ihms.sim import CountySimulation, ParquetSink, load_sim_config

    cfg = load_sim_config(config)
    sim = CountySimulation(cfg, regime=regime, reform=reform, seed=seed, residents=residents)
    sink = ParquetSink(out / "tables")
    with _progress(json_) as bar:
        task = bar.add_task("simulating", total=None)
        results = sim.run(
            sink=sink, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    table = results.summary()
    if json_:
        print_json(
            {
                "regime": results.regime,
                "reform": results.config.reform.date,
                "seed": results.config.seed,
                "residents": results.residents,
                "seconds": results.seconds,
                "tables": str(out / "tables"),
                "per_year": table.frame.to_dict(),
            }
        )
        return
    console.print(table)
    console.print(f"Tables written to [bold]{out / 'tables'}[/bold]")
