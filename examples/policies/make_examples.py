"""Build the example policy corpus from ``source/documents_*.yaml``.

Run from the repository root (it rewrites ``examples/policies/corpus/``,
``metadata.xlsx`` and ``screening.csv``; the output is committed, so this only needs
re-running after editing a source document)::

    .venv/bin/python examples/policies/make_examples.py

Formats: UTF-8, GBK and GB18030 ``.txt``; ``.docx`` written with python-docx (one with
Word's automatic list numbering, one with a table that seed 000 would drop); one
``.pdf`` drawn with matplotlib's PDF backend and a CJK font embedded as TrueType, so the
text layer is real; ``.html`` pages wrapped in the debris of a government website.
"""

from __future__ import annotations

import copy
import csv
import html
import shutil
import textwrap
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
# Documents given web-copy debris in their .txt (full-width spaces, print/close links).
DEBRIS = {"N06", "M04"}
# The .docx with a table that the reader must skip.
TABLE_IN = {"N04"}
SHEET_HEADERS = {
    "id": "编号",
    "file": "文件名",
    "title": "标题",
    "issuer": "发文机关",
    "doc_number": "发文字号",
    "level": "层级",
    "date": "发布日期",
    "nature": "政策性质",
    "orientation": "政策导向",
    "url": "原文链接",
    "region": "省份",
    "source": "检索来源",
}
SCREENING = [
    ("E01", "title", "exclude", "政策解读，非政策文件"),
    ("E02", "title", "exclude", "媒体报道，非政策文件"),
]

#: Two reviewers screened every record independently (PRISMA 2020); where they differed
#: the lead decided. Exclusions by reviewer, (id, stage) -> reason; every other record
#: they include. X01 and X02 are duplicates, removed before screening.
REVIEWERS = {
    "reviewer_a": {
        ("E01", "title"): "政策解读，非政策文件",
        ("E02", "title"): "媒体报道，非政策文件",
        ("P11", "title"): "健康社区建设，与医联体无关",
        ("E03", "fulltext"): "published after 2021-12-31",
        ("P07", "fulltext"): "对口支援，非医联体政策",
    },
    "reviewer_b": {
        ("E01", "title"): "政策解读，非政策文件",
        ("E02", "title"): "媒体报道，非政策文件",
        ("S03", "title"): "健康促进行动，与医联体无关",
        ("E03", "fulltext"): "published after 2021-12-31",
    },
}
RESOLUTIONS = [
    (
        "P11",
        "title",
        "include",
        "",
        "lead",
    ),  # healthy communities are in seed 000's IHMS definition
    ("S03", "title", "include", "", "lead"),  # so is Healthy China action
    ("P07", "fulltext", "include", "", "lead"),  # paired support is vertical integration
]
DUPLICATES = ("X01", "X02")


def load_entries() -> list[dict]:
    entries: list[dict] = []
    for path in sorted((HERE / "source").glob("documents_*.yaml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    by_id = {e["id"]: e for e in entries}
    for e in entries:
        if "copy_of" in e:
            src = by_id[e["copy_of"]]
            drop = set(e.get("drop_lines", []))
            e["text"] = "\n".join(ln for ln in src["text"].split("\n") if ln.strip() not in drop)
    return entries


def add_debris(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    head = ["【打印本页】【关闭窗口】", "字号：大 中 小", ""]
    # A web copy often spaces out the title and ends with sharing links.
    lines[0] = " ".join(lines[0][:6]) + lines[0][6:]
    tail = ["", "分享到：微信 微博", "扫一扫在手机打开当前页"]
    return "\n".join(head + lines + tail).replace("　　", "\u3000\u3000\u00a0") + "\n"


def write_txt(entry: dict, path: Path, encoding: str) -> None:
    text = entry["text"]
    if entry["id"] in DEBRIS:
        text = add_debris(text)
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))


def _autonumbering(document) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    abstract = parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )
    num = parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    root = document.part.numbering_part.element
    first_num = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(num)


def _set_numbering(paragraph, ilvl: int) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))


def write_docx(entry: dict, path: Path, *, autonumber: bool) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    if autonumber:
        _autonumbering(document)
    lines = entry["text"].rstrip("\n").split("\n")
    for i, line in enumerate(lines):
        if i == 0:
            p = document.add_paragraph(line)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.runs[0].bold = True
            continue
        if autonumber and line.startswith(("#1 ", "#2 ")):
            p = document.add_paragraph(line[3:])
            _set_numbering(p, 0 if line.startswith("#1") else 1)
            continue
        p = document.add_paragraph(line.lstrip("　"))
        if line.startswith("　　"):
            p.paragraph_format.first_line_indent = Pt(24)
    if entry["id"] in TABLE_IN:
        table = document.add_table(rows=3, cols=3)
        for r, row in enumerate(
            [
                ("指标", "2020年", "2030年"),
                ("人均预期寿命（岁）", "77.3", "79.0"),
                ("居民健康素养水平（%）", "20", "30"),
            ]
        ):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.core_properties.title = ""
    document.save(str(path))


def write_pdf(entry: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from ihms.fonts import cjk_font_properties, use_cjk_font

    use_cjk_font()
    font = cjk_font_properties()
    width, per_page, size = 30, 26, 13
    lines: list[str] = []
    for raw in entry["text"].rstrip("\n").split("\n"):
        indent = raw.startswith("　　")
        body = raw.lstrip("　")
        wrapped = textwrap.wrap(body, width - (2 if indent else 0)) or [""]
        lines.extend(("　　" + w if (indent and k == 0) else w) for k, w in enumerate(wrapped))
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    with PdfPages(str(path)) as pdf:
        for number, page in enumerate(pages, start=1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(
                0.5,
                0.96,
                "江苏省医疗联合体建设实施方案",
                ha="center",
                fontproperties=font,
                fontsize=9,
            )
            for k, line in enumerate(page):
                fig.text(0.1, 0.9 - k * 0.032, line, fontproperties=font, fontsize=size)
            fig.text(0.5, 0.04, f"— {number} —", ha="center", fontproperties=font, fontsize=9)
            pdf.savefig(fig)
            plt.close(fig)


def write_html(entry: dict, path: Path, *, encoding: str = "utf-8") -> None:
    lines = entry["text"].rstrip("\n").split("\n")
    title, body = lines[0], lines[1:]
    date = next((ln for ln in reversed(body) if ln.endswith("日") and "年" in ln), "")
    issuer = body[-2].strip() if len(body) > 1 and date else ""
    if len(issuer) > 30 or "。" in issuer:
        issuer = ""  # a news item has no signature block
    declared = "gb2312" if encoding != "utf-8" else "utf-8"
    paragraphs = "\n".join(f"      <p>{html.escape(ln.strip())}</p>" for ln in body)
    page = f"""<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset={declared}">
  <title>{html.escape(title)}_政务公开_门户网站</title>
  <meta name="ArticleTitle" content="{html.escape(title)}">
  <meta name="PubDate" content="{html.escape(date)}">
  <meta name="ContentSource" content="{html.escape(issuer)}">
  <script>var _hmt = _hmt || [];</script>
  <style>body {{ font-size: 16px; }}</style>
</head>
<body>
  <nav><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a></nav>
  <div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
  <div class="tools">【打印本页】【关闭窗口】</div>
  <div class="tools">字号：大 中 小</div>
  <div class="article">
      <h1>{html.escape(title)}</h1>
{paragraphs}
  </div>
  <div class="share">分享到：微信 微博 QQ空间</div>
  <table class="related"><tr><td>相关链接</td><td>政策解读</td><td>图解</td></tr></table>
  <footer>版权所有：某省人民政府办公厅 网站标识码 0000000000</footer>
</body>
</html>
"""
    path.write_bytes(page.encode(encoding))


def write_sheet(entries: list[dict]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "政策文件"
    keys = list(SHEET_HEADERS)
    ws.append([SHEET_HEADERS[k] for k in keys])
    for e in entries:
        values = dict(e.get("sheet", {}))
        values["id"] = e["id"]
        values["file"] = e["file"]
        ws.append([str(values.get(k, "")) for k in keys])
    wb.save(str(HERE / "metadata.xlsx"))


def write_screening() -> None:
    with open(HERE / "screening.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "stage", "decision", "reason"])
        writer.writerows(SCREENING)


def write_reviewers(ids: list[str]) -> None:
    """Each reviewer's full decisions sheet (every record at the title stage, every report
    that passed it at the full-text stage) and the lead's resolutions of their conflicts."""
    records = [i for i in ids if i not in DUPLICATES]
    passed = [i for i in records if all(
        (i, "title") not in excluded for excluded in REVIEWERS.values()
    ) or any(r[0] == i and r[1] == "title" for r in RESOLUTIONS)]  # fmt: skip
    for reviewer, excluded in REVIEWERS.items():
        with open(HERE / f"screening_{reviewer}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "stage", "decision", "reason", "reviewer"])
            for stage, pool in (("title", records), ("fulltext", passed)):
                for i in pool:
                    reason = excluded.get((i, stage), "")
                    decision = "exclude" if reason else "include"
                    writer.writerow([i, stage, decision, reason, reviewer])
    with open(HERE / "screening_resolutions.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "stage", "decision", "reason", "resolved_by"])
        writer.writerows(RESOLUTIONS)


def main() -> None:
    entries = load_entries()
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir()
    for entry in entries:
        fmt = entry["format"]
        path = CORPUS / entry["file"]
        if fmt == "txt-utf8":
            write_txt(entry, path, "utf-8")
        elif fmt == "txt-gbk":
            write_txt(entry, path, "gbk")
        elif fmt == "txt-gb18030":
            write_txt(entry, path, "gb18030")
        elif fmt in ("docx", "docx-autonum"):
            write_docx(entry, path, autonumber=fmt == "docx-autonum")
        elif fmt == "pdf":
            write_pdf(entry, path)
        elif fmt == "html":
            write_html(entry, path, encoding="gbk" if entry["id"] == "P03" else "utf-8")
        elif fmt == "html-webcopy":
            write_html(copy.deepcopy(entry), path)
        else:
            raise SystemExit(f"{entry['id']}: unknown format {fmt!r}")
    write_sheet(entries)
    write_screening()
    write_reviewers([e["id"] for e in entries])
    print(f"wrote {len(entries)} documents to {CORPUS}")


if __name__ == "__main__":
    main()
