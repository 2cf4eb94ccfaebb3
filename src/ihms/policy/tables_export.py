"""Writing content tables to XLSX (one sheet per table), CSV, HTML and LaTeX.

Group header, subtotal and grand-total rows are set in bold in XLSX, HTML and LaTeX, as
the study typesets them; every format keeps the title above and the notes below.
All files are written beside their places and renamed together when every one is
complete, so a failure leaves the earlier files (or none), never half of one.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ihms._atomic import staged_set
from ihms._sheet_names import sheet_name
from ihms.errors import InputError
from ihms.policy._agreement_words import ZH, content_note
from ihms.policy.tables import ContentTable
from ihms.table_files import (
    _append_notes,
    _title_and_header,
    _widths,
    unique_sheet_name,
)

__all__ = [
    "FORMATS",
    "export_tables",
    "table_to_html",
    "table_to_latex",
    "write_docx",
]

FORMATS = ("xlsx", "csv", "html", "latex", "docx")
_BOLD = ("group", "subtotal", "total")


def _xlsx_columns(t: ContentTable) -> list[tuple[str, int, str | None]]:
    """Per printed data column, the spreadsheet's columns: ``(header, index, kind)``
    with kind ``n`` (a count), ``%`` (its share as a number) or ``None`` (the printed
    text, for a table without bases); in the table's language (``文本数（n=1345），频数``)."""
    heads = t.header[1:]
    if t.lang == "zh":
        whole, n, pct = f"，{ZH['n (%)']}", f"，{ZH['n']}", f"，{ZH['%']}"
    else:
        whole, n, pct = ", n (%)", ", n", ", %"
    if t.bases is None:
        return [(h, j, None) for j, h in enumerate(heads)]
    out: list[tuple[str, int, str | None]] = []
    for j, h in enumerate(heads):
        if t.bases.iloc[:, j].isna().all():  # counts only (codings, distinct answers)
            out.append((h, j, "n"))
            continue
        stem = h.removesuffix(whole).removesuffix(n)
        out += [(f"{stem}{n}", j, "n"), (f"{stem}{pct}", j, "%")]
    return out


def _xlsx_cell(t: ContentTable, i: int, j: int, kind: str | None):
    if kind is None:
        return t.rows[i][2][j]
    n = t.counts.iloc[i, j]
    if pd.isna(n):  # a group's header row
        return None
    if kind == "n":
        return int(n)
    base = t.bases.iloc[i, j]
    return float(n) / float(base) if base else 0.0


def _write_xlsx(tables: Sequence[ContentTable], path: Path) -> None:
    """One sheet per table as a journal prints it (title, header, rows, notes), each
    ``n (%)`` column given as two numeric ones, ``n`` and ``%`` (the share, in a percent
    format with the table's decimals), so Excel can sum and chart them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for t in tables:
        ws = wb.create_sheet(unique_sheet_name(sheet_name(t.lang, t.name), used))
        columns = _xlsx_columns(t)
        percent_format = "0." + "0" * t.percent_digits + "%" if t.percent_digits else "0%"
        _title_and_header(ws, t.title, [t.header[0], *(h for h, _, _ in columns)])
        for i, (label, kind, _) in enumerate(t.rows):
            ws.append([label, *(_xlsx_cell(t, i, j, k) for _, j, k in columns)])
            for cell, (_, _, k) in zip(ws[ws.max_row][1:], columns, strict=True):
                cell.alignment = Alignment(horizontal="right")
                if k == "%":
                    cell.number_format = percent_format
            if kind in _BOLD:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
        _append_notes(ws, t.notes)
        if t.bases is not None:
            end = "xlsx end" if t.trailing_zeros else "xlsx printed"
            said = content_note(t.lang, "xlsx", digits=t.percent_digits)
            ws.append([said + content_note(t.lang, end)])
        _widths(ws, [r[0] for r in t.rows], 1 + len(columns))
    wb.save(str(path))


def table_to_html(table: ContentTable) -> str:
    """One ``<table>`` with caption, bold group/total rows and notes."""
    out = [
        '<table class="ihms-table">',
        f"<caption>{html.escape(table.title)}</caption>",
        "<thead><tr>",
    ]
    out += [f"<th>{html.escape(h)}</th>" for h in table.header]
    out.append("</tr></thead><tbody>")
    for label, kind, cells in table.rows:
        style = ' style="font-weight:bold"' if kind in _BOLD else ""
        tds = [f'<td class="label">{html.escape(label)}</td>']
        tds += [f'<td style="text-align:right">{html.escape(c)}</td>' for c in cells]
        out.append(f"<tr{style}>" + "".join(tds) + "</tr>")
    out.append("</tbody>")
    if table.notes:
        notes = "<br>".join(html.escape(n) for n in table.notes)
        out.append(f'<tfoot><tr><td colspan="{len(table.header)}">{notes}</td></tr></tfoot>')
    out.append("</table>")
    return "".join(out)


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}  # fmt: skip


def _tex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def table_to_latex(table: ContentTable) -> str:
    """A ``table`` environment with a booktabs ``tabular`` (needs ``booktabs``; Chinese
    labels need ``ctex`` or ``xeCJK``)."""
    cols = "l" + "r" * (len(table.header) - 1)
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{_tex(table.title)}}}",
        rf"\label{{tab:{_tex(table.name)}}}",
        rf"\begin{{tabular}}{{{cols}}}",
        r"\toprule",
        " & ".join(_tex(h) for h in table.header) + r" \\",
        r"\midrule",
    ]
    for label, kind, cells in table.rows:
        values = [_tex(label), *(_tex(c) for c in cells)]
        if kind in _BOLD:
            values = [rf"\textbf{{{v}}}" if v else v for v in values]
        lines.append(" & ".join(values) + r" \\")
    lines.append(r"\bottomrule")
    lines.append(r"\end{tabular}")
    for note in table.notes:
        lines.append(rf"\par\smallskip\footnotesize {_tex(note)}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def write_docx(tables: Sequence[ContentTable], path: Path) -> None:
    """Every table in one Word document: its title, a table (the header and the group
    and total rows in bold, numbers right-aligned) and its notes, as printed."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    for t in tables:
        document.add_paragraph().add_run(t.title).bold = True
        grid = document.add_table(rows=1 + len(t.rows), cols=len(t.header))
        grid.style = "Table Grid"
        lines = [(list(t.header), "header"), *(([lab, *c], k) for lab, k, c in t.rows)]
        for row, (values, kind) in zip(grid.rows, lines, strict=True):
            for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                paragraph = cell.paragraphs[0]
                paragraph.add_run(value).bold = kind == "header" or kind in _BOLD
                if j and kind != "header":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for note in t.notes:
            document.add_paragraph().add_run(note).font.size = Pt(9)
    document.save(str(path))


def export_tables(
    tables: Sequence[ContentTable],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    stem: str = "tables",
    removed: list[Path] | None = None,
) -> dict[str, list[Path]]:
    """Write ``tables`` into ``out_dir``: ``tables.xlsx`` (one sheet per table),
    ``<name>.csv`` each (UTF-8 with BOM, for Excel), ``tables.html``, ``tables.tex`` and
    ``tables.docx`` (Word: :func:`write_docx`).
    Returns the written paths by format.

    The files replace the set an earlier export of ``stem`` wrote there: its files this
    export does not write (other formats, other tables) are removed and added to
    ``removed`` (:func:`ihms._atomic.staged_set`)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown table format(s) {bad}; choose from {', '.join(FORMATS)}")
    if not tables:
        raise InputError("no tables to export")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {}

    planned: list[tuple[str, Path, object]] = []  # (format, path, writer of a path)
    if "xlsx" in formats:
        planned.append(("xlsx", out_dir / f"{stem}.xlsx", lambda p: _write_xlsx(tables, p)))
    if "csv" in formats:
        for t in tables:
            frame = t.to_frame()
            planned.append(
                ("csv", out_dir / f"{t.name}.csv",
                 lambda p, f=frame: f.to_csv(p, index=False, encoding="utf-8-sig"))
            )  # fmt: skip
    if "html" in formats:
        body = "\n".join(table_to_html(t) for t in tables)
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{'内容分析表' if tables[0].lang == 'zh' else 'Content tables'}</title>"
            "<style>table{border-collapse:collapse;margin:1.5em 0}td,th{padding:2px 8px;"
            "border-bottom:1px solid #ddd}caption{text-align:left;font-weight:bold}</style>"
            f"</head><body>{body}</body></html>\n"
        )
        planned.append(("html", out_dir / f"{stem}.html", lambda p: p.write_text(page, "utf-8")))
    if "latex" in formats:
        tex = "% Tables written by ihms; \\usepackage{booktabs} (and ctex for Chinese labels).\n"
        tex += "\n".join(table_to_latex(t) for t in tables)
        planned.append(("latex", out_dir / f"{stem}.tex", lambda p: p.write_text(tex, "utf-8")))
    if "docx" in formats:
        planned.append(("docx", out_dir / f"{stem}.docx", lambda p: write_docx(tables, p)))
    # every file or none: a failure in the last leaves the earlier set as it was
    fixed = [f"{stem}.{suffix}" for suffix in ("xlsx", "html", "tex", "docx")]
    with staged_set(out_dir, [path.name for _, path, _ in planned], record=f"policy-{stem}",
                    outputs=fixed, removed=removed) as temps:  # fmt: skip
        for (fmt, path, write), tmp in zip(planned, temps, strict=True):
            write(tmp)
            written.setdefault(fmt, []).append(path)
    return written
