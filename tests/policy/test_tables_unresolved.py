"""Tables built before every disagreement is decided leave the unresolved answers out:
each table of a coded dimension says how many in its notes, and a warning says so once
(a user walk, session 32: in a notebook Table 7 read n=250 instead of 401 with no word;
only ``ihms policy tables`` printed a line about it)."""

import sqlite3
import warnings

import pytest

from ihms.errors import IhmsWarning
from ihms.policy.coverage import coverage_table
from ihms.policy.reconcile import coded_data
from ihms.policy.table_specs import build_tables

CODED = ("table3", "table4", "table6", "table7", "table9", "table11")
METADATA = ("table1", "table2", "table5", "table8", "table10", "table12")


def _undecided(project):
    with sqlite3.connect(project.path) as db:
        db.execute("DELETE FROM decisions")
    data = coded_data(project)
    assert data.unresolved > 0
    return data


def test_every_table_of_a_coded_dimension_notes_the_unresolved_answers(coded_project):
    data = _undecided(coded_project)
    note = f"{data.unresolved:,} answers are unresolved (coders differ, no decision) and left out."
    with pytest.warns(IhmsWarning, match=f"{data.unresolved} answers are unresolved") as got:
        tables = {t.name: t for t in build_tables(data)}
    assert len([w for w in got if "unresolved" in str(w.message)]) == 1
    for name in CODED:
        assert note in tables[name].notes, name
    for name in METADATA:  # every text counted: nothing left out
        assert not any("unresolved" in n for n in tables[name].notes), name
    assert note in coverage_table(data).notes
    with pytest.warns(IhmsWarning):
        zh = {t.name: t for t in build_tables(data, lang="zh")}
    assert (
        f"{data.unresolved:,} 个答案未决（编码员意见不一且未裁决），未计入。" in zh["table7"].notes
    )


def test_a_reconciled_project_has_no_such_note_nor_warning(coded_project):
    data = coded_data(coded_project)
    assert data.unresolved == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", IhmsWarning)
        tables = build_tables(data)
    assert not any("unresolved" in n for t in tables for n in t.notes)


def test_project_agreement_is_found_where_the_other_policy_functions_are():
    # a user walk (session 32): the equivalent of `ihms policy agreement` was not
    # exported from ihms.policy, nor shown in the README's Python lines
    import ihms.policy
    from ihms.policy import agreement

    assert ihms.policy.coder_agreement is agreement.coder_agreement
    assert ihms.policy.agreement_table is agreement.agreement_table
    assert {"coder_agreement", "agreement_table"} <= set(ihms.policy.__all__)


def test_a_project_and_a_store_show_what_they_are_at_a_prompt(coded_project, tmp_path):
    # a user walk (session 32): "<ihms.policy.project.Project object at 0x…>"
    from ihms.data import Store

    n_docs = coded_project.query("SELECT count(*) FROM documents")[0][0]
    n_segs = coded_project.query("SELECT count(*) FROM segments")[0][0]
    assert repr(coded_project) == (
        f"<Project: path={str(coded_project.path)!r}, codebook_version="
        f"{coded_project.codebook_version}, documents={n_docs}, segments={n_segs}>"
    )
    store = Store(tmp_path / "s.duckdb")
    store.close()
    assert repr(store) == f"<Store: path={str(tmp_path / 's.duckdb')!r}>"


def test_the_warning_of_the_unresolved_answers_carries_its_chinese(coded_project):
    # policy/table_specs.py build_tables: the CLI prints the zh under --lang zh
    data = _undecided(coded_project)
    with pytest.warns(IhmsWarning, match="answers are unresolved") as got:
        build_tables(data)
    (w,) = [w for w in got if "unresolved" in str(w.message)]
    assert w.message.zh == (
        f"{data.unresolved:,} 个答案未决（编码员意见不一且未裁决），未计入编码维度的各表（各表的注释中"
        "已说明）；请先裁决（ihms.policy.reconcile，`ihms policy reconcile`）再计入"
    )
