"""``ihms policy codes import|export``: a coder's answers in and out of a project as
spreadsheets (one row per segment, one column per dimension)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ihms._listing import first_of
from ihms.cli._common import IhmsGroup, console, note, print_json, print_path
from ihms.cli._stats_options import REPLACE_OPTION, as_options
from ihms.cli.policy_analysis import JsonOpt, LangOpt, ProjectArg

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
    lang: LangOpt = "en",
    json: JsonOpt = False,
) -> None:
    """Import codings (one row per segment, one column per dimension). An empty cell is
    not coded: in a row that codes something, with --replace it removes an answer stored
    there earlier, without it that answer stays (and is named); a wholly blank row is a
    segment not coded in this sheet; - (or 无, none) means coded, nothing applies."""
    from ihms._words import check_lang, said
    from ihms.policy.coding import import_codings
    from ihms.policy.project import Project

    check_lang(lang)
    with Project(project) as p, as_options(REPLACE_OPTION):  # the library's advice is Python's
        result = import_codings(p, file, coder=coder, replace=replace)
    for text in result.notes:  # a title or blank rows left out above a sheet's header
        note(text)
    if json:
        print_json(result.__dict__)
        return
    n, gone = len(result.removed), first_of(f"{s}/{d}" for s, d, _ in result.removed)
    named = said(lang, "named", names=gone) if n else ""
    removed = said(lang, "answer removed" if n == 1 else "answers removed", n=n, named=named)
    console.print(
        said(lang, "imported", rows=result.rows, coders=said(lang, "list").join(result.coders),
             added=result.added, replaced=result.replaced, removed=removed if replace else "",
             unchanged=result.unchanged)
    )  # fmt: skip
    if result.kept_empty:
        n, cells = len(result.kept_empty), first_of(f"{s}/{d}" for s, d, _ in result.kept_empty)
        console.print(
            said(lang, "kept empty 1" if n == 1 else "kept empty", n=n, cells=escape(cells))
        )
    for sheet in result.skipped_sheets:
        console.print(said(lang, "sheet left out", sheet=escape(sheet)))
    if result.left_empty:
        cells = first_of(f"{s}/{d} ({w})" for s, d, w in result.left_empty)
        console.print(said(lang, "left empty", n=len(result.left_empty), cells=escape(cells)))
    say_changed_answers(result, lang, pairs=True)


def say_changed_answers(result, lang: str, *, pairs: bool) -> None:
    """The agreements an import withdrew and the decisions it left to review (``pairs``:
    named; ``qdpx import`` only counts them)."""
    from ihms._words import said

    command = "`ihms policy reconcile`"
    if result.agreements_withdrawn:
        kind = "agreements withdrawn" if pairs else "agreements withdrawn 1 coder"
        console.print(said(lang, kind, n=result.agreements_withdrawn, command=command))
    if result.decisions_to_review:
        n = len(result.decisions_to_review)
        if pairs:
            named = first_of(f"{s}/{d}" for s, d in result.decisions_to_review)
            line = said(lang, "decisions to review", n=n, pairs=named)
        else:
            line = said(lang, "decisions to review now", n=n)
        console.print(f"[yellow]{line}[/yellow]")


@codes_app.command("export")
def codes_export(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="Output .xlsx (a sheet per coder) or .csv.")],
    coder: Annotated[
        list[str] | None, typer.Option(help="Coder(s) to export (default: all).")
    ] = None,
    lang: Annotated[
        str, typer.Option(help="Category names: en, zh or key (error messages stay English).")
    ] = "en",
    scheme: Annotated[
        str | None,
        typer.Option(help="Only segments of this scheme (needed when the project has several)."),
    ] = None,
) -> None:
    """Export codings, or a blank coding template for a new coder. A machine coder's
    answers come with their provenance (probability or rule, review, model, training
    size and date) in read-only columns: the same file imports again unchanged."""
    from ihms.policy.coding_export import export_codings
    from ihms.policy.project import Project

    with Project(project) as p:
        # a new coder's blank template: the coder is registered when codings are imported
        path = export_codings(p, file, coders=coder, lang=lang, scheme=scheme)
    from ihms._words import said

    print_path(said(lang, "codings written to"), path)
