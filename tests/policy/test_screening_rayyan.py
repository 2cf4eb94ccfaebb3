"""Decisions exported from Rayyan (``articles.csv``, the reviewers' votes in ``notes``)
read into the decisions a reviewer's sheet gives.

Every CSV here is made up for the tests in the layout of Rayyan's export (header as
rayyanqcri/rayyan-formats-core writes it; ``notes`` as befriendabacterium/rayyanR and
the other public readers parse it — see the module's docstring).
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.errors import DataError, InputError
from ihms.policy.dedupe import Duplicate
from ihms.policy.prisma import prisma_figure, screen
from ihms.policy.screening_rayyan import read_rayyan
from ihms.policy.screening_sheets import read_reviewer_decisions

HEADER = "key,title,year,journal,issn,volume,issue,pages,authors,url,language,publisher,location,abstract,notes\n"
DOCS = [
    SimpleNamespace(
        id=i, title=t, date=dt.date(y, 3, 1), text="推进医疗联合体建设和发展，" * 5, source="卫健委"
    )
    for i, t, y in [
        ("D1", "关于推进医疗联合体建设和发展的指导意见", 2017),
        ("D2", "关于开展“紧密型县域医疗卫生共同体”建设试点的通知", 2019),
        ("D3", "关于做好家庭医生签约服务工作的通知", 2018),
        ("D4", "关于印发医疗联合体综合绩效考核工作方案的通知", 2018),
    ]
]


def row(key, title, year, notes):
    quoted = notes.replace('"', '""')
    return f'{key},{title},{year},,,,,,,,chi,,,,"{quoted}"\n'


def write(tmp_path, *rows, name="articles.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


TITLE_EXPORT = (
    row("r1", "关于推进医疗联合体建设和发展的指导意见", 2017,
        'RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Included"}'),
    # Rayyan's copy has ASCII quotes and a space where the project has “…”
    row("r2", '关于开展"紧密型县域医疗卫生共同体" 建设试点的通知', 2019,
        'RAYYAN-INCLUSION: {"Alice"=>"Excluded", "Bob"=>"Included"} | RAYYAN-LABELS: 县域 | '
        "RAYYAN-EXCLUSION-REASONS: 非医联体政策,媒体报道"),
    row("r3", "关于做好家庭医生签约服务工作的通知", 2018,
        'RAYYAN-INCLUSION: {"Alice"=>"Maybe"} | USER-NOTES: {"Alice"=>["再看看全文"]}'),
    row("r4", "某市卫健委工作动态", 2020, ""),
)  # fmt: skip


def plain(decisions):
    return [(d.doc_id, d.stage, d.decision, d.reason, d.reviewer) for d in decisions]


def test_an_export_becomes_each_reviewers_decisions(tmp_path):
    got = read_rayyan(write(tmp_path, *TITLE_EXPORT), DOCS, stage="title")
    assert plain(got.decisions) == [
        ("D1", "title", "include", "", "Alice"),
        ("D1", "title", "include", "", "Bob"),
        ("D2", "title", "exclude", "非医联体政策; 媒体报道", "Alice"),
        ("D2", "title", "include", "", "Bob"),
        ("D3", "title", "include", "Maybe in Rayyan", "Alice"),  # a Maybe goes on
    ]
    assert [d.source for d in got.decisions[::2]] == [
        "articles.csv row 2",
        "articles.csv row 3",
        "articles.csv row 4",
    ]
    assert got.reviewers == ("Alice", "Bob") and got.matched_by == "title"
    assert got.undecided == ("D4",)
    assert got.unmatched == ((5, "某市卫健委工作动态"),)
    assert got.notes() == [
        "Rayyan export articles.csv (title stage, matched by title): decisions by Alice 3, Bob 2",
        "articles.csv: 1 document(s) without a decision in it (the rules' verdict stands for "
        "those that reach the stage): D4",
        "articles.csv: 1 row(s) without decisions matched no document: row 5 '某市卫健委工作动态'",
    ]


def test_the_same_decisions_as_the_reviewers_sheets(tmp_path):
    """Alice's and Bob's votes written as decisions sheets read the same."""
    (tmp_path / "Alice.csv").write_text(
        "id,stage,decision,reason\nD1,title,include,\nD2,title,exclude,非医联体政策; 媒体报道\n"
        "D3,title,include,Maybe in Rayyan\n",
        encoding="utf-8",
    )
    (tmp_path / "Bob.csv").write_text(
        "id,stage,decision,reason\nD1,title,include,\nD2,title,include,\n", encoding="utf-8"
    )
    sheets = read_reviewer_decisions([tmp_path / "Alice.csv", tmp_path / "Bob.csv"])
    rayyan = read_rayyan(write(tmp_path, *TITLE_EXPORT), DOCS, stage="title")
    assert sorted(plain(rayyan.decisions)) == sorted(plain(sheets))


def test_screening_from_a_rayyan_export(tmp_path):
    got = read_rayyan(write(tmp_path, *TITLE_EXPORT), DOCS, stage="title")
    s = screen(DOCS, decisions=got.decisions, settle={"title": "include-if-any"})
    title = s.method.stages[0]
    # Alice includes D1, D3 (Maybe), D4 (the rules), excludes D2; Bob includes all four
    # (D3, D4 by the rules). p_o = 3/4; p_e = 3/4 * 4/4 + 1/4 * 0/4 = 3/4; kappa = 0.
    assert title.percent_agreement == pytest.approx(75.0, rel=1e-12)
    assert title.kappa == pytest.approx(0.0, abs=1e-12)
    assert (title.conflicts, title.settled) == (1, (("include-if-any", 1),))
    assert s.status_of("D2").settled_by == "include-if-any"


def test_matching_by_an_id_column(tmp_path):
    path = write(
        tmp_path,
        row("D3", "家庭医生签约（另一标题）", 2018, 'RAYYAN-INCLUSION: {"Alice"=>"Included"}'),
        row("D4", "", "", 'RAYYAN-INCLUSION: {"Alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 考核方案'),
    )  # fmt: skip
    got = read_rayyan(path, DOCS, stage="fulltext", id_column="key")
    assert plain(got.decisions) == [
        ("D3", "fulltext", "include", "", "Alice"),
        ("D4", "fulltext", "exclude", "考核方案", "Alice"),
    ]
    assert got.matched_by == "key" and got.undecided == ("D1", "D2")
    with pytest.raises(InputError, match=r"missing column\(s\) \['doc'\] of a Rayyan export"):
        read_rayyan(path, DOCS, stage="title", id_column="doc")


def test_the_year_tells_documents_of_one_title_apart(tmp_path):
    twins = [
        SimpleNamespace(id=f"T{y}", title="关于做好医联体建设工作的通知", date=dt.date(y, 1, 1))
        for y in (2018, 2019, 2019)
    ]
    twins[2].id = "T2019b"
    vote = 'RAYYAN-INCLUSION: {"Alice"=>"Included"}'
    got = read_rayyan(write(tmp_path, row("a", twins[0].title, 2018, vote)), twins, stage="title")
    assert plain(got.decisions) == [("T2018", "title", "include", "", "Alice")]
    with pytest.raises(DataError) as err:
        read_rayyan(write(tmp_path, row("a", twins[0].title, 2019, vote)), twins, stage="title")
    assert err.value.problems == [
        "articles.csv row 2, field 'title': '关于做好医联体建设工作的通知' matches 2 documents "
        "(T2019, T2019b); add a column of the documents' ids to the export and match by it "
        "(--rayyan-id, or parameter id_column; Rayyan's key is its own id)"
    ]
    # T2019b reposts T2019 (find_duplicates says so): the title is the original's
    copy = Duplicate("T2019b", "T2019", "near-identical text", "Jaccard 0.98")
    path = write(tmp_path, row("a", twins[0].title, 2019, vote))
    got = read_rayyan(path, twins, stage="title", duplicates=[copy])
    assert plain(got.decisions) == [("T2019", "title", "include", "", "Alice")]


def test_every_problem_at_once_with_file_row_and_field(tmp_path):
    path = write(
        tmp_path,
        row("r1", "不在项目中的文件", 2020, 'RAYYAN-INCLUSION: {"Alice"=>"Included"}'),
        row("r2", DOCS[0].title, 2017, 'RAYYAN-INCLUSION: {"Alice"=>"Undecided"}'),
        row("r3", DOCS[1].title, 2019, 'RAYYAN-INCLUSION: {"Alice"=>"Maybe", "Bob"=>"Excluded"}'),
        row("r4", DOCS[2].title, 2018, 'RAYYAN-INCLUSION: {"Alice"=>"Included"}'),
        row("r5", DOCS[2].title, 2018, 'RAYYAN-INCLUSION: {"Alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 重复'),
        row("r6", DOCS[3].title, 2018, 'RAYYAN-INCLUSION: {"Alice"=>Included}'),
    )  # fmt: skip
    with pytest.raises(DataError) as err:
        read_rayyan(path, DOCS, stage="fulltext")
    assert err.value.problems == [
        "articles.csv row 2, field 'title': '不在项目中的文件' matches no document's title in the project",
        "articles.csv row 3, field 'notes': Alice's decision 'Undecided' is not one of Rayyan's "
        "(Included, Excluded, Maybe)",
        "articles.csv row 4, field 'notes': Alice said Maybe at the full-text stage; decide it in "
        "Rayyan, or say what a Maybe counts as (--maybe, or parameter maybe: include or exclude)",
        "articles.csv row 4, field 'notes': Bob excluded 'D2', but the export gives no "
        "RAYYAN-EXCLUSION-REASONS; give the reason to record (--rayyan-reason, or parameter "
        "missing_reason)",
        "articles.csv row 6, field 'title': Alice already decided 'D3' in row 5",
        "articles.csv row 7, field 'notes': cannot read RAYYAN-INCLUSION "
        '\'{"Alice"=>Included}\' from \'"Alice"=>Included\' on; expected "name"=>"decision" pairs',
    ]
    assert str(err.value).startswith(f"Rayyan export {path}: 6 problem(s)")


def test_maybe_and_missing_reasons_as_the_user_says(tmp_path):
    path = write(
        tmp_path,
        row("r3", DOCS[1].title, 2019, 'RAYYAN-INCLUSION: {"Alice"=>"Maybe", "Bob"=>"Excluded"}'),
    )  # fmt: skip
    got = read_rayyan(path, DOCS, stage="fulltext", maybe="exclude", missing_reason="全文不符")
    assert plain(got.decisions) == [
        ("D2", "fulltext", "exclude", "全文不符", "Alice"),
        ("D2", "fulltext", "exclude", "全文不符", "Bob"),
    ]
    with pytest.raises(InputError, match="parameter 'maybe': expected 'include' or 'exclude'"):
        read_rayyan(path, DOCS, stage="fulltext", maybe="yes")
    with pytest.raises(InputError, match="parameter 'stage': expected title or fulltext"):
        read_rayyan(path, DOCS, stage="abstract")


def test_left_overs_of_an_earlier_screening_are_not_decisions(tmp_path):
    """rayyanR drops ``<p>…</p>`` paragraphs and RAYYAN-INCLUSION text inside the labels
    or reasons, both left over from an earlier screening of the same records."""
    notes = (
        '<p>RAYYAN-INCLUSION: {"Old"=>"Excluded"}</p> RAYYAN-INCLUSION: {"Alice"=>"Excluded"} | '
        'RAYYAN-LABELS: 县域 RAYYAN-INCLUSION: {"Old"=>"Included"} | '
        "RAYYAN-EXCLUSION-REASONS: 媒体报道"
    )
    got = read_rayyan(write(tmp_path, row("r", DOCS[0].title, 2017, notes)), DOCS, stage="title")
    assert plain(got.decisions) == [("D1", "title", "exclude", "媒体报道", "Alice")]
    twice = 'RAYYAN-INCLUSION: {"Alice"=>"Included"} | RAYYAN-INCLUSION: {"Bob"=>"Included"}'
    with pytest.raises(DataError, match="2 RAYYAN-INCLUSION entries; expected one"):
        read_rayyan(write(tmp_path, row("r", DOCS[0].title, 2017, twice)), DOCS, stage="title")


names = st.text(st.sampled_from("AliceBob王芳李明 ·-"), min_size=1, max_size=8).map(str.strip)


@settings(max_examples=50, deadline=None)
@given(
    votes=st.dictionaries(
        names.filter(bool), st.sampled_from(["Included", "Excluded", "Maybe"]), max_size=4
    ),
    spaced=st.booleans(),
)
def test_any_reviewers_votes_read_back(tmp_path_factory, votes, spaced):
    sep = ", " if spaced else ","
    inclusion = sep.join(f'"{who}"=>"{said}"' for who, said in votes.items())
    notes = f"RAYYAN-INCLUSION: {{{inclusion}}} | RAYYAN-EXCLUSION-REASONS: 不相关"
    path = write(tmp_path_factory.mktemp("r"), row("r", DOCS[0].title, 2017, notes))
    got = read_rayyan(path, DOCS, stage="title")
    ours = {"Included": "include", "Excluded": "exclude", "Maybe": "include"}
    assert [(d.reviewer, d.decision) for d in got.decisions] == [
        (who, ours[said]) for who, said in votes.items()
    ]


def test_the_notes_a_record_was_imported_with_come_before_rayyans(tmp_path):
    """Rayyan keeps the notes a record carried when it was imported and appends its own
    after them (help.rayyan.ai, "Understanding Your Rayyan Export Files"); with none,
    its part starts with the space that follows them (N1 of rayyanR's
    example_inputs/tinea_update.ris, a real export). The votes are read either way."""
    notes = [
        ' RAYYAN-INCLUSION: {"Alice"=>"Included"} | RAYYAN-LABELS: 县域',
        '来源：卫健委网站 | 第2批 RAYYAN-INCLUSION: {"Alice"=>"Excluded", "Bob"=>"Included"} | '
        "RAYYAN-EXCLUSION-REASONS: 媒体报道",
    ]
    path = write(
        tmp_path, row("r1", DOCS[0].title, 2017, notes[0]), row("r2", DOCS[1].title, 2019, notes[1])
    )
    got = read_rayyan(path, DOCS, stage="title")
    assert plain(got.decisions) == [
        ("D1", "title", "include", "", "Alice"),
        ("D2", "title", "exclude", "媒体报道", "Alice"),
        ("D2", "title", "include", "", "Bob"),
    ]


def test_a_column_twice_in_other_letter_case_is_refused(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(
        "key,title,Title,notes\n"
        f'r1,{DOCS[0].title},另一标题,"RAYYAN-INCLUSION: {{""Alice""=>""Included""}}"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"articles.csv: column\(s\) \['title'\] appear more"):
        read_rayyan(path, DOCS, stage="title")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_an_export_saved_with_a_bom_or_in_gbk_reads_the_same(tmp_path, encoding):
    """Excel saves a CSV as UTF-8 with a byte-order mark, or in GBK on a Chinese Windows."""
    path = tmp_path / "articles.csv"
    path.write_bytes((HEADER + "".join(TITLE_EXPORT)).encode(encoding))
    got = read_rayyan(path, DOCS, stage="title")
    assert plain(got.decisions) == plain(
        read_rayyan(write(tmp_path, *TITLE_EXPORT, name="plain.csv"), DOCS, stage="title").decisions
    )
    assert got.unmatched == ((5, "某市卫健委工作动态"),)


def test_reasons_of_an_article_two_reviewers_excluded_are_said_to_be_shared(tmp_path):
    """Article rayyan-14440 of Rayyan's public "Tinea update" review, as exported
    (befriendabacterium/rayyanR, example_inputs/tinea_update.ris, its N1 notes): both
    reviewers excluded it, and the export lists four reasons for the article. Its
    customizations_log.csv shows all four were given by Zbys (user 5) and none by
    m.el-gohary (user 16), so each excluding reviewer is given all of them and the
    import says so for the record."""
    doc = SimpleNamespace(
        id="T40",
        title="Prevalences of skin diseases among primary schoolchildren in Damietta, Egypt",
        date=dt.date(2014, 1, 1),
    )
    notes = (
        ' RAYYAN-INCLUSION: {"Zbys"=>"Excluded", "m.el-gohary"=>"Excluded"} | '
        "RAYYAN-LABELS: M.el-G please review | RAYYAN-EXCLUSION-REASONS: wrong population,"
        "background article,wrong study design,wrong publication type"
    )
    alone = ' RAYYAN-INCLUSION: {"Zbys"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: wrong drug'
    other = SimpleNamespace(id="T33", title="A comparative study", date=dt.date(2013, 1, 1))
    path = write(
        tmp_path, row("rayyan-14440", f'"{doc.title}"', 2014, notes),
        row("rayyan-14433", other.title, 2013, alone),
    )  # fmt: skip
    got = read_rayyan(path, [doc, other], stage="title")
    reasons = "wrong population; background article; wrong study design; wrong publication type"
    assert plain(got.decisions) == [
        ("T40", "title", "exclude", reasons, "Zbys"),
        ("T40", "title", "exclude", reasons, "m.el-gohary"),
        ("T33", "title", "exclude", "wrong drug", "Zbys"),
    ]
    assert got.shared_reasons == (2,)  # row 3, excluded by Zbys alone, is his
    assert got.notes()[1] == (
        "articles.csv: 1 article(s) excluded by two or more reviewers carry the article's "
        "exclusion reasons for each of them (the export does not say whose each reason is; "
        "Rayyan's customizations_log.csv does, put beside it): row 2"
    )


def tinea_log(tmp_path, *extra):
    """customizations_log.csv for articles 14440 and 14433 of that review, its events as
    rayyanR's example_inputs/customizations_log.csv has them (addresses made up): Zbys
    (user 5) excludes 14440 giving three reasons, then a fourth two weeks later, and
    excludes 14433 for two; the second reviewer (user 16) excludes 14440 giving none,
    and decides 14431, an article this export does not hold."""
    z, m = "5,zbys@example.org", "16,mg@example.ac.uk"
    lines = [
        "created_at,user_id,user_email,article_id,key,value",
        f"2014-05-22T10:17:22.301Z,{z},14440,included,-1",
        f'2014-05-22T10:17:37.275Z,{z},14440,"""__EXR__background article""",1',
        f'2014-05-22T10:17:47.759Z,{z},14440,"""__EXR__wrong population""",1',
        f'2014-05-22T10:17:53.347Z,{z},14440,"""__EXR__wrong publication type""",1',
        f"2014-05-24T11:23:28.164Z,{z},14433,included,-1",
        f'2014-05-24T11:23:57.175Z,{z},14433,"""__EXR__wrong intervention""",1',
        f"2014-05-28T20:22:53.930Z,{m},14431,included,1",
        f'2014-05-28T20:23:45.078Z,{z},14433,"""__EXR__wrong drug""",1',
        f"2014-05-28T20:24:34.842Z,{m},14440,included,-1",
        f'2014-05-28T20:24:42.431Z,{z},14440,"""__EXR__wrong study design""",1',
        *extra,
    ]
    path = tmp_path / "customizations_log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_customizations_log_beside_the_export_says_whose_reasons_are_whose(tmp_path):
    """The same export with its customizations_log.csv beside it: the names of
    RAYYAN-INCLUSION are tied to the log's addresses by their decisions (Zbys alone
    excluded both articles, m.el-gohary only 14440), so Zbys's exclusions carry the
    reasons he gave (in the order given; 14433's 'wrong intervention' the article's
    notes left out), and m.el-gohary, who gave none, keeps the article's four."""
    doc = SimpleNamespace(id="T40", title="Prevalences of skin diseases", date=dt.date(2014, 1, 1))
    other = SimpleNamespace(id="T33", title="A comparative study", date=dt.date(2013, 1, 1))
    notes = (
        'RAYYAN-INCLUSION: {"Zbys"=>"Excluded", "m.el-gohary"=>"Excluded"} | '
        "RAYYAN-EXCLUSION-REASONS: wrong population,background article,wrong study design,"
        "wrong publication type"
    )
    alone = 'RAYYAN-INCLUSION: {"Zbys"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: wrong drug'
    path = write(
        tmp_path, row("rayyan-14440", doc.title, 2014, notes),
        row("rayyan-14433", other.title, 2013, alone),
    )  # fmt: skip
    # a reason given and taken back is not theirs
    tinea_log(tmp_path, '2014-06-01T09:00:00.000Z,16,mg@example.ac.uk,14440,"""__EXR__x""",1',
              '2014-06-01T09:00:05.000Z,16,mg@example.ac.uk,14440,"""__EXR__x""",deleted')  # fmt: skip
    got = read_rayyan(path, [doc, other], stage="title")
    article = "wrong population; background article; wrong study design; wrong publication type"
    assert plain(got.decisions) == [
        ("T40", "title", "exclude",
         "background article; wrong population; wrong publication type; wrong study design",
         "Zbys"),
        ("T40", "title", "exclude", article, "m.el-gohary"),
        ("T33", "title", "exclude", "wrong intervention; wrong drug", "Zbys"),
    ]  # fmt: skip
    assert got.shared_reasons == ()
    assert got.log.emails == {"Zbys": "zbys@example.org", "m.el-gohary": "mg@example.ac.uk"}
    assert "Zbys = zbys@example.org, m.el-gohary = mg@example.ac.uk" in got.notes()[1]
    # log=False reads the export alone, as before
    alone_read = read_rayyan(path, [doc, other], stage="title", log=False)
    assert alone_read.log is None and alone_read.shared_reasons == (2,)


def test_a_name_the_log_cannot_tie_to_one_address_keeps_the_articles_reasons(tmp_path):
    """Two reviewers who decided the same articles alike cannot be told apart by their
    decisions: neither is tied, both keep the article's reasons, and the notes say so."""
    doc = SimpleNamespace(id="T40", title="Prevalences of skin diseases", date=dt.date(2014, 1, 1))
    notes = (
        'RAYYAN-INCLUSION: {"Zbys"=>"Excluded", "m.el-gohary"=>"Excluded"} | '
        "RAYYAN-EXCLUSION-REASONS: wrong population"
    )
    path = write(tmp_path, row("rayyan-14440", doc.title, 2014, notes))
    tinea_log(tmp_path)
    got = read_rayyan(path, [doc], stage="title")
    assert [d.reason for d in got.decisions] == ["wrong population"] * 2
    assert got.shared_reasons == (2,)
    said = "\n".join(got.notes())
    assert "Zbys matches the decisions of several addresses" in said
    assert "gives none of them reasons of their own" in said


def test_each_exports_reviewers_screen_its_stage_only(tmp_path):
    # titles by Alice and Bob, full texts by Carol and Dan, as Rayyan holds one stage per
    # review: D2 (Alice excluded, Bob included) is settled by include-if-any at the title
    # stage; Carol and Dan exclude it at full text. Without the stage reviewers Carol and
    # Dan would count at the title stage too, through the rules' include.
    title = read_rayyan(write(tmp_path, *TITLE_EXPORT), DOCS, stage="title")
    fulltext_rows = (
        row("f1", DOCS[0].title, 2017, 'RAYYAN-INCLUSION: {"Carol"=>"Included", "Dan"=>"Included"}'),
        row("f2", DOCS[1].title, 2019,
            'RAYYAN-INCLUSION: {"Carol"=>"Excluded", "Dan"=>"Excluded"} | '
            "RAYYAN-EXCLUSION-REASONS: 非医联体政策"),
    )  # fmt: skip
    fulltext = read_rayyan(
        write(tmp_path, *fulltext_rows, name="fulltext.csv"), DOCS, stage="fulltext"
    )
    assert title.stage_reviewers == {"title": ["Alice", "Bob"]}
    s = screen(
        DOCS,
        decisions=[*title.decisions, *fulltext.decisions],
        settle={"title": "include-if-any"},
        stage_reviewers={**title.stage_reviewers, **fulltext.stage_reviewers},
    )
    assert s.method.reviewers_at("title") == ("Alice", "Bob")
    assert s.method.reviewers_at("fulltext") == ("Carol", "Dan")
    # the title stage as in test_screening_from_a_rayyan_export: p_o 3/4, kappa 0
    stage = {a.stage: a for a in s.method.stages}
    assert stage["title"].percent_agreement == pytest.approx(75.0, rel=1e-12)
    assert stage["fulltext"].conflicts == 0
    d2 = s.status_of("D2")
    assert (d2.status, d2.stage, d2.reason) == ("excluded", "fulltext", "非医联体政策")
    said = s.method.statement()
    assert said.index("Alice") < said.index("full-text stage") < said.index("Carol")


def test_full_text_exclusion_reasons_fill_the_prisma_reports_excluded_counts(tmp_path):
    """review13 asked whether the reasons in a Rayyan export reach PRISMA's "Reports
    excluded, with reasons". A full-text export written by hand in the layout of
    help.rayyan.ai's "Understanding Your Rayyan Export Files" (the reasons after
    ``RAYYAN-EXCLUSION-REASONS:``, comma-separated, only where a member gave one): D2 and
    D4 excluded by both for a wrong population, D3 by both for two reasons, D1 included."""
    export = write(
        tmp_path,
        row("rayyan-101", DOCS[0].title, 2017,
            'RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Included"}'),
        row("rayyan-102", DOCS[1].title, 2019,
            'RAYYAN-INCLUSION: {"Alice"=>"Excluded", "Bob"=>"Excluded"} | '
            "RAYYAN-EXCLUSION-REASONS: wrong population"),
        row("rayyan-103", DOCS[2].title, 2018,
            'RAYYAN-INCLUSION: {"Alice"=>"Excluded", "Bob"=>"Excluded"} | RAYYAN-LABELS: 签约 | '
            "RAYYAN-EXCLUSION-REASONS: not a policy document,wrong setting | "
            'USER-NOTES: {"Bob"=>["a news item"]}'),
        row("rayyan-104", DOCS[3].title, 2018,
            'RAYYAN-INCLUSION: {"Alice"=>"Excluded", "Bob"=>"Excluded"} | '
            "RAYYAN-EXCLUSION-REASONS: wrong population"),
    )  # fmt: skip
    got = read_rayyan(export, DOCS, stage="fulltext")
    flow = screen(DOCS, decisions=got.decisions).flow()
    assert flow["excluded_title"] == 0 and flow["assessed"] == 4
    assert flow["excluded_fulltext"] == 3 and flow["included"] == 1
    # PRISMA 2020 counts each reason a report was excluded for (Page et al. 2021, BMJ
    # 372:n71, Figure 1: "Reports excluded: Reason 1 (n = ) Reason 2 (n = )"): D3's two
    # reasons count once each, not as a combined category, and the counts (4) add to
    # more than the reports excluded (3), which the summary says
    assert flow["excluded_fulltext_reasons"] == {
        "wrong population": 2,
        "not a policy document": 1,
        "wrong setting": 1,
    }
    assert flow["excluded_fulltext_several_reasons"] == 1
    notes = " ".join(screen(DOCS, decisions=got.decisions).summary(method=False).notes)
    assert "1 report(s) excluded at the full-text stage for several reasons" in notes
    fig = prisma_figure(screen(DOCS, decisions=got.decisions))
    drawn = "\n".join(t.get_text() for t in fig.axes[0].texts)
    assert "not a policy document (n = 1)" in drawn
    assert "(a report may have several reasons)" in drawn


def test_a_log_that_is_not_rayyans_is_refused_saying_how_to_go_without(tmp_path):
    doc = SimpleNamespace(id="T40", title="Prevalences of skin diseases", date=dt.date(2014, 1, 1))
    notes = 'RAYYAN-INCLUSION: {"Zbys"=>"Included"}'
    path = write(tmp_path, row("rayyan-14440", doc.title, 2014, notes))
    (tmp_path / "customizations_log.csv").write_text("created_at,user,article\n1,2,3\n")
    with pytest.raises(InputError) as err:
        read_rayyan(path, [doc], stage="title")
    said = str(err.value)
    assert "missing column(s) ['user_email', 'article_id', 'key', 'value']" in said
    assert "move it away, or pass log=False" in said
    assert len(read_rayyan(path, [doc], stage="title", log=False).decisions) == 1
