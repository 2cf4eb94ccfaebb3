"""Write a :class:`~ihms.report.document.Report` to disk.

``write_report`` produces, in one output folder:

- ``report.html`` — self-contained (CSS inline, figures embedded as data URIs), so it
  opens offline and can be mailed as one file;
- ``tables/<section>-<table>.csv`` — every table, UTF-8 with BOM so Excel shows Chinese;
- ``tables.xlsx`` — every table, one sheet each, with its title, source and notes
  (:mod:`ihms.report._xlsx`);
- ``figures/<section>-<figure>.<fmt>`` — every figure.

Files are first written into a temporary folder beside the target and moved into place
at the end, so a failure never leaves half a report behind.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from ihms._atomic import staging_folder, swap_folders
from ihms.report._xlsx import write_sheet
from ihms.report.document import Figure, Paragraph, Report, Table
from ihms.summary._html import inline_html, zh_marked

# CSV floats with 15 significant digits, the most a double keeps for any decimal: a share
# computed as 0.1 + 0.2 is written 0.3, not 0.30000000000000004. A figure that needs a
# 16th or 17th digit is rounded there — far below anything a report table shows.
CSV_FLOAT_FORMAT = "%.15g"

__all__ = ["render_html", "write_report"]

_CSS = """
body{font-family:-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{border-bottom:2px solid #2b6cb0;padding-bottom:.2em}
h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
.mirrors{color:#666;font-size:.9em;margin-top:-.6em}
nav ol{columns:2}
table.ihms-table{border-collapse:collapse;margin:1em 0;font-size:.88em}
table.ihms-table caption{text-align:left;font-weight:600;padding:.3em 0}
table.ihms-table th,table.ihms-table td{border-bottom:1px solid #ddd;padding:.25em .6em;
text-align:right;white-space:nowrap}
table.ihms-table th{background:#f3f6fa}
table.ihms-table td.label{text-align:left}
table.ihms-table td.note{text-align:left;color:#555;white-space:normal;font-size:.9em}
figure{margin:1em 0}figure img{max-width:100%}
figcaption{color:#555;font-size:.9em}
p.csv{color:#666;font-size:.8em;margin-top:-.6em}
code{font-family:ui-monospace,Consolas,monospace;font-size:.92em;background:#f3f5f7;
padding:0 .2em;border-radius:3px}
footer{margin-top:3em;color:#777;font-size:.85em}
"""


_SHEET_MAX = 31  # Excel's limit on a sheet name's length
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# The words the rendering adds, by the report's language (``Report.lang``).
_WORDS = {
    "en": {
        "html_lang": "en",
        "mirrors": "Mirrors {what}",
        "rows": "{title}: {rows:,} row(s)",
        "also_in": " (also in {link})",
        "as_csv": "This table as CSV: {link}",
        "references": "References",
        "footer": "Written by ihms on {stamp}.{made} Tables are also in tables.xlsx and "
        "tables/*.csv beside this file.",
        "source_mirrors": " — mirrors {what}",
        "no_tables": "this report has no tables",
    },
    "zh": {
        "html_lang": "zh-CN",
        "mirrors": "对应 {what}",
        "rows": "{title}：{rows:,} 行",
        "also_in": "（亦见 {link}）",
        "as_csv": "本表的 CSV 文件：{link}",
        "references": "参考文献",
        "footer": "由 ihms 生成于 {stamp}。{made}各表亦见本文件旁的 tables.xlsx 与 tables/*.csv。",
        "source_mirrors": "——对应 {what}",
        "no_tables": "本报告没有表格",
    },
}


def _words(report: Report) -> dict[str, str]:
    return _WORDS["zh" if report.lang == "zh" else "en"]


def _table_csv(section_id: str, table_name: str) -> str:
    """Where a table's CSV lies in the report folder, as the page links it and
    :func:`write_report` writes it."""
    return f"tables/{section_id}-{table_name}.csv"


def _sheet_name(section_id: str, table_name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of ``[]:*?/\\``, unique ignoring
    case) that reads as whole words: ``<section>-<table>``, the table name's words the
    section id already says left out (``indicators-table4`` + ``indicators_table4`` →
    ``indicators-table4``); if that is still too long, the table name alone; cutting at
    31 characters only when neither fits."""
    section_words = set(re.split(r"[-_ ]+", section_id.lower()))
    rest = [w for w in re.split(r"[-_ ]+", table_name) if w and w.lower() not in section_words]
    candidates = [
        f"{section_id}-{table_name}",
        "-".join([section_id, *rest]),
        table_name,
    ]
    fitting = [
        _SHEET_FORBIDDEN.sub("-", c)
        for c in candidates
        if c and len(c) <= _SHEET_MAX and _SHEET_FORBIDDEN.sub("-", c).lower() not in used
    ]
    base = fitting[0] if fitting else _SHEET_FORBIDDEN.sub("-", candidates[1])[:_SHEET_MAX]
    candidate, i = base, 2
    while candidate.lower() in used:
        suffix = f"~{i}"
        candidate = base[: _SHEET_MAX - len(suffix)] + suffix
        i += 1
    used.add(candidate.lower())
    return candidate


def _inline(text: str) -> str:
    """Escaped text with ``**strong**`` and backtick (``<code>``) spans, its Chinese
    marked ``lang="zh"`` (:func:`ihms.summary._html.inline_html`)."""
    return inline_html(text, strong=True)


def _plain(text: str) -> str:
    """Escaped text, its Chinese marked ``lang="zh"``: a title, caption or heading."""
    return zh_marked(html.escape(text))


def _figure_html(fig: Figure) -> str:
    mime = "image/svg+xml" if fig.fmt == "svg" else f"image/{fig.fmt}"
    data = base64.b64encode(fig.data).decode("ascii")
    cap = f"<figcaption>{_inline(fig.caption)}</figcaption>" if fig.caption else ""
    alt = html.escape(fig.caption or fig.name)
    return f'<figure><img alt="{alt}" src="data:{mime};base64,{data}">{cap}</figure>'


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page.

    Parameters
    ----------
    report
        The report; figures are embedded, tables link to ``tables/<section>-<name>.csv``
        beside the page (written by :func:`write_report`).

    Returns
    -------
    str
        The page, with a contents list where there is more than one section and a footer
        with the UTC time of rendering.
    """
    words = _words(report)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{words["html_lang"]}"><head><meta charset="utf-8">',
        f"<title>{html.escape(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_plain(report.title)}</h1>",
    ]
    if report.subtitle:
        out.append(f"<p>{_inline(report.subtitle)}</p>")
    if len(report.sections) > 1:
        out.append("<nav><ol>")
        out += [
            f'<li><a href="#{html.escape(s.id)}">{_plain(s.title)}</a></li>'
            for s in report.sections
        ]
        out.append("</ol></nav>")
    for section in report.sections:
        out.append(f'<section id="{html.escape(section.id)}"><h2>{_plain(section.title)}</h2>')
        if section.mirrors:
            mirrors = words["mirrors"].format(what=_plain(section.mirrors))
            out.append(f'<p class="mirrors">{mirrors}</p>')
        for block in section.blocks:
            if isinstance(block, Paragraph):
                for para in block.text.strip().split("\n\n"):
                    out.append(f"<p>{_inline(para.strip())}</p>")
            elif isinstance(block, Table) and block.folded:
                rows = len(block.table.frame)
                label = words["rows"].format(title=block.table.title or block.name, rows=rows)
                csv = _table_csv(section.id, block.name)
                link = f'<a href="{html.escape(csv)}">{html.escape(csv)}</a>'
                also = _plain(words["also_in"]).format(link=link)
                out.append(f"<details><summary>{_plain(label)}{also}</summary>")
                out += [block.table.to_html(), "</details>"]
            elif isinstance(block, Table):
                csv = _table_csv(section.id, block.name)
                out.append(block.table.to_html())
                link = f'<a href="{html.escape(csv)}">{html.escape(csv)}</a>'
                out.append(f'<p class="csv">{_plain(words["as_csv"]).format(link=link)}</p>')
            elif isinstance(block, Figure):
                out.append(_figure_html(block))
        out.append("</section>")
    if report.references:
        heading = _plain(words["references"])
        out.append(f'<section id="references"><h2>{heading}</h2><ol>')
        out += [f"<li>{_linked(entry)}</li>" for entry in report.references]
        out.append("</ol></section>")
    # UTC, said: a local time without its zone cannot be placed by a reader elsewhere
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    made = report.provenance or ""
    if made and report.lang != "zh":
        made = f" {made}"  # between English sentences; none after a full stop 。
    footer = _plain(words["footer"].format(stamp=stamp, made=made))
    out.append(f"<footer>{footer}</footer></body></html>")
    return "\n".join(out)


def _linked(text: str) -> str:
    """Escaped text with each ``https://`` address a link (a reference's DOI)."""
    parts = re.split(r"(https://\S+)", text)
    return "".join(
        f'<a href="{html.escape(p)}">{html.escape(p)}</a>' if i % 2 else html.escape(p)
        for i, p in enumerate(parts)
    )


def write_report(
    report: Report,
    out_dir: str | os.PathLike[str],
    *,
    along: Sequence[tuple[Path, Path]] = (),
) -> Path:
    """Write the report folder atomically and return the path of ``report.html``.

    The folder is built in a hidden folder beside ``out_dir`` and swapped in whole
    (:func:`ihms._atomic.swap_folders`), together with each ``(staged, final)`` folder of
    ``along`` (the demo's work folder, built in staging as the report's steps ran): the
    earlier report and those folders stay as they were until all are complete. A staged
    folder of ``along`` is the caller's to remove when this raises.

    Parameters
    ----------
    report
        The report to write.
    out_dir
        The report folder: ``report.html``, ``tables.xlsx``, ``tables/*.csv`` and the
        figures; an existing folder is replaced whole. Its parent is created.
    along
        ``(staged, final)`` folder pairs swapped in with the report, in one step.

    Returns
    -------
    Path
        ``out_dir / "report.html"``.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = staging_folder(out_dir)
    try:
        _write_files(report, tmp)
        swap_folders([*along, (tmp, out_dir)])
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir / "report.html"


def _write_files(report: Report, tmp: Path) -> None:
    """Every file of the report folder, written into the empty folder ``tmp``."""
    import pandas as pd

    (tmp / "tables").mkdir()
    (tmp / "figures").mkdir()
    used: set[str] = set()
    words = _words(report)
    tables = report.all_tables()
    with pd.ExcelWriter(tmp / "tables.xlsx", engine="openpyxl") as xlsx:
        for section, table in tables:
            frame = table.table.to_frame()
            frame.to_csv(
                tmp / _table_csv(section.id, table.name),
                encoding="utf-8-sig",
                index=table.table.show_index,
                float_format=CSV_FLOAT_FORMAT,
            )
            write_sheet(
                xlsx,
                _sheet_name(section.id, table.name, used),
                table.table,
                source=section.title
                + (words["source_mirrors"].format(what=section.mirrors) if section.mirrors else ""),
                note=report.sheet_note,
            )
        if not tables:
            pd.DataFrame({"note": [words["no_tables"]]}).to_excel(
                xlsx, sheet_name="empty", index=False
            )
    for section in report.sections:
        for fig in section.figures():
            (tmp / "figures" / f"{section.id}-{fig.name}.{fig.fmt}").write_bytes(fig.data)
    (tmp / "report.html").write_text(render_html(report), encoding="utf-8")
