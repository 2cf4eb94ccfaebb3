"""One kappa-paradox rule for the coders' agreement report and the screening stages
(ihms.stats.kappa_paradox): agreement ≥ 80 %, kappa < 0.60, AC1 − kappa ≥ 0.20.

Golden tables: Feinstein & Cicchetti (1990), "High agreement but low kappa: I. The
problems of two paradoxes", J Clin Epidemiol 43:543-549 — two 2 × 2 tables of 100
subjects, both at 85 % agreement: (40, 9 / 6, 45) with kappa 0.70 and (80, 10 / 5, 5)
with kappa 0.32 (reproduced as Table 10.6 in Gerstman, Epidemiology Kept Simple).
AC1 worked by hand from Gwet (2008): pe = 2π(1 − π) for two categories."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ihms.stats import cohens_kappa_from_table, gwet_ac1_from_table, kappa_paradox


def test_feinstein_cicchetti_tables_one_paradox_one_not():
    balanced, skewed = [[40, 9], [6, 45]], [[80, 10], [5, 5]]
    # balanced: pe = 0.49·0.46 + 0.51·0.54 = 0.5008, kappa = 0.3492/0.4992 = 0.70;
    # π = (49 + 46)/200 = 0.475, pe(AC1) = 2·0.475·0.525 = 0.49875, AC1 = 0.35125/0.50125
    k_bal = cohens_kappa_from_table(balanced).kappa
    ac1_bal = gwet_ac1_from_table(balanced).estimate
    assert k_bal == pytest.approx(0.3492 / 0.4992, rel=1e-12)
    assert ac1_bal == pytest.approx(0.35125 / 0.50125, rel=1e-12)
    assert not kappa_paradox(85.0, k_bal, ac1_bal)  # kappa 0.70 is "substantial"
    # skewed: pe = 0.90·0.85 + 0.10·0.15 = 0.78, kappa = 0.07/0.22 = 0.32;
    # π = (90 + 85)/200 = 0.875, pe(AC1) = 0.21875, AC1 = 0.63125/0.78125 = 0.808
    k_sk = cohens_kappa_from_table(skewed).kappa
    ac1_sk = gwet_ac1_from_table(skewed).estimate
    assert k_sk == pytest.approx(7 / 22, rel=1e-12)
    assert ac1_sk == pytest.approx(0.63125 / 0.78125, rel=1e-12)
    assert kappa_paradox(85.0, k_sk, ac1_sk)


@pytest.mark.parametrize(
    ("agreement", "kappa", "ac1", "fires"),
    [
        (80.0, 0.59, 0.79, True),
        (80.0, 0.5, 0.7, True),  # a gap of 0.20 as printed (0.7 − 0.5 is 0.1999… in floats)
        (79.9, 0.39, 0.79, False),  # one unit in five disagreed on: not "high agreement"
        (80.0, 0.60, 0.85, False),  # kappa "substantial" (Landis & Koch 1977): no caveat
        (90.0, 0.55, 0.74, False),  # AC1 barely above kappa: the shares do not explain it
        (95.0, math.nan, 1.0, False),  # kappa undefined: said as such elsewhere
        (95.0, 0.2, None, False),
    ],
)
def test_the_rule_at_its_bounds(agreement, kappa, ac1, fires):
    assert kappa_paradox(agreement, kappa, ac1) is fires


@given(
    st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)
)  # fmt: skip
def test_high_agreement_makes_ac1_substantial_for_two_categories(a, b, c, d):
    """Why the rule needs no AC1 floor: AC1's chance agreement is at most 1/q (0.5 for
    two decisions), so 80 % agreement gives AC1 ≥ (0.8 − 0.5)/(1 − 0.5) = 0.60."""
    n = a + b + c + d
    assume(n and (a + d) / n >= 0.8)
    assert gwet_ac1_from_table([[a, b], [c, d]]).estimate >= 0.6 - 1e-12


def test_screening_and_coders_share_the_rule():
    from ihms.policy import screening_agreement
    from ihms.stats import _agreement_row

    assert screening_agreement.kappa_paradox is kappa_paradox
    row = {"kappa": 7 / 22, "percent_agreement": 85.0, "ac1": 0.808, "pabak": 0.7}
    assert _agreement_row.paradox_notes("code", row, [])  # the coders' note fires too
