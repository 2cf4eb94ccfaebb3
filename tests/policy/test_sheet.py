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
