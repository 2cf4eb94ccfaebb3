"""``ihms payment budget|settle|distribute``: a year's global budget, its settlement
and how the kept balance is split (commands of the ``payment`` group)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json, writes_every_row
from ihms.cli._notes import notes_on_stderr
from ihms.cli._payment_options import (
    AssumeOpt,
    ColumnsOpt,
    ConsortiumOpt,
    CountyOpt,
    DateOpt,
    IndicatorsOpt,
    JsonOpt,
    KeyFileOpt,
    LangOpt,
    PopulationOpt,
    QualityScoreOpt,
    RulesOpt,
    SpendingDate,
    SpendingOpt,
    StaffHeadcountOpt,
    StaffOpt,
    StoreOpt,
    YearOpt,
)
from ihms.cli._payment_out import (
    OutOpt,
    check_lang,
    check_out,
    in_lang,
    payment_note,
    say_written,
    working_table,
    write_payment_tables,
)
from ihms.cli._payment_reform import (
    PartYearOpt,
    ReformOpt,
    known_reform,
    part_year_check,
    with_part_year_note,
)
from ihms.cli._payment_tables import (
    _settle,
    _settle_years,
    _Source,
    _tables,
    dating_notes,
)
from ihms.errors import InputError


@writes_every_row("--out FILE")
def budget(
    year: Annotated[
        list[int],
        typer.Option(
            "--year",
            help="The year to budget; repeat for several (one table, a row per year; "
            "--json a list of the years' budgets).",
        ),
    ],
    population: PopulationOpt = None,
    rules: RulesOpt = "sanming",
    spending: Annotated[
        Path | None,
        typer.Option("--spending", help="Spending table (needed by history-based budgets)."),
    ] = None,
    store: StoreOpt = None,
    county: CountyOpt = None,
    date: DateOpt = SpendingDate.encounter,
    columns: ColumnsOpt = None,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """The global budget of a year, with its working; of several years, a row each."""
    from ihms.payment import budgets_summary, county_year, global_budget, load_rules, past_years

    check_lang(lang)
    check_out(out)
    years = sorted(set(year))
    with notes_on_stderr():  # a rule file naming a former indicator id
        r = load_rules(rules)
    by_history = r.budget is not None and r.budget.method == "history"
    source = _Source(store, county, columns=columns, date=date)
    sp, pop, _, _ = _tables(
        spending, population, None, None, source, want_spending=by_history
    )  # fmt: skip
    if pop is None:
        raise InputError("give --population, or --store")
    if by_history and sp is None:
        raise InputError(
            f"rules {r.name!r} set the budget from previous years' spending: "
            "give --spending (or --store)"
        )
    common: list[str] = []
    if not by_history and store is not None and date == SpendingDate.settled:
        common.append(
            f"--date settled: rules {r.name!r} set the budget from the population and the "
            "premium, not from spending, so how the store's spending is dated changes nothing"
        )
    budgets = []  # (result, its notes): every year budgeted before anything is shown
    for y in years:
        history = past_years(r, y, spending=sp, population=pop) if by_history else ()
        # the years read, as settle notes them: claims settled after a 31 December
        dated = dating_notes(source, spending, [h.year for h in history]) if history else []
        result = global_budget(r, county=county_year(r, y, population=pop), history=history)
        budgets.append((result, [*dated, *common]))
    notes = list(dict.fromkeys(n for _, noted in budgets for n in noted))
    for text in notes:
        payment_note(text, lang)
    if len(budgets) == 1:
        result = budgets[0][0]
        table = result.summary()
        written = working_table(table, result.steps)
    else:
        table = written = budgets_summary([b for b, _ in budgets])
    if out is not None:
        written = replace(written, notes=(*written.notes, *notes))  # on stderr too
        name = "budget" if len(budgets) == 1 else "budgets"
        files = write_payment_tables(out, [(name, written)], lang)
    if json:
        # as settle --json: the rule set, the working with money in fen, and the notes
        given = [_budget_json(r.name, b, noted) for b, noted in budgets]
        print_json(given[0] if len(given) == 1 else given)
    else:
        console.print(in_lang(table, lang))
    if out is not None:
        say_written(files, json, lang)


def _budget_json(rules: str, result, notes: list[str]) -> dict:
    """One year's budget for ``--json``: the rule set, the figures and the working with
    money in fen (as ``settle --json``), and the notes on it."""
    steps = [
        {"step": s.label, "working": s.formula, "amount_fen": s.amount_fen, "value": s.value}
        for s in result.steps
    ]
    return {"rules": rules, **result.to_dict(), "steps": steps, "notes": notes}


@writes_every_row("--out FILE")
def settle(
    year: Annotated[
        list[int],
        typer.Option(
            "--year",
            help="The year to settle; repeat for several (a settlement each, its tables in "
            "year order; --json a list of the years' settlements).",
        ),
    ],
    spending: SpendingOpt = None,
    population: PopulationOpt = None,
    rules: RulesOpt = "sanming",
    store: StoreOpt = None,
    county: CountyOpt = None,
    date: DateOpt = SpendingDate.encounter,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    columns: ColumnsOpt = None,
    indicators: IndicatorsOpt = None,
    staff: StaffOpt = None,
    staff_headcount: StaffHeadcountOpt = None,
    assume_passed: AssumeOpt = False,
    quality_score: QualityScoreOpt = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="Post the settlement to this ledger (its folder is made if need be); of "
            "several years, each in year order once all are settled.",
        ),
    ] = None,
    scope: Annotated[
        str, typer.Option("--scope", help="Ledger scope (one per consortium).")
    ] = "consortium",
    steps: Annotated[bool, typer.Option("--steps", help="Show every step of the working.")] = False,
    reform: ReformOpt = None,
    part_year: PartYearOpt = False,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Settle a year: budget, charged spending, balance or overspend, who pays what; of
    several years, each in turn, every year settled before anything is posted or written."""
    from ihms.payment import Ledger

    check_lang(lang)
    check_out(out)
    if ledger is not None and not scope.strip():
        raise InputError(
            f"--scope {scope!r}: expected a name for the settlement series (one per "
            "consortium, e.g. youxi-ichc; default consortium), got an empty one"
        )
    years = sorted(set(year))
    source = _Source(store, county, consortium, key_file, columns, date)
    settled = _settle_years(
        rules, years, spending=spending, population=population, indicators=indicators,
        staff=staff, source=source, assume=assume_passed, quality=quality_score,
        headcount=staff_headcount, lang=lang,
    )  # fmt: skip
    settled = _part_years_noted(settled, reform, store, part_year)
    posted = []

    def post() -> None:
        if ledger is not None:
            # as compare's --figure: the folder is made once the settlement stands
            ledger.parent.mkdir(parents=True, exist_ok=True)
            with Ledger(ledger) as led:  # every year or none; a rerun re-posts only a change
                posted.extend(led.post_all([record for record, _ in settled], scope=scope))

    several = len(settled) > 1
    if out is not None:
        tables = []
        for record, _ in settled:
            ending = f"_{record.year}" if several else ""
            tables.append((f"settlement{ending}", record.summary()))
            if record.assessment is not None:
                tables.append((f"assessment{ending}", record.assessment.summary()))
            if steps:
                working = working_table(record.audit_trail(), record.steps)
                tables.append((f"working{ending}", working))
        # posted once the files are written beside their places: a file of the set that
        # cannot be written (a folder in its place) refuses before the ledger changes
        did = f"the ledger {ledger} was posted (a rerun re-posts only a change)"
        files = write_payment_tables(
            out, tables, lang, then=post if ledger is not None else None, then_did=did
        )
    else:
        post()
    if json:
        given = [record.to_dict() for record, _ in settled]
        for each, done in zip(given, posted, strict=False):  # none without --ledger
            each["ledger"] = done.__dict__
        print_json(given if several else given[0])
        if out is not None:
            say_written(files, json, lang)
        return
    for record, noted in settled:
        console.print(in_lang(_own_notes(record, noted).summary(), lang))
        if record.assessment is not None:
            console.print(in_lang(record.assessment.summary(), lang))
        if steps:
            console.print(in_lang(record.audit_trail(), lang))
    for record, done in zip([r for r, _ in settled], posted, strict=False):
        console.print(_posted_line(ledger, done, record.year if several else None),
                      highlight=False, soft_wrap=True)  # fmt: skip
    if out is not None:
        say_written(files, json, lang)


def _posted_line(ledger: Path | None, posted, year: int | None) -> str:
    """What posting a settlement to ``ledger`` did (of several years, ``year``'s)."""
    where = f"ledger {ledger}" if year is None else f"ledger {ledger}, {year}"
    written = f"{posted.postings_written:,} posting(s) written"
    if posted.status == "replaced":
        return (
            f"{where}: replaced batch {posted.replaced_batch_id}: reversal batch "
            f"{posted.reversal_batch_id} and new batch {posted.batch_id} written because "
            f"{posted.reason} ({written})"
        )
    return f"{where}: {posted.status} (batch {posted.batch_id}, {written})"


def _part_years_noted(settled, reform, store, part_year):
    """``settled`` (each year's record and notes) with the part-year warning of a
    reform's baseline year settled anyway (:func:`_part_year_noted`); a baseline year
    settled without ``--part-year`` refused before anything is posted or written."""
    known = known_reform(reform, store)
    if known is None:  # no year is a baseline year: the note on --part-year said once
        part_year_check(settled[0][0].year, None, part_year)
        return settled
    return [_part_year_noted(r, n, r.year, known, part_year) for r, n in settled]


@writes_every_row("--out FILE")
def distribute(
    year: YearOpt,
    spending: SpendingOpt = None,
    population: PopulationOpt = None,
    rules: RulesOpt = "sanming",
    store: StoreOpt = None,
    county: CountyOpt = None,
    date: DateOpt = SpendingDate.encounter,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    columns: ColumnsOpt = None,
    indicators: IndicatorsOpt = None,
    staff: StaffOpt = None,
    staff_headcount: StaffHeadcountOpt = None,
    assume_passed: AssumeOpt = False,
    quality_score: QualityScoreOpt = None,
    reform: ReformOpt = None,
    part_year: PartYearOpt = False,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """How the kept balance (or shared savings) is split by use, and the staff shares."""
    from ihms.payment._words_zh import said_note

    check_lang(lang)
    check_out(out)
    source = _Source(store, county, consortium, key_file, columns, date)
    record, noted = _settle(
        rules, year, spending=spending, population=population, indicators=indicators,
        staff=staff, source=source, assume=assume_passed, quality=quality_score,
        headcount=staff_headcount, lang=lang,
    )  # fmt: skip
    known = known_reform(reform, store)
    record, noted = _part_year_noted(record, noted, year, known, part_year)
    if out is not None:
        shares = record.distribution.summary()  # with the settlement's notes: no stderr
        tables = [("distribution", replace(shares, notes=(*shares.notes, *record.notes)))]
        if record.salaries is not None:
            tables.append(("salaries", record.salaries.summary()))
        files = write_payment_tables(out, tables, lang)
    if json:
        print_json(
            {
                "year": year,
                "rules": record.rules_name,
                "total_fen": record.distribution.total_fen,
                "allocations_fen": dict(record.distribution.allocations),
                "salaries": None if record.salaries is None else record.salaries.to_dict(),
                "notes": list(record.notes),
            }
        )
    else:
        console.print(in_lang(record.distribution.summary(), lang))
        if record.salaries is not None:
            table = record.salaries.summary()  # its notes printed on stderr left out
            table = replace(table, notes=tuple(n for n in table.notes if n not in noted))
            console.print(in_lang(table, lang))
        for note in _own_notes(record, noted).notes:
            console.print(said_note(note) if lang == "zh" else note, highlight=False)
    if out is not None:
        say_written(files, json, lang)


def _part_year_noted(record, noted, year, known, part_year):
    """``record`` and ``noted`` with the part-year warning (printed on stderr) when a
    reform's baseline year is settled anyway (``known``: the reform, as
    :func:`~ihms.cli._payment_reform.known_reform` gives it)."""
    warning = part_year_check(year, known, part_year)
    if warning is None:
        return record, noted
    return with_part_year_note(record, warning), (*noted, warning)


def _own_notes(record, noted):
    """``record`` without the notes already printed on stderr (``noted``), for the
    tables on stdout: each note is printed once."""
    return replace(record, notes=tuple(n for n in record.notes if n not in noted))
