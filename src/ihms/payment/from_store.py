"""The payment engine's inputs read from a data-layer :class:`~ihms.data.Store`.

- :func:`spending_from_store` sums the settled spending of one county's residents by year
  and institution (in the database; any size);
- :func:`population_from_store` counts its insured residents and, from the
  registration dates (data schema 1.1), those registered with a family physician;
- :func:`indicator_values_from_results` turns yearly :mod:`ihms.indicators` results into
  the consortium's scorecard values;
- :func:`study_county` and :func:`assessed_consortium` say which county is settled and
  which consortium is assessed when the store holds several.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ihms._warnings import caller_stacklevel
from ihms.errors import DataError, IhmsWarning, InputError
from ihms.payment.registrations import Registrations, monthly_registrations
from ihms.payment.store_dating import county_encounters
from ihms.payment.tables import SETTINGS, IndicatorValues, PopulationTable, SpendingTable

if TYPE_CHECKING:
    from ihms.data import Store
    from ihms.indicators import IndicatorResults

__all__ = [
    "ASSESSMENT_INDICATORS",
    "STORE_ASSESSMENT_INDICATORS",
    "assessed_consortium",
    "indicator_values_from_results",
    "population_from_store",
    "spending_from_store",
    "study_county",
]

_MAX_LISTED = 200

_PRIMARY_TIERS = ("primary_centre", "village_clinic")


def study_county(store: Store, county_id: str | None = None) -> str:
    """The county whose residents' budget is settled: ``county_id`` checked against the
    store, or, when omitted, the only county with grids of residents (hospitals in
    other counties are places of treatment).

    Parameters
    ----------
    store : ihms.data.Store
        The data store holding the ``counties`` and ``grids`` tables.
    county_id : str, optional
        The county to check; None picks the only county with residents.

    Returns
    -------
    str
        The county's id.

    Raises
    ------
    InputError
        Unknown county, a county without residents, or several and no ``county_id``.
    """
    ids = sorted(str(c) for c in store.to_pandas("counties")["county_id"])
    with_residents = sorted({str(c) for c in store.to_pandas("grids")["county_id"]})
    if county_id is not None:
        if county_id not in ids:
            raise InputError(
                f"county: no county {county_id!r} in store {store.path} (it holds {', '.join(ids)})"
            )
        if county_id not in with_residents:
            raise InputError(
                f"county: {county_id!r} has no grids of residents in store {store.path}, so "
                f"no budget (residents live in {', '.join(with_residents) or 'no county'})"
            )
        return county_id
    if len(with_residents) != 1:
        raise InputError(
            f"county: store {store.path} has residents in {len(with_residents)} counties "
            f"({', '.join(with_residents)}); say which"
        )
    return with_residents[0]


def assessed_consortium(
    store: Store, *, county_id: str | None = None, consortium_id: str | None = None
) -> str:
    """The consortium whose rates feed the assessment: ``consortium_id`` checked against
    the store, or the one with member institutions in the county — of several such (a
    specialist alliance may count a county hospital), the one alone in serving the
    county's grids.

    Parameters
    ----------
    store : ihms.data.Store
        The data store holding counties, grids, institutions and consortia.
    county_id : str, optional
        The study county; None picks it as :func:`study_county` does.
    consortium_id : str, optional
        The consortium; None picks the one serving the county (see above).

    Returns
    -------
    str
        The consortium's id.

    Raises
    ------
    InputError
        Unknown consortium, none in the county, or several and none alone serving it.
    """
    ids = sorted(str(c) for c in store.to_pandas("consortia")["consortium_id"])
    if consortium_id is not None:
        if consortium_id not in ids:
            raise InputError(
                f"consortium: no consortium {consortium_id!r} in store {store.path} "
                f"(it holds {', '.join(ids) or 'none'})"
            )
        return consortium_id
    county = study_county(store, county_id)

    def in_county(table: str, key: str, place: str) -> set[str]:
        places = store.to_pandas(place)
        local = places.loc[places["county_id"].astype(str) == county, key].astype(str)
        links = store.to_pandas(table)
        return set(links.loc[links[key].astype(str).isin(local), "consortium_id"].astype(str))

    candidates = sorted(in_county("consortium_members", "institution_id", "institutions"))
    if len(candidates) > 1:
        serving = in_county("consortium_grids", "grid_id", "grids") & set(candidates)
        if len(serving) == 1:
            return serving.pop()
    if not candidates:
        raise InputError(
            f"consortium: none in store {store.path} has member institutions in county "
            f"{county}; say which (it holds {', '.join(ids) or 'none'})"
        )
    if len(candidates) > 1:
        raise InputError(
            f"consortium: in store {store.path}, {len(candidates)} consortia have member "
            f"institutions in county {county} ({', '.join(candidates)}) and none alone serves "
            "its grids; say which"
        )
    return candidates[0]


def _store_settings(
    store, county: str, treated: set[str], overrides: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, bool]]:
    """``institution → setting`` and ``institution → primary care`` for the institutions
    in ``treated``, from the store's institutions and consortium memberships."""
    bad = sorted({s for s in overrides.values() if s not in SETTINGS})
    if bad:
        raise InputError(f"settings: expected one of {', '.join(SETTINGS)}, got {', '.join(bad)}")
    inst = store.to_pandas("institutions")
    members = {str(i) for i in store.to_pandas("consortium_members")["institution_id"]}
    settings: dict[str, str] = {}
    primary: dict[str, bool] = {}
    unplaced: list[str] = []
    for row in inst.itertuples(index=False):
        iid = str(row.institution_id)
        if iid not in treated:
            continue
        primary[iid] = str(row.tier) in _PRIMARY_TIERS
        if iid in overrides:
            settings[iid] = overrides[iid]
        elif str(row.county_id) != county:
            settings[iid] = "outside_county"
        elif iid in members:
            settings[iid] = "consortium"
        elif str(row.ownership) == "private":
            settings[iid] = "private"
        else:
            unplaced.append(iid)
    if unplaced:
        raise DataError(
            f"county {county}: public institutions in the county but in no consortium; say "
            "where their spending belongs with settings={institution_id: setting}",
            [f"institution {u}" for u in unplaced[:_MAX_LISTED]],
        )
    return settings, primary


def spending_from_store(
    store: Store,
    *,
    county_id: str | None = None,
    settings: Mapping[str, str] | None = None,
    date: str = "encounter",
) -> SpendingTable:
    """The spending table of one county's residents from a data-layer store.

    Sums the *settled* amounts (:func:`ihms.data.settled_encounters`: claims replace an
    encounter's own amounts where they exist — the same definition the insurance
    indicators use) of every encounter of the county's residents, by year and treating
    institution, in the database. Each institution's ``setting`` follows from the store:
    outside the county → ``outside_county``; a member of a consortium →
    ``consortium`` (in every year, so the years before the consortium formed serve as
    the budget's history); privately owned and in no consortium → ``private``. Village clinics
    and township or community health centres are ``primary_care``.

    Parameters
    ----------
    store
        A :class:`ihms.data.Store`.
    county_id
        The county whose residents' budget is settled (may be omitted when only one
        county in the store has grids, i.e. residents; hospitals outside it are places
        of treatment).
    settings
        ``{institution_id: setting}`` overriding the rule above, e.g. for a public
        institution in the county that belongs to no consortium.
    date : {"encounter", "settled"}
        The year an encounter's spending counts in: its own date (the default), or,
        for an encounter with claims, the date its last claim was settled
        (``claims.settled_date``), so that money settled after 31 December falls in the
        next year (:mod:`ihms.payment.store_dating`; :func:`late_settlement_note` says
        how much either choice moves).

    Raises
    ------
    InputError
        Unknown county, several counties and no ``county_id``, or an unknown ``date``.
    DataError
        A public in-county institution outside every consortium, with no override.
    """
    county = study_county(store, county_id)
    joined = county_encounters(store, county, date)
    agg = (
        joined.group_by(year=joined.spending_date.year(), institution_id=joined.institution_id)
        .aggregate(
            insurance_paid_fen=joined.insurance_paid_fen.sum(),
            total_cost_fen=joined.total_cost_fen.sum(),
            out_of_pocket_fen=joined.out_of_pocket_fen.sum(),
            encounters=joined.count(),
        )
        .order_by(["year", "institution_id"])
        .execute()
    )
    agg["institution_id"] = agg["institution_id"].astype(str)
    placed, primary = _store_settings(
        store, county, set(agg["institution_id"]), dict(settings or {})
    )
    agg["year"] = agg["year"].astype("int64")
    agg.insert(1, "setting", agg["institution_id"].map(placed))
    agg["primary_care"] = [
        bool(primary.get(str(i))) and s == "consortium"
        for i, s in zip(agg["institution_id"], agg["setting"], strict=True)
    ]
    for col in ("insurance_paid_fen", "total_cost_fen", "out_of_pocket_fen", "encounters"):
        agg[col] = agg[col].astype("int64")
    return SpendingTable.from_frame(agg, source=f"store {store.path} (county {county})")


_REGISTRATIONS = ("if_known", "required", "omit")


def population_from_store(
    store: Store, *, county_id: str | None = None, registrations: str = "if_known"
) -> PopulationTable:
    """The population table of one county from a data-layer store.

    The counts are means over the year's months (only months whose last day lies in the
    store's period) of residents of the county's grids *present* on each month's last
    day (the residents table's rule: ``entry_date`` on or before it or null,
    ``exit_date`` after it or null), rounded half up:

    - ``insured_population``: present and insured;
    - ``resident_population``: present, insured or not (the county's total population,
      which a budget with ``budget.population: residents`` is set on);
    - ``family_physician_registered``: present, insured and registered with a family
      physician by that day (``fp_registered`` true and ``fp_registered_date`` on or
      before it). These are the members a per-member-per-year family-physician fee is
      paid for (Deqing's blended payment, Jia et al. 2021), so the count is a number of
      member-years and never exceeds the insured population. The register records only
      each resident's current registration, so one that lapsed before the resident's
      last day in the data does not count.

    Parameters
    ----------
    store
        A :class:`ihms.data.Store`.
    county_id
        The county (see :func:`study_county`).
    registrations
        What to do when the store cannot give the registrations — it was written under
        data schema 1.0 (no ``fp_registered_date``), or a registered insured resident
        present on some month end has no date (guessing one would pay fees for years
        nobody can vouch for): ``"if_known"`` (default) leaves
        ``family_physician_registered`` out (``None``) and warns
        (:class:`~ihms.errors.IhmsWarning`; a rule set with a family-physician fee then
        refuses to settle, so supply the counts from the registration system);
        ``"required"`` raises; ``"omit"`` never counts them.

    Raises
    ------
    DataError
        ``registrations="required"`` and the store cannot give them (the problems name
        up to 200 residents without a registration date).
    """
    import ibis

    if registrations not in _REGISTRATIONS:
        raise InputError(
            f"registrations: expected one of {', '.join(_REGISTRATIONS)}, got {registrations!r}"
        )
    county = study_county(store, county_id)
    period = store.period
    ends = pd.period_range(period.start, period.end, freq="M").to_timestamp(how="end")
    ends = ends.normalize()
    ends = ends[(ends.date >= period.start) & (ends.date <= period.end)]
    if len(ends) == 0:
        raise InputError(f"store {store.path}: its period {period} holds no month's last day")
    months = ibis.memtable({"month_end": ends.date}, schema={"month_end": "date"})
    tables = store.tables()
    residents, grids = tables["residents"], tables["grids"]
    ours = residents.join(grids, residents.grid_id == grids.grid_id).filter(
        grids.county_id == county
    )
    everyone = ours.cross_join(months).filter(
        ours.entry_date.isnull() | (ours.entry_date <= months.month_end),
        ours.exit_date.isnull() | (ours.exit_date > months.month_end),
    )
    present = everyone.filter(everyone.insured)
    registered = everyone.insured & everyone.fp_registered
    dated = everyone.fp_registered_date
    counts = (
        everyone.group_by(everyone.month_end)
        .aggregate(
            residents=everyone.count(),
            insured=everyone.insured.sum(),
            registered=(registered & (dated <= everyone.month_end)).sum(),
            undated=(registered & dated.isnull()).sum(),
        )
        .execute()
    )
    full = pd.DataFrame({"month_end": pd.to_datetime(ends)}).merge(
        counts.assign(month_end=pd.to_datetime(counts["month_end"])), on="month_end", how="left"
    )
    full = full.fillna({"residents": 0, "insured": 0, "registered": 0, "undated": 0})
    full["year"] = full["month_end"].dt.year
    yearly = full.groupby("year", sort=True)[["residents", "insured", "registered"]].mean()
    frame = pd.DataFrame(
        {
            "year": yearly.index.astype("int64"),
            # half up: a mean of 9.5 residents is 10
            "insured_population": _half_up(yearly["insured"]),
            "resident_population": _half_up(yearly["residents"]),
        }
    )
    members: dict[int, Registrations] = {}
    if registrations != "omit":
        gap = _registrations_unknown(store, present, undated=int(full["undated"].sum()))
        if gap is None:
            frame["family_physician_registered"] = _half_up(yearly["registered"])
            # member-months by contract-holding institution, for the fee
            signed = everyone.filter(registered & (dated <= everyone.month_end))
            by_inst = signed.group_by(
                [signed.month_end, signed.fp_institution_id.name("institution")]
            ).aggregate(registered=signed.count())
            members = monthly_registrations(by_inst.execute(), ends.date)
        elif registrations == "required":
            raise DataError(f"{gap[0]}; give the counts from the registration system", gap[1])
        else:
            warnings.warn(
                IhmsWarning(
                    f"{gap[0]}; family_physician_registered is left out (rules paying a "
                    "family-physician fee will not settle without it: give the counts from "
                    "the registration system)",
                    zh=f"{gap[2]}；未给出 family_physician_registered（规则含家庭医生签约服务费"
                    "的，缺少该列无法结算：请提供签约系统的签约人数）",
                ),
                stacklevel=caller_stacklevel(),
            )
    table = PopulationTable.from_frame(frame, source=f"store {store.path} (county {county})")
    return table.with_registrations(members)


def _half_up(means: pd.Series) -> np.ndarray:
    return np.floor(means + 0.5).astype("int64").to_numpy()


def _registrations_unknown(store, present, *, undated: int) -> tuple[str, list[str], str] | None:
    """Why the store cannot count registrations by year (message, residents, the message
    in Chinese), or None."""
    where = f"store {store.path}: family-physician registrations cannot be counted by year"
    where_zh = f"数据库 {store.path}：无法按年统计家庭医生签约人数"
    if "fp_registered_date" in store.absent_columns("residents"):
        version = store.info().schema_version
        return (
            f"{where}: it was written under data schema {version}, without fp_registered_date",
            [],
            f"{where_zh}：该库按数据结构 {version} 写入，没有 fp_registered_date",
        )
    if not undated:
        return None
    missing = present.filter(present.fp_registered, present.fp_registered_date.isnull())
    ids = sorted(str(r) for r in missing.select("resident_id").distinct().execute()["resident_id"])
    listed = [
        f"resident {r}: fp_registered is true but fp_registered_date is empty"
        for r in ids[:_MAX_LISTED]
    ]
    if len(ids) > _MAX_LISTED:
        listed.append(f"... and {len(ids) - _MAX_LISTED:,} more")
    return (
        f"{where}: {len(ids):,} registered insured resident(s) of the county have no "
        "fp_registered_date",
        listed,
        f"{where_zh}：县内 {len(ids):,} 名已签约的参保居民没有 fp_registered_date",
    )


#: Consortium scorecard indicators of the built-in rule sets → catalogue indicators:
#: sanming's director card scores health promotion by the hypertension and diabetes
#: control rates (Zhong et al. 2023, Discussion) and cooperation by the primary-care share
#: of outpatient contacts (their Table 4, the county's 诊疗人次).
ASSESSMENT_INDICATORS = {
    "hypertension_control_rate": "hypertension_control_rate",
    "diabetes_control_rate": "diabetes_control_rate",
    "outpatient_contacts_primary_share": "outpatient_contacts_primary_share",
}

#: Catalogue rates a consortium card may also score: the management rates (until
#: 2026-11-25) and the primary-care share of preventive visits (until 2026-11-26) that
#: sanming's director card scored, which a rule file copied from it still does.
STORE_ASSESSMENT_INDICATORS = {
    **ASSESSMENT_INDICATORS,
    "hypertension_management_rate": "hypertension_management_rate",
    "diabetes_management_rate": "diabetes_management_rate",
    "healthcare_visits_primary_share": "healthcare_visits_primary_share",
}


def indicator_values_from_results(
    results: IndicatorResults,
    *,
    unit: str,
    subject: str = "consortium",
    mapping: Mapping[str, str] | None = None,
) -> IndicatorValues:
    """Scorecard indicator values from yearly :mod:`ihms.indicators` results.

    Catalogue values in per cent (``factor: 100``) become fractions, as the rule sets'
    scorecards expect; missing or suppressed values are left out (the assessment then
    reports them missing rather than scoring a zero).

    Parameters
    ----------
    results
        :class:`ihms.indicators.IndicatorResults` computed with ``period="year"``.
    unit
        The unit whose values are the subject's (a consortium or county id).
    subject
        The scorecard subject (``consortium`` or a staff id).
    mapping
        ``{scorecard indicator: catalogue indicator}``; default
        :data:`ASSESSMENT_INDICATORS`.
    """
    if results.period != "year":
        raise InputError(f"indicator results by {results.period}: expected yearly results")
    mapping = dict(ASSESSMENT_INDICATORS if mapping is None else mapping)
    frame = results.select(indicators=list(mapping.values()), units=[unit])
    if frame.empty:
        raise InputError(
            f"no values of {', '.join(mapping.values())} for unit {unit!r} in the results"
        )
    rows = []
    for ours, theirs in mapping.items():
        ind = results.catalogue[theirs]
        for row in frame[frame["indicator"] == theirs].itertuples(index=False):
            if pd.isna(row.value):
                continue
            value = Decimal(repr(float(row.value)))
            if ind.factor == 100:
                value = value / 100
            rows.append(
                {"year": int(row.period), "subject": subject, "indicator": ours, "value": value}
            )
    return IndicatorValues.from_frame(
        pd.DataFrame(rows, columns=["year", "subject", "indicator", "value"]),
        source=f"indicators of {unit}",
    )
