import re
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.policy.coding import codings, import_codings
from ihms.policy.coding_export import export_codings

from .conftest import EXAMPLES


def _dump(project):
    return list(project._conn.iterdump())


def _first_segments(project, n=3):
    return list(project.segments(scheme="paragraph")["id"][:n])


def test_example_codings_import(coded_project):
    long = codings(coded_project)
    assert set(long["coder_id"]) == {"coder_a", "coder_b"}
    assert set(long["dimension"]) == {"tools", "stakeholders"}
    # coder_b's sheet uses Chinese names: stored as the same category keys.
    tools = coded_project.codebook().dimension("tools").category_keys
    assert set(long.loc[long["dimension"] == "tools", "value"]) <= set(tools)


def test_every_bad_row_is_reported_and_nothing_changes(project):
    s1, s2, s3 = _first_segments(project)
    sheet = pd.DataFrame(
        [
            {
                "segment_id": s1,
                "Policy tools": "Talent construction; 财政保障",
                "利益相关者": "政府",
            },
            {"segment_id": "p-unknown", "Policy tools": "Talent construction", "利益相关者": ""},
            {
                "segment_id": s2,
                "Policy tools": "人才建设; 资金保障",
                "利益相关者": "Governments; -",
            },
            {"segment_id": s3, "Policy tools": "Information support", "利益相关者": "Residents"},
            {"segment_id": s3, "Policy tools": "Technical support", "利益相关者": "Residents"},
        ]
    )
    before = _dump(project)
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="alice")
    problems = err.value.problems
    assert any("row 2, column 'Policy tools': unknown category '财政保障'" in p for p in problems)
    assert any("row 3: segment 'p-unknown' is not in the project" in p for p in problems)
    assert any("row 4, column '利益相关者'" in p and "mixes 'none'" in p for p in problems)
    assert any(
        "row 6: coder 'alice' codes segment" in p
        and "as {technical_support} but row 5 says {information_support}" in p
        for p in problems
    )
    assert len(problems) == 4
    assert _dump(project) == before


def test_single_label_dimension_rejects_several(project):
    (s1,) = _first_segments(project, 1)
    sheet = pd.DataFrame([{"segment_id": s1, "orientation": "Healthy China; Smart health care"}])
    with pytest.raises(DataError, match="takes one category"):
        import_codings(project, sheet, coder="alice")


def test_multi_label_cells_split_at_both_semicolons_and_a_chinese_list(project):
    """Review zh32 F10: 、 is the Chinese list separator; a list with it is read when each
    item is a category (a name may hold a 、); a comma still does not split."""
    s1, s2, s3, s4 = _first_segments(project, 4)
    sheet = pd.DataFrame(
        [
            {"segment_id": s1, "tools": "Price adjustment；Policy promotion"},
            {"segment_id": s2, "tools": "价格调整、政策宣传"},
            {"segment_id": s3, "tools": "价格调整，政策宣传"},
            {"segment_id": s4, "tools": "价格调整、没有这类"},
        ]
    )
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="alice")
    # rows 2 and 3 split; row 4's comma does not, and the message says what does
    problems = err.value.problems
    assert len(problems) == 2
    assert "row 4, column 'tools': unknown category '价格调整，政策宣传'" in problems[0]
    assert "separate several categories with ';', '；' or '、'" in problems[0]
    # review diff32a M3: the item that is no category is named, not the whole list
    assert (
        "row 5, column 'tools': unknown category '没有这类' in '价格调整、没有这类'" in problems[1]
    )
    assert "separate several" not in problems[1]
    done = import_codings(project, sheet.iloc[:2], coder="alice")
    assert done.added == 4


def test_a_chinese_list_names_its_wrong_item_and_a_none_mixed_in(project):
    """Review diff32a M3: 政府、未知 was refused as the unknown category '政府、未知',
    told to separate with the 、 it used, and 政府、- was not told it mixes none with
    categories; a ；-separated cell names both. A list of no categories is refused
    whole (a name may hold a 、)."""
    segments = _first_segments(project, 5)
    cells = ["政府、未知", "政府、-", "政府；未知", "政府；-", "未知、不明"]
    sheet = pd.DataFrame(
        [{"segment_id": s, "stakeholders": c} for s, c in zip(segments, cells, strict=True)]
    )
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="alice")
    problems = err.value.problems
    assert len(problems) == 5
    assert "row 2, column 'stakeholders': unknown category '未知' in '政府、未知'" in problems[0]
    assert "did you mean '政府'" not in problems[0]
    assert "separate several" not in problems[0]
    assert (
        "row 3, column 'stakeholders': '政府、-' mixes 'none' ('-') with categories"
        in (problems[1])
    )
    assert "unknown category '未知' of dimension 'stakeholders'" in problems[2]
    assert "mixes 'none' ('-') with categories" in problems[3]
    assert "unknown category '未知、不明' of dimension 'stakeholders'" in problems[4]
    assert "separate several" not in problems[4]


def test_unknown_columns_and_year_column(project):
    (s1,) = _first_segments(project, 1)
    sheet = pd.DataFrame([{"segment_id": s1, "tool kit": "x", "year": "2017"}])
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="alice")
    text = "\n".join(err.value.problems)
    assert "column 'tool kit' is neither a dimension" in text
    assert "'year' comes from the document date" in text


def test_conflict_with_project_needs_replace(project):
    (s1,) = _first_segments(project, 1)
    import_codings(project, pd.DataFrame([{"segment_id": s1, "tools": "人才建设"}]), coder="alice")
    again = import_codings(
        project, pd.DataFrame([{"segment_id": s1, "tools": "Talent construction"}]), coder="alice"
    )
    assert (again.added, again.unchanged) == (0, 1)
    change = pd.DataFrame([{"segment_id": s1, "tools": "Rational layout"}])
    with pytest.raises(DataError, match="already coded segment"):
        import_codings(project, change, coder="alice")
    done = import_codings(project, change, coder="alice", replace=True)
    assert done.replaced == 1
    assert list(codings(project, coders=["alice"])["value"]) == ["rational_layout"]


def test_a_contradiction_names_the_sheet_row_and_column(project, tmp_path):
    """It named neither ("a_edit.xlsx: coder 'alice' already coded segment ..."), where
    every other codings-sheet error names both."""
    s1, s2 = _first_segments(project, 2)
    first = pd.DataFrame({"segment_id": [s1, s2], "Policy tools": ["人才建设", "资金保障"]})
    import_codings(project, first, coder="alice")
    path = tmp_path / "a_edit.csv"
    first.assign(**{"Policy tools": ["人才建设", "Rational layout"]}).to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        import_codings(project, path, coder="alice")
    assert err.value.problems == [
        f"a_edit.csv row 3, column 'Policy tools': coder 'alice' already coded segment {s2!r} "
        "dimension 'tools' as {financial_guarantee}; the sheet says {rational_layout} "
        "(pass replace=True to overwrite it)"
    ]


def test_none_token_and_open_answers(tmp_path):
    from ihms.policy.codebook import load_codebook
    from ihms.policy.corpus import import_folder
    from ihms.policy.project import Project

    corpus = import_folder(EXAMPLES / "corpus", metadata=EXAMPLES / "metadata.xlsx")
    p = Project.create(tmp_path / "sym.sqlite", load_codebook("symbiosis"))
    p.add_documents([d for d in corpus.documents if d.id == "P04"])
    p.segment("clause")
    segs = p.segments()
    sheet = pd.DataFrame(
        [
            {
                "segment_id": segs["id"][0],
                "共生单元": "三级公立医院；乡镇卫生院",
                # a grouped answer: its group, then the answer; a list after the group
                # shares it
                "共生环境": "政策环境：多点执业、编制；技术环境：信息平台",
                "behaviour": "-",
            },
        ]
    )
    import_codings(p, sheet, coder="alice")
    long = codings(p).set_index("dimension")
    units = sorted(long.loc["symbiotic_unit", "value"])
    assert units == ["三级医院", "乡镇卫生院"]  # a unit of its own (seed 003 §3.2.1)
    assert sorted(long.loc["symbiotic_unit", "raw_value"]) == ["三级公立医院", "乡镇卫生院"]
    env = long.loc["symbiotic_environment"].sort_values("value")
    assert list(env["value"]) == ["policy:多点执业", "policy:编制与职称晋升", "technology:信息化"]
    assert list(env["raw_value"]) == ["政策环境：多点执业", "编制", "技术环境：信息平台"]
    assert long.loc["behaviour", "value"] == ""  # coded, nothing applies
    p.close()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_import_round_trip(coded_project, project, tmp_path, suffix, lang):
    path = export_codings(coded_project, tmp_path / f"codings{suffix}", lang=lang)
    result = import_codings(project, path)
    assert result.coders == ("coder_a", "coder_b")
    key = ["segment_id", "dimension", "coder_id", "value"]
    a = codings(coded_project)[key].sort_values(key).reset_index(drop=True)
    b = codings(project)[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_export_lists_uncoded_segments_as_a_template(project, tmp_path):
    project.add_coder("alice")
    path = export_codings(project, tmp_path / "template.xlsx", coders=["alice"], lang="zh")
    frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "segment_id",
        "coder",
        "document",
        "code",
        "context",
        "text",
        "政策工具",
        "利益相关者",
    ]
    assert len(frame) == len(project.segments()) and (frame["政策工具"] == "").all()


KILLER = textwrap.dedent(
    """
    import sys
    from ihms.policy.coding import import_codings
    from ihms.policy.project import Project

    project = Project(sys.argv[1])

    def progress(done, total):
        print(f"batch {done}/{total}", flush=True)
        sys.stdin.readline()  # the parent kills us here, mid-transaction

    import_codings(project, sys.argv[2], coder="coder_c", progress=progress)
    print("finished", flush=True)
    """
)


@pytest.mark.slow
def test_import_killed_midway_leaves_codings_intact(coded_project, tmp_path):
    sheet = tmp_path / "coder_c.xlsx"
    frame = pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx", dtype=str, keep_default_na=False)
    frame.to_excel(sheet, index=False)
    before = _dump(coded_project)
    n_before = coded_project.query("SELECT count(*) FROM codings")[0][0]
    coded_project.close()
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(coded_project.path), str(sheet)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    assert line.startswith("batch 500/"), line  # one batch written inside the open transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    from ihms.policy.project import Project

    with Project(coded_project.path) as reopened:
        assert reopened.query("PRAGMA integrity_check")[0][0] == "ok"
        assert reopened.query("SELECT count(*) FROM codings")[0][0] == n_before
        assert reopened.query("SELECT count(*) FROM coders WHERE id='coder_c'")[0][0] == 0
        assert _dump(reopened) == before


def test_a_sheet_whose_coder_column_names_someone_else_is_refused(project):
    s1, s2, s3 = _first_segments(project)
    # a template exported for alice, filled in by bob and imported as bob's
    sheet = pd.DataFrame(
        [{"segment_id": s, "coder": "alice", "tools": "人才建设"} for s in (s1, s2, s3)]
    )
    before = _dump(project)
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="bob")
    assert err.value.problems == [
        "codings rows 2–4 (3): column 'coder' names coder 'alice' but the import is for coder "
        "'bob'; to file these answers under 'bob', clear or change that column (or leave out "
        "the coder to import them as the column says)"
    ]
    assert _dump(project) == before
    assert import_codings(project, sheet, coder="alice").coders == ("alice",)  # agreeing: fine
    sheet["coder"] = ""
    assert import_codings(project, sheet, coder="bob").coders == ("bob",)


def test_an_instructions_sheet_beside_the_codings_is_left_out(project, tmp_path):
    s1, s2, _ = _first_segments(project)
    book = tmp_path / "coder.xlsx"
    with pd.ExcelWriter(book) as xl:
        pd.DataFrame({"说明": ["每行一个段落", "多个类目用分号隔开"]}).to_excel(
            xl, sheet_name="填写说明", index=False
        )
        pd.DataFrame({"segment_id": [s1, s2], "tools": ["人才建设", "-"]}).to_excel(
            xl, sheet_name="codings", index=False
        )
    done = import_codings(project, book, coder="alice")
    assert done.rows == 2 and done.skipped_sheets == ("coder.xlsx, sheet '填写说明'",)
    only_notes = tmp_path / "notes.xlsx"
    pd.DataFrame({"说明": ["x"]}).to_excel(only_notes, index=False)
    with pytest.raises(DataError, match="nothing imported"):
        import_codings(project, only_notes, coder="alice")


def test_an_empty_cell_beside_coded_ones_is_named_as_not_coded(project):
    """A coder leaving 'Stakeholders' empty where none appear (as in Excel or NVivo,
    where no code means none) gets an uncoded answer, which drops the segment from the
    agreement, not "nothing applies": the import names such cells. A row left wholly
    empty (a template not yet filled in) and a '-' are not named; nor is an empty cell
    the project already holds an answer for (a second sheet coding one dimension)."""
    s1, s2, s3 = _first_segments(project)
    sheet = pd.DataFrame(
        [
            {"segment_id": s1, "tools": "Information support", "stakeholders": ""},
            {"segment_id": s2, "tools": "Information support", "stakeholders": "-"},
            {"segment_id": s3, "tools": "", "stakeholders": ""},
        ]
    )
    got = import_codings(project, sheet, coder="alice")
    assert got.left_empty == ((s1, "stakeholders", "alice"),)
    later = pd.DataFrame([{"segment_id": s1, "tools": "", "stakeholders": "Residents"}])
    assert import_codings(project, later, coder="alice").left_empty == ()


def _symbiosis_template(tmp_path):
    """A symbiosis project of P04's clauses and its Chinese coding template for alice."""
    from ihms.policy.codebook import load_codebook
    from ihms.policy.corpus import import_folder
    from ihms.policy.project import Project

    corpus = import_folder(EXAMPLES / "corpus", metadata=EXAMPLES / "metadata.xlsx")
    p = Project.create(tmp_path / "sym.sqlite", load_codebook("symbiosis"))
    p.add_documents([d for d in corpus.documents if d.id == "P04"])
    p.segment("clause")
    p.add_coder("alice")
    return p, export_codings(p, tmp_path / "template.xlsx", coders=["alice"], lang="zh")


def test_the_template_lists_the_environment_groups_and_their_format(tmp_path):
    """Review A #16: the codebook sheet showed only "共生环境 -" for the environment; a
    coder could not learn its groups or the "政策环境：多点执业" form the import needs."""
    import openpyxl

    p, out = _symbiosis_template(tmp_path)
    p.close()
    book = openpyxl.load_workbook(out)
    rows = [r for r in book["codebook"].iter_rows(values_only=True) if r[0] == "共生环境"]
    assert [r[1] for r in rows] == [
        None,
        "政策环境：…",
        "技术环境：…",
        "经济环境：…",
        "社会环境：…",
        "-",
    ]
    assert [r[2] for r in rows[1:5]] == ["policy", "technology", "economy", "society"]
    sheet = book["alice"]
    header = [c.value for c in sheet[1]]
    col = openpyxl.utils.get_column_letter(header.index("共生环境") + 1)
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    prompt = rules[f"{col}2:{col}{sheet.max_row}"].prompt
    # in Chinese under lang="zh" (review zh32 F8: the prompt was English)
    assert "每个答案写作“组名：答案”（政策环境：" in prompt and "留空表示未编码" in prompt
    assert not re.search(r"[A-Za-z]{4,}", prompt.replace("codebook", "")), prompt
    assert len(prompt) <= 255  # Excel's limit


def test_the_excel_template_offers_the_codebook_and_a_drop_down(tmp_path):
    """A coder filling the template in Excel sees the categories on a codebook sheet,
    picks a single-label dimension's category from a drop-down of them (and - for
    nothing applies), and is told how to write several in a multi-label column; the
    file still imports, the codebook sheet passed over unsaid (review_policy 8: "sheet
    'codebook': no segment or dimension columns; left out" was said of ihms's own)."""
    import openpyxl

    p, out = _symbiosis_template(tmp_path)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["alice", "codebook"]
    book_rows = [r for r in book["codebook"].iter_rows(values_only=True)]
    behaviour = [r[1] for r in book_rows if r[0] == "共生行为"]
    assert behaviour == [None, "寄生", "偏利共生", "互惠共生", "-"]  # the dimension's row first
    first = 2 + [r[0] for r in book_rows].index("共生行为")  # the sheet's row numbers
    sheet = book["alice"]
    header = [c.value for c in sheet[1]]
    col = openpyxl.utils.get_column_letter(header.index("共生行为") + 1)
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    rule = rules[f"{col}2:{col}{sheet.max_row}"]
    assert rule.type == "list"
    assert rule.formula1 == f"'codebook'!$B${first}:$B${first + 3}"
    unit = openpyxl.utils.get_column_letter(header.index("共生单元") + 1)
    assert rules[f"{unit}2:{unit}{sheet.max_row}"].type is None  # a note, any text
    sheet.cell(row=2, column=header.index("共生行为") + 1, value="互惠共生")
    book.save(out)
    got = import_codings(p, out)
    assert got.rows == 1 and got.skipped_sheets == ()
    # a sheet of the user's own beside the codings is still named as left out
    book = openpyxl.load_workbook(out)
    book.create_sheet("notes").append(["dimension", "category", "remark"])
    book["notes"].append(["共生行为", "互惠共生", "ask the lead"])
    book.save(out)
    again = import_codings(p, out)
    assert again.skipped_sheets == ("template.xlsx, sheet 'notes'",)
    p.close()


def test_two_long_coder_names_alike_in_31_characters_get_two_sheets(project, tmp_path):
    """Excel cuts a sheet name at 31 characters and ignores case: two coders
    ``research_assistant_from_peking_A`` and ``..._B`` shared one sheet, the second
    coder's rows written over the first's. Each now has a sheet of its own, and the
    template reads back as both coders."""
    long_a, long_b = "research_assistant_from_peking_A", "Research_Assistant_from_Peking_B"
    for coder in (long_a, long_b):
        project.add_coder(coder)
    path = export_codings(project, tmp_path / "template.xlsx", coders=[long_a, long_b])
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    coder_sheets = [name for name in sheets if name != "codebook"]
    assert len(coder_sheets) == 2 and len({n.lower() for n in coder_sheets}) == 2
    assert all(len(n) <= 31 for n in coder_sheets)
    assert [set(sheets[n]["coder"]) for n in coder_sheets] == [{long_a}, {long_b}]
    assert all(len(sheets[n]) == len(project.segments()) for n in coder_sheets)


def test_a_mistyped_category_is_refused_with_the_nearest_name(project):
    # session-19 user review (F10): 技术支撑 for the codebook's 技术支持 (Technical
    # support) was refused with the whole list of 18 categories and no suggestion
    (s1,) = _first_segments(project, 1)
    sheet = pd.DataFrame([{"segment_id": s1, "Policy tools": "技术支撑"}])
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="alice")
    (problem,) = err.value.problems
    assert "unknown category '技术支撑' of dimension 'tools' — did you mean '技术支持'?" in problem


def test_none_typed_in_full_width_is_none(project):
    """A full-width '－' from a Chinese input method was refused ("unknown category '－'")
    where '-' means "none applies"; NFKC folds it, as the README says full width is."""
    s1, s2 = _first_segments(project, 2)
    sheet = pd.DataFrame({"segment_id": [s1, s2], "tools": ["－", "ＮＯＮＥ"]})
    done = import_codings(project, sheet, coder="alice")
    assert done.added == 2
    assert list(codings(project, coders=["alice"])["value"]) == ["", ""]


def test_a_category_name_holding_a_chinese_comma_still_reads_whole():
    # the 、 list is read only after the whole name failed; a name with a 、 in it is one
    from ihms.policy._coding_sheet import _parse_cell
    from ihms.policy.codebook import parse_codebook

    dim = parse_codebook(
        "name: mine\nversion: 1\ndimensions:\n"
        "  - {key: tools, en: Tools, zh: 工具, kind: closed, multi: true, categories: [\n"
        "      {key: both, en: Staff and money, zh: 人才、资金},\n"
        "      {key: staff, en: Staff, zh: 人才}, {key: law, en: Law, zh: 法规}]}\n"
    ).dimension("tools")
    assert _parse_cell("人才、资金", dim) == ({"both"}, "")
    assert _parse_cell("人才、法规", dim) == ({"staff", "law"}, "")
    values, bad = _parse_cell("人才、未知", dim)
    assert values == set() and bad.startswith("unknown category '未知' in '人才、未知'")
