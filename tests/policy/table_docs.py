"""Small policy documents with tables, built with python-docx and as HTML, for the
tests of reading tables as rows."""

from __future__ import annotations

from pathlib import Path

import docx

HEAD = ("任务", "牵头单位", "配合单位", "完成时限")
ROW_1 = "任务：推进家庭医生签约服务；牵头单位：省卫生健康委；配合单位：省医保局；完成时限：2020年底"
ROW_2 = "任务：完善双向转诊制度；牵头单位：省卫生健康委；完成时限：2021年6月"


def fill(table, rows) -> None:
    """Write ``rows`` (tuples of cell texts; None leaves a cell alone) into ``table``."""
    for i, row in enumerate(rows):
        for j, value in enumerate(row or ()):
            if value is not None:
                table.cell(i, j).text = value


def division_table(d) -> None:
    t = d.add_table(rows=3, cols=4)
    fill(t, [HEAD, ("推进家庭医生签约服务", "省卫生健康委", "省医保局", "2020年底"),
             ("完善双向转诊制度", "省卫生健康委", "", "2021年6月")])  # fmt: skip


def division_docx(path: Path) -> Path:
    """Three paragraphs, a division-of-responsibilities table, a fourth paragraph."""
    d = docx.Document()
    for text in ("一、总体要求", "推进分级诊疗制度建设。", "二、重点任务分工"):
        d.add_paragraph(text)
    division_table(d)
    d.add_paragraph("三、保障措施")
    d.save(path)
    return path


def notice_docx(path: Path) -> Path:
    """A notice as offices type it: a reference table above the title, the header block,
    a body with the division table, the signature, and an attachment with a table."""
    d = docx.Document()
    ref = d.add_table(rows=2, cols=2)
    fill(ref, [("依据文件", "文号"),
               ("国务院办公厅关于推进医疗联合体建设和发展的指导意见", "国办发〔2017〕32号")])  # fmt: skip
    for text in (
        "浙江省卫生健康委关于印发医联体建设任务分工方案的通知",
        "浙卫发〔2018〕5号",
        "各市卫生健康委：",
        "一、明确任务分工。各地要按照下表落实各项任务。",
    ):
        d.add_paragraph(text)
    division_table(d)
    for text in ("二、加强督导考核。省卫生健康委定期通报进展。", "浙江省卫生健康委", "2018年3月1日",
                 "附件：医联体建设考核指标"):  # fmt: skip
        d.add_paragraph(text)
    annex = d.add_table(rows=2, cols=2)
    fill(annex, [("指标", "目标值"), ("县域就诊率", "90%")])
    d.save(path)
    return path


NOTICE_PAGE = """<html><head><meta charset="utf-8"></head><body>
<table><tr><td>索 引 号：</td><td>000014349/2017-00044</td><td>主题分类：</td><td>卫生</td></tr>
<tr><td>发文机关：</td><td>国务院办公厅</td><td>成文日期：</td><td>2017年04月23日</td></tr>
<tr><td>发文字号：</td><td>国办发〔2017〕32号</td><td>发布日期：</td><td>2017年04月26日</td></tr>
</table>
<p>国务院办公厅关于推进医疗联合体建设和发展的指导意见</p><p>国办发〔2017〕32号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>一、总体要求。推进医联体建设，逐步形成多种形式的医联体组织模式。</p>
<table><tr><th>任务</th><th>牵头单位</th></tr>
<tr><td>开展城市医疗集团建设试点</td><td>国家卫生计生委</td></tr></table>
<p>二、组织实施。各地要加强组织领导，完善配套政策。</p>
<p>国务院办公厅</p><p>2017年4月23日</p>
<table><tr><td>相关链接</td><td>政策解读</td><td>图解</td></tr></table>
</body></html>"""
PAGE_ROW = "任务：开展城市医疗集团建设试点；牵头单位：国家卫生计生委"
