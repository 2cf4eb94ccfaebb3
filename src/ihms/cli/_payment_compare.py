"""``ihms payment compare``: rule sets side by side over the same years, observed and
with a counterfactual saving (a command of the ``payment`` group)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from ihms._words import said
from ihms.cli._common import console, note, print_json, writes_every_row
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
    SpendingDate,
    SpendingOpt,
    StaffOpt,
    StoreOpt,
)
from ihms.cli._payment_out import (
    OutOpt,
    check_lang,
    check_out,
    exact_yuan_table,
    in_lang,
    payment_note,
    say_written,
    write_payment_tables,
)
from ihms.cli._payment_quality import (
    _check_quality_rules,
    _need_population_facts,
    _with_quality_score,
    quality_scores_by_year,
)
from ihms.cli._payment_reform import PartYearOpt, ReformOpt, known_reform, part_year_check
from ihms.cli._payment_tables import (
    SETTLE_OPTIONS,
    _need_both,
    _Source,
    _tables,
    dating_notes,
)
from ihms.cli._stats_options import as_options
from ihms.errors import InputError

#: Figure formats ``--figure`` writes (those the rest of ihms writes: PNG, PDF, SVG).
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


def _figure_path(path: Path) -> Path:
    """The file ``--figure`` writes: a .png, .pdf or .svg name (no suffix: .png added),
    checked before any work is done."""
    suffix = path.suffix.lower()
    if suffix == "":
        return path.with_name(path.name + ".png")
    if suffix not in FIGURE_SUFFIXES:
        raise InputError(
            f"--figure {path}: expected a {', '.join(FIGURE_SUFFIXES)} file name, got {suffix!r}"
        )
    return path


def _rate(text: str, name: str) -> Decimal:
    from ihms.payment._parse import parse_rate

    try:
        return parse_rate(text)
    except ValueError:
        raise InputError(f"{name}: expected a rate such as 5% or 0.05, got {text!r}") from None


#: Compared when no --rules is given; Deqing's shared savings too when --quality-score
#: gives the score they are gated on (without it they cannot be settled).
DEFAULT_RULES = ("sanming", "other-areas")
SCORED_DEFAULT = "deqing-shared-savings"


def _note_default_rules(pop, years: list[int], lang: str = "en") -> None:
    """After a comparison of the default rule sets without a quality score: how to
    include Deqing's — by ``--rules`` when the population table gives every compared
    year's score (``--quality-score`` would then be refused), else by the option for the
    years it lacks; in ``lang``."""
    lacking = [y for y in years if y not in pop.rows or pop.rows[y].quality_score is None]
    how = " ".join(f"--rules {r}" for r in (*DEFAULT_RULES, SCORED_DEFAULT))
    head = said(lang, "default rules", first=DEFAULT_RULES[0], second=DEFAULT_RULES[1],
                scored=SCORED_DEFAULT)  # fmt: skip
    if not lacking:
        note(said(lang, "default rules scored", head=head, how=how), lang)
        return
    years_said = said(lang, "list").join(map(str, lacking))
    missing = "" if lacking == years else said(lang, "default rules years", years=years_said)
    note(said(lang, "default rules unscored", head=head, missing=missing), lang)


@writes_every_row("--out FILE")
def compare(
    year: Annotated[
        list[int], typer.Option("--year", help="A year to compare (repeat the option).")
    ],
    spending: SpendingOpt = None,
    population: PopulationOpt = None,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            help="Rule sets to compare (repeat; default sanming, other-areas, and "
            "deqing-shared-savings when --quality-score is given). Deqing's shared savings "
            "need each year's quality score: --rules deqing-shared-savings with "
            "--quality-score YEAR=SCORE (or a quality_score column in --population).",
        ),
    ] = None,
    indicators: IndicatorsOpt = None,
    staff: StaffOpt = None,
    assume_passed: AssumeOpt = False,
    store: StoreOpt = None,
    county: CountyOpt = None,
    date: DateOpt = SpendingDate.encounter,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    columns: ColumnsOpt = None,
    saving: Annotated[
        str, typer.Option("--saving", help="Counterfactual saving a year, e.g. 5%.")
    ] = "5%",
    saving_from: Annotated[
        int | None,
        typer.Option(
            "--saving-from",
            help="First year of the saving, at most the last compared year "
            "(default: the first compared year).",
        ),
    ] = None,
    figure: Annotated[
        Path | None,
        typer.Option(
            "--figure",
            help="Write the comparison figure (.png, .pdf or .svg; no suffix: .png).",
        ),
    ] = None,
    quality_score: Annotated[
        list[str] | None,
        typer.Option(
            "--quality-score",
            help="Shared-savings rule sets: a compared year's quality score as YEAR=SCORE "
            "(2018=0.92 or 2018=92%; repeat for each year; a bare score when one year is "
            "compared), compared with the rules' quality standard; instead of a "
            "quality_score column in --population (a store holds none).",
        ),
    ] = None,
    reform: ReformOpt = None,
    part_year: PartYearOpt = False,
    out: OutOpt = None,
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Compare rule sets over the same years, observed and with a counterfactual saving."""
    from ihms.payment import (
        compare_regimes,
        comparison_size_notes,
        load_rules,
        observed_path,
        saving_path,
    )

    years = sorted(set(year))
    figure = None if figure is None else _figure_path(figure)
    check_lang(lang)
    check_out(out)
    if saving_from is not None and saving_from > years[-1]:
        raise InputError(
            f"--saving-from {saving_from}: after the last compared year ({years[-1]}), so the "
            f"saving would change nothing; give a year up to {years[-1]} (compared: "
            f"{', '.join(map(str, years))})"
        )
    scores = quality_scores_by_year(quality_score or [], years)
    with notes_on_stderr():  # a rule file naming a former indicator id
        defaults = [*DEFAULT_RULES, SCORED_DEFAULT] if scores else list(DEFAULT_RULES)
        rule_sets = [load_rules(s) for s in (rules or defaults)]
    if scores:
        _check_quality_rules(*rule_sets)
    source = _Source(store, county, consortium, key_file, columns, date)
    sp, pop, ind, st = _tables(
        spending, population, indicators, staff, source, assess=rule_sets, years=years,
        assume=assume_passed,
    )  # fmt: skip
    _need_both(sp, pop)
    known = known_reform(reform, store)
    part = [w for y in years if (w := part_year_check(y, known, part_year)) is not None]
    for text in part:
        payment_note(text, lang)
    for score_year, score in scores.items():
        pop = _with_quality_score(pop, score_year, score, population)
    _need_population_facts(
        rule_sets,
        pop,
        years,
        from_store=store is not None and population is None,
        score_option="--quality-score YEAR=SCORE for each year",
    )
    paths = [observed_path(sp)]
    rate = _rate(saving, "--saving")
    if not Decimal(0) <= rate < Decimal(1):
        raise InputError(
            f"--saving: expected a yearly saving of at least 0% and under 100% "
            f"(0% leaves the counterfactual path out), got {saving!r}"
        )
    if rate > 0:
        paths.append(saving_path(sp, rate=rate, from_year=saving_from or years[0]))
    with as_options(SETTLE_OPTIONS):
        result = compare_regimes(
            rule_sets,
            population=pop,
            paths=paths,
            years=years,
            indicators=ind,
            staff=st,
            assume_assessment_passed=assume_passed,
        )
    sized = comparison_size_notes(
        result, column=sp.paid_column, source=sp.source, in_yuan=sp.paid_in_yuan
    )
    dated = dating_notes(source, spending, years)
    for text in (*sized, *dated):
        payment_note(text, lang)  # as settle's: never a refusal
    if figure is not None:
        figure.parent.mkdir(parents=True, exist_ok=True)
        fig = result.figure(lang=lang)
        fig.savefig(figure, format=figure.suffix[1:], dpi=110, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
    if out is not None:
        files = write_payment_tables(out, _out_tables(result, [*part, *sized, *dated]), lang)
    if json:
        print_json(
            {
                "settlements": result.to_frame(),
                "effect_of_saving": result.effect_of_saving(),
                "notes": [*result.notes, *part, *sized, *dated],
            }
        )
    else:
        console.print(in_lang(result.summary(), lang))
        if len(result.paths) > 1:
            console.print(in_lang(result.effect_summary(), lang))
        if figure is not None:
            console.print(f"figure written to {figure}", highlight=False, soft_wrap=True)
    if out is not None:
        say_written(files, json, lang)
    if not rules and not scores:
        _note_default_rules(pop, years, lang)


def _out_tables(result, notes: list[str]) -> list:
    """The tables for ``--out``: the comparison and the effect of the saving as the
    command prints them, but every amount exact in yuan (``*_yuan``, the names of
    ``--json``'s ``*_fen``) where the console rounds to 0.01 million yuan; the
    command's notes (on stderr) below the first."""
    from ihms.payment.compare import EXACT_NOTE as exact

    shown = result.summary()
    tables = [
        (
            "comparison",
            exact_yuan_table(
                result.to_frame(),
                title=shown.title.replace("(million yuan)", "(yuan)"),
                notes=[*shown.notes, exact, *notes],
            ),
        )
    ]
    if len(result.paths) > 1:
        effect = result.effect_summary()
        tables.append(
            (
                "effect",
                exact_yuan_table(
                    result.effect_of_saving(),
                    title=effect.title.replace("(million yuan)", "(yuan)"),
                    notes=[*effect.notes, exact],
                ),
            )
        )
    return tables
