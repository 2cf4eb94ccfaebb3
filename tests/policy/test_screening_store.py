"""The project file keeps every reviewer's screening decision, every settlement and how
screening was done, so κ per stage, the conflicts, the methods statement and the record
come back from the project alone — and a project of schema 1 (statuses only) still opens.

The corpus and decisions are those of ``test_screening_reviewers``: ten documents D01–D10
that the rules do not exclude, alice and bob screening independently, carol settling one
full-text conflict and ``include-if-any`` the two title conflicts.
"""

import dataclasses
import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa

from ihms.errors import DataError, InputError
from ihms.policy.codebook import load_codebook
from ihms.policy.corpus import Document, ImportFailure
from ihms.policy.prisma import DocumentStatus, ScreeningCriteria, screen
from ihms.policy.project import SCHEMA_VERSION, Project
from ihms.policy.screening_reviewers import ScreeningDecision, Settlement

from .test_screening_reviewers import FULLTEXT, IDS, RESOLVED, TITLE, said

SCHEMA1 = Path(__file__).parent / "data" / "project_schema1.sqlite"
DOCS = [
    Document(
        id=i, file=f"{i}.txt", fmt="txt", sha256=hashlib.sha256(i.encode()).hexdigest(),
        text="推进医疗联合体建设和发展，" * 5, title=f"关于推进医联体建设的通知{i}",
        date=dt.date(2019, 1, 1), source="卫健委网站",
    )
    for i in IDS
]  # fmt: skip
# bob also screened D09's full text, which both excluded by its title: kept, unused
UNUSED = said("bob", "fulltext", D09="exclude:新闻报道")


def screened(failures=()):
    return screen(
        DOCS, decisions=TITLE + FULLTEXT + UNUSED, resolutions=RESOLVED,
        settle={"title": "include-if-any"}, failures=failures,
    )  # fmt: skip


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "study.sqlite", load_codebook("6d"))
    p.add_documents(DOCS)
    yield p
    p.close()


def dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_the_saved_project_gives_back_the_whole_screening(project):
    broken = ImportFailure("D11.pdf", "encrypted PDF")  # a file that could not be read
    project.add_documents([], failures=[broken])
    original = screened(failures=[broken])
    assert original.flow()["not_retrieved"] == 1
    project.set_screening(original)
    path = project.path
    project.close()
    with Project(path) as again:
        back = again.screening()
    assert back.statuses == original.statuses
    assert back.reviews == original.reviews
    assert back.settlements == original.settlements
    assert back.unused == original.unused == tuple(UNUSED)
    assert back.method == original.method
    assert back.notes == original.notes
    assert back.flow() == original.flow()
    pd.testing.assert_frame_equal(back.record(), original.record())
    pd.testing.assert_frame_equal(back.conflicts(), original.conflicts())


def test_kappa_per_stage_from_the_saved_project_worked_by_hand(project):
    project.set_screening(screened())
    title, full = project.screening().method.stages
    # Title (10 documents): p_o = 8/10, p_e = 0.7 * 0.7 + 0.3 * 0.3 = 0.58,
    # kappa = 0.22 / 0.42 = 11/21 (the worked table of test_screening_reviewers).
    assert title.kappa == pytest.approx(11 / 21, rel=1e-12)
    assert (title.n_documents, title.n_recorded, title.conflicts) == (10, 6, 2)
    assert title.settled == (("include-if-any", 2),)
    # Full text (8 documents): p_o = 7/8, p_e = 7/8 * 6/8 + 1/8 * 2/8 = 0.6875,
    # kappa = 0.1875 / 0.3125 = 0.6; carol settled D05.
    assert full.kappa == pytest.approx(0.6, rel=1e-12)
    assert (full.n_documents, full.conflicts, full.settled) == (8, 1, (("carol", 1),))


def test_the_file_alone_answers_kappa_without_ihms(project):
    """Read the decisions with plain SQL and let statsmodels compute Cohen's κ: the
    stored rows are enough, nothing of ihms is needed."""
    project.set_screening(screened())
    conn = sqlite3.connect(project.path)
    rows = conn.execute(
        "SELECT doc_id, reviewer, decision FROM screening_decisions"
        " WHERE role='review' AND stage='fulltext'"
    ).fetchall()
    conn.close()
    frame = pd.DataFrame(rows, columns=["doc", "who", "decision"]).pivot(
        index="doc", columns="who", values="decision"
    )
    table = pd.crosstab(frame["alice"], frame["bob"]).reindex(
        index=["include", "exclude"], columns=["include", "exclude"], fill_value=0
    )
    expected = cohens_kappa(table.to_numpy()).kappa  # statsmodels, the reference
    assert expected == pytest.approx(0.6, rel=1e-12)
    assert project.screening().method.stages[1].kappa == pytest.approx(expected, rel=1e-12)


def test_conflicts_and_who_settled_them(project):
    project.set_screening(screened())
    conflicts = project.screening().conflicts().set_index(["id", "stage"])
    assert list(conflicts.index) == [("D05", "fulltext"), ("D07", "title"), ("D08", "title")]
    d05 = conflicts.loc[("D05", "fulltext")]
    assert (d05["alice: decision"], d05["bob: decision"]) == ("include (rules)", "exclude")
    assert (d05["decision"], d05["reason"], d05["resolved_by"]) == (
        "exclude",
        "无整合内容",
        "carol",
    )
    assert conflicts.loc[("D07", "title"), "resolved_by"] == "include-if-any"
    stored = project.query(
        "SELECT reviewer, source FROM screening_decisions WHERE role='settlement' ORDER BY id"
    )
    # in the order screening settled them: document by document
    assert stored == [
        ("carol", "r.csv row 2"),
        ("include-if-any", "rule"),
        ("include-if-any", "rule"),
    ]


def test_rescreening_replaces_the_stored_decisions(project):
    project.set_screening(screened())
    alone = screen(DOCS, decisions=said("alice", "title", D09="exclude:新闻报道"))
    project.set_screening(alone)
    back = project.screening()
    assert back.method.reviewers == ("alice",) and back.settlements == ()
    # alice's D09 exclusion stops it at the title: 10 title + 9 full-text decisions, the
    # earlier screening's (bob's, carol's, the rule's) all gone
    assert project.query("SELECT role, count(*) FROM screening_decisions GROUP BY role") == [
        ("review", 19)
    ]
    assert back.status_of("D09").status == "excluded" and back.status_of("D05").settled_by == ""


def test_bad_decisions_are_refused_with_file_row_field_and_the_project_is_unchanged(project):
    good = screened()
    project.set_screening(good)
    before = dump(project.path)
    bad = dataclasses.replace(
        good,
        reviews=(
            *good.reviews,
            ScreeningDecision("X99", "title", "include", "", "alice", "alice.csv row 9"),
            ScreeningDecision("D01", "abstract", "include", "", "alice", "alice.csv row 10"),
            ScreeningDecision("D01", "title", "exclude", "重复", "alice", "alice.csv row 11"),
        ),
        settlements=(
            *good.settlements,
            Settlement("D07", "title", "exclude", "不相关", "dave", "dave.csv row 2"),
        ),
    )
    with pytest.raises(DataError) as err:
        project.set_screening(bad)
    problems = err.value.problems
    assert "alice.csv row 9, field 'id': 'X99' is not a document of the project" in problems
    assert "alice.csv row 10, field 'stage': expected title or fulltext, got 'abstract'" in problems
    assert (
        "alice.csv row 11, field 'id': 'D01' was already decided by alice at the title stage "
        "(rules)" in problems
    )
    assert (
        "dave.csv row 2, field 'id': 'D07' was already settled at the title stage (rule)"
        in problems
    )
    assert str(err.value).startswith("screening: ") and "the project is unchanged" in str(err.value)
    assert dump(project.path) == before


def test_a_reviewer_missing_at_a_stage_is_refused(project):
    good = screened()
    bad = dataclasses.replace(good, reviews=tuple(r for r in good.reviews if r != good.reviews[0]))
    with pytest.raises(DataError) as err:
        project.set_screening(bad)
    assert err.value.problems == [
        "reviews of 'D01', field 'reviewer': no decision of 'alice' at the title stage (each "
        "reviewer's decision, or the rules' verdict standing for it, is needed for the agreement)"
    ]


def test_a_schema_1_project_opens_and_is_upgraded_when_screened_again(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(SCHEMA1, path)
    with Project(path) as p:
        docs = p.documents().set_index("id")
        assert docs.loc["S04", "status"] == "excluded" and docs.loc["S03", "status"] == "included"
        with pytest.raises(InputError, match="schema 1"):
            p.screening()
        # a bad screening leaves the old file as it was, version and all
        before = dump(path)
        bad = screen(p.load_documents(), decisions=said("alice", "title", S01="include"))
        bad = dataclasses.replace(bad, reviews=(*bad.reviews, *bad.reviews[:1]))
        with pytest.raises(DataError):
            p.set_screening(bad)
        assert dump(path) == before
        assert p.query("SELECT value FROM meta WHERE key='schema_version'") == [("1",)]
        again = screen(
            p.load_documents(),
            decisions=said("alice", "title", S03="exclude:不属于医联体政策")
            + said("alice", "fulltext", S04="exclude:考核方案，非政策文件")
            + said("bob", "fulltext", S04="exclude:考核方案，非政策文件"),
            settle={"title": "include-if-any"},
            criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
        )
        p.set_screening(again)
    with Project(path) as p:
        assert p.query("SELECT value FROM meta WHERE key='schema_version'") == [
            (str(SCHEMA_VERSION),)
        ]
        back = p.screening()
        assert back.status_of("S03").settled_by == "include-if-any"
        title = back.method.stages[0]
        # S03: alice excludes, bob leaves it to the rules (include); 3 of 4 agree
        assert (title.n_documents, title.conflicts, title.percent_agreement) == (4, 1, 75.0)


def test_an_unscreened_project_and_an_unknown_schema_say_so(project, tmp_path):
    with pytest.raises(InputError, match="has not been screened yet"):
        project.screening()
    project.close()
    conn = sqlite3.connect(project.path)
    conn.execute("UPDATE meta SET value='9' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(
        InputError, match="unsupported project schema version '9'; this ihms reads versions 1, 2"
    ):
        Project(project.path)


def test_documents_imported_after_screening_are_noted(project):
    project.set_screening(screened())
    late = dataclasses.replace(DOCS[0], id="D11", file="D11.txt", sha256="x")
    project.add_documents([late])
    back = project.screening()
    assert "D11" not in {s.doc_id for s in back.statuses}
    assert (
        back.notes[-1]
        == "1 document(s) were imported after the screening and are not screened: D11"
    )


decision = st.sampled_from(["include", "exclude:不相关"])


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.lists(st.tuples(decision, decision), min_size=10, max_size=10),
    seed=st.integers(0, 2**16),
)
# every document excluded at the title stage: the full-text stage has no documents
# (hypothesis found it in session 21: its percent agreement is NaN)
@example(title=[("exclude:不相关", "exclude:不相关")] * 10, seed=0)
def test_kappa_from_the_project_equals_kappa_from_the_sheets(tmp_path_factory, title, seed):
    """Whatever the reviewers decided, κ, the conflicts and the record read back from
    the project are those computed from their sheets."""
    rng = np.random.default_rng(seed)
    decisions = []
    for i, (a, b) in zip(IDS, title, strict=True):
        decisions += said("alice", "title", **{i: a}) + said("bob", "title", **{i: b})
        if rng.random() < 0.5:
            decisions += said("bob", "fulltext", **{i: "exclude:非政策文件"})
    settle = {"title": "include-if-any", "fulltext": "include-if-any"}
    original = screen(DOCS, decisions=decisions, settle=settle)
    path = tmp_path_factory.mktemp("prop") / "p.sqlite"
    with Project.create(path, load_codebook("6d")) as p:
        p.add_documents(DOCS)
        p.set_screening(original)
    with Project(path) as p:
        back = p.screening()
    for got, want in zip(back.method.stages, original.method.stages, strict=True):
        assert (got.n_documents, got.conflicts, got.settled) == (
            want.n_documents, want.conflicts, want.settled,
        )  # fmt: skip
        # a stage nobody reached (every document excluded at the title stage) has no
        # agreement to report: NaN, stored and read back as NaN
        assert got.percent_agreement == pytest.approx(
            want.percent_agreement, rel=1e-12, nan_ok=True
        )
        assert got.kappa == pytest.approx(want.kappa, rel=1e-12, nan_ok=True)
    pd.testing.assert_frame_equal(back.record(), original.record())


def test_a_file_that_fails_to_import_after_screening_is_not_in_its_flow(project):
    """An unreadable file imported after the screening is stored as not retrieved at
    once (no 'identified' status in between): the stored flow stays the screening's."""
    broken = ImportFailure("D11.pdf", "encrypted PDF")
    project.add_documents([], failures=[broken])
    original = screened(failures=[broken])
    project.set_screening(original)
    project.add_documents([], failures=[ImportFailure("D12.pdf", "corrupt file")])
    back = project.screening()
    assert back.flow() == original.flow() and back.flow()["not_retrieved"] == 1
    assert back.notes[-1] == (
        "1 document(s) were imported after the screening and are not screened: D12.pdf"
    )


def test_a_stored_screening_edited_by_hand_is_refused_not_miscounted(project):
    """κ is recomputed from the stored reviews, so a review removed from or added to
    the file by hand is named rather than counted: one reviewer's decision gone (D01,
    title), every decision about a stage the document reached gone (D02, full text),
    and bob's unused full-text decision on D09, which the title stage excluded, made a
    review."""
    project.set_screening(screened())
    with project.transaction() as conn:
        conn.execute(
            "DELETE FROM screening_decisions WHERE role='review' AND doc_id='D01'"
            " AND stage='title' AND reviewer='bob'"
        )
        conn.execute(
            "DELETE FROM screening_decisions WHERE role='review' AND doc_id='D02'"
            " AND stage='fulltext'"
        )
        conn.execute("UPDATE screening_decisions SET role='review' WHERE role='unused'")
    with pytest.raises(DataError, match="the stored screening is incomplete") as err:
        project.screening()
    assert err.value.problems == [
        "table screening_decisions, document 'D01', title stage, field 'reviewer': expected "
        "one decision of each of ['alice', 'bob'], got {'alice': 1}",
        "table screening_decisions, document 'D09', full text stage, field 'reviewer': "
        "expected one decision of each of ['alice', 'bob'], got {'bob': 1}",
        "table screening_decisions, document 'D02', full text stage, field 'reviewer': "
        "expected one decision of each of ['alice', 'bob'] (the document reached the "
        "stage), got none",
        "table screening_decisions, document 'D09', full text stage, field 'role': a review "
        "of a stage the document did not reach (its status says so); expected role 'unused'",
    ]


def test_a_status_of_no_document_and_a_review_by_a_stranger_are_refused(project):
    good = screened()
    bad = dataclasses.replace(
        good,
        statuses=(*good.statuses, DocumentStatus("X98", "included")),
        reviews=(
            *good.reviews,
            ScreeningDecision("D01", "title", "include", "", "eve", "eve.csv row 2"),
        ),
    )
    before = dump(project.path)
    with pytest.raises(DataError) as err:
        project.set_screening(bad)
    assert err.value.problems == [
        "status of 'X98', field 'id': not a document of the project",
        "eve.csv row 2, field 'reviewer': 'eve' is not one of the title stage's reviewers "
        "['alice', 'bob']",
    ]
    assert dump(project.path) == before
