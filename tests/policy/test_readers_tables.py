"""Reading the tables of .docx and .html files as paragraphs, one per row
(``read_document(..., tables="rows")``); the default leaves them out."""

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ihms.errors import InputError
from ihms.policy.readers import read_document

from .table_docs import HEAD, ROW_1, ROW_2, division_docx
from .table_docs import fill as _fill


def _rows(d, path) -> list[str]:
    """Save the python-docx document ``d`` at ``path`` and read it with its tables."""
    d.save(path)
    return read_document(path, tables="rows").text.split("\n")


def test_a_table_between_paragraphs_is_read_where_it_stands(tmp_path):
    path = division_docx(tmp_path / "分工.docx")
    rows = read_document(path, tables="rows")
    # the header row names every cell; the empty 配合单位 cell is left out
    assert rows.text.split("\n") == [
        "一、总体要求",
        "推进分级诊疗制度建设。",
        "二、重点任务分工",
        ROW_1,  # 任务：推进家庭医生签约服务；牵头单位：省卫生健康委；配合单位：省医保局；…
        ROW_2,  # the empty 配合单位 cell is left out
        "三、保障措施",
    ]
    assert rows.row_lines == (3, 4)
    assert rows.notes == ("1 table(s) read: 2 row(s), one paragraph each",)
    assert rows.paragraphs_text == read_document(path).text


def test_the_default_leaves_tables_out_as_before(tmp_path):
    path = division_docx(tmp_path / "分工.docx")
    raw = read_document(path)
    assert raw.text == "一、总体要求\n推进分级诊疗制度建设。\n二、重点任务分工\n三、保障措施"
    assert raw.notes == ("1 table(s) not read: only paragraphs are imported",)
    assert (raw.tables, raw.row_lines) == (1, ())


def test_merged_cells_are_read_once_and_later_cells_keep_their_column(tmp_path):
    d = docx.Document()
    d.add_paragraph("正文。")
    t = d.add_table(rows=4, cols=4)
    _fill(t, [HEAD, ("建立医联体", "市卫生健康委", None, "2019年"),
              ("开展远程医疗", None, "市医保局", "2020年")])  # fmt: skip
    t.cell(1, 1).merge(t.cell(2, 1))  # 市卫生健康委 leads both tasks (vertical merge)
    merged = t.cell(3, 0).merge(t.cell(3, 1))  # two columns, one cell
    merged.text = "完善绩效考核"
    t.cell(3, 2).text = "市财政局"
    path = tmp_path / "merged.docx"
    d.save(path)
    # python-docx repeats a merged cell in every grid position it covers
    assert [c.text for c in docx.Document(path).tables[0].rows[2].cells][1] == "市卫生健康委"
    assert read_document(path, tables="rows").text.split("\n")[1:] == [
        "任务：建立医联体；牵头单位：市卫生健康委；完成时限：2019年",
        "任务：开展远程医疗；配合单位：市医保局；完成时限：2020年",
        "任务：完善绩效考核；配合单位：市财政局",
    ]


def test_empty_rows_are_left_out_and_a_full_width_row_stands_alone(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=5, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "附表 年度考核指标"  # a caption row
    _fill(t, [None, ("指标", "2020年", "2025年"), (None, None, None), ("签约率", "30%", "75%")])
    t.cell(4, 0).merge(t.cell(4, 2)).text = "注：签约率按常住人口计算"
    assert _rows(d, tmp_path / "targets.docx") == [
        "附表 年度考核指标",
        "指标：签约率；2020年：30%；2025年：75%",
        "注：签约率按常住人口计算",
    ]


def test_a_nested_table_follows_the_row_holding_it(tmp_path):
    d = docx.Document()
    d.add_paragraph("一、考核内容")
    t = d.add_table(rows=3, cols=2)
    _fill(t, [("项目", "分值"), ("医疗质量", "40分"), ("群众满意度", "20分")])
    inner = t.cell(1, 1).add_table(rows=2, cols=2)
    _fill(inner, [("细项", "分值"), ("病历合格率", "20分")])
    d.add_paragraph("二、结果运用")
    path = tmp_path / "nested.docx"
    d.save(path)
    raw = read_document(path, tables="rows")
    assert raw.text.split("\n") == [
        "一、考核内容",
        "项目：医疗质量；分值：40分",
        "细项：病历合格率；分值：20分",
        "项目：群众满意度；分值：20分",
        "二、结果运用",
    ]
    assert raw.tables == 2
    assert read_document(path).notes == ("2 table(s) not read: only paragraphs are imported",)


def test_cell_paragraphs_join_and_a_table_without_header_is_joined_plainly(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    _fill(t, [("1", "省卫生健康委"), ("2", "完善制度。")])
    t.cell(0, 1).add_paragraph("省医保局")  # a list of units, one per line
    t.cell(1, 1).add_paragraph("加强考核。")
    path = tmp_path / "plain.docx"
    d.save(path)
    # "1" is a number, not a column name: no header, cells joined with "；"
    assert read_document(path, tables="rows").text.split("\n") == [
        "1；省卫生健康委、省医保局",
        "2；完善制度。加强考核。",
    ]


def test_a_row_word_marks_as_header_names_columns_even_when_long(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    _fill(t, [("需要由牵头单位会同配合单位共同完成的重点任务", "责任单位"),
              ("建设区域检查检验结果互认平台", "省卫生健康委")])  # fmt: skip
    trPr = t.rows[0]._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:tblHeader"))  # Word's "repeat as header row"
    path = tmp_path / "marked.docx"
    d.save(path)
    assert read_document(path, tables="rows").text == (
        "需要由牵头单位会同配合单位共同完成的重点任务：建设区域检查检验结果互认平台；"
        "责任单位：省卫生健康委"
    )
    trPr.find(qn("w:tblHeader")).set(qn("w:val"), "false")
    d.save(path)
    assert read_document(path, tables="rows").text.split("\n")[0] == (
        "需要由牵头单位会同配合单位共同完成的重点任务；责任单位"  # too long to be a name
    )


def test_word_list_numbering_runs_through_the_table(tmp_path):
    # A 序号 column numbered by Word: the "List Number" style of python-docx's template
    # is one list, and Word counts its paragraphs in the table too (1. 2. 3. 4.).
    d = docx.Document()
    d.add_paragraph("总体要求", style="List Number")
    t = d.add_table(rows=3, cols=2)
    _fill(t, [("序号", "任务"), (None, "建立医联体"), (None, "推进签约服务")])
    for i in (1, 2):
        t.cell(i, 0).paragraphs[0].style = "List Number"
    d.add_paragraph("保障措施", style="List Number")
    assert _rows(d, tmp_path / "numbered.docx") == [
        "1.总体要求",
        "序号：2.；任务：建立医联体",
        "序号：3.；任务：推进签约服务",
        "4.保障措施",
    ]


PAGE = """<html><head><meta name="ArticleTitle" content="某县医共体建设方案"></head><body>
<p>一、工作目标。</p>
<table>
 <thead><tr><th>序号</th><th>任务</th><th>牵头单位</th></tr></thead>
 <tr><td>1</td><td><p>建立县乡村一体化管理</p></td><td rowspan="2">县卫生健康局</td></tr>
 <tr><td>2</td><td>完善双向转诊制度</td></tr>
 <tr><td></td><td> </td><td></td></tr>
 <tr><td colspan="3">考核指标
  <table><tr><td>指标</td><td>目标值</td></tr><tr><td>签约率</td><td>30%</td></tr></table>
 </td></tr>
</table>
<p>二、保障措施。</p></body></html>"""


def test_html_data_table_rows_with_rowspan_colspan_empty_row_and_nested_table(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    raw = read_document(path, tables="rows")
    # the rowspan cell is read once; the next row's 任务 still lands under 任务
    assert raw.text.split("\n") == [
        "一、工作目标。",
        "序号：1；任务：建立县乡村一体化管理；牵头单位：县卫生健康局",
        "序号：2；任务：完善双向转诊制度",
        "考核指标",
        "指标：签约率；目标值：30%",
        "二、保障措施。",
    ]
    assert raw.row_lines == (1, 2, 3, 4)
    assert raw.notes[-1] == "2 table(s) read: 4 row(s), one paragraph each"
    default = read_document(path)
    assert default.text == "一、工作目标。\n二、保障措施。"
    assert default.notes[-1] == "2 table(s) not read: only the text around them is imported"
    assert raw.hints == default.hints == {"title": "某县医共体建设方案"}


def test_html_data_table_inside_a_layout_table_is_read_in_place(tmp_path):
    long = "推进紧密型县域医疗卫生共同体建设，" * 7
    page = (
        f"<html><body><table><tr><td><p>{long}</p><p>一、建立管理制度。</p>"
        "<table><tr><td>指标</td><td>2020年</td></tr><tr><td>签约率</td><td>30%</td></tr></table>"
        "<p>二、完善转诊制度。</p></td></tr></table></body></html>"
    )
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path, tables="rows").text.split("\n") == [
        long, "一、建立管理制度。", "指标：签约率；2020年：30%", "二、完善转诊制度。"
    ]  # fmt: skip


def test_html_key_value_information_table_joins_label_and_value(tmp_path):
    page = (
        "<html><body><table><tr><td>发文机关：</td><td>国务院办公厅</td><td>成文日期：</td>"
        "<td>2017年04月23日</td></tr><tr><td>发文字号：</td><td>国办发〔2017〕32号</td>"
        "<td>发布日期：</td><td>2017年04月26日</td></tr></table></body></html>"
    )
    path = tmp_path / "info.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path, tables="rows").text.split("\n") == [
        "发文机关：国务院办公厅；成文日期：2017年04月23日",
        "发文字号：国办发〔2017〕32号；发布日期：2017年04月26日",
    ]


def test_a_page_that_is_only_a_table(tmp_path):
    # lxml hands such a page back as the <table> itself: it must still be left out
    # by default (it used to come through as text) and read as rows on request
    path = tmp_path / "bare.html"
    path.write_text(
        "<table><tr><td>科室</td><td>床位</td></tr><tr><td>内科</td><td>40</td></tr></table>"
    )
    assert read_document(path).text == ""
    assert read_document(path, tables="rows").text == "科室：内科；床位：40"


def test_a_page_holding_the_row_mark_itself_is_read_right(tmp_path):
    # rows are marked with the noncharacter U+FDD0 while the page is laid out; a page's
    # own U+FDD0 means nothing and must not make its line a table row
    path = tmp_path / "odd.html"
    path.write_text(
        "<p>\ufdd0推进医联体建设。</p><table><tr><td>指标</td><td>签约率</td></tr></table>",
        encoding="utf-8",
    )
    raw = read_document(path, tables="rows")
    assert (raw.text, raw.row_lines) == ("推进医联体建设。\n指标；签约率", (1,))


@pytest.mark.parametrize("value", ["row", "", None, "ROWS"])
def test_a_bad_tables_value_names_the_option_and_the_choices(tmp_path, value):
    path = division_docx(tmp_path / "x.docx")
    with pytest.raises(InputError, match=r"tables must be one of 'skip', 'rows', got "):
        read_document(path, tables=value)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    grid=st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.booleans(), min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    ),
    before=st.integers(0, 3),
)
# a blank corner, then a row whose value columns are empty below: no two-row header
@example(grid=[[False, True, True], [True, False, True], [True, True, False]], before=0)
def test_rows_add_lines_and_never_change_or_repeat_anything(tmp_path, grid, before):
    # invariants: the paragraphs read as without tables, in order; the rows sit where
    # the table stands; every filled cell but a header's appears in exactly one row
    d = docx.Document()
    paragraphs = [f"第{k}段。" for k in range(4)]
    for text in paragraphs[:before]:
        d.add_paragraph(text)
    t = d.add_table(rows=len(grid), cols=len(grid[0]))
    for i, row in enumerate(grid):
        for j, filled in enumerate(row):
            if filled:
                t.cell(i, j).text = f"格{i}-{j}"
    for text in paragraphs[before:]:
        d.add_paragraph(text)
    path = tmp_path / "random.docx"
    d.save(path)
    raw = read_document(path, tables="rows")
    assert raw.paragraphs_text == read_document(path).text == "\n".join(paragraphs)
    lines = raw.text.split("\n")
    assert all(before <= i < before + len(grid) for i in raw.row_lines)
    rows = [lines[i] for i in raw.row_lines]
    # the first row with two filled cells may be the header, its cells then labels
    head = next((i for i, row in enumerate(grid) if sum(row) >= 2), None)
    for i, row in enumerate(grid):
        for j, filled in enumerate(row):
            if i != head:
                assert sum(f"格{i}-{j}" in r for r in rows) == (1 if filled else 0)
