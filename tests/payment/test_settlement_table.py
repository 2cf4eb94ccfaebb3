"""The settlement's summary table adds up: each line carries its working, and the totals
(insurer's outlay, consortium's result) reconcile with the lines above them to the fen."""

from __future__ import annotations

from decimal import Decimal

from ihms.payment import CountyYear, SettlementInputs, YearSpending, settle_year

from .test_settlement import PASSING, sanming

D = Decimal


def _table(consortium_yuan, outside_yuan=0, private_yuan=0, private="0%"):
    spending = YearSpending(
        2018, {"CH01": consortium_yuan * 100}, outside_yuan * 100, private_yuan * 100
    )
    inputs = SettlementInputs(CountyYear(2018, 1_000), spending, assessment_values=PASSING)
    frame = settle_year(sanming(private=private), inputs).summary().frame
    return dict(
        zip(frame.index, zip(frame["Amount (yuan)"], frame["Working"], strict=True), strict=True)
    )


def test_a_balance_year_reads_and_adds_up():
    # Hand arithmetic: pooled fund 1,000 × 1,000 = 1,000,000 yuan; private reserve 3% =
    # 30,000; budget 970,000. Charged 800,000 + 100,000 outside = 900,000; balance
    # 70,000, kept in full (assessment passed); staff 16% = 11,200; the private hospital's
    # 20,000 comes from its reserve (10,000 left). Insurer: 900,000 + 20,000 + 70,000 =
    # 990,000 = budget + private spending; consortium's result 70,000.
    t = _table(800_000, 100_000, 20_000, private="3%")
    assert t["global budget"] == (D("970000.00"), "1,000,000.00 − 30,000.00 − 0.00")
    assert t["spending at private hospitals"] == (
        D("20000.00"),
        "from the private-hospital reserve of 30,000.00 (10,000.00 left)",
    )
    assert t["spending charged to the budget"] == (D("900000.00"), "consortium + outside county")
    assert t["balance"][0] == D("70000.00") and t["overspend"][0] == 0
    assert t["balance kept by the consortium"] == (D("70000.00"), "70,000.00 × 100%")
    assert t["staff salary incentive pool"] == (
        D("11200.00"),
        "balance kept: 70,000.00 × 16% (largest remainder)",
    )
    assert t["insurer's total outlay"] == (D("990000.00"), "charged + private + kept")
    assert t["consortium's settlement result"] == (D("70000.00"), "kept")
    # before: shared savings, shared losses and the family-physician fee were listed at
    # 0.00 under a global budget, and the overspend split in a year without overspend
    assert not {"shared savings paid", "shared losses owed", "family-physician fee"} & set(t)
    assert "overspend paid by the insurer" not in t


def test_an_overspend_year_reads_and_adds_up():
    # Budget 1,000,000 (no reserves); charged 1,100,000: overspend 100,000, all borne by
    # the consortium under Sanming (insurer share 0%). Insurer pays 1,100,000 − 100,000 =
    # 1,000,000 (never beyond the budget); consortium's result −100,000.
    t = _table(1_100_000)
    assert t["overspend"] == (D("100000.00"), "charged − budget, if positive")
    assert t["overspend borne by the consortium"][0] == D("100000.00")
    assert t["insurer's total outlay"] == (
        D("1000000.00"),
        "charged − overspend borne by the consortium",
    )
    assert t["consortium's settlement result"] == (
        D("-100000.00"),
        "− overspend borne by the consortium",
    )
    assert t["staff salary incentive pool"] == (0, "no balance kept: nothing to share")
    assert "balance kept by the consortium" not in t
    # the identity the working states holds on the printed figures
    charged, borne = t["spending charged to the budget"][0], t["overspend"][0]
    assert t["insurer's total outlay"][0] == charged - borne


def test_a_shared_savings_year_reads_and_adds_up(youxi):
    # Deqing on the example tables, 2019 (numbers from examples/payment, worked in
    # tests/payment/test_cli_review.py): savings 3,920,356.69 yuan are below the MSR, so
    # nothing is shared; the insurer pays every claim and the family-physician fee:
    # 180,311,291.31 + 39,000,000.00 + 6,800,000.00 + 172,000 × 100.00 = 243,311,291.31
    from ihms.payment import load_rules, settlement_inputs

    rules = load_rules("deqing-shared-savings")
    inputs = settlement_inputs(
        rules, 2019, spending=youxi["spending"], population=youxi["population"]
    )
    frame = settle_year(rules, inputs).summary().frame
    t = dict(
        zip(frame.index, zip(frame["Amount (yuan)"], frame["Working"], strict=True), strict=True)
    )
    assert t["family-physician fee"] == (D("17200000.00"), "172,000 registered × 100.00 per year")
    assert t["savings (negative: losses)"] == (D("3920356.69"), "benchmark − total cost of care")
    # the total cost of care is insurance spending only, not all care (sim review 7b)
    assert "total cost of care: insurance paid, out of pocket excluded" in t
    assert t["insurer's total outlay"] == (
        D("243311291.31"),
        "consortium + outside county + private + fee",
    )
    parts = ("spending in the consortium", "spending outside the county")
    parts += ("spending at private hospitals", "family-physician fee")
    assert sum(t[p][0] for p in parts) == t["insurer's total outlay"][0]
    # one-sided rules: no shared-losses line, and no budget, balance or overspend lines
    assert t["consortium's settlement result"] == (0, "shared savings paid")
    assert not {"shared losses owed", "global budget", "balance", "overspend"} & set(t)


def test_private_spending_beyond_the_reserve_says_who_paid_the_rest():
    # Reserve 3% of 1,000,000 = 30,000 yuan; private hospitals 45,000: the reserve pays
    # 30,000 and the insurer's fund the other 15,000 (postings.py: "private hospitals
    # beyond the reserve", from insurer:fund) — not "(−15,000.00 left)".
    t = _table(800_000, 100_000, 45_000, private="3%")
    assert t["spending at private hospitals"] == (
        D("45000.00"),
        "30,000.00 from the private-hospital reserve (all of it), 15,000.00 beyond it from "
        "the insurer's fund",
    )


def test_no_private_spending_leaves_the_reserve_undrawn():
    t = _table(800_000, 100_000, 0, private="3%")
    assert t["spending at private hospitals"] == (
        D("0.00"),
        "none: the private-hospital reserve of 30,000.00 is not drawn on",
    )
