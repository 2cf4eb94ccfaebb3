"""A two-row header typed without merged cells (blanks where the group name would be
merged over its sub-headers) reads as the merged one does, and nothing else that looks a
little like it does (:func:`ihms.policy._tables.table_paragraphs`)."""

import docx
import pytest

from ihms.policy._tables import Cell, Row, table_paragraphs
from ihms.policy.readers import read_document

from .table_docs import fill

HEAD = ("指标", "2020年", "", "2021年", "")
SUB = ("", "人数", "占比", "人数", "占比")
DATA = [("签约人数", "1200", "30%", "1500", "35.5%"), ("重点人群", "800", "45%", "—", "—")]
# each value named by the group on its left in the first row and its own second row
EXPECTED = [
    "指标：签约人数；2020年·人数：1200；2020年·占比：30%；2021年·人数：1500；2021年·占比：35.5%",
    "指标：重点人群；2020年·人数：800；2020年·占比：45%；2021年·人数：—；2021年·占比：—",
]


def _rows(*texts, header: int = 0) -> list[Row]:
    """Rows of unmerged cells, one per text (blank ones too, as Word and HTML give
    them); the first ``header`` rows marked as header rows."""
    return [
        Row(tuple(Cell(t, j) for j, t in enumerate(row)), header=i < header)
        for i, row in enumerate(texts)
    ]


def test_a_word_table_with_an_unmerged_two_row_header_names_cells_by_both(tmp_path):
    d = docx.Document()
    d.add_paragraph("表1 家庭医生签约情况")
    t = d.add_table(rows=4, cols=5)
    fill(t, [HEAD, SUB, *DATA])
    d.add_paragraph("三、保障措施")
    path = tmp_path / "unmerged.docx"
    d.save(path)
    raw = read_document(path, tables="rows")
    assert raw.text.split("\n") == ["表1 家庭医生签约情况", *EXPECTED, "三、保障措施"]


def test_an_html_table_with_an_unmerged_two_row_header_names_cells_by_both(tmp_path):
    rows = "".join(
        "<tr>" + "".join(f"<td>{t}</td>" for t in row) + "</tr>" for row in (HEAD, SUB, *DATA)
    )
    path = tmp_path / "unmerged.html"
    path.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    assert read_document(path, tables="rows").text.split("\n") == EXPECTED


def test_a_blank_corner_takes_the_second_rows_name():
    rows = _rows(("", "2020年", "", "2021年", ""), ("地区", "人数", "占比", "人数", "占比"),
                 ("城市", "100", "30%", "120", "35%"))  # fmt: skip
    assert table_paragraphs(rows) == [
        "地区：城市；2020年·人数：100；2020年·占比：30%；2021年·人数：120；2021年·占比：35%"
    ]


# Shapes that are not an unmarked two-row header, each read as before: the first row
# alone is the header, the second a row of data (a blank header cell names nothing).
AS_BEFORE = {
    "values below are words": (
        _rows(HEAD, SUB, ("签约率", "较高", "中", "高", "中")),
        [
            "2020年：人数；占比；2021年：人数；占比",
            "指标：签约率；2020年：较高；中；2021年：高；中",
        ],
    ),
    "only the first row marked as header": (
        _rows(HEAD, SUB, DATA[0], header=1),
        [
            "2020年：人数；占比；2021年：人数；占比",
            "指标：签约人数；2020年：1200；30%；2021年：1500；35.5%",
        ],
    ),
    "a column named in neither row": (
        _rows(("指标", "2020年", "", ""), ("", "人数", "占比", ""), ("签约率", "100", "30%", "")),
        ["2020年：人数；占比", "指标：签约率；2020年：100；30%"],
    ),
    "no blank over the second row": (
        _rows(
            ("任务", "牵头单位", "时限"),
            ("推进签约", "卫健委", "年底"),
            ("完善考核", "医保局", "2021"),
        ),
        [
            "任务：推进签约；牵头单位：卫健委；时限：年底",
            "任务：完善考核；牵头单位：医保局；时限：2021",
        ],
    ),
    "no data below": (_rows(HEAD, SUB), ["2020年：人数；占比；2021年：人数；占比"]),
    "the second row is data": (
        _rows(HEAD, DATA[0], DATA[1]),
        [
            "指标：签约人数；2020年：1200；30%；2021年：1500；35.5%",
            "指标：重点人群；2020年：800；45%；2021年：—；—",
        ],
    ),
    "the second row a sentence": (
        _rows(HEAD, ("", "人数。", "占比", "人数", "占比"), DATA[0]),
        [
            "2020年：人数。；占比；2021年：人数；占比",
            "指标：签约人数；2020年：1200；30%；2021年：1500；35.5%",
        ],
    ),
}


@pytest.mark.parametrize("shape", list(AS_BEFORE))
def test_other_shapes_read_as_before(shape):
    rows, expected = AS_BEFORE[shape]
    assert table_paragraphs(rows) == expected


def test_a_merged_two_row_header_still_reads_by_its_merges():
    # 2020年 merged over its two columns: the merged-cell path, unchanged
    rows = [Row((Cell("指标", 0), Cell("2020年", 1, 2))),
            Row((Cell("", 0), Cell("人数", 1), Cell("占比", 2))),
            Row((Cell("签约人数", 0), Cell("1200", 1), Cell("30%", 2)))]  # fmt: skip
    assert table_paragraphs(rows) == ["指标：签约人数；2020年·人数：1200；2020年·占比：30%"]
