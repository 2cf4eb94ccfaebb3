"""A closed year's accounts read as a table (``YearAccounts.summary``)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ihms.sim import YearAccounts

D = Decimal


def _accounts(**overrides) -> YearAccounts:
    """A county of four institutions, amounts in fen chosen so every sum carries fen."""
    by_institution = pd.DataFrame(
        {
            "institution_id": ["VC01", "THC01", "CH01", "OUT1"],
            "setting": ["consortium", "consortium", "consortium", "outside_county"],
            "primary_care": [True, True, False, False],
            "insurance_paid_fen": [100_050, 5_000_000, 30_000_033, 12_000_007],
            "total_cost_fen": [200_075, 8_000_001, 50_000_099, 20_000_010],
            "out_of_pocket_fen": [100_025, 3_000_001, 20_000_066, 8_000_003],
            "encounters": [10, 200, 1_000, 30],
        }
    )
    facts = {
        "year": 2018,
        "regime": "sanming",
        "reformed": 0.25,
        "population": 1_234.5,
        "insured_population": 1_200,
        "family_physician_registered": 480,
        "by_institution": by_institution,
        "shared_balance": True,
        "settled": True,
    }
    return YearAccounts(**(facts | overrides))


def test_summary_sums_spending_by_where_residents_were_treated():
    s = _accounts().summary()
    frame = s.to_frame()
    # hand sums of the four rows above (fen -> yuan):
    # primary care = VC01 + THC01: insurance 100,050 + 5,000,000 = 5,100,050 fen;
    #   total 200,075 + 8,000,001 = 8,200,076; out of pocket 100,025 + 3,000,001 = 3,100,026
    # consortium = primary care + CH01: insurance 5,100,050 + 30,000,033 = 35,100,083;
    #   total 8,200,076 + 50,000,099 = 58,200,175; out of pocket 3,100,026 + 20,000,066
    #   = 23,100,092
    # all = consortium + OUT1: insurance 35,100,083 + 12,000,007 = 47,100,090;
    #   total 58,200,175 + 20,000,010 = 78,200,185; out of pocket 23,100,092 + 8,000,003
    #   = 31,100,095
    expected = {
        "consortium": (3, 1_210, D("582001.75"), D("351000.83"), D("231000.92")),
        "consortium: primary care": (2, 210, D("82000.76"), D("51000.50"), D("31000.26")),
        "consortium: county hospitals": (1, 1_000, D("500000.99"), D("300000.33"), D("200000.66")),
        "outside the county": (1, 30, D("200000.10"), D("120000.07"), D("80000.03")),
        "all": (4, 1_240, D("782001.85"), D("471000.90"), D("311000.95")),
    }
    assert list(frame.columns) == [
        "institutions",
        "encounters",
        "total cost (yuan)",
        "insurance paid (yuan)",
        "out of pocket (yuan)",
    ]
    assert {k: tuple(row) for k, row in zip(frame.index, frame.to_numpy(), strict=True)} == (
        expected
    )
    assert all(isinstance(v, D) for v in frame["insurance paid (yuan)"])  # exact money
    text = str(s)
    assert text.startswith(
        "Accounts 2018 (reform to sanming: 25% in force on average): spending in yuan"
    )
    assert "471,000.90" in text and "782,001.85" in text
    assert "1,234.5 residents (mean over the months), 1,200 insured, 480 of them" in text
    assert "may keep a balance" in text
    assert "<caption>Accounts 2018" in s.to_html()


def test_summary_before_the_reform_and_without_a_shared_balance():
    text = str(_accounts(reformed=0.0, shared_balance=False).summary())
    assert text.startswith("Accounts 2018 (before the reform to sanming)")
    assert "may not keep a balance" in text


def test_the_summary_of_a_run_year_adds_up_to_its_insurance(small_run):
    for year in small_run.accounts:
        frame = year.summary().to_frame()
        assert frame.at["all", "insurance paid (yuan)"] == D(year.insurance_fen).scaleb(-2)
        parts = frame.loc[["consortium", "outside the county"]].sum()
        assert parts["encounters"] == frame.at["all", "encounters"]


def test_the_run_summary_s_notes_are_about_its_own_columns(small_run):
    # the table is volumes and money per year; resources (beds, staff, fees) are another
    # table, and what the run leaves empty there is said where that table is written
    # (session 24 review, item 17)
    summary = small_run.summary()
    assert list(summary.to_frame().columns) == [
        "resident-years",
        "outpatient+emergency",
        "admissions",
        "preventive visits",
        "chronic follow-ups",
        "total cost (yuan)",
        "insurance paid (yuan)",
        "health promotion (0-1)",
    ]
    text = " ".join(summary.notes)
    assert "A row per simulated year" in text
    assert "wherever treated, in the county or outside" in text
    assert "Resident-years: the months residents were present, over 12." in text
    assert "insurance paid: the part the medical insurance fund paid" in text
    assert "Health promotion: its intensity (0: none, 1: full)" in text
    assert "Resources" not in text and "consultation-fee" not in text
