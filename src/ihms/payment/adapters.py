"""The payment engine's inputs from encounter-level data and from indicator results.

- :func:`spending_from_store` sums the settled spending of one county's residents in a
  data-layer :class:`~ihms.data.Store` (in the database; any size).
- :func:`spending_from_encounters` does the same for a pandas frame of encounters with
  the columns of the data layer's encounter table (money in integer fen)::

    resident_id, institution_id, date, type,
    total_cost_fen, insurance_paid_fen, out_of_pocket_fen

and a table of institutions saying where each one sits for payment purposes
(``setting``: ``consortium``, ``outside_county`` or ``private``; optional
``primary_care``). Other column names can be mapped with ``columns``. Only
``institution_id``, ``date`` (a date or ISO 8601 text) and ``insurance_paid_fen`` are
required; the frame is never modified.

- :func:`population_from_store` counts its insured and registered residents.
- :func:`indicator_values_from_results` turns yearly :mod:`ihms.indicators` results into
  the consortium's scorecard values.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from ihms.errors import DataError, InputError
from ihms.payment._parse import parse_bool
from ihms.payment.tables import SETTINGS, IndicatorValues, PopulationTable, SpendingTable

__all__ = [
    "ASSESSMENT_INDICATORS",
    "ENCOUNTER_COLUMNS",
    "indicator_values_from_results",
    "population_from_store",
    "spending_from_encounters",
    "spending_from_store",
]

#: The encounter columns this adapter reads (data layer names).
ENCOUNTER_COLUMNS = (
    "resident_id",
    "institution_id",
    "date",
    "type",
    "total_cost_fen",
    "insurance_paid_fen",
    "out_of_pocket_fen",
)

_MAX_LISTED = 200


def _rows(mask: np.ndarray) -> list[int]:
    return [int(i) + 2 for i in np.flatnonzero(mask)[:_MAX_LISTED]]


def _institution_settings(
    institutions: pd.DataFrame | Mapping[str, str], problems: list[str], source: str
) -> tuple[dict[str, str], dict[str, bool]]:
    if isinstance(institutions, Mapping):
        frame = pd.DataFrame(
            {"institution_id": list(institutions), "setting": list(institutions.values())}
        )
    else:
        frame = institutions
    missing = [c for c in ("institution_id", "setting") if c not in frame.columns]
    if missing:
        raise DataError(f"{source}: institutions table lacks column(s) {', '.join(missing)}")
    settings: dict[str, str] = {}
    primary: dict[str, bool] = {}
    has_primary = "primary_care" in frame.columns
    for pos, row in enumerate(frame.itertuples(index=False)):
        inst, setting = str(row.institution_id).strip(), str(row.setting).strip()
        if setting not in SETTINGS:
            problems.append(
                f"institutions row {pos + 2}: column 'setting': expected one of {', '.join(SETTINGS)}, got {setting!r}"
            )
        if inst in settings:
            problems.append(f"institutions row {pos + 2}: institution {inst!r} listed twice")
        settings[inst] = setting
        flag = False
        if has_primary:
            try:
                flag = parse_bool(row.primary_care)
            except ValueError:
                problems.append(
                    f"institutions row {pos + 2}: column 'primary_care': expected true or false, "
                    f"got {row.primary_care!r}"
                )
        primary[inst] = flag
    return settings, primary


def spending_from_encounters(
    encounters: pd.DataFrame,
    institutions: pd.DataFrame | Mapping[str, str],
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "encounters",
) -> SpendingTable:
    """Sum insurance-paid spending by year and institution into a spending table.

    Parameters
    ----------
    encounters
        One row per encounter (see the module docstring). Not modified.
    institutions
        ``institution_id → setting`` (a mapping), or a frame with ``institution_id``,
        ``setting`` and optionally ``primary_care``.
    columns
        ``{our name: your column}`` for encounter columns named differently.
    source
        Name used in error messages.

    Raises
    ------
    DataError
        Listing every problem: missing columns, unparseable dates, negative or fractional
        amounts, insurance paid above total cost, institutions not in ``institutions``.
    """
    rename = {v: k for k, v in (columns or {}).items()}
    frame = encounters.rename(columns=rename) if rename else encounters
    missing = [
        c for c in ("institution_id", "date", "insurance_paid_fen") if c not in frame.columns
    ]
    if missing:
        raise DataError(
            f"{source}: missing required column(s) {', '.join(missing)} "
            f"(has: {', '.join(map(str, frame.columns))})"
        )
    problems: list[str] = []
    settings, primary = _institution_settings(institutions, problems, source)

    dates = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
    bad = dates.isna().to_numpy()
    if bad.any():
        problems.append(
            f"{source}: column 'date': {int(bad.sum()):,} row(s) without a valid date, rows {_rows(bad)}"
        )

    def money(col: str) -> pd.Series | None:
        if col not in frame.columns:
            return None
        values = pd.to_numeric(frame[col], errors="coerce")
        arr = values.to_numpy(dtype="float64", na_value=np.nan)
        wrong = np.isnan(arr) | (arr < 0) | (np.floor(arr) != arr)
        if wrong.any():
            problems.append(
                f"{source}: column {col!r}: {int(wrong.sum()):,} row(s) not whole fen >= 0, rows {_rows(wrong)}"
            )
        return values

    paid = money("insurance_paid_fen")
    total = money("total_cost_fen")
    oop = money("out_of_pocket_fen")
    if total is not None and paid is not None:
        over = (paid > total).to_numpy(dtype=bool, na_value=False)
        if over.any():
            problems.append(
                f"{source}: column 'insurance_paid_fen': {int(over.sum()):,} row(s) pay more than "
                f"the total cost, rows {_rows(over)}"
            )
    inst = frame["institution_id"].astype(str).str.strip()
    unknown = ~inst.isin(list(settings)).to_numpy()
    if unknown.any():
        names = sorted(set(inst[unknown]))[:20]
        problems.append(
            f"{source}: column 'institution_id': {int(unknown.sum()):,} row(s) name institutions "
            f"missing from the institutions table ({', '.join(names)}), rows {_rows(unknown)}"
        )
    if problems:
        raise DataError(f"{source}: cannot derive a spending table", problems)

    work = pd.DataFrame(
        {
            "year": dates.dt.year.to_numpy(),
            "institution_id": inst.to_numpy(),
            "insurance_paid_fen": paid.to_numpy(dtype="int64"),
            "total_cost_fen": (total if total is not None else paid).to_numpy(dtype="int64"),
            "out_of_pocket_fen": (
                oop if oop is not None else pd.Series(0, index=frame.index)
            ).to_numpy(dtype="int64"),
        }
    )
    agg = (
        work.groupby(["year", "institution_id"], sort=True)
        .agg(
            insurance_paid_fen=("insurance_paid_fen", "sum"),
            total_cost_fen=("total_cost_fen", "sum"),
            out_of_pocket_fen=("out_of_pocket_fen", "sum"),
            encounters=("insurance_paid_fen", "size"),
        )
        .reset_index()
    )
    agg.insert(1, "setting", agg["institution_id"].map(settings))
    agg["primary_care"] = agg["institution_id"].map(primary).fillna(False).astype(bool)
    agg.loc[agg["setting"] != "consortium", "primary_care"] = False
    if total is None:
        agg = agg.drop(columns="total_cost_fen")
    if oop is None:
        agg = agg.drop(columns="out_of_pocket_fen")
    return SpendingTable.from_frame(agg, source=f"spending derived from {source}")


# -- from a data-layer store ------------------------------------------------------------
_PRIMARY_TIERS = ("primary_centre", "village_clinic")


def _study_county(store, county_id: str | None) -> str:
    counties = store.to_pandas("counties")
    ids = [str(c) for c in counties["county_id"]]
    if county_id is None:
        with_grids = sorted({str(c) for c in store.to_pandas("grids")["county_id"]})
        if len(with_grids) != 1:
            raise InputError(
                f"the store holds {len(with_grids)} counties with grids of residents "
                f"({', '.join(with_grids[:10])}): pass county_id"
            )
        return with_grids[0]
    if county_id not in ids:
        raise InputError(
            f"county_id: no county {county_id!r} in the store (it holds {', '.join(ids[:10])})"
        )
    return county_id


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
    store,
    *,
    county_id: str | None = None,
    settings: Mapping[str, str] | None = None,
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

    Raises
    ------
    InputError
        Unknown county, or several counties and no ``county_id``.
    DataError
        A public in-county institution outside every consortium, with no override.
    """
    from ihms.data import settled_encounters

    county = _study_county(store, county_id)
    tables = store.tables()
    enc = settled_encounters(tables)
    residents, grids = tables["residents"], tables["grids"]
    ours = residents.join(grids, residents.grid_id == grids.grid_id).filter(
        grids.county_id == county
    )
    ours = ours.select(ours.resident_id)
    joined = enc.join(ours, enc.resident_id == ours.resident_id)
    agg = (
        joined.group_by(year=joined.date.year(), institution_id=joined.institution_id)
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


def population_from_store(store, *, county_id: str | None = None) -> PopulationTable:
    """The population table of one county from a data-layer store.

    ``insured_population`` is the mean over the year's months of the insured residents
    of the county's grids present on each month's last day (the residents table's
    ``entry_date`` / ``exit_date`` rule); only months inside the store's period count.
    ``family_physician_registered`` is left out: the residents table (schema 1.0) says
    whether a resident is registered, not since when, so it cannot give a year's count —
    supply it from the registration system where a rule set needs it (Deqing's fees).
    """
    import ibis

    county = _study_county(store, county_id)
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
        grids.county_id == county, residents.insured
    )
    present = ours.cross_join(months).filter(
        ours.entry_date.isnull() | (ours.entry_date <= months.month_end),
        ours.exit_date.isnull() | (ours.exit_date > months.month_end),
    )
    counts = present.group_by(present.month_end).aggregate(insured=present.count()).execute()
    full = pd.DataFrame({"month_end": pd.to_datetime(ends)}).merge(
        counts.assign(month_end=pd.to_datetime(counts["month_end"])), on="month_end", how="left"
    )
    full = full.fillna({"insured": 0})
    full["year"] = full["month_end"].dt.year
    yearly = full.groupby("year", sort=True)["insured"].mean()
    frame = pd.DataFrame(
        {
            "year": yearly.index.astype("int64"),
            # half up: a mean of 9.5 residents is 10
            "insured_population": np.floor(yearly + 0.5).astype("int64").to_numpy(),
        }
    )
    return PopulationTable.from_frame(frame, source=f"store {store.path} (county {county})")


#: Consortium scorecard indicators of the built-in rule sets → catalogue indicators.
ASSESSMENT_INDICATORS = {
    "hypertension_management_rate": "hypertension_management_rate",
    "diabetes_management_rate": "diabetes_management_rate",
    "primary_care_healthcare_share": "healthcare_visits_primary_share",
}


def indicator_values_from_results(
    results,
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
