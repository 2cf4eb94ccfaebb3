"""``ihms policy screen`` with two reviewers screening the example corpus independently."""

import json
import shutil
import sqlite3

import pandas as pd
import pytest
from tests.cli.test_policy_cli import EXAMPLES, run, said
from tests.policy.test_screening_store import dump

# alice excludes P13 by its title, bob leaves it to the rules (include); bob excludes M06
# on reading it, alice leaves it to the rules (include). Both exclude E01 and E02, which
# the title rules exclude too.
ALICE = "id,stage,decision,reason\nE01,title,exclude,政策解读\nE02,title,排除,媒体报道\nP13,title,exclude,与医联体无关\n"
BOB = {
    "编号": ["E01", "E02", "M06"],
    "阶段": ["初筛", "初筛", "全文"],
    "决定": ["排除", "排除", "排除"],
    "理由": ["政策解读", "媒体报道", "仅转发上级文件"],
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    work = tmp_path_factory.mktemp("screen")
    project = work / "study.sqlite"
    assert run("init", project).exit_code == 0
    assert (
        run(
            "import", project, EXAMPLES / "corpus", "--metadata", EXAMPLES / "metadata.xlsx"
        ).exit_code
        == 0
    )
    return project


@pytest.fixture
def study(imported, tmp_path):
    project = tmp_path / "study.sqlite"
    shutil.copy(imported, project)
    (tmp_path / "alice.csv").write_text(ALICE, encoding="utf-8")
    pd.DataFrame(BOB).to_excel(tmp_path / "bob.xlsx", index=False)
    return tmp_path, project


def two(work, project, *more):
    return run(
        "screen",
        project,
        "--to",
        "2021-12-31",
        "--decisions",
        work / "alice.csv",
        "--decisions",
        work / "bob.xlsx",
        *more,
    )


def statuses(project):
    with sqlite3.connect(project) as conn:
        return dict(conn.execute("SELECT id, status FROM documents"))


def test_conflicts_stop_screening_and_are_listed_for_a_third_reviewer(study):
    work, project = study
    before = statuses(project)
    res = two(work, project)
    assert res.exit_code == 2
    listed = work / "study-screening-conflicts.xlsx"
    assert (
        "screening cannot finish: 2 conflict(s) between reviewers alice and bob are unresolved "
        "(title 1, full text 1)." in said(res)
    )
    # rich wraps the long path anywhere: compare without white space
    squeezed = "".join(res.output.split())
    assert "".join(f"The list is in {listed}; the project is unchanged.".split()) in squeezed
    assert statuses(project) == before  # nothing recorded
    sheet = pd.read_excel(listed, dtype=str, keep_default_na=False)
    assert sheet[
        ["id", "stage", "alice: decision", "bob: decision", "bob: reason"]
    ].values.tolist() == [
        ["P13", "title", "exclude", "include (rules)", ""],
        ["M06", "fulltext", "include (rules)", "exclude", "仅转发上级文件"],
    ]


def test_third_reviewer_settles_and_the_report_states_the_method(study):
    work, project = study
    res = settled_by_carol(
        work, project, "--record", work / "record.xlsx", "--figure", work / "prisma.png"
    )
    text = said(res)
    assert (
        "Each record and each report was screened by 2 reviewers (alice and bob) working independently."
        in text
    )
    # Title, 34 records (36 read, 2 duplicates): both include 31, both exclude 2 (E01, E02),
    # alice alone excludes P13. p_o = 33/34; alice includes 31/34, bob 32/34, so
    # p_e = (31*32 + 3*2) / 34^2 = 998/1156; kappa = (1122 - 998) / (1156 - 998) = 124/158 = 0.785.
    # Gwet's AC1 (two decisions, pe = 2π(1 − π)): π = 63/68 include, pe = 630/4624,
    # AC1 = (33/34 − 630/4624)/(1 − 630/4624) = 1929/1997 = 0.966; PABAK = 2·33/34 − 1 = 0.941.
    assert (
        "Title stage: 34 document(s) (63 of 68 decisions left to the rules), agreement 97.1%, Cohen's kappa 0.78, Gwet's AC1 0.97, PABAK 0.94; 1 conflict(s) settled by carol, a third reviewer."
        in text
    )
    # Full text, 32 reports: both include 30, both exclude E03 (the rules' date window), bob
    # alone excludes M06. p_o = 31/32; p_e = (31*30 + 1*2) / 32^2 = 932/1024;
    # kappa = (992 - 932) / (1024 - 932) = 60/92 = 0.652. AC1: π = 61/64, pe = 366/4096,
    # AC1 = 1801/1865 = 0.966; PABAK = 2·31/32 − 1 = 0.9375.
    assert (
        "Full text stage: 32 document(s) (63 of 64 decisions left to the rules), agreement 96.9%, Cohen's kappa 0.65, Gwet's AC1 0.97, PABAK 0.94;"
        in text
    )
    st = statuses(project)
    assert (st["P13"], st["M06"], st["E03"]) == ("included", "excluded", "excluded")
    record = pd.read_excel(work / "record.xlsx", dtype=str, keep_default_na=False).set_index("id")
    assert len(record) == 36
    assert (record.loc["M06", "settled_by"], record.loc["M06", "bob: full text reason"]) == (
        "carol",
        "仅转发上级文件",
    )
    assert record.loc["X01", "status"] == "duplicate" and record.loc["X01", "alice: title"] == ""
    assert (work / "prisma.png").stat().st_size > 10_000


def test_settle_include_if_any_at_the_title_stage(study):
    work, project = study
    res = two(
        work, project, "--settle", "include-if-any", "--settle", "fulltext=include-if-any", "--json"
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    # P13 and M06 both go on: 36 read - 2 duplicates - E01, E02 (title) - E03 (full text)
    assert out["flow"]["included"] == 31
    assert "settled by include-if-any." in out["method"]
    assert [row["conflicts"] for row in out["agreement"]] == [1, 1]
    assert [row["stage"] for row in out["agreement"]] == ["title", "full text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--settle", "title=majority"),
            "option --settle: rule for the title stage must be one of include-if-any, got 'majority'",
        ),
        (
            ("--settle", "abstract=include-if-any"),
            "option --settle: stage must be one of title, fulltext, got 'abstract'",
        ),
        (
            ("--settle", "include-if-any", "--settle", "title=include-if-any"),
            "the title stage is given twice",
        ),
        (("--reviewer", "ann"), "one name per decisions sheet (2), got 1"),
        (("--record", "record.txt"), "expected a .xlsx or .csv"),
        (
            ("--settle", "include-if-any", "--figure", "prisma.txt"),
            "option '--figure': expected a .png or .svg file name",
        ),
        (
            ("--resolved-by", "carol"),
            "option --resolved-by names who resolved the conflicts of --resolutions; give "
            "--resolutions too",
        ),
    ],
)
def test_bad_options(study, args, message):
    work, project = study
    before = statuses(project)
    res = two(work, project, *[work / a if a.endswith(".txt") else a for a in args])
    assert res.exit_code == 2 and message in said(res), said(res)
    assert statuses(project) == before  # refused before anything was recorded


def test_an_output_that_cannot_be_written_leaves_the_project_unchanged(study):
    """The figure was drawn after the screening was recorded."""
    work, project = study
    before = statuses(project)
    figure = work / "alice.csv" / "prisma.png"  # a folder that is a file
    both = ("--settle", "include-if-any", "--settle", "fulltext=include-if-any")
    res = two(work, project, *both, "--figure", figure)
    assert res.exit_code == 2, res.output
    assert "option --figure: cannot write" in said(res) and "the project is unchanged" in said(res)
    assert statuses(project) == before
    assert two(work, project, *both, "--figure", work / "prisma.svg").exit_code == 0
    assert statuses(project) != before and (work / "prisma.svg").stat().st_size > 10_000


def test_a_project_that_cannot_be_written_leaves_no_figure_or_record(study, monkeypatch):
    """The figure and the record were written before the project: a failed write of the
    screening left them describing a screening the project does not hold."""
    from ihms.policy.project import Project

    work, project = study
    before = statuses(project)

    def locked(self, result):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Project, "set_screening", locked)
    both = ("--settle", "include-if-any", "--settle", "fulltext=include-if-any")
    outputs = ("--figure", work / "prisma.png", "--record", work / "record.xlsx")
    res = two(work, project, *both, *outputs)
    assert isinstance(res.exception, sqlite3.OperationalError), res.output
    assert statuses(project) == before
    left = sorted(p.name for p in work.iterdir() if not p.name.startswith("study.sqlite"))
    assert left == ["alice.csv", "bob.xlsx"]  # no figure, no record, no hidden part
    monkeypatch.undo()
    assert two(work, project, *both, *outputs).exit_code == 0
    assert (work / "prisma.png").stat().st_size > 10_000 and (work / "record.xlsx").exists()


def test_settle_needs_two_reviewers(study):
    work, project = study
    res = run("screen", project, "--decisions", work / "alice.csv", "--settle", "include-if-any")
    assert res.exit_code == 2
    assert (
        "option --settle settles conflicts between reviewers, but the decisions name 1 "
        "reviewer(s): give each reviewer's sheet with --decisions" in said(res)
    ), said(res)


def test_bad_sheets_report_every_problem_with_file_row_and_field(study):
    work, project = study
    (work / "alice.csv").write_text(
        ALICE
        + "ZZ9,title,exclude,x\nN01,abstract,include,\nN02,title,maybe,\nN03,fulltext,exclude,\nP13,初筛,纳入,\n",
        encoding="utf-8",
    )
    res = two(work, project)
    assert res.exit_code == 2
    text = said(res)
    for problem in (
        "alice.csv row 5, field 'id': 'ZZ9' is not a document of the corpus",
        "alice.csv row 6, field 'stage': expected title or fulltext (标题/初筛, 全文), got 'abstract'",
        "alice.csv row 7, field 'decision': expected include or exclude (纳入/排除), got 'maybe'",
        "alice.csv row 8, field 'reason': excluding 'N03' needs a reason",
        "alice.csv row 9, field 'id': 'P13' was already decided by alice at the title stage in row 4",
    ):
        assert problem in text, problem
    assert "5 problem(s)" in text


def test_one_researcher_works_as_before(study):
    _work, project = study
    res = run(
        "screen", project, "--to", "2021-12-31", "--decisions", EXAMPLES / "screening.csv", "--json"
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["flow"]["included"] == 31 and out["agreement"] == []
    assert out["method"].startswith("Records and reports were screened by one reviewer.")


def settled_by_carol(work, project, *more):
    assert two(work, project, "--conflicts", work / "c.csv").exit_code == 2
    sheet = pd.read_csv(work / "c.csv", dtype=str, keep_default_na=False)
    sheet["decision"] = ["纳入", "排除"]
    sheet["reason"] = ["", "仅转发上级文件"]
    sheet.to_csv(work / "c.csv", index=False)
    res = two(work, project, "--resolutions", work / "c.csv", "--resolved-by", "carol", *more)
    assert res.exit_code == 0, res.output
    return res


def test_the_stored_screening_is_reported_from_the_project_alone(study):
    work, project = study
    first = settled_by_carol(work, project, "--record", work / "record.xlsx", "--json")
    for sheet in ("alice.csv", "bob.xlsx", "c.csv"):
        (work / sheet).unlink()  # the project must not need them
    res = run("screening", project, "--record", work / "again.csv", "--conflicts",
              work / "settled.xlsx", "--json")  # fmt: skip
    assert res.exit_code == 0, res.output
    out, before = json.loads(res.output), json.loads(first.output)
    assert out["method"] == before["method"] and out["flow"] == before["flow"]
    assert out["agreement"] == before["agreement"]
    # the kappas worked by hand in test_third_reviewer_settles_and_the_report_states_the_method
    assert [round(row["kappa"], 3) for row in out["agreement"]] == [0.785, 0.652]
    # and AC1 and PABAK, also worked by hand there: 1929/1997, 1801/1865; 32/34, 30/32
    assert [row["AC1"] for row in out["agreement"]] == pytest.approx(
        [1929 / 1997, 1801 / 1865], rel=1e-12
    )
    assert [row["PABAK"] for row in out["agreement"]] == pytest.approx(
        [32 / 34, 30 / 32], rel=1e-12
    )
    again = pd.read_csv(work / "again.csv", dtype=str, keep_default_na=False)
    written = pd.read_excel(work / "record.xlsx", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(again, written)
    settled = pd.read_excel(work / "settled.xlsx", dtype=str, keep_default_na=False)
    assert settled[
        ["id", "stage", "alice: decision", "bob: decision", "decision", "resolved_by"]
    ].values.tolist() == [
        ["M06", "fulltext", "include (rules)", "exclude", "exclude", "carol"],
        ["P13", "title", "exclude", "include (rules)", "include", "carol"],
    ]
    table = run("screening", project)
    assert table.exit_code == 0 and "settled by carol, a third reviewer." in said(table)


def test_screening_report_of_an_unscreened_project_or_a_bad_path(study):
    work, project = study
    res = run("screening", project)
    assert res.exit_code == 2 and "has not been screened yet" in said(res)
    res = run("screening", project, "--conflicts", work / "c.txt")
    assert res.exit_code == 2 and "expected a .xlsx or .csv" in said(res)


def rayyan_csv(path, rows):
    """A made-up Rayyan export: key, title, year and the votes in notes."""
    frame = pd.DataFrame(rows, columns=["key", "title", "year", "notes"])
    frame.insert(3, "abstract", "")
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def test_decisions_from_rayyan_exports_screen_like_the_sheets(study):
    """alice's and bob's decisions of ALICE/BOB, screened in Rayyan instead: the title
    export matched by title, the full-text one by the ids in its key column."""
    work, project = study
    with sqlite3.connect(project) as conn:
        docs = dict(conn.execute("SELECT id, title FROM documents"))
        years = dict(conn.execute("SELECT id, substr(date, 1, 4) FROM documents"))
    title_votes = {
        "E01": '{"alice"=>"Excluded", "bob"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 政策解读',
        "E02": '{"alice"=>"Excluded", "bob"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 媒体报道',
        "P13": '{"alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 与医联体无关',
        "N01": '{"alice"=>"Included", "bob"=>"Maybe"}',
        # the corpus holds N02 twice (X01 reposts it): the title is the original's
        "N02": '{"alice"=>"Included", "bob"=>"Included"}',
    }
    rows = [
        (f"rayyan-{n}", docs[i], years[i], f"RAYYAN-INCLUSION: {v}" if v else "")
        for n, i in enumerate(sorted(docs))
        for v in [title_votes.get(i, "")]
        if not i.startswith("X")  # Rayyan removed the duplicates
    ]
    rows.append(("rayyan-99", "某县医共体工作简报", "2020", ""))
    rayyan_csv(work / "title.csv", rows)
    vote = 'RAYYAN-INCLUSION: {"bob"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 仅转发上级文件'
    rayyan_csv(work / "full.csv", [("rayyan-7", docs["M06"], years["M06"], vote)])
    both = ("--rayyan", f"title={work / 'title.csv'}", "--rayyan", f"fulltext={work / 'full.csv'}")
    settle = ("--settle", "include-if-any", "--settle", "fulltext=include-if-any")
    before = dump(project)
    res = run("screen", project, "--to", "2021-12-31", *both, "--rayyan-id", "key", *settle)
    # Rayyan's own keys are not the project's ids: every row with votes is named
    assert res.exit_code == 2 and "Rayyan exports: 6 problem(s)" in said(res), said(res)
    for problem in (
        "title.csv row 2, field 'key': 'rayyan-0' is not a document of the project",
        "full.csv row 2, field 'key': 'rayyan-7' is not a document of the project",
    ):
        assert problem in said(res)
    assert dump(project) == before  # the whole file, not only the statuses
    # alice screened the full texts too, leaving M06 to the rules: named so, the same
    # decisions as the sheets (N01's Maybe counts as include) and the kappas worked by
    # hand in test_third_reviewer_settles_and_the_report_states_the_method
    named = ("--stage-reviewers", "title=alice,bob", "--stage-reviewers", "fulltext=alice,bob")
    res = run("screen", project, "--to", "2021-12-31", *both, *settle, *named, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [round(row["kappa"], 3) for row in out["agreement"]] == [0.785, 0.652]
    assert out["flow"]["included"] == 31
    # not named: each export's reviewers are its stage's, so bob alone read the full
    # texts (no full-text agreement) and his exclusion of M06 is no conflict but stands
    res = run("screen", project, "--to", "2021-12-31", *both, *settle, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [(row["stage"], round(row["kappa"], 3)) for row in out["agreement"]] == [
        ("title", 0.785)
    ]
    assert out["flow"]["included"] == 30
    assert out["method"].startswith(
        "Records were screened at the title stage by 2 reviewers (alice and bob) working "
        "independently, and reports at the full-text stage by one reviewer (bob)."
    )
    assert out["rayyan"][-2:] == [
        "Reviewers at the title stage: alice, bob (taken from the Rayyan export title.csv; a "
        "Rayyan reviewer counts only at the stage of their export)",
        "Reviewers at the full text stage: bob (taken from the Rayyan export full.csv; a "
        "Rayyan reviewer counts only at the stage of their export)",
    ]
    assert out["rayyan"][0] == (
        "Rayyan export title.csv (title stage, matched by title): decisions by alice 5, bob 4"
    )
    # 36 documents, 5 with votes (E01, E02, P13, N01, N02); row 36 is not in the project
    assert out["rayyan"][1].startswith("title.csv: 31 document(s) without a decision in it")
    # E01 and E02: both excluded, each given the article's reasons
    assert out["rayyan"][2].startswith("title.csv: 2 article(s) excluded by two or more")
    assert out["rayyan"][3] == (
        "title.csv: 1 row(s) without decisions matched no document: row 36 '某县医共体工作简报'"
    )
    back = run("screening", project, "--json")
    stored = json.loads(back.output)
    assert stored["agreement"] == out["agreement"] and stored["method"] == out["method"]
    # what the imports did is kept with the screening, not only printed once
    assert stored["notes"][: len(out["rayyan"])] == out["rayyan"] and len(out["rayyan"]) == 8
    assert "title.csv: 1 row(s) without decisions matched no document" in said(
        run("screening", project)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--rayyan", "articles.csv"), "option --rayyan: expected STAGE=FILE such as title=articles.csv"),
        (("--maybe", "include"), "option(s) --maybe apply to a Rayyan export; give --rayyan STAGE=FILE"),
        (("--rayyan", "title=x.csv", "--maybe", "perhaps"), "option --maybe: expected include or exclude"),
        (("--rayyan", "abstract=x.csv"), "parameter 'stage': expected title or fulltext"),
        (("--rayyan", "title=nowhere.csv"), "nowhere.csv: no such file"),
    ],
)  # fmt: skip
def test_bad_rayyan_options(study, args, message):
    _work, project = study
    before = statuses(project)
    res = run("screen", project, *args)
    assert res.exit_code == 2 and message in said(res), said(res)
    assert statuses(project) == before


def test_each_stages_reviewers_named(study):
    """bob alone read the full texts: named so, his exclusion of M06 stands (no conflict
    with alice's rules include); a decision by someone not named for its stage, or a
    name nobody decided under, is refused with the project unchanged."""
    work, project = study
    before = dump(project)
    res = two(
        work, project, "--stage-reviewers", "title=alice", "--stage-reviewers", "fulltext=bob"
    )
    assert res.exit_code == 2
    assert "screening reviewers per stage: 2 problem(s)" in said(res)
    assert (
        "bob.xlsx row 2, field 'reviewer': 'bob' decided 'E01' at the title stage, whose "
        "reviewers are ['alice']" in said(res)
    )
    res = two(work, project, "--stage-reviewers", "fulltext=bob,erin")
    assert res.exit_code == 2 and "'erin' recorded no decision in any source" in said(res)
    res = two(work, project, "--stage-reviewers", "fulltext:bob")
    assert res.exit_code == 2 and "option --stage-reviewers: expected STAGE=NAME,NAME" in said(res)
    assert dump(project) == before
    named = ("--stage-reviewers", "title=alice,bob", "--stage-reviewers", "fulltext=bob")
    res = two(work, project, *named, "--settle", "include-if-any", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert statuses(project)["M06"] == "excluded"
    assert [row["stage"] for row in out["agreement"]] == ["title"]
    assert out["method"].startswith(
        "Records were screened at the title stage by 2 reviewers (alice and bob) working "
        "independently, and reports at the full-text stage by one reviewer (bob)."
    )
    assert json.loads(run("screening", project, "--json").output)["method"] == out["method"]


def test_notes_are_printed_below_the_flow_at_the_terminal_width(study, monkeypatch):
    """The notes under the PRISMA flow were the table's caption, so they wrapped to the
    table's width, about 43 characters a line, at any terminal width."""
    from typer.testing import CliRunner

    from ihms.cli._common import console
    from ihms.cli.main import app

    work, project = study
    settle = ["--settle", "include-if-any", "--settle", "fulltext=include-if-any"]
    notes = json.loads(two(work, project, *settle, "--json").output)["notes"]
    assert any(len(n) > 60 for n in notes)
    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["policy", "screen", str(project), "--to", "2021-12-31", "--decisions",
            str(work / "alice.csv"), "--decisions", str(work / "bob.xlsx"), *settle]  # fmt: skip
    result = CliRunner().invoke(app, args, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert notes and [n for n in notes if n not in lines] == []  # each on one line


def test_a_decisions_sheet_under_its_title_is_read_and_said_so(study):
    work, project = study
    (work / "zhang.csv").write_text("第一轮筛选结果（张伟）,,,\n" + ALICE, encoding="utf-8")
    res = run("screen", project, "--to", "2021-12-31", "--decisions", work / "zhang.csv")
    assert res.exit_code == 0, said(res)
    assert "zhang.csv: row 1 above the header left out as the sheet's title" in said(res)
    assert statuses(project)["P13"] == "excluded"  # alice's decision, read below the title
