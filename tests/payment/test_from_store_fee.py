"""The family-physician fee from a data store: registered member-months by the
institution holding each contract (``fp_institution_id``), worked by hand.

The county, period and residents of ``test_from_store``: 2016 has six month ends in the
period (July - December), 2017 twelve. Contracts: a, b, c with T1, e with T2; f and h
name no institution.
"""

from __future__ import annotations

from tests.payment.test_from_store import PERIOD, RESIDENTS, _frames

from ihms.data import Dataset, Store
from ihms.payment import load_rules, population_from_store
from ihms.payment.family_physician import family_physician_fee
from ihms.payment.registrations import Registrations

HOLDERS = {"a": "T1", "b": "T1", "c": "T1", "e": "T2"}


def _store(path) -> Store:
    frames = _frames(RESIDENTS)
    res = frames["residents"]
    res["fp_institution_id"] = res["resident_id"].map(HOLDERS)
    store = Store(path)
    store.write(Dataset.from_frames(frames, period=PERIOD))
    return store


def test_the_store_gives_month_end_registrations_by_institution(tmp_path):
    with _store(tmp_path / "s.duckdb") as store:
        pop = population_from_store(store, county_id="c1")
    # 2017, month ends Jan-Dec: a, b, c (T1) registered all year: 3 a month;
    # e (T2) until she leaves on 1 April: Jan-Mar; f all year and h on 31 December
    # only, no institution: 1 a month, 2 in December. 36 + 3 + 13 = 52 member-months,
    # the sum whose mean (4.33 -> 4) is the year's family_physician_registered.
    assert pop.for_year(2017).family_physician_members == Registrations(
        {"": (1,) * 11 + (2,), "T1": (3,) * 12, "T2": (1, 1, 1) + (0,) * 9}
    )
    assert pop.for_year(2017).family_physician_registered == 4
    # 2016 has only six month ends in the store: its fee stands on the year's count
    assert pop.for_year(2016).family_physician_members is None


def test_the_fee_is_paid_on_member_months_not_the_rounded_mean(tmp_path):
    with _store(tmp_path / "s.duckdb") as store:
        county = population_from_store(store, county_id="c1").for_year(2017)
    fee = load_rules("deqing-shared-savings").family_physician_fee  # 100.00 a member-year
    result = family_physician_fee(fee, county)
    # 52 member-months x 10,000 fen / 12 = 43,333.33 -> 43,333 fen (the rounded mean
    # would have paid 4 x 100.00 = 40,000 fen). Split by member-months:
    #   T1 43,333 x 36/52 = 29,999.77; T2 x 3/52 = 2,499.98; unknown x 13/52 = 10,833.25
    #   floors 29,999 + 2,499 + 10,833 = 43,331; the 2 fen left go to T2 (.98), T1 (.77)
    assert result.total_fen == 43_333
    assert result.by_institution_fen == {"T1": 30_000, "T2": 2_500}
    assert result.lines[0].by_institution_fen[""] == 10_833
    # one fee all year: one step, its working on member-months
    working = {s.label: s.formula for s in result.steps}["family-physician fee"]
    assert working == (
        "52 registered member-months (month-end counts) × 100.00 per member per year "
        "(the same every year) / 12, rounded half up"
    )


def test_rules_without_the_fee_keep_their_inputs_digest(tmp_path):
    # session 21 review A: the month-end registrations the store now gives entered the
    # inputs of every rule set, so a Sanming year posted from a store before them got a
    # new digest (and a reversal in the ledger) though no figure changed. Rules that pay
    # no family-physician fee must not read them: the inputs, and their digest, are those
    # of the same year without registrations.
    import dataclasses

    from ihms.payment.inputs import county_year

    with _store(tmp_path / "s.duckdb") as store:
        pop = population_from_store(store, county_id="c1")
    assert pop.for_year(2017).family_physician_members is not None
    sanming = load_rules("sanming")
    assert sanming.family_physician_fee is None
    assert county_year(sanming, 2017, population=pop).family_physician_members is None
    deqing = load_rules("deqing-shared-savings")
    assert county_year(deqing, 2017, population=pop).family_physician_members is not None
    without = dataclasses.replace(pop.for_year(2017), family_physician_members=None)
    assert county_year(sanming, 2017, population=pop) == dataclasses.replace(
        without, resident_population=None
    )
