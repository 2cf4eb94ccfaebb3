"""Deqing's containment figures (seed 004) reproduced through ihms, and what they mean
for the CIHO's shared savings.

Seed 004 (Jia et al., IJIC 2021; 21(3): 7), section "Results — Service utilization",
and the abstract's "Results": *the proportion of inpatient care outside of the county
fell from 27.3 % in 2016 to 24.5 % in 2018*, *as many as 30 %* in 2017; outpatient
services outside the county rose from 6.8 % (2016) to 9.8 % (2018); the share of
hospitalizations at THCs rose from 1.4 % (2016) to 2.3 % (2018). The figures behind them
(Figure 4, "Service utilizations among three levels of care providers") are a chart the
text does not give: the paper publishes the shares, not the numbers of stays and visits.

So the county below is built from what the seed does give — its structure (section
"CIHOs in Deqing County": two CIHOs, one of two county hospitals, the People's and the
TCM hospital, with eight THCs, the other of Deqing Hospital with four THCs; CIHO started
in September 2017) and its shares — on a sample of 1,000 residents' hospital stays and
1,000 outpatient visits a year (an assumption: per mille counts carry the seed's shares
to the tenth of a per cent exactly). ihms must give back the seed's shares from the
records through the catalogue's definitions (``inpatient_outside_county_share`` and its
siblings, residents' encounters by place of treatment), not count what it should not:
residents of the neighbouring county treated in Deqing, preventive visits, stays
straddling New Year (counted in the year of admission, the encounter's date).

The second part carries the same records into the Deqing rule set's total cost of care
(``deqing-shared-savings``: the CIHO answers for its residents' care outside the county
too). The seed publishes no money for it (Figure 5 is a chart and gives shares only),
so the amounts per stay and visit and the insured population are assumptions stated
where they are used; the arithmetic is worked by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from ihms.data import Dataset, Period, Store, structural_tables
from ihms.indicators import compute
from ihms.payment import (
    PopulationTable,
    load_rules,
    settle_year,
    settlement_inputs,
    spending_from_store,
)
from ihms.system import parse_system

# Deqing's institutions (seed 004, "CIHOs in Deqing County"; Figure 3): CIHO A has the
# People's hospital and the TCM hospital with eight THCs, CIHO B Deqing Hospital with four.
_THC_A = [f"THC-A{i}" for i in range(1, 9)]
_THC_B = [f"THC-B{i}" for i in range(1, 5)]


def _institution(iid: str, tier: str, county: str, grid: str | None = None) -> str:
    affiliation = "county" if county == "deqing" else "provincial"
    where = f", grid: {grid}" if grid else ""
    return (
        f"  - {{id: {iid}, name: {iid}, tier: {tier}, affiliation: {affiliation}, "
        f"county: {county}{where}}}"
    )


DEQING_YAML = "\n".join(
    [
        "ihms_system: 1",
        "name: Deqing county (seed 004), a sample",
        "period: {start: 2016-01-01, end: 2018-12-31}",
        "counties:",
        "  - {id: deqing, name: Deqing, city: Huzhou}",
        "  - {id: anji, name: Anji, city: Huzhou}",
        "  - {id: hangzhou, name: Hangzhou, city: Hangzhou, kind: district}",
        "grids:",
        # seed 004: a catchment of around 442,000 residents over the two CIHOs (the split
        # and the constant size are assumptions; Anji's size is too)
        "  - {id: gA, name: CIHO A area, county: deqing, population: {2016: 300000, 2017: 300000, 2018: 300000}}",
        "  - {id: gB, name: CIHO B area, county: deqing, population: {2016: 142000, 2017: 142000, 2018: 142000}}",
        "  - {id: gX, name: Anji, county: anji, population: {2016: 470000, 2017: 470000, 2018: 470000}}",
        "institutions:",
        _institution("PEOPLES", "secondary", "deqing", "gA"),
        _institution("TCM", "secondary", "deqing", "gA"),
        _institution("DEQING", "secondary", "deqing", "gB"),
        *(_institution(t, "primary_centre", "deqing", "gA") for t in _THC_A),
        *(_institution(t, "primary_centre", "deqing", "gB") for t in _THC_B),
        _institution("ZJU", "tertiary", "hangzhou"),
        "consortia:",
        "  - {id: cihoA, name: CIHO A, type: county_medical_community, integration: full,",
        f"     lead: PEOPLES, members: [PEOPLES, TCM, {', '.join(_THC_A)}], grids: [gA],",
        "     start_year: 2017, refers_up_to: [ZJU]}",
        "  - {id: cihoB, name: CIHO B, type: county_medical_community, integration: full,",
        f"     lead: DEQING, members: [DEQING, {', '.join(_THC_B)}], grids: [gB],",
        "     start_year: 2017, refers_up_to: [ZJU]}",
        "",
    ]
)

#: Per 1,000 of Deqing residents' hospital stays: outside the county, and at THCs
#: (seed 004: 27.3 % and 1.4 % in 2016, "as many as 30 %" outside in 2017, 24.5 % and
#: 2.3 % in 2018). The seed gives no THC share for 2017: 1.4 % is kept (an assumption,
#: not checked below).
STAYS = {2016: (273, 14), 2017: (300, 14), 2018: (245, 23)}
#: Per 1,000 outpatient visits, outside the county (seed 004: 6.8 % in 2016, 9.8 % in
#: 2018; 2017 is not given: 8.0 % is an assumption, not checked below).
VISITS = {2016: 68, 2017: 80, 2018: 98}

# Amounts per encounter in fen, (total cost, insurance paid): assumptions, the seed has
# none. A stay outside the county costs the insurer twice a county hospital stay.
STAY_COST = {"outside": (2_000_000, 1_000_000), "thc": (200_000, 150_000), "ch": (800_000, 500_000)}
VISIT_COST = {"outside": (60_000, 20_000), "inside": (20_000, 10_000)}


def _encounter(eid, rid, inst, day, kind, cost, stay=None) -> dict:
    total, paid = cost
    return {
        "encounter_id": eid,
        "resident_id": rid,
        "institution_id": inst,
        "date": day,
        "type": kind,
        "total_cost_fen": total,
        "insurance_paid_fen": paid,
        "out_of_pocket_fen": total - paid,
        "length_of_stay_days": stay,
    }


def _year_of_care(year: int) -> list[dict]:
    rows = []
    outside, thc = STAYS[year]
    for i in range(1000):
        rid = f"r{i:04d}"
        day = date(year, 1 + i % 12, 1 + i % 28)
        if i < outside:
            inst, cost = "ZJU", STAY_COST["outside"]
        elif i < outside + thc:
            inst, cost = (_THC_A + _THC_B)[i % 12], STAY_COST["thc"]
        else:
            inst, cost = ("PEOPLES", "TCM", "DEQING")[i % 3], STAY_COST["ch"]
        if i == 999:  # admitted on 28 December, discharged in the new year
            day = date(year, 12, 28)
        rows.append(_encounter(f"i{year}-{i}", rid, inst, day, "inpatient", cost, stay=7))
        visit_inst = "ZJU" if i < VISITS[year] else (_THC_A + _THC_B)[i % 12]
        visit_cost = VISIT_COST["outside" if i < VISITS[year] else "inside"]
        kind = "emergency" if i % 10 == 0 else "outpatient"
        rows.append(
            _encounter(f"o{year}-{i}", rid, visit_inst, date(year, 6, 1 + i % 28), kind, visit_cost)
        )
    for i in range(100):  # preventive visits outside: not outpatient care
        rows.append(
            _encounter(f"p{year}-{i}", f"r{i:04d}", "ZJU", date(year, 3, 2), "preventive", (0, 0))
        )
    for i in range(50):  # Anji residents admitted in Deqing: not Deqing's containment
        rows.append(
            _encounter(
                f"x{year}-{i}",
                f"a{i:02d}",
                "PEOPLES",
                date(year, 5, 5),
                "inpatient",
                (1, 0),
                stay=3,
            )
        )
    return rows


def deqing_frames() -> dict[str, pd.DataFrame]:
    frames = structural_tables(parse_system(DEQING_YAML, source="deqing.yaml"))
    ids = [f"r{i:04d}" for i in range(1000)] + [f"a{i:02d}" for i in range(50)]
    frames["residents"] = pd.DataFrame(
        {
            "resident_id": ids,
            "birth_year": [1950 + i % 50 for i in range(len(ids))],
            "sex": ["F", "M"] * (len(ids) // 2),
            "grid_id": ["gA" if i % 3 else "gB" for i in range(1000)] + ["gX"] * 50,
            "insured": [True] * len(ids),
            "fp_registered": [False] * len(ids),
            "hypertension": [False] * len(ids),
            "diabetes": [False] * len(ids),
        }
    )
    rows = [r for year in STAYS for r in _year_of_care(year)]
    encounters = pd.DataFrame(rows)
    encounters["date"] = pd.to_datetime(encounters["date"])
    frames["encounters"] = encounters
    return frames


@pytest.fixture(scope="module")
def store():
    dataset = Dataset.from_frames(
        deqing_frames(), period=Period(date(2016, 1, 1), date(2018, 12, 31))
    )
    s = Store(":memory:")
    s.write(dataset)
    yield s
    s.close()


def _shares(store) -> dict[tuple[str, int], tuple[int, int, Decimal]]:
    results = compute(
        store,
        indicators=[
            "inpatient_outside_county_share",
            "outpatient_outside_county_share",
            "thc_hospitalization_share",
        ],
        level="county",
        period="year",
    )
    frame = results.select(units=["deqing"])
    return {
        (row.indicator, int(str(row.period)[:4])): (
            int(row.numerator),
            int(row.denominator),
            # the value is a float: shown to the seed's one decimal, as the paper prints it
            Decimal(repr(float(row.value))).quantize(Decimal("0.1")),
        )
        for row in frame.itertuples()
    }


def test_deqing_inpatient_care_outside_the_county_falls_from_27_3_to_24_5(store):
    shares = _shares(store)
    # seed 004, Results — Service utilization: 27.3 % (2016) -> 24.5 % (2018), 30 % in 2017
    assert shares[("inpatient_outside_county_share", 2016)] == (273, 1000, Decimal("27.3"))
    assert shares[("inpatient_outside_county_share", 2017)] == (300, 1000, Decimal("30.0"))
    assert shares[("inpatient_outside_county_share", 2018)] == (245, 1000, Decimal("24.5"))


def test_deqing_outpatient_care_outside_and_thc_hospitalizations(store):
    shares = _shares(store)
    # seed 004, same section: outpatient outside 6.8 % -> 9.8 %; THC stays 1.4 % -> 2.3 %
    assert shares[("outpatient_outside_county_share", 2016)] == (68, 1000, Decimal("6.8"))
    assert shares[("outpatient_outside_county_share", 2018)] == (98, 1000, Decimal("9.8"))
    assert shares[("thc_hospitalization_share", 2016)] == (14, 1000, Decimal("1.4"))
    assert shares[("thc_hospitalization_share", 2018)] == (23, 1000, Decimal("2.3"))


def test_the_contained_stays_carry_into_the_ciho_total_cost_of_care(store):
    spending = spending_from_store(store, county_id="deqing")
    # Deqing residents' care outside the county, insurance paid (the assumed amounts):
    #   2017: 300 stays x 1,000,000 + 80 visits x 20,000 = 301,600,000 fen
    #   2018: 245 stays x 1,000,000 + 98 visits x 20,000 = 246,960,000 fen
    # the preventive visits at ZJU are paid 0; Anji's stays in Deqing are not Deqing's.
    assert spending.for_year(2017).outside_county == 301_600_000
    assert spending.for_year(2018).outside_county == 246_960_000
    # inside: 2017 686 CH stays x 500,000 + 14 THC x 150,000 + 920 visits x 10,000
    #       = 343,000,000 + 2,100,000 + 9,200,000 = 354,300,000
    #         2018 732 x 500,000 + 23 x 150,000 + 902 x 10,000
    #       = 366,000,000 + 3,450,000 + 9,020,000 = 378,470,000
    assert spending.for_year(2017).consortium_total == 354_300_000
    assert spending.for_year(2018).consortium_total == 378_470_000

    # Assumed: 10,000 insured (MSSP's minimum savings rate 3.0 % at 10,000-14,999),
    # 4,000 registered with a family physician, quality 0.70 (standard 60 %).
    population = PopulationTable.from_frame(
        pd.DataFrame(
            {
                "year": [2017, 2018],
                "insured_population": [10_000, 10_000],
                "family_physician_registered": [4_000, 4_000],
                "quality_score": ["0.70", "0.70"],
            }
        )
    )
    rules = load_rules("deqing-shared-savings")
    record = settle_year(
        rules, settlement_inputs(rules, 2018, spending=spending, population=population)
    )
    ss = record.shared_savings
    # benchmark: 2017 total cost of care 354,300,000 + 301,600,000 = 655,900,000 over
    # 10,000 = 65,590 per capita, x 1.05 = 68,869.5 -> 68,870 (half up) -> 688,700,000
    assert ss.benchmark_per_capita_fen == 68_870
    assert ss.benchmark_fen == 688_700_000
    # 2018 actual: 378,470,000 + 246,960,000 = 625,430,000; savings 63,270,000 (9.19 %
    # > MSR 3.0 %); shared 50 % = 31,635,000 (cap 10 % of the benchmark not binding)
    assert ss.actual_fen == 625_430_000
    assert ss.savings_fen == 63_270_000
    assert ss.shared_savings_fen == 31_635_000
