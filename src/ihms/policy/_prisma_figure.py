"""The PRISMA 2020 flow diagram of a :class:`~ihms.policy.prisma.Screening`."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ihms.policy.prisma import Screening

__all__ = ["prisma_figure"]


def prisma_figure(screening: Screening, *, title: str = "PRISMA 2020 flow diagram"):
    """Draw the PRISMA 2020 flow diagram (identification → screening → included).

    Returns a matplotlib Figure; labels are English, reasons as recorded. Below the
    boxes it states how screening was done (:meth:`ScreeningMethod.statement`).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ihms.fonts import use_cjk_font

    use_cjk_font()
    f = screening.flow()
    fig, ax = plt.subplots(figsize=(10, 9.5))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")

    def box(x, y, w, h, text):
        ax.add_patch(plt.Rectangle((x, y), w, h, fill=False, linewidth=1.2))
        ax.text(x + 0.15, y + h / 2, text, va="center", ha="left", fontsize=8.5, wrap=True)

    def arrow(x1, y1, x2, y2):
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "lw": 1.1})

    sources = "\n".join(f"  {k} (n = {v})" for k, v in f["identified_by_source"].items())
    n_src = len(f["identified_by_source"])
    box(
        0.6,
        9.7 - (0.5 + 0.2 * n_src),
        4.4,
        0.5 + 0.2 * n_src,
        f"Records identified from:\n{sources}\nTotal (n = {f['identified']})",
    )
    box(
        5.6,
        8.4,
        4.1,
        0.9,
        f"Records removed before screening:\n  duplicate records (n = {f['duplicates']})",
    )
    box(0.6, 6.4, 4.4, 0.8, f"Records screened\n(n = {f['screened']})")
    reasons_t = _reasons(f, "title", "record")
    box(5.6, 6.1, 4.1, 1.4, f"Records excluded (n = {f['excluded_title']})\n{reasons_t}")
    box(0.6, 4.8, 4.4, 0.8, f"Reports sought for retrieval\n(n = {f['sought']})")
    box(5.6, 4.8, 4.1, 0.8, f"Reports not retrieved\n(n = {f['not_retrieved']})")
    box(0.6, 3.2, 4.4, 0.8, f"Reports assessed for eligibility\n(n = {f['assessed']})")
    reasons_f = _reasons(f, "fulltext", "report")
    box(5.6, 2.9, 4.1, 1.4, f"Reports excluded (n = {f['excluded_fulltext']})\n{reasons_f}")
    box(0.6, 1.0, 4.4, 0.9, f"Documents included in the review\n(n = {f['included']})")
    arrow(2.8, 9.7 - (0.5 + 0.2 * n_src), 2.8, 7.2)
    arrow(5.0, 8.8, 5.6, 8.8)
    arrow(2.8, 6.4, 2.8, 5.6)
    arrow(5.0, 6.8, 5.6, 6.8)
    arrow(2.8, 4.8, 2.8, 4.0)
    arrow(5.0, 5.2, 5.6, 5.2)
    arrow(5.0, 3.6, 5.6, 3.6)
    arrow(2.8, 3.2, 2.8, 1.9)
    for y, label in ((8.8, "Identification"), (5.2, "Screening"), (1.45, "Included")):
        ax.text(0.25, y, label, rotation=90, va="center", ha="center", fontsize=9, weight="bold")
    # PRISMA 2020 item 8: how many reviewers screened, how independently, with what agreement
    method = textwrap.fill(screening.method.statement(), width=150)
    ax.text(0.25, 0.75, method, va="top", ha="left", fontsize=7, style="italic")
    ax.set_title(title, fontsize=11)
    return fig


def _reasons(f: dict, stage: str, what: str) -> str:
    """A stage's reasons, one per line, and whether a record counts under several."""
    lines = [f"  {k} (n = {v})" for k, v in f[f"excluded_{stage}_reasons"].items()]
    if f[f"excluded_{stage}_several_reasons"]:
        lines.append(f"  (a {what} may have several reasons)")
    return "\n".join(lines)
