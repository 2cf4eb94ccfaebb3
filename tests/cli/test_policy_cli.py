"""``ihms policy``: a researcher's session from a folder of documents to the tables."""

import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from tests.policy.table_docs import NOTICE_PAGE, PAGE_ROW, ROW_1, ROW_2, division_docx
from typer.testing import CliRunner

from ihms.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "policies"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", *map(str, args)])


def said(result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def session(policy_cli_session):
    """init → import → screen → segment → codes import ×2 → reconcile with decisions, run
    once a session (tests/conftest.py) for this file and the others that import this
    fixture: ``(work, project, outputs)``; tests that change the project copy it."""
    return policy_cli_session


def test_session_outputs(session):
    work, _project, outputs = session
    assert "Created" in outputs[0]
    out = [" ".join(o.split()) for o in outputs]
    assert "36 documents read" in out[1] and "gbk 2" in out[1] and "gb18030 2" in out[1]
    assert "(2016_国务院_健康中国行动纲要.docx): 1 table(s) not read" in out[1]
    assert "(--tables rows) reads each table row as a paragraph" in out[1]  # said once
    assert "Documents included" in out[2] and (work / "prisma.png").stat().st_size > 10_000
    assert "212 paragraph segments" in out[3]
    assert "0 segment × dimension answers still unresolved" in out[7]
    assert (work / "disagreements.xlsx").exists()


def test_json_outputs(session):
    _, project, _ = session
    info = json.loads(run("info", project, "--json").output)
    assert info["documents"] == {"duplicate": 2, "excluded": 3, "included": 31}
    assert [c["coder"] for c in info["coders"]] == ["coder_a", "coder_b"]
    agreement = json.loads(run("agreement", project, "--json").output)
    assert 0.5 < agreement["mean_kappa"] < 0.9
    from ihms.policy.agreement import agreement_table, coder_agreement
    from ihms.policy.project import Project

    with Project(project) as p:
        table = agreement_table(coder_agreement(p), p.codebook())
    assert table.notes and agreement["notes"] == list(table.notes)  # the caveats printed
    spaced = json.loads(run("agreement", project, "--coders", "coder_a, coder_b", "--json").output)
    assert spaced["coders"] == ["coder_a", "coder_b"] and spaced["notes"] == agreement["notes"]
    assert {"ac1", "pabak", "prevalence_index"} <= set(agreement["rows"][0])
    boot = json.loads(run("agreement", project, "--bootstrap", 50, "--seed", 2, "--json").output)
    assert boot["bootstrap"]["n_boot"] == 50
    dims = [r for r in boot["rows"] if r["category"] is None and r["alpha"] == r["alpha"]]
    assert dims and all(r["alpha_ci_low"] <= r["alpha_ci_high"] for r in dims)
    assert any("bootstrap resamples of segments (seed 2)" in n for n in boot["notes"])
    trend = json.loads(run("trend", project, "orientation", "--json").output)
    assert {s["name"] for s in trend["stages"]} == {
        "disease-centred",
        "e-health technology",
        "health-centred",
    }


def test_tables_trend_words_network(session, tmp_path):
    _, project, _ = session
    result = run("tables", project, "--out", tmp_path / "tables", "--format", "xlsx,latex")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tables" / "tables.xlsx").exists() and (
        tmp_path / "tables" / "tables.tex"
    ).exists()
    assert "Table 7. Policy tools by policy level" in result.output
    tables = json.loads(
        run("tables", project, "--out", tmp_path / "t2", "--json", "--source", "coder_a").output
    )
    assert set(tables) == {f"table{i}" for i in range(1, 13)}
    assert run("trend", project, "tools", "--out", tmp_path / "trend.png").exit_code == 0
    words = run("words", project, "--out", tmp_path / "words", "--dimension", "tools", "--json")
    assert words.exit_code == 0, words.output
    assert (tmp_path / "words" / "wordcloud.png").exists()
    net = json.loads(
        run("network", project, "--from-text", "--scheme", "paragraph", "--json").output
    )
    assert net["nodes"][0]["unit"] == "基层医疗卫生机构"


def test_codes_export_round_trip(session, tmp_path):
    _, project, _ = session
    sheet = tmp_path / "codings.xlsx"
    assert run("codes", "export", project, sheet, "--lang", "zh").exit_code == 0
    copy = tmp_path / "copy.sqlite"
    shutil.copy(project, copy)
    again = run("codes", "import", copy, sheet)
    assert again.exit_code == 0, again.output
    assert "0 codings written" in said(again) and "848 unchanged" in said(again)


def test_codebook_copy_and_cluster(tmp_path, session):
    out = tmp_path / "my6d.yaml"
    assert run("codebook", "6d", "--out", out).exit_code == 0
    assert "talent_construction" in out.read_text(encoding="utf-8")
    assert "symbiotic_unit" in run("codebook", "symbiosis").output
    _, project, _ = session
    bad = run("cluster", project, "tools")
    assert bad.exit_code == 2 and "needs an open dimension" in said(bad)


def test_codebook_of_a_project_and_of_unreadable_files(tmp_path, session):
    _, project, _ = session
    shown = run("codebook", project)
    assert shown.exit_code == 0, shown.output
    assert "talent_construction" in shown.output
    noise = tmp_path / "noise.yaml"
    noise.write_bytes(bytes(range(128, 256)) * 3)
    bad = run("codebook", noise)
    assert bad.exit_code == 2 and "noise.yaml" in said(bad) and "undecodable" in said(bad)
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("name: 中文\n".encode("gbk"))
    res = run("codebook", gbk)  # decoded as GBK, then refused for its missing dimensions
    assert res.exit_code == 2 and "dimensions" in said(res)


def test_bad_input_gives_exit_code_2_and_a_message(session, tmp_path):
    _, project, _ = session
    missing = run("info", tmp_path / "none.sqlite")
    assert missing.exit_code == 2 and "does not exist" in said(missing)
    sheet = tmp_path / "bad.csv"
    sheet.write_text("segment_id,tools\nnope,Talent construction\n", encoding="utf-8")
    bad = run("codes", "import", project, sheet, "--coder", "carol")
    assert bad.exit_code == 2 and "segment 'nope' is not in the project" in said(bad)
    assert run("screen", project, "--to", "last year").exit_code == 2
    assert "--by" in said(run("reconcile", project, "--coders", "a,b", "--decisions", sheet))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "broken.docx").write_bytes(b"not a zip")
    copy = tmp_path / "copy.sqlite"
    assert run("init", copy).exit_code == 0
    broken = run("import", copy, folder)
    assert broken.exit_code == 2 and "broken.docx" in said(broken)
    skipped = run("import", copy, folder, "--skip-unreadable")
    assert skipped.exit_code == 0 and "not retrieved" in said(skipped)
    assert run("init", copy).exit_code == 2  # exists


def test_exporting_a_template_does_not_register_the_coder(session, tmp_path):
    _, project, _ = session
    copy = tmp_path / "copy.sqlite"
    shutil.copy(project, copy)
    sheet = tmp_path / "alice.xlsx"
    res = run("codes", "export", copy, sheet, "--coder", "alice")
    assert res.exit_code == 0, res.output
    assert sheet.exists()
    info = json.loads(run("info", copy, "--json").output)
    assert [c["coder"] for c in info["coders"]] == ["coder_a", "coder_b"]


def test_import_refuses_an_empty_folder_and_notes_unsupported_files(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run("import", project, empty)
    assert res.exit_code == 2
    assert "holds no document to import" in said(res) and "empty" in said(res)
    assert ".txt, .docx, .pdf, .html, .htm" in said(res)
    (empty / "x.rtf").write_text("{\\rtf1 国家}", encoding="utf-8")
    res = run("import", project, empty)
    assert res.exit_code == 2 and "found only x.rtf" in said(res)
    (empty / "a.txt").write_text(
        "关于推进医疗联合体建设的通知\n各地要加快推进。\n", encoding="utf-8"
    )
    res = run("import", project, empty)
    assert res.exit_code == 0, res.output
    assert "skipped 1 file with an unsupported extension: x.rtf" in said(res)


def test_messages_name_the_flag_that_exists(session, tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    again = run("init", project)
    assert again.exit_code == 2 and "--overwrite" in said(again)
    assert run("init", project, "--overwrite").exit_code == 0
    assert run("init", project, "--force").exit_code == 0  # the older spelling still works
    _, study, _ = session
    copy = tmp_path / "copy.sqlite"
    shutil.copy(study, copy)
    sheet = tmp_path / "a.xlsx"
    assert run("codes", "export", copy, sheet, "--coder", "coder_a").exit_code == 0
    frame = pd.read_excel(sheet, dtype=str, keep_default_na=False)
    frame.loc[0, "Policy tools"] = (
        "Talent construction"
        if frame.loc[0, "Policy tools"] != "Talent construction"
        else "Financial guarantee"
    )
    frame.to_excel(sheet, index=False)
    clash = run("codes", "import", copy, sheet)
    # the command's advice is its option, not the library's Python (session 31)
    assert clash.exit_code == 2 and "(pass --replace to overwrite it)" in said(clash)
    assert "replace=True" not in said(clash)
    replaced = run("codes", "import", copy, sheet, "--replace")
    assert replaced.exit_code == 0, replaced.output
    # the first segment was reconciled: its agreement goes, or its decision is flagged
    assert "1 agreement(s) withdrawn" in said(replaced) or "1 decision(s) were made" in said(
        replaced
    )


@pytest.fixture
def coded(session, tmp_path):
    """The session's project as it was after the two codings imports: no decisions."""
    _, study, _ = session
    project = tmp_path / "coded.sqlite"
    shutil.copy(study, project)
    with sqlite3.connect(project) as conn:
        conn.execute("DELETE FROM decisions")
    conn.close()
    return project


def _count(project, table: str) -> int:
    conn = sqlite3.connect(project)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _segments(project, n: int) -> list[str]:
    conn = sqlite3.connect(project)
    try:
        rows = conn.execute("SELECT id FROM segments ORDER BY id LIMIT ?", (n,)).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


def test_an_empty_csv_is_refused_with_a_message(coded, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for args in (
        ("screen", coded, "--to", "2021-12-31", "--decisions", empty),
        ("codes", "import", coded, empty, "--coder", "c"),
        ("reconcile", coded, "--coders", "coder_a,coder_b", "--decisions", empty, "--by", "lead"),
    ):
        res = run(*args)
        assert res.exit_code == 2, (args, res.output)
        assert "empty.csv: the file is empty; expected a header row" in said(res), said(res)
    assert _count(coded, "decisions") == 0 and _count(coded, "imports") == 2


@pytest.mark.parametrize(
    ("decision", "segment", "message"),
    [
        ("Talent constrution", None, "unknown category 'Talent constrution'"),
        ("Talent construction", "p000000000", "segment 'p000000000' is not in the project"),
    ],
)
def test_a_failed_reconcile_leaves_the_project_as_it_was(
    coded, tmp_path, decision, segment, message
):
    seg = segment or _segments(coded, 1)[0]
    sheet = tmp_path / "decided.csv"
    pd.DataFrame({"segment_id": [seg], "dimension": ["tools"], "decision": [decision]}).to_csv(
        sheet, index=False
    )
    res = run(
        "reconcile", coded, "--coders", "coder_a,coder_b", "--decisions", sheet, "--by", "lead"
    )
    assert res.exit_code == 2 and message in said(res) and "decided.csv row 2" in said(res)
    assert _count(coded, "decisions") == 0  # no agreement recorded either


def test_reconcile_checks_out_before_writing(coded, tmp_path):
    out = tmp_path / "no such folder" / "dis.xlsx"
    res = run("reconcile", coded, "--coders", "coder_a,coder_b", "--out", out)
    assert res.exit_code == 2, res.output
    assert "option --out" in said(res) and "does not exist" in said(res)
    assert _count(coded, "decisions") == 0
    res = run("reconcile", coded, "--coders", "coder_a,coder_b", "--out", tmp_path / "dis.txt")
    assert res.exit_code == 2 and "option --out" in said(res) and ".xlsx or .csv" in said(res)
    assert _count(coded, "decisions") == 0


def test_reconcile_refuses_two_different_decisions_for_one_answer(coded, tmp_path):
    seg = _segments(coded, 1)[0]
    sheet = tmp_path / "decided.csv"
    pd.DataFrame(
        {
            "segment_id": [seg, seg],
            "dimension": ["tools", "tools"],
            "decision": ["Talent construction", "Financial guarantee"],
        }
    ).to_csv(sheet, index=False)
    res = run(
        "reconcile", coded, "--coders", "coder_a,coder_b", "--decisions", sheet, "--by", "lead"
    )
    assert res.exit_code == 2, res.output
    assert "decided.csv row 3" in said(res) and "but row 2 says" in said(res)
    assert _count(coded, "decisions") == 0


def test_a_codings_sheet_without_codings_is_not_recorded(coded, tmp_path):
    for name in ("hdronly.xlsx", "hdronly.csv"):
        sheet = tmp_path / name
        frame = pd.DataFrame(columns=["segment_id", "Policy tools", "Stakeholders"])
        frame.to_excel(sheet, index=False) if name.endswith("xlsx") else frame.to_csv(
            sheet, index=False
        )
        res = run("codes", "import", coded, sheet, "--coder", "coder_c")
        assert res.exit_code == 2, res.output
        assert f"{name}: no codings to import" in said(res)
    assert _count(coded, "imports") == 2 and _count(coded, "coders") == 2


def test_a_codings_sheet_under_a_blank_first_row_is_read_below_it(coded, tmp_path):
    """The blank row is left out as data import leaves it out (review 21b finding 9):
    the header below it is read, and a sheet of no codings is said to be one."""
    for name in ("gap.xlsx", "gap.csv"):
        sheet = tmp_path / name
        rows = pd.DataFrame([["", "", ""], ["segment_id", "Policy tools", "Stakeholders"]])
        if name.endswith("xlsx"):
            rows.to_excel(sheet, index=False, header=False)
        else:
            rows.to_csv(sheet, index=False, header=False)
        res = run("codes", "import", coded, sheet, "--coder", "coder_c")
        assert res.exit_code == 2, res.output
        assert f"{name}: no codings to import — no sheet has data rows" in said(res)
        assert "Unnamed" not in said(res)
    assert _count(coded, "imports") == 2


def test_messages_keep_sheet_names_and_codebook_locations(coded, tmp_path):
    sheet = tmp_path / "blank.xlsx"
    pd.DataFrame({"segmnt": ["x"]}).to_excel(sheet, index=False, sheet_name="Sheet1")
    res = run("codes", "import", coded, sheet, "--coder", "c")
    assert res.exit_code == 2 and "blank.xlsx, sheet 'Sheet1': column 'segmnt'" in said(res)
    book = tmp_path / "cb.yaml"
    assert run("codebook", "6d", "--out", book).exit_code == 0
    text = book.read_text(encoding="utf-8").replace("kind: closed", "knd: closed", 1)
    book.write_text(text, encoding="utf-8")
    res = run("codebook", book)
    assert res.exit_code == 2 and "dimensions[0] (key 'level').kind: Field required" in said(res)


def test_import_reports_unknown_levels_and_refuses_future_dates(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "关于推进医疗联合体建设的通知\n各地要加快推进。\n", encoding="utf-8"
    )
    sheet = tmp_path / "meta.csv"
    sheet.write_text(
        "file,level,issuer,date\na.txt,宇宙级,某某委员会,2019-05-01\n", encoding="utf-8"
    )
    res = run("import", project, docs, "--metadata", sheet)
    assert res.exit_code == 0, res.output
    assert "warning: level '宇宙级' of 1 document(s)" in said(res)
    assert "is not a category of dimension 'level'" in said(res)
    sheet.write_text("file,level,date\na.txt,国家级,2031-03-05\n", encoding="utf-8")
    res = run("import", project, docs, "--metadata", sheet)
    assert res.exit_code == 2
    assert "column 'date' of meta.csv row 2" in said(res) and "got '2031-03-05'" in said(res)


def test_import_with_tables_as_rows(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    division_docx(folder / "分工.docx")
    (folder / "page.html").write_text(NOTICE_PAGE, encoding="utf-8")
    project = tmp_path / "study.sqlite"
    assert run("init", project).exit_code == 0
    result = run("import", project, folder, "--tables", "rows")
    assert result.exit_code == 0, result.output
    out = said(result)
    assert "4 table(s) in 2 document(s) read: 7 row(s), one paragraph each" in out
    assert "page (page.html): 4 of 5 table row(s) cleaned away with the text around them" in out
    summary = json.loads(run("import", project, folder, "--tables", "rows", "--json").output)
    assert summary["tables"] == {
        "mode": "rows", "documents_with_tables": 2, "tables": 4, "rows_read": 7, "rows_kept": 3
    }  # fmt: skip
    assert summary["unchanged"] == 2  # the same reading again
    tables = {d["id"]: d["tables"] for d in summary["documents"]}
    assert tables == {"分工": "1 read: 2 rows (2 kept)", "page": "3 read: 5 rows (1 kept)"}
    screened = said(run("screen", project))
    assert "2 included document(s) were imported with their tables read" in screened
    assert run("segment", project).exit_code == 0
    with sqlite3.connect(project) as conn:
        texts = {r[0] for r in conn.execute("SELECT text FROM segments")}
    assert {ROW_2, PAGE_ROW} <= texts  # one segment per row
    assert "二、重点任务分工\n" + ROW_1 in texts  # a bare heading joins what follows it
    again = json.loads(run("import", project, folder, "--json").output)  # back to the default
    assert again["tables"]["mode"] == "skip" and again["updated"] == 2


def test_a_word_only_import_has_no_empty_encodings_line(tmp_path):
    # .docx files have no text encoding: the line used to read "Text encodings: " with
    # nothing after it
    folder = tmp_path / "docs"
    folder.mkdir()
    division_docx(folder / "分工.docx")
    project = tmp_path / "study.sqlite"
    assert run("init", project).exit_code == 0
    out = said(run("import", project, folder))
    assert "Formats: docx 1" in out and "Text encodings" not in out


def test_a_bad_tables_value_names_the_option_and_its_choices(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("一、总体要求。推进医联体建设。", encoding="utf-8")
    project = tmp_path / "study.sqlite"
    run("init", project)
    bad = run("import", project, folder, "--tables", "all")
    assert bad.exit_code == 2
    message = " ".join(said(bad).replace("│", " ").split())  # Typer's error box undone
    assert "Invalid value for '--tables'" in message
    assert "'all' is not one of 'skip', 'rows'" in message
    assert "<skip|rows>" in run("import", "--help").output


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("boot", [(), ("--bootstrap", 50, "--seed", 2)])
def test_agreement_table_fits_the_terminal_with_every_figure(session, width, boot, monkeypatch):
    # at 80 columns the table was split into two column blocks (kappa, alpha, AC1 and PABAK
    # 40 lines below the rows they belong to); now one table, its lines stacked
    from collections import Counter

    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    _, project, _ = session
    rows = json.loads(run("agreement", project, *boot, "--json").output)["rows"]
    args = ["policy", "agreement", str(project), *map(str, boot)]
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    assert not any("(continued)" in line for line in lines)
    shown = Counter(result.output.replace("│", " ").split())
    keys = ["kappa", "alpha", "ac1", "pabak"] + (["alpha_ci_low", "alpha_ci_high"] if boot else [])
    wanted = Counter(f"{r[k]:.3f}" for r in rows for k in keys if r[k] is not None and r[k] == r[k])
    wanted += Counter(f"{r['percent_agreement']:.1f}" for r in rows)
    assert not wanted - shown  # every figure printed as often as the rows hold it
    if width == 120 and not boot:  # wide enough for the whole layout, unchanged
        assert "│" in result.output and "agreement %" in result.output
