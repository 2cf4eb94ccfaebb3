"""The chi-square test for trend beside the whole-county yearly rate tables (session 24
review, item 4: seed 002 ran χ²-for-trend tests on its Tables 4 and 5; the report showed
the rates and their counts but no test)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import Table

from ihms.demo._indicator_trend import TREND_COLUMNS, trend_rows, with_trend
from ihms.summary import SummaryTable

YEARS = ["2016", "2017", "2018", "2019"]
# the simulated county of the demo of 2026-11-24 (report, Table 4's numerators and
# denominators): healthcare visits in primary care and at hospitals, over all healthcare
# visits (then tuned to Table 4; since 2026-11-26 Table 4 is all outpatient contacts, and
# the same counts stand in for those below)
PRIMARY = [684_248, 870_903, 1_346_991, 1_745_932]
HOSPITAL = [658_671, 730_573, 672_882, 769_407]
VISITS = [1_342_919, 1_601_476, 2_019_873, 2_515_339]


def _results():
    rows = []
    for indicator, numerators, denominators in (
        ("healthcare_visits", VISITS, [np.nan] * 4),
        ("healthcare_visits_primary_share", PRIMARY, VISITS),
        ("healthcare_visits_hospital_share", HOSPITAL, VISITS),
        ("outpatient_contacts", VISITS, [np.nan] * 4),
        ("outpatient_contacts_primary_share", PRIMARY, VISITS),
    ):
        for year, x, n in zip(YEARS, numerators, denominators, strict=True):
            rows.append((indicator, "youxi", year, x, n))
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "period", "numerator", "denominator"])
    return SimpleNamespace(frame=frame)


def _statsmodels_chi2(events, totals):
    """Reference: statsmodels' linear-by-linear association test of the k × 2 table
    (z² is the (N − 1) form, Stata tabodds / SAS CMH), times N / (N − 1) for the N form
    of R's prop.trend.test and Stata's ptrend."""
    x, n = np.asarray(events, float), np.asarray(totals, float)
    test = Table(np.column_stack([x, n - x])).test_ordinal_association(
        row_scores=np.array([2016, 2017, 2018, 2019.0]), col_scores=np.array([1.0, 0.0])
    )
    chi2 = test.zscore**2 * n.sum() / (n.sum() - 1)
    return chi2, stats.chi2.sf(chi2, 1)


def test_each_share_gets_the_trend_chi2_of_its_counts():
    tests = trend_rows(
        _results(),
        [
            "healthcare_visits",
            "healthcare_visits_primary_share",
            "healthcare_visits_hospital_share",
        ],
        unit="youxi",
    )
    chi2, p, direction = TREND_COLUMNS
    expected, expected_p = _statsmodels_chi2(PRIMARY, VISITS)
    assert tests.loc["healthcare_visits_primary_share", chi2] == pytest.approx(expected, rel=1e-8)
    assert tests.loc["healthcare_visits_primary_share", p] == pytest.approx(expected_p, abs=1e-300)
    assert tests.loc["healthcare_visits_primary_share", direction] == "rising"
    expected, _ = _statsmodels_chi2(HOSPITAL, VISITS)
    assert tests.loc["healthcare_visits_hospital_share", chi2] == pytest.approx(expected, rel=1e-8)
    assert tests.loc["healthcare_visits_hospital_share", direction] == "falling"
    # a count has no denominator: no test
    assert np.isnan(tests.loc["healthcare_visits", chi2])
    assert pd.isna(tests.loc["healthcare_visits", direction])


def test_the_hospitalization_rate_is_tested_on_admissions_over_the_average_population():
    # the demo of 2026-11-24, Table 4's counts: admissions over the average population
    # (start + end of the year, halved); statsmodels' reference as above: 127.4789
    admissions = [60_505, 62_995, 57_443, 59_538]
    population = [357_653, 359_810, 361_730.5, 362_697.5]
    rows = [
        ("hospitalization_rate", "youxi", year, x, n)
        for year, x, n in zip(YEARS, admissions, population, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "period", "numerator", "denominator"])
    tests = trend_rows(SimpleNamespace(frame=frame), ["hospitalization_rate"], unit="youxi")
    expected, expected_p = _statsmodels_chi2(admissions, population)
    assert expected == pytest.approx(127.4789, abs=1e-4)
    chi2, p, direction = TREND_COLUMNS
    assert tests.loc["hospitalization_rate", chi2] == pytest.approx(expected, rel=1e-8)
    assert tests.loc["hospitalization_rate", p] == pytest.approx(expected_p, rel=1e-6)
    assert tests.loc["hospitalization_rate", direction] == "falling"


def test_the_table_gets_the_columns_beside_its_years_and_a_note_naming_the_test():
    results = _results()
    indicators = ["outpatient_contacts", "outpatient_contacts_primary_share"]
    frame = pd.DataFrame(
        [[134.29, 160.15, 201.99, 251.53], [50.95, 54.38, 66.69, 69.41]],
        index=["Outpatient contacts (in 10,000s)", "Share in primary care (%)"],
        columns=YEARS,
    )
    table = with_trend(
        SummaryTable(frame, title="T4", notes=("first",), digits=2),
        results,
        indicators,
        unit="youxi",
        counts=["outpatient_contacts"],
    )
    assert list(table.frame.columns) == [*YEARS, *TREND_COLUMNS]
    assert table.notes[0] == "first"
    note = table.notes[-1]
    assert "Cochran–Armitage" in note and "1 df" in note and "prop.trend.test" in note
    assert "No test for outpatient_contacts: a count" in note
    # review 27: Zhong et al. 2023's 13.1 sat beside this table's 173,097.8 unexplained
    assert "outpatient_contacts_primary_share 13.1 (2016-2019, P < 0.05)" in note
    assert "They are not to be set against this table's" in note
    shown = table.to_frame() if hasattr(table, "to_frame") else table.frame
    assert shown.loc["Share in primary care (%)", "trend"] == "rising"
    assert "<0.001" in table.to_text()


def test_two_shares_of_one_total_are_said_to_be_one_test():
    # primary care + hospitals = all healthcare visits in every year (the demo's counts)
    results = _results()
    indicators = ["healthcare_visits_primary_share", "healthcare_visits_hospital_share"]
    frame = pd.DataFrame([[50.95] * 4, [49.05] * 4], index=["primary", "hospital"], columns=YEARS)
    table = with_trend(SummaryTable(frame, title="T4"), results, indicators, unit="youxi")
    chi2 = table.frame["χ² for trend"].to_list()
    assert chi2[0] == pytest.approx(chi2[1], rel=1e-12)
    note = table.notes[-1]
    assert (
        "healthcare_visits_primary_share and healthcare_visits_hospital_share: shares of one "
        "total that add to 100 %, so their tests are the same test" in note
    )
    # a share and the count: no such pair
    alone = with_trend(
        SummaryTable(frame.iloc[:1], title="T"),
        results,
        ["healthcare_visits_primary_share"],
        unit="youxi",
    )
    assert "add to 100 %" not in alone.notes[-1]
