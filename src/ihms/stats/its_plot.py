"""The ITS figure: observed points, fitted segments and the dashed counterfactual.

:func:`its_plot_data` returns exactly what :func:`plot_its` draws, so a report or a user
can redraw it with any tool. With several units the controls are shown as their average
(as ``itsa``'s figure does: the controls' data are collapsed to their mean per period).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ihms.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ihms.stats.its_results import ITSResults

__all__ = ["check_figure_path", "its_plot_data", "plot_its", "save_figure"]


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def its_plot_data(results: ITSResults) -> pd.DataFrame:
    """One row per series and time point.

    Columns: ``series`` (``"treated"`` or ``"controls"``), ``time`` (as displayed),
    ``time_code``, ``segment`` (0 before the first interruption, 1 after it, ...),
    ``observed`` (the values as given; the controls' mean for ``"controls"``), ``fitted``
    and ``counterfactual`` (treated only, from the first interruption on; NaN
    elsewhere). A seasonally adjusted fit adds ``observed_adjusted`` (what was fitted and
    is drawn: ``observed / seasonal_index``) and ``seasonal_index`` (the treated unit's
    index of each period; NaN for the controls' mean, whose units have their own).

    Parameters
    ----------
    results : ITSResults
        A fitted interrupted time series.
    """
    d = results.design
    times = d.times
    segment = np.searchsorted(np.asarray(d.interruptions), times, side="right")
    cf = results.counterfactual
    treated_cf = cf["counterfactual"].to_numpy().copy()
    treated_cf[times < d.interruptions[0]] = np.nan
    seasonal = results.seasonal is not None
    index = _seasonal_index(results) if seasonal else None

    def by_time(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return pd.Series(values[rows]).groupby(d.time[rows]).mean().reindex(times).to_numpy()

    def observed(rows: np.ndarray) -> dict[str, np.ndarray]:
        if not seasonal:
            return {"observed": by_time(results.observed, rows)}
        return {
            "observed": by_time(results.observed_raw, rows),
            "observed_adjusted": by_time(results.observed, rows),
            "seasonal_index": by_time(index, rows) if d.treated[rows].all() else np.nan,  # type: ignore[arg-type]
        }

    frames = [
        pd.DataFrame(
            {
                "series": "treated",
                "time": cf["time"].to_numpy(),
                "time_code": times,
                "segment": segment,
                **observed(np.flatnonzero(d.treated)),
                "fitted": cf["fitted"].to_numpy(),
                "counterfactual": treated_cf,
            }
        )
    ]
    if d.multi_group:
        fitted = d.rows_for(times, treated=False) @ results.params.to_numpy()
        frames.append(
            pd.DataFrame(
                {
                    "series": "controls",
                    "time": cf["time"].to_numpy(),
                    "time_code": times,
                    "segment": segment,
                    **observed(np.flatnonzero(~d.treated)),
                    "fitted": fitted,
                    "counterfactual": np.nan,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _seasonal_index(results: ITSResults) -> np.ndarray:
    """Each design row's seasonal index (the unit's index of the row's period)."""
    d = results.design
    out = np.full(d.n, np.nan)
    for code in np.unique(d.unit_code):
        rows = np.flatnonzero(d.unit_code == code)
        out[rows] = results.seasonal[d.unit[rows[0]]].factors.to_numpy()  # type: ignore[index]
    return out


def _x_values(results: ITSResults, codes: np.ndarray) -> np.ndarray | pd.DatetimeIndex:
    axis = results.design.axis
    if axis.kind == "integer":
        return codes.astype(float)
    return pd.DatetimeIndex([axis.start(c) for c in codes])


#: The figure's own words (the outcome, time column and units are the data's).
_PLOT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "observed": "Observed",
        "unit observed": "{}: observed",
        "controls observed": "Controls (average): observed",
        "fitted": "Fitted",
        "controls fitted": "Controls: fitted",
        "counterfactual": "Counterfactual (pre-interruption trend)",
        "title": "{}: interruption at {}",
        "adjusted": " (seasonally adjusted)",
    },
    "zh": {
        "observed": "观测值",
        "unit observed": "{}：观测值",
        "controls observed": "对照组（均值）：观测值",
        "fitted": "拟合值",
        "controls fitted": "对照组：拟合值",
        "counterfactual": "反事实（干预前趋势延续）",
        "title": "{}：干预时点 {}",
        "adjusted": "（季节调整后）",
    },
}


def plot_its(
    results: ITSResults,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    lang: str = "en",
) -> Figure:
    """Draw the fitted interrupted time series.

    Observed values are points (controls' average hollow), each segment's fit a solid
    line broken at the interruptions, and the treated unit's counterfactual (its
    pre-interruption trajectory carried forward) a dashed line. Interruptions are dotted
    vertical lines. Returns the matplotlib figure (save it with :func:`save_figure`).

    Parameters
    ----------
    results : ITSResults
        A fitted interrupted time series.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; None (the default) makes a new 8 × 4.5 inch figure.
    title : str, optional
        The title; None gives "<outcome>: interruption at <dates>".
    ylabel : str, optional
        The y-axis label; None gives the outcome's name.
    lang : str, optional
        ``"zh"``: the default title, legend and y label in Chinese (观测值, 拟合值,
        反事实), drawn with a CJK font (:mod:`ihms.fonts`); the numbers are the same.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ihms._words import check_lang

    words = _PLOT_WORDS[check_lang(lang)]
    data = its_plot_data(results)
    d = results.design
    labels = (title, ylabel, d.outcome, d.time_column, d.treated_unit)
    if lang == "zh" or any(_CJK.search(str(t)) for t in labels if t is not None):
        from ihms.fonts import use_cjk_font

        use_cjk_font()  # Chinese column names: without it every character is a box
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 4.5))
    else:
        fig = ax.figure
    styles = {
        "treated": {"color": "#1f3b73", "marker": "o", "face": "#1f3b73"},
        "controls": {"color": "#8a8a8a", "marker": "o", "face": "none"},
    }
    treated_name = (
        words["observed"] if not d.multi_group else words["unit observed"].format(d.treated_unit)
    )
    for series, part in data.groupby("series", sort=False):
        style = styles[series]
        x = _x_values(results, part["time_code"].to_numpy())
        label = treated_name if series == "treated" else words["controls observed"]
        ax.scatter(
            x,
            part["observed_adjusted" if results.seasonal else "observed"],
            s=16,
            facecolors=style["face"],
            edgecolors=style["color"],
            label=label,
            zorder=3,
        )
        for seg, chunk in part.groupby("segment"):
            xs = _x_values(results, chunk["time_code"].to_numpy())
            ax.plot(
                xs,
                chunk["fitted"],
                color=style["color"],
                linewidth=2,
                label=words["fitted" if series == "treated" else "controls fitted"]
                if seg == 0
                else None,
            )
        if series == "treated":
            post = part[part["counterfactual"].notna()]
            ax.plot(
                _x_values(results, post["time_code"].to_numpy()),
                post["counterfactual"],
                color=style["color"],
                linestyle="--",
                linewidth=1.5,
                label=words["counterfactual"],
            )
    for p in d.interruptions:
        xp = _x_values(results, np.array([p]))[0]
        ax.axvline(xp, color="#b03a2e", linestyle=":", linewidth=1)
    if d.axis.kind != "integer":
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    starts = ", ".join(d.axis.display(p) for p in d.interruptions)
    ax.set_title(title or words["title"].format(d.outcome, starts))
    ax.set_xlabel(d.time_column)
    ax.set_ylabel(ylabel or d.outcome + (words["adjusted"] if results.seasonal else ""))
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.25)
    fig.tight_layout()
    return fig


def check_figure_path(path: str | Path, *, option: str = "path") -> Path:
    """``path`` if it names a .png or .svg file, else an :class:`InputError` naming
    ``option`` (``option '--plot'``): for a command to check before its work.

    Parameters
    ----------
    path : str or Path
        The figure file name; its suffix must be ``.png`` or ``.svg`` (any case).
    option : str, default "path"
        What the error message calls the path.
    """
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"{option}: expected a .png or .svg file name, got {str(path)!r}")
    return path


def save_figure(fig: Figure, path: str | Path, *, option: str = "path") -> Path:
    """Save ``fig`` as PNG or SVG (chosen by the suffix) and close it; ``option`` names
    the path in an error (see :func:`check_figure_path`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is closed even when saving fails.
    path : str or Path
        A ``.png`` or ``.svg`` file; its folder is created, and the file is written
        beside it first, then renamed (nothing half-written is left).
    option : str, default "path"
        What an error message calls the path.
    """
    import matplotlib.pyplot as plt

    path = check_figure_path(path, option=option)
    fmt = path.suffix.lower().lstrip(".")
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as every other output option
        fig.savefig(tmp, format=fmt, dpi=120, bbox_inches="tight")
        tmp.replace(path)
    finally:
        plt.close(fig)
        tmp.unlink(missing_ok=True)
    return path
