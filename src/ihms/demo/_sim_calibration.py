"""The calibration table of the simulation step: its notes give each departing figure
with the reason once for the figures that share it, and which figures the tuning used
(the brief points here rather than listing them)."""

from __future__ import annotations

import dataclasses

from ihms.sim._target_words import figures_words
from ihms.sim.targets import TARGETS
from ihms.sim.tune import fitted_targets
from ihms.sources import ZHONG_2023
from ihms.summary import SummaryTable

__all__ = ["calibration_table", "grouped_departures"]

_NO_REASON = "no reason in the model's structure is known: the tuned parameters fall short"


def grouped_departures(calibration) -> list[str]:
    """One line per reason: the departing figures (simulated against published) that
    share it, then the reason, so a reason two figures share is printed once (user
    review 24, item 9: the 2017 reason was printed twice word for word)."""
    by_key = {t.key: t for t in TARGETS}
    groups: dict[str, list[str]] = {}
    for key in calibration.departures:
        row = calibration.frame.loc[key]
        groups.setdefault(by_key[key].note or _NO_REASON, []).append(
            f"{row['figure']}: simulated {row['simulated']:,.2f} against {row['target']:,.2f} "
            f"({row['source']})"
        )
    return [f"{'; '.join(figures)} — {why}." for why, figures in groups.items()]


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
    """``calibration.summary()`` with the departures grouped by reason and, when the
    run's config was tuned, :func:`tuned_note`."""
    summary = calibration.summary()
    single = set(calibration.departure_notes())
    header = f"Where the simulation departs from {ZHONG_2023} on figures not gated:"
    notes = [n for n in summary.notes if n not in single and n != header]
    grouped = grouped_departures(calibration)
    if grouped:
        notes += [header, *grouped]
    if tuned:
        notes.append(tuned_note(calibration))
    return dataclasses.replace(summary, notes=tuple(notes))
