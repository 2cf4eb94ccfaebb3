"""``ihms policy autocode provenance|review|rules``: what machine coders gave, a person's
review of it, and keyword rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._autocode_opts import BootstrapOpt, DimensionOpt, SchemeOpt, SeedOpt, check_out
from ihms.cli._common import console, print_json, print_path
from ihms.cli.policy import JsonOpt, ProjectArg, _open, _write_frame
from ihms.errors import InputError

__all__ = ["provenance", "review", "rules"]


def provenance(
    project: ProjectArg,
    coder: Annotated[
        str | None, typer.Option(help="One machine coder (default: all of them).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write every answer with its provenance (.xlsx/.csv).")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """The project's machine coders (model id, training size and date, codebook version,
    reviews) and, with --out, every answer's categories, probabilities and review."""
    from ihms.policy.autocode.provenance import machine_answers, machine_coders

    check_out(out)
    with _open(project) as p:
        coders = machine_coders(p)
        answers = machine_answers(p, coder=coder)
    if coder is not None:
        coders = coders[coders["coder"] == coder]
    if out is not None:
        _write_frame(answers, out)
    if json:
        print_json({"coders": coders, "answers": len(answers)})
        return
    console.print(coders.to_string(index=False) if len(coders) else "No machine coders.")
    if out is not None:
        print_path("Answers with their provenance written to", out)


def review(
    project: ProjectArg,
    by: Annotated[str, typer.Option("--by", help="Who reviewed.")],
    sheet: Annotated[
        Path | None, typer.Option(help="A review sheet from `apply` with 'status' filled in.")
    ] = None,
    coder: Annotated[str | None, typer.Option(help="Machine coder (with --accept-all).")] = None,
    dimension: Annotated[str | None, typer.Option(help="Dimension (with --accept-all).")] = None,
    accept_all: Annotated[
        bool,
        typer.Option(
            "--accept-all",
            help="Accept every answer of --coder in --dimension that nobody has reviewed yet.",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Record a person's acceptance or rejection of machine codes."""
    from collections import Counter

    from ihms.cli._common import note
    from ihms.policy.autocode.review import read_review_sheet, review_from_sheet
    from ihms.policy.coding import codings, review_codings

    if (sheet is None) == (not accept_all):
        raise InputError("give either --sheet or --accept-all (with --coder and --dimension)")
    read: list[str] = []  # notes: a title or blank rows above the header, reviews kept
    with _open(project) as p:
        if sheet is not None:
            statuses = {
                who: dict(sorted(Counter(items.values()).items()))
                for who, items in read_review_sheet(p, sheet).items()
            }
            counts = review_from_sheet(p, sheet, reviewed_by=by, notes=read)
        else:
            if not coder or not dimension:
                raise InputError("--accept-all needs --coder and --dimension")
            dim = p.codebook().dimension(dimension).key
            given = codings(p, coders=[coder], dimensions=[dim])
            if given.empty:
                raise InputError(f"coder {coder!r} has no codings in {dim!r}")
            # a person's earlier acceptance or rejection stands
            seen = set(given.loc[given["review_status"].notna(), "segment_id"])
            items = {(s, dim): "accepted" for s in given["segment_id"].unique() if s not in seen}
            counts = {coder: review_codings(p, coder=coder, reviews=items, reviewed_by=by)}
            statuses = {coder: {"accepted": len(items)}}
            if seen:
                read.append(
                    f"{len(seen):,} answers of {coder} reviewed earlier were left as they were"
                )
    for text in read:
        note(text)
    if json:
        print_json({"reviewed": counts, "statuses": statuses, "by": by})
        return
    for who, n in counts.items():
        split = ", ".join(f"{k:,} {status}" for status, k in statuses.get(who, {}).items())
        console.print(f"{n:,} answers of {who} reviewed by {by} ({split}).")
    if not counts:
        console.print("No status filled in; nothing recorded.")


def rules(
    project: ProjectArg,
    dimension: DimensionOpt,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="Rules (YAML/JSON: category → any/all/none, exclude); "
            "default: the codebook's keywords.",
        ),
    ] = None,
    scheme: SchemeOpt = "paragraph",
    apply: Annotated[
        bool, typer.Option("--apply", help="Store the codes as coder machine:rules-<digest>.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write every code with its rule (.xlsx/.csv).")
    ] = None,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate",
            help="Also measure the rules against the reconciled codes: kappa and "
            "per-category precision, recall and F1 beside the human coders' kappa, as "
            "`evaluate` prints them.",
        ),
    ] = False,
    evaluation_out: Annotated[
        Path | None,
        typer.Option(
            help="With --evaluate: write that table (.xlsx or .csv), as `evaluate --out`."
        ),
    ] = None,
    seed: SeedOpt = 0,
    bootstrap: BootstrapOpt = 2000,
    json: JsonOpt = False,
) -> None:
    """Code a dimension with keyword rules (AND / OR / NOT, exclusions), naming the rule
    behind every code; with --evaluate, measure them against the coders."""
    from ihms.policy.autocode import (
        KeywordCoder,
        apply_rules_to_project,
        project_codes,
        rules_for_dimension,
        rules_from_codebook,
    )
    from ihms.policy.autocode._rule_conflicts import conflict_note, rule_conflicts

    check_out(out)  # before --apply stores anything
    check_out(evaluation_out, "--evaluation-out")
    with _open(project) as p:
        data = project_codes(p, dimension, scheme=scheme)
        if rules_file is None:
            rule_set = rules_from_codebook(p.codebook(), dimension)
        else:
            rule_set = rules_for_dimension(
                _read_rules(rules_file), data.dimension, source=str(rules_file)
            )
        coding = KeywordCoder(rule_set).fit().code(data.segments)
        measured = None
        if evaluate or evaluation_out is not None:
            from ihms.policy.autocode.rules_evaluation import evaluate_rules_on_project

            measured = evaluate_rules_on_project(
                p, rule_set, dimension, scheme=scheme, n_boot=bootstrap, random_state=seed
            )
        applied = apply_rules_to_project(p, rule_set, dimension, scheme=scheme) if apply else None
    codes = coding.codes.drop(columns=["row"])
    conflicts = () if data.dimension.multi else rule_conflicts(codes, rule_set.categories)
    if not data.dimension.multi:
        codes["conflict"] = codes["segment"].isin({c["segment"] for c in conflicts})
    if out is not None:
        _write_frame(codes, out)
    if measured is not None and evaluation_out is not None:
        from ihms.cli._autocode_evaluation import write_evaluation

        write_evaluation(measured, evaluation_out)
    if json:
        payload = {"rules": rule_set.to_frame(), "codes": codes, "conflicts": list(conflicts)}
        if applied is not None:
            payload["applied"] = applied.to_dict()
        if measured is not None:
            payload["evaluation"] = measured.to_dict()
        print_json(payload)
        return
    console.print(coding.summary())
    if measured is not None:
        console.print(measured.summary())
    if conflicts and applied is None:
        console.print(f"Note: {conflict_note(conflicts)}")
    if applied is not None:
        console.print(applied.summary())


def _read_rules(path: Path):
    import json as jsonlib

    from ihms.errors import ConfigError

    if not path.is_file():
        raise InputError(f"rules file {str(path)!r} does not exist")
    from ihms._decode import read_text
    from ihms.policy._yaml import load_yaml

    text = read_text(path, name=f"rules file {path}")
    if path.suffix.lower() == ".json":
        try:
            return jsonlib.loads(text)
        except ValueError as exc:
            raise ConfigError(f"{path}: not readable as JSON ({exc})") from None
    return load_yaml(text, str(path), name=path.name)
