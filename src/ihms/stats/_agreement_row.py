"""Every statistic of one row of the agreement report (one units × coders table), the
units a dimension's statistics could use, and the note that flags kappa's prevalence
paradox."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import StatisticalWarning
from ihms.stats._cohen import cohens_kappa
from ihms.stats._fleiss import fleiss_kappa
from ihms.stats._gwet import brennan_prediger, gwet_ac1
from ihms.stats._krippendorff import krippendorff_alpha
from ihms.stats._krippendorff_boot import krippendorff_alpha_bootstrap
from ihms.stats._pabak import pabak
from ihms.stats._paradox import kappa_paradox
from ihms.stats._ratings import percent_agreement

__all__ = [
    "REPORT_COLUMNS",
    "SAME_ANSWER",
    "UnitCoverage",
    "coverage_notes",
    "mean_kappa_words",
    "on_kappa_units",
    "paradox_notes",
    "row_statistics",
    "undefined_categories",
]

#: The caveat of a row whose coders all gave every unit the same answer.
SAME_ANSWER = "kappa/alpha undefined, every coder gave every unit the same answer"


def undefined_categories(n: int) -> str:
    """The note on a dimension's ``n`` categories every coder used everywhere or nowhere."""
    return (
        f"kappa/alpha undefined for {n} categor{'y' if n == 1 else 'ies'} that every coder "
        "used everywhere or nowhere."
    )


REPORT_COLUMNS = (
    "dimension",
    "category",
    "basis",
    "n_units",
    "n_coders",
    "percent_agreement",
    "statistic",
    "kappa_units",
    "kappa",
    "std_error",
    "ci_low",
    "ci_high",
    "std_error_null",
    "z",
    "p_value",
    "alpha",
    "ac1",
    "ac1_std_error",
    "ac1_ci_low",
    "ac1_ci_high",
    "pabak",
    "prevalence_index",
    "bias_index",
    "alpha_ci_low",
    "alpha_ci_high",
    "alpha_p_below",
    "kappa_units_agreement",
    "kappa_units_ac1",
    "kappa_units_pabak",
)


def _quiet(fn, *args, **kwargs):
    """Call a coefficient, turning an undefined-coefficient warning into NaN silently
    (the kappa/alpha calls already report it for the row)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return fn(*args, **kwargs)


@dataclass(frozen=True)
class UnitCoverage:
    """How many of a dimension's units its coders coded: the same for its whole code and
    every category, whose present/absent table misses the units the codes miss — so
    the report says these counts once per dimension.

    ``n_units`` were coded by two coders or more (every statistic uses them, but Fleiss'
    kappa), ``single`` by one coder only (no statistic can use them), ``complete`` by
    every coder (Fleiss' kappa uses only these, listwise as ``irr::kappam.fleiss``).
    ``coded`` is each coder's count of the ``n_units`` (who left gaps in them).
    """

    n_coders: int
    n_units: int
    single: int
    complete: int
    coded: tuple[tuple[Hashable, int], ...] = ()

    @classmethod
    def of(cls, wide: pd.DataFrame) -> UnitCoverage:
        """The counts of a units × coders table (a missing value: not coded)."""
        rated = wide.notna().sum(axis=1)
        pairable = wide[rated >= 2].notna().sum(axis=0)
        return cls(
            n_coders=wide.shape[1],
            n_units=int((rated >= 2).sum()),
            single=int((rated == 1).sum()),
            complete=int((rated == wide.shape[1]).sum()),
            coded=tuple((c, int(n)) for c, n in pairable.items()),
        )

    @property
    def thin(self) -> bool:
        """Fleiss' kappa rests on fewer than half the units the other statistics use
        (a partial coder, a pilot's few segments, cut it down to a handful)."""
        return self.n_coders > 2 and 0 < self.complete < self.n_units / 2

    def gaps(self) -> list[tuple[Hashable, int]]:
        """``(coder, units coded)`` of the coders who left some of the ``n_units``
        uncoded, the fewest coded first."""
        return sorted(((c, n) for c, n in self.coded if n < self.n_units), key=lambda t: t[1])

    def full_option(self, option: str) -> str:
        """``option`` naming the coders who coded every one of the ``n_units``
        (``coders=a,b``), or empty when fewer than two did."""
        full = [str(c) for c, n in self.coded if n == self.n_units]
        return f"{option}{','.join(full)}" if len(full) >= 2 else ""

    @property
    def fleiss_missing(self) -> bool:
        """Fleiss' kappa has no unit: more than two coders, none of them coded by all."""
        return self.n_coders > 2 and self.n_units > 0 and self.complete == 0

    @property
    def fleiss_left_out(self) -> int:
        """Units the other statistics use that Fleiss' kappa leaves out (coded by two
        coders or more, not by all; a unit one coder coded is in no statistic): the
        ``n_units`` − ``kappa_units`` of the dimension's rows. 0 with two coders or when
        Fleiss' kappa is missing."""
        if self.n_coders == 2 or self.complete == 0:
            return 0
        return self.n_units - self.complete


def coverage_notes(
    dimension: Hashable,
    cover: UnitCoverage,
    *,
    whole: str = "whole code",
    unit: str = "unit",
    advice: str = " (a missing code means not coded; code 'none applies' explicitly)",
    kappa_units: str = "",
    choose: str = "coders=",
) -> list[str]:
    """The notes on the units of ``dimension`` a statistic could not use — each said once
    for the ``whole`` code and every category. The words are the report's; the policy
    table says ``segment`` and the ``whole`` answer or set, without the ``advice`` and
    pointing to its column (``kappa_units``). When Fleiss' kappa rests on few units
    (:attr:`UnitCoverage.thin`) the note names the coders whose gaps cut them and
    ``choose``, the option naming the coders to compare."""
    if cover.n_units == 0:
        return [f"{dimension}: no {unit} was coded by two coders."]
    notes = []
    if cover.single:
        notes.append(
            f"{dimension}: {cover.single:,} {unit}(s) coded by one coder only were left out"
            f"{advice}."
        )
    if cover.fleiss_missing:
        notes.append(
            f"{dimension}: no {unit} was coded by every coder, so Fleiss' kappa is missing, "
            f"for the {whole} and each category."
        )
    if cover.thin:
        gaps = ", ".join(f"{c} coded {n:,}" for c, n in cover.gaps())
        named = cover.full_option(choose)
        pick = f"Compare the coders who coded them all ({named})" if named else (
            f"Name coders who coded the same {unit}s ({choose.strip()})"
        )  # fmt: skip
        notes.append(
            f"{dimension}: Fleiss' kappa rests on only {cover.complete:,} of the "
            f"{cover.n_units:,} {unit}s, those every coder coded ({gaps}), for the {whole} "
            f"and each category{kappa_units}: it says little, nor does a mean kappa over it. "
            f"{pick}, or read Krippendorff's alpha, "
            f"which takes every {unit} two or more coders coded (missing codes allowed)."
        )
    elif cover.fleiss_left_out:
        notes.append(
            f"{dimension}: Fleiss' kappa left out {cover.fleiss_left_out:,} {unit}(s) not "
            f"every coder coded, for the {whole} and each category{kappa_units}."
        )
    return notes


def mean_kappa_words(kappas: pd.Series) -> str:
    """The mean of the dimensions' ``kappas`` as a note prints it, saying over how many
    when some have none (their mean skips them); empty when none has one."""
    kappas = kappas.astype(float)
    have = int(kappas.notna().sum())
    if not have:
        return ""
    mean = f"{kappas.mean():.3f}"
    return mean if have == len(kappas) else f"{mean} (the {have} of {len(kappas)} with a kappa)"


def row_statistics(
    wide: pd.DataFrame,
    confidence: float,
    *,
    categories: Sequence[Hashable] | None = None,
    present_absent: bool = False,
    chance: bool = True,
    n_boot: int = 0,
    seed: int = 0,
    alpha_minimum: float = 0.667,
) -> tuple[dict[str, Any], list[str]]:
    """Percent agreement, kappa, alpha, AC1, PABAK (Brennan–Prediger with more than two
    coders) and, when asked, alpha's bootstrap interval, of one units × coders table.
    Warnings about undefined coefficients come back as text, not as warnings. Which
    units the table's coders left out (:class:`UnitCoverage`) is for the caller to say,
    once for a dimension and its categories.

    ``kappa_units`` is the units the kappa used: Cohen's the ``n_units`` both coded,
    Fleiss' only those every coder coded.

    ``categories`` fixes q for AC1 and PABAK (the dimension's categories, or (1, 0) for
    a present/absent row, where the prevalence and bias indices take "present" as the
    first category). ``chance=False`` leaves AC1 and PABAK out (a whole code set, whose
    q — every possible set — makes both percent agreement).

    With more than two coders, where Fleiss' kappa uses fewer units than the rest,
    ``kappa_units_agreement``, ``kappa_units_ac1`` and ``kappa_units_pabak`` are on its
    units, for the kappa-paradox rule to compare figures of the same units.
    """
    nan = float("nan")
    out: dict[str, Any] = dict.fromkeys(REPORT_COLUMNS[3:], nan)
    cover = UnitCoverage.of(wide)
    n_coders = cover.n_coders
    rated = wide.notna().sum(axis=1)
    out["n_units"] = cover.n_units
    out["n_coders"] = n_coders
    out["statistic"] = "Cohen" if n_coders == 2 else "Fleiss"
    out["kappa_units"] = cover.n_units if n_coders == 2 else cover.complete
    if cover.n_units == 0:
        return out, []
    caveats: list[str] = []
    cats = list(categories) if categories is not None else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StatisticalWarning)
        out["percent_agreement"] = percent_agreement(wide)
        if n_coders == 2:
            res = cohens_kappa(wide.iloc[:, 0], wide.iloc[:, 1], confidence=confidence)
            out.update(
                kappa=res.kappa,
                std_error=res.std_error,
                ci_low=res.ci_low,
                ci_high=res.ci_high,
                std_error_null=res.std_error_null,
                z=res.z,
                p_value=res.pvalue_two_sided,
            )
        elif cover.complete:
            fres = fleiss_kappa(wide)
            out.update(
                kappa=fres.kappa,
                std_error_null=fres.std_error_null,
                z=fres.z,
                p_value=fres.pvalue_two_sided,
            )
        out["alpha"] = krippendorff_alpha(wide).alpha
    for w in caught:
        if issubclass(w.category, StatisticalWarning):
            caveats.append(SAME_ANSWER)
        else:  # not ours to swallow
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    pairable = wide[rated >= 2]
    if cats is not None and len(cats) < 2:
        cats = None  # one category: AC1 and PABAK are undefined, as kappa
    if chance and (cats is not None or pairable.stack().nunique() > 1):
        ac1 = _quiet(gwet_ac1, pairable, categories=cats, confidence=confidence)
        out.update(
            ac1=ac1.estimate,
            ac1_std_error=ac1.std_error,
            ac1_ci_low=ac1.ci_low,
            ac1_ci_high=ac1.ci_high,
        )
        out["pabak"] = _quiet(brennan_prediger, pairable, categories=cats).estimate
    if chance and np.isfinite(out["kappa"]) and out["kappa_units"] < cover.n_units:
        complete = wide[rated == n_coders]
        out["kappa_units_agreement"] = percent_agreement(complete)
        if cats is not None or complete.stack().nunique() > 1:
            out["kappa_units_ac1"] = _quiet(gwet_ac1, complete, categories=cats).estimate
            out["kappa_units_pabak"] = _quiet(brennan_prediger, complete, categories=cats).estimate
    if present_absent and n_coders == 2 and cats is not None:
        both = pairable.dropna()
        if len(both):
            pb = pabak(both.iloc[:, 0], both.iloc[:, 1], categories=cats)
            out.update(prevalence_index=pb.prevalence_index, bias_index=pb.bias_index)
    if n_boot and np.isfinite(out["alpha"]):
        boot = krippendorff_alpha_bootstrap(
            wide, n_boot=n_boot, seed=seed, confidence=confidence, minimums=(alpha_minimum,)
        )
        out.update(
            alpha_ci_low=boot.ci_low,
            alpha_ci_high=boot.ci_high,
            alpha_p_below=boot.prob_below[0],
        )
    return out, list(dict.fromkeys(caveats))


def on_kappa_units(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its agreement, AC1 and PABAK those of the units its kappa used (when
    Fleiss' kappa used fewer units than they did), so a note compares like with like."""
    if not row.get("kappa_units", 0) < row.get("n_units", 0):
        return row
    return row | {
        "percent_agreement": row.get("kappa_units_agreement", float("nan")),
        "ac1": row.get("kappa_units_ac1", float("nan")),
        "pabak": row.get("kappa_units_pabak", float("nan")),
    }


def _paradox(row: dict[str, Any]) -> bool:
    """Whether a row's kappa is the kappa paradox (:func:`ihms.stats.kappa_paradox`,
    the rule the screening stages use too), agreement and AC1 taken on kappa's units."""
    same = on_kappa_units(row)
    return kappa_paradox(same.get("percent_agreement"), row.get("kappa"), same.get("ac1"))


def _on_units(row: dict[str, Any], unit: str) -> str:
    """`` on the N units every coder coded`` where kappa used fewer units than the row."""
    if not row.get("kappa_units", 0) < row.get("n_units", 0):
        return ""
    return f" on the {int(row['kappa_units']):,} {unit}s every coder coded"


def paradox_notes(
    dimension: str, row: dict[str, Any], categories: list[tuple[Hashable, dict[str, Any]]]
) -> list[str]:
    """Notes where kappa is low although the coders agree on most units: the kappa
    paradox (Feinstein & Cicchetti 1990), which AC1 and PABAK do not share. One note for
    the dimension and one listing its categories."""
    notes = []
    if _paradox(row):
        same = on_kappa_units(row)
        notes.append(
            f"{dimension}: kappa {row['kappa']:.2f} despite {same['percent_agreement']:.0f}% "
            f"agreement{_on_units(row, 'unit')} — one answer dominates (the kappa paradox); AC1 "
            f"{same['ac1']:.2f} and PABAK {same['pabak']:.2f} do not fall with it."
        )
    hit = [(c, r) for c, r in categories if _paradox(r)]
    if hit:
        listed = "; ".join(
            f"{c} (kappa {r['kappa']:.2f}, agreement {s['percent_agreement']:.0f}%, "
            f"AC1 {s['ac1']:.2f}, PABAK {s['pabak']:.2f}{_on_units(r, 'unit')}"
            + (
                f", prevalence index {r['prevalence_index']:+.2f})"
                if np.isfinite(r.get("prevalence_index", np.nan))
                else ")"
            )
            for c, r in hit
            for s in [on_kappa_units(r)]
        )
        notes.append(
            f"{dimension}: low kappa despite high agreement where a category is nearly "
            f"always present or absent (the kappa paradox) — {listed}."
        )
    return notes
