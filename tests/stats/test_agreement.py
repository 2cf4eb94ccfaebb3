"""Agreement coefficients against published outputs (Stata, SAS, R irr, Krippendorff
2011) and reference libraries (statsmodels, scikit-learn, the krippendorff package)."""

import doctest
import importlib
import json
import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats import inter_rater

from ihms.errors import InputError, StatisticalWarning
from ihms.stats import (
    cohens_kappa,
    cohens_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    krippendorff_alpha,
    percent_agreement,
)

NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: the
# reliability data matrix of 4 observers (A-D, columns here) and 12 units (rows).
KRIPPENDORFF_2011 = [
    [1, 1, NAN, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [NAN, 5, 5, 5],
    [NAN, NAN, 1, 1],
    [NAN, 3, NAN, NAN],
]

# Fleiss (1971), Table 1 / R irr's `diagnoses`: 30 patients, 6 psychiatrists, 5
# diagnoses (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other).
DIAGNOSES = np.array(
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
)  # fmt: skip

# SAS PROC FREQ AGREE printout for a 3 x 3 table, as quoted in statsmodels'
# stats/tests/test_inter_rater.py (TestUnweightedCohens / TestWeightedCohens).
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


# ---------------------------------------------------------------- Cohen's kappa


def test_cohen_matches_stata_kap_and_kapci():
    # Statalist, 2009-12, msg00320 ("kappa agreement standard errors"): Stata output for
    # the 2 x 2 table 1395 118 / 261 158 (N = 1,932).
    #   kap:   Agreement 80.38%, Expected 70.22%, Kappa 0.3412, Std. Err. 0.0220,
    #          Z 15.48, r(se) = .0220367175735475, r(z) = 15.48310993440647
    #   kapci: analytical 95% CI 0.290 - 0.393, r(se) = .0262913719660408,
    #          r(lb_an) = .2896667786271169, r(ub_an) = .3927270629422889
    r = cohens_kappa_from_table([[1395, 118], [261, 158]])
    assert r.n_units == 1932
    assert r.kappa == pytest.approx(0.3411969207847029, rel=1e-12)
    assert r.observed_agreement == pytest.approx(0.8038302277432712, rel=1e-12)
    assert r.expected_agreement == pytest.approx(0.7022330671398995, rel=1e-12)
    assert r.std_error_null == pytest.approx(0.0220367175735475, rel=1e-9)
    assert r.z == pytest.approx(15.48310993440647, rel=1e-9)
    assert r.std_error == pytest.approx(0.0262913719660408, rel=1e-9)
    assert r.ci_low == pytest.approx(0.2896667786271169, rel=1e-9)
    assert r.ci_high == pytest.approx(0.3927270629422889, rel=1e-9)


def test_cohen_matches_stata_faq_example_with_unused_category():
    # UCLA IDRE Stata FAQ "kappa" (ats.ucla.edu/stat/stata/faq/kappa.htm): rater2 never
    # uses category 3. `kap rater1 rater2` prints 66.67%, 33.33%, Kappa 0.5000,
    # Std. Err. 0.1667, Z 3.00, Prob>Z 0.0013.
    rater1 = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
    rater2 = [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]
    r = cohens_kappa(rater1, rater2)
    assert round(100 * r.observed_agreement, 2) == 66.67
    assert round(100 * r.expected_agreement, 2) == 33.33
    assert round(r.kappa, 4) == 0.5
    assert round(r.std_error_null, 4) == 0.1667
    assert round(r.z, 2) == 3.00
    assert round(r.pvalue_one_sided, 4) == 0.0013
    assert list(r.table.index) == [1, 2, 3]


def test_cohen_matches_sas_printout_simple_and_linear_weights():
    # SAS: Kappa 0.4842, ASE 0.1380, 95% CI 0.2137-0.7547, ASE under H0 0.1484,
    # Z 3.2626, one-sided 0.0006, two-sided 0.0011.
    r = cohens_kappa_from_table(SAS_TABLE)
    got = [r.kappa, r.std_error, r.ci_low, r.ci_high, r.std_error_null, r.z]
    assert np.round(got, 4).tolist() == [0.4842, 0.1380, 0.2137, 0.7547, 0.1484, 3.2626]
    assert round(r.pvalue_one_sided, 4) == 0.0006 and round(r.pvalue_two_sided, 4) == 0.0011
    # SAS weighted kappa (Cicchetti-Allison): 0.4701, ASE 0.1457, CI 0.1845-0.7558,
    # ASE under H0 0.1426, Z 3.2971, one-sided 0.0005, two-sided 0.0010.
    w = cohens_kappa_from_table(SAS_TABLE, weights="linear")
    got = [w.kappa, w.std_error, w.ci_low, w.ci_high, w.std_error_null, w.z]
    assert np.round(got, 4).tolist() == [0.4701, 0.1457, 0.1845, 0.7558, 0.1426, 3.2971]
    assert round(w.pvalue_one_sided, 4) == 0.0005 and round(w.pvalue_two_sided, 4) == 0.0010
    assert w.weights == "linear"


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_matches_scikit_learn_and_statsmodels(weights):
    rng = np.random.default_rng(20171001)
    a = rng.integers(0, 4, size=200)
    b = np.where(rng.random(200) < 0.6, a, rng.integers(0, 4, size=200))
    r = cohens_kappa(a.tolist(), b.tolist(), weights=weights)
    assert r.kappa == pytest.approx(cohen_kappa_score(a, b, weights=weights), rel=1e-12)
    table = pd.crosstab(a, b).to_numpy()
    ref = (
        inter_rater.cohens_kappa(table, wt=weights) if weights else inter_rater.cohens_kappa(table)
    )
    assert r.std_error == pytest.approx(ref.std_kappa, rel=1e-12)
    assert r.std_error_null == pytest.approx(ref.std_kappa0, rel=1e-12)


def test_cohen_drops_units_missing_for_either_coder_and_keeps_confidence_level():
    a = ["x", "y", None, "x", "y", "x"]
    b = ["x", "y", "y", np.nan, "x", "x"]
    r = cohens_kappa(a, b, confidence=0.90)
    full = cohens_kappa(["x", "y", "y", "x"], ["x", "y", "x", "x"], confidence=0.90)
    assert r.n_units == 4
    assert r.kappa == pytest.approx(full.kappa)
    z90 = 1.6448536269514722  # scipy.stats.norm.ppf(0.95)
    assert r.kappa - r.ci_low == pytest.approx(z90 * r.std_error, rel=1e-9)
    assert "90% low" in r.summary().frame.columns


def test_weighted_kappa_ignores_categories_seen_only_on_units_left_out():
    # found by an audit: a unit coded by one coder only moved the positional weights
    a = [1, 3, 3, 4, 1, 3, 4, 4, 2]
    b = [1, 3, 4, 4, 3, 3, 4, 3, None]  # the last unit (a: 2) is left out
    for w in ("linear", "quadratic"):
        r = cohens_kappa(a, b, weights=w)
        # scikit-learn on the eight paired units, categories 1, 3, 4 (tests only)
        assert r.kappa == pytest.approx(cohen_kappa_score(a[:8], b[:8], weights=w), abs=1e-12)
        # the full scale, when it matters, is given explicitly
        full = cohens_kappa(a, b, weights=w, categories=[1, 2, 3, 4])
        ref4 = cohen_kappa_score(a[:8], b[:8], weights=w, labels=[1, 2, 3, 4])
        assert full.kappa == pytest.approx(ref4, abs=1e-12)
        assert full.kappa != pytest.approx(r.kappa)


def test_kappa_max_for_weighted_kappa():
    # 2 x 2: linear and quadratic weights are the simple ones, so kappa_max must equal
    # Cohen's (1960) formula, (sum of min(row_i, col_i) - pe) / (1 - pe): statsmodels
    t = [[20, 15], [5, 10]]
    cohen = inter_rater.cohens_kappa(np.array(t, dtype=float)).kappa_max
    for w in ("linear", "quadratic"):
        assert cohens_kappa_from_table(t, weights=w).kappa_max == pytest.approx(cohen)
    # the audit's table: the reported weighted kappa exceeded its "maximum" before
    t3 = [[5, 5, 0], [0, 0, 5], [0, 0, 5]]
    for w in ("linear", "quadratic"):
        r = cohens_kappa_from_table(t3, weights=w)
        assert r.kappa <= r.kappa_max + 1e-12 <= 1 + 1e-12
    # equal margins allow perfect agreement
    assert cohens_kappa_from_table(
        [[3, 1, 0], [1, 2, 1], [0, 1, 3]], weights="quadratic"
    ).kappa_max == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 9), min_size=9, max_size=9).filter(lambda v: sum(v) > 0),
    st.sampled_from(["linear", "quadratic"]),
)
def test_weighted_kappa_never_exceeds_its_maximum(counts, weights):
    table = np.array(counts).reshape(3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = cohens_kappa_from_table(table, weights=weights)
    if np.isfinite(r.kappa):
        assert r.kappa <= r.kappa_max + 1e-9 <= 1 + 1e-9


def test_cohen_interval_stays_within_the_values_kappa_can_take():
    # kappa 0.5 from four units: the Wald interval 0.5 +- 1.96 x 0.375 would reach past 1.
    r = cohens_kappa(["x", "y", "y", "x"], ["x", "y", "x", "x"])
    assert r.kappa + 1.959963984540054 * r.std_error > 1  # scipy.stats.norm.ppf(0.975)
    assert r.ci_high == 1.0
    assert r.ci_low == pytest.approx(r.kappa - 1.959963984540054 * r.std_error, rel=1e-9)


def test_cohen_undefined_without_variation_warns_and_returns_nan():
    with pytest.warns(StatisticalWarning, match="undefined"):
        r = cohens_kappa(["a", "a", "a"], ["a", "a", "a"])
    assert np.isnan(r.kappa) and r.observed_agreement == 1.0


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        (["a", "b"], ["a"], {}, "same units"),
        (["a", None], [None, "b"], {}, "no unit was coded by both"),
        (["a", "b"], ["a", "b"], {"weights": "cubic"}, "weights"),
        (["a", "b"], ["a", "b"], {"categories": ["a"]}, "not among the categories"),
        (["a", "b"], ["a", "b"], {"confidence": 95}, "confidence"),
        ([{"a", "b"}, "b"], ["a", "b"], {}, "single code"),
    ],
)
def test_cohen_bad_input(a, b, kwargs, message):
    with pytest.raises(InputError, match=message):
        cohens_kappa(a, b, **kwargs)


def test_cohen_table_bad_input():
    with pytest.raises(InputError, match="square"):
        cohens_kappa_from_table([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(InputError, match=">= 0"):
        cohens_kappa_from_table([[1, -2], [4, 5]])
    with pytest.raises(InputError, match="at least one unit"):
        cohens_kappa_from_table([[0, 0], [0, 0]])


codes = st.lists(st.sampled_from("abcd"), min_size=2, max_size=40)


@settings(max_examples=60, deadline=None)
@given(codes)
def test_kappa_of_a_coder_with_itself_is_one(a):
    if len(set(a)) < 2:
        with pytest.warns(StatisticalWarning):
            assert np.isnan(cohens_kappa(a, a).kappa)
        return
    r = cohens_kappa(a, a)
    assert r.kappa == pytest.approx(1.0)
    assert r.observed_agreement == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=2, max_size=40))
def test_kappa_is_symmetric_in_the_two_coders(pairs):
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        ab, ba = cohens_kappa(a, b), cohens_kappa(b, a)
    for field in ("kappa", "std_error", "std_error_null", "z"):
        x, y = getattr(ab, field), getattr(ba, field)
        assert (np.isnan(x) and np.isnan(y)) or x == pytest.approx(y, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------- Fleiss' kappa


def test_fleiss_matches_irr_kappam_fleiss_three_raters():
    # R irr::kappam.fleiss(diagnoses[, 1:3]) prints "Subjects = 30, Raters = 3,
    # Kappa = 0.534, z = 9.89, p-value = 0" (output reproduced in a CSDN tutorial,
    # blog.csdn.net/weixin_39974030/article/details/117938889).
    r = fleiss_kappa(DIAGNOSES[:, :3])
    assert (r.n_units, r.n_coders, r.n_dropped) == (30, 3, 0)
    assert round(r.kappa, 3) == 0.534
    assert round(r.z, 2) == 9.89
    assert r.pvalue_two_sided < 1e-15


def test_fleiss_matches_fleiss_1971_and_statsmodels_six_raters():
    # Fleiss (1971), Psychological Bulletin 76:378-382: kappa = .430 for the diagnoses.
    r = fleiss_kappa(DIAGNOSES)
    assert round(r.kappa, 3) == 0.430
    counts, _ = inter_rater.aggregate_raters(DIAGNOSES)
    assert r.kappa == pytest.approx(inter_rater.fleiss_kappa(counts, method="fleiss"), rel=1e-12)
    # Fleiss, Nee & Landis (1979) variance under H0, written out:
    # var0 = 2 / (N m (m-1)) * [(Σ p_j q_j)^2 - Σ p_j q_j (q_j - p_j)] / (Σ p_j q_j)^2
    n, m = 30, 6
    p = counts.sum(axis=0) / (n * m)
    q = 1 - p
    var0 = 2 / (n * m * (m - 1)) * ((p * q).sum() ** 2 - (p * q * (q - p)).sum())
    var0 /= (p * q).sum() ** 2
    assert r.std_error_null == pytest.approx(np.sqrt(var0), rel=1e-12)


def test_fleiss_wikipedia_worked_example():
    # Wikipedia "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories,
    # P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]  # fmt: skip
    r = fleiss_kappa_from_counts(table)
    assert round(r.kappa, 3) == 0.210
    assert round(r.observed_agreement, 3) == 0.378
    assert round(r.expected_agreement, 3) == 0.213
    assert len(r.categories) == 5 and "overall" in r.summary().frame.index


def test_fleiss_category_kappa_equals_kappa_of_the_collapsed_table():
    # Fleiss (1971): the kappa of category j is Fleiss' kappa of the table collapsed
    # to "j" against "not j".
    r = fleiss_kappa(DIAGNOSES)
    counts, cats = inter_rater.aggregate_raters(DIAGNOSES)
    for j, cat in enumerate(cats):
        binary = np.column_stack([counts[:, j], 6 - counts[:, j]])
        expected = inter_rater.fleiss_kappa(binary, method="fleiss")
        row = r.categories.set_index("category").loc[cat]
        assert row["kappa"] == pytest.approx(expected, rel=1e-12)
        assert row["std_error_H0"] == pytest.approx(np.sqrt(2 / (30 * 6 * 5)), rel=1e-12)


def test_fleiss_drops_incomplete_units_and_rejects_bad_counts():
    ratings = DIAGNOSES[:, :3].astype(object)
    ratings[0, 1] = None
    r = fleiss_kappa(ratings)
    assert (r.n_units, r.n_dropped) == (29, 1)
    assert "left out" in r.summary().to_text()
    with pytest.raises(InputError, match="same number of coders"):
        fleiss_kappa_from_counts([[2, 1], [1, 1]])
    with pytest.raises(InputError, match="whole numbers"):
        fleiss_kappa_from_counts([[1.5, 1.5], [1, 2]])
    with pytest.raises(InputError, match="at least 2 coders"):
        fleiss_kappa_from_counts([[1, 0], [0, 1]])
    with pytest.raises(InputError, match="every coder"):
        fleiss_kappa([[1, None, 2], [None, 1, 1]])
    with pytest.raises(InputError, match="at least 2 coders"):
        fleiss_kappa([[1], [2]])


# ---------------------------------------------------------- Krippendorff's alpha


def test_alpha_krippendorff_2011_worked_example():
    # Published values: nominal 0.743 (Krippendorff 2011, section C); ordinal 0.815 and
    # ratio 0.797 (same example, quoted in the krippendorff package's doctests).
    assert round(krippendorff_alpha(KRIPPENDORFF_2011).alpha, 3) == 0.743
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level="ordinal").alpha, 3) == 0.815
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level="ratio").alpha, 3) == 0.797
    r = krippendorff_alpha(KRIPPENDORFF_2011)
    # Pairable values n.. : units 1 and 10 have 3 values, units 2-9 have 4, unit 11 has
    # 2, unit 12 (one value) is not pairable: 3 + 8*4 + 3 + 2 = 40.
    assert r.n_values == 40 and r.n_units == 11 and r.n_coders == 4
    assert r.coincidences.to_numpy().sum() == pytest.approx(40)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_matches_krippendorff_package_on_worked_example(level):
    expected = krippendorff.alpha(
        reliability_data=np.array(KRIPPENDORFF_2011, dtype=float).T, level_of_measurement=level
    )
    assert krippendorff_alpha(KRIPPENDORFF_2011, level=level).alpha == pytest.approx(
        expected, rel=1e-12
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=3, max_size=3),
        min_size=2,
        max_size=25,
    ),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_alpha_equals_krippendorff_package_with_missing_values(rows, level):
    data = np.array([[NAN if v is None else v for v in r] for r in rows], dtype=float)
    pairable = (~np.isnan(data)).sum(axis=1) >= 2
    values = np.unique(data[pairable][~np.isnan(data[pairable])])
    if not pairable.any():
        with pytest.raises(InputError, match="at least 2 coders"):
            krippendorff_alpha(data, level=level)
        return
    if values.size < 2:
        with pytest.warns(StatisticalWarning):
            assert np.isnan(krippendorff_alpha(data, level=level).alpha)
        return
    expected = krippendorff.alpha(reliability_data=data.T, level_of_measurement=level)
    assert krippendorff_alpha(data, level=level).alpha == pytest.approx(
        expected, rel=1e-9, abs=1e-12
    )


def test_alpha_ordinal_order_from_categories_and_bad_levels():
    words = {1: "low", 2: "mid", 3: "high", 4: "top", 5: "max"}
    labelled = [[None if v != v else words[v] for v in row] for row in KRIPPENDORFF_2011]
    r = krippendorff_alpha(labelled, level="ordinal", categories=list(words.values()))
    assert round(r.alpha, 3) == 0.815
    with pytest.raises(InputError, match="numeric codes"):
        krippendorff_alpha(labelled, level="interval")
    with pytest.raises(InputError, match="level"):
        krippendorff_alpha(KRIPPENDORFF_2011, level="cardinal")
    with pytest.raises(InputError, match="at least 2 coders"):
        krippendorff_alpha([[1, None], [None, 2]])


# ------------------------------------------------------------ percent agreement


def test_percent_agreement_counts_units_where_all_coders_agree():
    # 4 pairable units (the last row has one code): rows 1 and 3 unanimous -> 2 / 4.
    ratings = [
        ["a", "a", "a"],
        ["a", "b", "a"],
        ["b", "b", None],
        ["a", "b", "c"],
        [None, "a", None],
    ]
    assert percent_agreement(ratings) == 50.0
    with pytest.raises(InputError, match="at least 2 coders"):
        percent_agreement([["a"], ["b"]])
    with pytest.raises(InputError, match="2-D"):
        percent_agreement(["a", "b"])


def test_results_render_and_serialise():
    for result in (
        cohens_kappa_from_table(SAS_TABLE),
        fleiss_kappa(DIAGNOSES),
        krippendorff_alpha(KRIPPENDORFF_2011),
    ):
        assert result.summary().to_text()
        assert result.summary().to_html().startswith("<table")
        json.dumps(result.to_dict())


@pytest.mark.parametrize(
    "module",
    ["_ratings", "_cohen", "_fleiss", "_krippendorff", "_krippendorff_boot", "_gwet", "_pabak",
     "agreement"],
)  # fmt: skip
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"ihms.stats.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
