"""``ihms policy autocode table``: the learned coder on a plain table of segments.

For sentences coded outside a coding project (a spreadsheet, a JSON lines file), one
row per segment with its document, text and label::

    ihms policy autocode table evaluate sentences.jsonl --label label --coverage \\
        --target-kappa 0.7 --repeats 5    # the cut chosen inside each fold; 5 runs
    ihms policy autocode table train sentences.jsonl --label label --out models/types
    ihms policy autocode table apply new.jsonl --model models/types --out coded.csv
    ihms policy autocode table apply held_out.jsonl --model models/types --out coded.csv \\
        --label label        # also: kappa against the labels the file carries

Registered as ``table`` on the ``ihms policy autocode`` app in :mod:`ihms.cli.main`.
"""

from __future__ import annotations

import hashlib
import math
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._autocode_opts import (
    BootstrapOpt,
    DictionaryOpt,
    NestedOpt,
    RepeatsOpt,
    SeedOpt,
    TwinsOpt,
)
from ihms.cli._common import IhmsGroup, console, err_console, print_json, print_path
from ihms.cli._stats_options import OVERWRITE_OPTION, as_options
from ihms.cli.policy import JsonOpt
from ihms.errors import InputError

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="The learned coder on a table of segments (doc, text, label) instead of a project.",
)

FileArg = Annotated[
    Path, typer.Argument(help="Segments: .csv, .xlsx, .jsonl or .parquet, one row each.")
]
TextOpt = Annotated[str, typer.Option(help="Column with each segment's text.")]
DocOpt = Annotated[
    str | None,
    typer.Option(help="Column naming each segment's document \\[default: doc, if there is one]."),
]
IdOpt = Annotated[
    str | None,
    typer.Option(
        "--id",
        help="Column with each row's own id, which must name every row once "
        "\\[default: id, if there is one].",
    ),
]
MinOpt = Annotated[
    int,
    typer.Option(
        min=1,
        help="Fewest labelled segments every label needs; a rarer label is refused, "
        "naming it (lower this to learn from fewer).",
    ),
]
MultiOpt = Annotated[
    bool,
    typer.Option("--multi", help="Multi-label codes: 'a; b' in a cell, '-' for none applies."),
]
WordsOpt = Annotated[
    bool,
    typer.Option(
        "--words",
        help="Also use jieba words (ihms's policy terms kept whole; about +0.01 kappa on "
        "the development set, at twice the coding time). Implied by --user-dict.",
    ),
]
_OUT_FORMATS = (".csv", ".xlsx", ".parquet", ".dta", ".sav")


def _coder(min_per_category: int, seed: int, words: bool, dictionary: list[Path] | None):
    """The learned coder, with jieba words when asked for (by --words or a dictionary)."""
    from ihms.policy.autocode import LearnedCoder, SegmentFeatures, project_dictionary

    params = {"min_per_category": min_per_category, "random_state": seed}
    if words or dictionary:
        terms = project_dictionary(dictionary=dictionary or ())
        params["features"] = SegmentFeatures(words=True, user_dictionary=terms)
    return LearnedCoder(**params)


def _read(
    file: Path,
    text: str,
    doc: str | None,
    label: str | None,
    multi: bool = False,
    id: str | None = None,
):
    from ihms.policy.autocode.table import read_segment_table

    table = read_segment_table(
        file, text=text, doc=doc or "doc", label=label, multi=multi, id=id or "id"
    )
    columns = ", ".join(map(str, table.frame.columns))
    # a column asked for by name that is not there is an error (a misspelling)
    for option, name, found in (("--id", id, table.has_ids), ("--doc", doc, table.has_documents)):
        if name is not None and not found:
            raise InputError(
                f"{option}: {table.source} has no column {name!r}; the columns are {columns}"
            )
    if not table.has_documents:
        err_console.print(
            f"note: {table.source} has no 'doc' column: every row counts as its own "
            "document (no neighbours or sections; folds cannot keep documents whole).",
            highlight=False,
            markup=False,
        )
    if label is not None and table.n_labelled == 0:
        raise InputError(f"{table.source}: column {label!r} has no labels (every cell is empty)")
    for note in table.label_notes():
        err_console.print(f"note: {note}.", highlight=False, markup=False)
    return table


@contextmanager
def _named(table):
    """Too few codes said of the table's file and label column, in its words."""
    from ihms.policy.autocode import TooFewCodesError

    try:
        yield
    except TooFewCodesError as exc:
        raise exc.at(
            f"{table.source}, column {table.label_column!r}", noun="labelled segments"
        ) from None


def _label_reading(table) -> dict:
    """What reading the labels changed or left, for ``--json``."""
    return {
        "labels_normalised": table.labels_normalised,
        "label_twins": [list(t) for t in table.label_twins],
    }


def _version(table, label: str) -> str:
    """The 'codebook version' of a table's labels: their column and the set of them."""
    labels = sorted({c for v in table.labels if v is not None for c in _as_list(v)})
    digest = hashlib.sha256("\n".join(labels).encode("utf-8")).hexdigest()[:12]
    return f"table column {label!r} ({len(labels)} labels, {digest})"


def _as_list(label) -> list[str]:
    return list(label) if isinstance(label, list) else [label]


def _answer(label) -> str:
    """One whole answer as text: a multi-label answer sorted and joined, ``-`` for none."""
    if isinstance(label, list):
        return "; ".join(sorted(label)) or "-"
    return label


@app.command()
def evaluate(
    file: FileArg,
    label: Annotated[str, typer.Option(help="Column with the codes (empty: uncoded).")],
    text: TextOpt = "text",
    doc: DocOpt = None,
    id: IdOpt = None,
    multi: MultiOpt = False,
    min_per_category: MinOpt = 5,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (by document).")] = 5,
    seed: SeedOpt = 0,
    words: WordsOpt = False,
    dictionary: DictionaryOpt = None,
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
        typer.Option(
            help="With --coverage: the kappa to reach (no default: a table has no human "
            "vs human kappa; the nested cut needs it)."
        ),
    ] = None,
    twins_together: TwinsOpt = False,
    nested: NestedOpt = True,
    bootstrap: BootstrapOpt = 2000,
    repeats: RepeatsOpt = 1,
    json: JsonOpt = False,
) -> None:
    """Cross-validate by document: kappa of the machine against the table's labels, with
    its interval from a bootstrap over documents."""
    from dataclasses import replace

    from ihms.cli._autocode_evaluation import add_coverage
    from ihms.policy.autocode import evaluate_coder
    from ihms.policy.autocode._repeats import repeat_note, repeat_summary, repeated_kappas
    from ihms.policy.autocode.coverage import nested_cut

    if folds < 2:
        raise InputError(f"--folds: cross-validation needs at least 2 folds, got {folds}")
    table = _read(file, text, doc, label, multi, id)
    coder = _coder(min_per_category, seed, words, dictionary)
    X, y = table.segments, table.labels
    with (
        console.status(f"cross-validating on {table.n_labelled:,} labelled segments"),
        _named(table),
    ):
        ev = evaluate_coder(
            coder, X, y, n_splits=folds, random_state=seed, probabilities=coverage,
            twins_together=twins_together,
        )  # fmt: skip
        # as `autocode evaluate` does, with --target-kappa as the bar (no human kappa)
        chosen = None
        if coverage and nested and target_kappa is not None:
            chosen = nested_cut(
                ev, coder, X, y, target=target_kappa, random_state=seed,
                twins_together=twins_together,
            )  # fmt: skip
        repeated = repeat_summary(
            repeated_kappas(
                coder, X, y, n_splits=folds, random_state=seed, repeats=repeats,
                twins_together=twins_together, first=ev,
            ),
            seed,
        )  # fmt: skip
    ev = replace(ev, notes=(*ev.notes, *repeat_note(repeated)))
    if bootstrap:
        ev = ev.with_bootstrap(bootstrap, random_state=seed)
    cov = ev.coverage() if coverage else None
    if json:
        payload = {
            **ev.to_dict(),
            "nested_cut": None if chosen is None else chosen.to_dict(),
            "repeats": repeated,
            **_label_reading(table),
        }
        if cov is not None:
            add_coverage(payload, cov, target_kappa)
        print_json(payload)
        return
    console.print(ev.summary())
    if cov is not None:
        console.print(cov.summary(kappa=target_kappa, nested=chosen))


@app.command()
def train(
    file: FileArg,
    label: Annotated[str, typer.Option(help="Column with the codes (empty: uncoded).")],
    out: Annotated[Path, typer.Option(help="Model folder to write.")],
    text: TextOpt = "text",
    doc: DocOpt = None,
    id: IdOpt = None,
    multi: MultiOpt = False,
    min_per_category: MinOpt = 5,
    seed: SeedOpt = 0,
    words: WordsOpt = False,
    dictionary: DictionaryOpt = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing model folder.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Train the learned coder on every labelled row and save it."""
    from ihms.policy.autocode import train_coder

    table = _read(file, text, doc, label, multi, id)
    with console.status(f"training on {table.n_labelled:,} labelled segments"), _named(table):
        trained = train_coder(
            table.segments, table.labels, codebook_version=_version(table, label),
            dimension=label, codebook=f"table {table.source}",
            coder=_coder(min_per_category, seed, words, dictionary),
        )  # fmt: skip
    with as_options(OVERWRITE_OPTION):  # the library's advice is Python's
        folder = trained.save(out, overwrite=overwrite)
    if json:
        print_json({**trained.manifest(), "folder": str(folder), **_label_reading(table)})
        return
    console.print(
        f"Model [bold]{trained.model_id}[/bold] for column {label!r}: "
        f"{trained.training_size:,} labelled segments from {trained.n_documents:,} documents, "
        f"{len(trained.categories)} labels; saved to {folder}"
    )
    for note in (trained.manifest()["calibration_note"], trained.manifest()["cut_note"]):
        if note:
            console.print(f"Note: {note}.")


@app.command()
def apply(
    file: FileArg,
    model: Annotated[Path, typer.Option(help="Model folder written by `train`.")],
    out: Annotated[
        Path,
        typer.Option(
            help="The table with the machine's codes added (.csv, .xlsx, ...). An existing "
            "file is replaced, whole and only once every row is coded (as other --out files)."
        ),
    ],
    text: TextOpt = "text",
    doc: DocOpt = None,
    id: IdOpt = None,
    multi: MultiOpt = False,
    label: Annotated[
        str | None,
        typer.Option(help="A column of people's codes to score the machine against."),
    ] = None,
    min_probability: Annotated[
        float | None,
        typer.Option(help="Leave segments less likely than this uncoded (for a person)."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Code every row; write the table with machine_label, machine_probability, model_id
    (machine_score instead of machine_probability for a model that could not calibrate)."""
    from ihms._statfiles import write_stat_file
    from ihms.policy.autocode import load_coder
    from ihms.policy.autocode._machine_coding import number_word, uncalibrated_note

    if out.suffix.lower() not in _OUT_FORMATS:
        raise InputError(f"--out {out}: expected a file name ending in {', '.join(_OUT_FORMATS)}")
    if out.resolve() == file.resolve():
        raise InputError(
            f"--out: {file.name} is the table being coded; write the codes to another file"
        )
    trained = load_coder(model, codebook_version=None)
    if multi and not trained.estimator.multilabel_:
        raise InputError(
            f"--multi: the model codes one label per segment (model {trained.model_id} was "
            "trained without --multi); leave --multi out"
        )
    # the people's codes are read as the model codes: 'a；b' is two categories to a
    # multi-label model, with or without --multi
    table = _read(file, text, doc, label, bool(trained.estimator.multilabel_), id)
    unknown = _unknown_labels(table, trained) if label else []
    with console.status(f"coding {len(table.segments):,} segments"):
        coded = trained.code(table.segments, min_probability=min_probability)
    per_row = coded.codes.groupby("row").agg(
        label=("category", lambda c: "; ".join(sorted(c))), probability=("probability", "min")
    )
    result = table.frame.copy()
    rows = range(len(result))
    # a multi-label model that codes a row with no category says so ('-'); '' = left
    # to a person below --min-probability
    left = set(coded.abstained.tolist())
    none = "-" if trained.estimator.multilabel_ else ""
    result["machine_label"] = [per_row["label"].get(i, "" if i in left else none) for i in rows]
    # 4 decimals, as the project's provenance of a machine code records it; named a
    # score when the model could not calibrate (an order, not chances)
    number = f"machine_{number_word(coded.calibrated)}"
    result[number] = [round(per_row["probability"].get(i, math.nan), 4) for i in rows]
    result["model_id"] = trained.model_id
    score = _score(table.labels, result["machine_label"].tolist()) if label else None
    if score is not None:
        score["unknown_labels"] = unknown
    notes = () if coded.calibrated else (f"{number}: {uncalibrated_note(coded.calibration_note)}",)
    replaced = out.exists()
    write_stat_file(result, out, formats=_OUT_FORMATS, option="--out", notes=notes)
    if json:
        print_json(
            {"model_id": trained.model_id, "segments": len(result),
             "coded": int((result["machine_label"] != "").sum()),
             "left_to_people": len(coded.abstained), "out": str(out), "replaced": replaced,
             "number_column": number, "calibrated": coded.calibrated,
             "calibration_note": coded.calibration_note, "score": score,
             **(_label_reading(table) if label else {})}
        )  # fmt: skip
        return
    console.print(coded.summary())
    print_path("Written to", out, " (replacing the file there)" if replaced else "")
    if score is not None and score["n"] == 0:
        console.print(
            f"Against column {label!r}: no segment carries both a label and a machine code "
            f"({score['left_to_people']:,} labelled ones left to people), so no kappa."
        )
    elif score is not None:
        console.print(
            f"Against column {label!r}: kappa {score['kappa']:.3f}, accuracy "
            f"{score['accuracy']:.1%} on {score['n']:,} segments both coded"
            + (
                f" ({score['left_to_people']:,} labelled ones left to people)"
                if min_probability
                else ""
            )
        )


def _unknown_labels(table, trained) -> list[str]:
    """The labels of the table the model never learned (a model of another column?),
    said in a note: rows carrying them cannot agree with the machine."""
    known = {str(c) for c in trained.categories}
    labels = {c for v in table.labels if v is not None for c in _as_list(v)}
    unknown = sorted(labels - known)
    if unknown:
        err_console.print(
            f"note: {len(unknown):,} label(s) of column {table.label_column!r} are not among "
            f"the model's categories ({', '.join(sorted(known))}), so their rows cannot "
            f"agree: {', '.join(unknown)}.",
            highlight=False,
            markup=False,
        )
    return unknown


def _score(human: list | None, machine: list[str]) -> dict:
    """Cohen's kappa and accuracy over the rows both coded (multi-label: whole answers,
    as the agreement table compares them)."""
    from ihms.policy.autocode import machine_human_kappa

    assert human is not None
    human = [None if h is None else _answer(h) for h in human]
    pairs = [(h, m) for h, m in zip(human, machine, strict=True) if h is not None and m != ""]
    left = sum(1 for h, m in zip(human, machine, strict=True) if h is not None and m == "")
    if not pairs:  # every labelled row left to people (a high --min-probability)
        return {"kappa": None, "accuracy": None, "n": 0, "left_to_people": left}
    hs, ms = zip(*pairs, strict=True)
    return {
        "kappa": machine_human_kappa(hs, ms),
        "accuracy": sum(h == m for h, m in pairs) / len(pairs),
        "n": len(pairs),
        "left_to_people": left,
    }
