"""Where ``ihms payment`` reads its tables: files, or a data store under them (``--store``).

A table given as a file takes precedence over the store's: ``--spending`` or
``--population`` replaces it, and a consortium value in ``--indicators`` replaces the rate
computed from the store for that indicator and year (a note on stderr says which).
Family-physician registrations are counted from the store's registration dates; for a
rule set that pays a fee per registered resident they must be countable (data schema
1.1, every registration dated), else the command stops and asks for ``--population``;
for other rule sets a note on stderr says they were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import note
from ihms.cli._notes import notes_on_stderr
from ihms.cli._payment_store_staff import _store_staff_values
from ihms.cli._stats_options import _renamed, as_options
from ihms.errors import InputError

#: The settlement's Python words and the options a command-line user gives instead
#: (:func:`ihms.cli._stats_options.as_options` rewrites its messages with them).
SETTLE_OPTIONS: tuple[tuple[str, str], ...] = (
    ("(assume_assessment_passed=True)", "(--assume-passed)"),
    ("(parameter 'indicators')", "(--indicators)"),
    # an incentive note's request for the headcount (ihms.payment.incentive_notes)
    (
        "give the headcount the pool is for to check",
        "give --staff-headcount, the headcount the pool is for, to check",
    ),
)

KeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="With --store and --staff: the key the store's ids were pseudonymised with on "
        "import (else $IHMS_PSEUDONYM_KEY).",
    ),
]


@dataclass(frozen=True)
class _Source:
    """Where the tables come from: files only, or a store (``--store``) under them."""

    store: Path | None = None
    county: str | None = None
    consortium: str | None = None
    key_file: Path | None = None
    #: ``--columns``: the column map the table files are read through.
    columns: Path | None = None
    #: ``--date``: how the store's spending is dated (encounter or settled).
    date: str = "encounter"

    @cached_property
    def column_map(self):
        """The map ``columns`` names, read and checked once (:func:`column_map`): the
        tables are read through it and a settlement records it."""
        return column_map(self.columns)


def column_map(path: Path | None):
    """The column map ``--columns`` gives (None: none), checked against the columns the
    payment tables read (:data:`ihms.payment.TABLE_COLUMNS`) before any table is read."""
    if path is None:
        return None
    from ihms.data import read_column_map
    from ihms.payment import TABLE_COLUMNS

    return read_column_map(path, tables=TABLE_COLUMNS)


def _open_store(path: Path):
    from ihms.cli._store import missing_store
    from ihms.data import Store

    if path.is_dir() and (path / "ihms.duckdb").is_file():
        path = path / "ihms.duckdb"
    if not path.is_file():
        raise InputError(missing_store(path))
    return Store(path, read_only=True)


def _store_county(store, county: str | None) -> str:
    from ihms.payment import study_county

    try:
        return study_county(store, county)
    except InputError as exc:
        raise InputError(
            f"--{exc} (choose with --county)" if county is None else f"--{exc}"
        ) from None


def _store_consortium(store, county: str, consortium: str | None) -> str:
    from ihms.payment import assessed_consortium

    try:
        return assessed_consortium(store, county_id=county, consortium_id=consortium)
    except InputError as exc:
        hint = " (choose one with --consortium)" if consortium is None else ""
        raise InputError(f"--{exc}{hint}") from None


def _store_population(store, county: str, assess: Sequence):
    """The store's population. Rule sets paying a family-physician fee require its
    registrations (a fee on a guessed count is wrong money); for the others a store that
    cannot count them gets a note on stderr and the count is left out."""
    from ihms.errors import DataError
    from ihms.payment import population_from_store

    paying = [r.name for r in assess if r.family_physician_fee is not None]
    try:
        with notes_on_stderr():
            pop = population_from_store(
                store, county_id=county, registrations="required" if paying else "if_known"
            )
    except DataError as exc:
        raise DataError(
            f"rules {', '.join(paying)} pay a family-physician fee per registered resident, "
            f"but {str(exc).splitlines()[0]} (or --population with family_physician_registered)",
            exc.problems,
        ) from None
    return pop


def _tables(
    spending: Path | None,
    population: Path | None,
    indicators: Path | None,
    staff: Path | None,
    source: _Source = _Source(),
    *,
    assess: Sequence = (),
    years: Sequence[int] = (),
    want_spending: bool = True,
    assume: bool | None = None,
):
    """Read the tables; with a store, fill what no file gives from it. ``assess``: the
    rule sets whose consortium assessment the store's rates feed (none: not computed);
    ``assume``: whether ``--assume-passed`` was given (None: the command has none)."""
    from ihms.payment import (
        IndicatorValues,
        PopulationTable,
        SpendingTable,
        StaffRoster,
        check_indicator_ids,
    )

    if source.store is None and (source.county or source.consortium):
        raise InputError("--county and --consortium choose data in a store: give --store too")
    if source.key_file is not None and (source.store is None or staff is None):
        raise InputError(
            "--key-file matches a --staff roster's ids to a pseudonymised --store: give "
            "--store and --staff too"
        )
    if source.columns is not None and all(
        p is None for p in (spending, population, indicators, staff)
    ):
        raise InputError(
            f"--columns {source.columns}: a column map renames the columns of table files "
            "(--spending, --population, --indicators, --staff), but no table file was "
            "given; a store's tables are read by their own names"
        )
    columns = source.column_map  # a bad map: no table read
    with notes_on_stderr():
        sp = None if spending is None else SpendingTable.read(spending, columns=columns)
        pop = None if population is None else PopulationTable.read(population, columns=columns)
        ind = None if indicators is None else IndicatorValues.read(indicators, columns=columns)
        st = None if staff is None else StaffRoster.read(staff, columns=columns)
    for option, path, empty in (
        ("--spending", spending, sp is not None and sp.frame.empty),
        ("--population", population, pop is not None and not pop.rows),
        ("--indicators", indicators, ind is not None and not ind.values),
        ("--staff", staff, st is not None and not st.members),
    ):
        if empty:
            raise InputError(f"{option} {path}: the file has no rows (only a header)")
    if ind is not None and assess:
        check_indicator_ids(ind, assess)
    if source.store is None:
        _check_roster(sp, st, years)
        return _noted(sp, pop, ind, st, years)
    from ihms.payment import spending_from_store

    with _open_store(source.store) as store:
        county = _store_county(store, source.county)
        if sp is None and want_spending:
            sp = spending_from_store(store, county_id=county, date=str(source.date))
        if pop is None:
            pop = _store_population(store, county, assess)
        _store_has_years(store, sp if spending is None else None, pop, population, years)
        _check_roster(sp, st, years)
        # the rule sets that score the consortium (its director's scorecard)
        cards = [c for r in assess if (c := r.staff_pay.scorecards.get("director"))]
        if years and ((spending is None and want_spending) or cards):
            _note_month_gaps(store, years)
        if cards:
            from ihms.cli._payment_store_rates import consortium_rates
            from ihms.payment.indicator_values import note_changed_measures

            unit = _store_consortium(store, county, source.consortium)
            computed = f"The rate computed from store {store.path} is what the id counts now"
            for r in assess:  # a card scoring a measure since changed, on the store's rate
                note_changed_measures(
                    r,
                    settled=f"{computed}, and the years are settled",
                    settled_zh=f"由库 {store.path} 计算的比率即该指标现在的口径，各年度",
                    roles=("director",),
                )
            ind = consortium_rates(store, unit, ind, cards, years, assume)
        if st is not None and st.members:
            ind = _store_staff_values(store, st, ind, assess, years, source.key_file)
    return _noted(sp, pop, ind, st, years)


def dating_notes(source: _Source, spending: Path | None, years: Sequence[int]) -> list[str]:
    """The notes on claims settled after a year's 31 December
    (:func:`ihms.payment.late_settlement_note`), for each of ``years`` (the years whose
    spending was read), when the spending is the store's."""
    if source.store is None or spending is not None:
        return []
    from ihms.payment import late_settlement_note

    with _open_store(source.store) as store:
        county = _store_county(store, source.county)
        found = (
            late_settlement_note(store, y, county_id=county, date=str(source.date)) for y in years
        )
        return [n for n in found if n is not None]


def _note_month_gaps(store, years: Sequence[int]) -> None:
    """The note ``ihms data import`` gives on months without encounters, for the years
    read: their spending and rates lack those months (almost certainly the extract's
    gap, not months without care), so the spending charged is too low and a balance
    overstated."""
    from ihms.data import month_gaps

    gaps = month_gaps(store, years=years)
    if gaps:
        note(
            f"{gaps}; in the settlement, the spending charged for those months is too low, "
            "so a balance is overstated"
        )


def _store_has_years(store, sp, pop, population: Path | None, years: Sequence[int]) -> None:
    """Refuse a year the store's tables do not hold (before its rates are computed, whose
    lack would otherwise be blamed); ``sp`` is None when a file replaced it."""
    held = sp.years if sp is not None else list(pop.rows) if population is None else None
    if held is None:
        return
    lacking = [y for y in years if y not in held]
    if lacking:
        what = "spending" if sp is not None else "population"
        raise InputError(
            f"--store {store.path}: no {what} data for {', '.join(map(str, lacking))}; the "
            f"store holds {', '.join(map(str, held)) or 'no year'}"
        )


def _check_roster(sp, st, years: Sequence[int]) -> None:
    """Refuse, before any note, roster members at an institution that is not a consortium
    member in a year settled (:meth:`~ihms.payment.StaffRoster.check_institutions`, which
    the settlement runs again): :func:`_noted`'s note on the same ids printed just before
    the refusal read as though the work went on (session 29's closing note)."""
    if sp is None or st is None or not st.members:
        return
    for year in years:
        if year in sp.years:  # a year the table lacks is refused, named, by the settlement
            st.check_institutions(sp.for_year(year).consortium, year=year, source=sp.source)


def _noted(sp, pop, ind, st, years: Sequence[int]):
    """The tables, after a note on stderr for each id one uses and the others lack."""
    from ihms.payment import cross_check

    for text in cross_check(spending=sp, staff=st, indicators=ind, years=years):
        note(text)
    return sp, pop, ind, st


def _need_both(sp, pop) -> None:
    if sp is None or pop is None:
        raise InputError("give --spending and --population, or --store (a file replaces its table)")


def _settle(rules_spec, year: int, **given):
    """The year's settlement record and the notes printed on stderr and added to its
    notes (:func:`_settle_years` of the one year)."""
    return _settle_years(rules_spec, [year], **given)[0]


def _settle_years(
    rules_spec,
    years: Sequence[int],
    *,
    spending: Path | None,
    population: Path | None,
    indicators: Path | None,
    staff: Path | None,
    source: _Source,
    assume: bool | None = None,
    quality: str | None = None,
    headcount: int | None = None,
    lang: str = "en",
):
    """Each year's settlement record, and the notes printed on stderr and added to its
    notes: a spending size that looks like a yuan/fen slip, incentive shares that look
    split over a partial roster (review P #2). A command prints the record's other notes
    with its tables and these not again (``--json`` gives all in ``notes``); ``lang``
    ``"zh"`` prints those :mod:`ihms.payment._words_zh` says in Chinese (the notes
    returned stay English, as the record's). The tables are read once, every year is
    settled before any is returned (a year the data lacks stops all, each such year
    named), and a note two years share is printed once.

    ``spending`` … ``staff``: the table files given (None: the store's, or none);
    ``assume``: ``--assume-passed`` (None: the command has none); ``quality``:
    ``--quality-score``; ``headcount``: ``--staff-headcount``."""
    from ihms.cli._payment_quality import (
        _check_quality_rules,
        _need_population_facts,
        _with_quality_score,
        quality_score_option,
    )
    from ihms.payment import load_rules, settle_year, settlement_inputs

    with notes_on_stderr():  # a rule file naming a former indicator id
        rules = load_rules(rules_spec)
    score = quality_score_option(quality)
    if score is not None:
        _check_quality_rules(rules)
    sp, pop, ind, st = _tables(
        spending, population, indicators, staff, source, assess=[rules], years=years,
        assume=assume,
    )  # fmt: skip
    _need_both(sp, pop)
    if len(years) > 1:
        _has_years(sp, pop, years)
    if score is not None:
        if len(years) > 1:
            raise InputError(
                f"--quality-score gives one year's score, but {len(years)} years are "
                "settled: give each year's score in --population's quality_score column"
            )
        pop = _with_quality_score(pop, years[0], score, population)
    _need_population_facts(
        [rules],
        pop,
        years,
        from_store=source.store is not None and population is None,
        score_option="--quality-score for the year settled",
    )
    settled = []
    for year in years:
        with as_options(SETTLE_OPTIONS):
            inputs = settlement_inputs(
                rules,
                year,
                spending=sp,
                population=pop,
                indicators=ind,
                staff=st,
                assume_assessment_passed=bool(assume),
                staff_headcount=headcount,
            )
            settled.append((settle_year(rules, inputs), inputs))
    from ihms._words import said
    from ihms.payment._words_zh import said_note

    out, printed = [], {}  # each note printed once, with the years it is on
    for record, inputs in settled:
        mapped = source.column_map  # recorded, as `ihms data import` records it
        if mapped is not None:
            record = replace(record, column_map=mapped.record)
        # the settlement's incentive notes (review P #2), in the command's words, are
        # printed on stderr with the notes the command adds; its other notes go with its
        # tables
        shares = incentive_shares_noted(record)
        own = tuple(_renamed(n, SETTLE_OPTIONS) for n in record.notes)
        read = [record.year, *(p.year for p in inputs.history)]
        dated = dating_notes(source, spending, read)
        noted = (*_size_notes(record, sp), *dated, *(_renamed(n, SETTLE_OPTIONS) for n in shares))
        for text in noted:
            printed.setdefault(text, []).append(record.year)
        added = tuple(n for n in noted if n not in own)
        out.append((replace(record, notes=(*own, *added)), noted))
    for text, on in printed.items():
        text_said = said_note(text) if lang == "zh" else text
        if len(years) > 1:
            on_said = said(lang, "list").join(map(str, on))
            text_said = said(lang, "years note", years=on_said, note=text_said)
        note(text_said, lang)
    return out


def _has_years(sp, pop, years: Sequence[int]) -> None:
    """Refuse, naming each, the years of several to settle that the spending or the
    population table lacks, before any is settled."""
    lacking = [
        f"{source}: no {table} for {', '.join(map(str, missing))} (years present: "
        f"{', '.join(map(str, held)) or 'none'})"
        for table, source, held in (
            ("spending data", sp.source, sorted(sp.years)),
            ("population", pop.source, sorted(pop.rows)),
        )
        if (missing := [y for y in years if y not in held])
    ]
    if lacking:
        raise InputError(
            f"cannot settle {', '.join(map(str, years))}: "
            + "; ".join(lacking)
            + "; nothing was settled, posted or written"
        )


def incentive_shares_noted(record) -> list[str]:
    """Which of ``record``'s notes are the settlement's notes on its incentive shares
    (:func:`ihms.payment.incentive_notes`, which :func:`~ihms.payment.settle_year` adds)."""
    from ihms.payment import incentive_notes

    if record.salaries is None:
        return []
    headcount = record.inputs.staff_headcount
    return [n for n in incentive_notes(record.salaries, headcount=headcount) if n in record.notes]


def _size_notes(record, sp) -> list[str]:
    """Notes when the record's spending is implausibly small or large for its budget: a
    yuan/fen mix-up in the spending table's column."""
    from ihms.payment import spending_size_notes

    return spending_size_notes(
        record, column=sp.paid_column, source=sp.source, in_yuan=sp.paid_in_yuan
    )
