"""``ihms system``: check a delivery-system file, report coverage, show its contents."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ihms._listing import first_of
from ihms._words import check_lang, said
from ihms.cli._common import (
    IhmsGroup,
    console,
    lang_option,
    note,
    print_json,
    writes_every_row,
)
from ihms.cli._system_show import console_table
from ihms.errors import InputError

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="The delivery system: institutions, grids, consortia, referral pathway, coverage.",
)

FileArg = Annotated[
    Path,
    typer.Argument(
        help="Delivery-system YAML file (format: README, 'Delivery system'; example: "
        "examples/youxi.yaml)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Year to look at (default: the last).")]
LangOpt = lang_option("The tables' titles, headers, vocabulary and notes")
WHAT = ("summary", "institutions", "grids", "consortia", "referrals", "cooperation")


def _load(path: Path):
    from ihms.system import load_system

    return load_system(path)


def _year(system, year: int | None) -> int | None:
    """``year`` checked against the system's years, else the last of them (of the
    period, else of the grids' population figures)."""
    years = system.years or system.population_years
    if year is None:
        return years[-1] if years else None
    if years and year not in years:
        raise InputError(f"--year: {system.name} covers {years[0]}–{years[-1]}, got {year}")
    return year


def _overview(system) -> dict:
    from collections import Counter

    years = system.years or system.population_years
    return {
        "name": system.name,
        "name_zh": system.name_zh,
        "period": [d.isoformat() for d in system.period] if system.period else None,
        "study_counties": list(system.study_counties),
        "counties": len(system.counties),
        "grids": len(system.grids),
        "institutions": len(system.institutions),
        "institutions_by_tier": dict(Counter(i.tier.value for i in system.institutions)),
        "consortia": [
            {
                "id": c.id,
                "type": c.type.value,
                "integration": c.integration.value,
                "members": len(c.members),
            }
            for c in system.consortia
        ],
        # the study counties' grids, as coverage counts them (review 30 #11: the summary
        # added every grid, a county listed only to place a hospital included)
        "population": {y: _studied_population(system, y) for y in years},
        "grids_outside_study_counties": [
            g.id for g in system.grids if g.county not in system.study_counties
        ],
        "extensions": sorted(system.extensions),
    }


def _studied_population(system, year: int) -> int:
    return sum(system.population(year, county=c) for c in system.study_counties)


@app.command()
def check(file: FileArg, json: JsonOpt = False, lang: LangOpt = "en") -> None:
    """Check a system file against the format and the consortium rules."""
    from ihms.system import coverage as compute_coverage
    from ihms.system import system_notes

    check_lang(lang)
    system = _load(file)
    notes = system_notes(system)
    info = _overview(system)
    year = _year(system, None)
    cov = compute_coverage(system, year=year)
    uncovered = [
        {"grid": g, "population": system.grid(g).population.get(year) if year else None}
        for g in cov.grids_uncovered
    ]
    # a consortium starting late leaves grids unserved in the years before it
    by_year = {
        y: list((cov if y == year else compute_coverage(system, year=y)).grids_uncovered)
        for y in system.years or system.population_years  # no period: as _year (review 30 #8)
    }
    if json:
        print_json({"ok": True, **info, "year": year, "grids_uncovered": uncovered,
                    "grids_uncovered_by_year": {str(y): g for y, g in by_year.items()},
                    "notes": notes})  # fmt: skip
        return
    earlier = [(y, g) for y, g in by_year.items() if y != year and g != by_year.get(year)]
    if lang == "zh":
        from ihms.system._words_zh import check_lines

        lines = check_lines(escape(file.name), escape(system.name_zh or system.name), info,
                            uncovered, year, earlier)  # fmt: skip
        for i, line in enumerate(lines):  # markup in the first only: grid ids are as written
            console.print(line, highlight=False, markup=i == 0)
        from ihms.system._notes_zh import system_note_zh

        for text in notes:
            console.print(said("zh", "note") + system_note_zh(text), highlight=False, markup=False)
        return
    counts = ", ".join(
        _count(n, one, many)
        for n, one, many in (
            (info["counties"], "county", "counties"),
            (info["grids"], "grid", "grids"),
            (info["institutions"], "institution", "institutions"),
            (len(system.consortia), "consortium", "consortia"),
        )
    )
    console.print(
        f"[green]ok[/green] {escape(file.name)}: {escape(system.name)} — {counts}; "
        "no problems found."
    )
    if uncovered:
        grids = ", ".join(
            g["grid"] + (f" ({g['population']:,} residents)" if g["population"] is not None else "")
            for g in uncovered
        )
        when = f" in {year}" if year else ""
        console.print(
            f"note: no consortium serves {_count(len(uncovered), 'grid', 'grids')}{when}: "
            f"{grids} (see 'ihms system coverage').",
            highlight=False,
            markup=False,
        )
    if earlier:
        console.print(
            "note: in earlier years no consortium serves: "
            + "; ".join(f"{y} {first_of(g) if g else '(every grid served)'}" for y, g in earlier)
            + ".",
            highlight=False,
            markup=False,
        )
    for text in notes:
        console.print(f"note: {text}.", highlight=False, markup=False)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@app.command()
def coverage(
    file: FileArg, year: YearOpt = None, json: JsonOpt = False, lang: LangOpt = "en"
) -> None:
    """Population, institutions and grids the consortia cover (Gao et al. 2022's shares)."""
    from ihms.system import coverage as compute_coverage

    check_lang(lang)
    system = _load(file)
    year = _year(system, year)  # "--year: ..." as show says it (review 30 #14)
    cov = compute_coverage(system, year=year)
    if json:
        print_json(cov.to_dict())
        return
    console.print(cov.summary(lang=lang))


def _overview_rows(info: dict) -> list[tuple[str, str]]:
    """The overview as lines a reader takes in: no Python lists or dicts."""
    period = info["period"]
    rows = [
        ("name", info["name"]),
        *([("name_zh", info["name_zh"])] if info["name_zh"] else []),
        ("period", f"{period[0]} to {period[1]}" if period else "—"),
        ("study counties", ", ".join(info["study_counties"])),
        ("counties", str(info["counties"])),
        ("grids", str(info["grids"])),
        ("institutions", f"{info['institutions']:,}"),
        (
            "by tier",
            ", ".join(f"{tier} {n:,}" for tier, n in info["institutions_by_tier"].items()),
        ),
        ("consortia", str(len(info["consortia"]))),
    ]
    rows += [
        (f"  {c['id']}", f"{c['type']}, {c['integration']}, {c['members']:,} members")
        for c in info["consortia"]
    ]
    rows.append(
        (
            "population (study counties)",
            "; ".join(f"{y}: {n:,}" for y, n in info["population"].items()) or "—",
        )
    )
    if info["grids_outside_study_counties"]:
        rows.append(
            ("grids outside them (not counted)", first_of(info["grids_outside_study_counties"]))
        )
    if info["extensions"]:
        rows.append(("other sections", ", ".join(info["extensions"])))
    return rows


@app.command()
def show(
    file: FileArg,
    what: Annotated[str, typer.Option("--what", help=f"One of: {', '.join(WHAT)}.")] = "summary",
    year: YearOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Show a system's institutions, grids, consortia or referral pathway."""
    import pandas as pd

    from ihms.summary import SummaryTable

    check_lang(lang)
    if what not in WHAT:
        raise InputError(f"--what: expected one of {', '.join(WHAT)}, got {what!r}")
    system = _load(file)
    if what == "summary":
        info = _overview(system)
        if json:
            print_json(info)
            return
        rows = _overview_rows(info)
        title = f"{system.name} ({file.name})"
        if lang == "zh":
            from ihms.system._words_zh import overview_rows

            name = system.name_zh or system.name  # the file's own Chinese name where given
            rows, title = overview_rows(info, rows), f"{name}（{file.name}）"
        frame = pd.DataFrame(rows, columns=["item", "value"]).set_index("item")
        table = SummaryTable(_escaped(frame), title=escape(title))
        console.print(show_zh(table) if lang == "zh" else table)
        return
    year = _year(system, year)  # consortia too: checked, and the last by default
    frame = system.to_frame(what, year)  # the year checked above, as the CLI says it
    if json:
        print_json(frame.reset_index())
        return
    title = f"{system.name}: {what}" + (f" ({year})" if year else "")
    if lang == "zh":
        from ihms.system._words_zh import WHAT as WHAT_ZH

        title = f"{system.name_zh or system.name}：{WHAT_ZH[what]}" + (
            f"（{year} 年）" if year else ""
        )
    table = console_table(frame, what, escape(title))
    table = replace(table, frame=_escaped(table.frame))
    console.print(show_zh(table) if lang == "zh" else table)


def show_zh(table):
    """A table of ``show`` (or ``off-pathway``) in Chinese: headers, and the vocabulary
    of tiers, types, degrees, forms and directions (:mod:`ihms.system._words_zh`)."""
    from ihms.system._words_zh import in_zh

    vocabulary = ("tier", "affiliation", "type", "integration", "direction", "target_tier",
                  "form", "source", "from_outside")  # fmt: skip
    return in_zh(table, cells=vocabulary)


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text escaped for rich: a name "THC one [closed 2021]" lost its
    bracketed words as markup (review 30 #12); --json prints the frame as it is."""
    text = {c: frame[c].map(lambda v: escape(v) if isinstance(v, str) else v) for c in frame}
    out = frame.assign(**text) if len(frame.columns) else frame
    if out.index.dtype == object:
        out.index = out.index.map(lambda v: escape(v) if isinstance(v, str) else v)
    return out


@app.command("off-pathway")
@writes_every_row("--out FILE")
def off_pathway(
    file: FileArg,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="The project's DuckDB store (default ihms.duckdb)."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Only this year's referrals (default: all).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write the list to this .csv or .xlsx file."),
    ] = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """List the referrals off the system file's referral pathway, each with the targets
    the pathway expected (what off_pathway_referrals counts)."""
    from ihms.cli._store import read_store
    from ihms.data.store import DEFAULT_STORE
    from ihms.indicators import IndicatorTables, off_pathway_list
    from ihms.summary import SummaryTable

    check_lang(lang)
    system = _load(file)
    with read_store(store if store is not None else Path(DEFAULT_STORE)) as data:
        tables = IndicatorTables.from_store(data)
        years = list(tables.period.years)
        if year is not None and year not in years:  # "--year: ..." as show and coverage say
            raise InputError(f"--year: the data cover {years[0]}–{years[-1]}, got {year}")
        frame = off_pathway_list(tables, system, year=year)
    for text in frame.attrs.get("notes", []):  # on stderr: --json's output stays one document
        if lang == "zh":  # system check's Chinese of a system-file note, "。" and all
            from ihms.system._notes_zh import system_note_zh

            note(system_note_zh(text), "zh")
        else:
            note(text)
    frame["date"] = frame["date"].dt.date.astype(str)
    n = len(frame)
    # "{name}: {what} ({year})" as show's titles; the year whose pathway judged them
    # named (session 31), as 'system show --what referrals --year Y' lists it
    title = f"{system.name}: {n:,} referral{'s' if n != 1 else ''} off the pathway" + (
        f" ({year})" if year is not None else ""
    )
    when = (
        f"the referral pathway of {year}, as 'ihms system show --what referrals --year {year}'"
        if year is not None
        else f"the referral pathway of its own year ({years[0]}–{years[-1]}), as 'ihms "
        "system show --what referrals --year YEAR'"
    )
    notes = (
        f"Each referral judged against {when} lists it; expected: the sender's targets in "
        "that direction that year.",
    )
    if lang == "zh":
        from ihms.system._words_zh import off_pathway_texts

        title, notes = off_pathway_texts(system.name_zh or system.name, n, year, years)
    table = SummaryTable(frame, title=title, notes=notes, show_index=False)
    if lang == "zh":
        table = show_zh(table)
    if out is not None:
        from ihms._sheet_names import sheet_name
        from ihms.table_files import write_summary_table

        write_summary_table(table, out, sheet=sheet_name(lang, "off_pathway"))
    if json:  # the targets as a list (session 31); the table files keep them space-separated
        print_json(frame.assign(expected=[e.split() for e in frame["expected"]]))
    else:
        short = {"from_institution_id": "from", "to_institution_id": "to"}
        shown = _escaped(table.frame.rename(columns=short))
        console.print(replace(table, frame=shown, title=escape(title)))
