"""A re-screening that leaves out a coded document says so (user review 20, finding 11):
the tables, trend and dataset count included documents only, so a coded and reconciled
document excluded on a second reading left them without a word."""

import json
import shutil

from tests.cli.test_policy_cli import EXAMPLES, run

from ihms.policy.screening_coded import coded_left_out

# M06 in the example project: coder_a.xlsx answers 19 times on its 6 paragraph
# segments, coder_b.xlsx 18 times; reconciled, the coders agree on 10 of the 12
# segment × dimension answers and decisions.xlsx decides the other 2 (by "lead")
M06 = (
    "M06 was coded (6 paragraph segment(s); coders coder_a (19 codings) and coder_b (18 "
    "codings); 12 reconciled answer(s) (2 decided by lead)) and is now excluded at the full "
    "text stage (仅转发上级文件): its codings are kept in the project, but the tables, trend, "
    "dataset and agreement (included documents only) no longer count them"
)


def _rescreened(tmp_path):
    sheet = tmp_path / "screening2.csv"
    text = (EXAMPLES / "screening.csv").read_text(encoding="utf-8")
    sheet.write_text(
        text.rstrip("\n") + "\nM06,fulltext,exclude,仅转发上级文件\n", encoding="utf-8"
    )
    return sheet


def test_the_note_names_segments_coders_and_decisions(coded_project, tmp_path):
    from types import SimpleNamespace

    now = [
        SimpleNamespace(doc_id="M06", status="excluded", stage="fulltext",
                        reason="仅转发上级文件", duplicate_of=""),
        SimpleNamespace(doc_id="M01", status="included", stage="", reason="", duplicate_of=""),
    ]  # fmt: skip
    assert coded_left_out(coded_project, now) == [M06]
    # a document the project did not count before is no news
    coded_project._conn.execute("UPDATE documents SET status='excluded' WHERE id='M06'")
    assert coded_left_out(coded_project, now) == []


def test_screen_prints_the_note_and_gives_it_in_json(coded_project, tmp_path):
    project = tmp_path / "again.sqlite"
    coded_project.close()
    shutil.copy(coded_project.path, project)
    sheet = _rescreened(tmp_path)
    res = run("screen", project, "--to", "2021-12-31", "--decisions", sheet, "--json")
    assert res.exit_code == 0, res.output
    assert M06 in json.loads(res.output)["notes"]
    shutil.copy(coded_project.path, project)
    res = run("screen", project, "--to", "2021-12-31", "--decisions", sheet)
    assert res.exit_code == 0, res.output
    assert M06 in " ".join(res.output.split())
    # the stored screening keeps it; the codings are still there
    res = run("screening", project, "--json")
    assert M06 in json.loads(res.output)["notes"]


def test_segments_are_counted_over_every_coder(coded_project):
    # review 20b item 6: counted per coder and the larger count taken, two coders on
    # different segments of one document were short (5, not 6): coder_a now leaves the
    # first segment uncoded and coder_b the last, so each coded 5 and together all 6
    from types import SimpleNamespace

    conn = coded_project._conn
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM segments WHERE doc_id='M06' AND retired=0 ORDER BY id"
        ).fetchall()
    ]
    assert len(ids) == 6
    conn.execute("DELETE FROM codings WHERE coder_id='coder_a' AND segment_id=?", [ids[0]])
    conn.execute("DELETE FROM codings WHERE coder_id='coder_b' AND segment_id=?", [ids[-1]])
    now = [SimpleNamespace(doc_id="M06", status="excluded", stage="fulltext", reason="",
                           duplicate_of="")]  # fmt: skip
    (note,) = coded_left_out(coded_project, now)
    assert note.startswith("M06 was coded (6 paragraph segment(s); ")


def test_agreement_leaves_out_the_codings_of_an_excluded_document(coded_project):
    # as the tables, trend and dataset do (_counted.COUNTED_STATUSES): the reliability
    # reported beside them is over the same documents, and a note names what is left out
    from ihms.policy.agreement import coder_agreement

    before = coder_agreement(coded_project).dimension_rows()["n_units"]
    n_m06 = coded_project.query(
        "SELECT count(DISTINCT c.segment_id) FROM codings c JOIN segments s "
        "ON s.id = c.segment_id WHERE s.doc_id = 'M06' AND c.dimension = 'tools'"
    )[0][0]
    assert n_m06 == 6  # M06's six paragraph segments, each coded by both coders
    coded_project._conn.execute("UPDATE documents SET status='excluded' WHERE id='M06'")
    report = coder_agreement(coded_project)
    after = report.dimension_rows()["n_units"]
    assert (before - after).tolist() == [n_m06] * len(after)
    assert (
        "the codings of 1 document excluded at screening (M06) are left out, as the tables "
        "leave it out"
    ) in report.notes
