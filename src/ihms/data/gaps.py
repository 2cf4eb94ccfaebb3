"""What a valid data set lacks that the indicators will show: notes, not errors.

Validation (:mod:`ihms.data.validate`) refuses data that is wrong. Data can also be
valid and incomplete, and the indicators then follow their rules — a sum over an
unknown value is missing, a count over no records is 0 — without saying why a cell is
empty or zero. :func:`data_gaps` names the gaps a county's export most often has,
so that ``ihms data check`` and ``ihms data import`` can say so before anyone reads the
indicators:

* institution-years without a ``resources`` row (a system file listing village clinics
  or hospitals outside the county without their beds and staff, say): every sum of
  beds, staff or money that takes them in is missing — beds, physicians and nurses per
  1,000 residents of their county and grid, the tertiary share of beds, ...;
* empty cells in the resource columns the indicators sum (a clinic's row giving its beds
  but not its nurses; THCs without their consultation fees): every sum over such a cell
  is missing, and so is each indicator built on it;
* months of the period without a single encounter: the indicators by month over
  encounters and the referral counts are left empty there and their yearly values lack
  them; the chronic-disease management and control rates are left empty only for a year
  without any, and the spending summed over encounters counts them as 0. In a county's data that is a month the extract lacks, not a month without
  care;
* record tables without a single row (a folder of ``residents.csv`` and
  ``encounters.csv`` alone): the indicators that read them (:data:`RECORD_USES`) count 0
  or are missing — the referral counts, the chronic-disease management and control rates
  — and without claims the encounters' own amounts count as settled;
* no staff activities (a data set before schema 1.2, or a county without the online
  supervision system's records): no indicator reads them, but the payment views that
  count the doctors' health education sessions and consultation days (the staff
  scorecard values ``ihms.payment.staff_values_from_store`` gives, ``ihms payment
  supervision``) cannot use the data set and need the counts in a file.

:func:`dataset_notes` puts these after what the reading itself did: values read as
their codes (:attr:`Dataset.translations`) and wholly empty rows left out
(:attr:`RowLabels.skipped`).

The advice fits the kind of folder. A county's export is asked for what it lacks. A
folder a program wrote (the county simulator's: its ``dataset.json`` names the
producer and the columns it never records, read into :attr:`Dataset.producer` and
:attr:`Dataset.unrecorded`) is not: columns it does not record are said to be left out
by design, with the indicators that therefore stay missing, and any other gap is the
run's, not figures someone could add.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ihms._layout import title_note
from ihms._listing import first_of
from ihms.data.dataset import Dataset
from ihms.data.store import Store

__all__ = [
    "RECORD_USES",
    "REFERRAL_MARKS",
    "data_gaps",
    "dataset_notes",
    "encounter_months",
    "month_gaps",
    "referral_marks_text",
    "simulated_no_encounter",
]

#: How many institutions or months a note names before it says how many more.
NAMED = 5

#: The resource columns the indicator catalogue sums, and over which tiers (None: all):
#: beds and staff per 1,000 residents take every institution, the THC indicators the
#: primary centres' (kept equal to the catalogue's measures by a test).
SUMMED_RESOURCES: dict[str, frozenset[str] | None] = {
    "beds": None,
    "gps": None,
    "specialists": None,
    "nurses": None,
    "revenue_fen": frozenset({"primary_centre"}),
    "medical_income_fen": frozenset({"primary_centre"}),
    "consultation_income_fen": frozenset({"primary_centre"}),
    "expense_fen": frozenset({"primary_centre"}),
    "personnel_cost_fen": frozenset({"primary_centre"}),
}


#: What a record table without rows leaves out: the catalogue's indicators that read it
#: (in catalogue order; kept equal to the catalogue by a test, since ``data`` may not
#: import ``indicators``), what they are in words and what they then show.
RECORD_USES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "encounters": (
        (
            "outpatient_emergency_visits",
            "hospitalizations",
            "cost_per_outpatient_visit",
            "cost_per_hospitalization",
            "hospitalization_rate",
            "healthcare_visits",
            "healthcare_visits_hospital_share",
            "healthcare_visits_primary_share",
            "outpatient_contacts",
            "outpatient_contacts_primary_share",
            "outpatient_outside_county_share",
            "inpatient_outside_county_share",
            "thc_hospitalization_share",
            "insurance_inside_county_share",
            "insurance_primary_care_share",
            "thc_average_length_of_stay",
            "thc_bed_occupancy_rate",
            "thc_disease_spectrum_ambulatory",
            "thc_disease_spectrum_inpatient",
            "tertiary_outpatient_share",
            "tertiary_hospitalization_share",
            "inpatient_within_county_share",
            "outpatient_within_county_share",
            "outpatient_primary_care_share",
            "resident_outpatient_primary_care_share",
            "cost_per_resident",
            "insurance_paid_per_insured",
        ),
        "every indicator of visits, admissions, costs, insurance and case mix",
        "counts 0 or is missing",
    ),
    "referrals": (
        (
            "referrals_up",
            "referrals_down",
            "referrals_up_received",
            "referrals_down_received",
            "off_pathway_referrals",
            "referral_down_up_ratio",
        ),
        "the referral counts",
        "are left out of `ihms indicators compute` (no records is not no referrals)",
    ),
    "followups": (
        (
            "hypertension_management_rate",
            "hypertension_control_rate",
            "diabetes_management_rate",
            "diabetes_control_rate",
        ),
        "the chronic-disease management and control rates",
        "have no managed patients and cannot be computed",
    ),
    "claims": (
        (
            "insurance_inside_county_share",
            "insurance_primary_care_share",
            "insurance_paid_per_insured",
        ),
        "the insurance shares and spending per insured resident",
        "and the payment engine's spending take each encounter's own insurance_paid_fen "
        "and out_of_pocket_fen as settled",
    ),
}


def dataset_notes(dataset: Dataset) -> list[str]:
    """Every note ``ihms data check`` and ``ihms data import`` print for a valid data set:
    values of closed vocabularies read as their codes, title lines and wholly empty rows
    left out, then :func:`data_gaps`.

    Parameters
    ----------
    dataset
        A validated data set (its :attr:`Dataset.labels` say what reading it did).

    Returns
    -------
    list of str
        The notes in print order: what reading and the column map did, translated
        codes, title lines, empty rows, then the gaps.
    """
    skipped = [
        f"{label.file}: {len(label.skipped):,} wholly empty row(s) left out as no record "
        f"(row{'s' if len(label.skipped) > 1 else ''} "
        f"{first_of(label.skipped, NAMED)})"
        for label in dataset.labels.values()
        if label.skipped
    ]
    titles = [
        title_note(label.file, label.title_lines, blank=label.title_blank)
        for label in dataset.labels.values()
        if label.title_lines
    ]
    read = [text for label in dataset.labels.values() for text in label.notes]
    return [*read, *map(str, dataset.translations), *titles, *skipped, *data_gaps(dataset)]


def data_gaps(dataset: Dataset) -> list[str]:
    """Notes on the gaps of a (valid) data set that leave indicators missing or zero.

    Parameters
    ----------
    dataset
        A validated data set.

    Returns
    -------
    list of str
        One sentence per kind of gap, naming what is missing (empty if nothing is).
    """
    notes = (
        *_empty_tables(dataset),
        _no_staff_activities(dataset),
        _resource_gaps(dataset),
        *_empty_resources(dataset),
        month_gaps(dataset),
    )
    return [note for note in notes if note]


def _empty_tables(dataset: Dataset) -> list[str]:
    """A note per record table without rows: which indicators that leaves out."""
    notes = []
    for name, (indicators, what_they_are, then) in RECORD_USES.items():
        if dataset.table(name).num_rows:
            continue
        if dataset.producer:
            if name == "claims":
                continue  # a program's settlement is its encounters' amounts
            advice = f"{dataset.producer} wrote none"
        elif name == "claims":
            advice = "give the claims if settlement differed from the encounters' amounts"
        else:
            advice = f"give the {name} table (see `ihms data schema`) if the county keeps them"
        label = dataset.labels.get(name)
        rows = f"{label.file} has no rows" if label and label.file != name else "no records"
        marks = ""
        if name == "referrals":
            enc = dataset.table("encounters")
            marks = referral_marks_text(
                *(enc.num_rows - enc.column(c).null_count for c in REFERRAL_MARKS)
            )
        notes.append(
            f"{name}: {rows} — {what_they_are} ({_named(list(indicators))}) {then}: "
            f"{advice}{'; ' + marks if marks else ''}"
        )
    return notes


#: The encounters' columns marking a referral: where the resident came from (the
#: receiver's record, 转入来源) and where they were sent on to (the sender's).
REFERRAL_MARKS = ("referred_from_id", "referred_to_id")


def referral_marks_text(referred_from: int, referred_to: int) -> str:
    """What the encounters' referral marks are worth without a referrals table ("" when
    they carry none): the referral counts read only the referrals table, since a
    referral marked at both ends (the sender's referred_to_id and the receiver's
    referred_from_id) would count twice, and only the county knows which marks pair."""
    total = referred_from + referred_to
    if not total:
        return ""
    return (
        f"the encounters carry {total:,} referral mark{'s' if total > 1 else ''} "
        f"(referred_from_id {referred_from:,}, referred_to_id {referred_to:,}), which no "
        "indicator reads: the referral counts read only the referrals table; to have them "
        "counted, write one referrals row per referral (from_institution_id, "
        "to_institution_id, date; a referral marked at both ends is one row)"
    )


def _no_staff_activities(dataset: Dataset) -> str | None:
    """A note when no staff activity is recorded: the payment views counting them (the
    doctors' scorecards, the supervision view) cannot use the data set."""
    if dataset.table("staff_activities").num_rows:
        return None
    label = dataset.labels.get("staff_activities")
    rows = (
        f"{label.file} has no rows" if label and label.file != "staff_activities" else "no records"
    )
    advice = (
        f"{dataset.producer} wrote none"
        if dataset.producer
        else "give the staff_activities table (see `ihms data schema`) if the county's "
        "supervision system records them, or the counts in an indicator values file"
    )
    return (
        f"staff_activities: {rows} — the staff scorecards' health_education_sessions and "
        "thc_consultation_days cannot be counted from this data set (ihms payment "
        f"scorecard/settle/supervision --store need them from --indicators): {advice}"
    )


def _years(years: list[int]) -> str:
    """``2016-2019`` for a run of years, ``2016, 2018`` otherwise."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def _named(items: list[str]) -> str:
    return first_of(items, NAMED)


def _resource_gaps(dataset: Dataset) -> str | None:
    inst = dataset.to_pandas("institutions")
    years = pd.Series(dataset.period.years)
    given = dataset.to_pandas("resources")
    have = set(zip(given["institution_id"], given["year"].astype(int), strict=True))
    lacking: list[str] = []
    for row in inst.itertuples(index=False):
        first = years.min() if pd.isna(row.active_from) else max(int(row.active_from), years.min())
        last = years.max() if pd.isna(row.active_to) else min(int(row.active_to), years.max())
        missing = [y for y in range(first, last + 1) if (row.institution_id, y) not in have]
        if missing:
            lacking.append(f"{row.institution_id} ({_years(missing)})")
    if not lacking:
        return None
    advice = (
        f"{dataset.producer} did not write them"
        if dataset.producer
        else "give their rows, with 0 where they have none"
    )
    return (
        f"resources: no row for {len(lacking):,} institution(s) in years they operate — "
        f"{_named(lacking)}; every sum of beds, staff or money that takes them in is "
        "missing (beds, physicians and nurses per 1,000 of their county and grid, the "
        f"tertiary share of beds, ...): {advice}"
    )


def _empty_resources(dataset: Dataset) -> list[str]:
    given = dataset.to_pandas("resources")
    inst = dataset.to_pandas("institutions").set_index("institution_id")["tier"]
    tier = given["institution_id"].map(inst)
    unrecorded = set(dataset.unrecorded.get("resources", ()))
    parts, by_design = [], []
    for col, tiers in SUMMED_RESOURCES.items():
        empty = given[col].isna() & (tier.isin(tiers) if tiers is not None else True)
        if not empty.any():
            continue
        if col in unrecorded:
            by_design.append(col)
            continue
        by_inst = given[empty].groupby("institution_id", sort=False)["year"]
        named = [f"{i} ({_years(sorted(int(y) for y in ys))})" for i, ys in by_inst]
        parts.append(f"{col}: {_named(named)}")
    notes = []
    if by_design:
        notes.append(
            f"resources: {', '.join(by_design)} not recorded by {dataset.producer} (empty "
            "by design, not a gap to fill): every sum over them is missing, and so is each "
            "indicator built on them"
        )
    if parts:
        advice = (
            f"{dataset.producer} left them empty"
            if dataset.producer
            else "give the figures, with 0 where there are none"
        )
        notes.append(
            f"resources: empty cells in sums the indicators take — {'; '.join(parts)}; "
            f"every such sum is missing, and so is each indicator built on it: {advice}"
        )
    return notes


def month_gaps(source: Dataset | Store, *, years: Sequence[int] | None = None) -> str | None:
    """The note on months of the period without a single encounter, or None.

    ``ihms data import`` gives it for the period imported; the commands that read a
    store give it for what they read (``ihms indicators compute``: the period; ``ihms
    payment settle``: the year settled, whose spending and rates lack those months).

    Parameters
    ----------
    source
        A data set, or a store holding one (read in the database).
    years
        Only the months of these years that reach into the period, all twelve of each:
        months past the period's end or before its start (a year settled beyond the
        data) are as empty as a gap inside it, and named so; None: the period's.

    Returns
    -------
    str or None
        One sentence naming the empty months, None when every month has an encounter
        or there are no encounters at all (a note of its own, :func:`data_gaps`).
    """
    start, end = source.period.start, source.period.end
    months = pd.period_range(start, end, freq="M")
    if years is not None:
        held = sorted(set(years) & set(months.year))
        months = pd.PeriodIndex(
            [pd.Period(year=y, month=m, freq="M") for y in held for m in range(1, 13)], freq="M"
        )
    if not len(months):
        return None
    seen = encounter_months(source.table("encounters"))
    if not seen:
        return None  # no encounters at all: a note of its own (_empty_tables)
    empty = [p for p in months if p.year * 100 + p.month not in seen]
    if not empty:
        return None
    producer = source.producer  # a Store's without counting its tables (info() does)
    meaning = (
        simulated_no_encounter(producer)
        if producer
        else "if the extract lacks those months, the spending's zeros there are missing data, "
        "not months without care"
    )
    of = "the period's" if years is None else f"{_years(sorted(set(months.year)))}'s"
    return (
        f"encounters: none in {len(empty):,} of {of} {len(months):,} months "
        f"({_months(empty)}{_outside(empty, start, end)}); the indicators by month over "
        "encounters and the referral counts are left empty there (missing, not 0) and their "
        "yearly values lack those months (too low); the chronic-disease management and "
        "control rates are left empty only for a year without any encounter, and the "
        f"spending summed over encounters counts those months as 0 — {meaning}"
    )


def simulated_no_encounter(producer: str) -> str:
    """Why a program's data set has a month without any encounter: the words the data
    notes and the indicators' notes share."""
    return (
        f"{producer} simulated no encounter there (too few residents for every month to have one)"
    )


def _outside(empty: list[pd.Period], start, end) -> str:
    """``; 2019-07 to 2019-12 are past the end of the data's period (2019-06)`` for the
    empty months outside the period, and the same before its start."""
    first, last = pd.Period(start, freq="M"), pd.Period(end, freq="M")
    out = ""
    for months, side, bound in (
        ([p for p in empty if p < first], "before the start", first),
        ([p for p in empty if p > last], "past the end", last),
    ):
        if months:
            verb = "is" if len(months) == 1 else "are"
            out += f"; {_months(months)} {verb} {side} of the data's period ({bound})"
    return out


def encounter_months(encounters) -> set[int]:
    """The months (``yyyymm``) with at least one encounter.

    ``encounters`` is the encounters table in Arrow (a data set's) or Ibis (a store's,
    or the indicators' tables on any backend). The days are made unique before leaving
    Arrow or the engine (a few thousand at most, cheaper than a month computed for
    every record), and their months taken here.
    """
    if isinstance(encounters, pa.Table):
        days = pc.unique(encounters.column("date")).to_pylist()
    else:
        days = encounters.select("date").distinct().to_pandas()["date"].dropna().tolist()
    return {d.year * 100 + d.month for d in days if d is not None}


def _months(months: list[pd.Period]) -> str:
    """Runs of consecutive months: ``2019-01 to 2019-12, 2020-03``."""
    runs: list[list[pd.Period]] = []
    for p in months:
        if runs and (p - runs[-1][-1]).n == 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    named = [f"{r[0]} to {r[-1]}" if len(r) > 1 else str(r[0]) for r in runs[:NAMED]]
    # past the named runs, count months (the note's total is months, not runs)
    more = sum(len(r) for r in runs[NAMED:])
    return ", ".join(named) + (f" and {more:,} more" if more else "")
