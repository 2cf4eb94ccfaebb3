"""The sources of the indicator catalogue, one Ibis query each (see :mod:`._engine`).

Each function takes the tables, the period type and the measures wanted from the
source, and returns measures by ``period_key`` and finest unit (``institution_id`` or
``grid_id``). Conditions all measures share filter the records before any join; the rest
become conditional aggregates of one scan.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ihms.data.gaps import REFERRAL_MARKS, referral_marks_text
from ihms.data.settled import settled_encounters
from ihms.indicators._dimensions import OPEN_END
from ihms.indicators._engine import (
    IndicatorTables,
    aggregate,
    finish,
    only_institutions,
    period_key,
    prefilter,
    referral_directions,
    tier_care_level,
    uses,
)
from ihms.indicators.catalogue import Measure

__all__ = [
    "DIABETES_CONTROL_MMOL_L",
    "ENCOUNTER_SOURCES",
    "ENGINE_SOURCES",
    "EXTRACT_SOURCES",
    "HYPERTENSION_CONTROL_MMHG",
    "SOURCE_TABLES",
    "county_encounter_months",
    "judged_by_extract",
    "pathway_pairs",
    "population",
    "population_measures",
    "reads_encounters",
    "referral_directions",
    "referral_marks",
]

# WHO HEARTS: blood pressure controlled when below 140/90 mmHg at the last visit.
HYPERTENSION_CONTROL_MMHG = (140, 90)
# Fasting plasma glucose target of WHO HEARTS-D and China's NBPHS standard (2017).
DIABETES_CONTROL_MMOL_L = 7.0


def _encounters(t: IndicatorTables, measures: list[Measure]):
    # without a claims table (a session or extract that has none) the encounters keep
    # their own amounts, as with an empty one (see SOURCE_TABLES)
    if uses(measures, {"insurance_paid_fen", "out_of_pocket_fen"}) and t.holds("claims"):
        return prefilter(settled_encounters(t.tables), measures)
    return prefilter(t["encounters"], measures)


def encounters(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    enc = only_institutions(t, _encounters(t, measures), measures)
    facts = enc.mutate(period_key=period_key(enc.date, period))
    return aggregate(facts, ["period_key", "institution_id"], measures)


def resident_encounters(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    enc = _encounters(t, measures)
    res = t["residents"].select("resident_id", "grid_id")
    if uses(measures, {"insured"}):
        import ibis

        # the register's status, an unknown one as not insured: the population source
        # counts the insured so, and a spending per insured resident sets the same
        # people's payments over them
        insured = t["residents"].select("resident_id", "grid_id", "insured")
        res = insured.mutate(insured=ibis.coalesce(insured.insured, False))
    facts = prefilter(enc.inner_join(res, "resident_id"), measures)
    if uses(measures, {"tier", "care_level", "outside_county"}):
        inst = t["institutions"].select(
            "institution_id", "tier", inst_county=t["institutions"].county_id
        )
        grids = t["grids"].select("grid_id", res_county=t["grids"].county_id)
        facts = facts.inner_join(inst, "institution_id").inner_join(grids, "grid_id")
        facts = facts.mutate(
            care_level=tier_care_level(facts.tier),
            outside_county=facts.inst_county != facts.res_county,
        )
        facts = prefilter(facts, measures)
    facts = facts.mutate(period_key=period_key(facts.date, period))
    return aggregate(facts, ["period_key", "grid_id"], measures)


def referrals(
    t: IndicatorTables,
    period: str,
    measures: list[Measure],
    *,
    pathway: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Referrals by the sending institution (``from_institution_id``).

    ``pathway`` (``year``, ``from_institution_id``, ``direction``, ``to_institution_id``:
    the targets the system file's referral pathway declares, :func:`pathway_pairs`)
    gives each referral ``on_pathway``; a measure filtering on it needs one.
    """
    return _referrals(t, period, measures, "from_institution_id", pathway)


def referrals_received(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    """Referrals by the receiving institution (``to_institution_id``)."""
    return _referrals(t, period, measures, "to_institution_id", None)


def _referrals(t, period, measures, by: str, pathway: pd.DataFrame | None) -> pd.DataFrame:
    ref = only_institutions(t, t["referrals"], measures, column=by)
    facts = referral_directions(t, ref)
    facts = facts.mutate(period_key=period_key(facts.date, period), institution_id=facts[by])
    if uses(measures, {"on_pathway"}):
        if pathway is None:
            raise ValueError("on_pathway needs the referral pathway (the system file)")
        facts = _on_pathway(facts, pathway)
    return aggregate(prefilter(facts, measures), ["period_key", "institution_id"], measures)


def _on_pathway(facts, pathway: pd.DataFrame):
    """``facts`` with ``on_pathway``: whether the pathway of the referral's year declares
    its receiver a target of its sender in its direction."""
    import ibis

    keys = ["year", "from_institution_id", "direction", "to_institution_id"]
    declared = ibis.memtable(pathway[keys].astype({"year": "int64"}).assign(declared=True))
    facts = facts.mutate(year=facts.date.year().cast("int64"))
    joined = facts.left_join(declared, keys)
    return joined.select(*facts.columns, on_pathway=ibis.coalesce(joined.declared, False))


def pathway_pairs(system, years) -> pd.DataFrame:
    """The referral targets the system file declares, by year: one row per ``year``,
    ``from_institution_id``, ``direction`` (up, down) and ``to_institution_id``, from
    :func:`ihms.system.referral_pathway` of each year."""
    from ihms.system import referral_pathway

    rows = [
        (year, inst, direction, target)
        for year in years
        for inst, route in referral_pathway(system, year=year).routes.items()
        for direction, targets in (("up", route.up), ("down", route.down))
        for target in targets
    ]
    columns = ["year", "from_institution_id", "direction", "to_institution_id"]
    return pd.DataFrame(rows, columns=columns).astype({"year": "int64"})


def referral_marks(t: IndicatorTables) -> str:
    """The encounters' referral marks (``referred_from_id``, ``referred_to_id``) in
    words, for the reason the referral indicators are left out without a referrals
    table ("" when they carry none): no indicator reads them."""
    if not t.holds("encounters"):
        return ""
    enc = t["encounters"]
    counts = enc.aggregate(**{c: enc[c].count() for c in REFERRAL_MARKS}).to_pandas()
    return referral_marks_text(*(int(counts[c].iloc[0]) for c in REFERRAL_MARKS))


_DIAGNOSIS_TYPES = {
    "ambulatory_diagnoses": ("outpatient", "emergency"),
    "inpatient_diagnoses": ("inpatient",),
}


def diagnoses(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    wanted = [c for c in _DIAGNOSIS_TYPES if uses(measures, {c})]
    enc = only_institutions(t, t["encounters"], measures)
    types = sorted({ty for c in wanted for ty in _DIAGNOSIS_TYPES[c]})
    coded = enc.filter(enc.diagnosis_group.notnull() & enc.type.isin(types))
    coded = coded.mutate(period_key=period_key(coded.date, period))
    per_inst = coded.group_by(["period_key", "institution_id"]).aggregate(
        **{
            c: coded.diagnosis_group.nunique(where=coded.type.isin(list(_DIAGNOSIS_TYPES[c])))
            for c in wanted
        }
    )
    return aggregate(per_inst, ["period_key", "institution_id"], measures)


def chronic_patients(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    """Managed patients by year and grid: follow-up days counted, control from the last day.

    ``followups`` is the number of distinct days with a follow-up of the resident for the
    condition in the year: two records of one day (a visit entered twice, or a reading
    retaken) are one visit. The National Basic Public Health Service specification (3rd
    edition, 2017) asks for at least four face-to-face follow-ups a year, and one day
    holds one face-to-face visit.

    Control is decided by the readings of the resident's last day with a measurement in
    the year (WHO HEARTS: the last visit's reading). Two or more readings on that day
    count as one, with the lowest systolic and the lowest diastolic pressure (which may
    come from different readings) or the lowest fasting glucose: the rule of the US
    electronic quality measures CMS165 (Controlling High Blood Pressure, "Lowest
    Systolic/Diastolic Reading on Most Recent Blood Pressure Day") and CMS122 (diabetes,
    "Lowest Glycemic Status Assessment Reading on Most Recent Day"). It depends on the
    readings only, never on record ids, which are pseudonyms that change with the key.
    """
    import ibis

    fu = t["followups"]
    fu = fu.mutate(
        period_key=period_key(fu.date, "year"),
        measured=ibis.ifelse(
            fu.condition == "hypertension",
            fu.systolic_mmhg.notnull() & fu.diastolic_mmhg.notnull(),
            fu.fasting_glucose_mmol_l.notnull(),
        ),
    )
    keys = ["period_key", "resident_id", "condition"]
    counts = fu.group_by(keys).aggregate(followups=fu.date.nunique())
    measured = fu.filter(fu.measured)
    on_last = measured.mutate(
        last_date=measured.date.max().over(ibis.window(group_by=[measured[k] for k in keys]))
    )
    on_last = on_last.filter(on_last.date == on_last.last_date)
    last = on_last.group_by(keys).aggregate(
        sbp=on_last.systolic_mmhg.min(),
        dbp=on_last.diastolic_mmhg.min(),
        glucose=on_last.fasting_glucose_mmol_l.min(),
    )
    sbp_max, dbp_max = HYPERTENSION_CONTROL_MMHG
    last = last.select(
        *keys,
        last_controlled=ibis.ifelse(
            last.condition == "hypertension",
            (last.sbp < sbp_max) & (last.dbp < dbp_max),
            last.glucose < DIABETES_CONTROL_MMOL_L,
        ),
    )
    patients = counts.left_join(last, keys).select(
        *keys,
        "followups",
        controlled=lambda x: x.last_controlled.fill_null(False),
    )
    res = t["residents"].select("resident_id", "grid_id", "hypertension", "diabetes")
    patients = patients.inner_join(res, "resident_id")
    patients = patients.filter(
        ((patients.condition == "hypertension") & patients.hypertension)
        | ((patients.condition == "diabetes") & patients.diabetes)
    )
    return aggregate(patients, ["period_key", "grid_id"], measures)


def population(
    t: IndicatorTables, period: str, measures: list[Measure], periods: list[int]
) -> pd.DataFrame:
    """Residents present at each period's start and end, by grid, as population measures.

    The engine counts residents by (grid, entry period, exit period), exact integers on
    any backend; the rest is a small pandas step (:func:`population_measures`).
    """
    import ibis

    res = t["residents"]
    entry = ibis.coalesce(period_key(res.entry_date, period), 0)
    exit_ = ibis.coalesce(period_key(res.exit_date, period), 10**9)
    keyed = res.mutate(entry_key=entry, exit_key=exit_)
    keys = ["grid_id", "entry_key", "exit_key"]
    if any(c.column == "insured" for m in measures for c in m.where):
        # an unknown insured status is not counted as insured
        keyed, keys = keyed.mutate(insured=ibis.coalesce(keyed.insured, False)), [*keys, "insured"]
    grouped = keyed.group_by(keys).aggregate(n=keyed.count()).to_pandas()
    return population_measures(grouped, measures, periods)


def population_measures(
    grouped: pd.DataFrame, measures: list[Measure], periods: list[int]
) -> pd.DataFrame:
    """Population measures by period and grid from residents counted by entry and exit.

    ``grouped`` has ``grid_id``, ``entry_key``, ``exit_key`` (the period keys of the
    entry and exit dates; 0 and 10**9 when null) and ``n`` residents. A resident is
    present on a period's last day when ``entry_key <= p < exit_key``, and at its start
    (the previous period's last day, for the data's first period too) when
    ``entry_key < p <= exit_key``: one who enters during the period counts at the end
    only, one who leaves during it at the start only. ``count_end`` is the end count;
    ``mean_start_end`` is kept as start + end, twice the average (an integer, so it adds
    up exactly over units; see :attr:`Measure.divisor`). A measure's conditions
    (``insured: [true]``) count the groups whose column (in ``grouped``) they admit.
    """
    keys = np.asarray(periods, dtype="int64")
    unit, grids = pd.factorize(grouped["grid_id"], sort=True)
    n = grouped["n"].to_numpy(dtype="int64")
    entry = grouped["entry_key"].to_numpy(dtype="int64")
    exit_ = grouped["exit_key"].to_numpy(dtype="int64")

    def present(side: str, rows: np.ndarray | bool = True) -> np.ndarray:
        """Residents (of the groups ``rows``) by grid x period in keys[lo:hi]: each group
        is added where its range starts and taken away where it ends, and a running sum
        counts them."""
        lo, hi = np.searchsorted(keys, entry, side), np.searchsorted(keys, exit_, side)
        # an exit before the entry (a register not validated) counts nowhere
        ok = (lo < hi) & rows
        counts = np.zeros((len(grids), len(keys) + 1), dtype="int64")
        np.add.at(counts, (unit[ok], lo[ok]), n[ok])
        np.add.at(counts, (unit[ok], hi[ok]), -n[ok])
        return counts.cumsum(axis=1)[:, :-1]

    end = present("left")  # entry_key <= p < exit_key
    start = present("right")  # entry_key < p <= exit_key
    p_at, g_at = np.nonzero(((start > 0) | (end > 0)).T)  # by period, then grid
    out = pd.DataFrame({"period_key": keys[p_at], "grid_id": np.asarray(grids, dtype=object)[g_at]})
    for m in measures:
        rows = np.ones(len(grouped), dtype=bool)
        for c in m.where:
            rows &= grouped[c.column].isin(c.values).to_numpy(dtype=bool)
        m_end, m_start = (
            (end, start) if rows.all() else (present("left", rows), present("right", rows))
        )
        at_end = m_end[g_at, p_at]
        out[m.engine_key] = m_start[g_at, p_at] + at_end if m.agg == "mean_start_end" else at_end
    return out


def resources(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    """Yearly resources by institution. Every institution open in a year owes a row: one
    without (or with an empty cell) makes the sums it enters missing, not zero."""
    frame = t["resources"].to_pandas()
    frame = frame[frame["year"].isin(t.period.years)]
    # Physicians are GPs plus specialists; unknown when either head count is.
    physicians = pd.to_numeric(frame["gps"]) + pd.to_numeric(frame["specialists"])
    frame = frame.assign(physicians=physicians, period_key=frame["year"].astype("int64"))
    frame = _active(t).merge(frame, on=["period_key", "institution_id"], how="outer")
    return _pandas_aggregate(frame, measures)


def _active(t: IndicatorTables) -> pd.DataFrame:
    """``period_key`` (year) and ``institution_id`` of every institution open that year."""
    inst = t["institutions"].select("institution_id", "active_from", "active_to").to_pandas()
    lo = pd.to_numeric(inst["active_from"]).fillna(-OPEN_END)
    hi = pd.to_numeric(inst["active_to"]).fillna(OPEN_END)
    rows = []
    for year in t.period.years:
        active = inst[(lo <= year) & (year <= hi)]
        rows.append(
            pd.DataFrame(
                {"period_key": year, "institution_id": active["institution_id"].to_numpy()}
            )
        )
    return pd.concat(rows, ignore_index=True).astype({"period_key": "int64"})


def institutions(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    return _pandas_aggregate(_active(t), measures)


def _pandas_aggregate(frame: pd.DataFrame, measures: list[Measure]) -> pd.DataFrame:
    """The same measures as :func:`_aggregate`, on a small record frame in pandas."""
    out = frame[["period_key", "institution_id"]].copy()
    for i, m in enumerate(measures):
        mask = pd.Series(True, index=frame.index)
        for c in m.record_where:
            col = frame[c.column]
            if c.values is not None:
                mask &= col.isin(c.values)
            if c.min is not None:
                mask &= col >= c.min
            if c.max is not None:
                mask &= col <= c.max
        if m.agg == "count":
            out[f"m{i}"] = mask.astype("int64")
        else:
            values = pd.to_numeric(frame[m.column])
            out[f"m{i}"] = values.where(mask).fillna(0)
            out[f"n{i}"] = (mask & values.isna()).astype("int64")
    grouped = out.groupby(["period_key", "institution_id"], as_index=False).sum()
    return finish(grouped, measures)


#: The tables whose records each source counts. When one is empty or absent the source
#: has nothing to count, and an indicator built on it is left out with that reason
#: rather than shown as zero (a table the extract lacks is not a county without care).
#: ``claims`` is not among them: encounters without claims keep their own amounts.
SOURCE_TABLES = {
    "encounters": ("encounters",),
    "resident_encounters": ("encounters", "residents"),
    "referrals": ("referrals",),
    "referrals_received": ("referrals",),
    "diagnoses": ("encounters",),
    "chronic_patients": ("followups", "residents"),
    "population": ("residents",),
    "resources": ("resources",),
    "institutions": ("institutions",),
}

#: The sources whose records are encounters. In a period without a single encounter in
#: the data (or in its county's records) their measures are missing, not 0
#: (:func:`ihms.data.gaps.encounter_months`, :func:`county_encounter_months`).
ENCOUNTER_SOURCES = frozenset(
    name for name, tables in SOURCE_TABLES.items() if "encounters" in tables
)


def reads_encounters(indicator) -> bool:
    """Whether the numerator or denominator of ``indicator`` reads encounters."""
    measures = (indicator.numerator, indicator.denominator)
    return any(m is not None and m.source in ENCOUNTER_SOURCES for m in measures)


#: The sources whose records a county's extract holds, judged by its encounters: in a
#: period the extract lacks (no encounter at all, or none of the county) their measures
#: are missing, not 0 — the encounters' and, judged with them, the referrals' and the
#: chronic patients' follow-ups (a month with encounters and no referral stays a true 0).
EXTRACT_SOURCES = ENCOUNTER_SOURCES | {"referrals", "referrals_received", "chronic_patients"}


def judged_by_extract(indicator) -> bool:
    """Whether the numerator or denominator of ``indicator`` counts an extract's records
    (:data:`EXTRACT_SOURCES`)."""
    measures = (indicator.numerator, indicator.denominator)
    return any(m is not None and m.source in EXTRACT_SOURCES for m in measures)


def county_encounter_months(
    t: IndicatorTables,
    counties: Mapping[str, str],
    months: list[int],
    judged: frozenset[str] | None = None,
) -> pd.DataFrame:
    """The months (``period_key``, ``yyyymm``) with at least one encounter, by county.

    ``counties`` maps the institutions of the counties judged (each holding residents
    and institutions: a county's extract) to their county; ``months`` are the period's.
    A county's months are those with an encounter at one of its institutions or of one
    of its residents (its extract holds both, its residents' stays elsewhere too).
    ``county_id`` is empty for an encounter at an institution ``counties`` does not map
    (a provincial hospital's), which still makes the month one with records.
    ``judged`` (default: the counties ``counties`` maps to) are those whose residents
    count too; the others (counties without residents) by their institutions alone.

    One distinct (institution, month) query over every encounter; only when it leaves
    a county without a month the data have, a second over the encounters of those
    months alone, joined with the register for the residents' counties.
    """
    enc = t["encounters"]
    at = (
        enc.select("institution_id", period_key=period_key(enc.date, "month"))
        .distinct()
        .to_pandas()
    )
    at["county_id"] = at["institution_id"].map(counties)
    at = at[["county_id", "period_key"]]
    judged = set(counties.values()) if judged is None else set(judged)
    if not judged:
        return at
    held = at.groupby("county_id")["period_key"].agg(set)
    in_all = set.intersection(*(held.get(c, set()) for c in judged))
    data = set(at["period_key"])
    wanting = [m for m in months if m in data and m not in in_all]
    if not wanting:
        return at
    keyed = enc.mutate(period_key=period_key(enc.date, "month"))
    keyed = keyed.filter(keyed.period_key.isin(wanting))
    res = t["residents"].select("resident_id", "grid_id")
    grids = t["grids"].select("grid_id", "county_id")
    facts = keyed.inner_join(res, "resident_id").inner_join(grids, "grid_id")
    of = facts.select("county_id", "period_key").distinct().to_pandas()
    of = of[of["county_id"].isin(judged)]
    return pd.concat([at, of], ignore_index=True)


ENGINE_SOURCES = {
    "encounters": encounters,
    "resident_encounters": resident_encounters,
    "referrals": referrals,
    "referrals_received": referrals_received,
    "diagnoses": diagnoses,
    "chronic_patients": chronic_patients,
    "resources": resources,
    "institutions": institutions,
}
