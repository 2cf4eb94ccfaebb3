"""``ihms payment``: budgets, settlement, distribution, scorecards, comparison, ledger.

Every command reads the rules (``--rules``: a built-in name such as ``sanming`` or a
YAML file) and the tables it needs (spending, population, indicator values, staff), calls
:mod:`ihms.payment` and prints tables, or JSON with ``--json``.

With ``--store`` the spending and population tables are read from a data store and the
consortium's assessment rates are computed from it with the indicator catalogue. A table
given as a file as well takes precedence: ``--spending`` or ``--population`` replaces the
store's table, and a consortium value in ``--indicators`` replaces the computed rate for
that indicator and year (a note on stderr says which); staff rows are added. With
``--staff``, the roster's health education sessions and THC consultation days are counted
from the store's staff activities, under the file's values for a member.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import IhmsGroup, console, print_json
from ihms.cli._payment_tables import (
    KeyFileOpt,
    _need_both,
    _need_quality,
    _settle,
    _Source,
    _tables,
)
from ihms.errors import InputError

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Payment: global budgets, year-end settlement, balance distribution, annual-salary "
    "scorecards, shared savings and an auditable ledger.",
)

RulesOpt = Annotated[
    str,
    typer.Option(
        "--rules",
        help="Built-in rules (sanming, other-areas, fee-for-service, "
        "deqing-shared-savings, mssp) or a YAML rule file.",
    ),
]
YearOpt = Annotated[int, typer.Option("--year", help="The year to settle.")]
SpendingOpt = Annotated[
    Path | None,
    typer.Option(
        "--spending",
        help="Spending table (CSV or Parquet; money in whole fen, insurance_paid_fen, or in "
        "yuan, insurance_paid_yuan); replaces the store's.",
    ),
]
PopulationOpt = Annotated[
    Path | None,
    typer.Option("--population", help="Population table (CSV or Parquet); replaces the store's."),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Data store (ihms data import; ihms sim run --out DIR writes DIR/ihms.duckdb): "
        "spending, population and the consortium's yearly rates come from it.",
    ),
]
CountyOpt = Annotated[
    str | None,
    typer.Option("--county", help="With --store: the county (default: the one with residents)."),
]
ConsortiumOpt = Annotated[
    str | None,
    typer.Option(
        "--consortium",
        help="With --store: the consortium assessed (default: the county's one).",
    ),
]
IndicatorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--indicators",
        help="Indicator values (year, subject, indicator, value); with --store, a consortium "
        "value replaces the rate computed from the store.",
    ),
]
StaffOpt = Annotated[
    Path | None,
    typer.Option(
        "--staff",
        help="Staff roster for annual salaries (base_salary_fen, or base_salary_yuan in yuan).",
    ),
]
AssumeOpt = Annotated[
    bool,
    typer.Option("--assume-passed", help="Treat the assessment as passed if no values are given."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


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
    try:
        t = text.strip()
        return Decimal(t[:-1]) / 100 if t.endswith("%") else Decimal(t)
    except InvalidOperation:
        raise InputError(f"{name}: expected a rate such as 5% or 0.05, got {text!r}") from None


@app.command()
def rules(
    name: Annotated[
        str | None, typer.Argument(help="A built-in rule set to print as YAML.")
    ] = None,
) -> None:
    """List the built-in rule sets, or print one (a template for a county's own file)."""
    from ihms.payment import BUILTIN_RULES, builtin_rules_text, load_rules

    if name is not None:
        typer.echo(builtin_rules_text(name))
        return
    for n in BUILTIN_RULES:
        r = load_rules(n)
        console.print(f"[bold]{n}[/bold] ({r.kind}, v{r.version}): {r.title}", highlight=False)


@app.command()
def budget(
    year: YearOpt,
    population: PopulationOpt = None,
    rules: RulesOpt = "sanming",
    spending: Annotated[
        Path | None,
        typer.Option("--spending", help="Spending table (needed by history-based budgets)."),
    ] = None,
    store: StoreOpt = None,
    county: CountyOpt = None,
    json: JsonOpt = False,
) -> None:
    """The global budget of a year, with its working."""
    from ihms.payment import global_budget, load_rules, past_years

    r = load_rules(rules)
    by_history = r.budget is not None and r.budget.method == "history"
    sp, pop, _, _ = _tables(
        spending, population, None, None, _Source(store, county), want_spending=by_history
    )
    if pop is None:
        raise InputError("give --population, or --store")
    history = ()
    if by_history:
        if sp is None:
            raise InputError(
                f"rules {r.name!r} set the budget from previous years' spending: "
                "give --spending (or --store)"
            )
        history = past_years(r, year, spending=sp, population=pop)
    result = global_budget(r, county=pop.for_year(year), history=history)
    if json:
        # as settle --json: the rule set, and the working with money in fen
        steps = [
            {"step": s.label, "working": s.formula, "amount_fen": s.amount_fen, "value": s.value}
            for s in result.steps
        ]
        print_json({"rules": r.name, **result.to_dict(), "steps": steps})
    else:
        console.print(result.summary())


@app.command()
def settle(
    year: YearOpt,
    spending: SpendingOpt = None,
    population: PopulationOpt = None,
    rules: RulesOpt = "sanming",
    store: StoreOpt = None,
    county: CountyOpt = None,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    indicators: IndicatorsOpt = None,
    staff: StaffOpt = None,
    assume_passed: AssumeOpt = False,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="Post the settlement to this ledger.")
    ] = None,
    scope: Annotated[
        str, typer.Option("--scope", help="Ledger scope (one per consortium).")
    ] = "consortium",
    steps: Annotated[bool, typer.Option("--steps", help="Show every step of the working.")] = False,
    json: JsonOpt = False,
) -> None:
    """Settle a year: budget, charged spending, balance or overspend, who pays what."""
    from ihms.payment import Ledger

    source = _Source(store, county, consortium, key_file)
    record = _settle(rules, year, spending, population, indicators, staff, assume_passed, source)
    posted = None
    if ledger is not None:
        with Ledger(ledger) as led:
            posted = led.post(record, scope=scope)
    if json:
        out = record.to_dict()
        if posted is not None:
            out["ledger"] = posted.__dict__
        print_json(out)
        return
    console.print(record.summary())
    if record.assessment is not None:
        console.print(record.assessment.summary())
    if steps:
        console.print(record.audit_trail())
    if posted is not None:
        console.print(
            f"ledger {ledger}: {posted.status} (batch {posted.batch_id}, {posted.postings_written} posting(s) written)",
            highlight=False,
        )


@app.command()
def distribute(
    year: YearOpt,
    spending: SpendingOpt = None,
    population: PopulationOpt = None,
    rules: RulesOpt = "sanming",
    store: StoreOpt = None,
    county: CountyOpt = None,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    indicators: IndicatorsOpt = None,
    staff: StaffOpt = None,
    assume_passed: AssumeOpt = False,
    json: JsonOpt = False,
) -> None:
    """How the kept balance (or shared savings) is split by use, and the staff shares."""
    source = _Source(store, county, consortium, key_file)
    record = _settle(rules, year, spending, population, indicators, staff, assume_passed, source)
    if json:
        print_json(
            {
                "year": year,
                "rules": record.rules_name,
                "total_fen": record.distribution.total_fen,
                "allocations_fen": dict(record.distribution.allocations),
                "salaries": None if record.salaries is None else record.salaries.to_dict(),
            }
        )
        return
    console.print(record.distribution.summary())
    if record.salaries is not None:
        console.print(record.salaries.summary())
    for note in record.notes:
        console.print(note, highlight=False)


@app.command()
def scorecard(
    year: YearOpt,
    indicators: IndicatorsOpt = None,
    rules: RulesOpt = "sanming",
    staff: StaffOpt = None,
    spending: Annotated[
        Path | None,
        typer.Option("--spending", help="With --population: compute the fund balance rate."),
    ] = None,
    population: Annotated[
        Path | None, typer.Option("--population", help="Population table.")
    ] = None,
    store: StoreOpt = None,
    county: CountyOpt = None,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Score the consortium's assessment and each staff member's annual-salary scorecard."""
    from ihms.errors import DataError
    from ihms.payment import (
        CONSORTIUM_SUBJECT,
        FUND_BALANCE_RATE,
        annual_salaries,
        check_scorecard_values,
        load_rules,
        score_card,
    )

    r = load_rules(rules)
    if r.staff_pay.method != "annual_salary":
        raise InputError(f"rules {r.name!r} pay staff by volume: there are no scorecards")
    source = _Source(store, county, consortium, key_file)
    if store is None and (spending is None) != (population is None):
        raise InputError(
            "give both --spending and --population (to compute the fund balance rate), or neither"
        )
    if store is None and indicators is None:
        raise InputError("give --indicators, or --store to compute the consortium's rates")
    if spending is not None or store is not None:
        record = _settle(rules, year, spending, population, indicators, staff, False, source)
        cards = [] if record.assessment is None else [record.assessment]
        salaries = record.salaries
    else:
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
            salaries = annual_salaries(r.staff_pay, st.members, values)
        if not cards and salaries is None:
            held = sorted({y for (y, s) in ind.values if s == CONSORTIUM_SUBJECT})
            raise InputError(
                f"{indicators}: no values for subject {CONSORTIUM_SUBJECT!r} in {year} (it has "
                f"them for {', '.join(map(str, held)) or 'no year'}) and no --staff roster"
            )
    all_cards = cards + (list(salaries.scorecards) if salaries is not None else [])
    if json:
        print_json(
            {
                "year": year,
                "scorecards": [c.to_dict() for c in all_cards],
                "salaries": None if salaries is None else salaries.to_dict(),
            }
        )
        return
    for c in cards:
        console.print(c.summary())
    if salaries is not None:
        console.print(salaries.summary())


@app.command()
def compare(
    year: Annotated[
        list[int], typer.Option("--year", help="A year to compare (repeat the option).")
    ],
    spending: SpendingOpt = None,
    population: PopulationOpt = None,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules", help="Rule sets to compare (repeat; default sanming, other-areas)."
        ),
    ] = None,
    indicators: IndicatorsOpt = None,
    staff: StaffOpt = None,
    assume_passed: AssumeOpt = False,
    store: StoreOpt = None,
    county: CountyOpt = None,
    consortium: ConsortiumOpt = None,
    key_file: KeyFileOpt = None,
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
    json: JsonOpt = False,
) -> None:
    """Compare rule sets over the same years, observed and with a counterfactual saving."""
    from ihms.payment import compare_regimes, load_rules, observed_path, saving_path

    years = sorted(set(year))
    figure = None if figure is None else _figure_path(figure)
    if saving_from is not None and saving_from > years[-1]:
        raise InputError(
            f"--saving-from {saving_from}: after the last compared year ({years[-1]}), so the "
            f"saving would change nothing; give a year up to {years[-1]} (compared: "
            f"{', '.join(map(str, years))})"
        )
    rule_sets = [load_rules(s) for s in (rules or ["sanming", "other-areas"])]
    source = _Source(store, county, consortium, key_file)
    sp, pop, ind, st = _tables(
        spending, population, indicators, staff, source, assess=rule_sets, years=years
    )
    _need_both(sp, pop)
    for r in rule_sets:
        _need_quality(r, pop, years, from_store=store is not None and population is None)
    paths = [observed_path(sp)]
    rate = _rate(saving, "--saving")
    if not Decimal(0) <= rate < Decimal(1):
        raise InputError(
            f"--saving: expected a yearly saving of at least 0% and under 100% "
            f"(0% leaves the counterfactual path out), got {saving!r}"
        )
    if rate > 0:
        paths.append(saving_path(sp, rate=rate, from_year=saving_from or years[0]))
    result = compare_regimes(
        rule_sets,
        population=pop,
        paths=paths,
        years=years,
        indicators=ind,
        staff=st,
        assume_assessment_passed=assume_passed,
    )
    if figure is not None:
        figure.parent.mkdir(parents=True, exist_ok=True)
        fig = result.figure()
        fig.savefig(figure, format=figure.suffix[1:], dpi=110, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
    if json:
        print_json(
            {"settlements": result.to_frame(), "effect_of_saving": result.effect_of_saving()}
        )
        return
    console.print(result.summary())
    if len(result.paths) > 1:
        console.print(result.effect_summary())
    if figure is not None:
        console.print(f"figure written to {figure}", highlight=False)


@app.command("ledger")
def ledger_cmd(
    ledger: Annotated[Path, typer.Option("--ledger", help="The ledger file.")],
    year: Annotated[int | None, typer.Option("--year", help="Audit one year.")] = None,
    institution: Annotated[
        str | None, typer.Option("--institution", help="Audit one institution.")
    ] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="Ledger scope.")] = None,
    postings: Annotated[bool, typer.Option("--postings", help="List every posting.")] = False,
    json: JsonOpt = False,
) -> None:
    """Audit the ledger: batches, or one year's postings and net by account."""
    from ihms.payment import Ledger

    with Ledger(ledger, read_only=True) as led:
        if year is None:
            batches = led.batches(scope=scope)
            if json:
                print_json(batches)
            else:
                from ihms.payment.ledger_results import batches_summary

                console.print(
                    batches_summary(
                        batches,
                        title=f"Ledger {ledger}: batches",
                        notes=("--json shows input digests and posting times.",),
                    )
                )
            return
        view = led.audit(year, institution=institution, scope=scope)
    if json:
        print_json(
            {"year": year, "institution": institution, "net": view.net, "postings": view.postings}
        )
        return
    console.print(view.summary())
    if postings:
        console.print(view.postings_summary())
