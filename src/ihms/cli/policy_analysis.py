"""``ihms policy tables|dataset|trend|words|network|cluster``: the analysis commands (registered
on the ``ihms policy`` app in :mod:`ihms.cli.policy`)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ihms._atomic import staged, staged_set
from ihms._words import said
from ihms.cli._common import console, lang_option, print_json, print_path, writes_every_row
from ihms.cli._notes import notes_on_stderr
from ihms.errors import IhmsWarning, InputError
from ihms.sources import VIHQMR_STUDY, YU_2024

ProjectArg = Annotated[Path, typer.Argument(help="The project file (.sqlite).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
#: ``--lang`` of the commands whose output is what they did: counts, notes, a report
LangOpt = lang_option("What the command did (counts, notes)")
SourceOpt = Annotated[str, typer.Option(help="final (reconciled) or a coder's id.")]
SchemeOpt = Annotated[
    str | None,
    typer.Option(
        help="Segments of this scheme (paragraph, clause); needed when the project holds both."
    ),
]


def _data(project: Path, source: str, scheme: str | None):
    from ihms.policy.project import Project
    from ihms.policy.reconcile import coded_data

    with Project(project) as p:
        return coded_data(p, source=source, scheme=scheme)


def _save_png(fig, path: Path) -> None:
    """Save ``fig`` as a PNG at ``path`` (a staged name: its suffix is .png) and close it."""
    import matplotlib.pyplot as plt

    try:
        fig.savefig(path, format="png", dpi=150, bbox_inches="tight")
    finally:
        plt.close(fig)


def tables(
    project: ProjectArg,
    out: Annotated[
        Path,
        typer.Option(help="Folder for tables.xlsx, CSVs, tables.html, tables.tex, tables.docx."),
    ],
    spec: Annotated[
        str | None, typer.Option(help=f"A YAML list of tables (default: {YU_2024}'s for 6D).")
    ] = None,
    source: SourceOpt = "final",
    scheme: SchemeOpt = None,
    format: Annotated[
        str, typer.Option(help="Comma-separated: xlsx,csv,html,latex,docx (Word).")
    ] = "xlsx,csv,html,latex,docx",
    lang: Annotated[
        str,
        typer.Option(
            help="Titles, headers, labels and notes in en or zh (error messages stay English)."
        ),
    ] = "en",
    level: Annotated[
        str,
        typer.Option(
            help="A grouped open dimension (symbiotic environment) tabled by its answers "
            "under their groups (answer) or by the groups alone (group)."
        ),
    ] = "answer",
    as_printed: Annotated[
        bool,
        typer.Option(
            "--as-printed",
            help=f"Percentages as {YU_2024} prints them: trailing zeros dropped (49, not "
            "49.00), its Tables 9 and 11 with decimals by the row's n. Default: each "
            "table's decimals in every cell.",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Build the content tables (Yu et al. 2024's Tables 1–12 for the 6D codebook) and export them."""
    from ihms.policy.answer_views import answer_level, group_level, require_answer_groups
    from ihms.policy.table_specs import build_tables, load_table_specs
    from ihms.policy.tables_export import export_tables

    views = {"answer": answer_level, "group": group_level}
    if level not in views:
        raise InputError(f"option '--level': expected 'answer' or 'group', got {level!r}")
    data = _data(project, source, scheme)
    if level == "group":
        require_answer_groups(data.codebook, name="option '--level'")
    data = views[level](data)
    specs = load_table_specs(spec) if spec else None
    # the default tables: build those the data allow; tables asked for by name must all build
    skipped: list[str] | None = None if spec else []
    with warnings.catch_warnings():  # each table's notes say it, and are printed below
        warnings.filterwarnings("ignore", "[0-9,]+ answers are unresolved", IhmsWarning)
        built = build_tables(data, specs, lang=lang, skipped=skipped, as_printed=as_printed)
    if not built:
        raise InputError("no table can be built: " + "; ".join(skipped or []))
    removed: list[Path] = []
    written = export_tables(built, out, formats=[f.strip() for f in format.split(",") if f.strip()],
                            removed=removed)  # fmt: skip
    if json:
        print_json({t.name: {"title": t.title, "table": t.to_frame()} for t in built})
        return
    for t in built:
        console.print(t.summary())
    lines = [*(skipped or [])]
    if data.single_coder:
        lines.append(said(lang, "single coder", n=data.single_coder))
    if _texts_of_fewer_documents(data):  # how to count documents: for the user, not the notes
        lines.append(said(lang, "count documents"))
    for line in lines:
        console.print(f"[yellow]{escape(line)}[/yellow]")
    first = ", ".join(str(p) for paths in written.values() for p in paths[:1])
    console.print(
        escape(said(lang, "written", paths=first)),
        highlight=False,
        soft_wrap=True,  # the paths whole, to copy
    )
    _say_removed(removed, lang)


def _texts_of_fewer_documents(data) -> bool:
    """Whether the coded texts are segments of fewer documents (a document's own value
    then counts once per text in the tables)."""
    from ihms.policy._table_counts import documents_of_texts

    texts, docs = documents_of_texts(data, data.long["segment_id"])
    return docs < texts


def dataset(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="Output: .sav (SPSS), .dta (Stata), .xlsx or .csv.")],
    source: SourceOpt = "final",
    scheme: SchemeOpt = None,
    lang: Annotated[
        str,
        typer.Option(help="Variable and value labels in en or zh (error messages stay English)."),
    ] = "en",
    text: Annotated[bool, typer.Option(help="Include each segment's text.")] = True,
    min_count: Annotated[
        int,
        typer.Option(
            min=1,
            help="An open answer (symbiotic unit …) given in fewer segments gets no 0/1 "
            "variable of its own but counts in <dimension>_other.",
        ),
    ] = 1,
) -> None:
    """The coded data set for SPSS, Stata or Excel: a row per segment, labelled codes."""
    from ihms.policy.dataset import analysis_dataset
    from ihms.policy.project import Project

    with Project(project) as p:
        ds = analysis_dataset(
            p, source=source, lang=lang, scheme=scheme, text=text, min_count=min_count
        )
    path = ds.write(file)
    # the path bold and whole (not folded at the console's width), as print_path prints it
    bold = f"[bold]{escape(str(path))}[/bold]"
    line = said(lang, "data set written", path=bold, segments=len(ds.frame),
                variables=ds.frame.shape[1], dichotomies=len(ds.dichotomies))  # fmt: skip
    console.print(line, highlight=False, soft_wrap=True)
    if ds.unresolved:
        console.print(
            f"[yellow]{escape(said(lang, 'unresolved missing', n=ds.unresolved))}[/yellow]"
        )


@writes_every_row("--table FILE")
def trend(
    project: ProjectArg,
    dimension: Annotated[str, typer.Argument(help="The dimension to follow over the years.")],
    out: Annotated[
        Path | None, typer.Option(help="Write the line chart (.png, .svg or .pdf).")
    ] = None,
    table: Annotated[
        Path | None,
        typer.Option(help="Write the counts by year per category (.xlsx or .csv), for Excel/SPSS."),
    ] = None,
    source: SourceOpt = "final",
    scheme: SchemeOpt = None,
    min_year_n: Annotated[
        int | None,
        typer.Option(
            help="Leave years with fewer texts out of peaks and stages "
            "(default 10; the output says which)."
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            help="Categories, stages, headers and notes in en or zh (error messages stay English)."
        ),
    ] = "en",
    json: JsonOpt = False,
) -> None:
    """Counts by year per category, the year each category peaks, and the stages."""
    from ihms._words import check_lang
    from ihms.cli._common import check_table_path
    from ihms.cli.policy import _write_frame
    from ihms.policy.trend import MIN_YEAR_N, time_evolution
    from ihms.stats import save_figure

    check_lang(lang)
    if out is not None and out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(
            f"option '--out': expected a .png, .svg or .pdf file name, got {str(out)!r} (the "
            "counts by year go to a spreadsheet with --table)"
        )
    if table is not None:
        check_table_path(table, option="option '--table'")
    evo = time_evolution(
        _data(project, source, scheme),
        dimension,
        min_year_n=MIN_YEAR_N if min_year_n is None else min_year_n,
        lang=lang,
    )
    if out is not None:
        if out.suffix.lower() == ".pdf":  # save_figure writes PNG and SVG only
            out.parent.mkdir(parents=True, exist_ok=True)
            with staged(out) as (tmp,):
                evo.figure().savefig(tmp, format="pdf", bbox_inches="tight")
        else:
            save_figure(evo.figure(), out, option="option '--out'")
    if table is not None:
        _write_frame(evo.summary().frame.reset_index(), table)
    if json:
        print_json({"counts": evo.counts.reset_index(), "peaks": evo.peaks,
                    "min_year_n": evo.min_year_n, "stages": [s.__dict__ for s in evo.stages]})  # fmt: skip
        return
    console.print(evo.summary())
    if out is not None:
        print_path(said(lang, "chart written to"), out)
    if table is not None:
        print_path(said(lang, "counts written to"), table)


def words(
    project: ProjectArg,
    out: Annotated[
        Path | None, typer.Option(help="Folder for frequencies.csv, wordcloud.png, top_terms.csv.")
    ] = None,
    top: Annotated[int, typer.Option(help="How many terms to print.")] = 30,
    dimension: Annotated[
        str | None, typer.Option(help="Also the top terms of each category of this dimension.")
    ] = None,
    per_category: Annotated[int, typer.Option(help="Terms per category.")] = 10,
    user_dict: Annotated[
        list[Path] | None, typer.Option(help="Extra jieba dictionary file(s).")
    ] = None,
    stopwords: Annotated[
        list[Path] | None,
        typer.Option(
            help="Your own stop-word file(s), applied in order to the built-in list: one "
            "word per line to stop it, !word to count a word the list stops, # comments "
            "(UTF-8 or GBK text)."
        ),
    ] = None,
    font: Annotated[Path | None, typer.Option(help="A CJK font file for the word cloud.")] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            help="Count this dimension's coded answers instead of the texts' words (the "
            f"{VIHQMR_STUDY}'s word cloud of the top 50 symbiotic models: --answers symbiotic_model --top 50)."
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            help="Answers and categories named in en or zh (error messages stay English)."
        ),
    ] = "en",
    source: SourceOpt = "final",
    scheme: SchemeOpt = None,
    json: JsonOpt = False,
) -> None:
    """Word frequencies (jieba, policy dictionary with the codebook's open answers, stop
    list of policy boilerplate), word cloud, top terms per category; the cloud and the
    top terms leave out the same stop words."""
    from ihms._words import check_lang
    from ihms.policy.project import Project
    from ihms.policy.project_stopwords import project_tokenizer, stop_lists
    from ihms.policy.textstats import (
        FREQUENCY_HEADERS_ZH,
        answer_frequencies,
        codebook_terms,
        top_terms_by_category,
        word_cloud,
        word_frequencies,
    )

    check_lang(lang)
    data = _data(project, source, scheme)
    # the codebook's open answers (symbiotic units ...) are words, seed 003's custom
    # dictionary; the stop lists: built-in, the project's own, then --stopwords files
    with Project(project) as p, notes_on_stderr():  # a stop list's note, as a note
        tok = project_tokenizer(p, user_dict=user_dict or (), stopwords=stopwords or (),
                                terms=codebook_terms(data.codebook))  # fmt: skip
        applied = stop_lists(p, stopwords or ()) if not answers or dimension else []
    if answers:
        freq = answer_frequencies(data, answers, lang=lang)
    else:
        # the texts the words are counted in are the scheme's segments: say so
        freq = word_frequencies(data.segments["text"], tokenizer=tok)
        freq = freq.rename(columns={"texts": "segments"})
    # files and tables for people carry the headers in --lang; --json keeps the keys
    headed = freq.rename(columns=FREQUENCY_HEADERS_ZH) if lang == "zh" else freq
    per_cat = (
        top_terms_by_category(data, dimension, n=per_category, tokenizer=tok, lang=lang)
        if dimension
        else None
    )
    removed: list[Path] = []
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        cloud = freq.head(top) if answers else freq  # the cloud of the top answers
        names = ("frequencies.csv", "wordcloud.png", "top_terms.csv")
        # all or none: a failure leaves the earlier run's files, never half of one; on
        # success an earlier run's top_terms.csv goes when this run writes none
        with staged_set(out, [*names[:2], None if per_cat is None else names[2]],
                        record="policy-words", outputs=names, removed=removed) as tmps:  # fmt: skip
            headed.to_csv(tmps[0], index=False, encoding="utf-8-sig")
            _save_png(word_cloud(cloud, font=font), tmps[1])
            if per_cat is not None:
                per_cat.to_csv(tmps[2], index=False, encoding="utf-8-sig")
    if json:
        print_json({"frequencies": freq.head(top), "top_terms": per_cat, "stop_lists": applied})
        return
    console.print(headed.head(top).to_string(index=False))
    if per_cat is not None:
        for cat, grp in per_cat.groupby("category", sort=False):
            line = said(lang, "top terms", category=f"[bold]{escape(str(cat))}[/bold]",
                        terms=escape("、".join(grp["term"])))  # fmt: skip
            console.print(line, highlight=False, soft_wrap=True)  # one line per category
    if applied:
        console.print(escape(_said_stop_lists(applied, lang)), highlight=False, soft_wrap=True)
    if out is not None:
        print_path(said(lang, "written to"), out)
        _say_removed(removed, lang)


def _said_stop_lists(applied: list[dict], lang: str) -> str:
    """``policy words``' line naming the stop lists it applied, in order."""
    parts = [
        said(lang, f"stop list {a['list']}", n=a["entries"], name=a["name"],
             at=str(a.get("stored_at", ""))[:10])
        for a in applied
    ]  # fmt: skip
    return said(lang, "stop lists", lists=("；" if lang == "zh" else "; ").join(parts))


def stopwords_command(
    project: ProjectArg,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="A stop-word file to store as the project's own (replacing any earlier "
            "one): one word per line to stop it, !word to count a word the built-in list "
            "stops, # comments (UTF-8 or GBK text). Without it: show the stored list."
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the project's stop list.")] = False,
    json: JsonOpt = False,
) -> None:
    """The project's own stop list: every word count of the project (policy words'
    frequencies, word cloud and top terms) applies it after the built-in list and
    before any --stopwords files. It is stored in the project (a copy carries it)."""
    from ihms.policy.project import Project
    from ihms.policy.project_stopwords import clear_stopwords, project_stopwords, store_stopwords

    if file is not None and clear:
        raise InputError("give a stop-word file to store or --clear, not both")
    with Project(project) as p:
        if clear:
            before, now = clear_stopwords(p), None
        elif file is not None:
            now, before = store_stopwords(p, file)
        else:
            before = now = project_stopwords(p)
    if json:
        out = {"stop_list": now and now.as_dict()}
        if file is not None or clear:
            out["replaced" if file else "removed"] = before and before.as_dict()
        print_json(out)
        return
    if clear:
        console.print(f"Removed the project's stop list {before.name}." if before
                      else "The project has no stop list of its own; nothing removed.")  # fmt: skip
    elif now is None:
        console.print("The project has no stop list of its own; store one with "
                      f"`ihms policy stopwords {project} FILE`.")  # fmt: skip
    else:
        said_before = (
            f" (replacing {before.name} of {before.stored_at[:10]})" if file and before else ""
        )
        verb = "Stored" if file else "The project's stop list:"
        console.print(escape(f"{verb} {now.name}, {now.entries} lines, stored {now.stored_at}"
                             f"{said_before}; applied by every word count of the project "
                             "after the built-in list, before --stopwords files."), highlight=False)  # fmt: skip
        if file is None:
            console.print(escape(now.text.rstrip("\n")), highlight=False)


def _say_removed(removed: list[Path], lang: str) -> None:
    if removed:
        names = ", ".join(p.name for p in removed)
        console.print(escape(said(lang, "removed", names=names)))


def cluster(
    project: ProjectArg,
    dimension: Annotated[str, typer.Argument(help="An open dimension.")],
    k: Annotated[
        int | None, typer.Option(help="Number of themes (default: best silhouette).")
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            help="Answers shown in en (the codebook's English names) or zh (error messages stay English)."
        ),
    ] = "en",
    group: Annotated[
        str | None,
        typer.Option(
            help="Only the answers of this group of a grouped open dimension (the "
            "symbiotic environment's policy, technology, economy, society)."
        ),
    ] = None,
    source: SourceOpt = "final",
    scheme: SchemeOpt = None,
    json: JsonOpt = False,
) -> None:
    """Thematic clustering of an open dimension's normalised answers (themes are found
    in the answers as coded; --lang only changes how they are shown)."""
    from ihms.policy.cluster import cluster_dimension

    data = _data(project, source, scheme)
    result = cluster_dimension(data, dimension, group=group, k=k, lang=lang)
    if json:
        print_json({"k": result.k, "silhouette": result.silhouette, "themes": result.themes,
                    "assignments": result.assignments})  # fmt: skip
        return
    console.print(result.summary())
