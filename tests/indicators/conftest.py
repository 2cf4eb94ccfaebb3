"""A tiny county written by hand, so indicator values can be worked out on paper.

County c1 has two grids (g1, g2), a county hospital CH, two township health centres
(THC1 in g1, THC2 in g2) and a village clinic VC1 (g1); the provincial hospital PH
stands outside, in county ``out``. A fully integrated county medical community (lead CH)
serves g1 and g2 from 2017. Ten residents: r1-r6 in g1, r7-r10 in g2; r9 arrives on
2016-03-15, r10 leaves on 2017-07-01. Every test states its arithmetic from these rows.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ihms.data import Dataset, Period, structural_tables
from ihms.system import parse_system

TINY_YAML = """
ihms_system: 1
name: Tiny county
period: {start: 2016-01-01, end: 2017-12-31}
counties:
  - {id: c1, name: County one, city: City}
  - {id: out, name: Capital district, city: Capital, kind: district}
grids:
  - {id: g1, name: Grid one, county: c1, population: {2016: 6, 2017: 6}}
  - {id: g2, name: Grid two, county: c1, population: {2016: 4, 2017: 3}}
institutions:
  - {id: CH, name: County hospital, tier: secondary, affiliation: county, county: c1, grid: g1}
  - {id: THC1, name: Centre one, tier: primary_centre, affiliation: county, county: c1, grid: g1}
  - {id: THC2, name: Centre two, tier: primary_centre, affiliation: county, county: c1, grid: g2}
  - {id: VC1, name: Clinic one, tier: village_clinic, affiliation: county, county: c1, grid: g1, parent: THC1}
  - {id: PH, name: Provincial hospital, tier: tertiary, affiliation: provincial, county: out}
consortia:
  - {id: cmc, name: County community, type: county_medical_community, integration: full,
     lead: CH, members: [CH, THC1, THC2, VC1], grids: [g1, g2], start_year: 2017, refers_up_to: [PH]}
"""


def _d(text: str) -> date:
    return date.fromisoformat(text)


def tiny_frames() -> dict[str, pd.DataFrame]:
    system = parse_system(TINY_YAML, source="tiny.yaml")
    frames = structural_tables(system)
    frames["residents"] = pd.DataFrame(
        {
            "resident_id": [f"r{i}" for i in range(1, 11)],
            "birth_year": [1950, 1955, 1960, 1965, 1970, 1975, 1948, 1958, 1990, 1985],
            "sex": ["F", "M"] * 5,
            "grid_id": ["g1"] * 6 + ["g2"] * 4,
            "insured": [True] * 10,
            "fp_registered": [True, False] * 5,
            "hypertension": [True, True, True, False, False, False, True, False, False, False],
            "diabetes": [False, False, False, True, False, False, False, True, False, False],
            "entry_date": [None] * 8 + [_d("2016-03-15"), None],
            "exit_date": [None] * 9 + [_d("2017-07-01")],
        }
    )
    frames["resources"] = pd.DataFrame(
        {
            "institution_id": ["CH", "THC1", "THC2"] * 2,
            "year": [2016] * 3 + [2017] * 3,
            "beds": [100, 10, 20] * 2,
            "gps": [2, 3, 1] * 2,
            "specialists": [20, 2, 3] * 2,
            "nurses": [30, 4, 5] * 2,
        }
    )
    E = [
        "encounter_id",
        "resident_id",
        "institution_id",
        "date",
        "type",
        "diagnosis_group",
        "total_cost_fen",
        "insurance_paid_fen",
        "out_of_pocket_fen",
        "length_of_stay_days",
        "referred_from_id",
    ]
    rows = [
        # 2016 healthcare (preventive) visits: 1,000 fen each, all out of pocket
        ("p1", "r1", "VC1", "2016-02-01", "preventive", None, 1000, 0, 1000, None, None),
        ("p2", "r2", "VC1", "2016-02-02", "preventive", None, 1000, 0, 1000, None, None),
        ("p3", "r3", "VC1", "2016-02-03", "preventive", None, 1000, 0, 1000, None, None),
        ("p4", "r4", "THC1", "2016-03-01", "preventive", None, 1000, 0, 1000, None, None),
        ("p5", "r5", "THC1", "2016-03-02", "preventive", None, 1000, 0, 1000, None, None),
        ("p6", "r1", "CH", "2016-04-01", "preventive", None, 1000, 0, 1000, None, None),
        ("p7", "r6", "CH", "2016-04-02", "preventive", None, 1000, 0, 1000, None, None),
        ("p8", "r7", "CH", "2016-04-03", "preventive", None, 1000, 0, 1000, None, None),
        ("p9", "r8", "THC2", "2016-05-01", "preventive", None, 1000, 0, 1000, None, None),
        ("p10", "r9", "THC2", "2016-05-02", "preventive", None, 1000, 0, 1000, None, None),
        # 2017 healthcare visits
        ("p11", "r1", "VC1", "2017-02-01", "preventive", None, 1000, 0, 1000, None, None),
        ("p12", "r7", "THC2", "2017-02-02", "preventive", None, 1000, 0, 1000, None, None),
        ("p13", "r2", "CH", "2017-03-01", "preventive", None, 1000, 0, 1000, None, None),
        ("p14", "r3", "CH", "2017-03-02", "preventive", None, 1000, 0, 1000, None, None),
        ("p15", "r4", "PH", "2017-03-03", "preventive", None, 1000, 0, 1000, None, None),
        # 2016 outpatient and emergency
        ("o1", "r1", "CH", "2016-06-01", "outpatient", "J06", 20000, 10000, 10000, None, None),
        ("o2", "r2", "THC1", "2016-06-02", "outpatient", "J06", 5000, 2500, 2500, None, None),
        ("o3", "r7", "CH", "2016-06-03", "emergency", "I10", 30000, 12000, 18000, None, None),
        ("o4", "r8", "PH", "2016-06-04", "outpatient", "E11", 60000, 20000, 40000, None, None),
        # 2017 outpatient
        ("o5", "r5", "VC1", "2017-04-01", "outpatient", "J02", 3000, 1500, 1500, None, None),
        ("o6", "r6", "CH", "2017-04-02", "outpatient", "M54", 25000, 12500, 12500, None, None),
        # inpatient stays
        ("i1", "r3", "CH", "2016-05-10", "inpatient", "I63", 500000, 300000, 200000, 5, None),
        ("i2", "r4", "THC1", "2016-08-01", "inpatient", "J18", 100000, 70000, 30000, 4, None),
        ("i3", "r7", "PH", "2016-11-20", "inpatient", "I25", 2000000, 1000000, 1000000, 10, "CH"),
        ("i4", "r8", "THC2", "2017-02-01", "inpatient", "I10", 120000, 80000, 40000, 6, None),
        ("i5", "r1", "CH", "2017-09-01", "inpatient", "I50", 600000, 400000, 150000, 7, None),
    ]
    enc = pd.DataFrame(rows, columns=E)
    enc["date"] = pd.to_datetime(enc["date"])
    frames["encounters"] = enc
    # r3's stay at CH was settled for 280,000 fen from insurance (not 300,000)
    frames["claims"] = pd.DataFrame(
        {
            "claim_id": ["c1"],
            "encounter_id": ["i1"],
            "settled_date": [_d("2016-06-30")],
            "insurance_paid_fen": [280000],
            "out_of_pocket_fen": [200000],
        }
    )
    F = [
        "followup_id",
        "resident_id",
        "institution_id",
        "date",
        "condition",
        "systolic_mmhg",
        "diastolic_mmhg",
        "fasting_glucose_mmol_l",
    ]
    fu = [
        ("f01", "r1", "VC1", "2016-12-01", "hypertension", 130, 80, None),
        ("f02", "r1", "VC1", "2017-01-10", "hypertension", 150, 95, None),
        ("f03", "r1", "VC1", "2017-04-10", "hypertension", 138, 88, None),
        ("f04", "r1", "VC1", "2017-07-10", "hypertension", 135, 85, None),
        ("f05", "r1", "VC1", "2017-10-10", "hypertension", 145, 92, None),
        ("f06", "r2", "THC1", "2017-03-10", "hypertension", 150, 100, None),
        ("f07", "r2", "THC1", "2017-11-10", "hypertension", 140, 80, None),
        ("f08", "r3", "VC1", "2017-01-05", "hypertension", 160, 100, None),
        ("f09", "r3", "VC1", "2017-03-05", "hypertension", 150, 95, None),
        ("f10", "r3", "VC1", "2017-06-05", "hypertension", 142, 91, None),
        ("f11", "r3", "VC1", "2017-09-05", "hypertension", 128, 82, None),
        ("f12", "r3", "VC1", "2017-12-05", "hypertension", None, None, None),
        ("f13", "r7", "THC2", "2017-02-10", "hypertension", 138, 95, None),
        ("f14", "r4", "THC1", "2017-02-01", "diabetes", None, None, 8.1),
        ("f15", "r4", "THC1", "2017-05-01", "diabetes", None, None, 7.4),
        ("f16", "r4", "THC1", "2017-08-01", "diabetes", None, None, 7.2),
        ("f17", "r4", "THC1", "2017-11-01", "diabetes", None, None, 6.9),
        ("f18", "r8", "THC2", "2017-03-01", "diabetes", None, None, 6.5),
        ("f19", "r8", "THC2", "2017-06-01", "diabetes", None, None, 6.8),
        ("f20", "r8", "THC2", "2017-09-01", "diabetes", None, None, 7.0),
    ]
    followups = pd.DataFrame(fu, columns=F)
    followups["date"] = pd.to_datetime(followups["date"])
    frames["followups"] = followups
    frames["referrals"] = pd.DataFrame(
        {
            "referral_id": ["x1", "x2", "x3"],
            "resident_id": ["r7", "r5", "r1"],
            "date": [_d("2016-11-19"), _d("2017-03-01"), _d("2017-09-10")],
            "from_institution_id": ["CH", "VC1", "CH"],
            "to_institution_id": ["PH", "THC1", "THC1"],
        }
    )
    return frames


def tiny_dataset_of_2016() -> Dataset:
    """The tiny county's 2016 alone: records, but none of its consortium (from 2017)."""
    frames = tiny_frames()
    for name in ("encounters", "followups", "referrals"):
        frames[name] = frames[name][frames[name]["date"].astype(str) < "2017"]
    frames["claims"] = frames["claims"].iloc[:0]
    frames["resources"] = frames["resources"][frames["resources"]["year"] == 2016]
    return Dataset.from_frames(frames, period=Period(_d("2016-01-01"), _d("2016-12-31")))


@pytest.fixture
def tiny_dataset() -> Dataset:
    return Dataset.from_frames(tiny_frames(), period=Period(_d("2016-01-01"), _d("2017-12-31")))


@pytest.fixture
def tiny_tables() -> dict[str, pd.DataFrame]:
    """A fresh copy of the tiny county's frames, for tests that change a row."""
    return tiny_frames()
