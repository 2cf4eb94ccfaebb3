"""The comparison figure (:meth:`ihms.payment.compare.ComparisonResult.figure`): the
global budget by year and the consortium's settlement result, its words in English or
Chinese.

The Chinese words are those of ``ihms payment compare --lang zh``'s tables
(:mod:`ihms.payment._words_zh_books`); a rule set or spending path the reader named
(a county's own rule file, a path of their own) keeps its name as given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ihms.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ihms.payment.compare import ComparisonResult

__all__ = ["comparison_figure", "default_title"]

_TITLE = {
    "en": "Sanming vs other areas: budgets and results",
    "zh": "三明与其他地区：总额预算与结算结果",
}


def default_title(lang: str) -> str:
    """The figure's title when none is given, in ``lang``."""
    return _TITLE[lang]


@dataclass(frozen=True)
class _Words:
    budget: str
    result: str
    legend: Callable[[str, str], str]  # (rule set's label, path)
    charged: Callable[[str], str]  # the observed path
    change: Callable[[float, str], str]  # (change in million yuan, first path)


def _english() -> _Words:
    return _Words(
        budget="Global budget (million yuan)",
        result="Consortium's settlement result (million yuan)",
        legend=lambda regime, path: f"{regime} — {path}",
        charged=lambda path: f"charged spending ({path})",
        change=lambda m, path: f"{m:+,.2f} million yuan vs {path}".replace("-", "−"),
    )


def _chinese() -> _Words:
    from ihms.payment._words_zh_books import BOOK_WORDS, REGIME_ZH, said_book_cell

    def path_zh(path: str) -> str:
        return said_book_cell(path) or path

    def scenario(path: str) -> str:  # the path the change is against, as the text names it
        return "实际支出情景" if path == "as observed" else path_zh(path)

    def change(m: float, path: str) -> str:
        said = "增加" if m > 0 else "减少"
        return f"较{scenario(path)}{said} {abs(m):,.2f} 百万元"

    return _Words(
        budget="医保基金总额预算（百万元）",
        result="医共体结算结果（百万元）",
        legend=lambda regime, path: f"{REGIME_ZH.get(regime, regime)} — {path_zh(path)}",
        charged=lambda path: f"{BOOK_WORDS['charged spending']}（{path_zh(path)}）",
        change=change,
    )


def comparison_figure(
    result: ComparisonResult,
    *,
    regimes: Sequence[str] | None,
    title: str,
    lang: str,
) -> Figure:
    """:meth:`~ihms.payment.compare.ComparisonResult.figure`, drawn (see there)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ihms.payment.compare import rules_label

    if lang == "zh":
        from ihms.fonts import use_cjk_font

        use_cjk_font()
    words = _chinese() if lang == "zh" else _english()
    data = result.get_plot_data(regimes=regimes)
    shown = [r for r in result.rules if regimes is None or r in regimes]
    if not shown:
        raise InputError(
            f"figure: none of {list(regimes or [])} was compared (compared: {list(result.rules)})"
        )
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    styles = ["-", "--", ":", "-."]
    n = len(shown) * len(result.paths)
    width = 0.8 / max(n, 1)
    k = 0
    for i, regime in enumerate(shown):
        for j, path in enumerate(result.paths):
            d = data[(data.regime == regime) & (data.path == path)].sort_values("year")
            label = words.legend(rules_label(regime), path)
            budget = pd.to_numeric(d["global_budget_fen"], errors="coerce") / 1e8
            if budget.notna().any():
                ax1.plot(
                    d["year"],
                    budget,
                    styles[j % 4],
                    marker="o",
                    color=colours[i % len(colours)],
                    label=label,
                )
            ax2.bar(
                d["year"] + (k - (n - 1) / 2) * width,
                d["consortium_result_fen"] / 1e8,
                width,
                color=colours[i % len(colours)],
                alpha=1.0 if j == 0 else 0.55,
                hatch=None if j == 0 else "//",
                label=label,
            )
            k += 1
    observed = data[data.path == result.paths[0]].groupby("year")["charged_fen"].first() / 1e8
    ax1.plot(observed.index, observed.to_numpy(), color="grey", lw=1,
             label=words.charged(result.paths[0]))  # fmt: skip
    ax1.set_ylim(bottom=0)  # from zero: a cut axis makes gaps of a few % look large
    # ... so a path's budget change in the last year, which lines this close hide, is
    # written beside its point (the ratchet's cut the text gives)
    _annotate_budget_changes(ax1, data, shown, result.paths, colours, words.change)
    ax1.set_title(words.budget)
    ax1.set_xticks(list(result.years))
    ax1.legend(fontsize=7)
    ax2.axhline(0, color="black", lw=0.8)
    ax2.set_title(words.result)
    ax2.set_xticks(list(result.years))
    ax2.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _annotate_budget_changes(ax, data, regimes, paths, colours, said) -> None:
    """Beside each regime's later paths, at the last year, the budget's change against
    its first path in million yuan (``-11.06 million yuan vs as observed``); none where
    the budget is unchanged or missing."""
    if len(paths) < 2 or data.empty:
        return
    last = int(data["year"].max())
    at_last = data[data["year"] == last].set_index(["regime", "path"])["global_budget_fen"]
    at_last = pd.to_numeric(at_last, errors="coerce")
    for i, regime in enumerate(regimes):
        base = at_last.get((regime, paths[0]))
        for j, path in enumerate(paths[1:], start=1):
            value = at_last.get((regime, path))
            if base is None or value is None or pd.isna(base) or pd.isna(value):
                continue
            change = (value - base) / 1e8
            if round(change, 2) == 0:
                continue
            ax.annotate(
                said(change, paths[0]),
                xy=(last, value / 1e8),
                xytext=(-8, -14 * j),
                textcoords="offset points",
                ha="right",
                fontsize=7,
                color=colours[i % len(colours)],
                arrowprops={"arrowstyle": "-", "color": colours[i % len(colours)], "lw": 0.6},
            )
