"""The PRISMA 2020 flow diagram of a :class:`~ihms.policy.prisma.Screening`."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ihms.policy.prisma import Screening

__all__ = ["prisma_figure"]

#: The boxes' words by language; the Chinese are the console flow's (``ihms._words``,
#: ``flow …``), the phases PRISMA 2020's Chinese 识别/筛选/纳入.
_WORDS = {
    "en": {
        "title": "PRISMA 2020 flow diagram",
        "identified": "Records identified from:\n{sources}\nTotal (n = {n})",
        "unspecified source": "unspecified source",
        "duplicates": "Records removed before screening:\n  duplicate records (n = {n})",
        "screened": "Records screened\n(n = {n})",
        "excluded title": "Records excluded (n = {n})",
        "sought": "Reports sought for retrieval\n(n = {n})",
        "not retrieved": "Reports not retrieved\n(n = {n})",
        "assessed": "Reports assessed for eligibility\n(n = {n})",
        "excluded fulltext": "Reports excluded (n = {n})",
        "included": "Documents included in the review\n(n = {n})",
        "several record": "  (a record may have several reasons)",
        "several report": "  (a report may have several reasons)",
        "phases": ("Identification", "Screening", "Included"),
    },
    "zh": {
        "title": "PRISMA 2020 流程图",
        "identified": "检索到的记录：\n{sources}\n合计 (n = {n})",
        "unspecified source": "未注明来源",
        "duplicates": "筛选前删除的记录：\n  重复记录 (n = {n})",
        "screened": "初筛的记录\n(n = {n})",
        "excluded title": "排除的记录 (n = {n})",
        "sought": "需获取全文的报告\n(n = {n})",
        "not retrieved": "未能获取全文的报告\n(n = {n})",
        "assessed": "全文评估合格性的报告\n(n = {n})",
        "excluded fulltext": "排除的报告 (n = {n})",
        "included": "纳入的文件\n(n = {n})",
        "several record": "  （一条记录可有多个排除理由）",
        "several report": "  （一份报告可有多个排除理由）",
        "phases": ("识别", "筛选", "纳入"),
    },
}


def prisma_figure(screening: Screening, *, title: str = "", lang: str = "en") -> Figure:
    """Draw the PRISMA 2020 flow diagram (identification → screening → included).

    Reasons are as recorded. Below the boxes it states how screening was done
    (:meth:`ScreeningMethod.statement`, in ``lang``). Uses the Agg backend and the CJK
    font (:func:`ihms.fonts.use_cjk_font`).

    Parameters
    ----------
    screening
        The screening result (its :meth:`Screening.flow` counts).
    title
        The figure's title; by default PRISMA 2020's, in ``lang``.
    lang
        ``"en"`` or ``"zh"``; another is an :class:`~ihms.errors.InputError`.

    Returns
    -------
    matplotlib.figure.Figure
        The diagram, 10 × 9.5 inches, left open for the caller to save or close.
    """
    from ihms._words import check_lang

    check_lang(lang)
    w = _WORDS[lang]
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

    unnamed = _WORDS["en"]["unspecified source"]  # as Screening.flow names it
    sources = "\n".join(
        f"  {w['unspecified source'] if k == unnamed else k} (n = {v})"
        for k, v in f["identified_by_source"].items()
    )
    n_src = len(f["identified_by_source"])
    box(
        0.6,
        9.7 - (0.5 + 0.2 * n_src),
        4.4,
        0.5 + 0.2 * n_src,
        w["identified"].format(sources=sources, n=f["identified"]),
    )
    box(
        5.6,
        8.4,
        4.1,
        0.9,
        w["duplicates"].format(n=f["duplicates"]),
    )
    box(0.6, 6.4, 4.4, 0.8, w["screened"].format(n=f["screened"]))
    reasons_t = _reasons(f, "title", w["several record"], lang)
    box(5.6, 6.1, 4.1, 1.4, w["excluded title"].format(n=f["excluded_title"]) + f"\n{reasons_t}")
    box(0.6, 4.8, 4.4, 0.8, w["sought"].format(n=f["sought"]))
    box(5.6, 4.8, 4.1, 0.8, w["not retrieved"].format(n=f["not_retrieved"]))
    box(0.6, 3.2, 4.4, 0.8, w["assessed"].format(n=f["assessed"]))
    reasons_f = _reasons(f, "fulltext", w["several report"], lang)
    box(
        5.6,
        2.9,
        4.1,
        1.4,
        w["excluded fulltext"].format(n=f["excluded_fulltext"]) + f"\n{reasons_f}",
    )
    box(0.6, 1.0, 4.4, 0.9, w["included"].format(n=f["included"]))
    arrow(2.8, 9.7 - (0.5 + 0.2 * n_src), 2.8, 7.2)
    arrow(5.0, 8.8, 5.6, 8.8)
    arrow(2.8, 6.4, 2.8, 5.6)
    arrow(5.0, 6.8, 5.6, 6.8)
    arrow(2.8, 4.8, 2.8, 4.0)
    arrow(5.0, 5.2, 5.6, 5.2)
    arrow(5.0, 3.6, 5.6, 3.6)
    arrow(2.8, 3.2, 2.8, 1.9)
    for y, label in zip((8.8, 5.2, 1.45), w["phases"], strict=True):
        ax.text(0.25, y, label, rotation=90, va="center", ha="center", fontsize=9, weight="bold")
    # PRISMA 2020 item 8: how many reviewers screened, how independently, with what agreement
    method = textwrap.fill(screening.method.statement(lang=lang), width=150 if lang == "en" else 72)
    ax.text(0.25, 0.75, method, va="top", ha="left", fontsize=7, style="italic")
    ax.set_title(title or w["title"], fontsize=11)
    return fig


def _reasons(f: dict, stage: str, several: str, lang: str = "en") -> str:
    """A stage's reasons, one per line, in ``lang`` where a screening rule gave them
    (``published after 2021-12-31``: 发布于 2021-12-31 之后), and (``several``) whether a
    record counts under several."""
    from ihms._words import said_again

    lines = [
        f"  {said_again(lang, k)} (n = {v})" for k, v in f[f"excluded_{stage}_reasons"].items()
    ]
    if f[f"excluded_{stage}_several_reasons"]:
        lines.append(several)
    return "\n".join(lines)
