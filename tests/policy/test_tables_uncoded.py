"""Tables 1, 2, 5, 8, 10 and 12 (metadata dimensions only) count every text of the
included documents — Yu et al. 2024's n, all 1,345 paragraphs of its 152 documents —
so while coding is under way a note says how many of them are not coded yet, which the
tables of coded dimensions leave out (Table 1 said n=212 beside Table 3's 50 coded
texts without a word)."""

import pandas as pd

from ihms.policy.coding import import_codings
from ihms.policy.reconcile import coded_data
from ihms.policy.table_specs import build_tables

from .conftest import EXAMPLES


def _notes(tables, name):
    return next(t for t in tables if t.name == name).notes


def test_metadata_tables_say_how_many_texts_are_not_coded_yet(project):
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    import_codings(project, frame.iloc[:50].copy(), coder="coder_a")
    data = coded_data(project, source="coder_a")
    assert len(data.uncoded) == len(data.segments) - 50 == 162
    tables = build_tables(data)
    note = (
        "n counts every text of the included documents: 162 of these 212 are not coded yet, "
        "which the tables of coded dimensions (policy tools, stakeholders ...) leave out."
    )
    for name in ("table1", "table2", "table5", "table8", "table10", "table12"):
        assert note in _notes(tables, name), name
    for name in ("table3", "table4", "table6", "table7", "table9", "table11"):
        assert not any("not coded yet" in n for n in _notes(tables, name)), name
    zh = build_tables(data, lang="zh")
    assert any("其中 162 条（共 212 条）尚未编码" in n for n in _notes(zh, "table1"))


def test_a_wholly_coded_project_has_no_such_note(
    coded_project,
):
    data = coded_data(coded_project)
    assert data.uncoded == ()
    assert not any("not coded yet" in n for t in build_tables(data) for n in t.notes)
