"""Screening sheets: reviewers' decisions and resolutions in, conflicts and the record out."""

import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.policy.prisma import UnresolvedConflicts, screen
from ihms.policy.screening_sheets import (
    read_resolutions,
    read_reviewer_decisions,
    read_screening_decisions,
    write_conflicts,
    write_screening_sheet,
)

from .test_screening_reviewers import DOCS, IDS


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def problems(read, *args, **kwargs):
    """The problems of the DataError that ``read(*args, **kwargs)`` raises."""
    with pytest.raises(DataError) as err:
        read(*args, **kwargs)
    return err.value.problems


def test_reviewer_names_from_option_column_or_file_name(tmp_path):
    a = write(tmp_path / "alice.csv", "id,stage,decision,reason\nD09,title,exclude,新闻\n")
    b = write(tmp_path / "b.csv", "编号,阶段,决定,理由\nD09,初筛,排除,报道\nD08,全文,纳入,\n")
    got = read_reviewer_decisions([a, b], known_ids=IDS)
    assert [(d.reviewer, d.doc_id, d.stage, d.decision, d.reason) for d in got] == [
        ("alice", "D09", "title", "exclude", "新闻"),  # the file's name
        ("b", "D09", "title", "exclude", "报道"),
        ("b", "D08", "fulltext", "include", ""),
    ]
    b2 = write(tmp_path / "b2.csv", "编号,阶段,决定,理由,筛选人\nD09,初筛,排除,报道,bob\n")
    assert read_reviewer_decisions([a, b2])[1].reviewer == "bob"  # else the column
    named = read_reviewer_decisions([a, b2], reviewers=["ann", "bo"])
    assert [d.reviewer for d in named] == ["ann", "bo"]  # the option wins
    assert read_screening_decisions(a)[0].reviewer == ""  # one sheet needs no name
    with pytest.raises(InputError, match=r"one name per decisions sheet \(2\), got 1"):
        read_reviewer_decisions([a, b2], reviewers=["ann"])


def test_every_problem_of_every_sheet_at_once(tmp_path):
    a = write(
        tmp_path / "alice.csv",
        "id,stage,decision,reason\n"
        "ZZ,title,exclude,x\n"  # row 2: not in the corpus
        "D01,abstract,exclude,x\n"  # row 3: no such stage
        "D02,title,maybe,\n"  # row 4: no such decision
        "D03,fulltext,排除,\n"  # row 5: exclusion without reason
        "D04,title,纳入,\n"
        "D04,初筛,排除,重复\n"  # row 7: D04 twice at the title stage
        ",title,include,\n",  # row 8: no id
    )
    b = write(
        tmp_path / "bob.csv",
        "id,stage,decision,reason,reviewer\nD01,,include,,bob\nD02,title,include,,alice\n",
    )
    with pytest.raises(DataError) as err:
        read_reviewer_decisions([a, b], known_ids=IDS)
    assert str(err.value).startswith("screening decisions (alice.csv, bob.csv): 8 problem(s)")
    assert err.value.problems == [
        "alice.csv row 2, field 'id': 'ZZ' is not a document of the corpus",
        "alice.csv row 3, field 'stage': expected title or fulltext (标题/初筛, 全文), got 'abstract'",
        "alice.csv row 4, field 'decision': expected include or exclude (纳入/排除), got 'maybe'",
        "alice.csv row 5, field 'reason': excluding 'D03' needs a reason",
        "alice.csv row 7, field 'id': 'D04' was already decided by alice at the title stage in row 6",
        "alice.csv row 8, field 'id': empty",
        "bob.csv row 2, field 'stage': expected title or fulltext (标题/初筛, 全文), got ''",
        "bob.csv, field 'reviewer': 'alice' also screened in alice.csv; give each reviewer's "
        "decisions in one sheet",
    ]


def test_an_empty_reviewer_cell_is_a_problem_unless_the_option_names_the_reviewer(tmp_path):
    # row 3 names nobody: it was counted as a third reviewer 'r1' (the file's name)
    r1 = write(
        tmp_path / "r1.csv",
        "id,stage,decision,reason,reviewer\nD01,title,exclude,off,alice\nD02,title,exclude,off,\n",
    )
    r2 = write(
        tmp_path / "r2.csv", "id,stage,decision,reason,reviewer\nD01,title,exclude,off,bob\n"
    )
    assert problems(read_reviewer_decisions, [r1, r2], known_ids=IDS) == [
        "r1.csv row 3, field 'reviewer': empty; say who decided"
    ]
    with pytest.raises(DataError, match=r"r1\.csv row 3, field 'reviewer': empty"):
        read_screening_decisions(r1)  # one sheet too: it was counted as reviewer ''
    named = read_reviewer_decisions([r1, r2], reviewers=["ann", "bo"])
    assert [d.reviewer for d in named] == ["ann", "ann", "bo"]  # the option wins


def test_two_sheets_with_one_file_name_need_their_reviewers_named(tmp_path, monkeypatch):
    """a/decisions.csv and b/decisions.csv were one reviewer 'decisions', and b's D01
    silently replaced a's."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write(tmp_path / "a" / "decisions.csv", "id,stage,decision,reason\nD01,title,exclude,off\n")
    b = write(
        tmp_path / "b" / "decisions.csv",
        "id,stage,decision,reason\nD01,title,include,\nD02,title,exclude,off\n",
    )
    with pytest.raises(DataError) as err:
        read_reviewer_decisions(["a/decisions.csv", "b/decisions.csv"], known_ids=IDS)
    assert str(err.value).startswith(
        "screening decisions (a/decisions.csv, b/decisions.csv): 1 problem(s)"
    )
    assert err.value.problems == [
        "b/decisions.csv, field 'reviewer': 'decisions' also screened in a/decisions.csv, both "
        "named after their file: name each sheet's reviewer (--reviewer, or a 'reviewer' column)"
    ]
    got = read_reviewer_decisions([a, b], known_ids=IDS, reviewers=["ann", "bo"])
    assert [(d.reviewer, d.doc_id, d.decision, d.source) for d in got] == [
        ("ann", "D01", "exclude", f"{a} row 2"),  # sources told apart by their folder
        ("bo", "D01", "include", f"{b} row 2"),
        ("bo", "D02", "exclude", f"{b} row 3"),
    ]
    twice = ["a/decisions.csv", "b/../a/decisions.csv"]
    assert problems(read_reviewer_decisions, twice, reviewers=["x", "y"]) == [
        "b/../a/decisions.csv: the same sheet is given twice"
    ]


def test_empty_rows_are_skipped(tmp_path):
    sheet = write(tmp_path / "a.csv", "id,stage,decision,reason\n,,,\nD01,title,include,\n,,,\n")
    assert [d.source for d in read_screening_decisions(sheet)] == ["a.csv row 3"]


def test_missing_columns_are_named(tmp_path):
    sheet = write(tmp_path / "x.csv", "id,decision\nD01,include\n")
    with pytest.raises(DataError, match=r"x.csv: missing column\(s\) \['stage'\]"):
        read_screening_decisions(sheet)


def test_conflicts_sheet_filled_in_reads_back_as_resolutions(tmp_path):
    a = write(tmp_path / "alice.csv", "id,stage,decision,reason\nD07,title,exclude,不相关\n")
    b = write(tmp_path / "bob.xlsx", "")
    pd.DataFrame(
        {"id": ["D08"], "stage": ["title"], "decision": ["exclude"], "reason": ["重复发文"]}
    ).to_excel(b, index=False)
    decisions = read_reviewer_decisions([a, b], known_ids=IDS)
    with pytest.raises(UnresolvedConflicts) as err:
        screen(DOCS, decisions=decisions)
    listed = write_conflicts(err.value.conflicts, tmp_path / "conflicts.xlsx")
    sheet = pd.read_excel(listed, dtype=str, keep_default_na=False)
    assert list(sheet.columns) == [
        "id", "title", "stage", "alice: decision", "alice: reason", "bob: decision",
        "bob: reason", "decision", "reason", "resolved_by",
    ]  # fmt: skip
    assert sheet[["id", "alice: decision", "bob: decision"]].values.tolist() == [
        ["D07", "exclude", "include (rules)"],
        ["D08", "include (rules)", "exclude"],
    ]
    # carol decides D07 only and names herself in the sheet; D08 stays open
    sheet.loc[0, ["decision", "reason", "resolved_by"]] = ["纳入", "", "carol"]
    sheet.to_excel(listed, index=False)
    resolved = read_resolutions(listed, known_ids=IDS)
    assert [(r.doc_id, r.decision, r.reviewer) for r in resolved] == [("D07", "include", "carol")]
    with pytest.raises(UnresolvedConflicts, match="1 conflict"):
        screen(DOCS, decisions=decisions, resolutions=resolved)
    s = screen(DOCS, decisions=decisions, resolutions=resolved, settle={"title": "include-if-any"})
    assert s.status_of("D07").settled_by == "carol"
    assert s.status_of("D08").settled_by == "include-if-any"


def test_resolutions_need_a_resolver_and_one_decision_per_conflict(tmp_path):
    sheet = write(tmp_path / "r.csv", "id,stage,decision,reason\nD07,title,include,\n")
    with pytest.raises(DataError, match="say who resolved the conflicts"):
        read_resolutions(sheet)
    assert read_resolutions(sheet, resolved_by="carol")[0].reviewer == "carol"
    twice = write(
        tmp_path / "r2.csv",
        "id,stage,decision,reason,resolved_by\nD07,title,include,,carol\nD07,title,exclude,x,dan\n",
    )
    with pytest.raises(DataError) as err:
        read_resolutions(twice)
    assert err.value.problems == [
        "r2.csv row 3, field 'id': 'D07' was already decided at the title stage in row 2"
    ]
    # a resolver named like the rule was counted as the rule ("settled by include-if-any")
    rule = write(
        tmp_path / "r3.csv",
        "id,stage,decision,reason,resolved_by\nD07,title,include,,include-if-any\n",
    )
    assert problems(read_resolutions, rule) == [
        "r3.csv row 2, field 'resolved_by': 'include-if-any' is a settle rule's name; name the "
        "reviewer who decided"
    ]
    assert problems(read_resolutions, sheet, resolved_by="include-if-any") == [
        "r.csv: resolved_by 'include-if-any' is a settle rule's name; name the reviewer"
    ]


def test_screening_record_for_the_supplement(tmp_path):
    from .test_screening_reviewers import FULLTEXT, RESOLVED, TITLE

    s = screen(
        DOCS, decisions=TITLE + FULLTEXT, resolutions=RESOLVED, settle={"title": "include-if-any"}
    )
    path = write_screening_sheet(s.record(), tmp_path / "record.xlsx", sheet="screening record")
    record = pd.read_excel(path, dtype=str, keep_default_na=False).set_index("id")
    assert len(record) == 10
    assert list(record.columns[:2]) == ["title", "source"]
    d05 = record.loc["D05"]
    assert (d05["alice: title"], d05["alice: full text"], d05["bob: full text"]) == (
        "include (rules)", "include (rules)", "exclude",
    )  # fmt: skip
    assert (d05["bob: full text reason"], d05["status"], d05["settled_by"]) == (
        "无整合内容", "excluded", "carol",
    )  # fmt: skip
    assert record.loc["D09", "alice: full text"] == ""  # excluded at the title: never read
    assert not list(tmp_path.glob("*.part"))
    csv = write_screening_sheet(s.record(), tmp_path / "record.csv", sheet="x")
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfid,title,source,alice: title")
    with pytest.raises(InputError):
        write_screening_sheet(s.record(), tmp_path / "record.txt", sheet="x")


def test_a_misspelt_column_and_a_full_width_id_are_pointed_at_what_was_meant(tmp_path):
    # Walk 17: 'desicion' was "missing column(s) ['decision']; got [...]" and an id typed
    # in full-width mode ('Ｄ01') "is not a document of the corpus", neither saying which
    sheet = write(tmp_path / "x.csv", "id,stage,desicion\nD01,title,include\n")
    with pytest.raises(DataError, match="'desicion' — did you mean 'decision'"):
        read_screening_decisions(sheet)
    sheet = write(tmp_path / "y.csv", "id,stage,decision\nＤ01,title,include\n")
    (problem,) = problems(read_screening_decisions, sheet, known_ids=["D01", "D02"])
    assert problem == (
        "y.csv row 2, field 'id': 'Ｄ01' is not a document of the corpus — did you mean 'D01'?"
    )


def test_an_id_typed_short_is_pointed_at_the_nearest_document(tmp_path):
    # user review 20, finding 15: 'Y1' in a decisions sheet got no "did you mean 'Y01'?",
    # which `system check` and `data check` give (ihms._listing.nearest_listed)
    known = [f"Y{i:02d}" for i in range(1, 9)]
    sheet = write(
        tmp_path / "zhang2.csv", "id,stage,decision\nY1,title,include\nQ7,title,include\n"
    )
    found = problems(read_screening_decisions, sheet, known_ids=known)
    assert found == [
        "zhang2.csv row 2, field 'id': 'Y1' is not a document of the corpus — did you mean 'Y01'?",
        "zhang2.csv row 3, field 'id': 'Q7' is not a document of the corpus",
    ]
