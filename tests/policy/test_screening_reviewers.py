"""Independent screening by two or more reviewers: κ per stage, conflicts, settlement.

The corpus is ten hand-made documents D01–D10 with neutral titles and enough text, so
the rules exclude nothing and every exclusion below is a reviewer's.
"""

import datetime as dt
import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from ihms.errors import DataError, InputError
from ihms.policy.prisma import ScreeningCriteria, UnresolvedConflicts, prisma_figure, screen
from ihms.policy.screening_reviewers import ScreeningDecision, check_settle, stage_agreement

IDS = [f"D{i:02d}" for i in range(1, 11)]
DOCS = [
    SimpleNamespace(
        id=i, title=f"关于推进医联体建设的通知{i}", date=dt.date(2019, 1, 1),
        text="推进医疗联合体建设和发展，" * 5, source="卫健委网站",
    )
    for i in IDS
]  # fmt: skip


def said(reviewer, stage, **decisions):
    """``said("alice", "title", D09="exclude:off topic")``."""
    out = []
    for doc_id, value in decisions.items():
        decision, _, reason = value.partition(":")
        out.append(ScreeningDecision(doc_id, stage, decision, reason, reviewer, f"{reviewer}.csv"))
    return out


# Title stage, alice in rows, bob in columns (include, exclude):
#                 bob include  bob exclude
# alice include        6            1   (D07)
# alice exclude        1 (D08)      2   (D09, D10)
TITLE = said(
    "alice", "title", D08="exclude:不相关", D09="exclude:新闻报道", D10="exclude:不相关"
) + said("bob", "title", D07="exclude:不相关", D09="exclude:媒体报道", D10="exclude:不相关")
# Full-text stage over the 8 documents that pass the title stage (D01–D08):
#                 bob include  bob exclude
# alice include        6            1   (D05)
# alice exclude        0            1   (D06)
FULLTEXT = said("alice", "fulltext", D06="exclude:非政策文件") + said(
    "bob", "fulltext", D05="exclude:无整合内容", D06="exclude:非政策文件"
)
RESOLVED = [ScreeningDecision("D05", "fulltext", "exclude", "无整合内容", "carol", "r.csv row 2")]


def test_unresolved_conflicts_stop_screening_and_are_all_listed():
    with pytest.raises(UnresolvedConflicts) as err:
        screen(DOCS, decisions=TITLE + FULLTEXT)
    # D07, D08 at the title stage; D05 at the full-text stage (D07/D08 go on provisionally,
    # and both reviewers leave them to the rules there, so they agree)
    assert [(c.doc_id, c.stage) for c in err.value.conflicts] == [
        ("D05", "fulltext"),
        ("D07", "title"),
        ("D08", "title"),
    ]
    assert str(err.value).startswith(
        "screening cannot finish: 3 conflict(s) between reviewers alice and bob are "
        "unresolved (title 2, full text 1)."
    )
    row = err.value.to_frame().set_index("id").loc["D07"]
    assert row["alice: decision"] == "include (rules)" and row["bob: decision"] == "exclude"
    assert row["bob: reason"] == "不相关" and row["title"] == "关于推进医联体建设的通知D07"
    assert (row["decision"], row["resolved_by"]) == ("", "")


def test_kappa_per_stage_worked_by_hand():
    s = screen(
        DOCS, decisions=TITLE + FULLTEXT, resolutions=RESOLVED, settle={"title": "include-if-any"}
    )
    title, full = s.method.stages
    # AC1 and PABAK worked by hand in test_method_statement_answers_prisma_item_8
    assert (title.ac1, full.ac1) == (
        pytest.approx(19 / 29, rel=1e-12),
        pytest.approx(73 / 89, rel=1e-12),
    )
    assert (title.pabak, full.pabak) == (
        pytest.approx(0.6, rel=1e-12),
        pytest.approx(0.75, rel=1e-12),
    )
    # Title: p_o = (6 + 2) / 10 = 0.8; both reviewers include 7 of 10, so
    # p_e = 0.7 * 0.7 + 0.3 * 0.3 = 0.58; kappa = (0.8 - 0.58) / (1 - 0.58) = 0.22 / 0.42 = 11/21.
    assert title.kappa == pytest.approx(11 / 21, rel=1e-12)
    assert title.percent_agreement == pytest.approx(80.0, rel=1e-12)
    assert (title.n_documents, title.conflicts, title.statistic) == (10, 2, "Cohen's kappa")
    assert title.n_recorded == 6  # three recorded by each reviewer; the rest are the rules'
    assert title.settled == (("include-if-any", 2),)
    # Full text (8 documents): p_o = 7/8 = 0.875; alice includes 7/8, bob 6/8, so
    # p_e = 7/8 * 6/8 + 1/8 * 2/8 = 44/64 = 0.6875; kappa = 0.1875 / 0.3125 = 0.6.
    assert full.kappa == pytest.approx(0.6, rel=1e-12)
    assert full.percent_agreement == pytest.approx(87.5, rel=1e-12)
    assert (full.n_documents, full.conflicts, full.settled) == (8, 1, (("carol", 1),))


def test_final_statuses_and_flow_counts():
    s = screen(
        DOCS, decisions=TITLE + FULLTEXT, resolutions=RESOLVED, settle={"title": "include-if-any"}
    )
    f = s.flow()
    # 10 screened = 2 excluded at the title (D09, D10) + 2 at full text (D05, D06) + 6 included
    assert (f["screened"], f["excluded_title"], f["excluded_fulltext"], f["included"]) == (
        10,
        2,
        2,
        6,
    )
    assert s.included == ["D01", "D02", "D03", "D04", "D07", "D08"]
    d05 = s.status_of("D05")
    assert (d05.status, d05.stage, d05.reason, d05.settled_by) == (
        "excluded", "fulltext", "无整合内容", "carol",
    )  # fmt: skip
    # both excluded D09 with different reasons: the first reviewer's reason counts
    assert s.status_of("D09").reason == "新闻报道"
    assert s.status_of("D07").settled_by == "include-if-any"


def test_method_statement_answers_prisma_item_8():
    s = screen(
        DOCS, decisions=TITLE + FULLTEXT, resolutions=RESOLVED, settle={"title": "include-if-any"}
    )
    text = s.method.statement()
    assert text.startswith(
        "Each record and each report was screened by 2 reviewers (alice and bob) working "
        "independently."
    )
    # AC1 (Gwet 2008, two decisions: pe = 2π(1 − π), π the share of include over both
    # reviewers) and PABAK = 2·pa − 1. Title: π = 14/20 = 0.7, pe = 0.42,
    # AC1 = (0.8 − 0.42)/0.58 = 19/29 = 0.655; PABAK = 0.60. Full text: π = 13/16,
    # pe = 2·13/16·3/16 = 78/256, AC1 = (0.875 − 78/256)/(178/256) = 73/89 = 0.820;
    # PABAK = 0.75. No kappa-paradox note (ihms.stats.kappa_paradox): at the title stage
    # AC1 − kappa = 0.66 − 0.52 < 0.20; at full text kappa = (56 − 44)/(64 − 44) = 0.60
    # exactly, "substantial", not below 0.60.
    assert (
        "Title stage: 10 document(s) (14 of 20 decisions left to the rules), agreement 80.0%, Cohen's kappa 0.52, Gwet's AC1 0.66, PABAK 0.60; 2 conflict(s) settled by include-if-any."
        in text
    )
    assert (
        "Full text stage: 8 document(s) (13 of 16 decisions left to the rules), agreement 87.5%, Cohen's kappa 0.60, Gwet's AC1 0.82, PABAK 0.75; 1 conflict(s) settled by carol, a third reviewer."
        in text
    )
    assert "paradox" not in text
    assert "Rules applied automatically where a reviewer recorded no decision" in text
    assert s.summary().notes[-1] == text
    table = s.method.summary().to_frame()
    assert table.loc["title", "conflicts"] == 2 and table.loc["full text", "documents"] == 8


def test_the_figure_keeps_its_counts_and_states_the_method():
    s = screen(
        DOCS, decisions=TITLE + FULLTEXT, resolutions=RESOLVED, settle={"title": "include-if-any"}
    )
    texts = [t.get_text() for t in prisma_figure(s).axes[0].texts]
    assert "Records screened\n(n = 10)" in texts
    assert "Documents included in the review\n(n = 6)" in texts
    assert any(
        t.startswith("Each record and each report was screened by 2 reviewers") for t in texts
    )


def test_a_resolution_beats_the_settle_rule_and_one_of_agreement_is_refused():
    at_title = [ScreeningDecision("D07", "title", "exclude", "不相关", "carol", "r.csv row 2")]
    s = screen(DOCS, decisions=TITLE, resolutions=at_title, settle={"title": "include-if-any"})
    assert s.status_of("D07").status == "excluded" and s.status_of("D08").status == "included"
    agreed = [ScreeningDecision("D01", "title", "include", "", "carol", "r.csv row 3")]
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=TITLE, resolutions=agreed, settle={"title": "include-if-any"})
    assert err.value.problems == [
        "r.csv row 3, field 'id': the reviewers did not disagree about 'D01' at the title stage"
    ]


def test_the_whole_conflicts_sheet_resolved_at_once():
    """D05's title conflict and its (provisional) full-text conflict are both listed; the
    third reviewer excludes it at the title stage, so the full-text answer decides
    nothing and is noted, not refused."""
    title = TITLE + said("bob", "title", D05="exclude:不相关")
    with pytest.raises(UnresolvedConflicts) as err:
        screen(DOCS, decisions=title + FULLTEXT, settle={"title": "include-if-any"})
    assert [(c.doc_id, c.stage) for c in err.value.conflicts] == [
        ("D05", "fulltext"),  # D05's title conflict is settled by include-if-any here
    ]
    with pytest.raises(UnresolvedConflicts) as err:
        screen(DOCS, decisions=title + FULLTEXT)
    assert [(c.doc_id, c.stage) for c in err.value.conflicts if c.doc_id == "D05"] == [
        ("D05", "title"),
        ("D05", "fulltext"),
    ]
    carol = [
        ScreeningDecision(i, st, "exclude" if i == "D05" else "include", "不相关" if i == "D05" else "", "carol", f"r.csv row {n}")
        for n, (i, st) in enumerate(
            [(c.doc_id, c.stage) for c in err.value.conflicts], start=2
        )
    ]  # fmt: skip
    s = screen(DOCS, decisions=title + FULLTEXT, resolutions=carol)
    assert (s.status_of("D05").stage, s.status_of("D05").settled_by) == ("title", "carol")
    assert "D05 (carol, full text: excluded at the title stage)" in s.notes[0]


def test_single_researcher_overrides_the_rules_as_before():
    mine = said("", "title", D01="include") + said("", "fulltext", D02="exclude:无关")
    first = SimpleNamespace(**{**vars(DOCS[0]), "title": "政策解读：医联体"})
    s = screen([first, *DOCS[1:]], decisions=mine)
    assert s.status_of("D01").status == "included"  # the rule would have excluded it
    assert s.status_of("D02").reason == "无关"
    assert s.method.stages == () and s.method.statement().startswith(
        "Records and reports were screened by one reviewer."
    )


def test_a_stage_no_reviewer_decided_reports_no_agreement():
    # only title decisions recorded: at full text every decision is the rules' verdict,
    # so the reviewers "agree" 100 % with kappa undefined or 1 - not theirs to claim
    s = screen(DOCS, decisions=TITLE, settle={"title": "include-if-any"})
    full = s.method.stages[1]
    assert full.n_recorded == 0 and full.n_documents > 0
    text = s.method.statement()
    assert (
        f"Full text stage: {full.n_documents} document(s), every decision left to the rules "
        "(no reviewer recorded one), so no agreement between reviewers is reported." in text
    )
    assert "Full text stage: 8 document(s) (" not in text
    assert "Title stage: 10 document(s) (14 of 20 decisions left to the rules)" in text
    table = s.method.summary().to_frame()
    assert math.isnan(table.loc["full text", "kappa"])
    assert math.isnan(table.loc["full text", "agreement %"])
    assert table.loc["title", "kappa"] == pytest.approx(11 / 21, rel=1e-12)


def test_three_reviewers_use_fleiss_kappa():
    carol = said("carol", "title", D07="exclude:不相关", D09="exclude:x")
    s = screen(DOCS, decisions=TITLE + carol, settle={"title": "include-if-any"})
    title = s.method.stages[0]
    assert title.statistic == "Fleiss' kappa"
    # reference: statsmodels' Fleiss kappa on the same units × raters table
    excluded = {(d.reviewer, d.doc_id) for d in TITLE + carol if d.decision == "exclude"}
    table = [[int((r, i) in excluded) for r in ("alice", "bob", "carol")] for i in IDS]
    expected = fleiss_kappa(aggregate_raters(np.array(table))[0])
    assert title.kappa == pytest.approx(expected, rel=1e-12)


def test_decisions_naming_unknown_documents_are_all_named():
    stray = said("alice", "title", D99="include", D98="exclude:x")
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=TITLE + stray)
    assert err.value.problems == [
        # the nearest ids as data check names them (user review 20, finding 15)
        "alice.csv, field 'id': 'D99' is not a document of the corpus — did you mean 'D09'?",
        "alice.csv, field 'id': 'D98' is not a document of the corpus — the nearest listed: "
        "'D08' or 'D09'",
    ]


def test_settle_and_criteria_validation():
    with pytest.raises(InputError, match="stage must be one of title, fulltext, got 'abstract'"):
        check_settle({"abstract": "include-if-any"})
    with pytest.raises(InputError, match="must be one of include-if-any, got 'majority'"):
        screen(DOCS, settle={"title": "majority"})
    with pytest.raises(InputError, match="two or more reviewers"):
        stage_agreement("title", ["alice"], {"D01": ["include"]})


def test_kappa_undefined_when_every_decision_is_the_same():
    both = said("alice", "title", D01="include") + said("bob", "title", D01="include")
    s = screen(DOCS, decisions=both, criteria=ScreeningCriteria(date_to=dt.date(2030, 1, 1)))
    assert math.isnan(s.method.stages[0].kappa)
    assert "Cohen's kappa undefined (every decision was the same)" in s.method.statement()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["include", "exclude"]), min_size=10, max_size=10))
def test_a_reviewer_agrees_with_a_copy_of_themselves(choices):
    """Invariant: two identical sheets give 100 % agreement, no conflict, κ 1 (or
    undefined when every decision is the same)."""
    sheets = [
        ScreeningDecision(i, "title", c, "x" if c == "exclude" else "", who, who)
        for who in ("a", "b")
        for i, c in zip(IDS, choices, strict=True)
    ]
    s = screen(DOCS, decisions=sheets, criteria=ScreeningCriteria(title_exclusions=()))
    title = s.method.stages[0]
    assert title.percent_agreement == 100.0 and title.conflicts == 0
    assert title.kappa == 1.0 or (math.isnan(title.kappa) and len(set(choices)) == 1)
    assert len(s.included) == choices.count("include")


def test_decisions_about_documents_that_never_reached_their_stage_are_named():
    from ihms.policy.dedupe import Duplicate

    extra = said("alice", "title", D01="include") + said("alice", "fulltext", D09="include")
    s = screen(
        DOCS,
        decisions=TITLE + extra,
        duplicates=[Duplicate("D01", "D02", "document number", "国卫发〔2017〕1号")],
        settle={"title": "include-if-any"},
    )
    # D01 is a duplicate, removed before screening; both reviewers excluded D09 by title
    assert s.notes == (
        "2 screening decision(s) were not used, because their document did not reach that "
        "stage: D01 (alice, title: a duplicate of D02), D09 (alice, full text: excluded at "
        "the title stage)",
    )
    assert s.status_of("D01").status == "duplicate" and s.status_of("D09").stage == "title"


def test_no_document_reaching_the_full_text_stage_is_said_plainly():
    out = [
        ScreeningDecision(i, "title", "exclude", "不相关", r, r) for r in ("a", "b") for i in IDS
    ]
    s = screen(DOCS, decisions=out)
    assert s.method.stages[1].n_documents == 0 and s.included == []
    assert "No document reached the full text stage." in s.method.statement()
    # no agreement to show: missing (—) as in every SummaryTable, never 'nan'
    row = s.method.summary().to_text().splitlines()[-2]
    assert row.split() == ["full", "text", "0", "0", "—", "—", "—", "—", "0"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=10, max_size=10))
def test_title_kappa_matches_statsmodels_on_the_2x2_table(pairs):
    """Reference: statsmodels' ``cohens_kappa`` on the reviewers' 2 × 2 table."""
    from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

    sheets = [
        ScreeningDecision(i, "title", "exclude" if x else "include", "x" if x else "", who, who)
        for i, pair in zip(IDS, pairs, strict=True)
        for who, x in zip(("a", "b"), pair, strict=True)
    ]
    s = screen(DOCS, decisions=sheets, settle={"title": "include-if-any"})
    title = s.method.stages[0]
    table = np.zeros((2, 2))
    for a, b in pairs:
        table[int(a), int(b)] += 1
    agree = int(table[0, 0] + table[1, 1])
    assert title.conflicts == 10 - agree
    assert title.percent_agreement == pytest.approx(10.0 * agree, rel=1e-12)
    if agree == 10 and len(set(pairs)) == 1:
        assert math.isnan(title.kappa)  # one decision throughout: kappa undefined
    else:
        with np.errstate(invalid="ignore", divide="ignore"):  # its SEs on degenerate tables
            expected = sm_kappa(table).kappa
        assert title.kappa == pytest.approx(expected, rel=1e-9, abs=1e-12)
    # include-if-any: a document goes on unless both excluded it
    assert len(s.included) == sum(not (a and b) for a, b in pairs)


def test_a_reviewer_deciding_one_document_twice_is_refused():
    """The later decision silently won (run_pass kept one per reviewer, document, stage)."""
    twice = [
        ScreeningDecision("D01", "title", "exclude", "x", "a", "s1"),
        ScreeningDecision("D01", "title", "include", "", "a", "s2"),
        ScreeningDecision("D02", "title", "exclude", "y", "b", "t"),
    ]
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=twice, settle={"title": "include-if-any"})
    assert err.value.problems == [
        "s2, field 'id': 'D01' was already decided by a at the title stage in s1"
    ]
    resolved_twice = [
        ScreeningDecision("D07", "title", "include", "", "carol", "r.csv row 2"),
        ScreeningDecision("D07", "title", "exclude", "x", "dan", "s.csv row 2"),
    ]
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=TITLE, resolutions=resolved_twice)
    assert err.value.problems == [
        "s.csv row 2, field 'id': 'D07' was already decided at the title stage in r.csv row 2"
    ]


def test_decisions_given_directly_are_checked_as_a_sheet_is():
    """A stage 'abstract' raised a KeyError, 'Exclude' counted as an inclusion, 'maybe'
    reached κ, and an exclusion without a reason passed."""
    bad = [
        ScreeningDecision("D01", "abstract", "include", "", "a", "s1"),
        ScreeningDecision("D02", "title", "Exclude", "x", "a", "s2"),
        ScreeningDecision("D03", "title", "maybe", "", "b", "t1"),
        ScreeningDecision("D04", "fulltext", "exclude", " ", "b"),  # no source
    ]
    rule = [ScreeningDecision("D05", "title", "include", "", "include-if-any", "r1")]
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=[*bad, *TITLE], resolutions=rule)
    assert str(err.value).startswith("screening decisions: 5 problem(s)")
    assert err.value.problems == [
        "s1, field 'stage': expected title or fulltext, got 'abstract'",
        "s2, field 'decision': expected include or exclude, got 'Exclude'",
        "t1, field 'decision': expected include or exclude, got 'maybe'",
        "decisions[3], field 'reason': excluding 'D04' needs a reason",
        "r1, field 'reviewer': 'include-if-any' is a settle rule's name; name the reviewer who "
        "resolved the conflict",
    ]


def test_who_settled_each_stage_is_kept():
    """D08's title conflict is settled by the rule and its full-text conflict by carol;
    D07's title conflict by the rule, then both reviewers exclude it on reading it. The
    full-text stage used to overwrite (or blank) the title stage's settled_by."""
    full = said("alice", "fulltext", D07="exclude:非政策文件", D08="exclude:无整合内容") + said(
        "bob", "fulltext", D07="exclude:非政策文件"
    )
    carol = [ScreeningDecision("D08", "fulltext", "exclude", "无整合内容", "carol", "r.csv row 2")]
    s = screen(DOCS, decisions=TITLE + full, resolutions=carol, settle={"title": "include-if-any"})
    d07, d08 = s.status_of("D07"), s.status_of("D08")
    assert (d07.status, d07.stage, d07.settled_by) == ("excluded", "fulltext", "include-if-any")
    assert (d08.status, d08.stage, d08.settled_by) == (
        "excluded", "fulltext", "title: include-if-any; fulltext: carol",
    )  # fmt: skip
    assert s.status_of("D01").settled_by == ""


def test_an_unknown_document_is_pointed_at_the_nearest_one():
    # user review 20, finding 15: decisions made in code (or read from a sheet without the
    # corpus) are checked by screen(); 'D1' is as near 'D01' as 'D10', so both are named
    stray = said("alice", "title", D1="include", D7x="include")
    with pytest.raises(DataError) as err:
        screen(DOCS, decisions=TITLE + stray)
    assert err.value.problems == [
        "alice.csv, field 'id': 'D1' is not a document of the corpus — the nearest listed: "
        "'D01' or 'D10'",
        "alice.csv, field 'id': 'D7x' is not a document of the corpus — did you mean 'D07'?",
    ]
