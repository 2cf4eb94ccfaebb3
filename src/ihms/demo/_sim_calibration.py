"""The calibration table and figure of the simulation step: the library's table
(:meth:`ihms.sim.CalibrationResults.summary`, whose notes give each departure's reason
once with the figures it explains), which figures the tuning used (the brief points
here rather than listing them), and each yearly figure's ratio to the published one."""

from __future__ import annotations

import dataclasses

import numpy as np

from ihms.demo._sim_zh import FIGURE_ZH
from ihms.sim._calibration_zh import figures_zh
from ihms.sim._target_words import figures_words
from ihms.sim._words_zh import in_zh, said_cell
from ihms.sim.tune import fitted_targets
from ihms.summary import SummaryTable

__all__ = ["calibration_figure", "calibration_table", "tuned_note"]


def tuned_note(calibration, *, lang: str = "en") -> str:
    """Which compared figures the tuning used (``ihms sim calibrate --tune``): the gated
    ones and the further ones named; the rest are out of sample. In ``lang``."""
    frame = calibration.frame
    fitted = {t.key for t in fitted_targets()}
    gated = set(frame.index[frame["within"].notna()])
    further = [k for k in frame.index if k in fitted and k not in gated]
    held = [k for k in frame.index if k not in fitted]
    if lang == "zh":
        text = f"模拟器已按 {len(gated)} 个判定指标调参（`ihms sim calibrate --tune`）"
        if further:
            text += (
                f"，另按 {len(further)} 个仅展示的指标调参：{figures_zh(figures_words(further))}"
            )
        if held:
            text += f"。样本外、未参与调参的指标：{figures_zh(figures_words(held))}"
        return text + "。"
    text = f"The simulator was tuned (ihms sim calibrate --tune) to the {len(gated)} gated figures"
    if further:
        text += f" and to {len(further)} shown ones: {figures_words(further)}"
    if held:
        text += f". Out of sample, not tuned to: {figures_words(held)}"
    return text + "."


def calibration_table(calibration, *, tuned: bool, lang: str = "en") -> SummaryTable:
    """``calibration.summary()`` (its notes give each reason a departure has once, with
    the figures it explains) and, when the run's config was tuned, :func:`tuned_note`;
    in ``lang`` (the library's Chinese, as ``ihms sim calibrate --lang zh`` prints it)."""
    summary = in_zh(calibration.summary(), lang)
    if not tuned:
        return summary
    note = tuned_note(calibration, lang=lang)
    return dataclasses.replace(summary, notes=(*summary.notes, note))


def calibration_figure(result, *, lang: str = "en"):
    """Simulated over published value for every yearly figure of seed 002's Tables 4
    and 5: the gated ones solid, those shown for comparison hatched, red where a figure
    falls outside ±10 % (a shown figure departing included: they are the ones a reader
    should see); its words in ``lang``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    say = FIGURE_ZH.__getitem__ if lang == "zh" else str
    if lang == "zh":
        from ihms.fonts import use_cjk_font

        use_cjk_font()

    frame = result.frame[result.frame["source"].str.contains("Table 4|Table 5", regex=True)]
    gated = (frame["rule"] != "shown").to_numpy()
    ok = np.where(gated, frame["within"].fillna(False), frame["agrees"]).astype(bool)
    fig, ax = plt.subplots(figsize=(9, 0.26 * len(frame) + 1.2))
    y = np.arange(len(frame))
    # bars from 1 (simulated = published): a bar's length is the departure itself; from
    # the axis' edge (0.5) a 0.8 looked like most of a 1.0
    ax.barh(
        y,
        frame["ratio"] - 1.0,
        left=1.0,
        color=np.where(ok, "#4c78a8", "#e45756"),
        hatch=[None if g else "//" for g in gated],
        edgecolor="white",
    )
    ax.axvspan(0.9, 1.1, color="#dddddd", zorder=0)
    ax.axvline(1.0, color="black", lw=0.8)
    labels = frame["figure"] if lang != "zh" else [said_cell(f) for f in frame["figure"]]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(say("simulated / published (grey band: ±10 %)"))
    # at least 0.5-1.5, wider when a figure departs further (Table 4 read as 诊疗人次: 2.1)
    ratios = frame["ratio"].astype(float)
    ax.set_xlim(min(0.5, ratios.min() - 0.05), max(1.5, ratios.max() + 0.05))
    ax.legend(
        handles=[
            Patch(color="#4c78a8", label=say("within ±10 %")),
            Patch(color="#e45756", label=say("outside ±10 %")),
            Patch(
                facecolor="#4c78a8", hatch="//", edgecolor="white", label=say("shown, not gated")
            ),
        ],
        fontsize=8,
        loc="lower right",
    )
    fig.tight_layout()
    return fig
