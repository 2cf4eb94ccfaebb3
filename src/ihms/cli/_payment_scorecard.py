"""``ihms payment scorecard``: the consortium's assessment and the staff's annual-salary
scorecards (a command of the ``payment`` group)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json, writes_every_row
from ihms.cli._notes import notes_on_stderr
from ihms.cli._payment_options import (
    ColumnsOpt,
    ConsortiumOpt,
    CountyOpt,
    DateOpt,
    IndicatorsOpt,
    JsonOpt,
    KeyFileOpt,
    LangOpt,
    RulesOpt,
    SpendingDate,
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
    write_payment_tables,
)
from ihms.cli._payment_reform import PartYearOpt, ReformOpt, known_reform, part_year_check
from ihms.cli._payment_tables import _settle, _Source, _tables
from ihms.errors import InputError


@writes_every_row("--out FILE")
def scorecard(
    year: YearOpt,
    indicators: IndicatorsOpt = None,
    rules: RulesOpt = "sanming",
    staff: StaffOpt = None,
    staff_headcount: StaffHeadcountOpt = None,
    spending: Annotated[
        Path | None,
        typer.Option("--spending", help="With --population: compute the fund balance rate."),
    ] = None,
    population: Annotated[
        Path | None, typer.Option("--population", help="Population table.")
    ] = None,
    store: StoreOpt = None,
    county: CountyOpt = None,
    date: DateOpt = SpendingDate.encounter,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    columns: ColumnsOpt = None,
    reform: ReformOpt = None,
    part_year: PartYearOpt = False,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Score the consortium's assessment and each staff member's annual-salary scorecard."""
    from ihms.payment._words_zh import said_note

    check_lang(lang)
    check_out(out)
    from ihms.errors import DataError
    from ihms.payment import (
        CONSORTIUM_SUBJECT,
        FUND_BALANCE_RATE,
        annual_salaries,
        check_scorecard_values,
        load_rules,
        score_card,
    )

    with notes_on_stderr():  # a rule file naming a former indicator id
        r = load_rules(rules)
    if r.staff_pay.method != "annual_salary":
        raise InputError(f"rules {r.name!r} pay staff by volume: there are no scorecards")
    source = _Source(store, county, consortium, key_file, columns, date)
    if store is None and (spending is None) != (population is None):
        raise InputError(
            "give both --spending and --population (to compute the fund balance rate), or neither"
        )
    if store is None and indicators is None:
        raise InputError("give --indicators, or --store to compute the consortium's rates")
    if spending is not None or store is not None:
        # no assume: scorecard has no --assume-passed
        record, noted = _settle(
            rules, year, spending=spending, population=population, indicators=indicators,
            staff=staff, source=source, headcount=staff_headcount, lang=lang,
        )  # fmt: skip
        cards = [] if record.assessment is None else [record.assessment]
        salaries = record.salaries
        notes = list(record.notes)  # the settlement's: incentive notes, spending size, ...
    else:
        noted, notes = (), []
        _, _, ind, st = _tables(None, None, indicators, staff, source, assess=[r], years=[year])
        cards = []
        given = ind.for_subject(year, CONSORTIUM_SUBJECT)
        salaries = None
        try:  # every subject's every gap at once, with file and year
            check_scorecard_values(r, year, ind, st, settled=False)
        except DataError as exc:
            if not any(FUND_BALANCE_RATE in p for p in exc.problems):
                raise
            raise DataError(
                f"{str(exc).splitlines()[0]}, or give --spending and --population (or "
                f"--store) and the settlement computes {FUND_BALANCE_RATE}",
                exc.problems,
            ) from None
        if given and "director" in r.staff_pay.scorecards:
            cards.append(
                score_card(r.staff_pay.scorecards["director"], given, subject=CONSORTIUM_SUBJECT)
            )
        if st is not None:
            values = {m.staff_id: ind.for_subject(year, m.staff_id) for m in st.members}
            salaries = annual_salaries(r.staff_pay, st.members, values, pool_fen=None)
        if not cards and salaries is None:
            held = sorted({y for (y, s) in ind.values if s == CONSORTIUM_SUBJECT})
            raise InputError(
                f"{indicators}: no values for subject {CONSORTIUM_SUBJECT!r} in {year} (it has "
                f"them for {', '.join(map(str, held)) or 'no year'}) and no --staff roster"
            )
    # the reform's baseline year is not scored either (its fund balance rate is a full
    # year's budget against part of a year's spending under the reform)
    warning = part_year_check(year, known_reform(reform, store), part_year)
    if warning is not None:
        payment_note(warning, lang)
        notes, noted = [*notes, warning], (*noted, warning)
    all_cards = cards + (list(salaries.scorecards) if salaries is not None else [])
    if out is not None:
        files = write_payment_tables(out, _out_tables(cards, salaries, notes), lang)
    if json:
        print_json(
            {
                "year": year,
                "scorecards": [c.to_dict() for c in all_cards],
                "salaries": None if salaries is None else salaries.to_dict(),
                "notes": notes,
            }
        )
    else:
        # each note once, as settle and distribute: those on stderr not again here
        for c in cards:
            console.print(in_lang(c.summary(), lang))
        shown = set(noted)
        if salaries is not None:
            table = salaries.summary()
            table = replace(table, notes=tuple(n for n in table.notes if n not in noted))
            console.print(in_lang(table, lang))
            shown.update(table.notes)
        for text in (n for n in notes if n not in shown):
            console.print(said_note(text) if lang == "zh" else text, highlight=False)
    if out is not None:
        say_written(files, json, lang)


def _out_tables(cards, salaries, notes: list[str]) -> list:
    """The tables for ``--out``: the consortium's card (``assessment``, as ``settle``
    names it) and the salaries, the command's notes below the last (each once)."""
    from ihms.payment import CONSORTIUM_SUBJECT

    tables = [
        ("assessment" if c.subject == CONSORTIUM_SUBJECT else f"{c.role} {c.subject}", c.summary())
        for c in cards
    ]
    if salaries is not None:
        tables.append(("salaries", salaries.summary()))
    name, last = tables[-1]
    tables[-1] = (
        name,
        replace(last, notes=(*last.notes, *(n for n in notes if n not in last.notes))),
    )
    return tables
