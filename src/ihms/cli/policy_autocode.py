"""``ihms policy autocode``: machine-assisted coding of a policy coding project.

A session::

    ihms policy autocode rules study.sqlite --dimension tools --out rule-codes.xlsx
    ihms policy autocode evaluate study.sqlite --dimension tools
    ihms policy autocode suggest study.sqlite --dimension tools --n 20 --out next.xlsx
    ihms policy autocode train study.sqlite --dimension tools --out models/tools
    ihms policy autocode apply study.sqlite models/tools --review-sheet review.xlsx
    ihms policy autocode review study.sqlite --sheet review.xlsx --by lead
    ihms policy autocode table evaluate sentences.jsonl --label label   # no project

Every command is a thin wrapper over :mod:`ihms.policy.autocode`; ``--json`` prints
what a script needs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._autocode_opts import (
    BootstrapOpt,
    DictionaryOpt,
    DimensionOpt,
    DropOpt,
    MinOpt,
    NestedOpt,
    RepeatsOpt,
    SchemeOpt,
    SeedOpt,
    TwinsOpt,
    check_out,
)
from ihms.cli._common import IhmsGroup, console, print_json, print_path, writes_every_row
from ihms.cli._stats_options import OVERWRITE_OPTION, REPLACE_OPTION, as_options
from ihms.cli.policy import JsonOpt, ProjectArg, _open, _write_frame
from ihms.cli.policy_autocode_review import provenance, review, rules
from ihms.errors import InputError

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Machine-assisted coding: keyword rules, learned coders, grouped evaluation against "
    "the human coders, active learning, machine codes for a person to accept or reject.",
)


def _coder(
    project, dimension: str, min_per_category: int, seed: int, dictionary=None, codes=None,
    drop_uncoded: bool = False,
):  # fmt: skip
    from ihms.policy.autocode import default_coder

    dim = project.codebook().dimension(dimension)
    return default_coder(
        dim, dictionary=dictionary or (), codes=codes, min_per_category=min_per_category,
        random_state=seed, drop_uncoded=drop_uncoded,
    )  # fmt: skip


@app.command()
def train(
    project: ProjectArg,
    dimension: DimensionOpt,
    out: Annotated[
        Path, typer.Option(help="Model folder to write (model.joblib + manifest.json).")
    ],
    scheme: SchemeOpt = "paragraph",
    min_per_category: MinOpt = 5,
    seed: SeedOpt = 0,
    dictionary: DictionaryOpt = None,
    drop_uncoded: DropOpt = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing model folder.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Train a machine coder on a dimension's reconciled codes and save it."""
    from ihms.policy.autocode import train_on_project

    with _open(project) as p:
        with console.status("training"):
            trained = train_on_project(
                p, dimension, scheme=scheme,
                coder=_coder(p, dimension, min_per_category, seed, dictionary,
                             drop_uncoded=drop_uncoded),
            )  # fmt: skip
        with as_options(OVERWRITE_OPTION):  # the library's advice is Python's
            folder = trained.save(out, overwrite=overwrite)
    manifest = trained.manifest()
    copies = getattr(trained.estimator, "document_copies_", [])
    if json:
        print_json({**manifest, "folder": str(folder), "document_copies": copies})
        return
    console.print(
        f"Model [bold]{trained.model_id}[/bold] ({trained.coder_name}) for {trained.dimension}: "
        f"{trained.training_size:,} segments with final codes from {trained.n_documents:,} documents, "
        f"codebook {trained.codebook_version}; saved to {folder}"
    )
    if manifest["training_accepted_machine"]:
        console.print(
            f"Of the {trained.training_size:,} segments, {manifest['training_by_people']:,} were "
            f"coded by people and {manifest['training_accepted_machine']:,} are machine answers "
            "a person accepted (report both; `show` repeats them)."
        )
    if manifest["uncoded_categories"]:
        console.print(
            f"Left out (nobody has coded them; never proposed): "
            f"{', '.join(manifest['uncoded_categories'])}."
        )
    for note in (manifest["calibration_note"], manifest["cut_note"]):
        if note:
            console.print(f"Note: {note}.")
    for group in copies:
        console.print(
            f"Note: documents {', '.join(group)} are near-identical copies; their codes "
            "count once per copy, and calibration kept them in one fold."
        )


@app.command()
@writes_every_row("--out FILE")
def evaluate(
    project: ProjectArg,
    dimension: DimensionOpt,
    folds: Annotated[
        int,
        typer.Option(
            min=2, help="Cross-validation folds (by document): at least 2, at most the documents."
        ),
    ] = 5,
    scheme: SchemeOpt = "paragraph",
    min_per_category: MinOpt = 5,
    seed: SeedOpt = 0,
    dictionary: DictionaryOpt = None,
    drop_uncoded: DropOpt = False,
    curve: Annotated[
        Path | None,
        typer.Option(
            help="Also simulate active vs random selection up to the full training size "
            "(3 folds; kappa pooled over their held-out segments, band: single folds); "
            "write the figure (.png, .svg or .pdf)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Also write the table (.xlsx or .csv) with the codebook's names and notes "
            "(coders, folds, seed); a workbook also gets a 'predictions' sheet (each "
            "held-out segment's fold, reconciled and machine code)."
        ),
    ] = None,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Also show, per --min-probability cut, how much the machine codes and its "
            "kappa there (multi-label: whole answers).",
        ),
    ] = False,
    target_kappa: Annotated[
        float | None,
        typer.Option(help="With --coverage: the kappa to reach (default: human vs human)."),
    ] = None,
    twins_together: TwinsOpt = False,
    nested: NestedOpt = True,
    bootstrap: BootstrapOpt = 2000,
    repeats: RepeatsOpt = 1,
    json: JsonOpt = False,
) -> None:
    """Cross-validate by document: machine vs reconciled kappa beside human vs human,
    with intervals from a bootstrap over documents."""
    from ihms.cli._autocode_evaluation import add_coverage, write_evaluation
    from ihms.policy.autocode import evaluate_on_project, project_codes, simulate_active_learning

    check_out(out)  # both outputs before the cross-validation, which takes a while
    if curve is not None:
        _check_figure(curve, "--curve")
    with _open(project) as p:
        coder = _coder(p, dimension, min_per_category, seed, dictionary, drop_uncoded=drop_uncoded)
        with console.status("cross-validating by document"):
            ev = evaluate_on_project(
                p, dimension, coder=coder, scheme=scheme, n_splits=folds, random_state=seed,
                probabilities=coverage, twins_together=twins_together, n_boot=bootstrap,
                nested=coverage and nested, target_kappa=target_kappa, repeats=repeats,
            )  # fmt: skip
        sim = None
        if curve is not None:
            data = project_codes(p, dimension, scheme=scheme, accepted_machine=False)
            step = max(10, data.n_coded // 8)
            with console.status("simulating active vs random selection"):
                # to each fold's full training size (the smallest fold's), 3 folds
                sim = simulate_active_learning(
                    _coder(p, dimension, min_per_category, seed, dictionary, data.codes, drop_uncoded),
                    data.segments,
                    data.codes, initial=step, batch_size=step, rounds=None, n_splits=folds,
                    folds_used=min(3, folds), random_state=seed,
                )  # fmt: skip
            _save_figure(sim.figure(human_kappa=ev.human_kappa), curve)
    if out is not None:
        write_evaluation(ev, out)
    cov = ev.evaluation.coverage() if coverage else None
    if target_kappa is None and not math.isnan(ev.human_kappa):
        target_kappa = ev.human_kappa
    if json:
        payload = ev.to_dict()
        if sim is not None:
            payload["learning_curve"] = sim.curve()
        if cov is not None:
            add_coverage(payload, cov, target_kappa)
        print_json(payload)
        return
    console.print(ev.summary())
    if cov is not None:
        console.print(cov.summary(kappa=target_kappa, nested=ev.nested))
    if sim is not None:
        console.print(sim.summary())
        print_path("Learning curve written to", curve)


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _check_figure(path: Path, option: str) -> None:
    """Refuse a figure's name (not .png/.svg/.pdf, no such folder) before the work."""
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(f"option {option!r}: {path}: expected a .png, .svg or .pdf file name")
    if not path.parent.is_dir():
        raise InputError(
            f"option {option!r}: {path}: the folder {str(path.parent)!r} does not exist"
        )


def _save_figure(fig, path: Path) -> None:
    """Write ``fig`` whole or not at all (format by suffix) and close it."""
    import matplotlib.pyplot as plt

    from ihms._atomic import staged

    try:
        with staged(path) as (tmp,):
            fig.savefig(tmp, format=path.suffix.lower().lstrip("."), dpi=150)
    finally:
        plt.close(fig)


@app.command()
def suggest(
    project: ProjectArg,
    dimension: DimensionOpt,
    n: Annotated[int, typer.Option("--n", help="How many segments to suggest.")] = 20,
    scheme: SchemeOpt = "paragraph",
    min_per_category: MinOpt = 5,
    seed: SeedOpt = 0,
    dictionary: DictionaryOpt = None,
    drop_uncoded: DropOpt = False,
    out: Annotated[Path | None, typer.Option(help="Write the suggestions (.xlsx or .csv).")] = None,
    json: JsonOpt = False,
) -> None:
    """The segments to hand-code next: uncertain for the model, unlike each other."""
    from ihms.policy.autocode import project_codes
    from ihms.policy.autocode import suggest as suggest_segments

    check_out(out)
    with _open(project) as p:
        data = project_codes(p, dimension, scheme=scheme)
        with console.status("training and ranking"):
            result = suggest_segments(
                _coder(p, dimension, min_per_category, seed, dictionary, data.codes, drop_uncoded),
                data.segments,
                data.codes, n=n, random_state=seed,
            )  # fmt: skip
    frame = result.segments.drop(columns=["row"])
    if out is not None:
        _write_frame(frame, out)
    if json:
        print_json({"n_coded": result.n_coded, "n_uncoded": result.n_uncoded, "segments": frame})
        return
    console.print(result.summary())


@app.command()
def apply(
    project: ProjectArg,
    model: Annotated[Path, typer.Argument(help="Model folder written by `train`.")],
    scheme: SchemeOpt = "paragraph",
    only_uncoded: Annotated[
        bool, typer.Option("--only-uncoded", help="Code only segments no person has coded.")
    ] = False,
    min_probability: Annotated[
        float | None,
        typer.Option(
            help="Leave answers less likely than this to a person (choose it with "
            "`evaluate --coverage`)."
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite this model's earlier codes.")
    ] = False,
    review_sheet: Annotated[
        Path | None,
        typer.Option(help="Write the proposed codes with an empty 'status' column to fill in."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Code the project's segments as coder machine:<model id>, with provenance."""
    from ihms.policy.autocode import apply_to_project, codebook_version_of, load_coder
    from ihms.policy.autocode.review import review_sheet as review_sheet_of

    check_out(review_sheet, "--review-sheet")  # before any code is stored
    with _open(project) as p:
        trained = load_coder(model, codebook_version=codebook_version_of(p.codebook()))
        # the library's advice is Python's (a clash with this model's earlier codes)
        with console.status("coding"), as_options(REPLACE_OPTION):
            result = apply_to_project(
                p, trained, scheme=scheme, only_uncoded=only_uncoded,
                min_probability=min_probability, replace=replace,
            )  # fmt: skip
        if review_sheet is not None:
            _write_frame(review_sheet_of(p, result, scheme=scheme), review_sheet)
    if json:
        print_json(result.to_dict())
        return
    console.print(result.summary())
    if review_sheet is not None:
        print_path("Review sheet written to", review_sheet)


@app.command()
def show(
    model: Annotated[Path, typer.Argument(help="Model folder (`train` or `table train` --out).")],
    json: JsonOpt = False,
) -> None:
    """A saved machine coder's provenance: codebook, dimension, training data, settings."""
    from ihms.policy.autocode import load_coder

    trained = load_coder(model, codebook_version=None)
    if json:
        print_json({**trained.manifest(), "folder": str(model)})
        return
    console.print(trained.summary())


# registered here so that --help lists them after show
for _command in (provenance, review, rules):
    app.command()(_command)
