"""Tables whose column names take two or more header rows (a group header merged over
its sub-headers) read as rows with the names joined: ``2020年目标·城市：30%``
(``read_document(..., tables="rows")``, :func:`ihms.policy._tables.table_paragraphs`)."""

import docx
from docx.oxml import OxmlElement

from ihms.policy._tables import Cell, Row, table_paragraphs
from ihms.policy.readers import read_document

from .table_docs import fill

# a targets table as county plans print them: 指标 over both header rows, 2020年目标
# and 2025年目标 each over 城市 | 农村
TARGETS = [
    "指标：家庭医生签约率；2020年目标·城市：30%；2020年目标·农村：25%；"
    "2025年目标·城市：75%；2025年目标·农村：60%",
    "指标：县域内就诊率；2020年目标·城市：85%；2020年目标·农村：80%；"
    "2025年目标·城市：90%；2025年目标·农村：90%",
]


def _targets_docx(path, *, mark: int = 0):
    """The targets table in Word, its first ``mark`` rows marked "repeat as header row"."""
    d = docx.Document()
    d.add_paragraph("二、主要目标")
    t = d.add_table(rows=4, cols=5)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "指标"  # merged down over both header rows
    t.cell(0, 1).merge(t.cell(0, 2)).text = "2020年目标"
    t.cell(0, 3).merge(t.cell(0, 4)).text = "2025年目标"
    fill(t, [None, (None, "城市", "农村", "城市", "农村"),
             ("家庭医生签约率", "30%", "25%", "75%", "60%"),
             ("县域内就诊率", "85%", "80%", "90%", "90%")])  # fmt: skip
    for row in t.rows[:mark]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    d.add_paragraph("三、保障措施")
    d.save(path)
    return path


def test_a_word_table_with_a_merged_group_header_names_cells_by_both_rows(tmp_path):
    for mark in (0, 1, 2):  # unmarked, only the first row marked, both marked
        path = _targets_docx(tmp_path / f"targets{mark}.docx", mark=mark)
        raw = read_document(path, tables="rows")
        assert raw.text.split("\n") == ["二、主要目标", *TARGETS, "三、保障措施"], mark
        assert raw.row_lines == (1, 2)


def test_rows_marked_as_header_are_the_header_even_when_they_read_as_data(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 1).merge(t.cell(0, 2)).text = "考核内容"
    fill(t, [("序号", None, None),
             ("", "医疗质量和安全管理情况，含病历书写", "分值"),
             ("1", "病历甲级率", "10")])  # fmt: skip
    for row in t.rows[:2]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    path = tmp_path / "marked.docx"
    d.save(path)
    assert read_document(path, tables="rows").text == (
        "序号：1；考核内容·医疗质量和安全管理情况，含病历书写：病历甲级率；考核内容·分值：10"
    )


HTML_TARGETS = """<html><body><p>二、主要目标</p><table>
{head}
<tr><td>家庭医生签约率</td><td>30%</td><td>25%</td><td>75%</td><td>60%</td></tr>
<tr><td>县域内就诊率</td><td>85%</td><td>80%</td><td>90%</td><td>90%</td></tr>
</table><p>三、保障措施</p></body></html>"""
HEADS = {
    "thead": "<thead><tr><th rowspan='2'>指标</th><th colspan='2'>2020年目标</th>"
    "<th colspan='2'>2025年目标</th></tr><tr><th>城市</th><th>农村</th><th>城市</th>"
    "<th>农村</th></tr></thead>",
    "td": "<tr><td rowspan='2'>指标</td><td colspan='2'>2020年目标</td>"
    "<td colspan='2'>2025年目标</td></tr><tr><td>城市</td><td>农村</td><td>城市</td>"
    "<td>农村</td></tr>",
}


def test_an_html_table_with_two_header_rows_names_cells_by_both(tmp_path):
    for kind, head in HEADS.items():  # marked by <thead>/<th>, or only by its merges
        path = tmp_path / f"{kind}.html"
        path.write_text(HTML_TARGETS.format(head=head), encoding="utf-8")
        assert read_document(path, tables="rows").text.split("\n") == [
            "二、主要目标", *TARGETS, "三、保障措施"
        ], kind  # fmt: skip


def test_a_cell_across_a_group_takes_the_group_name():
    head = [
        Row((Cell("指标", 0), Cell("2020年目标", 1, 2))),
        Row((Cell("城市", 1), Cell("农村", 2))),
    ]
    body = [Row((Cell("签约率", 0), Cell("城乡均为30%", 1, 2))),
            Row((Cell("就诊率", 0), Cell("85%", 1), Cell("80%", 2)))]  # fmt: skip
    assert table_paragraphs(head + body) == [
        "指标：签约率；2020年目标：城乡均为30%",
        "指标：就诊率；2020年目标·城市：85%；2020年目标·农村：80%",
    ]


def test_a_first_data_row_under_a_group_header_stays_data():
    # the row under the merged 目标值 holds numbers: not sub-headers
    rows = [Row((Cell("指标", 0), Cell("目标值", 1, 2))),
            Row((Cell("签约率", 0), Cell("30%", 1), Cell("75%", 2))),
            Row((Cell("就诊率", 0), Cell("85%", 1), Cell("90%", 2)))]  # fmt: skip
    assert table_paragraphs(rows) == [
        "指标：签约率；目标值：30%；目标值：75%",
        "指标：就诊率；目标值：85%；目标值：90%",
    ]
    # short names in a row under a header without a group or a merged-down cell are data
    rows = [Row((Cell("任务", 0), Cell("牵头单位", 1))),
            Row((Cell("建立医联体", 0), Cell("市卫生健康委", 1))),
            Row((Cell("远程医疗", 0), Cell("市医保局", 1)))]  # fmt: skip
    assert table_paragraphs(rows)[0] == "任务：建立医联体；牵头单位：市卫生健康委"
    # the header never takes the last row with text: a table has data
    rows = [Row((Cell("指标", 0), Cell("目标", 1, 2))), Row((Cell("城市", 1), Cell("农村", 2)))]
    assert table_paragraphs(rows) == ["目标：城市；目标：农村"]


def test_a_table_marked_header_throughout_has_one_header_row(tmp_path):
    # some sites put every cell in <th>: the marks then say nothing about the header
    page = ("<table><tr><th>科室</th><th>床位</th></tr><tr><th>内科</th><th>40</th></tr>"
            "<tr><th>外科</th><th>35</th></tr></table>")  # fmt: skip
    path = tmp_path / "all_th.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path, tables="rows").text.split("\n") == [
        "科室：内科；床位：40", "科室：外科；床位：35"
    ]  # fmt: skip
