"""Cochran–Armitage trend test and the k × 2 chi-square test against R, Stata, SAS,
scipy and statsmodels."""

import doctest
import importlib
import itertools
import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency
from statsmodels.stats.contingency_tables import Table

from ihms.errors import InputError
from ihms.stats import chi2_independence, trend_test

# R's help page for prop.trend.test (stats package, example by Peter Dalgaard).
SMOKERS = [83, 90, 129, 70]
PATIENTS = [86, 93, 136, 82]

# Les Kalish's example in W. Sribney, "A comparison of different tests for trend"
# (Stata FAQ, stata.com/support/faqs/statistics/test-for-trend): outcome y = 1 in
# 1, 5, 21 of 20, 36, 88 subjects with scores 1, 2, 3 (N = 144).
KALISH_EVENTS = [1, 5, 21]
KALISH_TOTALS = [20, 36, 88]


def test_r_prop_trend_test_help_example():
    # R: prop.trend.test(smokers, patients) -> X-squared = 8.2249, df = 1,
    # p-value = 0.004132.
    r = trend_test(SMOKERS, PATIENTS)
    assert round(r.chi2, 4) == 8.2249
    assert r.df == 1
    assert round(r.pvalue, 6) == 0.004132
    assert r.form == "n" and r.scores == (1.0, 2.0, 3.0, 4.0)
    assert r.z < 0 and r.slope < 0  # the proportion of smokers falls with the group


def test_overall_chi_square_is_scipy_chi2_contingency_without_correction():
    # R pairs prop.trend.test with prop.test(smokers, patients) on the same help page;
    # prop.test for k > 2 groups is the Pearson chi-square, as scipy computes it.
    r = trend_test(SMOKERS, PATIENTS)
    table = np.column_stack([SMOKERS, np.subtract(PATIENTS, SMOKERS)])
    chi2, p, df, _ = chi2_contingency(table, correction=False)
    assert r.chi2_overall == pytest.approx(chi2, rel=1e-12)
    assert r.pvalue_overall == pytest.approx(p, rel=1e-12)
    assert r.df_overall == df == 3
    independence = chi2_independence(SMOKERS, PATIENTS)
    assert independence.chi2 == pytest.approx(chi2, rel=1e-12) and independence.df == 3
    # Stata ptrend (ptrend.ado, P. Royston): departure = overall - trend, k - 2 df.
    assert r.chi2_departure == pytest.approx(chi2 - r.chi2, rel=1e-12)
    assert r.df_departure == 2


def test_n_minus_1_form_matches_sas_proc_freq_and_stata_corr():
    # Sribney's FAQ: SAS PROC FREQ ... / CHISQ CMH SCORES=TABLE prints
    # "Mantel-Haenszel Chi-Square  1  4.515  0.034"; Stata's
    # `display (r(N)-1)*r(rho)^2` after `corr y a [fw=weight]` prints 4.5148853.
    r = trend_test(KALISH_EVENTS, KALISH_TOTALS, form="n-1")
    assert round(r.chi2, 3) == 4.515
    assert r.chi2 == pytest.approx(4.5148853, abs=5e-8)
    assert round(r.pvalue, 3) == 0.034
    # The N form (prop.trend.test, ptrend) is the same statistic times N/(N - 1):
    # 4.5148853 * 144 / 143.
    n_form = trend_test(KALISH_EVENTS, KALISH_TOTALS)
    assert n_form.chi2 == pytest.approx(4.5148853 * 144 / 143, abs=1e-7)
    assert n_form.chi2_departure == pytest.approx(r.chi2_overall - n_form.chi2)
    # in the n-1 form the printed rows do not add up; the table says why
    note = r.summary().notes[-1]
    assert f"minus the n-form trend ({n_form.chi2:.4f})" in note
    assert not any("n-form trend" in n for n in n_form.summary().notes)


def test_n_minus_1_form_is_statsmodels_linear_by_linear_association():
    r = trend_test(SMOKERS, PATIENTS, scores=[0, 0, 0, 1], form="n-1")
    table = Table(np.column_stack([SMOKERS, np.subtract(PATIENTS, SMOKERS)]))
    ref = table.test_ordinal_association(
        row_scores=np.array([0.0, 0, 0, 1]), col_scores=np.array([1.0, 0.0])
    )
    assert r.chi2 == pytest.approx(ref.zscore**2, rel=1e-12)


def test_two_groups_trend_equals_pearson_and_departure_is_undefined():
    r = trend_test([10, 25], [50, 60])
    assert r.chi2 == pytest.approx(r.chi2_overall, rel=1e-12)
    assert np.isnan(r.chi2_departure) and r.df_departure == 0


def test_seed_002_table_4_chi_square_is_a_pearson_test_on_counts_in_ten_thousands():
    # Seed 002 (002_a40ed8d069ea109f.txt, Table 4 and Results): healthcare outpatient
    # visits (10k) 134.2, 202.3, 190.6, 254.6 in 2016-2019, primary-care share 50.8%,
    # 63%, 60.8%, 69.2%; the text reports "chi2_trend = 13.1, P < 0.05".
    visits = np.array([134.2, 202.3, 190.6, 254.6])
    share = np.array([50.8, 63.0, 60.8, 69.2])
    primary = visits * share / 100
    # A Cochran-Armitage trend test on these counts does not give 13.1 ...
    trend = trend_test(primary, visits)
    assert round(trend.chi2, 1) == 10.2
    # ... but the Pearson k x 2 chi-square on the counts in units of 10,000 does, once
    # the shares' rounding to 0.1 point is allowed for (the printed shares give 12.95;
    # the corners of their rounding intervals span 12.79-13.11).
    assert round(trend.chi2_overall, 2) == 12.95
    corners = [
        trend_test(visits * (share + np.array(d)) / 100, visits).chi2_overall
        for d in itertools.product([-0.05, 0.05], repeat=4)
    ]
    assert min(corners) < 13.05 <= max(corners)  # 13.1 as printed means [13.05, 13.15)
    assert (
        max(
            trend_test(visits * (share + np.array(d)) / 100, visits).chi2
            for d in itertools.product([-0.05, 0.05], repeat=4)
        )
        < 10.5
    )
    # With visits counted one by one the same table gives a statistic 10,000 times larger.
    assert trend_test(primary * 1e4, visits * 1e4).chi2_overall == pytest.approx(
        1e4 * trend.chi2_overall, rel=1e-9
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 60)), min_size=2, max_size=6),
    st.floats(-50, 50),
    st.floats(0.1, 20),
    st.booleans(),
)
def test_trend_statistic_is_invariant_to_affine_changes_of_scores(groups, shift, scale, flip):
    events = [min(e, n) for e, n in groups]
    totals = [n for _, n in groups]
    assume(0 < sum(events) < sum(totals))
    scores = np.arange(1.0, len(groups) + 1)
    base = trend_test(events, totals, scores=scores)
    moved = trend_test(events, totals, scores=shift + (-scale if flip else scale) * scores)
    assert moved.chi2 == pytest.approx(base.chi2, rel=1e-9, abs=1e-12)
    assert moved.z == pytest.approx(-base.z if flip else base.z, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("events", "totals", "kwargs", "message"),
    [
        ([5, 12], [10, 11], {}, "group 2: total 11 is smaller than events 12"),
        ([5, -1], [10, 11], {}, "group 2: expected counts >= 0"),
        ([5, 1, 2], [10, 11], {}, "same number of groups, got 3 events and 2 totals"),
        ([5], [10], {}, "at least 2 groups"),
        ([0, 0], [10, 11], {}, "same outcome"),
        ([10, 11], [10, 11], {}, "same outcome"),
        ([5, 1], [10, 0], {}, "total > 0"),
        (["a", 1], [10, 11], {}, "expected numbers"),
        ([5, 1, 3], [10, 11, 9], {"scores": [2, 2, 2]}, "two different scores"),
        ([5, 1, 3], [10, 11, 9], {"scores": [1, 2]}, "expected 3 scores"),
        ([5, 1], [10, 11], {"form": "N"}, "'n' or 'n-1'"),
    ],
)
def test_bad_input_names_what_and_where(events, totals, kwargs, message):
    with pytest.raises(InputError, match=message):
        trend_test(events, totals, **kwargs)


def test_results_render_and_serialise():
    r = trend_test(SMOKERS, PATIENTS)
    text = r.summary().to_text()
    assert "Departure from linear trend" in text and "8.2249" in text
    assert list(r.groups()["proportion"].round(4)) == [0.9651, 0.9677, 0.9485, 0.8537]
    json.dumps(r.to_dict())
    assert "Pearson" in chi2_independence(SMOKERS, PATIENTS).summary().to_text()


def test_docstring_examples_run():
    mod = importlib.import_module("ihms.stats.trend")
    assert doctest.testmod(mod).failed == 0


def test_the_notes_print_n_in_full_not_in_scientific_notation():
    # "N = 3e+06" was printed for three groups of a million (format 'g' keeps 6 digits)
    events, totals = [100_000, 200_000, 300_123], [1_000_000, 1_000_000, 1_234_567]
    trend, independence = trend_test(events, totals), chi2_independence(events, totals)
    assert "N = 3,234,567;" in trend.summary().to_text()
    assert "N = 3,234,567;" in independence.summary().to_text()


def test_proportions_exactly_on_a_line_depart_from_it_by_exactly_zero():
    # 1, 2, 3 events in groups of 10 at scores 1, 2, 3: the proportions 0.1, 0.2, 0.3 lie
    # on a line, so the overall chi-square (1.25 by hand: T = 2, Var = 0.2 x 0.8 x 20) is
    # all trend. Before: a departure of 2.22e-16 (the subtraction's rounding), printed so.
    r = trend_test([1, 2, 3], [10, 10, 10])
    assert r.chi2 == pytest.approx(1.25, rel=1e-12)
    assert r.chi2_departure == 0.0
    assert r.pvalue_departure == 1.0
    assert "e-16" not in str(r.summary().to_frame())
