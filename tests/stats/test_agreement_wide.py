"""The agreement report from a wide table — one row per unit (and dimension), one column
per coder, as SPSS, Stata and Excel users keep their codings — gives what the long table
of the same codings gives (a user walk: only the long layout was read)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.stats import agreement_report

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4
# observers (A-D) and 12 units, "" where an observer gave no value; nominal alpha 0.743
KRIPPENDORFF_2011 = """unit,A,B,C,D
1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,3,,
"""


def _long_text(wide_text: str) -> str:
    """The same codings, one row per unit and coder (the empty cells left out)."""
    header, *rows = wide_text.strip().split("\n")
    coders = header.split(",")[1:]
    lines = ["unit,coder,code"]
    for row in rows:
        unit, *codes = row.split(",")
        lines += [f"{unit},{c},{v}" for c, v in zip(coders, codes, strict=True) if v]
    return "\n".join(lines) + "\n"


def test_the_wide_and_the_long_layout_give_the_same_report():
    wide = pd.read_csv(io.StringIO(KRIPPENDORFF_2011), dtype=str)
    long = pd.read_csv(io.StringIO(_long_text(KRIPPENDORFF_2011)), dtype=str)
    got = agreement_report(wide, coders=["A", "B", "C", "D"])
    want = agreement_report(long)
    pd.testing.assert_frame_equal(got.table, want.table)
    row = got.row("code")
    # the published nominal alpha of the worked example; units 1-11 hold two or more
    # values (pairable), unit 12 one
    assert round(row["alpha"], 3) == 0.743
    assert (row["n_units"], row["n_coders"]) == (11, 4)


def test_a_wide_table_by_dimension_matches_its_long_table():
    wide = pd.DataFrame(
        {
            "segment": ["s1", "s1", "s2", "s2", "s3", "s3"],
            "dimension": ["tools", "level"] * 3,
            "甲": ["a;b", "county", "b", "county", "c", "province"],
            "乙": ["a", "county", "b", None, "c；a", "province"],
        }
    )
    long = wide.melt(["segment", "dimension"], var_name="coder", value_name="code").dropna()
    options = {"unit": "segment", "dimension": "dimension", "multi_label": ["tools"]}
    got = agreement_report(wide, coders=["甲", "乙"], **options)
    want = agreement_report(long, **options)
    pd.testing.assert_frame_equal(got.table, want.table)
    assert got.coders == want.coders == ("甲", "乙")


def test_a_wide_tables_problems_name_its_own_rows_and_columns():
    wide = pd.DataFrame({"unit": ["u1", None, "u1"], "coder_a": ["x", "y", "y"], "b": list("xyz")})
    with pytest.raises(DataError) as err:
        agreement_report(wide, coders=["coder_a", "b"], source="sheet.csv")
    assert err.value.problems == [
        "column 'unit' of sheet.csv row 3: expected a value, got an empty cell",
        "sheet.csv row 4: coder 'coder_a' coded unit 'u1' twice in dimension 'code' (first "
        "in row 2: 'x', again: 'y')",
        "sheet.csv row 4: coder 'b' coded unit 'u1' twice in dimension 'code' (first in row "
        "2: 'x', again: 'z')",
    ]
    with pytest.raises(DataError, match=r"missing column\(s\) coder_b;") as err:
        agreement_report(wide, coders=["coder_a", "coder_b"], source="sheet.csv")
    assert "did you mean 'coder_a'?" in err.value.problems[0]
    with pytest.raises(InputError, match="parameter 'coders': expected at least 2"):
        agreement_report(wide, coders=["b"])
    with pytest.raises(InputError, match="parameter 'coders': 'b' named twice"):
        agreement_report(wide, coders=["b", "b"])


def test_a_wide_table_with_a_dimension_column_is_told_both():
    wide = pd.DataFrame({"unit": ["u1"], "dimension": ["tools"], "a": ["x"], "b": ["x"]})
    with pytest.raises(DataError) as err:
        agreement_report(wide)
    assert "read it so with coders=['a', 'b'], dimension='dimension' (`ihms agreement " in str(
        err.value
    )
    assert "--coders a,b --dimension dimension`)" in str(err.value)


def test_labels_alike_but_for_case_are_named_as_twins_not_the_prevalence_paradox():
    """Session 19 review F5: S7 coded 'Medical payment' and 'medical payment' became two
    categories of kappa 0 each, and the note blamed the kappa paradox. They stay
    apart (a coder's case may mean something), named as label_twins; the paradox note
    is for categories that are one label. The whole-code kappa is unchanged: 0.660, as
    the review checked by hand (6 of 8 units agree)."""
    text = (
        "段落,维度,甲,乙\nS1,tools,医保支付,医保支付 \nS2,tools,人才建设,人才建设\n"
        "S3,tools,信息支持,信息支持\nS4,tools,医保支付,医保支付\nS5,tools,人才建设,信息支持\n"
        "S6,tools,信息支持,信息支持\nS7,tools,Medical payment,medical payment\n"
        "S8,tools,医保支付,医保支付\n"
    )
    data = pd.read_csv(io.StringIO(text), dtype=str)
    report = agreement_report(data, unit="段落", dimension="维度", coders=["甲", "乙"])
    assert round(report.table.loc[0, "kappa"], 3) == 0.660
    twins = [n for n in report.notes if "label_twins" in n]
    assert len(twins) == 1
    assert "'Medical payment' and 'medical payment'" in twins[0]
    assert "case or spaces" in twins[0]
    paradox = [n for n in report.notes if "kappa paradox" in n]
    assert not any("edical payment" in n for n in paradox), paradox


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_rows_of_one_unit_from_different_dimensions_are_not_pooled_silently(layout):
    # a user walk (review of session 32): codings_long.csv without dimension= gave a
    # mean kappa of 0.486 — tools and stakeholders pooled into one code set — and
    # 0.660 (the README's figure) with it
    folder = "examples/policies/codings"
    if layout == "long":
        codings = pd.read_csv(f"{folder}/codings_long.csv")
        kw: dict = {}
    else:
        codings = pd.read_csv(f"{folder}/codings_wide.csv")
        kw = {"coders": ["coder_a", "coder_b"]}
    with pytest.raises(InputError, match="differ in column 'dimension'") as caught:
        agreement_report(codings, unit="segment", multi_label=True, **kw)
    assert "dimension='dimension'" in str(caught.value)
    assert "--dimension dimension" in str(caught.value)
    report = agreement_report(
        codings, unit="segment", dimension="dimension", multi_label=True, **kw
    )
    assert round(report.mean_kappa, 3) == 0.660


def test_rows_of_one_unit_combined_when_no_other_column_differs():
    # one row per code, as coding tools export them, and a column alike in both rows
    codings = pd.DataFrame(
        {
            "unit": [1, 1, 1, 2, 2],
            "document": ["d1"] * 3 + ["d2"] * 2,
            "coder": ["A", "A", "B", "A", "B"],
            "code": ["x", "y", "x;y", "z", "z"],
        }
    )
    report = agreement_report(codings, multi_label=True)
    assert report.row("code")["percent_agreement"] == 100.0
