"""``ihms policy``: policy content analysis from a folder of documents to the tables.

A session::

    ihms policy init study.sqlite --codebook 6d
    ihms policy import study.sqlite docs/ --metadata docs/metadata.xlsx
    ihms policy screen study.sqlite --to 2021-12-31 --decisions screening.csv --figure prisma.png
    ihms policy segment study.sqlite
    ihms policy codes export study.sqlite template.xlsx --coder alice --lang zh
    ihms policy codes import study.sqlite alice.xlsx --coder alice
    ihms policy codes import study.sqlite bob.xlsx --coder bob
    ihms policy agreement study.sqlite
    ihms policy reconcile study.sqlite --coders alice,bob --out disagreements.xlsx
    ihms policy reconcile study.sqlite --coders alice,bob --decisions decided.xlsx --by lead
    ihms policy tables study.sqlite --out tables/
    ihms policy dataset study.sqlite codings.sav
    ihms policy trend study.sqlite orientation --out trend.png
    ihms policy words study.sqlite --out words/ --dimension tools
    ihms policy network study.sqlite --from-text --out network/

The Typer app is importable as ``ihms.cli.policy:app`` so other command groups
(``ihms policy autocode``) can be added to it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ihms._atomic import make_folder, staged, write_text_whole
from ihms.cli._common import IhmsGroup, check_table_path, console, print_json, print_path
from ihms.cli.policy_analysis import (
    LangOpt,
    cluster,
    dataset,
    stopwords_command,
    tables,
    trend,
    words,
)
from ihms.cli.policy_coders import agreement, reconcile
from ihms.cli.policy_codes import codes_app
from ihms.cli.policy_network import network
from ihms.errors import InputError
from ihms.sources import VIHQMR_STUDY, YU_2024

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Policy content analysis: corpus, PRISMA screening, segmentation, codebooks, blind "
    f"coding, agreement, reconciliation, {YU_2024}'s tables, trends, words and networks.",
)
app.add_typer(codes_app, name="codes")

ProjectArg = Annotated[Path, typer.Argument(help="The project file (.sqlite).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _progress(label: str):
    return Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console, transient=True,
    )  # fmt: skip


def _open(path: Path):
    from ihms.policy.project import Project

    return Project(path)


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"option {option}: expected a date such as 2021-12-31, got {value!r}"
        ) from None


@app.command()
def init(
    project: ProjectArg,
    codebook: Annotated[
        str, typer.Option(help="Built-in codebook (6d, symbiosis) or a YAML file.")
    ] = "6d",
    name: Annotated[str, typer.Option(help="A name for the study.")] = "",
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", "--force", help="Replace an existing project file (--force: alias)."
        ),
    ] = False,
) -> None:
    """Create a coding project with a codebook."""
    from ihms.cli._stats_options import OVERWRITE_OPTION, as_options
    from ihms.policy.codebook import load_codebook
    from ihms.policy.project import Project

    cb = load_codebook(codebook)
    # the library's advice is Python's; the command's is its option
    with as_options(OVERWRITE_OPTION):
        Project.create(project, cb, name=name, overwrite=overwrite).close()
    console.print(
        f"Created [bold]{project}[/bold] with codebook {cb.name} ({len(cb.dimensions)} dimensions)."
    )


class TablesMode(StrEnum):
    """``--tables``: the choices of :data:`ihms.policy.readers.TABLE_MODES`."""

    skip = "skip"
    rows = "rows"


@app.command("import")
def import_(
    project: ProjectArg,
    folder: Annotated[Path, typer.Argument(help="Folder of .txt/.docx/.pdf/.html documents.")],
    metadata: Annotated[Path | None, typer.Option(help="Metadata sheet (CSV or XLSX).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force an encoding for .txt/.html.")] = None,
    skip_unreadable: Annotated[
        bool,
        typer.Option("--skip-unreadable", help="Import the rest when some files cannot be read."),
    ] = False,
    tables: Annotated[
        TablesMode,
        typer.Option(
            help=f"Tables of .docx/.html files: skip leaves them out (as {YU_2024} did); rows "
            "reads each row as a paragraph where the table stands, cells joined with '；' "
            "and named by the header row ('任务：…；牵头单位：…'). PDFs: text layer either way."
        ),
    ] = TablesMode.skip,
    json: JsonOpt = False,
) -> None:
    """Import a folder of policy documents (and their metadata sheet)."""
    from ihms.policy._metadata_aliases import folded_metadata, overridden_rules
    from ihms.policy.corpus import import_folder, unknown_metadata

    with _open(project) as p, _progress("reading documents") as bar:
        task = bar.add_task("read", total=None)
        result = import_folder(
            folder, metadata=metadata, encoding=encoding,
            on_error="skip" if skip_unreadable else "raise", tables=tables.value,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
        counts = p.add_documents(result.documents, failures=result.failures)
        unknown = unknown_metadata(p.codebook(), result.documents)
        folded = folded_metadata(p.codebook(), result.documents)
        overrides = overridden_rules(p.codebook(), result.documents)
    frame = result.to_frame()
    summary = {
        **counts,
        "formats": frame["format"].value_counts().to_dict() if len(frame) else {},
        "encodings": frame.loc[frame["encoding"] != "", "encoding"].value_counts().to_dict()
        if len(frame)
        else {},
        "failures": [{"file": f.file, "message": f.message} for f in result.failures],
        "tables": result.tables_summary(),
        "notes": list(result.notes),
        "warnings": unknown,
        "read_as": folded,
        "overrides": overrides,
    }
    if json:
        print_json({**summary, "documents": frame})
        return
    console.print(
        f"{len(result.documents)} documents read from {folder}: {counts['added']} added, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged."
    )
    console.print("Formats: " + ", ".join(f"{k} {v}" for k, v in summary["formats"].items()))
    if summary["encodings"]:  # only plain-text and HTML files have one
        console.print(
            "Text encodings: " + ", ".join(f"{k} {v}" for k, v in summary["encodings"].items())
        )
    for f in result.failures:
        console.print(f"[yellow]not retrieved:[/yellow] {f.message}")
    for note in result.notes:
        console.print(note)
    for d in result.documents:
        for note in d.notes:  # e.g. tables in a .docx, which are not read as text
            console.print(f"{escape(d.id)} ({escape(Path(d.file).name)}): {escape(note)}")
    for note in [*folded, *overrides]:
        console.print(f"note: {escape(note)}")
    for warning in unknown:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")


@app.command()
def segment(
    project: ProjectArg,
    scheme: Annotated[
        str, typer.Option(help=f"paragraph ({YU_2024}) or clause ({VIHQMR_STUDY}).")
    ] = "paragraph",
    no_merge_headings: Annotated[
        bool,
        typer.Option("--no-merge-headings", help="Keep bare headings as paragraphs of their own."),
    ] = False,
    lang: LangOpt = "en",
    json: JsonOpt = False,
) -> None:
    """Split the included documents into paragraphs or numbered clauses."""
    from ihms._words import STATUS, check_lang, in_words_of, said

    check_lang(lang)
    with _open(project) as p, _progress("segmenting") as bar:
        task = bar.add_task("segment", total=None)
        counts = p.segment(
            scheme, merge_headings=not no_merge_headings,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
        others = p.query(
            "SELECT scheme, count(*) FROM segments WHERE retired=0 AND scheme<>? GROUP BY scheme",
            (scheme,),
        )
    if json:
        print_json(counts)
        return

    def named(s: str) -> str:  # a scheme's name in the language
        return said(lang, f"scheme {s}") if f"scheme {s}" in STATUS["en"] else s

    console.print(said(lang, "segmented", scheme=named(scheme), **counts))
    if others:  # a coding sheet of both would list each text twice: codes export asks
        held = in_words_of(
            lang, (said(lang, "scheme segments", n=n, scheme=named(s)) for s, n in others)
        )
        commands = said(lang, "list").join(("codes export", "tables", "trend"))
        console.print(said(lang, "other schemes kept", held=held, scheme=scheme, commands=commands))


EXCEL_CELL = 32_767  # the most characters an Excel cell holds


def _write_frame(frame, out: Path) -> None:
    """Write ``frame`` whole or not at all: beside ``out`` first, then renamed. A text
    longer than an Excel cell holds is cut in a workbook, with a note naming its cells
    (pandas' own warning named none)."""
    from ihms.cli._common import note

    check_table_path(out)
    cut: list[str] = []
    with staged(out) as (tmp,):
        if out.suffix.lower() == ".xlsx":
            frame, cut = _fit_excel(frame)
            frame.to_excel(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    if cut:
        note(
            f"{out}: {len(cut):,} cell{'s' if len(cut) != 1 else ''} longer than an Excel cell's "
            f"{EXCEL_CELL:,} characters cut short ({', '.join(cut[:5])}"
            f"{', …' if len(cut) > 5 else ''}); write a .csv to keep them whole"
        )


def _fit_excel(frame):
    """``frame`` with texts longer than an Excel cell cut to fit (ending in ``…``), and
    where: ``column 'text' row 3`` (the sheet's row, below the header)."""
    cut: list[str] = []
    out = frame
    for col in frame.columns:
        values = frame[col]
        if values.dtype != object and not str(values.dtype).startswith(("string", "str")):
            continue
        long = values.map(lambda v: isinstance(v, str) and len(v) > EXCEL_CELL).to_numpy(bool)
        if long.any():
            out = out.copy() if out is frame else out
            out.loc[long, col] = values[long].map(lambda v: v[: EXCEL_CELL - 1] + "…")
            cut += [f"column {col!r} row {i + 2}" for i in long.nonzero()[0]]
    return out, cut


# registered here so that --help lists them between segment and info
for _command in (agreement, reconcile):
    app.command()(_command)


@app.command()
def info(project: ProjectArg, json: JsonOpt = False) -> None:
    """What the project holds: documents by status, segments, coders, codings."""
    from ihms.policy.project_stopwords import project_stopwords

    with _open(project) as p:
        status = dict(p.query("SELECT status, count(*) FROM documents GROUP BY status"))
        segs = dict(
            p.query("SELECT scheme, count(*) FROM segments WHERE retired=0 GROUP BY scheme")
        )
        coders = p.frame(
            "SELECT k.id AS coder, k.kind, count(c.id) AS codings FROM coders k"
            " LEFT JOIN codings c ON c.coder_id = k.id GROUP BY k.id ORDER BY k.id"
        )
        decisions = p.query("SELECT count(*) FROM decisions")[0][0]
        cb = p.codebook()
        machine = None
        if (coders["kind"] == "machine").any():  # autocode imports scikit-learn: only then
            from ihms.policy.autocode.provenance import machine_coders

            machine = machine_coders(p)
        # the YAML's own version with its content hash, as machine coders name it, and the
        # project's count of codebooks stored (`policy codebook --update`): two numbers
        version = f"{cb.name} v{cb.version} ({cb.sha256[:12]}), project codebook revision {p.codebook_version}"
        out = {"codebook": version, "documents": status, "segments": segs,
               "coders": coders, "decisions": decisions}  # fmt: skip
        own = project_stopwords(p)
        out["stop_list"] = own and own.as_dict()
        if machine is not None:
            out["machine_coders"] = machine
    if json:
        print_json(out)
        return
    console.print(
        f"Codebook {out['codebook']}; documents: {status}; segments: {segs}; decisions: {decisions}"
    )
    console.print(coders.to_string(index=False) if len(coders) else "No coders yet.")
    if own is not None:
        console.print(escape(f"Stop list of the project: {own.name} ({own.entries} lines, stored "
                             f"{own.stored_at[:10]}; `policy stopwords` shows it)."))  # fmt: skip
    if machine is not None:
        console.print("Machine coders (provenance; each answer's: `autocode provenance`):")
        console.print(machine.drop(columns="notes").to_string(index=False))


@app.command()
def codebook(
    source: Annotated[
        str,
        typer.Argument(
            help="Built-in (6d, symbiosis), a YAML file to validate, or a project (its codebook)."
        ),
    ] = "6d",
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the YAML here, to edit and use with init; an existing file is "
            "refused unless --overwrite is given."
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="With --out: replace an existing file.")
    ] = False,
    update: Annotated[
        str | None,
        typer.Option(
            help="With a project: store this codebook (a YAML file, 6d or symbiosis) as its "
            "next version. Codings keep the version they were made with; refused, naming "
            "them, if a stored coding's dimension or category is not in it."
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="With --update: why the codebook changed.")] = "",
    json: JsonOpt = False,
) -> None:
    """Show or copy a codebook (dimensions, categories, definitions, keywords, rules), or
    give a project a new version of its codebook (--update)."""
    from ihms._decode import is_sqlite_file
    from ihms.policy.codebook import load_codebook

    path = Path(source)
    if note and update is None:
        raise InputError(
            "--note goes with --update: it is kept with the codebook version --update "
            "stores (ihms policy codebook PROJECT --update FILE --note TEXT)"
        )
    if overwrite and out is None:
        raise InputError("--overwrite goes with --out (the file it may replace)")
    if update is not None and out is not None:
        raise InputError("--update stores a codebook and --out writes one: give one of them")
    if out is not None:
        _check_codebook_out(out, overwrite=overwrite)
    if update is not None:
        if not is_sqlite_file(path):
            raise InputError(f"--update stores a codebook in a project: {source} is not one")
        new = load_codebook(update)
        with _open(path) as p:
            before = p.codebook_version
            version = p.update_codebook(new, note=note)
        said = (
            f"{path}: codebook unchanged (version {version} is this text)"
            if version == before
            else f"{path}: codebook version {version} stored (was {before}); codings keep "
            "the version they were made with"
        )
        if json:
            print_json({"project": str(path), "version": version, "previous": before})
        else:
            console.print(said)
        return
    if is_sqlite_file(path):
        with _open(path) as p:
            cb = p.codebook()
    else:
        cb = load_codebook(source)
    if out is not None:
        make_folder(out, where=f"--out {out}")  # as the other --out options
        write_text_whole(out, cb.text)
        print_path(f"Codebook {cb.name} written to", out)
        return
    frame = cb.to_frame()
    if json:
        print_json({"name": cb.name, "version": cb.version, "categories": frame})
        return
    for d in cb.dimensions:
        kind = (
            d.kind
            + (", multi-label" if d.multi else "")
            + (", from metadata" if d.source == "metadata" else "")
        )
        console.print(f"[bold]{d.key}[/bold] {d.en} / {d.zh} ({kind})")
        for c in d.categories:
            console.print(f"    {c.key}: {c.en} / {c.zh}")
        for g in d.answer_groups:  # typed before an answer: 政策环境：多点执业
            console.print(f"    group {g.key}: {g.en} / {g.zh}")


def _check_codebook_out(out: Path, *, overwrite: bool) -> None:
    """Refuse ``--out`` before any work: a folder there, a file where one of its folders
    would be, or a file there without --overwrite (the README has users edit it: a
    second run must not lose their edits). A missing folder is made when writing."""
    from ihms._atomic import check_folder

    if out.is_dir():
        raise InputError(
            f"--out {out}: is a folder; give a file name in it, such as {out / 'codebook.yaml'}"
        )
    check_folder(out, where=f"--out {out}")
    if out.exists() and not overwrite:
        raise InputError(
            f"--out {out}: the file already exists (pass --overwrite to replace it, or "
            "give another file name)"
        )


for _command in (tables, dataset, trend, words, network, cluster):
    app.command()(_command)
app.command("stopwords")(stopwords_command)
