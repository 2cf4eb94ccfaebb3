"""Writing content tables to XLSX (one sheet per table), CSV, HTML and LaTeX.

Group header, subtotal and grand-total rows are set in bold in XLSX, HTML and LaTeX, as
the study typesets them; every format keeps the title above and the notes below.
Files are written to a temporary name and renamed when complete.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from ihms.errors import InputError
from ihms.policy.tables import ContentTable

__all__ = ["FORMATS", "export_tables", "table_to_html", "table_to_latex"]

FORMATS = ("xlsx", "csv", "html", "latex")
_BOLD = ("group", "subtotal", "total")


def _sheet(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"
    out, k = base, 2
    while out in used:
        suffix = f"_{k}"
        out, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(out)
    return out


def _write_xlsx(tables: Sequence[ContentTable], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for t in tables:
        ws = wb.create_sheet(_sheet(t.name, used))
        ws.append([t.title])
        ws["A1"].font = Font(bold=True)
        ws.append(list(t.header))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for label, kind, cells in t.rows:
            ws.append([label, *cells])
            if kind in _BOLD:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
            for cell in ws[ws.max_row][1:]:
                cell.alignment = Alignment(horizontal="right")
        for note in t.notes:
            ws.append([note])
        ws.column_dimensions["A"].width = max(12, min(60, max(len(r[0]) for r in t.rows) + 2))
        for col in ws.iter_cols(min_col=2, max_col=len(t.header), min_row=2, max_row=2):
            ws.column_dimensions[col[0].column_letter].width = max(
                12, min(40, len(str(col[0].value)) + 2)
            )
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


def export_tables(
    tables: Sequence[ContentTable],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    stem: str = "tables",
) -> dict[str, list[Path]]:
    """Write ``tables`` into ``out_dir``: ``tables.xlsx`` (one sheet per table),
    ``<name>.csv`` each (UTF-8 with BOM, for Excel), ``tables.html`` and ``tables.tex``.
    Returns the written paths by format."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown table format(s) {bad}; choose from {', '.join(FORMATS)}")
    if not tables:
        raise InputError("no tables to export")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {}

    def commit(path: Path, write) -> Path:
        tmp = path.with_name(path.name + ".tmp")
        write(tmp)
        tmp.replace(path)
        return path

    if "xlsx" in formats:
        written["xlsx"] = [commit(out_dir / f"{stem}.xlsx", lambda p: _write_xlsx(tables, p))]
    if "csv" in formats:
        paths = []
        for t in tables:
            frame = t.to_frame()
            paths.append(
                commit(
                    out_dir / f"{t.name}.csv",
                    lambda p, f=frame: f.to_csv(p, index=False, encoding="utf-8-sig"),
                )
            )
        written["csv"] = paths
    if "html" in formats:
        body = "\n".join(table_to_html(t) for t in tables)
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Content tables</title>'
            "<style>table{border-collapse:collapse;margin:1.5em 0}td,th{padding:2px 8px;"
            "border-bottom:1px solid #ddd}caption{text-align:left;font-weight:bold}</style>"
            f"</head><body>{body}</body></html>\n"
        )
        written["html"] = [
            commit(out_dir / f"{stem}.html", lambda p: p.write_text(page, encoding="utf-8"))
        ]
    if "latex" in formats:
        tex = "% Tables written by ihms; \\usepackage{booktabs} (and ctex for Chinese labels).\n"
        tex += "\n".join(table_to_latex(t) for t in tables)
        written["latex"] = [
            commit(out_dir / f"{stem}.tex", lambda p: p.write_text(tex, encoding="utf-8"))
        ]
    return written
