"""The reviewers' agreement at one screening stage: percent agreement, Cohen's κ (two
reviewers) or Fleiss' κ (three or more), Gwet's AC1, PABAK (two reviewers), and a note
where κ is low only because nearly every decision was the same.

Screening is lopsided: at the title stage most records are excluded, at the full-text
stage most reports often included. κ takes chance agreement from the decisions' shares,
so when one decision dominates, κ can be low while the reviewers agree on nearly
every document — the kappa paradox (Feinstein & Cicchetti 1990). AC1 (Gwet 2008) and
PABAK (Byrt, Bishop & Carlin 1993) depend far less on the shares, so they are reported
beside κ, as the coders' agreement table does (:mod:`ihms.stats.agreement`), and the
note fires by the coders' rule (:func:`ihms.stats.kappa_paradox`). All statistics come
from :mod:`ihms.stats`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ihms._repr import brief_repr
from ihms.errors import InputError, StatisticalWarning
from ihms.stats._paradox import kappa_paradox

__all__ = ["DECISIONS", "STAGE_NAMES", "StageAgreement", "kappa_paradox", "stage_agreement"]

STAGE_NAMES = {"title": "title", "fulltext": "full text"}
DECISIONS = ("include", "exclude")


@dataclass(frozen=True)
class StageAgreement:
    """Agreement of the reviewers at one stage, over the documents that reached it.

    Attributes
    ----------
    stage
        ``"title"`` or ``"fulltext"``.
    reviewers
        The stage's reviewers.
    n_documents
        Documents every reviewer judged at this stage (recorded or by the rules).
    n_recorded
        Decisions the reviewers recorded themselves (the rest are the rules' verdicts).
    percent_agreement
        Documents on which all reviewers agree, in percent (:func:`ihms.stats.percent_agreement`).
    kappa, statistic
        Cohen's κ for two reviewers, Fleiss' κ for more (:mod:`ihms.stats`); NaN when
        every decision was the same (κ is undefined then).
    conflicts
        Documents the reviewers differ on.
    settled
        ``(who, n)``: conflicts settled by each third reviewer or rule.
    ac1
        Gwet's AC1 over the two decisions (:func:`ihms.stats.gwet_ac1`); 1 when every
        decision was the same.
    pabak
        PABAK, 2·pa − 1 (:func:`ihms.stats.pabak`); NaN for three reviewers or more.
    dominant
        Where :func:`kappa_paradox` holds, what its note is said from: the dominant
        decision, its share of the decisions (per cent), the documents on which all
        reviewers gave the other decision and those on which any reviewer gave it; else
        empty. :attr:`note` is then a sentence naming the kappa paradox with them, in
        English (:meth:`paradox_note` in another language).
    """

    stage: str
    reviewers: tuple[str, ...]
    n_documents: int
    n_recorded: int
    percent_agreement: float
    kappa: float
    statistic: str
    conflicts: int
    settled: tuple[tuple[str, int], ...] = ()
    ac1: float = math.nan
    pabak: float = math.nan
    dominant: tuple[str, float, int, int] = ()

    @property
    def note(self) -> str:
        """The kappa-paradox caveat in English (:meth:`paradox_note`)."""
        return self.paradox_note()

    def paradox_note(self, lang: str = "en") -> str:
        """:attr:`note` in ``lang`` (``"zh"``: the terms of :data:`ihms._words.TERMS`,
        纳入/排除), said from the same figures; "" where the kappa paradox does not hold.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``.
        """
        if not self.dominant:
            return ""
        return _paradox_note(self, lang)

    def __repr__(self) -> str:
        return brief_repr(
            self,
            stage=self.stage,
            n=self.n_documents,
            kappa=round(self.kappa, 4),
            ac1=round(self.ac1, 4),
        )


def stage_agreement(
    stage: str,
    reviewers: Sequence[str],
    decisions: Mapping[str, Sequence[str]],
    *,
    n_recorded: int = 0,
    settled: Mapping[str, int] | None = None,
) -> StageAgreement:
    """Agreement at ``stage`` from each document's decisions, one per reviewer in the
    order of ``reviewers`` (``{"N01": ["include", "exclude"], ...}``).

    Examples
    --------
    >>> a = stage_agreement("title", ["ann", "bo"], {"1": ["include", "include"],
    ...     "2": ["exclude", "exclude"], "3": ["include", "exclude"], "4": ["include", "include"]})
    >>> a.percent_agreement, round(a.kappa, 3), round(a.ac1, 3), a.pabak, a.conflicts
    (75.0, 0.5, 0.529, 0.5, 1)
    """
    from ihms.stats import cohens_kappa, fleiss_kappa, gwet_ac1, pabak, percent_agreement

    if len(reviewers) < 2:
        raise InputError(f"agreement needs two or more reviewers, got {list(reviewers)}")
    ratings = [list(v) for v in decisions.values()]
    conflicts = sum(len(set(r)) > 1 for r in ratings)
    kappa = pct = ac1 = pa_bak = math.nan
    two = len(reviewers) == 2
    statistic = "Cohen's kappa" if two else "Fleiss' kappa"
    if ratings:
        pct = percent_agreement(ratings)
        with warnings.catch_warnings():
            # every decision the same: kappa is undefined (the method statement says so);
            # numpy divides 0 by 0 when nobody used one of the two decisions
            warnings.simplefilter("ignore", StatisticalWarning)
            with np.errstate(invalid="ignore", divide="ignore"):
                # AC1's q is the two decisions, used or not
                ac1 = gwet_ac1(ratings, categories=DECISIONS).estimate
                if two:
                    cols = list(zip(*ratings, strict=True))
                    kappa = cohens_kappa(cols[0], cols[1], categories=DECISIONS).kappa
                    pa_bak = pabak(cols[0], cols[1], categories=DECISIONS).pabak
                else:
                    kappa = fleiss_kappa(ratings, categories=DECISIONS).kappa
    kappa, ac1, pa_bak = float(kappa), float(ac1), float(pa_bak)
    dominant = _dominant(ratings) if kappa_paradox(pct, kappa, ac1) else ()
    return StageAgreement(
        stage=stage,
        reviewers=tuple(reviewers),
        n_documents=len(ratings),
        n_recorded=n_recorded,
        percent_agreement=pct,
        kappa=kappa,
        statistic=statistic,
        conflicts=conflicts,
        settled=tuple(sorted((settled or {}).items())),
        ac1=ac1,
        pabak=pa_bak,
        dominant=dominant,
    )


def _dominant(ratings: list[list[str]]) -> tuple[str, float, int, int]:
    """What a reader needs to judge a stage's κ the kappa paradox pulls down: the
    dominant decision's share and the reviewers' agreement on the rare one (Cicchetti &
    Feinstein 1990 ask for the agreement on each decision)."""
    flat = [d for r in ratings for d in r]
    common = max(DECISIONS, key=flat.count)
    rare = next(d for d in DECISIONS if d != common)
    either = sum(rare in r for r in ratings)
    agreed = sum(all(d == rare for d in r) for r in ratings)
    return common, 100 * flat.count(common) / len(flat), agreed, either


def _paradox_note(a: StageAgreement, lang: str) -> str:
    """The caveat for a stage whose κ the kappa paradox pulls down, in ``lang``."""
    from ihms._words import said

    common, share, agreed, either = a.dominant
    rare = next(d for d in DECISIONS if d != common)
    others = said(lang, "paradox AC1", ac1=a.ac1) + (
        "" if math.isnan(a.pabak) else said(lang, "paradox PABAK", pabak=a.pabak)
    )
    return said(
        lang, "paradox", stage=stage_name(a.stage, lang).capitalize(), kappa=a.kappa,
        pct=a.percent_agreement, share=share, common=said(lang, f"decision {common}"),
        others=others, rare=said(lang, f"decision {rare}"), agreed=agreed, either=either,
        who=said(lang, "either of two" if len(a.reviewers) == 2 else "any of more"),
        rare_done=said(lang, f"decided {rare}"),
    )  # fmt: skip


def stage_name(stage: str, lang: str = "en") -> str:
    """The stage as the statement names it: ``title``, ``full text`` (``"zh"``: 题名初筛,
    全文复筛); a stage of another name as it is."""
    from ihms._words import STATUS, said

    return said(lang, f"stage {stage}") if f"stage {stage}" in STATUS["en"] else stage
