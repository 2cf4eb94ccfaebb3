"""Where a run's behavioural values come from: tuned, written or assumed (user review
22s, H2 and M2).

A config's ``calibration.tuned`` values replace the ones written above them, but only
for the county they were tuned for (``calibration.run.county``; the loader,
:func:`ihms.sim.load.load_sim_config`, switches them off for another county, so a copy
of Youxi's config for another county runs on the values it shows). :func:`provenance`
says which values were replaced (written and used), or that none was and why, and that
the behaviour under each regime — and so the reform's effect — is otherwise assumed;
``ihms sim run`` prints its notes and records it in ``summary.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ihms.sim.config import SimulationConfig
from ihms.sources import ZHONG_2023

__all__ = ["provenance"]

_ASSUMED = (
    "the behaviour under each regime (regimes.*, integration.*), and so the reform's "
    "effect, is assumed (how far the results move with it: ihms sim sensitivity)"
)


def _number(value: float) -> str:
    return f"{value:.10g}"


def provenance(config: SimulationConfig) -> dict[str, Any]:
    """What the config's calibration block did to its values.

    Returns
    -------
    dict
        ``tuned_for`` (the county file the tuned values were tuned for, None if not
        recorded or no block), ``tuned_on`` (date), ``tuned_applied``, ``replaced``
        (key → ``{"written", "used"}`` where a tuned value differs from the one written)
        and ``notes`` (sentences for the run's output).
    """
    cal = config.calibration
    county = Path(config.county).name
    tuned = dict(cal.tuned) if cal is not None else {}
    run = dict(cal.run) if cal is not None else {}
    tuned_for, tuned_on = run.get("county"), run.get("date")
    found: dict[str, Any] = {
        "tuned_for": tuned_for,
        "tuned_on": tuned_on,
        "tuned_applied": bool(tuned) and cal is not None and cal.applied,
        "replaced": {},
    }
    if not tuned:
        found["notes"] = [
            f"No value of this config is calibrated (no calibration.tuned): {_ASSUMED}."
        ]
        return found
    origin = f"tuned for {tuned_for or 'a county the block does not record'} on {tuned_on}"
    if not found["tuned_applied"]:
        found["notes"] = [
            f"calibration.tuned: {len(tuned)} values not applied: they were tuned for "
            f"{tuned_for} (on {tuned_on}), this config simulates {county}; the values "
            "written in the file are used.",
            f"No value is calibrated to this county: {_ASSUMED} — the example's values "
            f"unless you changed them (`ihms sim calibrate` fits {ZHONG_2023}'s Youxi figures "
            "only).",
        ]
        return found
    replaced = {
        key: {"written": written, "used": tuned[key]}
        for key, written in cal.replaced.items()
        if key in tuned and written != tuned[key]
    }
    found["replaced"] = replaced
    listed = "; ".join(
        f"{key}: {_number(v['written'])} written, {_number(v['used'])} used"
        for key, v in replaced.items()
    )
    found["notes"] = [
        f"{len(tuned)} values of calibration.tuned ({origin}, to {ZHONG_2023}'s Youxi figures) "
        f"replace the values written above them"
        + (f" — {len(replaced)} differ: {listed}." if replaced else " (the same values)."),
        f"The rest is not calibrated: beyond the tuned keys, {_ASSUMED}. To run on the "
        "values written instead, set calibration.applied: false.",
    ]
    return found
