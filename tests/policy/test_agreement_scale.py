"""The coders' table takes q of AC1 and PABAK from the codebook (its categories and
"none applies"), has no AC1/PABAK for a whole set, and says when a partial coder cuts
Fleiss' kappa down to a few segments.

Reference: AC1 and PABAK recomputed with irrCAC's formulas written out (Gwet 2014,
*Handbook of Inter-Rater Reliability*, 4th ed.: p_e = Σ_k π_k(1 − π_k)/(q − 1);
PABAK = (q·p_o − 1)/(q − 1)), independent of ``ihms.stats._gwet``."""

import math

import pandas as pd
import pytest

from ihms.policy.agreement import agreement_table, coder_agreement
from ihms.policy.coding import import_codings

from .conftest import EXAMPLES


def test_a_single_label_dimension_s_q_is_its_codebook_categories_and_none(project):
    segs = list(project.segments()["id"][:20])
    a = ["Healthy China"] * 14 + ["Healthy community"] * 6
    b = (
        ["Healthy China"] * 11
        + ["Healthy community"] * 3
        + ["Healthy China"] * 2
        + ["Healthy community"] * 4
    )
    for coder, answers in (("a", a), ("b", b)):
        import_codings(
            project, pd.DataFrame({"segment_id": segs, "orientation": answers}), coder=coder
        )
    report = coder_agreement(project, dimensions=["orientation"])
    row = report.row("orientation")
    # by hand: 5 categories in the codebook + "none applies" = q 6 (two used)
    q, n = 6, 20
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    share = {k: (a.count(k) + b.count(k)) / (2 * n) for k in set(a) | set(b)}
    pe = sum(p * (1 - p) for p in share.values()) / (q - 1)
    assert row["ac1"] == pytest.approx((po - pe) / (1 - pe), abs=1e-12)
    assert row["pabak"] == pytest.approx((q * po - 1) / (q - 1), abs=1e-12)
    notes = agreement_table(report, project.codebook()).notes
    assert (
        "its codebook categories and 'none applies', used or not (Gwet 2014): Policy orientation 6."
        in " ".join(notes)
    )
    zh = agreement_table(report, project.codebook(), lang="zh").notes
    assert any("政策导向 6" in n for n in zh)


def test_a_whole_set_has_no_ac1_or_pabak(coded_project):
    report = coder_agreement(coded_project)
    whole = report.row("tools")
    assert math.isnan(whole["ac1"]) and math.isnan(whole["pabak"])
    assert not math.isnan(report.row("stakeholders", "governments")["ac1"])
    notes = agreement_table(report, coded_project.codebook()).notes
    assert any(n.startswith("A whole set has no AC1 or PABAK") for n in notes)


def test_a_pilot_coder_s_few_segments_are_said_first_naming_the_pilot(coded_project):
    """A pilot coder with 7 segments cut Fleiss' kappa to the few segments all three
    coded, and the mean kappa with it, without a word (the review's 0.038 against
    0.660); the kappa-paradox note then set a 4-segment kappa against agreement over
    212."""
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(coded_project, frame.iloc[:7].copy(), coder="pilot")
    report = coder_agreement(coded_project)
    notes = agreement_table(report, coded_project.codebook()).notes
    mean = next(n for n in notes if n.startswith("Mean kappa"))
    assert (
        "Fleiss' kappa rests on the few segments every coder coded (Policy tools: 7 of 212" in mean
    )
    thin = [n for n in notes if "rests on only" in n]
    assert len(thin) == 2 and all("(pilot coded 7)" in n for n in thin)
    assert all("--coders coder_a,coder_b" in n and "Krippendorff's alpha" in n for n in thin)
    assert not any("kappa paradox" in n and "Orderly" in n for n in notes)
    zh = agreement_table(report, coded_project.codebook(), lang="zh").notes
    assert sum("Fleiss' κ 只基于" in n for n in zh) == 3  # the mean's line and two notes


def test_with_three_coders_agreement_is_said_to_be_all_agreeing(coded_project):
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(coded_project, frame, coder="coder_c")
    report = coder_agreement(coded_project)
    said = "agreement %: the share of segments on which every coder who coded it gave the same"
    assert any(n.startswith(said) for n in agreement_table(report, coded_project.codebook()).notes)
    two = coder_agreement(coded_project, coders=["coder_a", "coder_b"])
    assert not any(n.startswith(said) for n in agreement_table(two, coded_project.codebook()).notes)
