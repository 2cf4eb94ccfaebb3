"""The consortium's assessment rates of ``ihms payment ... --store``: computed from the
store with the indicator catalogue, under the consortium rows of ``--indicators`` (the
file wins per indicator and year, with a note).

A store may give none of them — a county's export without follow-ups or preventive
visits — and the file or ``--assume-passed`` then stands in; what is still lacking is
refused once, per year, saying why the store gave nothing and what to give instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from ihms.cli._common import err_console, note
from ihms.errors import InputError


def _counts_followups(indicator) -> bool:
    """Whether a catalogue rate (an :class:`~ihms.indicators.Indicator`) counts the
    follow-ups of managed patients (their readings, their visits): its numerator or
    denominator is taken from a source built on the ``followups`` table (the control and
    management rates), read from the catalogue, so a rate added to it is told too.

    >>> from ihms.indicators import CATALOGUE
    >>> _counts_followups(CATALOGUE["diabetes_control_rate"])
    True
    >>> _counts_followups(CATALOGUE["healthcare_visits_primary_share"])
    False
    """
    from ihms.indicators._sources import SOURCE_TABLES

    parts = (indicator.numerator, indicator.denominator)
    return any("followups" in SOURCE_TABLES.get(p.source, ()) for p in parts if p is not None)


#: What the primary-care shares a card may score are shares of, in words; the
#: encounters each is taken over are its catalogue denominator's (:func:`_over`), so the
#: reason a store gives none names what the catalogue counts.
_SHARE_OF = {
    "outpatient_contacts_primary_share": "outpatient contacts",
    "healthcare_visits_primary_share": "healthcare visits",
}


def _over(indicator) -> tuple[tuple[str, ...], str, str] | None:
    """The encounter types a catalogue rate (an :class:`~ihms.indicators.Indicator`) is
    taken over, its denominator's ``type`` condition; those encounters in words; and
    what the rate is (the primary-care share of outpatient contacts). None for a rate
    whose denominator is not encounters of some types.

    >>> from ihms.indicators import CATALOGUE
    >>> _over(CATALOGUE["healthcare_visits_primary_share"])
    (('preventive',), 'preventive encounters', 'the primary-care share of healthcare visits')
    """
    den = indicator.denominator
    if den is None or den.source != "encounters":
        return None
    types = next((tuple(c.values) for c in den.where if c.column == "type" and c.values), ())
    if not types:
        return None
    words = [t.replace("_", " ").replace("followup", "follow-up") for t in types]
    listed = f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else words[0]
    share = _SHARE_OF.get(indicator.id)
    noun = f"{share} ({listed} encounters)" if share and len(types) > 1 else f"{listed} encounters"
    rate = f"the primary-care share of {share}" if share else indicator.id
    return types, noun, rate


def consortium_rates(
    store,
    unit: str,
    ind,
    cards: Sequence,
    years: Sequence[int],
    assume: bool | None = None,
):
    """The indicator values with the consortium's rates of ``years`` computed from
    ``store`` for ``unit`` under the file's (``ind``, None: no file).

    ``assume``: whether ``--assume-passed`` was given (None: the command has no such
    option). A year the store and the file leave without some rate a director's card
    scores is refused, naming why the store gave none, unless ``--assume-passed`` was
    given and the file has no consortium value for that year: the assessment is then
    assumed passed (the store's other rates of that year are not scored), with a note.
    """
    from ihms.indicators import compute
    from ihms.payment import (
        CONSORTIUM_SUBJECT,
        STORE_ASSESSMENT_INDICATORS,
        IndicatorValues,
        indicator_values_from_results,
    )

    used = {i.id for card in cards for i in card.indicators}
    # the catalogue rates the cards score (a rule file copied from an older template may
    # score the management rates)
    scored = {k: v for k, v in STORE_ASSESSMENT_INDICATORS.items() if k in used}
    if not scored:  # the cards score no rate the store gives (the fund balance alone)
        return ind if ind is not None else IndicatorValues({}, source=f"indicators of {unit}")
    with err_console.status(f"computing the yearly rates of {unit}"):
        rates = compute(
            store,
            indicators=list(scored.values()),
            level="consortium",
            period="year",
        )
    if rates.select(units=[unit]).empty:  # nothing computable: the checks below say why
        computed = IndicatorValues({}, source=f"indicators of {unit}")
    else:
        computed = indicator_values_from_results(rates, unit=unit, mapping=scored)
    merged = _merge_rates(computed, ind, unit, years)
    for year in years:
        given = merged.for_subject(year, CONSORTIUM_SUBJECT)
        lacking = [i for i in scored if i not in given]
        if not lacking:
            continue
        why = _why_none(store, year, lacking, rates, unit)
        from_file = ind is not None and ind.for_subject(year, CONSORTIUM_SUBJECT)
        if assume and not from_file:
            kept = {k: v for k, v in merged.values.items() if k != (year, CONSORTIUM_SUBJECT)}
            merged = IndicatorValues(kept, source=merged.source, rows=merged.rows)
            unscored = f"; its {', '.join(given)} not scored" if given else ""
            note(
                f"store {store.path} gives no {year} value of {', '.join(lacking)} for "
                f"consortium {unit} ({why}); the assessment is assumed passed "
                f"(--assume-passed){unscored}"
            )
            continue
        if assume:  # given, but the file's own consortium row for the year stands
            alone = (
                f"; the file's {year} consortium row gives only "
                f"{', '.join(from_file)}, so --assume-passed does not apply: "
                f"complete that row, or remove it to assume the assessment passed"
            )
        else:
            alone = "" if assume is None else ", or settle with --assume-passed"
        raise InputError(
            f"--consortium {unit}: store {store.path} gives no {year} value of "
            f"{', '.join(lacking)} for it ({why}); give them as consortium rows of "
            f"--indicators (year, subject 'consortium', indicator, value){alone}"
        )
    return merged


def _why_none(store, year: int, lacking: Sequence[str], rates, unit: str) -> str:
    """Why the store gave no value of the ``lacking`` rates in ``year``: the store, or a
    county whose grids or institutions consortium ``unit`` holds, lacks the whole year
    (``rates``, the computed results, say which: the rates are left empty there, not
    its other counties' alone); the table they are counted from has no rows (that
    year); else the consortium's residents."""
    import ibis

    reasons = []
    if year in rates.empty_periods.get("year", ()):
        reasons.append(f"it holds no encounter in {year}: its extract lacks the year")
    lacks = [c for c, p in rates.county_empty_periods.items() if year in p.get("year", ())]
    for county in sorted(set(lacks) & _counties_of(store, unit)):
        reasons.append(
            f"county {county}, whose grids or institutions it holds, has no encounter in "
            f"{year}: its extract lacks the year, so the rates counting its records are "
            "left empty"
        )
    from ihms.indicators import CATALOGUE
    from ihms.payment import STORE_ASSESSMENT_INDICATORS

    catalogued = [CATALOGUE[STORE_ASSESSMENT_INDICATORS.get(i, i)] for i in lacking]
    if any(_counts_followups(i) for i in catalogued):
        followups = store.table("followups")
        if followups.count().execute() == 0:
            counted = "whose follow-ups of managed patients the control and management rates count"
            reasons.append(f"there are no rows in its followups table, {counted}")
        elif followups.filter(followups.date.year() == year).count().execute() == 0:
            reasons.append(f"its followups table has none in {year}")
    for indicator in catalogued:
        found = _over(indicator)
        if found is None:
            continue
        types, noun, rate = found
        enc = store.table("encounters")
        over = enc.filter(enc.type.isin(types) & (enc.date.year() == ibis.literal(year)))
        if over.count().execute() == 0:
            reasons.append(f"it holds no {noun} in {year}, over which {rate} is taken")
    if not reasons:
        return "rates of residents need grids it serves: choose another consortium"
    return "; ".join(reasons)


def _counties_of(store, unit: str) -> set[str]:
    """The counties of the member institutions and grids of consortium ``unit``."""
    members = store.table("consortium_members").filter(lambda t: t.consortium_id == unit)
    grids = store.table("consortium_grids").filter(lambda t: t.consortium_id == unit)
    inst = store.table("institutions").select("institution_id", "county_id")
    of_grids = store.table("grids").select("grid_id", "county_id")
    found = (
        members.join(inst, "institution_id")
        .select("county_id")
        .union(grids.join(of_grids, "grid_id").select("county_id"))
    )
    return {str(c) for c in found.distinct().to_pandas()["county_id"].dropna()}


def _merge_rates(computed, given, consortium: str, years: Sequence[int]):
    """The computed consortium rates under the file's values (file wins per indicator)."""
    from ihms.payment import CONSORTIUM_SUBJECT, IndicatorValues

    if given is None:
        return computed
    values = {key: dict(v) for key, v in computed.values.items()}
    for (year, subject), given_values in given.values.items():
        ours = values.setdefault((year, subject), {})
        replaced = sorted(i for i in given_values if i in ours)
        if subject == CONSORTIUM_SUBJECT and replaced and year in years:
            err_console.print(
                f"note: {given.source} gives the consortium's {', '.join(replaced)} for {year}; "
                f"used instead of the rates computed for {consortium} from the store",
                highlight=False,
            )
        ours.update(given_values)
    return IndicatorValues(values, source=f"{given.source} over {computed.source}")
