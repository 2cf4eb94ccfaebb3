"""The agreement report over a long table of codings (unit, coder, code, dimension)."""

import json

import krippendorff
import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.stats import agreement_report, cohens_kappa, fleiss_kappa

UNITS = [f"s{i}" for i in range(1, 11)]


def _long(dimension, codes_by_coder):
    rows = []
    for coder, codes in codes_by_coder.items():
        for unit, code in zip(UNITS, codes, strict=False):
            rows.append({"segment": unit, "coder": coder, "dimension": dimension, "code": code})
    return rows


def test_two_coders_single_label_matches_the_coefficients():
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = ["x", "y", "y", "y", "z", "x", "x", "z", "y", "x"]
    codings = pd.DataFrame(_long("level", {"A": a, "B": b}))
    before = codings.copy()
    report = agreement_report(codings, unit="segment", dimension="dimension")
    pd.testing.assert_frame_equal(codings, before)  # the caller's frame is untouched
    row = report.row("level")
    ref = cohens_kappa(a, b)
    assert row["statistic"] == "Cohen" and row["basis"] == "code"
    assert row["n_units"] == 10 and row["n_coders"] == 2
    assert row["percent_agreement"] == pytest.approx(70.0)  # 7 of 10 units agree
    assert row["kappa"] == pytest.approx(ref.kappa)
    assert row["std_error"] == pytest.approx(ref.std_error)
    assert row["std_error_null"] == pytest.approx(ref.std_error_null)
    assert row["p_value"] == pytest.approx(ref.pvalue_two_sided)
    data = np.array([[{"x": 1, "y": 2, "z": 3}[v] for v in c] for c in (a, b)], dtype=float)
    assert row["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )
    # present/absent row for "y": binary codes by hand
    y = report.row("level", "y")
    ya, yb = [int(v == "y") for v in a], [int(v == "y") for v in b]
    assert y["kappa"] == pytest.approx(cohens_kappa(ya, yb).kappa)
    assert y["basis"] == "present/absent"
    assert report.dimensions == ("level",)
    assert list(report.category_rows()["category"]) == ["x", "y", "z"]


def test_three_coders_use_fleiss_and_missing_codes_are_skipped():
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = ["x", "y", "y", "y", "z", "x", "x", "z", "y", "x"]
    c = ["x", "x", "y", None, "z", "x", "y", "z", "y", "x"]
    codings = pd.DataFrame(_long("level", {"A": a, "B": b, "C": c}))
    row = agreement_report(codings, unit="segment", dimension="dimension").row("level")
    ref = fleiss_kappa(pd.DataFrame({"A": a, "B": b, "C": c}))
    assert row["statistic"] == "Fleiss" and row["n_coders"] == 3
    assert row["kappa"] == pytest.approx(ref.kappa)
    assert row["std_error_null"] == pytest.approx(ref.std_error_null)
    assert np.isnan(row["std_error"])  # Fleiss' kappa has no asymptotic SE here
    assert row["n_units"] == 10  # s4 still has two codes


def test_multi_label_sets_and_text_give_the_same_report_and_per_category_kappa():
    sets_a = [{"gov"}, {"gov", "hosp"}, {"phc"}, {"hosp"}, {"gov", "phc"}, {"phc"}]
    sets_b = [{"gov"}, {"gov"}, {"phc"}, {"hosp", "phc"}, {"gov", "phc"}, {"hosp"}]
    as_sets = pd.DataFrame(_long("stakeholders", {"A": sets_a, "B": sets_b}))
    as_text = pd.DataFrame(
        _long(
            "stakeholders",
            {"A": [" ; ".join(sorted(s)) for s in sets_a], "B": [";".join(s) for s in sets_b]},
        )
    )
    r_sets = agreement_report(as_sets, unit="segment", dimension="dimension")
    r_text = agreement_report(
        as_text, unit="segment", dimension="dimension", multi_label=["stakeholders"]
    )
    pd.testing.assert_frame_equal(r_sets.table, r_text.table)
    assert r_sets.multi_label == ("stakeholders",)
    whole = r_sets.row("stakeholders")
    assert whole["basis"] == "code set"
    assert whole["percent_agreement"] == pytest.approx(100 * 3 / 6)  # units 1, 3, 5
    for cat in ("gov", "hosp", "phc"):
        a = [int(cat in s) for s in sets_a]
        b = [int(cat in s) for s in sets_b]
        assert r_sets.row("stakeholders", cat)["kappa"] == pytest.approx(cohens_kappa(a, b).kappa)


def test_multi_label_rows_for_one_unit_are_combined():
    one_row_each = pd.DataFrame(
        {"unit": [1, 1, 2, 2], "coder": ["A", "B", "A", "B"], "code": ["a;b", "a", "b", "b"]}
    )
    one_code_per_row = pd.DataFrame(
        {
            "unit": [1, 1, 1, 2, 2],
            "coder": ["A", "A", "B", "A", "B"],
            "code": ["a", "b", "a", "b", "b"],
        }
    )
    left = agreement_report(one_row_each, multi_label=True).table
    right = agreement_report(one_code_per_row, multi_label=True).table
    pd.testing.assert_frame_equal(left, right)


def test_mean_kappa_averages_the_dimensions_as_seed_000_does():
    # Seed 000 (000_e6f48db32a589104.txt, Methods) reports one average kappa over the
    # dimensions of its framework (0.746). Worked example, 10 units, 2 coders:
    # "level": table [[4, 1], [1, 4]]: po = 0.8, pe = 0.5*0.5 + 0.5*0.5 = 0.5,
    #          kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
    # "nature": table [[3, 0], [0, 7]]: po = 1, kappa = 1
    # mean = (0.6 + 1) / 2 = 0.8
    level = _long("level", {"A": list("pppppqqqqq"), "B": list("ppppqpqqqq")})
    nature = _long("nature", {"A": list("uuu" + "v" * 7), "B": list("uuu" + "v" * 7)})
    report = agreement_report(pd.DataFrame(level + nature), unit="segment", dimension="dimension")
    assert report.row("level")["kappa"] == pytest.approx(0.6)
    assert report.row("nature")["kappa"] == pytest.approx(1.0)
    assert report.mean_kappa == pytest.approx(0.8)
    text = report.summary().to_text()
    assert "Mean kappa over dimensions: 0.800" in text
    assert len(report.summary(categories=False).frame) == 2
    assert "std_error_null" in report.summary(detail=True).frame.columns
    out = report.to_dict()
    assert out["mean_kappa"] == pytest.approx(0.8) and len(out["rows"]) == 6
    json.dumps(out)


def test_category_used_by_nobody_or_everybody_is_undefined_and_noted():
    codings = pd.DataFrame(_long("tools", {"A": ["a;b", "a", "a;c"], "B": ["a", "a;b", "a;c"]}))
    report = agreement_report(codings, unit="segment", dimension="dimension", multi_label=True)
    assert np.isnan(report.row("tools", "a")["kappa"])  # everybody always coded "a"
    assert report.row("tools", "a")["percent_agreement"] == 100.0
    assert any("undefined for 1 category" in n for n in report.notes)


def test_every_problem_is_listed_with_its_row():
    codings = pd.DataFrame(
        {
            "unit": ["u1", "u1", "u1", None, "u2", "u3"],
            "coder": ["A", "B", "A", "B", None, "A"],
            "dimension": ["level", "level", "level", "level", "level", "tools"],
            "code": ["x", "y", "z", "x", "x", "t"],
        }
    )
    with pytest.raises(DataError) as info:
        agreement_report(codings, dimension="dimension", source="codings.csv")
    problems = info.value.problems
    assert any("row 4" in p and "coded unit 'u1' twice" in p and "row 2" in p for p in problems)
    assert any("column 'unit' of codings.csv row 5" in p for p in problems)
    assert any("column 'coder' of codings.csv row 6" in p for p in problems)
    assert any("dimension 'tools': expected at least 2 coders, got 1" in p for p in problems)
    # a dimension only one coder (a machine, say) coded: how to get on
    assert any(p.endswith("or leave the dimension out") for p in problems)


def test_repeated_category_missing_columns_and_bad_options():
    repeated = pd.DataFrame(
        {"unit": [1, 1, 1], "coder": ["A", "A", "B"], "code": ["a", "a;b", "a"]}
    )
    with pytest.raises(DataError, match="twice"):
        agreement_report(repeated, multi_label=True)
    with pytest.raises(DataError, match="missing column"):
        agreement_report(pd.DataFrame({"unit": [1], "coder": ["A"]}))
    one_coder = pd.DataFrame({"unit": [1, 2], "coder": ["A", "A"], "code": ["a", "b"]})
    with pytest.raises(DataError, match="at least 2 coders"):
        agreement_report(one_coder)
    ok = pd.DataFrame({"unit": [1, 1], "coder": ["A", "B"], "code": ["a", "a"]})
    with pytest.raises(DataError, match="has no codings"):
        agreement_report(ok, multi_label=["stakeholders"])
    with pytest.raises(ValueError, match="confidence"):
        agreement_report(ok, confidence=1.5)
    with pytest.raises(DataError, match="no codings"):
        agreement_report(pd.DataFrame({"unit": [1], "coder": ["A"], "code": [None]}))


def test_units_one_of_two_coders_left_blank_are_counted_in_a_note():
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = ["x", "y", "y", None, "z", "x", "x", "z", "y", "x"]
    codings = pd.DataFrame(_long("level", {"A": a, "B": b}))
    report = agreement_report(codings, unit="segment", dimension="dimension")
    assert report.row("level")["n_units"] == 9  # s4 has one code: no pair to compare
    assert (
        "level: 1 unit(s) coded by one coder only were left out (a missing code means not "
        "coded; code 'none applies' explicitly)." in report.notes
    )
    assert sum("one coder only" in n for n in report.notes) == 1  # not again per category
    full = agreement_report(
        pd.DataFrame(_long("level", {"A": a, "B": a})), unit="segment", dimension="dimension"
    )
    assert not any("one coder only" in n for n in full.notes)


def _dominant_codings() -> pd.DataFrame:
    # 100 segments, code "x" from both coders on 90, "y" from both on 2, and 4 each way
    # in disagreement: the table [[90, 4], [4, 2]] of test_agreement_gwet's worked
    # example (kappa 0.2908, AC1 0.9098, PABAK 2·0.92 − 1 = 0.84)
    rows = []
    for u in range(100):
        a = "x" if u < 90 or 94 <= u < 98 else "y"
        b = "x" if u < 94 else "y"
        rows += [{"unit": u, "coder": "A", "code": a}, {"unit": u, "coder": "B", "code": b}]
    return pd.DataFrame(rows)


def test_report_adds_ac1_pabak_and_the_prevalence_paradox_note():
    from ihms.stats import gwet_ac1_from_table

    report = agreement_report(_dominant_codings())
    row = report.row("code")
    assert row["kappa"] == pytest.approx(0.0328 / 0.1128, abs=1e-12)
    ac1 = gwet_ac1_from_table([[90, 4], [4, 2]])
    assert row["ac1"] == pytest.approx(ac1.estimate, abs=1e-12)
    assert row["ac1_ci_low"] == pytest.approx(ac1.ci_low, abs=1e-12)
    assert row["pabak"] == pytest.approx(0.84, abs=1e-12)
    x = report.row("code", "x")
    # present first: a = 90 (both x), d = 2; PI = (90 − 2)/100; b = c = 4, BI = 0
    assert x["prevalence_index"] == pytest.approx(0.88, abs=1e-12)
    assert x["bias_index"] == pytest.approx(0.0, abs=1e-12)
    assert report.row("code", "y")["prevalence_index"] == pytest.approx(-0.88, abs=1e-12)
    assert any("code: kappa 0.29 despite 92% agreement" in n for n in report.notes)
    assert any("x (kappa 0.29" in n and "prevalence index +0.88" in n for n in report.notes)
    text = report.summary().to_text()
    assert "AC1" in text and "PABAK" in text and "kappa paradox" in text
    assert "alpha 95% low" not in text  # no bootstrap asked
    # no note where kappa is fine
    balanced = agreement_report(
        pd.DataFrame(
            {
                "unit": [1, 1, 2, 2, 3, 3, 4, 4],
                "coder": ["A", "B"] * 4,
                "code": ["x", "x", "y", "y", "x", "x", "y", "y"],
            }
        )
    )
    assert not any("paradox" in n for n in balanced.notes)


def test_report_ac1_with_three_coders_matches_gwet_ac1():
    from ihms.stats import brennan_prediger, gwet_ac1

    rows = []
    codes = [("a", "a", "a"), ("a", "b", "a"), ("b", "b", "b"), ("a", "a", None), ("c", "c", "b")]
    for u, triple in enumerate(codes):
        rows += [{"unit": u, "coder": c, "code": v} for c, v in zip("PQR", triple, strict=True)]
    report = agreement_report(pd.DataFrame(rows))
    wide = pd.DataFrame(codes, columns=list("PQR"))
    row = report.row("code")
    assert row["ac1"] == pytest.approx(gwet_ac1(wide).estimate, abs=1e-12)
    assert row["pabak"] == pytest.approx(brennan_prediger(wide).estimate, abs=1e-12)
    assert np.isnan(row["prevalence_index"])  # two coders only
    cat = report.row("code", "c")
    binary = wide.map(lambda v: None if v is None else int(v == "c"))
    assert cat["ac1"] == pytest.approx(gwet_ac1(binary, categories=[1, 0]).estimate, abs=1e-12)


def test_report_bootstrap_columns_reproducible_and_match_the_function():
    from ihms.stats import krippendorff_alpha_bootstrap

    codings = _dominant_codings()
    a = agreement_report(codings, n_boot=200, seed=5, alpha_minimum=0.8)
    b = agreement_report(codings, n_boot=200, seed=5, alpha_minimum=0.8)
    pd.testing.assert_frame_equal(a.table, b.table)
    wide = codings.pivot(index="unit", columns="coder", values="code")
    ref = krippendorff_alpha_bootstrap(wide, n_boot=200, seed=5, minimums=(0.8,))
    row = a.row("code")
    assert (row["alpha_ci_low"], row["alpha_ci_high"]) == pytest.approx((ref.ci_low, ref.ci_high))
    assert row["alpha_p_below"] == pytest.approx(ref.prob_below[0])
    text = a.summary().to_text()
    assert "P(alpha<0.8)" in text and "200 bootstrap resamples of units, seed 5" in text
    assert a.to_dict()["bootstrap"] == {"n_boot": 200, "seed": 5, "alpha_minimum": 0.8}
    assert np.isnan(agreement_report(codings).row("code")["alpha_ci_low"])
    # a count from numpy is a whole number too
    c = agreement_report(codings, n_boot=np.int64(200), seed=5)
    assert c.row("code")["alpha_ci_low"] == a.row("code")["alpha_ci_low"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_boot": 1}, "n_boot"),
        ({"n_boot": -5}, "n_boot"),
        ({"alpha_minimum": 2}, "alpha_minimum"),
        ({"n_boot": 20, "seed": -1}, "parameter 'seed': expected a whole number >= 0"),
    ],
)
def test_report_bad_bootstrap_options(kwargs, match):
    with pytest.raises(InputError, match=match):
        agreement_report(_dominant_codings(), **kwargs)


def test_codes_coders_and_units_written_with_blanks_or_full_width_are_one_value():
    # coder B's sheet left a trailing (full-width) space after each code and in a unit
    # id, and wrote one coder name in full-width letters: "x　" was a category of its
    # own, so every unit disagreed (kappa 0 instead of the statsmodels value below) with
    # exit 0, and "Ｂ" a third coder
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = ["x", "y", "y", "y", "z", "x", "x", "z", "y", "x"]
    rows = _long(
        "level", {"A": a, "B": [f"{c}\u3000" if i % 2 else f"{c} " for i, c in enumerate(b)]}
    )
    rows[10]["segment"] = "s1 "
    rows[11]["coder"] = "Ｂ"
    report = agreement_report(pd.DataFrame(rows), unit="segment", dimension="dimension")
    row = report.row("level")
    assert (row["n_units"], row["n_coders"]) == (10, 2)
    assert row["kappa"] == pytest.approx(cohens_kappa(a, b).kappa, rel=1e-12)
    assert list(report.category_rows()["category"]) == ["x", "y", "z"]
    # multi-label parts too: "x；y　" is {x, y}
    multi = pd.DataFrame(_long("tools", {"A": ["x;y"] * 3, "B": ["x；y\u3000", " y ;x", "x;y"]}))
    report = agreement_report(multi, unit="segment", dimension="dimension", multi_label=True)
    assert report.row("tools")["percent_agreement"] == pytest.approx(100.0)


def test_a_wide_table_one_column_per_coder_is_told_how_to_read_it():
    # a coder sheet as SPSS users keep it (unit, coder A, coder B): the message listed
    # the missing columns without saying the table was the other way round; it is read
    # with `coders` (tests/stats/test_agreement_wide.py)
    wide = pd.DataFrame({"segment": ["s1", "s2"], "甲": ["x", "y"], "乙": ["x", "x"]})
    with pytest.raises(DataError) as err:
        agreement_report(wide, unit="segment")
    assert str(err.value).split("\n")[0] == (
        "codings: missing column(s) coder, code; the table has segment, 甲, 乙 "
        "(one column per coder? read it so with coders=['甲', '乙'] (`ihms agreement --coders "
        "甲,乙`); else the table needs one row per unit and coder, with columns 'segment', "
        "'coder' and 'code')"
    )


def test_each_row_says_the_units_its_kappa_used_and_fleiss_drops_are_noted_once():
    """C left s4 blank: every unit is coded by two or more (n_units 10), but Fleiss'
    kappa is computed on the 9 all three coded (listwise, as irr::kappam.fleiss) — for
    the dimension and each of its categories alike, so one note says it for all. With
    two coders Cohen's kappa uses the n_units coded by both."""
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = ["x", "y", "y", "y", "z", "x", "x", "z", "y", "x"]
    c = ["x", "x", "y", None, "z", "x", "y", "z", "y", "x"]
    codings = pd.DataFrame(_long("level", {"A": a, "B": b, "C": c}))
    report = agreement_report(codings, unit="segment", dimension="dimension")
    assert report.table["n_units"].tolist() == [10] * 4
    assert report.table["kappa_units"].tolist() == [9] * 4
    assert report.fleiss_left_out == (("level", 1),)
    left_out = [n for n in report.notes if "Fleiss' kappa left out" in n]
    assert left_out == [
        "level: Fleiss' kappa left out 1 unit(s) not every coder coded, for the whole code "
        "and each category."
    ]
    two = agreement_report(
        pd.DataFrame(_long("level", {"A": a, "B": c})), unit="segment", dimension="dimension"
    )
    assert two.table["kappa_units"].tolist() == two.table["n_units"].tolist() == [9] * 4
    assert two.fleiss_left_out == ()


def _no_unit_coded_by_all_three_in_level() -> pd.DataFrame:
    """Dimension ``level``: A, B and C each left a different third of the units blank;
    dimension ``other``: all three coded every unit."""
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = ["x", "y", "y", "y", "z", "x", "x", "z", "y", "x"]

    def gap(codes, k):
        return [None if i % 3 == k else v for i, v in enumerate(codes)]

    return pd.DataFrame(
        _long("level", {"A": gap(a, 0), "B": gap(b, 1), "C": gap(a, 2)})
        + _long("other", {"A": a, "B": b, "C": a})
    )


def test_no_unit_coded_by_every_coder_is_noted_once_per_dimension():
    """Three coders each left a different third of the units blank: no unit has all
    three codes, so Fleiss' kappa is missing for the dimension and for each category's
    present/absent table alike (the same units are missing in both). One note says it
    for the dimension, and the report keeps the dimension in ``fleiss_missing``; alpha,
    which takes any two codes of a unit, is still computed."""
    codings = _no_unit_coded_by_all_three_in_level()
    report = agreement_report(codings, unit="segment", dimension="dimension")
    missing = [n for n in report.notes if "coded by every coder" in n]
    assert missing == [
        "level: no unit was coded by every coder, so Fleiss' kappa is missing, for the "
        "whole code and each category."
    ]
    assert report.fleiss_missing == ("level",)
    level = report.table[report.table["dimension"] == "level"]
    assert level["kappa"].isna().all() and level["kappa_units"].eq(0).all()
    assert np.isfinite(report.row("level")["alpha"])
    assert report.fleiss_left_out == ()


def test_no_unit_coded_by_two_coders_is_noted_once_per_dimension():
    """A coded s1–s5 and B s6–s10: no unit has two codes, for the dimension and its
    categories alike — one note, not one more per category."""
    a = ["x", "x", "y", "y", "z", None, None, None, None, None]
    b = [None, None, None, None, None, "x", "x", "z", "y", "x"]
    codings = pd.DataFrame([r for r in _long("level", {"A": a, "B": b}) if r["code"]])
    report = agreement_report(codings, unit="segment", dimension="dimension")
    assert report.notes == ("level: no unit was coded by two coders.",)
    assert report.table["n_units"].eq(0).all() and report.table["kappa"].isna().all()


def test_three_coders_units_one_coder_coded_are_noted_apart_from_fleiss_drops():
    """A alone coded s1, A and B alone s2. s1 is in no statistic (n_units 9), as with
    two coders, and is said so; Fleiss' kappa left out s2 as well (kappa_units 8), so its
    note counts that one unit — the note counted s1 too (2), which the table's
    n_units − kappa_units (1) contradicted. A multi-label dimension's whole codes are
    code sets, and the note says so."""
    a = ["x", "x", "y", "y", "z", "x", "y", "z", "z", "x"]
    b = [None, "y", "y", "y", "z", "x", "x", "z", "y", "x"]
    c = [None, None, "y", "y", "z", "x", "y", "z", "y", "x"]
    codings = pd.DataFrame(_long("level", {"A": a, "B": b, "C": c}))
    report = agreement_report(codings, unit="segment", dimension="dimension")
    row = report.row("level")
    assert (row["n_units"], row["kappa_units"]) == (9, 8)
    assert report.fleiss_left_out == (("level", 1),)
    assert report.notes == (
        "level: 1 unit(s) coded by one coder only were left out (a missing code means not "
        "coded; code 'none applies' explicitly).",
        "level: Fleiss' kappa left out 1 unit(s) not every coder coded, for the whole code "
        "and each category.",
    )
    sets = agreement_report(
        codings.assign(dimension="tools"), unit="segment", dimension="dimension", multi_label=True
    )
    assert sets.notes[1] == (
        "tools: Fleiss' kappa left out 1 unit(s) not every coder coded, for the whole code "
        "set and each category."
    )


def test_the_mean_kappa_says_over_how_many_dimensions_when_one_has_none():
    """``level`` has no Fleiss' kappa (no unit coded by all three); the mean over
    dimensions skips it, so it is ``other``'s kappa alone — the note says so rather than
    call it the mean over dimensions."""
    codings = _no_unit_coded_by_all_three_in_level()
    report = agreement_report(codings, unit="segment", dimension="dimension")
    other = report.row("other")["kappa"]
    assert report.mean_kappa == pytest.approx(other)
    assert (
        f"Mean kappa over dimensions: {other:.3f} (the 1 of 2 with a kappa)."
        in report.summary().notes
    )


def test_the_bootstrap_note_says_the_intervals_level_and_kind():
    """The narrow table heads alpha's interval "α lo" / "α hi", without its level; the
    note said the resamples and seed but not that the interval is a percentile one at
    the report's confidence — ``ihms policy agreement``'s note says both."""
    report = agreement_report(_dominant_codings(), n_boot=50, seed=2, confidence=0.9)
    assert (
        "alpha interval and P(alpha<0.667): 50 bootstrap resamples of units, seed 2, 90% "
        "percentile interval." in report.summary().notes
    )


def test_a_dimension_without_variation_says_why_kappa_is_undefined():
    """Both coders gave every unit the same code set: the note said "no variation:
    kappa/alpha undefined" (two colons, variation of what?); it says what the coders
    did, once, and the category's note says the same of its one category."""
    codings = pd.DataFrame(_long("tools", {"A": ["a;b"] * 4, "B": ["a;b"] * 4}))
    report = agreement_report(codings, unit="segment", dimension="dimension", multi_label=True)
    assert report.notes == (
        "tools: kappa/alpha undefined, every coder gave every unit the same answer.",
        "tools: kappa/alpha undefined for 2 categories that every coder used everywhere or "
        "nowhere.",
    )
