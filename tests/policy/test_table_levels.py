"""Policy levels in the 2D tables: a county document is no provincial or municipal one,
and a level without texts is no column (session 21, user review A, finding 1).

Hand-counted corpus (ten texts, one orientation and one tool each):

========== ===== ======================= ====================
level      texts graded diagnosis        medical association
========== ===== ======================= ====================
national   4     1                       3
provincial 3     1                       2
municipal  1     0                       1
county     2     1                       1
========== ===== ======================= ====================

Every text carries the tool talent construction. Seed 000's Table 8 (orientation ×
level, column %) then has National level (n=4): 1/4 = 25.0 %, 3/4 = 75.0 %;
Provincial and municipal level (n=3+1=4): 25.0 %, 75.0 %; County level (n=2): 1/2 =
50.0 % each; and no Shanghai column (no Shanghai text). Table 7 (tools × level, row %):
talent construction (n=10) 4 (40.00) | 4 (40.00) | 2 (20.00).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms.policy.codebook import load_codebook
from ihms.policy.table_specs import SEED000_TABLES
from ihms.policy.tables import crosstab_table

LEVELS = {"national": (1, 3), "provincial": (1, 2), "municipal": (0, 1), "county": (1, 1)}
SPEC = {s.name: s for s in SEED000_TABLES}


@dataclass(frozen=True)
class _Data:
    long: pd.DataFrame
    codebook: object
    source: str = "test"


def _data() -> _Data:
    rows, i = [], 0
    for level, (graded, association) in LEVELS.items():
        for orientation in ["graded_diagnosis"] * graded + ["medical_association"] * association:
            seg = f"s{i}"
            rows += [(seg, level, "level", level), (seg, level, "orientation", orientation),
                     (seg, level, "tools", "talent_construction")]  # fmt: skip
            i += 1
    long = pd.DataFrame(rows, columns=["segment_id", "doc_id", "dimension", "value"])
    return _Data(long, load_codebook("6d"))


def _table(name: str, lang: str = "en", **extra):
    spec = SPEC[name]
    return crosstab_table(_data(), spec.rows, spec.cols, lang=lang, **{**spec.options, **extra})


def test_table8_keeps_county_apart_and_leaves_out_an_empty_shanghai():
    t = _table("table8")
    assert t.header[1:] == (
        "National level (n=4), n (%)",
        "Provincial and municipal level (n=4), n (%)",
        "County level (n=2), n (%)",
    )
    assert t.cell("Graded diagnosis and treatment", "County level (n=2), n (%)") == "1 (50.0)"
    assert t.cell("Medical association", "Provincial and municipal level (n=4), n (%)") == (
        "3 (75.0)"
    )
    assert (
        "Provincial and municipal level combines Provincial level (n=3) and Municipal level (n=1)."
        in t.notes
    )
    assert "Shanghai: no texts; left out of the table." in t.notes
    # an orientation without texts is a row of N/A, as before: only columns are left out
    assert [r[0] for r in t.rows] == [
        "Graded diagnosis and treatment",
        "Healthy community",
        "Healthy China",
        "Medical association",
        "Smart health care",
    ]


def test_table7_row_percentages_with_a_county_column():
    t = _table("table7")
    assert t.header[1:] == (
        "National level, n (%)",
        "Provincial and municipal level, n (%)",
        "County level, n (%)",
    )
    row = next(r for r in t.rows if r[0] == "Talent construction (n=10)")
    assert row[2] == ("4 (40.00)", "4 (40.00)", "2 (20.00)")
    # tools count codings: the merged column's note counts them too
    assert any(
        n.startswith("Provincial and municipal level combines Provincial level (n=3)")
        for n in t.notes
    )


def test_show_empty_keeps_the_shanghai_column():
    t = _table("table8", show_empty=True)
    assert "Shanghai (n=0), n (%)" in t.header
    assert not any("left out" in n for n in t.notes)


def test_table8_in_chinese_names_the_folded_levels():
    t = _table("table8", lang="zh")
    assert t.header[1:] == ("国家级（n=4），频数（占比 %）", "省市级（n=4），频数（占比 %）",
                            "县级（n=2），频数（占比 %）")  # fmt: skip
    assert "省市级包括省级（n=3）和市级（n=1）。" in t.notes
    assert "上海：无文本，未列入表中。" in t.notes


def _without_municipal() -> _Data:
    data = _data()
    long = data.long
    gone = long.loc[(long["dimension"] == "level") & (long["value"] == "municipal"), "segment_id"]
    return _Data(long[~long["segment_id"].isin(gone)], data.codebook)


def _table_without_municipal(name: str, lang: str = "en"):
    spec = SPEC[name]
    return crosstab_table(_without_municipal(), spec.rows, spec.cols, lang=lang, **spec.options)


def test_merged_column_without_municipal_texts_is_named_provincial():
    # the corpus above without its one municipal text: the merged column holds the
    # three provincial texts alone (graded 1, association 2 of 3)
    t = _table_without_municipal("table8")
    assert t.header[1:] == (
        "National level (n=4), n (%)",
        "Provincial level (n=3), n (%)",
        "County level (n=2), n (%)",
    )
    assert t.cell("Medical association", "Provincial level (n=3), n (%)") == "2 (66.7)"
    assert not any("combines" in n for n in t.notes)
    assert "Municipal level: no texts; left out of the table." in t.notes
    t7 = _table_without_municipal("table7")
    assert t7.header[1:] == (
        "National level, n (%)",
        "Provincial level, n (%)",
        "County level, n (%)",
    )
    row = next(r for r in t7.rows if r[0] == "Talent construction (n=9)")
    assert row[2] == ("4 (44.44)", "3 (33.33)", "2 (22.22)")


def test_merged_column_without_municipal_texts_in_chinese():
    t = _table_without_municipal("table8", lang="zh")
    assert t.header[1:] == ("国家级（n=4），频数（占比 %）", "省级（n=3），频数（占比 %）",
                            "县级（n=2），频数（占比 %）")  # fmt: skip
    assert not any("省市级" in n for n in t.notes)
    assert "市级：无文本，未列入表中。" in t.notes
