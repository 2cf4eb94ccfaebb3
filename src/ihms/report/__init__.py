"""Reports: sections of prose, tables and figures, written as one self-contained HTML
page plus CSV/XLSX/figure files. The report layer renders results; it computes nothing."""

from ihms.report.document import Figure, Paragraph, Report, Section, Table, slugify
from ihms.report.render import render_html, write_report

__all__ = [
    "Figure",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "render_html",
    "slugify",
    "write_report",
]
