"""In-year tracking of the simulated Youxi store (conftest's ``store_path``, which
``test_cli_store`` reads: 3,000 residents, 2016–2019, every encounter paid at the point
of service, so no claim is late): the months add up to the year ``settle`` charges, and the mid-year projection is
the prior years' profile applied to the half year, recomputed here from the encounters
with pandas rather than through the library's query."""

from __future__ import annotations

from fractions import Fraction

from ihms.data import Store
from ihms.payment import (
    load_rules,
    population_from_store,
    round_fen,
    settle_year,
    settlement_inputs,
    spending_from_store,
    tracking_from_store,
)

SANMING = load_rules("sanming")


def _charged_by_month(store) -> dict[tuple[int, int], int]:
    """Insurance paid for Youxi residents' care at consortium members or outside the
    county, by year and month of the encounter (the store has no claims)."""
    enc = store.to_pandas("encounters")
    residents = store.to_pandas("residents").merge(store.to_pandas("grids"), on="grid_id")
    ours = set(residents.loc[residents["county_id"] == "youxi", "resident_id"])
    inst = store.to_pandas("institutions").set_index("institution_id")["county_id"]
    members = set(store.to_pandas("consortium_members")["institution_id"])
    enc = enc[enc["resident_id"].isin(ours)]
    charged = enc["institution_id"].isin(members) | (enc["institution_id"].map(inst) != "youxi")
    enc = enc[charged]
    when = enc["date"].dt
    sums = enc.groupby([when.year, when.month])["insurance_paid_fen"].sum()
    return {(int(y), int(m)): int(v) for (y, m), v in sums.items()}


def _inputs_2018(store):
    """What ``payment settle --store`` settles 2018 from."""
    return settlement_inputs(
        SANMING,
        2018,
        spending=spending_from_store(store),
        population=population_from_store(store, registrations="omit"),
        assume_assessment_passed=True,
    )


def test_the_youxi_year_tracked_to_december_is_what_settle_charges(store_path):
    with Store(store_path, read_only=True) as s:
        t = tracking_from_store(s, SANMING, year=2018, through="2018-12")
        inputs = _inputs_2018(s)
    record = settle_year(SANMING, inputs)
    dec = t.latest()[0]
    assert dec["county"] == "youxi"
    assert dec["budget_fen"] == record.budget.global_budget_fen
    assert dec["to_date_fen"] == record.charged_fen
    assert dec["projected_fen"] == record.charged_fen  # the profile's share is the whole year
    assert dec["projected_balance_fen"] == record.budget.global_budget_fen - record.charged_fen


def test_the_youxi_mid_year_projection_follows_the_2016_2017_profile(store_path):
    with Store(store_path, read_only=True) as s:
        t = tracking_from_store(s, SANMING, year=2018, through="2018-06")
        by_month = _charged_by_month(s)
        inputs = _inputs_2018(s)
    assert t.counties[0].profile_years == (2016, 2017)
    assert [r["spent_fen"] for r in t.rows] == [by_month.get((2018, m), 0) for m in range(1, 7)]
    prior = sum(v for (y, _), v in by_month.items() if y in (2016, 2017))
    half = sum(v for (y, m), v in by_month.items() if y in (2016, 2017) and m <= 6)
    to_date = sum(by_month.get((2018, m), 0) for m in range(1, 7))
    june = t.latest()[0]
    projected = round_fen(Fraction(to_date * prior, half))
    assert june["projected_fen"] == projected
    # the flag against the budget settle sets for 2018, not against the row's own figures;
    # no claim is late, so the projection with late claims is the same
    budget = settle_year(SANMING, inputs).budget.global_budget_fen
    assert june["projected_with_late_fen"] == projected
    assert june["projected_balance_fen"] == budget - projected
    assert june["over_budget"] is (projected > budget)
    assert all(r["late_claims"] == 0 for r in t.rows)
