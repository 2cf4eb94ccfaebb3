"""Each stage screened by its own reviewers: alice and bob screen the titles, carol and
dan the full texts (the usual Rayyan or Covidence set-up). Counted at both stages,
carol's and dan's title "votes" were the rules' include, so a document both title
screeners excluded became a 2–2 conflict that ``include-if-any`` let through, κ was over
four reviewers and the methods statement said four screened.

The corpus is ``test_screening_reviewers``' ten documents D01–D10, which the rules do
not exclude.
"""

import json
import sqlite3

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from ihms.errors import DataError, InputError
from ihms.policy._screening_stages import parse_stage_reviewers
from ihms.policy.prisma import screen
from ihms.policy.project import Project
from ihms.policy.screening_reviewers import ScreeningDecision

from .test_screening_reviewers import DOCS, TITLE, said
from .test_screening_store import DOCS as PROJECT_DOCS
from .test_screening_store import project  # noqa: F401 (a fixture)

# Title stage (TITLE), alice in rows, bob in columns (include, exclude):
#                 bob include  bob exclude
# alice include        6            1   (D07)
# alice exclude        1 (D08)      2   (D09, D10)
# p_o = 8/10, p_e = .7 * .7 + .3 * .3 = .58, kappa = .22 / .42 = 11/21.
# Full-text stage over D01–D08 (include-if-any lets D07 and D08 go on), carol in rows:
#                 dan include  dan exclude
# carol include        6            0
# carol exclude        1 (D05)      1   (D06)
# p_o = 7/8, p_e = 6/8 * 7/8 + 2/8 * 1/8 = 44/64, kappa = (56 - 44) / (64 - 44) = 0.6.
FULL = said("carol", "fulltext", D05="exclude:无整合内容", D06="exclude:非政策文件") + said(
    "dan", "fulltext", D06="exclude:非政策文件"
)
BY_STAGE = {"title": ["alice", "bob"], "fulltext": ["carol", "dan"]}
SETTLE = {"title": "include-if-any", "fulltext": "include-if-any"}


def by_stage():
    return screen(DOCS, decisions=TITLE + FULL, settle=SETTLE, stage_reviewers=BY_STAGE)


def test_each_stage_counts_its_own_reviewers_only():
    s = by_stage()
    # both title screeners excluded D09 and D10: no conflict, excluded at the title stage
    for doc in ("D09", "D10"):
        st = s.status_of(doc)
        assert (st.status, st.stage, st.settled_by) == ("excluded", "title", "")
    assert s.status_of("D06").stage == "fulltext"
    assert s.status_of("D05").settled_by == "include-if-any"
    title, full = s.method.stages
    assert (title.reviewers, full.reviewers) == (("alice", "bob"), ("carol", "dan"))
    assert (title.n_documents, full.n_documents) == (10, 8)
    assert (title.conflicts, full.conflicts) == (2, 1)
    assert title.kappa == pytest.approx(11 / 21, rel=1e-12)
    assert full.kappa == pytest.approx(0.6, rel=1e-12)
    # the same from statsmodels' Cohen's kappa on the tables above
    assert title.kappa == pytest.approx(cohens_kappa(np.array([[6, 1], [1, 2]])).kappa)
    assert full.kappa == pytest.approx(cohens_kappa(np.array([[6, 0], [1, 1]])).kappa)
    assert s.method.statement().startswith(
        "Records were screened at the title stage by 2 reviewers (alice and bob) working "
        "independently, and reports at the full-text stage by 2 reviewers (carol and dan) "
        "working independently. Title stage: 10 document(s) (14 of 20 decisions left to "
        "the rules), agreement 80.0%"
    )
    assert s.method.summary().title.startswith(
        "Independent screening by title: alice and bob; full text: carol and dan"
    )
    # nobody is idle at a stage they screen, so no note about it
    assert s.notes == ()
    # each stage's reviewers only, in the record and in the conflicts
    reviewed = {(r.reviewer, r.stage) for r in s.reviews}
    assert reviewed == {("alice", "title"), ("bob", "title"), ("carol", "fulltext"),
                        ("dan", "fulltext")}  # fmt: skip
    record = s.record().set_index("id")
    assert record.loc["D05", "carol: full text"] == "exclude"
    assert record.loc["D05", "alice: full text"] == ""
    conflicts = s.conflicts().set_index("id")
    assert conflicts.loc["D05", "alice: decision"] == ""
    assert conflicts.loc["D05", "carol: decision"] == "exclude"


def test_counted_at_both_stages_unless_named():
    """Without ``stage_reviewers`` every reviewer counts at both stages: D09 becomes a
    2–2 title conflict include-if-any lets through, and the notes say whose decisions
    the rules stood for."""
    s = screen(DOCS, decisions=TITLE + FULL, settle=SETTLE)
    assert s.status_of("D09").status == "included"
    assert [a.reviewers for a in s.method.stages] == [("alice", "bob", "carol", "dan")] * 2
    assert [n.split(":")[0] for n in s.notes] == [
        "carol, dan recorded no decision at the title stage, where they count as reviewers",
        "alice, bob recorded no decision at the full text stage, where they count as reviewers",
    ]
    assert s.notes[0].endswith(
        "(right for a sheet of exclusions only; if they did not screen this stage, name each "
        "stage's reviewers: stage_reviewers, option --stage-reviewers)"
    )
    # alice and bob deciding at both stages: nobody is idle
    both = said("alice", "fulltext", D06="exclude:非政策文件") + said(
        "bob", "fulltext", D06="exclude:非政策文件"
    )
    assert screen(DOCS, decisions=TITLE + both, settle=SETTLE).notes == ()


def test_a_stage_not_named_has_those_who_decided_at_it():
    s = screen(
        DOCS, decisions=TITLE + FULL, settle=SETTLE, stage_reviewers={"title": BY_STAGE["title"]}
    )
    assert s.method == by_stage().method
    assert s.notes == (
        "the full text stage's reviewers are not named, so they are those who recorded a "
        "decision at it (carol, dan); alice, bob not counted there — if they screened it, "
        "name its reviewers too (fulltext=…)",
    )


def test_a_reviewer_left_out_of_a_stage_not_named_is_said_to_be():
    # alice and bob screen both stages on sheets of exclusions only; at full text alice
    # excludes D05 and bob nothing. Naming the title stage only leaves bob out of the full
    # text stage, so D05 is simply excluded, with no conflict: the notes said nothing
    full = said("alice", "fulltext", D05="exclude:无整合内容")
    s = screen(
        DOCS, decisions=TITLE + full, settle=SETTLE, stage_reviewers={"title": ["bob", "alice"]}
    )
    assert s.status_of("D05").status == "excluded"
    assert any(n.startswith("the full text stage's reviewers are not named") and
               "(alice); bob not counted there" in n for n in s.notes), s.notes  # fmt: skip


def test_rayyan_titles_and_sheet_full_texts_keep_each_stage_to_its_reviewers():
    # titles screened in Rayyan by alice and bob, full texts on sheets by carol and dan:
    # the sheets' reviewers were counted at the title stage too (their "votes" the
    # rules' include), so D09 and D10, which both title screeners excluded, conflicted
    from pathlib import Path
    from types import SimpleNamespace

    from ihms.policy._screening_stages import rayyan_stage_reviewers

    title = SimpleNamespace(stage="title", reviewers=("alice", "bob"), path=Path("title.csv"))
    named, notes = rayyan_stage_reviewers(FULL, [title])
    assert named == {"title": ("alice", "bob"), "fulltext": ("carol", "dan")}
    assert notes == [
        "Reviewers at the title stage: alice, bob (taken from the Rayyan export title.csv "
        "and the decisions sheets; a Rayyan reviewer counts only at the stage of their "
        "export; carol, dan recorded no decision at this stage in the sheets and are not "
        "counted at it — if they screened it, name its reviewers with --stage-reviewers)"
    ]
    s = screen(DOCS, decisions=TITLE + FULL, settle=SETTLE, stage_reviewers=named)
    assert s.method == by_stage().method and s.status_of("D09").stage == "title"


def test_a_decision_by_someone_not_named_for_its_stage_is_refused():
    stray = ScreeningDecision("D02", "title", "exclude", "不相关", "carol", "carol.csv row 3")
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=[*TITLE, stray, *FULL], settle=SETTLE, stage_reviewers=BY_STAGE)
    assert str(err.value).startswith("screening reviewers per stage: 1 problem(s)")
    assert err.value.problems == [
        "carol.csv row 3, field 'reviewer': 'carol' decided 'D02' at the title stage, whose "
        "reviewers are ['alice', 'bob']; name them among the title stage's reviewers, or "
        "correct the decision's stage"
    ]


def test_a_reviewer_named_who_decided_nothing_is_refused():
    named = {"title": ["alice", "bob", "erin"], "fulltext": ["carol", "dan"]}
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=TITLE + FULL, settle=SETTLE, stage_reviewers=named)
    assert err.value.problems == [
        "parameter 'stage_reviewers', title stage: 'erin' recorded no decision in any source "
        "(the decisions name ['alice', 'bob', 'carol', 'dan'])"
    ]


@pytest.mark.parametrize(
    ("named", "message"),
    [
        ({"abstract": ["alice"]}, "stage must be one of title, fulltext, got 'abstract'"),
        ({"title": "alice"}, "must be a list of names, got the string 'alice'"),
    ],
)
def test_bad_stage_reviewers(named, message):
    with pytest.raises(InputError, match=message):
        screen(DOCS, decisions=TITLE, stage_reviewers=named)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["alice,bob"], "expected STAGE=NAME,NAME"),
        (["title=alice,,bob"], "no empty name"),
        (["abstract=alice"], "with STAGE title or fulltext"),
        (["title=alice", "title=bob"], "the title stage is given twice"),
    ],
)
def test_bad_stage_reviewers_option(values, message):
    with pytest.raises(InputError, match=message):
        parse_stage_reviewers(values)
    assert parse_stage_reviewers(["title=alice, bob", "fulltext=carol"]) == {
        "title": ["alice", "bob"],
        "fulltext": ["carol"],
    }


def test_the_stored_screening_keeps_each_stages_reviewers(project):  # noqa: F811
    original = screen(PROJECT_DOCS, decisions=TITLE + FULL, settle=SETTLE, stage_reviewers=BY_STAGE)
    project.set_screening(original)
    back = project.screening()
    assert back.statuses == original.statuses and back.reviews == original.reviews
    assert back.method == original.method
    assert back.method.statement() == original.method.statement()
    assert back.conflicts().equals(original.conflicts())
    assert [round(a.kappa, 12) for a in back.method.stages] == [round(11 / 21, 12), 0.6]
    with sqlite3.connect(project.path) as conn:
        (about,) = conn.execute("SELECT value FROM meta WHERE key='screening'").fetchone()
    assert json.loads(about)["stage_reviewers"] == BY_STAGE


def test_a_file_without_stage_reviewers_counts_everyone_at_both_stages(project):  # noqa: F811
    """A schema-2 file written before each stage's reviewers were kept: every reviewer at
    both stages, as its screening counted them."""
    original = screen(PROJECT_DOCS, decisions=TITLE + FULL, settle=SETTLE)
    project.set_screening(original)
    with sqlite3.connect(project.path) as conn:
        (about,) = conn.execute("SELECT value FROM meta WHERE key='screening'").fetchone()
        about = json.loads(about)
        del about["stage_reviewers"]
        conn.execute("UPDATE meta SET value=? WHERE key='screening'", (json.dumps(about),))
    with Project(project.path) as again:
        back = again.screening()
    assert back.method == original.method and back.statuses == original.statuses


def test_unsettled_conflicts_of_both_stages_leave_the_other_stages_reviewers_empty():
    # the sheet a third reviewer fills in: alice and bob's columns are blank on a full-text
    # conflict, carol and dan's on a title one ("" as Screening.conflicts, not NaN)
    from ihms.policy.screening_reviewers import UnresolvedConflicts

    with pytest.raises(UnresolvedConflicts) as info:
        screen(DOCS, decisions=TITLE + FULL, stage_reviewers=BY_STAGE)
    sheet = info.value.to_frame()
    assert set(sheet["stage"]) == {"title", "fulltext"}
    assert not sheet.isna().any().any()
    full = sheet[sheet["stage"] == "fulltext"].iloc[0]
    assert full["alice: decision"] == "" and full["carol: decision"] != ""


def test_names_written_alike_are_said_to_count_as_two_reviewers():
    # "alice" in a sheet and "Alice" in a Rayyan export are two reviewers to the screening;
    # the notes say so (they were silent)
    decisions = said("alice", "title", D09="exclude:非政策文件") + said(
        "Ａｌｉｃｅ ", "title", D09="exclude:非政策文件"
    )
    notes = screen(DOCS, decisions=decisions).notes
    assert any("reviewers 'alice' and 'Ａｌｉｃｅ ' are counted as 2 people" in n for n in notes), (
        notes
    )
    assert not any("counted as" in n for n in by_stage().notes)


def test_an_idle_reviewer_of_a_named_stage_gets_no_advice_to_name_it():
    full = said("alice", "fulltext", D05="exclude:无整合内容")
    both = {"title": ["alice", "bob"], "fulltext": ["alice", "bob"]}
    s = screen(DOCS, decisions=TITLE + full, settle=SETTLE, stage_reviewers=both)
    assert s.notes == (
        "bob recorded no decision at the full text stage, where they count as reviewers: the "
        "rules' verdict stands for each of theirs there, in the agreement and in the conflicts",
    )


def test_the_same_reviewers_named_in_another_order_are_one_group():
    # title named bob, alice; full text inferred as alice, bob: the statement said the
    # stages had different reviewers ("bob and alice" ... "alice and bob")
    full = said("alice", "fulltext", D06="exclude:非政策文件") + said(
        "bob", "fulltext", D06="exclude:非政策文件"
    )
    s = screen(
        DOCS, decisions=TITLE + full, settle=SETTLE, stage_reviewers={"title": ["bob", "alice"]}
    )
    assert not s.method.per_stage
    assert s.method.statement().startswith("Each record and each report was screened by 2")


def test_a_stages_own_reviewer_settling_is_not_called_a_third_reviewer():
    from ihms.policy.screening_reviewers import ScreeningDecision as Decision

    # alice settles her own title conflicts with bob (D07, D08)
    settled = [Decision(d, "title", "include", "", "alice", "settled.csv") for d in ("D07", "D08")]
    s = screen(DOCS, decisions=TITLE + FULL, resolutions=settled, settle={"fulltext": "include-if-any"},
               stage_reviewers=BY_STAGE)  # fmt: skip
    said_ = s.method.statement()
    assert "settled by alice, one of the stage's reviewers." in said_, said_
    assert "a third reviewer" not in said_


def test_two_ways_of_settling_a_stage_say_how_many_each_settled():
    from ihms.policy.screening_reviewers import ScreeningDecision as Decision

    # alice settles one title conflict (D07), the rule the other (D08); with a single
    # settler the count is the conflicts' own and is not repeated
    settled = [Decision("D07", "title", "include", "", "alice", "settled.csv")]
    s = screen(DOCS, decisions=TITLE + FULL, resolutions=settled,
               settle={"title": "include-if-any", "fulltext": "include-if-any"},
               stage_reviewers=BY_STAGE)  # fmt: skip
    said_ = s.method.statement()
    assert (
        "2 conflict(s) settled by alice, one of the stage's reviewers (1), include-if-any (1)"
        in said_
    ), said_
