"""The calibration table of the simulation step: the library's
(:meth:`ihms.sim.CalibrationResults.summary`, whose notes give each departure's reason
once with the figures it explains) and which figures the tuning used (the brief points
here rather than listing them)."""

from __future__ import annotations

import dataclasses

from ihms.sim._target_words import figures_words
from ihms.sim.tune import fitted_targets
from ihms.summary import SummaryTable

__all__ = ["calibration_table", "tuned_note"]


def tuned_note(calibration) -> str:
    """Which compared figures the tuning used (``ihms sim calibrate --tune``): the gated
    ones and the further ones named; the rest are out of sample."""
    frame = calibration.frame
    fitted = {t.key for t in fitted_targets()}
    gated = set(frame.index[frame["within"].notna()])
    further = [k for k in frame.index if k in fitted and k not in gated]
    held = [k for k in frame.index if k not in fitted]
    text = f"The simulator was tuned (ihms sim calibrate --tune) to the {len(gated)} gated figures"
    if further:
        text += f" and to {len(further)} shown ones: {figures_words(further)}"
    if held:
        text += f". Out of sample, not tuned to: {figures_words(held)}"
    return text + "."


def calibration_table(calibration, *, tuned: bool) -> SummaryTable:
    """``calibration.summary()`` (its notes give each reason a departure has once, with
    the figures it explains) and, when the run's config was tuned, :func:`tuned_note`."""
    summary = calibration.summary()
    if not tuned:
        return summary
    return dataclasses.replace(summary, notes=(*summary.notes, tuned_note(calibration)))
