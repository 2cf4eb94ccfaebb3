"""``ihms policy screen``: remove duplicates and screen the corpus, by rules and by one or
more reviewers (registered on the ``ihms policy`` app in :mod:`ihms.cli.main`).

One researcher::

    ihms policy screen study.sqlite --to 2021-12-31 --decisions screening.csv

Two reviewers screening independently, then a third settling their conflicts::

    ihms policy screen study.sqlite --to 2021-12-31 \\
        --decisions alice.csv --decisions bob.xlsx --conflicts conflicts.xlsx
    # -> refuses: N conflicts, listed in conflicts.xlsx; carol fills in its last columns
    ihms policy screen study.sqlite --to 2021-12-31 \\
        --decisions alice.csv --decisions bob.xlsx \\
        --resolutions conflicts.xlsx --resolved-by carol --record screening-record.xlsx

Decisions screened in Rayyan, from its export (one file per stage; each file's reviewers
are its stage's reviewers)::

    ihms policy screen study.sqlite --rayyan title=articles.csv --settle include-if-any

Titles and full texts screened by different people, from sheets::

    ihms policy screen study.sqlite --decisions alice.csv --decisions bob.csv \
        --decisions carol.csv --decisions dan.csv \
        --stage-reviewers title=alice,bob --stage-reviewers fulltext=carol,dan

Later, from the project alone (``ihms policy screening``)::

    ihms policy screening study.sqlite --record screening-record.xlsx --conflicts settled.xlsx
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, lang_option, print_json, print_path
from ihms.cli.policy import JsonOpt, ProjectArg, _date, _open
from ihms.errors import InputError

__all__ = ["screen", "screening"]

RecordOpt = Annotated[
    Path | None,
    typer.Option(
        help="Write the screening record (every document, each reviewer's decisions, final "
        "status and reason) here, .xlsx or .csv, for a paper's supplement."
    ),
]
FigureOpt = Annotated[
    Path | None, typer.Option(help="Write the PRISMA 2020 flow diagram here (.png or .svg).")
]
LangOpt = lang_option(
    "The reviewers' agreement per stage, the methods statement and the PRISMA figure"
)


def screen(
    project: ProjectArg,
    decisions: Annotated[
        list[Path] | None,
        typer.Option(
            help="A reviewer's decisions sheet (id, stage, decision, reason; CSV or XLSX). "
            "Repeat for each reviewer who screened independently."
        ),
    ] = None,
    reviewer: Annotated[
        list[str] | None,
        typer.Option(
            help="The reviewers' names, one per --decisions in the same order (default: the "
            "sheet's reviewer column, else the file name when there are several sheets)."
        ),
    ] = None,
    rayyan: Annotated[
        list[str] | None,
        typer.Option(
            help="A Rayyan export (articles.csv, the reviewers' votes in its notes) and the "
            "stage they screened in it: STAGE=FILE, e.g. title=articles.csv. Repeat for the "
            "full-text export. The export's customizations_log.csv, beside it, is read for "
            "each reviewer's own exclusion reasons."
        ),
    ] = None,
    rayyan_id: Annotated[
        str | None,
        typer.Option(
            help="Match Rayyan's articles to the documents by this column, added to the "
            "export with the documents' ids, instead of by title (Rayyan's key column is "
            "its own id, rayyan-<number>)."
        ),
    ] = None,
    maybe: Annotated[
        str | None,
        typer.Option(
            help="What a Rayyan Maybe counts as: include or exclude (default: include at the "
            "title stage, refused at the full-text stage)."
        ),
    ] = None,
    rayyan_reason: Annotated[
        str | None,
        typer.Option(help="The reason recorded for a Rayyan exclusion the export gives none for."),
    ] = None,
    stage_reviewers: Annotated[
        list[str] | None,
        typer.Option(
            help="Who screened a stage: STAGE=NAME,NAME, e.g. title=alice,bob; repeat for "
            "fulltext. Only they count at that stage (agreement, conflicts, the methods "
            "statement). Default: a Rayyan export's reviewers at its stage; a --decisions "
            "sheet's reviewer at a stage no export covers, and at one it covers only if "
            "they recorded a decision there; with no export, everyone at both stages."
        ),
    ] = None,
    resolutions: Annotated[
        Path | None,
        typer.Option(
            help="A third reviewer's decisions on the conflicts (the conflicts sheet "
            "filled in: decision, reason, resolved_by)."
        ),
    ] = None,
    resolved_by: Annotated[
        str | None, typer.Option(help="Who resolved the conflicts (else the sheet's column).")
    ] = None,
    settle: Annotated[
        list[str] | None,
        typer.Option(
            help="Settle conflicts without a third reviewer: STAGE=RULE, e.g. "
            "title=include-if-any (a document any reviewer includes goes on; common at the "
            "title stage). A bare RULE applies to the title stage."
        ),
    ] = None,
    conflicts: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the conflicts for a third reviewer (.xlsx or .csv; default "
            "beside the project: <project>-screening-conflicts.xlsx)."
        ),
    ] = None,
    record: RecordOpt = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First eligible date (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last eligible date (YYYY-MM-DD).")
    ] = None,
    no_title_rules: Annotated[
        bool,
        typer.Option("--no-title-rules", help="Do not exclude interpretations and news by title."),
    ] = False,
    threshold: Annotated[
        float, typer.Option(help="Jaccard similarity for near-identical texts.")
    ] = 0.9,
    figure: FigureOpt = None,
    lang: LangOpt = "en",
    json: JsonOpt = False,
) -> None:
    """Remove duplicates and screen the corpus; print the PRISMA flow and, with several
    reviewers, their agreement per stage."""
    from ihms._atomic import NotPlaced
    from ihms._words import check_lang
    from ihms.policy._screening_stages import parse_stage_reviewers, rayyan_stage_reviewers
    from ihms.policy.corpus import ImportFailure
    from ihms.policy.dedupe import find_duplicates
    from ihms.policy.prisma import ScreeningCriteria, UnresolvedConflicts
    from ihms.policy.prisma import screen as run_screen
    from ihms.policy.screening_coded import coded_left_out
    from ihms.policy.screening_sheets import (
        read_resolutions,
        read_reviewer_decisions,
        write_conflicts,
    )

    check_lang(lang)  # before the work, as every other option
    rules = _settle_rules(settle or [])
    named = parse_stage_reviewers(stage_reviewers or [])
    if resolved_by is not None and resolutions is None:
        raise InputError(
            "option --resolved-by names who resolved the conflicts of --resolutions; give "
            "--resolutions too"
        )
    # every output path is checked before the work, so a bad one leaves the project unchanged
    conflicts_path = conflicts or project.with_name(f"{project.stem}-screening-conflicts.xlsx")
    _check_outputs(conflicts_path, record, figure=figure)
    with _open(project) as p:
        docs = p.load_documents()
        ids = [d.id for d in docs]
        failures = [
            ImportFailure(r[0], r[1] or "")
            for r in p.query("SELECT id, status_reason FROM documents WHERE status='not_retrieved'")
        ]
        criteria = ScreeningCriteria(
            date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"),
            **({"title_exclusions": ()} if no_title_rules else {}),
        )  # fmt: skip
        sheet_notes: list[str] = []  # title lines left out above a sheet's header
        said = read_reviewer_decisions(
            decisions or [], known_ids=ids, reviewers=reviewer, notes=sheet_notes
        )
        duplicates = find_duplicates(docs, threshold=threshold)
        imports = _read_rayyan(
            rayyan or [], docs, id_column=rayyan_id, maybe=maybe, missing_reason=rayyan_reason,
            duplicates=duplicates,
        )  # fmt: skip
        inferred: list[str] = []
        if named is None and imports:
            named, inferred = rayyan_stage_reviewers(said, imports)
        said += [d for i in imports for d in i.decisions]
        if rules and len({d.reviewer for d in said}) < 2:
            raise InputError(
                "option --settle settles conflicts between reviewers, but the decisions "
                f"name {len({d.reviewer for d in said})} reviewer(s): give each reviewer's "
                "sheet with --decisions"
            )
        settled = (
            read_resolutions(resolutions, known_ids=ids, resolved_by=resolved_by, notes=sheet_notes)
            if resolutions
            else []
        )
        try:
            result = run_screen(
                docs, duplicates=duplicates, failures=failures,
                criteria=criteria, decisions=said, resolutions=settled, settle=rules,
                stage_reviewers=named,
            )  # fmt: skip
        except UnresolvedConflicts as err:
            write_conflicts(err.conflicts, conflicts_path)
            raise InputError(
                f"{err}. The list is in {conflicts_path}; the project is unchanged."
            ) from None
        # what the imports did goes into the screening's notes, so the project keeps it
        # (`ihms policy screening` reports it later from the file alone)
        read = [note for i in imports for note in i.notes()] + inferred
        # coded documents this screening leaves out, named before the statuses change
        coded = coded_left_out(p, result.statuses)
        result = dataclasses.replace(result, notes=(*sheet_notes, *read, *result.notes, *coded))
        # the files are written beside their places first (one that cannot be written
        # leaves the project unchanged) and put in place once the project holds the
        # screening (a project that cannot be written leaves no figure or record of it)
        try:
            _store_and_place(p, result, figure, record, lang)
        except NotPlaced as exc:  # a file locked (or a folder made) since the check
            if exc.before:
                raise
            raise InputError(
                f"the screening is stored in {project}, but {exc}; write the files from "
                f"it with `ihms policy screening {project}` and --figure / --record"
            ) from None
    written = {"prisma written": figure, "record written": record}
    _report(result, json=json, more={"documents": result.to_frame(), "rayyan": read},
            written=written, lang=lang)  # fmt: skip


def _store_and_place(p, result, figure: Path | None, record: Path | None, lang: str) -> None:
    """Write the figure and the record beside their places, store the screening in the
    project ``p``, then put the files in place (:func:`ihms._atomic.staged`)."""
    from ihms._atomic import staged
    from ihms.policy.prisma import prisma_figure
    from ihms.policy.screening_sheets import write_screening_sheet
    from ihms.stats import save_figure

    with staged(figure, record) as (figure_tmp, record_tmp):
        option, target = "--figure", figure
        try:
            if figure_tmp is not None:
                save_figure(
                    prisma_figure(result, lang=lang), figure_tmp, option="option '--figure'"
                )
            option, target = "--record", record
            if record_tmp is not None:
                write_screening_sheet(result.record(), record_tmp, sheet="screening record")
        except OSError as exc:
            raise InputError(
                f"option {option}: cannot write {target}: {exc.strerror or exc}; the "
                "project is unchanged"
            ) from None
        p.set_screening(result)


def _settle_rules(values: list[str]) -> dict[str, str]:
    """``["title=include-if-any"]`` → ``{"title": "include-if-any"}``; a bare rule is the
    title stage's."""
    from ihms.policy.screening_reviewers import check_settle

    out: dict[str, str] = {}
    for value in values:
        stage, _, rule = value.rpartition("=")
        stage = stage.strip() or "title"
        if stage in out:
            raise InputError(f"option --settle: the {stage} stage is given twice ({values})")
        out[stage] = rule.strip()
    try:
        return check_settle(out)
    except InputError as exc:
        raise InputError(str(exc).replace("parameter 'settle'", "option --settle")) from None


def screening(
    project: ProjectArg,
    record: RecordOpt = None,
    conflicts: Annotated[
        Path | None,
        typer.Option(
            help="Write every conflict between the reviewers and how it was settled (by "
            "whom, to what) here, .xlsx or .csv."
        ),
    ] = None,
    figure: FigureOpt = None,
    lang: LangOpt = "en",
    json: JsonOpt = False,
) -> None:
    """The screening stored in the project, without the reviewers' sheets: the PRISMA
    flow, the agreement per stage recomputed from each reviewer's decisions, the
    conflicts and who settled them, and the methods statement (PRISMA 2020 item 8)."""
    from ihms._words import check_lang
    from ihms.policy.prisma import prisma_figure
    from ihms.policy.screening_sheets import write_screening_sheet
    from ihms.stats import save_figure

    check_lang(lang)
    _check_outputs(record, conflicts, figure=figure)
    with _open(project) as p:
        result = p.screening()
    settled = result.conflicts()
    for path, frame, sheet in (
        (record, result.record(), "screening record"),
        (conflicts, settled, "conflicts"),
    ):
        if path is not None:
            write_screening_sheet(frame, path, sheet=sheet)
    if figure is not None:
        save_figure(prisma_figure(result, lang=lang), figure, option="option '--figure'")
    written = {"record written": record, "conflicts written": conflicts, "prisma written": figure}
    _report(result, json=json, more={"conflicts": settled}, written=written, lang=lang)


def _read_rayyan(specs: list[str], docs, **options) -> list:
    """Each ``STAGE=FILE`` Rayyan export read; every problem of every file at once."""
    from ihms.errors import DataError
    from ihms.policy.screening_rayyan import read_rayyan

    if not specs:
        given = [
            f"--{k.replace('_', '-')}"
            for k, v in options.items()
            if v is not None and k != "duplicates"
        ]
        if given:
            names = {"--id-column": "--rayyan-id", "--missing-reason": "--rayyan-reason"}
            shown = ", ".join(names.get(g, g) for g in given)
            raise InputError(
                f"option(s) {shown} apply to a Rayyan export; give --rayyan STAGE=FILE"
            )
        return []
    if options["maybe"] not in (None, "include", "exclude"):
        raise InputError(f"option --maybe: expected include or exclude, got {options['maybe']!r}")
    out, problems = [], []
    for spec in specs:
        stage, sep, file = spec.partition("=")
        if not sep or not file.strip():
            raise InputError(
                f"option --rayyan: expected STAGE=FILE such as title=articles.csv, got {spec!r}"
            )
        try:
            out.append(read_rayyan(Path(file.strip()), docs, stage=stage.strip(), **options))
        except DataError as err:
            problems += err.problems
        except InputError as err:
            raise InputError(f"option --rayyan {spec}: {err}") from None
    if problems:
        raise DataError(f"Rayyan exports: {len(problems):,} problem(s)", problems)
    return out


def _check_outputs(*sheets: Path | None, figure: Path | None) -> None:
    """Refuse an output path that cannot be written before any work is done."""
    from ihms.policy.reconcile import check_sheet_path
    from ihms.stats import check_figure_path

    for path in sheets:
        if path is not None:
            check_sheet_path(path)
    if figure is not None:
        check_figure_path(figure, option="option '--figure'")


def _report(result, *, json: bool, more: dict, written: dict, lang: str = "en") -> None:
    """Print the PRISMA flow, the agreement per stage and the methods statement (or
    them and ``more`` as JSON, in English whatever ``lang``: the statement and the
    headers are what a script reads), then say which files were written."""
    if json:
        agreement = result.method.summary().to_frame().reset_index() if result.method.stages else []
        print_json(
            # the stage is the agreement table's index, which the JSON rows would drop
            {"flow": result.flow(), "method": result.method.statement(), "agreement": agreement}
            | more
            | {"notes": result.notes}
        )
        return
    _print_notes_below(result.summary(method=False, lang=lang))
    if result.method.stages:
        # its notes (the kappa-paradox caveats) are sentences of the statement below
        console.print(dataclasses.replace(result.method.summary(lang=lang), notes=()))
    console.print(result.method.statement(lang=lang), highlight=False, markup=False)
    from ihms._words import said

    for kind, path in written.items():
        if path is not None:
            print_path(said(lang, kind), path)


def _print_notes_below(table) -> None:
    """``table``, then its notes at the terminal's width: as the table's caption they
    wrapped to its width (about 43 characters a line for the PRISMA flow)."""
    console.print(dataclasses.replace(table, notes=()))
    for note in table.notes:
        console.print(note, highlight=False, markup=False)
