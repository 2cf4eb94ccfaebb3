"""Which sheet of a workbook ``read_table_file`` reads (screening decisions, metadata,
reconciliation decisions, review sheets)."""

import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.policy.sheet import read_metadata_sheet, read_table_file


def _workbook(path, sheets: dict[str, pd.DataFrame]):
    with pd.ExcelWriter(path) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


NOTES = pd.DataFrame({"说明": ["筛选记录，审阅人 reviewer_a", "2021年12月"]})
DECISIONS = pd.DataFrame(
    {"id": ["N01", "N02"], "stage": ["title", "title"], "decision": ["include", "exclude"]}
)


def test_the_sheet_holding_the_columns_is_read_when_a_notes_sheet_comes_first(tmp_path):
    # Walk 17: a decisions workbook with a 说明 sheet before its data was refused with
    # "missing column(s) ['id', 'stage', 'decision']; got ['说明']", the first sheet read
    # without a word about the second
    path = _workbook(tmp_path / "a.xlsx", {"说明": NOTES, "decisions": DECISIONS})
    frame = read_table_file(path, columns=("id", "stage", "decision"))
    assert list(frame["id"]) == ["N01", "N02"]


def test_sheets_that_cannot_be_told_apart_are_named(tmp_path):
    path = _workbook(tmp_path / "b.xlsx", {"alice": DECISIONS, "bob": DECISIONS})
    with pytest.raises(InputError, match=r"b\.xlsx: 2 sheets hold data \('alice', 'bob'\)"):
        read_table_file(path, columns=("id", "stage", "decision"))
    path = _workbook(tmp_path / "c.xlsx", {"说明": NOTES, "其他": NOTES})
    with pytest.raises(InputError, match="none has a column id, stage or decision"):
        read_table_file(path, columns=("id", "stage", "decision"))


def test_a_metadata_workbook_with_a_notes_sheet_first(tmp_path):
    meta = pd.DataFrame({"编号": ["N01"], "文件名": ["a.txt"], "发布日期": ["2017-04-26"]})
    path = _workbook(tmp_path / "meta.xlsx", {"说明": NOTES, "政策文件": meta})
    (row,) = read_metadata_sheet(path)
    assert row.values["id"] == "N01"
    bad = _workbook(tmp_path / "bad.xlsx", {"说明": NOTES})
    with pytest.raises(DataError):
        read_metadata_sheet(bad)


HEADER = ("编号", "文件名", "标题", "层级", "发布日期", "检索来源")
ROWS = [
    ("Y01", "a.txt", "国务院办公厅关于推进医疗联合体建设和发展的指导意见", "国家级", "2017-04-23", "中国政府网"),
    ("Y02", "b.txt", "关于推进紧密型县域医疗卫生共同体建设的通知", "国家级", "２０１９年５月１５日", "卫健委网站"),
    ("Y03", "c.txt", "关于推进紧密型县域医疗卫生共同体建设的通知", None, None, None),
    ("Y04", "d.txt", "临江省实施方案", "省级", "2018/3/1", None),
]  # fmt: skip


def _titled_book(path, merges=()):
    """The user review's metadata.xlsx (session 20, /tmp/ux20/b): a title merged over
    A1:F1, the header on row 2, the records from row 3, with ``merges`` as hand-kept
    lists merge a value over the rows it holds for."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["云溪课题组 政策文件检索清单（2024年3月检索）"])
    ws.merge_cells("A1:F1")
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    book.save(path)
    return path


def test_a_title_row_above_the_metadata_header_is_left_out_with_data_imports_note(tmp_path):
    # user review 20, finding 2: refused as "no 'file' or 'id' column … got
    # ['云溪课题组 …', 'Unnamed: 1', …]"; read as `ihms data import` reads it
    notes: list[str] = []
    rows = read_metadata_sheet(_titled_book(tmp_path / "metadata.xlsx"), notes=notes)
    assert [(r.row, r.values["id"]) for r in rows] == [
        (3, "Y01"),
        (4, "Y02"),
        (5, "Y03"),
        (6, "Y04"),
    ]
    assert notes == ["metadata.xlsx: row 1 above the header left out as the sheet's title"]
    csv = tmp_path / "metadata.csv"
    csv.write_text(
        "云溪课题组 政策文件检索清单,,\n编号,文件名,发布日期\nY01,a.txt,2017年\n", encoding="gbk"
    )
    notes = []
    with pytest.raises(DataError) as err:
        read_metadata_sheet(csv, notes=notes)
    # the bad date named on the file's own row 3
    assert err.value.problems[0].startswith("column '发布日期' of metadata.csv row 3")


def test_a_full_width_date_reads_as_data_import_reads_it(tmp_path):
    # user review 20, finding 9: '２０１９年５月１５日' was "expected a date such as …"
    rows = read_metadata_sheet(_titled_book(tmp_path / "metadata.xlsx"))
    assert str(rows[1].values["date"]) == "2019-05-15"


def test_merged_cells_give_their_value_to_every_row_they_cover(tmp_path):
    # user review 20, finding 3: 层级 merged over Y01–Y03 left Y02 and Y03 without a
    # level, and a merged 检索来源 put two records under "unspecified source" in PRISMA
    notes: list[str] = []
    book = _titled_book(tmp_path / "merged.xlsx", merges=("D3:D5", "F4:F6"))
    rows = read_metadata_sheet(book, notes=notes)
    assert [r.values.get("level") for r in rows] == ["国家级", "国家级", "国家级", "省级"]
    assert [r.values.get("source") for r in rows] == ["中国政府网"] + ["卫健委网站"] * 3
    # the title's merge (A1:F1) is the title's, not a value of the records
    assert notes == [
        "merged.xlsx: row 1 above the header left out as the sheet's title",
        "merged.xlsx (sheet 'Sheet'): merged cells D3:D5 ('国家级'), F4:F6 ('卫健委网站') give "
        "their value to every cell they cover",
    ]


def test_the_import_keeps_the_merged_source_and_says_what_it_read(tmp_path):
    from ihms.policy.corpus import import_folder

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in "abcd":
        (folder / f"{name}.txt").write_text("推进医疗联合体建设。\n", encoding="utf-8")
    book = _titled_book(tmp_path / "metadata.xlsx", merges=("F4:F6",))
    result = import_folder(folder, metadata=book)
    # before: Y03 and Y04 had no source and were counted under "unspecified source"
    assert {d.id: d.source for d in result.documents} == {
        "Y01": "中国政府网", "Y02": "卫健委网站", "Y03": "卫健委网站", "Y04": "卫健委网站",
    }  # fmt: skip
    assert result.notes[:2] == (
        "metadata.xlsx: row 1 above the header left out as the sheet's title",
        "metadata.xlsx (sheet 'Sheet'): merged cells F4:F6 ('卫健委网站') give their value to "
        "every cell they cover",
    )


def test_an_empty_csv_line_keeps_the_rows_below_it_on_their_own_numbers(tmp_path):
    # review 20b item 2: pandas skipped the empty line unasked, and every row below it
    # was named one row up ("meta.csv row 3" for the file's line 4)
    csv = tmp_path / "meta.csv"
    csv.write_text("id,title,date\nD01,a,2019-05-01\n\nD02,b,notadate\n", "utf-8")
    with pytest.raises(DataError) as err:
        read_metadata_sheet(csv)
    (problem,) = err.value.problems
    assert problem.startswith("column 'date' of meta.csv row 4")
    csv.write_text("id,title,date\nD01,a,2019-05-01\n\nD02,b,2019-06-01\n\n\n", "utf-8")
    assert [(r.row, r.values["id"]) for r in read_metadata_sheet(csv)] == [(2, "D01"), (4, "D02")]
    # the decisions, review and codings sheets number rows by position from 2: the
    # empty line stays a row of blanks (skipped by them), empty lines ending it do not
    frame = read_table_file(csv, columns=("id",))
    assert list(frame["id"]) == ["D01", "", "D02"]
