"""The payment step's staff: who is paid by scorecard, and where their values come from.

With the simulated county's store and roster (the simulator's ``staff`` section), the
doctors are the simulated physicians of each year — every county-hospital and
township-health-centre physician the county file counts — on the rule set's doctor card;
their health education sessions and consultation days are counted from the store's
``staff_activities`` with :func:`~ihms.payment.staff_values_from_store`, as a county's
own supervision records would be, and their health-management rate is the consortium's
(no table records which doctor manages which patient). The directors and their values
stay the illustrative ones of ``examples/payment/`` (a director's card reads the rates
of their institution, which the demo does not compute). Without a simulated store, or
when it records no staff activities, the whole roster and its values are the
illustrative tables, and the prose says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from ihms.demo import _payment_staff_zh as zh
from ihms.payment import (
    CONSORTIUM_SUBJECT,
    IndicatorValues,
    PaymentRules,
    SettlementRecord,
    StaffRoster,
    staff_values_from_store,
)
from ihms.payment.money import yuan_column
from ihms.payment.reform import month_words
from ihms.payment.salary import pool_note
from ihms.sources import ZHONG_2023
from ihms.summary import SummaryTable

__all__ = [
    "MANAGEMENT_RATES",
    "DemoStaff",
    "illustrative_staff",
    "salaries_by_group",
    "simulated_staff",
    "staff_text",
]

#: The catalogue's management rates whose patients make the doctors' rate.
MANAGEMENT_RATES = ("hypertension_management_rate", "diabetes_management_rate")
#: The simulator's tiers as the tables name them.
_GROUPS = {
    "county_hospital": "County-hospital doctors",
    "township_health_centre": "Township-health-centre doctors",
}


@dataclass(frozen=True)
class DemoStaff:
    """The roster of each settled year and the staff's scorecard values.

    ``simulated`` says the doctors are the simulated county's; ``why`` says why they are
    the illustrative ones otherwise; ``groups`` maps a staff id to its row of the
    salaries table; ``management_rate`` is the consortium's rate each doctor is given;
    ``reform`` the simulated config's reform month, from which its staff rates change.
    """

    rosters: dict[int, StaffRoster]
    values: IndicatorValues
    simulated: bool
    why: str = ""
    groups: dict[str, str] | None = None
    management_rate: dict[int, Decimal] | None = None
    reform: str | None = None


def illustrative_staff(ex: Path, years, *, why: str, rename=None) -> DemoStaff:
    """``examples/payment/``'s roster and staff values for every year; ``rename`` maps
    the example's institution ids to the store's (CH01 → YX-CH01)."""
    roster = pd.read_csv(ex / "staff.csv", dtype=str)
    if rename:
        roster["institution_id"] = roster["institution_id"].map(lambda i: rename.get(i, i))
    staff = StaffRoster.from_frame(roster, source="examples/payment/staff.csv")
    example = IndicatorValues.read(ex / "indicators.csv")
    values = {k: v for k, v in example.values.items() if k[1] != CONSORTIUM_SUBJECT}
    return DemoStaff(
        {y: staff for y in years}, IndicatorValues(values, source="examples/payment"), False, why
    )


def _management_rate(measured, consortium: str) -> dict[int, Decimal]:
    """Per year: the consortium's managed hypertension and diabetes patients followed up
    at least four times, over all its managed patients (a patient with both counts in
    each), exact from the catalogue's counts."""
    frame = measured.select(indicators=list(MANAGEMENT_RATES), units=[consortium])
    sums = frame.groupby("period")[["numerator", "denominator"]].sum()
    return {
        int(period): Decimal(round(row.numerator)) / Decimal(round(row.denominator))
        for period, row in sums.iterrows()
        if row.denominator > 0
    }


def simulated_staff(
    store, staff: pd.DataFrame, ex: Path, years, *, measured, consortium, rename, reform
):
    """Each year's roster — the simulated physicians as doctors, the illustrative
    directors — and their values: counts from the store, the consortium's management
    rate for every doctor, the directors' illustrative values."""
    example = illustrative_staff(ex, years, why="", rename=rename)
    directors = [m for m in example.rosters[years[0]].members if m.role == "director"]
    doctors = [m for m in example.rosters[years[0]].members if m.role == "doctor"]
    tiers = store.to_pandas("institutions").set_index("institution_id")["tier"]
    # a simulated doctor's base salary: the example's (lower) median for a doctor at an
    # institution of that tier
    base = {
        tier: statistics.median_low(
            m.base_salary_fen for m in doctors if tiers.get(m.institution_id) == tier
        )
        for tier in {tiers.get(m.institution_id) for m in doctors}
    }
    rate = _management_rate(measured, consortium)
    rosters, values, groups = {}, {}, {}
    for year in years:
        of_year = staff[staff["year"] == year]
        frame = pd.DataFrame(
            {
                "staff_id": of_year["staff_id"],
                "role": "doctor",
                "institution_id": of_year["institution_id"],
                "base_salary_fen": of_year["institution_id"].map(tiers).map(base),
            }
        )
        groups.update(zip(of_year["staff_id"], of_year["tier"].map(_GROUPS), strict=True))
        sim_roster = StaffRoster.from_frame(frame, source=f"simulated physicians of {year}")
        counted = staff_values_from_store(store, year, roster=sim_roster)
        for key, counts in counted.values.items():
            values[key] = {**counts, "health_management_rate": rate[year]}
        for m in directors:
            values[year, m.staff_id] = dict(example.values.for_subject(year, m.staff_id))
            groups[m.staff_id] = "Directors (illustrative)"
        rosters[year] = StaffRoster(
            (*directors, *sim_roster.members),
            source=f"simulated physicians and example directors, {year}",
        )
    return DemoStaff(
        rosters,
        IndicatorValues(values, source="staff activities in the simulated store"),
        True,
        groups=groups,
        management_rate=rate,
        reform=reform,
    )


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)} %"


def staff_text(
    rec: SettlementRecord, rules: PaymentRules, staff: DemoStaff, *, lang: str = "en"
) -> str:
    """Where the staff's scorecard values of ``rec``'s year come from, in words
    (``lang="zh"``: in Chinese)."""
    doctor = rules.staff_pay.scorecards.get("doctor")
    if lang == "zh":
        if not staff.simulated:
            labels = [] if doctor is None else [i.label for i in doctor.indicators]
            return zh.illustrative_staff_zh(labels, staff.why)
        doctors = sum(m.role == "doctor" for m in staff.rosters[rec.year].members)
        rate = _pct(staff.management_rate[rec.year])
        return zh.simulated_staff_zh(rec.year, doctors, staff.reform, rate)
    named = (
        "; ".join(n[0].lower() + n[1:] for n in (i.label.split(" (")[0] for i in doctor.indicators))
        if doctor is not None
        else ""
    )
    if not staff.simulated:
        return (
            "The roster is a small illustrative sample, so individual incentive shares are "
            "large. The staff's own scorecard values are illustrative too, from "
            f"examples/payment/indicators.csv: {staff.why}. "
            + (
                f"The doctors' indicators ({named}) would come from the county's records: "
                "the staff_activities table gives the sessions and consultation days "
                "(ihms payment scorecard --store); no table yet records which doctor manages "
                "which patient. "
                if named
                else ""
            )
            + "The directors' values are invented likewise; the demo does not compute them "
            "for each director's institution."
        )
    y = rec.year
    roster = staff.rosters[y]
    n_doctors = sum(m.role == "doctor" for m in roster.members)
    return (
        f"The doctors are the simulated county's {n_doctors:,} physicians of {y} (one per "
        "head the county file counts at the county hospitals and township health centres, "
        "the same person from year to year). Their health education sessions and days "
        "consulting at primary-care institutions (a county-hospital doctor at a township "
        "health centre, a centre's doctor at a village clinic) are counted from the staff "
        "activities the "
        "simulator recorded in the store, as a county's supervision records would be "
        "(ihms.payment.staff_values_from_store); the rates behind them are assumptions of "
        "the simulation section, higher once Sanming's scorecards apply"
        + (f" from {month_words(staff.reform)}. " if staff.reform else ". ")
        + "No table records which doctor manages which patient, so every doctor is given the "
        f"consortium's health-management rate: {_pct(staff.management_rate[y])} of its "
        "managed hypertension and diabetes patients were followed up at least four times in "
        f"{y}. A doctor's base salary is the illustrative roster's for a doctor at that kind "
        "of institution (examples/payment/staff.csv). The directors and their values remain "
        "illustrative: the demo does not compute the rates of each director's institution. "
        "The table sums the salaries by group."
    )


def salaries_by_group(
    rec: SettlementRecord,
    staff: DemoStaff,
    rules: PaymentRules | None = None,
    *,
    lang: str = "en",
) -> SummaryTable:
    """The year's salaries and incentive shares summed by group of staff; with
    ``rules``, a note on each all-or-nothing line of their scorecards
    (:func:`threshold_notes`); ``lang="zh"``: its words in Chinese, the same figures."""
    sal = rec.salaries
    frame = sal.to_frame()
    frame["group"] = frame["staff_id"].map(staff.groups)
    counts = {c.subject: {ln.indicator: ln.value for ln in c.lines} for c in sal.scorecards}
    rows = {}
    for group, part in frame.groupby("group", sort=False):
        ids = part["staff_id"]
        sessions = [counts[s].get("health_education_sessions") for s in ids]
        days = [counts[s].get("thc_consultation_days") for s in ids]
        rows[group] = {
            "Staff": len(part),
            "Passed": int(part["passed"].sum()),
            "Mean points": Decimal(str(part["points"].mean())).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            ),
            "Median health education sessions": _median(sessions),
            "Median consultation days": _median(days),
            "Annual salaries (yuan)": yuan_column([int(part["annual_salary_fen"].sum())])[0],
            "Incentives (yuan)": yuan_column([int(part["incentive_fen"].sum())])[0],
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "Staff group"
    notes = (
        pool_note(sal.pool_fen, unshared_fen=sal.unshared_fen),
        "Median sessions and days: over the group's doctors (directors' cards have none).",
        *_two_director_scores(rec, rows, lang=lang),
        pass_rate_note(rec, lang=lang),
        *(threshold_notes(rec, rules, staff.groups, lang=lang) if rules is not None else ()),
    )
    formats = {"Median health education sessions": str, "Median consultation days": str}
    if lang == "zh":
        from ihms.payment._words_zh import said_note

        table = table.rename(columns=zh.COLUMNS_ZH, index=zh.group_zh)
        table.index.name = "人员组别"
        return SummaryTable(
            table,
            title=f"{rec.year} 年各组别人员的年薪与激励分配",
            notes=(
                said_note(notes[0]),
                "健康教育次数和坐诊天数的中位数：按组内医生计算（院长的考核评分表无此两项）。",
                *notes[2:],
            ),
            formats={zh.COLUMNS_ZH[k]: f for k, f in formats.items()},
            lang="zh",
        )
    return SummaryTable(
        table,
        title=f"Annual salaries and incentive shares of {rec.year} by staff group",
        notes=notes,
        formats=formats,
    )


def threshold_notes(
    rec: SettlementRecord, rules: PaymentRules, groups: Mapping[str, str], *, lang: str = "en"
) -> tuple[str, ...]:
    """For each all-or-nothing (threshold) line of a scorecard: how many in each group
    (``groups``: staff id → group) fell short and got none of its points, and how many
    of those passed against the others — the step, not only performance, sets a pass
    rate (review 27: THC doctors' median 9 consultation days against a threshold of 12);
    ``lang="zh"``: in Chinese."""
    if rules.staff_pay is None:
        return ()
    notes = []
    for role, card in rules.staff_pay.scorecards.items():
        for ind in card.indicators:
            if getattr(ind.scoring, "kind", None) != "threshold":
                continue
            short: dict[str, list[bool]] = {}
            met: dict[str, list[bool]] = {}
            for sc in rec.salaries.scorecards:
                line = next((ln for ln in sc.lines if ln.indicator == ind.id), None)
                if sc.role != role or line is None:
                    continue
                into = met if line.score else short
                into.setdefault(groups.get(sc.subject, "Other staff"), []).append(bool(sc.passed))
            counts = [
                (
                    g,
                    len(short[g]),
                    len(short[g]) + len(met.get(g, [])),
                    sum(short[g]),
                    sum(met.get(g, [])),
                    len(met.get(g, [])),
                )
                for g in short
            ]
            at_least = ind.scoring.direction == "at_least"
            points = f"{float(ind.weight) * 100:g}"
            if counts and lang == "zh":
                threshold = f"{ind.scoring.threshold:g}"
                notes.append(zh.threshold_zh(ind.label, points, at_least, threshold, counts))
                continue
            said = [
                f"{g}: {n} of {of} fell short, {p} of them passed ({mp} of the {m} who reached it)"
                for g, n, of, p, mp, m in counts
            ]
            if said:
                word = "at least" if at_least else "at most"
                notes.append(
                    f"'{ind.label}' scores all or nothing: {points} points "
                    f"for {word} {ind.scoring.threshold:g}, none otherwise, so who falls "
                    f"short needs the pass mark from the other lines alone. "
                    + "; ".join(said)
                    + "."
                )
    return tuple(notes)


def _two_director_scores(rec: SettlementRecord, rows: dict, *, lang: str = "en") -> tuple[str, ...]:
    """What the consortium's director scorecard and the directors' mean points each are,
    when the section shows both (user review 24, item 17: 91.3 against 86.9)."""
    directors = next((g for g in rows if str(g).startswith("Directors")), None)
    if rec.assessment is None or directors is None:
        return ()
    if lang == "zh":
        mean = rows[directors]["Mean points"]
        return (zh.director_scores_zh(rec.assessment.shown_points, directors, mean),)
    return (
        f"Two director scores: the consortium's director scorecard above "
        f"({rec.assessment.shown_points} points) scores the consortium as a whole on its "
        "measured rates and decides whether it keeps the balance. The "
        f"{directors} row's mean points ({rows[directors]['Mean points']}) average each "
        "director's own scorecard on illustrative values; it sets their salaries.",
    )


def pass_rate_note(rec: SettlementRecord, *, lang: str = "en") -> str:
    """How many scorecards pass, said to follow from the rule file's assumed targets and
    pass mark (the study gives neither), not from how Sanming's staff performed
    (``lang="zh"``: in Chinese)."""
    cards = rec.salaries.scorecards
    marks = [f"{float(m) * 100:g}" for m in sorted({c.pass_mark for c in cards})]
    if lang == "zh":
        return zh.pass_rate_zh(sum(bool(c.passed) for c in cards), len(cards), marks)
    mark = " or ".join(marks)
    return (
        f"{sum(bool(c.passed) for c in cards)} of {len(cards)} scorecards pass the pass "
        f"mark of {mark} points. The targets and the pass mark are the rule file's "
        f"assumptions ({ZHONG_2023} gives neither), so the pass rates say how demanding "
        "those assumed targets are for the simulated staff, not how Sanming's staff "
        "performed."
    )


def _median(values) -> str:
    given = [v for v in values if v is not None]
    return "—" if not given else f"{statistics.median(given):g}"
