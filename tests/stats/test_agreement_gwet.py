"""Gwet's AC1/AC2 and Brennan–Prediger against irrCAC's printed outputs (Gwet's R
package, README and vignettes "overview" and "weighting", version 1.0), and PABAK with
the prevalence and bias indices against worked examples."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import inter_rater

from ihms.errors import InputError, StatisticalWarning
from ihms.stats import (
    brennan_prediger,
    brennan_prediger_from_counts,
    cohens_kappa_from_table,
    gwet_ac1,
    gwet_ac1_from_counts,
    gwet_ac1_from_table,
    pabak,
    pabak_from_table,
)

NAN = np.nan

# irrCAC's `cac.raw4raters` (README, "Computing agreement coefficients from raw
# ratings"): 12 subjects, 4 raters, missing ratings; the same data as Krippendorff
# (2011), section C.
CAC_RAW4RATERS = [
    [1, 1, NAN, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [NAN, 5, 5, 5], [NAN, NAN, 1, 1],
    [NAN, NAN, 3, NAN],
]  # fmt: skip

# irrCAC's `distrib.6raters` (README, "from the distribution of raters"): 15 patients,
# how many of 6 psychiatrists chose Depression, Personality Disorder, Schizophrenia,
# Neurosis, Other.
DISTRIB_6RATERS = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
]  # fmt: skip

# irrCAC's `cont3x3abstractors` (README): two abstractors, Ectopic / AIU / NIU.
CONT3X3 = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def _close(result, *, estimate, se, pa=None, pe=None, ci=None, p=None):
    # irrCAC prints 5 significant digits in the raw functions and 7 in the others
    assert result.estimate == pytest.approx(estimate, abs=6e-6)
    assert result.std_error == pytest.approx(se, abs=6e-6)
    if pa is not None:
        assert result.observed_agreement == pytest.approx(pa, abs=1e-7)
    if pe is not None:
        assert result.expected_agreement == pytest.approx(pe, abs=1e-7)
    if ci is not None:  # printed to 3 decimals
        assert (round(result.ci_low, 3), round(result.ci_high, 3)) == ci
    if p is not None:
        assert result.pvalue_two_sided == pytest.approx(p, rel=1e-5)


def test_ac1_raw_four_raters_matches_irrcac():
    # gwet.ac1.raw(cac.raw4raters): pa 0.8181818, pe 0.1903212, AC1 0.77544,
    # se 0.14295, (0.461, 1), p 0.000208721
    r = gwet_ac1(CAC_RAW4RATERS)
    _close(r, estimate=0.77544, se=0.14295, pa=0.8181818, pe=0.1903212, ci=(0.461, 1.0),
           p=0.000208721)  # fmt: skip
    assert r.coefficient == "Gwet's AC1"
    assert (r.n_units, r.n_pairable, r.df) == (12, 11, 11)


def test_ac2_quadratic_raw_four_raters_matches_irrcac():
    # vignette "weighting": gwet.ac1.raw(cac.raw4raters, weights = "quadratic"):
    # pa 0.9753788, pe 0.7137044, AC2 0.914, se 0.10396, (0.685, 1), p 2.634438e-06
    r = gwet_ac1(CAC_RAW4RATERS, weights="quadratic")
    _close(r, estimate=0.914, se=0.10396, pa=0.9753788, pe=0.7137044, ci=(0.685, 1.0),
           p=2.634438e-06)  # fmt: skip
    assert r.coefficient == "Gwet's AC2"


def test_brennan_prediger_raw_matches_irrcac():
    # bp.coeff.raw(cac.raw4raters): pe 0.2, 0.77273, se 0.14472, (0.454, 1),
    # p 0.0002375609; quadratic (vignette "weighting"): pe 0.75, 0.90152, se 0.11089
    _close(brennan_prediger(CAC_RAW4RATERS), estimate=0.77273, se=0.14472, pe=0.2,
           ci=(0.454, 1.0), p=0.0002375609)  # fmt: skip
    _close(brennan_prediger(CAC_RAW4RATERS, weights="quadratic"), estimate=0.90152,
           se=0.11089, pe=0.75, ci=(0.657, 1.0), p=5.60548e-06)  # fmt: skip


def test_ac1_from_distribution_matches_irrcac():
    # gwet.ac1.dist(distrib.6raters): 0.4448007, se 0.08418757, (0.264, 0.625),
    # p 0.0001155927, pa 0.5511111, pe 0.1914815
    _close(gwet_ac1_from_counts(DISTRIB_6RATERS), estimate=0.4448007, se=0.08418757,
           pa=0.5511111, pe=0.1914815, ci=(0.264, 0.625), p=0.0001155927)  # fmt: skip
    # quadratic (vignette "weighting"): AC2 0.4837438, se 0.1058227, (0.257, 0.711),
    # p 0.0004356618, pa 0.8544444, pe 0.7180556
    _close(gwet_ac1_from_counts(DISTRIB_6RATERS, weights="quadratic"), estimate=0.4837438,
           se=0.1058227, pa=0.8544444, pe=0.7180556, ci=(0.257, 0.711),
           p=0.0004356618)  # fmt: skip
    # bp.coeff.dist(distrib.6raters): 0.4388889, se 0.08312142, (0.261, 0.617)
    _close(brennan_prediger_from_counts(DISTRIB_6RATERS), estimate=0.4388889,
           se=0.08312142, ci=(0.261, 0.617))  # fmt: skip


def test_ac1_from_table_matches_irrcac_up_to_its_table_variance():
    # gwet.ac1.table(cont3x3abstractors): AC1 0.8493305, se 0.04321747; with quadratic
    # weights AC2 0.9402369, se 0.01792019. The table function divides the variance by
    # n² where the raw one (which we follow) divides by n(n - 1): n = 100 units, so our
    # SE times sqrt(99/100) is irrCAC's table SE.
    r = gwet_ac1_from_table(CONT3X3)
    assert r.estimate == pytest.approx(0.8493305, abs=1e-7)
    assert r.std_error * math.sqrt(99 / 100) == pytest.approx(0.04321747, abs=1e-8)
    r2 = gwet_ac1_from_table(CONT3X3, weights="quadratic")
    assert r2.estimate == pytest.approx(0.9402369, abs=1e-7)
    assert r2.std_error * math.sqrt(99 / 100) == pytest.approx(0.01792019, abs=1e-8)
    # the table and the raw codes it tabulates give the same numbers
    a = np.repeat(np.arange(3), np.sum(CONT3X3, axis=1))
    b = np.concatenate([np.repeat(np.arange(3), row) for row in CONT3X3])
    raw = gwet_ac1(np.column_stack([a, b]))
    assert raw.estimate == pytest.approx(r.estimate, abs=1e-12)
    assert raw.std_error == pytest.approx(r.std_error, abs=1e-12)


def test_brennan_prediger_two_coders_is_pabak_and_statsmodels_uniform_kappa():
    # with two coders BP = (q·po − 1)/(q − 1) = PABAK; statsmodels' Fleiss kappa with
    # method="randolph" (free marginals) is the same coefficient
    r = brennan_prediger(np.column_stack([[0] * 40 + [0] * 3 + [1] * 2 + [1] * 5,
                                          [0] * 40 + [1] * 3 + [0] * 2 + [1] * 5]))  # fmt: skip
    # po = 45/50 = 0.9, PABAK = 2·0.9 − 1 = 0.8
    assert r.estimate == pytest.approx(0.8, abs=1e-12)
    assert r.estimate == pytest.approx(pabak_from_table([[40, 3], [2, 5]]).pabak, abs=1e-12)
    counts = np.array(DISTRIB_6RATERS)
    randolph = inter_rater.fleiss_kappa(counts, method="randolph")
    assert brennan_prediger_from_counts(counts).estimate == pytest.approx(randolph, abs=1e-12)


def test_ac1_resists_the_prevalence_paradox():
    # Worked example: code present for 90 of 100 segments by both coders, absent for 2,
    # disagreement on 8 (4 each way). po = 0.92; Cohen's pe = 0.94² + 0.06² = 0.8872,
    # kappa = (0.92 − 0.8872)/(1 − 0.8872) = 0.2908; AC1: π = (0.94, 0.06),
    # pe = Σ π(1 − π)/(q − 1) = 2·0.94·0.06 = 0.1128,
    # AC1 = (0.92 − 0.1128)/(1 − 0.1128) = 0.9098
    table = [[90, 4], [4, 2]]
    kappa = cohens_kappa_from_table(table).kappa
    ac1 = gwet_ac1_from_table(table)
    assert kappa == pytest.approx(0.0328 / 0.1128, abs=1e-12)
    assert ac1.estimate == pytest.approx(0.8072 / 0.8872, abs=1e-12)
    assert ac1.expected_agreement == pytest.approx(0.1128, abs=1e-12)


def test_ci_uses_t_with_n_minus_1_df():
    r = gwet_ac1_from_counts(DISTRIB_6RATERS, confidence=0.9)
    crit = stats.t.ppf(0.95, 14)
    assert r.ci_low == pytest.approx(r.estimate - crit * r.std_error, abs=1e-12)
    assert r.t == pytest.approx(r.estimate / r.std_error, abs=1e-12)


def test_given_categories_change_q():
    # a category nobody used still counts in q (irrCAC's categ.labels)
    data = [["a", "a"], ["a", "b"], ["b", "b"], ["a", "a"]]
    assert brennan_prediger(data).expected_agreement == pytest.approx(1 / 2, abs=1e-12)
    three = brennan_prediger(data, categories=["a", "b", "c"])
    assert three.expected_agreement == pytest.approx(1 / 3, abs=1e-12)
    # po = 3/4: (0.75 − 1/3)/(2/3) = 0.625
    assert three.estimate == pytest.approx(0.625, abs=1e-12)


def test_single_category_ac1_is_undefined_with_warning():
    with pytest.warns(StatisticalWarning, match="undefined"):
        r = gwet_ac1([["a", "a"], ["a", "a"]])
    assert math.isnan(r.estimate)
    # with both present/absent categories declared it is 1 (chance agreement is 0)
    r2 = gwet_ac1([[0, 0], [0, 0], [0, 0]], categories=[0, 1])
    assert r2.estimate == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: gwet_ac1([[1, 2]], weights="cubic"), "weights"),
        (lambda: gwet_ac1([[1, 2]], confidence=1.5), "confidence"),
        (lambda: gwet_ac1([[1, None], [None, 2]]), "at least 2 coders"),
        (lambda: gwet_ac1_from_counts([[1.5, 0.5]]), "whole numbers"),
        (lambda: gwet_ac1_from_counts([[1, 1]], categories=["a"]), "categories"),
        (lambda: gwet_ac1_from_table([[1, 2, 3]]), "square"),
        (lambda: gwet_ac1_from_table([[0, 0], [0, 0]]), "at least one unit"),
        (lambda: pabak([1, 2], [1]), "same units"),
        (lambda: pabak([1, None], [None, 1]), "both coders"),
        (lambda: pabak([1, 1], [1, 1]), "at least 2 categories"),
        (lambda: pabak_from_table([[1]]), "k >= 2"),
        (lambda: pabak_from_table([[0, 0], [0, 0]]), "at least one unit"),
    ],
)
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_pabak_prevalence_and_bias_worked_example():
    # Byrt, Bishop & Carlin (1993) notation, worked here: a = 80 (both present),
    # b = 10 (first coder only), c = 2 (second only), d = 8 (both absent), n = 100.
    # po = 0.88, PABAK = 2·0.88 − 1 = 0.76; PI = (80 − 8)/100 = 0.72;
    # BI = (10 − 2)/100 = 0.08; Cohen's pe = 0.90·0.82 + 0.10·0.18 = 0.756,
    # kappa = (0.88 − 0.756)/0.244 = 0.5082
    r = pabak_from_table([[80, 10], [2, 8]])
    assert r.pabak == pytest.approx(0.76, abs=1e-12)
    assert r.prevalence_index == pytest.approx(0.72, abs=1e-12)
    assert r.bias_index == pytest.approx(0.08, abs=1e-12)
    assert r.kappa == pytest.approx(0.124 / 0.244, abs=1e-12)
    # Byrt et al.'s identity: kappa = (PABAK − PI² + BI²)/(1 − PI² + BI²)
    pi2, bi2 = r.prevalence_index**2, r.bias_index**2
    assert r.kappa == pytest.approx((r.pabak - pi2 + bi2) / (1 - pi2 + bi2), abs=1e-12)
    assert "PABAK" in str(r.summary())
    assert r.to_dict()["table"]["counts"] == [[80, 10], [2, 8]]


def test_pabak_from_codes_orders_categories_as_given():
    a = ["yes"] * 5 + ["no"] * 3
    b = ["yes"] * 4 + ["no"] * 4
    r = pabak(a, b, categories=["yes", "no"])
    # a = 4, b = 1, c = 0, d = 3: PI = (4 − 3)/8, BI = 1/8, PABAK = 2·7/8 − 1
    assert (r.prevalence_index, r.bias_index, r.pabak) == pytest.approx((0.125, 0.125, 0.75))
    flipped = pabak(a, b, categories=["no", "yes"])
    assert flipped.prevalence_index == pytest.approx(-0.125)
    three = pabak_from_table([[5, 1, 0], [0, 3, 1], [0, 0, 2]])
    # q = 3: (3·10/12 − 1)/2 = 0.75; the indices are for 2 × 2 tables only
    assert three.pabak == pytest.approx(0.75)
    assert math.isnan(three.prevalence_index)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=2, max_size=40))
def test_byrt_identity_holds_for_any_2x2_table(pairs):
    a, b = zip(*pairs, strict=True)
    r = pabak(a, b, categories=[1, 0])
    pi2, bi2 = r.prevalence_index**2, r.bias_index**2
    if 1 - pi2 + bi2 > 1e-9 and np.isfinite(r.kappa):
        assert r.kappa == pytest.approx((r.pabak - pi2 + bi2) / (1 - pi2 + bi2), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=3, max_size=30), st.integers(2, 4))
def test_coders_agreeing_with_themselves_get_one(codes, n_coders):
    ratings = np.column_stack([codes] * n_coders)
    r = brennan_prediger(ratings, categories=[0, 1, 2, 3])
    assert r.estimate == pytest.approx(1.0)
    if len(set(codes)) > 1:
        assert gwet_ac1(ratings).estimate == pytest.approx(1.0)


def test_repr_summary_and_dict():
    r = gwet_ac1(CAC_RAW4RATERS)
    assert "0.7754" in repr(r)
    text = str(r.summary())
    assert "Gwet's AC1" in text and "t with 11 df" in text
    d = r.to_dict()
    assert d["categories"] == ["1", "2", "3", "4", "5"]
    assert d["df"] == 11


def test_pabak_note_for_more_than_two_categories():
    # 3 × 3 worked example: po = (10 + 10 + 10) / 40 = 0.75, q = 3, so
    # PABAK = (3 · 0.75 − 1) / 2 = 0.625 (not 2 · po − 1 = 0.5); no prevalence index.
    r = pabak_from_table([[10, 2, 1], [2, 10, 2], [2, 1, 10]])
    assert r.pabak == pytest.approx(0.625)
    (note,) = r.summary().notes
    assert note.startswith("PABAK = (q·po − 1)/(q − 1) with q = 3 categories")
    (note,) = pabak_from_table([[40, 3], [2, 5]]).summary().notes
    assert note.startswith("PABAK = 2·po − 1")
