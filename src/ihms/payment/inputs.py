"""Assemble a year's :class:`~ihms.payment.settlement.SettlementInputs` from tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ihms.errors import DataError, InputError, did_you_mean
from ihms.payment._checked import checked_arguments
from ihms.payment._names import CONSORTIUM_SUBJECT
from ihms.payment.budget import BudgetResult, PastYear, global_budget
from ihms.payment.indicator_values import scored_instead_hint
from ihms.payment.rules import PaymentRules
from ihms.payment.scoring import scored_indicators
from ihms.payment.settlement import FUND_BALANCE_RATE, SettlementInputs
from ihms.payment.tables import (
    CountyYear,
    IndicatorValues,
    PopulationTable,
    SpendingTable,
    StaffRoster,
)

__all__ = [
    "CONSORTIUM_SUBJECT",
    "check_indicator_ids",
    "check_scorecard_values",
    "county_year",
    "cross_check",
    "history_years_needed",
    "past_years",
    "settlement_inputs",
    "year_budget",
]


def history_years_needed(rules: PaymentRules) -> int:
    """How many previous years the rules read (0 for population-based budgets and FFS).

    Parameters
    ----------
    rules : PaymentRules
        The rule set (from :func:`~ihms.payment.load_rules`); its budget method and
        shared-savings benchmark decide how many previous years are read.

    Returns
    -------
    int
        ``budget.history_years`` for a history-based global budget, else
        ``shared_savings.history_years`` for a history-based benchmark, else 0.
    """
    if rules.budget is not None and rules.budget.method == "history":
        return rules.budget.history_years
    if rules.shared_savings is not None and rules.shared_savings.benchmark_method == "history":
        return rules.shared_savings.history_years
    return 0


def county_year(rules: PaymentRules, year: int, *, population: PopulationTable) -> CountyYear:
    """The year's population row as ``rules`` read it: with the resident population
    when their budget is set on residents (``budget.population: residents``), else
    without it, and with month-end family-physician registrations only when they pay a
    family-physician fee, so counts the rules do not read leave the inputs, and their
    digest, as they were.

    Parameters
    ----------
    rules : PaymentRules
        The rule set (from :func:`~ihms.payment.load_rules`).
    year : int
        The year settled.
    population : PopulationTable
        Validated population by year.

    Raises
    ------
    InputError
        The year has no row, or the rules read residents and the table has no
        ``resident_population`` column or the year's cell is empty (naming the file,
        the year, its row and the column).
    """
    county = population.for_year(year)
    if rules.family_physician_fee is None:
        # month-end registrations are read only by a family-physician fee: without one
        # they leave the inputs, and their digest, as they were before a store gave them
        county = dataclasses.replace(county, family_physician_members=None)
    if rules.budget is not None and rules.budget.population == "residents":
        population.residents_for(
            year,
            why=f"rules {rules.name!r} set the global budget on the county's residents "
            "(budget.population: residents)",
        )
        return county
    return dataclasses.replace(county, resident_population=None)


def past_years(
    rules: PaymentRules, year: int, *, spending: SpendingTable, population: PopulationTable
) -> tuple[PastYear, ...]:
    """The previous years the rules read for ``year`` (most recent first).

    Parameters
    ----------
    rules : PaymentRules
        The rule set (from :func:`~ihms.payment.load_rules`); its budget method and
        shared-savings benchmark decide how many previous years are read.
    year : int
        The year being settled; the years read are ``year - 1`` back to
        ``year - history_years_needed(rules)``.
    spending : SpendingTable
        Validated insurance spending by year, institution and setting (fen).
    population : PopulationTable
        Validated insured population by year.

    Returns
    -------
    tuple of PastYear
        One per previous year, most recent first; empty when the rules read no history.

    Raises
    ------
    InputError
        A needed previous year has no spending or population data.
    """
    history = []
    for j in range(1, history_years_needed(rules) + 1):
        y = year - j
        try:
            history.append(
                PastYear(y, population.for_year(y).insured_population, spending.for_year(y))
            )
        except InputError as exc:
            raise InputError(
                f"rules {rules.name!r} set {year}'s budget from previous years' spending: {exc}"
            ) from None
    return tuple(history)


def year_budget(
    rules: PaymentRules,
    year: int,
    *,
    population: PopulationTable,
    spending: SpendingTable | None = None,
) -> BudgetResult:
    """``year``'s global budget as ``rules`` set it from validated tables: on the year's
    population (:func:`county_year`) and, for a history-based budget, the previous years'
    spending (:func:`past_years`); a population-based budget reads no spending.

    Raises
    ------
    InputError
        The rules set no global budget, a history-based budget comes without
        ``spending``, or a year it needs has no data.
    """
    year = checked_arguments(
        rules, year, population=population, spending=spending, optional=("spending",)
    )
    if rules.budget is None:
        raise InputError(f"rules {rules.name!r} set no global budget ({rules.kind})")
    history: tuple[PastYear, ...] = ()
    if rules.budget.method == "history":
        if spending is None:
            raise InputError(
                f"rules {rules.name!r} set the budget from previous years' spending: "
                "no spending was given"
            )
        history = past_years(rules, year, spending=spending, population=population)
    return global_budget(
        rules, county=county_year(rules, year, population=population), history=history
    )


def settlement_inputs(
    rules: PaymentRules,
    year: int,
    *,
    spending: SpendingTable,
    population: PopulationTable,
    indicators: IndicatorValues | None = None,
    staff: StaffRoster | None = None,
    assume_assessment_passed: bool = False,
    staff_headcount: int | None = None,
) -> SettlementInputs:
    """The inputs for settling ``year`` under ``rules`` from validated tables.

    Only the previous years the rules need are included, so a change to an older year
    does not change this year's input digest.

    Parameters
    ----------
    rules : PaymentRules
        The rule set (from :func:`~ihms.payment.load_rules`); its budget method and
        shared-savings benchmark decide how many previous years are read.
    year : int
        The year to settle.
    spending : SpendingTable
        Validated insurance spending by year, institution and setting (fen).
    population : PopulationTable
        Validated insured population by year.
    indicators : IndicatorValues, optional
        Indicator values by year and subject: the ``"consortium"`` subject gives the
        assessment values, a ``staff_id`` subject a staff member's scorecard values. None
        (the default) gives no assessment values.
    staff : StaffRoster, optional
        The staff roster whose annual salaries are settled; None (the default) settles no
        salaries. Staff values are read only when ``indicators`` is given too.
    assume_assessment_passed : bool, default False
        Treat the consortium's assessment as passed when no assessment values are given
        (the record says so).
    staff_headcount : int, optional
        How many staff the incentive pool is for (the consortium's medical staff, Zhong
        et al. 2023), as the CLI's ``--staff-headcount``: the settled record then notes a roster
        listing fewer (with a head's share) or more (:func:`~ihms.payment.incentive_notes`;
        incentives above a base salary and a pool left unshared are noted either way).
        No figure and not the input digest depends on it.

    Returns
    -------
    SettlementInputs
        The year's county, spending, needed history, assessment and staff values.

    Raises
    ------
    InputError
        The year (or a needed previous year) has no spending or population data, the
        rules set the budget on residents and the year lacks ``resident_population``
        (:func:`county_year`), the rules score staff and ``staff`` comes without
        ``indicators``, or ``staff_headcount`` is not a whole number >= 1.
    DataError
        A scorecard the settlement will score lacks values: the consortium's (when it
        has any) or a staff member's, every gap named with file, year and subject; or a
        roster member works at an institution with no consortium spending in the year
        (:meth:`StaffRoster.check_institutions
        <ihms.payment.StaffRoster.check_institutions>`).
    """
    year = checked_arguments(rules, year, spending=spending, population=population,
                             indicators=indicators, staff=staff,
                             optional=("indicators", "staff"))  # fmt: skip
    year_spending = spending.for_year(year)
    if staff is not None:  # before any figure: salaries at a non-member are refused
        staff.check_institutions(year_spending.consortium, year=year, source=spending.source)
    county = county_year(rules, year, population=population)
    history = past_years(rules, year, spending=spending, population=population)
    check_scorecard_values(rules, year, indicators, staff)
    assessment = None
    staff_values = {}
    if indicators is not None:
        given = indicators.for_subject(year, CONSORTIUM_SUBJECT)
        assessment = dict(given) if given else None
        if staff is not None:
            staff_values = {
                m.staff_id: dict(indicators.for_subject(year, m.staff_id)) for m in staff.members
            }
    return SettlementInputs(
        county=county,
        spending=year_spending,
        history=history,
        assessment_values=assessment,
        staff=staff.members if staff is not None else (),
        staff_values=staff_values,
        assume_assessment_passed=assume_assessment_passed,
        staff_headcount=staff_headcount,
        indicators_source=None if indicators is None else indicators.source,
    )


def check_scorecard_values(
    rules: PaymentRules,
    year: int,
    indicators: IndicatorValues | None,
    staff: StaffRoster | None,
    *,
    settled: bool = True,
) -> None:
    """Refuse a year whose scorecards lack values, naming the file, year, subject and
    every missing indicator at once (scoring would stop at the first, knowing neither
    file nor year).

    Parameters
    ----------
    rules : PaymentRules
        The rule set whose scorecards are scored.
    year : int
        The year scored.
    indicators : IndicatorValues or None
        The values given (None: none given).
    staff : StaffRoster or None
        The roster scored by the rules' staff scorecards.
    settled : bool, default True
        The scorecards are scored inside a settlement, which computes
        ``fund_balance_rate`` under a global budget itself, and checks the consortium
        when the rules gate the balance on its assessment. False: scored alone, from the
        table only — every indicator must be in the table, and the consortium is checked
        whenever it has values and the rules have a director's card.

    Raises
    ------
    InputError
        Staff scored by scorecard but no indicator values at all.
    DataError
        A roster role the rules have no card for (:meth:`StaffRoster.check_roles
        <ihms.payment.StaffRoster.check_roles>`); one problem per subject lacking values (file, year, subject, scorecard, every
        missing indicator). The consortium is checked only when it has values (none at
        all is the settlement's own question: assumed passed, or an overspend).
    """
    cards = rules.staff_pay.scorecards
    scored = rules.staff_pay.method == "annual_salary"
    if staff is not None and scored:
        staff.check_roles(rules)  # before any value is looked up or anything computed
    if staff is not None and staff.members and scored and indicators is None:
        roles = sorted({m.role for m in staff.members if rules.staff_pay.card_for(m.role)})
        if roles:
            raise InputError(
                f"{staff.source}: rules {rules.name!r} pay staff by scorecard "
                f"({', '.join(roles)}), so the staff need indicator values: give them with "
                "the roster (parameter 'indicators')"
            )
    if indicators is None:
        return
    # the settlement's own figure under a global budget, never read from the table
    computed = {FUND_BALANCE_RATE} if rules.kind == "global_budget" and settled else set()
    gated = rules.kind == "global_budget" and rules.settlement.assessment == "director"
    subjects: list[tuple[str, str]] = []
    if (
        (gated or not settled)
        and "director" in cards
        and indicators.for_subject(year, CONSORTIUM_SUBJECT)
    ):
        subjects.append((CONSORTIUM_SUBJECT, "director"))
    if staff is not None and scored:
        subjects += [(m.staff_id, m.role) for m in staff.members]
    problems = []
    for subject, role in subjects:
        card = rules.staff_pay.card_for(role)
        if card is None:
            continue
        given = indicators.for_subject(year, subject)
        lacking = [i.id for i in card.indicators if i.id not in given and i.id not in computed]
        if lacking:
            which = (
                f"{role} scorecard"
                if card.role == role
                else f"{role}, on the {card.role}'s scorecard"
            )
            problems.append(
                f"{indicators.source}: {year}, subject {subject!r} ({which}): "
                f"no {', '.join(lacking)}"
            )
    if problems:
        n = len(problems)
        own = f" ({', '.join(sorted(computed))} is computed by the settlement)" if computed else ""
        scored_ids = scored_indicators(rules)
        if not settled and rules.kind == "global_budget" and FUND_BALANCE_RATE in scored_ids:
            own = f" ({FUND_BALANCE_RATE} included: scored without a settlement, it must be given)"
        raise DataError(
            f"{indicators.source}: {n} subject{'s lack' if n != 1 else ' lacks'} scorecard "
            f"values for {year}; add a row (year, subject, indicator, value) for each{own}",
            problems,
        )


def check_indicator_ids(indicators: IndicatorValues, rules: Sequence[PaymentRules]) -> None:
    """Refuse indicator ids no scorecard of ``rules`` scores (a typo would leave the
    indicator it meant without a value), naming file, row and the nearest known id.

    Rule sets without scorecards (staff paid by volume) score nothing and check nothing.

    Parameters
    ----------
    indicators : IndicatorValues
        The indicator values table to check (its ``source`` and rows name the errors).
    rules : sequence of PaymentRules
        The rule sets whose staff scorecards define the known indicator ids.

    Raises
    ------
    DataError
        Listing every row whose indicator is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> from ihms.payment import load_rules
    >>> values = IndicatorValues.from_frame(pd.DataFrame({"year": [2018], "subject":
    ...     ["consortium"], "indicator": ["hypertension_contrl_rate"], "value": ["0.7"]}),
    ...     source="ind.csv")
    >>> check_indicator_ids(values, [load_rules("sanming")])
    Traceback (most recent call last):
    ...
    ihms.errors.DataError: ind.csv: 1 row with an indicator the rules (sanming) do not score (they score diabetes_control_rate, fund_balance_rate, health_education_sessions, health_management_rate, hypertension_control_rate, outpatient_contacts_primary_share, thc_consultation_days)
      - column 'indicator' of ind.csv row 2: unknown indicator 'hypertension_contrl_rate' — did you mean 'hypertension_control_rate'?
    """
    from ihms.errors import format_location

    known = scored_indicators(*rules)
    if not known:
        return
    problems = []
    for (year, subject), given in indicators.values.items():
        for name in given:
            if name in known:
                continue
            row = indicators.rows.get((year, subject, name))
            where = format_location(file=indicators.source, row=row, field="indicator")
            hint = scored_instead_hint(name, known) or did_you_mean(name, known)
            problems.append((row or 0, f"{where}: unknown indicator {name!r}{hint}"))
    if problems:
        n = len(problems)
        names = ", ".join(r.name for r in rules)
        raise DataError(
            f"{indicators.source}: {n} row{'s' if n != 1 else ''} with an indicator the rules "
            f"({names}) do not score (they score {', '.join(sorted(known))})",
            [msg for _, msg in sorted(problems)],
        )


def cross_check(
    *,
    spending: SpendingTable | None = None,
    staff: StaffRoster | None = None,
    indicators: IndicatorValues | None = None,
    years: Sequence[int] = (),
) -> list[str]:
    """Ids one table uses that the others do not know: likely typos, each a note.

    Every table is valid on its own, and a settlement can still run, but a staff member
    at an institution with no spending in the table, or indicator values for a subject
    that is neither the consortium nor on the roster, usually mean a mistyped id: the
    values are then silently unused (or the salaries are booked to an unknown
    institution in the ledger).

    Parameters
    ----------
    spending : SpendingTable, optional
        Spending table; with ``staff``, staff at an institution with no consortium
        spending are noted.
    staff : StaffRoster, optional
        Staff roster; with ``indicators``, values for a subject neither on the roster
        nor ``"consortium"`` are noted.
    indicators : IndicatorValues, optional
        Indicator values table; a subject that only differs from ``"consortium"`` in case
        is noted even without a roster.
    years : sequence of int, default ()
        Check indicator values of these years only; empty (the default) checks all.

    Returns
    -------
    list of str
        One note per likely typo; empty when the tables agree (or fewer than two are given).

    Examples
    --------
    >>> import pandas as pd
    >>> roster = StaffRoster.from_frame(pd.DataFrame({"staff_id": ["D1"], "role": ["director"],
    ...     "institution_id": ["CH9"], "base_salary_fen": [100]}), source="staff.csv")
    >>> values = IndicatorValues.from_frame(pd.DataFrame({"year": [2019], "subject": ["D2"],
    ...     "indicator": ["x"], "value": [1]}), source="indicators.csv")
    >>> for note in cross_check(staff=roster, indicators=values):
    ...     print(note)
    indicators.csv: 2019 values for D2 are not used: no staff member in staff.csv has that staff_id, and only 'consortium' (or a name the spending table reads as it, such as 医共体) names the consortium
    """
    notes = []
    chosen = set(years)
    if spending is not None and staff is not None:
        frame = spending.frame
        known = set(frame.loc[frame["setting"] == "consortium", "institution_id"].dropna())
        lost = sorted({m.institution_id for m in staff.members} - known)
        for inst in lost:
            who = [m.staff_id for m in staff.members if m.institution_id == inst]
            notes.append(
                f"{staff.source}: institution_id {inst!r} (staff {', '.join(who)}) has no "
                f"consortium spending in {spending.source}; check the id"
            )
    if indicators is not None:
        roster = {m.staff_id for m in staff.members} if staff is not None else None
        for year in sorted({y for (y, _) in indicators.values}):
            if chosen and year not in chosen:
                continue
            odd = [
                s
                for s in indicators.subjects(year)
                if s != CONSORTIUM_SUBJECT
                and (s.casefold() == CONSORTIUM_SUBJECT or (roster is not None and s not in roster))
            ]
            if odd:
                roster_part = (
                    f"no staff member in {staff.source} has that staff_id, and "
                    if staff is not None
                    else ""
                )
                notes.append(
                    f"{indicators.source}: {year} values for {', '.join(odd)} are not used: "
                    f"{roster_part}only {CONSORTIUM_SUBJECT!r} (or a name the spending table "
                    "reads as it, such as 医共体) names the consortium"
                )
    return notes
