"""Years in Tables 11 and 12 (session 21, user review A, finding 14): Table 11's fold
"2015 and before" names what it holds, so a study starting in 2015 prints "2015" in
Table 11 as Table 12 does.

Hand-made corpus: one text per year, each coded talent construction and graded
diagnosis; years 2015–2017 (and, for the fold, a 2013 text too).
"""

from __future__ import annotations

import pandas as pd

from ihms.policy.codebook import load_codebook
from ihms.policy.table_specs import SEED000_TABLES
from ihms.policy.tables import crosstab_table

from .test_table_levels import _Data

SPEC = {s.name: s for s in SEED000_TABLES}


def _data(years) -> _Data:
    rows = []
    for i, year in enumerate(years):
        seg = f"s{i}"
        rows += [(seg, f"d{year}", "year", year), (seg, f"d{year}", "tools", "talent_construction"),
                 (seg, f"d{year}", "orientation", "graded_diagnosis")]  # fmt: skip
    long = pd.DataFrame(rows, columns=["segment_id", "doc_id", "dimension", "value"])
    return _Data(long, load_codebook("6d"))


def _table(name: str, years, lang: str = "en"):
    spec = SPEC[name]
    return crosstab_table(_data(years), spec.rows, spec.cols, lang=lang, **spec.options)


def test_a_study_starting_in_2015_prints_2015_in_tables_11_and_12():
    t11 = _table("table11", [2015, 2016, 2017])
    assert t11.header[1:] == ("2015, n (%)", "2016, n (%)", "2017, n (%)")
    t12 = _table("table12", [2015, 2016, 2017])
    assert t12.header[1] == "2015 (n=1), n (%)"
    zh = _table("table11", [2015, 2016, 2017], lang="zh")
    assert zh.header[1] == "2015，频数（占比 %）"


def test_earlier_years_are_still_folded_into_2015_and_before():
    # 2013 and 2015: two texts in the fold; 2014 (no text) lies inside it too
    t = _table("table11", [2013, 2015, 2016])
    assert t.header[1:] == ("2015 and before, n (%)", "2016, n (%)")
    row = next(r for r in t.rows if r[0] == "Talent construction (n=3)")
    assert row[2] == ("2 (66.67)", "1 (33.33)")
    zh = _table("table11", [2013, 2015, 2016], lang="zh")
    assert zh.header[1] == "2015年及以前，频数（占比 %）"
