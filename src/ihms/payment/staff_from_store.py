"""Staff scorecard values counted from a data-layer store's ``staff_activities`` table.

The doctors' annual-salary scorecard (Sanming, DOMAIN.md) counts health education
sessions held and days spent consulting at a lower-tier institution (a county
hospital's doctor at a township health centre, a centre's doctor at a village clinic); the online
supervision system records each one. :func:`staff_values_from_store` counts them per
staff member and year as the :class:`~ihms.payment.IndicatorValues` the scorecard
takes, beside :func:`~ihms.payment.spending_from_store` for the money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from ihms._listing import first_of
from ihms.errors import InputError
from ihms.payment.tables import IndicatorValues, StaffRoster

if TYPE_CHECKING:
    from ihms.data import Pseudonymiser, Store

__all__ = ["STAFF_ACTIVITY_INDICATORS", "staff_values_from_store"]

#: Scorecard indicator → the ``staff_activities.activity`` it counts.
STAFF_ACTIVITY_INDICATORS = MappingProxyType(
    {
        "health_education_sessions": "health_education_session",
        "thc_consultation_days": "thc_consultation_day",
    }
)


def _check_key(store, pseudonymiser) -> None:
    info = store.info()
    if info.id_scheme != "pseudonymised":
        raise InputError(
            f"store {store.path}: its ids are {info.id_scheme}, not pseudonymised; give no "
            f"pseudonymisation key (this one is from {pseudonymiser.source})"
        )
    if info.key_fingerprint and pseudonymiser.fingerprint != info.key_fingerprint:
        raise InputError(
            f"store {store.path}: its ids were pseudonymised with another key (fingerprint "
            f"{info.key_fingerprint}) than the one from {pseudonymiser.source} (fingerprint "
            f"{pseudonymiser.fingerprint}); use the key the data were imported with"
        )


def staff_values_from_store(
    store: Store,
    year: int,
    *,
    roster: StaffRoster | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    through: date | None = None,
) -> IndicatorValues:
    """Each staff member's ``health_education_sessions`` and ``thc_consultation_days``
    in ``year``, from the store's ``staff_activities`` (data schema 1.2).

    ``health_education_sessions`` counts the rows of health education sessions (one per
    staff member, day and place); ``thc_consultation_days`` counts the distinct days with a
    consultation — a day at two centres is one day consulting. A year runs 1 January to
    31 December by the activity's date.

    Parameters
    ----------
    store : ihms.data.Store
        The data store.
    year : int
        The calendar year; it must lie in the store's period.
    roster : StaffRoster, optional
        The staff paid by scorecard. Every member gets both values, 0 when the store
        records no activity of theirs in the year (the store records activities, so none
        is a count of 0, not a gap). Staff with activities but not on the roster keep
        their values too (``cross_check`` notes them). Without a roster, only staff
        with an activity in the year have values.
    pseudonymiser : ihms.data.Pseudonymiser, optional
        For a store whose ids were pseudonymised on import and a roster of the raw
        staff ids: the key the data were imported with (checked against the store's
        fingerprint). Values are then given under the roster's ids. Without it the
        roster's ids are matched as they are.
    through : datetime.date, optional
        Count only activities on or before this day of ``year`` (the year to date, as
        :func:`~ihms.payment.supervision` shows it); default the whole year.

    Returns
    -------
    IndicatorValues
        ``(year, staff id) → {indicator: count}``.

    Raises
    ------
    InputError
        A year outside the store's period; a store holding no staff activities at all
        (written before schema 1.2, or the table is empty: a zero would be invented); a
        roster none of whose ids the store's activities use while the year has
        activities (raw ids against pseudonyms, say); a key that is not the store's.

    Examples
    --------
    >>> values = staff_values_from_store(store, 2018, roster=roster)  # doctest: +SKIP
    >>> values.for_subject(2018, "DR-CH01-A")["thc_consultation_days"]  # doctest: +SKIP
    Decimal('14')
    """
    period = store.period
    if year not in period.years:
        raise InputError(f"year {year}: outside the period of store {store.path} ({period})")
    if through is not None and through.year != year:
        raise InputError(f"through {through.isoformat()}: expected a day in {year}")
    acts = store.table("staff_activities")
    if acts.count().execute() == 0:
        version = store.info().schema_version
        why = (
            f"it was written under data schema {version}, before the table"
            if "staff_activities" in store.absent_tables()
            else "its staff_activities table is empty"
        )
        raise InputError(
            f"store {store.path}: holds no staff activities ({why}); give "
            f"{' and '.join(STAFF_ACTIVITY_INDICATORS)} in an indicator values file"
        )
    if pseudonymiser is not None:
        _check_key(store, pseudonymiser)
    in_year = acts.filter(acts.date.year() == year)
    if through is not None:
        in_year = in_year.filter(in_year.date <= through)
    counts = (
        in_year.group_by([in_year.staff_id, in_year.activity])
        .aggregate(rows=in_year.count(), days=in_year.date.nunique())
        .execute()
    )
    held: dict[str, dict[str, int]] = {}
    for row in counts.itertuples(index=False):
        n = row.days if row.activity == "thc_consultation_day" else row.rows
        held.setdefault(str(row.staff_id), {})[str(row.activity)] = int(n)
    names = {}  # the store's id → the id values are given under
    if roster is not None:
        for member in roster.members:
            raw = member.staff_id
            ours = raw if pseudonymiser is None else pseudonymiser.pseudonym(raw, kind="staff")
            names[ours] = raw
        if held and not set(held) & set(names):
            hint = (
                "; the store's ids are pseudonymised: give the key the data were imported with"
                if pseudonymiser is None and store.info().id_scheme == "pseudonymised"
                else ""
            )
            raise InputError(
                f"{roster.source}: none of its {len(names)} staff ids has an activity in "
                f"store {store.path} in {year}, which records {len(held)} staff member(s) "
                f"in {year}: {first_of(sorted(held), 5)} (ihms data export --store "
                f"{store.path} --table staff_activities --format csv --out DIR lists every "
                f"staff_id){hint}"
            )
    values = {}
    for staff in sorted(set(held) | set(names)):
        done = held.get(staff, {})
        values[year, names.get(staff, staff)] = {
            indicator: Decimal(done.get(activity, 0))
            for indicator, activity in STAFF_ACTIVITY_INDICATORS.items()
        }
    to = year if through is None else f"{year} to {through.isoformat()}"
    return IndicatorValues(values, source=f"store {store.path} (staff activities, {to})")
