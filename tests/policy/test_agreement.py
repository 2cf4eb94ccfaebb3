import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms._words import TERMS
from ihms.errors import InputError
from ihms.policy.agreement import agreement_table, coder_agreement
from ihms.policy.coding import import_codings

from .conftest import EXAMPLES


def _present(path, column, category):
    frame = pd.read_excel(path, dtype=str, keep_default_na=False).set_index("segment_id")
    return frame[column].map(lambda cell: int(category in [x.strip() for x in cell.split(";")]))


def test_category_kappa_matches_sklearn_on_the_example_sheets(coded_project):
    report = coder_agreement(coded_project)
    # Reference: scikit-learn's Cohen's kappa on the two sheets read directly (coder A
    # writes English names, coder B Chinese ones).
    a = _present(EXAMPLES / "codings" / "coder_a.xlsx", "Stakeholders", "Governments")
    b = _present(EXAMPLES / "codings" / "coder_b.xlsx", "利益相关者", "政府").reindex(a.index)
    expected = cohen_kappa_score(a, b)
    assert report.row("stakeholders", "governments")["kappa"] == pytest.approx(expected, rel=1e-9)
    assert report.row("tools")["basis"] == "code set"
    assert 0.5 < report.mean_kappa < 0.9


def test_the_prevalence_paradox_note_names_what_the_table_names(coded_project):
    # On the example sheets technical_support has kappa 0.52 at 95 % agreement (the
    # demo's table; the kappas themselves are checked against scikit-learn above — this
    # test is about names): the report's note names it by key, the table's by its label.
    report = coder_agreement(coded_project)
    assert any("tools: low kappa" in n and "technical_support (" in n for n in report.notes)
    for lang, paradox_words, start, cat in (
        ("en", "kappa paradox", "Policy tools: low kappa", "— Technical support (kappa 0.52"),
        (
            "zh",
            f"（{TERMS['zh']['kappa paradox']}）",
            f"政策工具：{TERMS['zh']['percent agreement']}高而 κ 低",
            "——技术支持（κ 0.52",
        ),
    ):
        notes = agreement_table(report, coded_project.codebook(), lang=lang).notes
        paradox = [n for n in notes if paradox_words in n]
        assert len(paradox) == 1
        assert paradox[0].startswith(start) and cat in paradox[0]
        assert not any("technical_support" in n for n in notes)


def test_single_label_dimension_and_none_answers(project):
    segs = list(project.segments()["id"][:6])
    a = [
        "Healthy China",
        "Healthy China",
        "Smart health care",
        "-",
        "Healthy community",
        "Healthy China",
    ]
    b = [
        "Healthy China",
        "Smart health care",
        "Smart health care",
        "-",
        "Healthy community",
        "Healthy China",
    ]
    for coder, answers in (("a", a), ("b", b)):
        frame = pd.DataFrame({"segment_id": segs, "orientation": answers})
        import_codings(project, frame, coder=coder)
    report = coder_agreement(project, dimensions=["orientation"])
    row = report.row("orientation")
    assert row["basis"] == "code" and row["n_units"] == 6
    # Reference: scikit-learn on the same answers ("-" as its own category).
    assert row["kappa"] == pytest.approx(cohen_kappa_score(a, b), rel=1e-9)
    table = agreement_table(report, project.codebook(), lang="zh")
    assert table.frame["维度 / 类目"].iloc[0] == "政策导向"
    # "-" (coded, nothing applies) is a category of its own: 无 in Chinese
    assert "  （无）" in list(table.frame["维度 / 类目"])
    assert "  (none)" in list(agreement_table(report, project.codebook()).frame.iloc[:, 0])


def test_needs_two_coders(project):
    with pytest.raises(InputError, match="at least two coders"):
        coder_agreement(project)
    with pytest.raises(InputError, match="unknown coder"):
        coder_agreement(project, coders=["x", "y"])


def test_three_coders_use_fleiss_and_alpha(coded_project):
    import krippendorff
    import numpy as np

    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    # A third coder who agrees with coder A except on the first 20 paragraphs' stakeholders.
    frame.loc[:19, "Stakeholders"] = "Residents"
    import_codings(coded_project, frame, coder="coder_c")
    report = coder_agreement(coded_project)
    row = report.row("stakeholders", "residents")
    assert row["statistic"] == "Fleiss" and row["n_coders"] == 3
    # Reference: the krippendorff package on the same present/absent data (coders × units).
    sheets = {
        "coder_a": _present(EXAMPLES / "codings" / "coder_a.xlsx", "Stakeholders", "Residents"),
        "coder_b": _present(EXAMPLES / "codings" / "coder_b.xlsx", "利益相关者", "居民"),
        "coder_c": frame.set_index("segment_id")["Stakeholders"].map(
            lambda c: int("Residents" in c)
        ),
    }
    units = sheets["coder_a"].index
    data = np.array(
        [sheets[c].reindex(units).to_numpy(dtype=float) for c in ("coder_a", "coder_b", "coder_c")]
    )
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert row["alpha"] == pytest.approx(expected, rel=1e-9)


def test_a_coder_agrees_perfectly_with_a_copy_of_itself(project):
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(project, frame, coder="original")
    import_codings(project, frame, coder="copy")
    report = coder_agreement(project)
    dims = report.dimension_rows()
    assert (dims["kappa"] == 1).all() and (dims["percent_agreement"] == 100).all()
    assert report.mean_kappa == 1


def test_dimensions_the_codebook_lacks_come_last_each_with_its_own_rows():
    # two dimensions outside the codebook: each keeps its row above its categories
    # (the dimension row sorted as the string "None" among them before)
    from ihms.policy.codebook import load_codebook
    from ihms.stats.agreement import agreement_report

    rows = [
        {"unit": u, "coder": c, "dimension": dim, "code": "x" if u % k else "y"}
        for dim in ("zz", "aa")
        for u in range(6)
        for c, k in (("a", 2), ("b", 3))
    ]
    report = agreement_report(
        pd.DataFrame(rows), unit="unit", coder="coder", code="code", dimension="dimension"
    )
    table = agreement_table(report, load_codebook("6d")).frame
    assert table["dimension / category"].tolist() == ["aa", "  x", "  y", "zz", "  x", "  y"]


def test_each_statistic_says_how_many_units_it_used(coded_project):
    """A third coder who coded the first 150 paragraphs only: the table said ``units``
    212 (segments two coders coded) beside a Fleiss' kappa computed on fewer, those all
    three coded. A ``kappa units`` column now says so. Reference: statsmodels'
    ``fleiss_kappa`` on the 150 complete paragraphs (present/absent of Residents)."""
    import numpy as np
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    partial = frame.iloc[:150].copy()
    partial.loc[:19, "Stakeholders"] = "Residents"
    import_codings(coded_project, partial, coder="coder_c")
    report = coder_agreement(coded_project)
    row = report.row("stakeholders", "residents")
    assert row["statistic"] == "Fleiss" and row["n_units"] == len(frame)
    assert row["kappa_units"] == 150
    sheets = [
        _present(EXAMPLES / "codings" / "coder_a.xlsx", "Stakeholders", "Residents"),
        _present(EXAMPLES / "codings" / "coder_b.xlsx", "利益相关者", "居民"),
        partial.set_index("segment_id")["Stakeholders"].map(lambda c: int("Residents" in c)),
    ]
    units = sheets[2].index
    data = np.column_stack([s.reindex(units).to_numpy(dtype=int) for s in sheets])
    assert row["kappa"] == pytest.approx(fleiss_kappa(aggregate_raters(data)[0]), rel=1e-9)
    shown = agreement_table(report, coded_project.codebook())
    left_out = [n for n in shown.notes if "Fleiss' kappa left out" in n]
    # one note per dimension (62 = 212 - 150), not one per category as well, naming it
    # and its whole set as the table does
    assert sorted(left_out) == [
        f"{dim}: Fleiss' kappa left out 62 segment(s) not every coder coded, for the whole "
        "set and each category (kappa units)."
        for dim in ("Policy tools", "Stakeholders")
    ]
    table = shown.frame
    residents = table[table["dimension / category"] == "  Residents"].iloc[0]
    assert residents["units"] == len(frame) and residents["kappa units"] == 150
    two = agreement_table(coder_agreement(coded_project, coders=["coder_a", "coder_b"]),
                          coded_project.codebook()).frame  # fmt: skip
    assert "kappa units" not in two  # Cohen's kappa uses the units coded by both: one count


def test_no_segment_coded_by_every_coder_is_noted_once_per_dimension(coded_project):
    """coder_c coded the first 100 paragraphs and coder_d the rest: with coder_a, every
    paragraph has two coders' answers but none all three, so Fleiss' kappa is missing
    for every dimension and each of its categories. The table says so once per
    dimension, in its own words (segments, the whole answer), not once per category."""
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(coded_project, frame.iloc[:100].copy(), coder="coder_c")
    import_codings(coded_project, frame.iloc[100:].copy(), coder="coder_d")
    report = coder_agreement(coded_project, coders=["coder_a", "coder_c", "coder_d"])
    assert report.table["kappa"].isna().all() and report.table["kappa_units"].eq(0).all()
    assert sorted(report.fleiss_missing) == ["stakeholders", "tools"]
    shown = agreement_table(report, coded_project.codebook())
    missing = [n for n in shown.notes if "Fleiss' kappa is missing" in n]
    assert sorted(missing) == [
        f"{dim}: no segment was coded by every coder, so Fleiss' kappa is missing, for the "
        "whole set and each category."
        for dim in ("Policy tools", "Stakeholders")
    ]
    # no dimension has a kappa: no average of none (it printed "nan")
    assert not any(n.startswith("Mean kappa") for n in shown.notes)


def test_segments_one_coder_coded_are_noted_and_fleiss_counts_agree_with_the_table(
    coded_project,
):
    """coder_c coded paragraphs 1–100 and coder_d 51–150; with coder_a (all 212), 62
    paragraphs have coder_a's answer alone, 100 two coders' and 50 all three. The note
    said Fleiss' kappa left out 162 segments beside units 150 and kappa units 50, and
    nothing said the 62 were in no statistic; it named the dimension by its key where
    the table and the paradox note name it by its label."""
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(coded_project, frame.iloc[:100].copy(), coder="coder_c")
    import_codings(coded_project, frame.iloc[50:150].copy(), coder="coder_d")
    report = coder_agreement(coded_project, coders=["coder_a", "coder_c", "coder_d"])
    assert set(report.table["n_units"]) == {150} and set(report.table["kappa_units"]) == {50}
    shown = agreement_table(report, coded_project.codebook())  # in Chinese: test_agreement_lang
    said = [n for n in shown.notes if "segment(s)" in n or "rests on only" in n]
    # 50 of 150 is under half: the note says so and names who left the gaps
    assert sorted(said) == [
        note
        for label in sorted(["Policy tools", "Stakeholders"])
        for note in (
            f"{label}: 62 segment(s) coded by one coder only were left out.",
            f"{label}: Fleiss' kappa rests on only 50 of the 150 segments, those every coder "
            "coded (coder_c coded 100, coder_d coded 100), for the whole set and each category "
            "(kappa units): it says little, nor does a mean kappa over it. Name coders who "
            "coded the same segments (--coders), or read Krippendorff's alpha, which takes every "
            "segment two or more coders coded (missing codes allowed).",
        )
    ]


def test_report_follows_the_codebook_and_the_coders_as_named(coded_project):
    """The report listed dimensions in the order their keys sort (stakeholders before
    tools) and coders as they first turned up among the segments, so the notes ran
    opposite to the table (the codebook's order) and ``--coders coder_b,coder_a``
    printed "Coders: coder_a, coder_b"."""
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(coded_project, frame.iloc[50:150].copy(), coder="coder_c")
    report = coder_agreement(coded_project, coders=["coder_c", "coder_b", "coder_a"])
    assert report.dimensions == ("tools", "stakeholders")
    assert report.coders == ("coder_c", "coder_b", "coder_a")
    notes = agreement_table(report, coded_project.codebook()).notes
    assert "Coders: coder_c, coder_b, coder_a." in notes
    left_out = [n.split(":")[0] for n in notes if "segment(s)" in n or "rests on only" in n]
    assert left_out == ["Policy tools", "Stakeholders"]


def test_every_note_names_the_dimension_as_the_table_does():
    """Both coders gave every segment the same one tool: kappa and alpha are undefined,
    and the report's notes say so by the dimension's key (``tools``) where the table
    says "Policy tools" (or 政策工具)."""
    from ihms.policy.codebook import load_codebook
    from ihms.stats.agreement import agreement_report

    rows = [
        {"unit": u, "coder": c, "dimension": "tools", "code": "policy_promotion"}
        for u in range(6)
        for c in ("a", "b")
    ]
    report = agreement_report(
        pd.DataFrame(rows), unit="unit", coder="coder", code="code", dimension="dimension"
    )
    assert report.notes == (
        "tools: kappa/alpha undefined, every coder gave every unit the same answer.",
        "tools: kappa/alpha undefined for 1 category that every coder used everywhere or nowhere.",
    )
    shown = agreement_table(report, load_codebook("6d"), lang="zh").notes
    assert [n for n in shown if "无定义" in n] == [
        "政策工具：每名编码员对每个片段给出相同答案，κ/α 无定义。",
        "政策工具：1 个类目被每名编码员在所有片段都选用或都未选用，κ/α 无定义。",
    ]
    shown = agreement_table(report, load_codebook("6d")).notes
    assert [n for n in shown if "undefined" in n] == [
        "Policy tools: kappa/alpha undefined, every coder gave every unit the same answer.",
        "Policy tools: kappa/alpha undefined for 1 category that every coder used everywhere "
        "or nowhere.",
    ]
