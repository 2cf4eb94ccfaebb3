"""``ihms policy agreement|reconcile``: comparing the coders and settling their
disagreements (registered on the ``ihms policy`` app in :mod:`ihms.cli.policy`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ihms.cli._common import check_table_path, console, print_json, writes_every_row
from ihms.cli.policy_analysis import JsonOpt, ProjectArg, SchemeOpt
from ihms.errors import InputError


@writes_every_row("--out FILE")
def agreement(
    project: ProjectArg,
    coders: Annotated[
        str | None, typer.Option(help="Comma-separated coders (default: all human).")
    ] = None,
    dimension: Annotated[
        list[str] | None,
        typer.Option(
            help="Dimension(s) (default: all coded; with a machine coder named, those "
            "every named coder coded)."
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(help="Names, headers and notes in en or zh (error messages stay English)."),
    ] = "en",
    out: Annotated[
        Path | None,
        typer.Option(help="Also write the table (.xlsx: with its title and notes; or .csv)."),
    ] = None,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap resamples for alpha's interval.")] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    alpha_min: Annotated[float, typer.Option(help="Minimum acceptable alpha.")] = 0.667,
    level: Annotated[
        str,
        typer.Option(
            help="A grouped open dimension (symbiotic environment) compared on its "
            "answers (answer) or on their groups alone (group)."
        ),
    ] = "answer",
    scheme: SchemeOpt = None,
    exclude_training: Annotated[
        bool,
        typer.Option(
            "--exclude-training",
            help="Leave out the segments a named machine coder was trained on (its "
            "agreement there is in-sample).",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Inter-coder agreement per dimension and category (kappa, alpha, AC1, PABAK)."""
    from ihms.policy.agreement import agreement_table, coder_agreement
    from ihms.policy.answer_views import require_answer_groups
    from ihms.policy.project import Project

    if out is not None:  # before the bootstrap, not after it
        check_table_path(out, option="option '--out'", create=True)
    with Project(project) as p:
        if level == "group":  # named as the option, before coder_agreement names it
            require_answer_groups(p.codebook(), dimension, name="option '--level'")
        report = coder_agreement(
            p,
            coders=[c.strip() for c in coders.split(",") if c.strip()] if coders else None,
            dimensions=dimension,
            n_boot=bootstrap, seed=seed, alpha_minimum=alpha_min, level=level, scheme=scheme,
            exclude_training=exclude_training,
        )  # fmt: skip
        table = agreement_table(report, p.codebook(), lang=lang)
    if out is not None:
        from ihms._atomic import make_folder
        from ihms._sheet_names import sheet_name
        from ihms.table_files import write_summary_table

        make_folder(out, where=f"option '--out': {out}")  # as ihms agreement --out
        write_summary_table(table, out, sheet=sheet_name(lang, "agreement"))
    if json:
        print_json(
            {
                "mean_kappa": report.mean_kappa,
                "coders": list(report.coders),
                "bootstrap": report.to_dict()["bootstrap"],
                "rows": report.table,
                "notes": list(table.notes),
            }
        )
        return
    console.print(table)


def reconcile(
    project: ProjectArg,
    coders: Annotated[str, typer.Option(help="Comma-separated coders to reconcile.")],
    out: Annotated[
        Path | None, typer.Option(help="Write the disagreements to decide (.xlsx/.csv).")
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option(help="A disagreement sheet with 'decision' filled in.")
    ] = None,
    by: Annotated[
        str | None, typer.Option(help="Who made the decisions (with --decisions).")
    ] = None,
    lang: Annotated[
        str,
        typer.Option(help="Names in en or zh in the exported sheet (error messages stay English)."),
    ] = "en",
    json: JsonOpt = False,
) -> None:
    """Record agreements, list disagreements, and record decisions on them."""
    from ihms.cli._common import note
    from ihms.policy.project import Project
    from ihms.policy.reconcile import check_sheet_path, export_disagreements, final_codings
    from ihms.policy.reconcile import reconcile as run

    if decisions is not None and not by:
        raise InputError("--decisions needs --by NAME (who decided)")
    if out is not None:  # before anything is written to the project
        try:
            check_sheet_path(out)
        except InputError as exc:
            raise InputError(f"option --out: {exc}") from None
    with Project(project) as p:
        # one transaction: a bad decisions sheet leaves the project as it was
        read: list[str] = []  # a title or blank rows left out above the sheet's header
        rec = run(p, coders=[c.strip() for c in coders.split(",") if c.strip()], decisions=decisions,
                  decided_by=by, notes=read)  # fmt: skip
        recorded = rec.decided
        if out is not None:
            export_disagreements(rec, out, p.codebook(), lang=lang)
        _, unresolved = final_codings(p)
    for text in read:
        note(text)
    if json:
        print_json({"agreed": rec.agreed, "recorded_agreements": rec.recorded, "decisions_recorded": recorded,
                    "disagreements": rec.disagreements, "incomplete": rec.incomplete,
                    "unresolved": len(unresolved),
                    "overridden": [list(pair) for pair in rec.overridden]})  # fmt: skip
        return
    from ihms._words import said

    console.print(rec.summary(lang=lang))
    if recorded:
        console.print(escape(said(lang, "decisions recorded", n=recorded, by=by)))
    if out is not None:  # the path bold and whole, as print_path prints it
        kind = "to decide written" if len(rec.disagreements) else "none to decide"
        path = f"[bold]{escape(str(out))}[/bold]"
        console.print(said(lang, kind, path=path), highlight=False, soft_wrap=True)
    console.print(said(lang, "still unresolved", n=len(unresolved)))
