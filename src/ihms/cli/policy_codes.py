"""``ihms policy codes import|export``: a coder's answers in and out of a project as
spreadsheets (one row per segment, one column per dimension)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ihms._listing import first_of
from ihms.cli._common import IhmsGroup, console, print_json, print_path
from ihms.cli.policy_analysis import JsonOpt, ProjectArg

codes_app = typer.Typer(
    cls=IhmsGroup, no_args_is_help=True, help="Import and export codings spreadsheets."
)


@codes_app.command("import")
def codes_import(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="Codings sheet (XLSX: every sheet; or CSV).")],
    coder: Annotated[
        str | None,
        typer.Option(
            help="Coder of the sheet's answers (a 'coder' column naming someone else is an "
            "error). Without it the sheet's 'coder' column says who coded each row."
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="The sheet is the coder's whole answer for its segments and columns: "
            "overwrite earlier answers and remove those whose cell is now empty in a row "
            "that codes something (a wholly blank row removes nothing).",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Import codings (one row per segment, one column per dimension). An empty cell is
    not coded: in a row that codes something, with --replace it removes an answer stored
    there earlier, without it that answer stays (and is named); a wholly blank row is a
    segment not coded in this sheet; - (or 无, none) means coded, nothing applies."""
    from ihms.policy.coding import import_codings
    from ihms.policy.project import Project

    with Project(project) as p:
        result = import_codings(p, file, coder=coder, replace=replace)
    if json:
        print_json(result.__dict__)
        return
    n, gone = len(result.removed), first_of(f"{s}/{d}" for s, d, _ in result.removed)
    removed = f"{n} answer{'' if n == 1 else 's'} removed{f' ({gone})' if n else ''}, "
    console.print(
        f"Imported {result.rows} answers of {', '.join(result.coders)}: {result.added} codings written, "
        f"{result.replaced} answers replaced, {removed if replace else ''}{result.unchanged} unchanged."
    )
    if result.kept_empty:
        n, cells = len(result.kept_empty), first_of(f"{s}/{d}" for s, d, _ in result.kept_empty)
        console.print(
            f"{n} answer{' stored earlier has' if n == 1 else 's stored earlier have'} an empty "
            f"cell in the sheet and {'was' if n == 1 else 'were'} kept: {escape(cells)}. Import "
            f"with --replace to remove {'it' if n == 1 else 'them'} (the sheet is then the "
            "coder's whole answer); where nothing applies, write - (or 无, none)."
        )
    for sheet in result.skipped_sheets:
        console.print(f"{escape(sheet)}: no segment or dimension columns; left out.")
    if result.left_empty:
        cells = first_of(f"{s}/{d} ({w})" for s, d, w in result.left_empty)
        console.print(
            f"{len(result.left_empty)} empty cell(s) in rows that code other dimensions are "
            f"not coded: {escape(cells)}. Where nothing applies, write - (or 无, none) and "
            "import again; an uncoded answer leaves the segment out of the agreement."
        )
    if result.agreements_withdrawn:
        console.print(
            f"{result.agreements_withdrawn} agreement(s) withdrawn: a coder in them changed "
            "the answer; run `ihms policy reconcile` to list them as disagreements."
        )
    if result.decisions_to_review:
        pairs = first_of(f"{s}/{d}" for s, d in result.decisions_to_review)
        console.print(
            f"[yellow]{len(result.decisions_to_review)} decision(s) were made on answers that "
            f"have now changed; they stand until you review them: {pairs}[/yellow]"
        )


@codes_app.command("export")
def codes_export(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="Output .xlsx (a sheet per coder) or .csv.")],
    coder: Annotated[
        list[str] | None, typer.Option(help="Coder(s) to export (default: all).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Category names: en, zh or key.")] = "en",
    scheme: Annotated[
        str | None,
        typer.Option(help="Only segments of this scheme (needed when the project has several)."),
    ] = None,
) -> None:
    """Export codings, or a blank coding template for a new coder."""
    from ihms.policy.coding_export import export_codings
    from ihms.policy.project import Project

    with Project(project) as p:
        # a new coder's blank template: the coder is registered when codings are imported
        path = export_codings(p, file, coders=coder, lang=lang, scheme=scheme)
    from ihms._words import said

    print_path(said(lang, "codings written to"), path)
