"""What a calibration found (:class:`CalibrationResults`): each figure against seed 002,
the verdict on the gated figures, and — apart from it — how the figures the tuning did
not fit compare (review of the county simulator, 2026-11-25, finding 2: the gated
figures are the ones ``ihms sim calibrate --tune`` fits, so their verdict is in sample).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.sim._target_words import figures_words
from ihms.sim.targets import REFORM_MONTH, TARGETS, left_out_reason
from ihms.sources import ZHONG_2023
from ihms.stats import ITSResults
from ihms.summary import SummaryTable

__all__ = ["CalibrationResults", "Measurements"]


@dataclass(frozen=True, eq=False)
class Measurements:
    """What :func:`ihms.sim.calibrate.measure` read from a data set."""

    values: dict[str, float]
    yearly: pd.DataFrame
    series: pd.DataFrame
    its: dict[str, ITSResults] = field(default_factory=dict)


_NO_REASON = "no reason in the model's structure is known: the tuned parameters fall short"

_TUNE = "ihms sim calibrate --tune"


def _tuning_words(fitted: bool, gated: bool) -> str:
    if not fitted:
        return "held out"
    return "fitted" if gated else "fitted, ½ weight"


@dataclass(frozen=True, eq=False)
class CalibrationResults(SummaryHtml):
    """Simulated against target for each figure of :data:`TARGETS`.

    Attributes
    ----------
    frame
        One row per figure: ``source``, ``target``, ``simulated``, ``ratio``, ``rule``,
        ``within`` (``True``/``False``; ``None`` for figures only shown), ``agrees``
        (the rule of the figure's kind applied to every figure, shown ones included) and
        ``fitted`` (whether ``ihms sim calibrate --tune`` fits the figure,
        :attr:`~ihms.sim.targets.Target.fitted`; the others are held out).
    measurements
        The yearly indicators, the county-hospital series and the ITS fits behind them.
    details
        How the run was made (residents, seed, regime, scale, and ``tuned``: whether the
        config's tuned values were applied).
    reform
        The run's reform month: the figures compared are those
        :func:`~ihms.sim.targets.compared_targets` gives for it.
    left_out
        Keys of the figures not compared (none for Youxi's October 2017), in
        :data:`TARGETS`' order; :meth:`left_out_note` says which and why.
    """

    frame: pd.DataFrame
    measurements: Measurements
    details: dict[str, Any]
    reform: str = REFORM_MONTH
    left_out: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Every gated figure is within its rule (and there is one: with no figure
        compared, nothing has passed)."""
        gated = self.frame["within"].dropna() if len(self.frame) else pd.Series([])
        return bool(len(gated)) and bool(gated.astype(bool).all())

    @property
    def tuned(self) -> bool:
        """Whether the run's config applied tuned values (``calibration.tuned``): only
        then were the fitted figures fitted to, rather than figures the tuning would fit."""
        return bool(self.details.get("tuned", False))

    def left_out_note(self) -> str | None:
        """The figures left out and why, or None when every figure is compared."""
        if not self.left_out:
            return None
        return (
            f"{len(self.left_out)} figures left out: {left_out_reason(self.reform)} "
            f"Left out: {figures_words(self.left_out)}."
        )

    @property
    def failures(self) -> list[str]:
        """Gated figures outside their rule."""
        if self.frame.empty:
            return []
        return [k for k, w in self.frame["within"].items() if w is False]

    @property
    def departures(self) -> list[str]:
        """Figures only shown that lie outside the rule of their kind."""
        if self.frame.empty:
            return []
        shown = self.frame["within"].isna()
        return list(self.frame.index[shown & ~self.frame["agrees"].astype(bool)])

    @property
    def held_out(self) -> list[str]:
        """Compared figures the tuning does not fit, in :data:`TARGETS`' order: only
        their agreement is evidence beyond the fit (all are shown, none gated)."""
        if self.frame.empty:
            return []
        return list(self.frame.index[~self.frame["fitted"].astype(bool)])

    @property
    def held_out_departures(self) -> list[str]:
        """Held-out figures outside the rule of their kind."""
        return [k for k in self.held_out if not bool(self.frame.at[k, "agrees"])]

    def departure_notes(self) -> list[str]:
        """One line per reason: the departing figures that share it (each simulated
        against published), then the reason, so a reason several figures share — the
        2017 jump of Table 4 — is said once; reasons in the order of their first figure."""
        by_key = {t.key: t for t in TARGETS}
        groups: dict[str, list[str]] = {}
        for key in self.departures:
            row = self.frame.loc[key]
            groups.setdefault(by_key[key].note or _NO_REASON, []).append(
                f"{row['figure']}: simulated {row['simulated']:,.2f} against "
                f"{row['target']:,.2f} ({row['source']})"
            )
        return [f"{'; '.join(figures)} — {why}." for why, figures in groups.items()]

    def verdict(self) -> str:
        """One sentence: every gated figure within its rule, the ones outside, or that
        nothing was compared."""
        if self.frame.empty:
            return "nothing was compared: " + (left_out_reason(self.reform) or "no figure")
        if self.passed:
            return "every gated figure is within its rule."
        return "outside: " + ", ".join(self.failures) + "."

    def in_sample_note(self) -> str | None:
        """What the verdict rests on: the gated figures are the ones the tuning fits, so
        their verdict shows the fit holds (at this size and seed), not a validation.
        None when nothing was compared."""
        if self.frame.empty:
            return None
        fitted = self.frame["fitted"].astype(bool)
        gated = self.frame["within"].notna()
        shown_fitted = int((fitted & ~gated).sum())
        also = (
            f" and {shown_fitted} shown figure{'s' if shown_fitted > 1 else ''} at half weight"
            if shown_fitted
            else ""
        )
        if not self.tuned:
            return (
                "No tuned value is applied in this config (calibration.tuned), so no figure "
                f"was fitted to; the 'tuning' column names those `{_TUNE}` fits: the "
                f"{int(gated.sum())} gated figures{also}."
            )
        return (
            f"In sample: the config's tuned values were fitted (`{_TUNE}`) to all "
            f"{int((fitted & gated).sum())} gated figures compared here{also}, so the "
            "verdict says whether the fit holds at this size and seed, not how the model "
            "does on figures the tuning did not see (held out, below)."
        )

    def held_out_verdict(self) -> str | None:
        """The verdict on the held-out figures alone, by the rule of their kind: how many
        agree, and which depart (their reasons are in :meth:`departure_notes`). None when
        nothing was compared."""
        if self.frame.empty:
            return None
        held, off = self.held_out, self.held_out_departures
        head = f"Held out (not fitted by `{_TUNE}`)"
        if not held:
            return f"{head}: none; every figure compared is one the tuning fits."
        agree = len(held) - len(off)
        text = f"{head}: {agree} of {len(held)} agree with {ZHONG_2023} by the rule of their kind"
        if off:
            text += f"; {len(off)} {'departs' if len(off) == 1 else 'depart'}: {figures_words(off)}"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        """What ``ihms sim calibrate --json`` prints: the verdict on the gated figures
        (``passed``, ``failures``, ``verdict``), what it rests on (``tuned``,
        ``in_sample``), the held-out figures' own verdict (``held_out``,
        ``held_out_departures``, ``held_out_verdict``), the figures left out for another
        reform month and why, and every figure's row (``figures``, with ``fitted``)."""
        return {
            "passed": self.passed,
            "failures": self.failures,
            "verdict": self.verdict(),
            "tuned": self.tuned,
            "in_sample": self.in_sample_note(),
            "held_out": self.held_out,
            "held_out_departures": self.held_out_departures,
            "held_out_verdict": self.held_out_verdict(),
            "details": self.details,
            "reform": self.reform,
            "left_out": list(self.left_out),
            "left_out_reason": left_out_reason(self.reform),
            "figures": self.frame.drop(columns=["key"]).reset_index(names="key"),
        }

    def summary(self) -> SummaryTable:
        """Each compared figure beside its target, with whether it is gated and within its
        rule ("yes"/"NO"; "(shown) yes"/"(shown) departs" for a figure shown, not gated)
        and whether the tuning fits it ("fitted", "fitted, ½ weight" or "held out"); the
        notes give the verdict on the gated figures, what it rests on
        (:meth:`in_sample_note`) and the held-out figures' own (:meth:`held_out_verdict`)."""
        frame = self.frame.copy()
        gated = {True: "yes", False: "NO"}
        shown = {True: "(shown) yes", False: "(shown) departs"}
        frame["tuning"] = [
            _tuning_words(bool(f), w is not None)
            for f, w in zip(frame["fitted"], frame["within"], strict=True)
        ]
        frame["within"] = [
            gated[w] if w is not None else shown[bool(a)]
            for w, a in zip(frame["within"], frame["agrees"], strict=True)
        ]
        frame = frame.drop(columns=["key", "agrees", "fitted"]).set_index("figure")
        departures = self.departure_notes()
        left_out = self.left_out_note()
        return SummaryTable(
            frame,
            title=f"Calibration: the simulated county against {ZHONG_2023}",
            notes=(
                "Relative figures pass within ±10 %; ITS slope changes pass with Youxi's "
                "sign and a ratio within a factor of √10. Figures marked (shown) do not decide "
                "the verdict but are checked by the same rule of their kind. Yearly figures "
                "computed with ihms.indicators; ITS with ihms.stats (seasonally adjusted, "
                "Newey–West, lag by Breusch–Godfrey) on the county hospitals' monthly series"
                + (
                    f", counts scaled ×{self.details['scale']:.3g} to Youxi's size"
                    if self.details.get("scale", 1) != 1
                    else ""
                )
                + ".",
                f"Verdict{' (in sample)' if self.tuned else ''}: {self.verdict()}",
                *(n for n in (self.in_sample_note(), self.held_out_verdict()) if n),
                *((left_out,) if left_out and not self.frame.empty else ()),
                *(
                    (
                        f"Where the simulation departs from {ZHONG_2023} on figures not gated:",
                        *departures,
                    )
                    if departures
                    else ()
                ),
            ),
            formats={"ratio": "{:.3f}".format},
            digits=2,
        )
