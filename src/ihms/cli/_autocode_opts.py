"""Options and checks the ``ihms policy autocode`` commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "BootstrapOpt",
    "DictionaryOpt",
    "DimensionOpt",
    "DropOpt",
    "MinOpt",
    "NestedOpt",
    "RepeatsOpt",
    "SchemeOpt",
    "SeedOpt",
    "TwinsOpt",
    "check_out",
]

DimensionOpt = Annotated[str, typer.Option("--dimension", "-d", help="Codebook dimension.")]
SchemeOpt = Annotated[str, typer.Option(help="Segments: paragraph or clause.")]
MinOpt = Annotated[
    int,
    typer.Option(
        min=1,
        help="Fewest reconciled codes every category needs; a dimension with a rarer "
        "category is refused, naming it (lower this to learn from fewer).",
    ),
]
SeedOpt = Annotated[int, typer.Option(help="Seed for folds, solvers and the bootstrap.")]
BootstrapOpt = Annotated[
    int,
    typer.Option(
        min=0,
        help="Resamples of the documents (cluster bootstrap) for the 95% intervals of "
        "kappa and F1; 0 for none.",
    ),
]
TwinsOpt = Annotated[
    bool,
    typer.Option(
        "--twins-together",
        help="Keep documents sharing a paragraph (but for place names and numbers) in one fold.",
    ),
]
NestedOpt = Annotated[
    bool,
    typer.Option(
        help="With --coverage: also choose the cut inside each fold, on its training "
        "documents alone, and score it on the held-out ones (the honest figure; about "
        "twice the time).",
    ),
]
RepeatsOpt = Annotated[
    int,
    typer.Option(
        min=1,
        help="Cross-validate this many times and report kappa's mean, SD and range: "
        "the first run is the one shown (folds and solver seeded --seed), run r seeds "
        "both with --seed + r (each repeat costs one evaluation).",
    ),
]
DropOpt = Annotated[
    bool,
    typer.Option(
        "--drop-uncoded",
        help="Leave the codebook's categories nobody has coded out of the model (never "
        "proposed; the manifest lists them) instead of refusing to train.",
    ),
]
DictionaryOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--user-dict",
        help="A user dictionary for jieba (term \\[frequency] \\[tag] per line), kept whole "
        "beside ihms's policy terms and the codebook's Chinese names and keywords. "
        "Repeatable.",
    ),
]


def check_out(path: Path | None, option: str = "--out") -> None:
    """Refuse an output table's name (not .xlsx/.csv, no such folder) before the work."""
    from ihms.cli._common import check_table_path

    if path is not None:
        check_table_path(path, option=f"option {option!r}")
