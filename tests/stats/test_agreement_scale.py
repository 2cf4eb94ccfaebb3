"""q of AC1 and PABAK from the scale's categories, not those the coders happened to use;
no AC1/PABAK for a whole code set; Fleiss' kappa on few units said, and the kappa
paradox judged on its units.

Reference figures are recomputed here with irrCAC's formulas written out (Gwet 2014,
*Handbook of Inter-Rater Reliability*, 4th ed., eq. 4.1–4.2 for AC1 and the
Brennan–Prediger coefficient: p_e = Σ_k π_k(1 − π_k)/(q − 1) and 1/q) — an
implementation independent of ``ihms.stats._gwet``."""

import math

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.stats.agreement import agreement_report

# the symbiotic-behaviour cross-table of the review (two coders, 211 clauses):
# commensalism/commensalism 144, commensalism/mutualism 36, mutualism/commensalism 10,
# mutualism/mutualism 21; nobody used parasitism
CELLS = {("c", "c"): 144, ("c", "m"): 36, ("m", "c"): 10, ("m", "m"): 21}


def _long(cells=CELLS, dim="behaviour"):
    rows, unit = [], 0
    for (a, b), n in cells.items():
        for _ in range(n):
            rows += [
                {"unit": unit, "coder": "A", "code": a, "dimension": dim},
                {"unit": unit, "coder": "B", "code": b, "dimension": dim},
            ]
            unit += 1
    return pd.DataFrame(rows)


def _by_hand(cells, q):
    """AC1 and Brennan–Prediger for two coders with every unit coded by both."""
    n = sum(cells.values())
    po = sum(k for (a, b), k in cells.items() if a == b) / n
    share: dict[str, float] = {}
    for (a, b), k in cells.items():
        share[a] = share.get(a, 0) + k / (2 * n)
        share[b] = share.get(b, 0) + k / (2 * n)
    pe = sum(p * (1 - p) for p in share.values()) / (q - 1)
    return (po - pe) / (1 - pe), (q * po - 1) / (q - 1)


def test_q_is_the_scale_s_categories_not_those_seen():
    seen = agreement_report(_long(), dimension="dimension").row("behaviour")
    scale = agreement_report(
        _long(), dimension="dimension", categories={"behaviour": ("p", "c", "m")}
    ).row("behaviour")
    ac1_2, pabak_2 = _by_hand(CELLS, 2)
    ac1_3, pabak_3 = _by_hand(CELLS, 3)
    assert (seen["ac1"], seen["pabak"]) == pytest.approx((ac1_2, pabak_2), abs=1e-12)
    assert (scale["ac1"], scale["pabak"]) == pytest.approx((ac1_3, pabak_3), abs=1e-12)
    # the review's hand figures for q = 3 (0.739 / 0.673) and q = 2 (0.675 / 0.564)
    assert (round(scale["ac1"], 3), round(scale["pabak"], 3)) == (0.739, 0.673)
    assert (round(seen["ac1"], 3), round(seen["pabak"], 3)) == (0.675, 0.564)
    # kappa and alpha do not depend on unused categories
    assert scale["kappa"] == pytest.approx(seen["kappa"], abs=1e-12)
    assert scale["alpha"] == pytest.approx(seen["alpha"], abs=1e-12)


def test_a_code_outside_the_scale_is_refused():
    with pytest.raises(InputError, match=r"'behaviour' has code\(s\) 'm' outside its categories"):
        agreement_report(_long(), dimension="dimension", categories={"behaviour": ("p", "c")})


def test_a_whole_code_set_has_no_ac1_or_pabak_and_says_why():
    codings = pd.DataFrame(
        {
            "unit": [1, 1, 2, 2, 3, 3, 4, 4],
            "coder": ["A", "B"] * 4,
            "code": ["x;y", "x", "y", "y", "x", "x;y", "x", "x"],
        }
    )
    report = agreement_report(codings, multi_label=True)
    whole = report.row("code")
    assert math.isnan(whole["ac1"]) and math.isnan(whole["pabak"])
    assert whole["percent_agreement"] == 50
    assert report.row("code", "x")["pabak"] == 1.0  # present/absent rows keep theirs
    assert any("A whole code set has no AC1 or PABAK" in n for n in report.summary().notes)
    single = agreement_report(codings.assign(code=["x", "x", "y", "y", "x", "y", "x", "x"]))
    assert not any("whole code set" in n for n in single.summary().notes)


def _three(codes_c):
    """A and B code units 0–19 alike but for units 0 and 1; C codes the units given."""
    rows = []
    for u in range(20):
        a = "yes" if u < 18 else "no"
        rows += [{"unit": u, "coder": "A", "code": a}, {"unit": u, "coder": "B", "code": a}]
    rows[0]["code"], rows[3]["code"] = "no", "no"  # A's unit 0, B's unit 1
    rows += [{"unit": u, "coder": "C", "code": c} for u, c in codes_c.items()]
    return pd.DataFrame(rows)


def test_fleiss_kappa_on_few_units_is_said_naming_the_coder_who_caused_it():
    report = agreement_report(_three({0: "yes", 1: "yes", 5: "yes"}))
    row = report.row("code")
    assert (row["n_units"], row["kappa_units"]) == (20, 3)
    thin = [n for n in report.notes if "rests on only" in n]
    assert thin == [
        "code: Fleiss' kappa rests on only 3 of the 20 units, those every coder coded "
        "(C coded 3), for the whole code and each category: it says little, nor does a "
        "mean kappa over it. Compare the coders who coded them all (coders=A,B), or read "
        "Krippendorff's alpha, which takes every unit two or more coders coded (missing "
        "codes allowed)."
    ]
    # the three units every coder coded: 0 (no/yes/yes), 1 (yes/no/yes), 5 (all yes)
    assert row["kappa_units_agreement"] == pytest.approx(100 / 3)
    assert row["percent_agreement"] == 90  # 18 of the 20 units


def test_the_kappa_paradox_compares_kappa_with_agreement_on_the_same_units():
    # Over its 20 units the coders agree on 90 %; kappa (on the 3 units every coder
    # coded) is low. The note compared the two; on kappa's own 3 units agreement is
    # 33 %, no paradox at all.
    report = agreement_report(_three({0: "yes", 1: "yes", 5: "yes"}))
    assert report.row("code")["kappa"] < 0.6
    assert not any("kappa paradox" in n for n in report.notes)
    # C coding most units: kappa's units are most units, and a paradox there is said
    # with the figures of those units
    report = agreement_report(_three({u: "yes" for u in range(2, 20)} | {18: "no", 19: "no"}))
    row = report.row("code")
    assert row["kappa_units"] == 18 and row["n_units"] == 20
    assert row["kappa_units_agreement"] == 100
    assert not any("rests on only" in n for n in report.notes)
