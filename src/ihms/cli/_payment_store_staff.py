"""Staff activity counts for ``ihms payment`` from a data store (``--store`` with
``--staff``): the store's staff_activities under an ``--indicators`` file's values (the
file wins per indicator, with a note), and the pseudonymisation key the store's ids need.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ihms.cli._common import err_console, note


def _store_key(store, key_file: Path | None = None):
    """The import's pseudonymisation key (staff rosters carry the raw ids): from
    ``key_file`` when given (``staff_values_from_store`` then checks it is the store's,
    and refuses it for a store whose ids are not pseudonymised), else from
    ``$IHMS_PSEUDONYM_KEY`` when set and the store is pseudonymised, else None."""
    import os

    from ihms.data import ENV_VAR, Pseudonymiser

    if key_file is not None:
        return Pseudonymiser.from_env(key_file=key_file)
    if store.info().id_scheme == "pseudonymised" and os.environ.get(ENV_VAR, "").strip():
        return Pseudonymiser.from_env()
    return None


def no_activities_noted(store, ind, indicators) -> bool:
    """Whether ``store`` records no staff activity at all (an empty or absent
    staff_activities table), after a note that ``indicators`` then come from the
    --indicators file ``ind`` alone; False (no note) when it records some."""
    if store.table("staff_activities").count().execute():
        return False
    source = "--indicators only" if ind is None else f"--indicators only (from {ind.source})"
    note(
        f"store {store.path} records no staff activities; {', '.join(sorted(indicators))} "
        f"come from {source}"
    )
    return True


def _store_staff_values(
    store, st, ind, assess: Sequence, years: Sequence[int], key_file: Path | None = None
):
    """The roster's activity counts from the store's staff_activities under the file's
    values (file wins per indicator, with a note), for the scorecards that score them;
    a store recording no activities leaves them to the file, with a note."""
    from ihms.payment import (
        STAFF_ACTIVITY_INDICATORS,
        IndicatorValues,
        staff_values_from_store,
    )

    by_role: dict[str, set[str]] = {}
    for r in assess:
        for role, card in r.staff_pay.scorecards.items():
            by_role.setdefault(role, set()).update(
                i.id for i in card.indicators if i.id in STAFF_ACTIVITY_INDICATORS
            )
    scored = set().union(*by_role.values()) if by_role else set()
    if not scored:
        return ind
    # only members some of whose counts the file does not give are looked up in the store
    # (a roster the file covers needs no activity of the store's, nor ids it knows)
    needed = tuple(
        m
        for m in st.members
        if any(
            i not in ({} if ind is None else ind.for_subject(y, m.staff_id))
            for y in years
            for i in _scored_counts(assess, m.role, by_role)
        )
    )
    if not needed:
        return ind
    if no_activities_noted(store, ind, scored):
        return ind
    key = _store_key(store, key_file)
    # the whole roster is looked up, so that whether its ids are the store's is judged on
    # every member (a needed member without an activity that year is a count of 0); only
    # the needed members' counts are kept
    needed_ids = {m.staff_id for m in needed}
    values: dict = {}
    for year in years:
        counted = staff_values_from_store(store, year, roster=st, pseudonymiser=key)
        for subject_year, counts in counted.values.items():
            if subject_year[1] not in needed_ids:
                continue
            given = {} if ind is None else ind.for_subject(*subject_year)
            replaced = sorted(i for i in counts if i in given)
            if replaced:
                err_console.print(
                    f"note: {ind.source} gives {', '.join(replaced)} of {subject_year[1]} for "
                    f"{subject_year[0]}; used instead of the counts of the store's staff "
                    "activities",
                    highlight=False,
                )
            values[subject_year] = {
                i: v for i, v in counts.items() if i in scored and i not in given
            }
    if ind is not None:
        for subject_year, given_values in ind.values.items():
            values.setdefault(subject_year, {}).update(given_values)
    counted_from = f"staff activities in store {store.path}"
    source = counted_from if ind is None else f"{ind.source} over {counted_from}"
    return IndicatorValues(values, source=source, rows={} if ind is None else ind.rows)


def _scored_counts(assess: Sequence, role: str, by_role: dict[str, set[str]]) -> set[str]:
    """The activity counts the cards scoring ``role`` score (its own card's, else the
    card the rules name for roles without one: ``staff_pay.other_roles``)."""
    counted = set(by_role.get(role, ()))
    for r in assess:
        card = r.staff_pay.card_for(role)
        if card is not None:
            counted |= by_role.get(card.role, set())
    return counted
