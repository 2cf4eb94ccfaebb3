"""The demo's chain on a small simulated county: simulate → indicators → payment → ITS
→ brief, each step reading what the one before it left, the brief opening the report."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ihms.data import Store
from ihms.demo import STEPS, DemoContext, _sim, run_demo
from ihms.indicators import compute
from ihms.payment import (
    ASSESSMENT_INDICATORS,
    StaffRoster,
    load_rules,
    million_yuan,
    spending_from_store,
    staff_values_from_store,
    tracking_from_store,
)

CHAIN = ("sim", "indicators", "payment", "its", "brief")


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    out = tmp_path_factory.mktemp("chain")
    mp = pytest.MonkeyPatch()
    mp.setattr(_sim, "DEMO_RESIDENTS", 6000)
    mp.setattr(_sim, "COMPARE_RESIDENTS", 1500)
    seen: dict = {}
    original = DemoContext.__init__

    def keep(self, *args, **kwargs):  # hold on to the context to read its artefacts
        original(self, *args, **kwargs)
        seen["ctx"] = self

    mp.setattr(DemoContext, "__init__", keep)
    try:
        report = run_demo(out / "demo", steps=[s for s in STEPS if s.key in CHAIN])
    finally:
        mp.undo()
    # run_demo closes the store before it moves the work folder into place: read the
    # store it left there
    ctx = seen["ctx"]
    ctx.artefacts["store"] = Store(out / "demo-work" / "sim.duckdb", read_only=True)
    yield report.read_text(encoding="utf-8"), ctx
    ctx.artefacts["store"].close()


def test_the_brief_opens_the_report_and_the_rest_keeps_its_order(chain):
    html, _ = chain
    ids = re.findall(r'<section id="([^"]+)"', html)
    assert ids[0] == "brief"
    assert ids.index("simulation") < ids.index("indicators") < ids.index("payment-rules")
    assert ids.index("payment-rules") < ids.index("its")


def test_payment_settles_the_simulated_store(chain):
    html, ctx = chain
    store = ctx.artefacts["store"]
    rec = ctx.artefacts["payment_records"][2018]
    spending = spending_from_store(store).frame
    assert rec.consortium_fen == int(
        spending.query("year == 2018 and setting == 'consortium'")["insurance_paid_fen"].sum()
    )
    # the consortium's assessment uses the rates the indicator catalogue computes
    measured = compute(
        store, indicators=list(ASSESSMENT_INDICATORS.values()), level="consortium", period="year"
    )
    share = measured.series("outpatient_contacts_primary_share", "youxi-ichc")["2018"]
    lines = {ln.indicator: ln for ln in rec.assessment.lines}
    assert float(lines["outpatient_contacts_primary_share"].value) == pytest.approx(share / 100)
    # health promotion: the control rates (Zhong et al. 2023, Discussion)
    for rate in ("hypertension_control_rate", "diabetes_control_rate"):
        got = measured.series(rate, "youxi-ichc")["2018"]
        assert float(lines[rate].value) == pytest.approx(got / 100)
    assert "simulated county&#x27;s own tables" in html or "simulated county's own tables" in html


def test_the_doctors_scorecards_come_from_the_simulated_records(chain):
    # the simulated physicians of 2018 are the doctors paid, and their sessions and
    # consultation days are the store's staff activities, counted as a county's would be
    html, ctx = chain
    store = ctx.artefacts["store"]
    staff = ctx.artefacts["simulation"].staff
    rec = ctx.artefacts["payment_records"][2018]
    doctors = {m.staff_id for m in rec.inputs.staff if m.role == "doctor"}
    assert doctors == set(staff.loc[staff["year"] == 2018, "staff_id"])
    roster = StaffRoster(tuple(m for m in rec.inputs.staff if m.role == "doctor"))
    counted = staff_values_from_store(store, 2018, roster=roster)
    cards = {c.subject: {ln.indicator: ln.value for ln in c.lines} for c in rec.salaries.scorecards}
    for sid in doctors:
        for indicator, value in counted.for_subject(2018, sid).items():
            assert cards[sid][indicator] == value
    # and the report says where they come from; the doctors are no longer illustrative
    payment = html.split('<section id="payment-2018">')[1].split("</section>")[0]
    text = " ".join(payment.split())
    assert (
        f"The doctors are the simulated county&#x27;s {len(doctors):,} physicians of 2018" in (text)
        or f"The doctors are the simulated county's {len(doctors):,} physicians of 2018" in text
    )
    assert "counted from the staff activities the simulator recorded in the store" in text
    assert "illustrative too" not in text
    assert "by staff group" in text


def test_its_fits_the_simulated_series(chain):
    html, ctx = chain
    series = ctx.artefacts["series"]
    fit = ctx.artefacts["its"]["outpatient_emergency_visits"]
    # the ITS modelled the simulated months, not the bundled example series
    assert fit.n == len(series) == 46
    assert sorted(fit.observed_raw) == pytest.approx(sorted(series["outpatient_emergency_visits"]))
    assert "The series are the simulated county" in html


def test_the_brief_restates_the_steps_figures(chain):
    html, ctx = chain
    brief = html.split('<section id="brief">')[1].split("</section>")[0]
    rec = ctx.artefacts["payment_records"][2019]
    if rec.overspend_fen:
        assert f"{rec.overspend_fen / 1e8:,.2f} million yuan" in brief
    else:
        assert f"{rec.balance_fen / 1e8:,.2f} million yuan" in brief
    v = ctx.artefacts["its"]["outpatient_emergency_visits"]
    assert f"{abs(float(v.params['_x_t2017m10'])):,.1f}" in brief
    gated = ctx.artefacts["calibration"].frame["within"].dropna()
    assert f"the {len(gated)} published figures the simulation is held to" in brief
    # ... and says they are the figures the simulator was tuned to
    tuned = ctx.artefacts["simulation"].config.calibration.tuned
    assert f"{len(tuned)} behavioural parameters" in brief and "tuned by least squares" in brief


def test_the_brief_gives_the_hospitalization_rate_in_the_tables_unit(chain):
    html, ctx = chain
    brief = html.split('<section id="brief">')[1].split("</section>")[0]
    # The indicator is admissions per 100 residents (a resident may be admitted twice),
    # not a percentage of residents.
    rate = ctx.artefacts["indicator_results"].series("hospitalization_rate", "youxi")
    assert f"{rate.iloc[-1]:.1f} admissions per 100 residents" in brief
    assert "% of residents" not in brief


def test_every_table_has_a_title(chain, report_checks):
    # the review of the demo report found the regime balances, the effect of saving and
    # the ledger batches shown without one
    html, _ = chain
    assert report_checks.untitled_tables(html) == []


def test_tables_name_things_in_words_not_code(chain, report_checks):
    # share_%, staff_incentive, base_salary_yuan were shown to readers (review of the
    # demo report); identifiers such as ledger account codes stay codes
    html, _ = chain
    assert report_checks.code_style_labels(html) == []


def test_the_year_the_simulated_reform_began_is_the_baseline(chain):
    # review of the demo report (session 18, finding 3): 2017 was settled and scored
    # under Sanming's rules though the simulated reform began in October 2017
    html, ctx = chain
    reform = pd.Period(str(ctx.artefacts["simulation"].config.reform.date), "M")
    first = reform.year + (reform.month > 1)
    assert min(ctx.artefacts["payment_records"]) == first
    section = html.split(f'<section id="payment-{reform.year}">')[1].split("</section>")[0]
    assert "the baseline year" in section
    assert f"Annual salaries and incentive shares of {reform.year}" not in html
    assert f"Settlement {reform.year} under" not in html


def test_the_budget_basis_counts_the_simulated_residents(chain):
    # seed 002: "the GB of IMPM is based on the county's total population multiplied by
    # the annual fixed insurance premium"; the demo budgets the insured residents and
    # says how many of the simulated county's residents (mean over the months) they are
    html, ctx = chain
    records = ctx.artefacts["payment_records"]
    last = max(records)
    account = next(a for a in ctx.artefacts["simulation"].accounts if a.year == last)
    residents = int(account.population + 0.5)
    insured = records[last].inputs.county.insured_population
    rules = html.split('<section id="payment-rules">')[1].split("</section>")[0]
    text = " ".join(rules.split())
    assert f"{insured:,} of its {residents:,} residents were insured in {last}" in text


def test_the_last_settled_year_is_tracked_to_june(chain):
    # the in-year tracking sentence: the figures tracking_from_store gives for June
    html, ctx = chain
    store = ctx.artefacts["store"]
    last = max(ctx.artefacts["payment_records"])
    rec = ctx.artefacts["payment_records"][last]
    tracked = tracking_from_store(store, load_rules("sanming"), year=last, through=f"{last}-06")
    (row,) = tracked.latest()
    section = html.split(f'<section id="payment-{last}">')[1].split("</section>")[0]
    text = " ".join(section.split())
    assert f"by the end of June {last} the spending charged to the budget came to" in text
    assert f"{row['used_pct']}% of the budget with half the year gone" in text
    assert f"that pointed to {million_yuan(row['projected_fen']):,} million yuan" in text
    assert f"The year closed with {million_yuan(rec.charged_fen):,} million yuan charged" in text
