"""``ihms policy qdpx``: exchanging a coding project with NVivo, ATLAS.ti and MAXQDA.

A session::

    ihms policy qdpx export study.sqlite out/study.qdpx --no-codings --lang zh   # to code blind
    ihms policy qdpx import study.sqlite coded-in-nvivo.qdpx --coder alice
    ihms policy qdpx import copy.sqlite study.qdpx --user reconciled   # back as decisions
    ihms policy agreement study.sqlite --coders alice,bob

Both commands are thin wrappers over :mod:`ihms.policy.qdpx`; ``--json`` prints what a
script needs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import IhmsGroup, console, print_json
from ihms.cli._stats_options import REPLACE_OPTION, as_options
from ihms.cli.policy import JsonOpt, ProjectArg, _open
from ihms.cli.policy_analysis import LangOpt
from ihms.errors import InputError

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Exchange the coding project with NVivo, ATLAS.ti and MAXQDA as a REFI-QDA "
    "project file (.qdpx): export documents, codebook and codings; import a coder's "
    "codings made there.",
)

SchemeOpt = Annotated[
    str | None,
    typer.Option(help="Segments: paragraph or clause (needed only if the project has both)."),
]


@app.command("export")
def export(
    project: ProjectArg,
    out: Annotated[Path, typer.Argument(help="The .qdpx file to write.")],
    coder: Annotated[
        list[str] | None,
        typer.Option(help="Coder whose codings to include (repeatable; default: all)."),
    ] = None,
    no_codings: Annotated[
        bool,
        typer.Option("--no-codings", help="Documents and codebook only: a project to code blind."),
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            help="Code and variable names in zh or en (the other in descriptions) (error messages stay English)."
        ),
    ] = "en",
    scheme: SchemeOpt = None,
    metadata: Annotated[
        str,
        typer.Option(help="Document metadata as variables of: cases (NVivo), sources, or both."),
    ] = "cases",
    newline: Annotated[
        str, typer.Option(help="Line breaks in the text files: lf, or crlf (Windows).")
    ] = "lf",
    reconciled: Annotated[
        bool | None,
        typer.Option(
            "--reconciled/--no-reconciled",
            help="The reconciled coding (agreed and decided answers) as a user 'reconciled' "
            "(default: with every coder, once the project is reconciled).",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Write documents, codebook, coders and codings as a REFI-QDA project (.qdpx)."""
    from ihms.policy.qdpx import export_qdpx

    if no_codings and coder:
        raise InputError("--no-codings and --coder exclude each other")
    from ihms._words import said

    with _open(project) as p, console.status(said(lang, "writing qdpx")):
        result = export_qdpx(
            p, out, coders=[] if no_codings else coder, lang=lang, scheme=scheme,
            metadata=metadata, newline=newline, reconciled=False if no_codings else reconciled,
        )  # fmt: skip
    if json:
        print_json(dataclasses.asdict(result))
        return
    console.print(result.summary())


@app.command("import")
def import_(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="A .qdpx exported from NVivo, ATLAS.ti or MAXQDA.")],
    coder: Annotated[
        str | None,
        typer.Option(
            help="The ihms coder to file the codings under (not for an ihms export's user "
            "'reconciled', which comes back as the project's reconciliation; an ihms "
            "machine user's codings go to its machine coder, the default)."
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(help="The file's user whose codings to import (if several coded in it)."),
    ] = None,
    kind: Annotated[str, typer.Option(help="human or machine, for a new coder.")] = "human",
    scheme: SchemeOpt = None,
    min_overlap: Annotated[
        float,
        typer.Option(
            help="Share of a segment's characters a category's selections must cover for "
            "the segment to be coded with it (0: any overlap, 1: all of it)."
        ),
    ] = 0.5,
    uncoded: Annotated[
        str,
        typer.Option(
            help="A segment without a code of a dimension: missing (not coded), or none "
            "(coded, nothing applies) in the documents the user coded."
        ),
    ] = "missing",
    ignore_code: Annotated[
        list[str] | None,
        typer.Option(help="A code (name or 'parent > child') to leave out; repeatable."),
    ] = None,
    crlf: Annotated[
        str,
        typer.Option(help="A \\r\\n line break counts as: auto, one or two characters."),
    ] = "auto",
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite the coder's earlier answers.")
    ] = False,
    lang: LangOpt = "en",
    json: JsonOpt = False,
) -> None:
    """Import one coder's codings from a REFI-QDA project (.qdpx); a bad file changes nothing.

    The user 'reconciled' of an ihms export comes back as the project's reconciliation
    (its decisions), not as a coder.
    """
    from ihms._words import check_lang, said
    from ihms.cli.policy_codes import say_changed_answers
    from ihms.policy.qdpx import import_qdpx

    check_lang(lang)
    # the library's advice is Python's (replace=True), the command's its option
    with (
        _open(project) as p,
        console.status(said(lang, "reading qdpx")),
        as_options(REPLACE_OPTION),
    ):
        result = import_qdpx(
            p, file, coder=coder, user=user, kind=kind, scheme=scheme, min_overlap=min_overlap,
            uncoded=uncoded, ignore_codes=ignore_code or (), crlf=crlf, replace=replace,
        )  # fmt: skip
    if json:
        print_json(dataclasses.asdict(result))
        return
    console.print(result.summary(lang=lang))
    for source, start, end, guid in result.unplaced[:10]:
        console.print(
            said(lang, "selection unplaced", guid=guid, source=source, start=start, end=end,
                 overlap=min_overlap)
        )  # fmt: skip
    if len(result.unplaced) > 10:
        console.print(said(lang, "more unplaced", n=len(result.unplaced) - 10))
    say_changed_answers(result, lang, pairs=False)
