"""When a low kappa is the kappa paradox: one rule for every agreement table of ihms
(the coders' report, :mod:`ihms.stats._agreement_row`, and the screening stages,
:mod:`ihms.policy.screening_agreement`).

Feinstein & Cicchetti (1990) showed two tables at the same 85 % agreement with kappa
0.70 and 0.32: when one answer dominates, kappa's chance agreement (from the
marginals) is high and kappa low, although the raters agree. Gwet (2008) built AC1 so
that its chance agreement does not grow with that imbalance. The rule asks for the
three things the paradox is made of:

* **high agreement**, ≥ 80 %: Feinstein & Cicchetti's tables are at 85 %; below 80 %
  one unit in five or more is disagreed on and a low kappa is earned (McHugh 2012
  takes 80 % as the least acceptable agreement);
* **a low kappa**, < 0.60: below "substantial" on Landis & Koch's (1977) bands, where
  a reader would take the kappa for a verdict;
* **the marginals to blame**, AC1 − kappa ≥ 0.20: at one agreement the two differ only
  in their chance terms, so a wide gap is the imbalance at work.

No floor on AC1 is needed: its chance agreement is at most 1/q (0.5 for two answers),
so 80 % agreement gives AC1 ≥ 0.60 ("substantial"). Comparisons allow 1e-9, so values
printed on a bound (AC1 0.70, kappa 0.50) are read as printed.
"""

from __future__ import annotations

import math

__all__ = ["PARADOX_AGREEMENT", "PARADOX_GAP", "PARADOX_KAPPA", "kappa_paradox"]

#: Percent agreement from which the raters agree on most units.
PARADOX_AGREEMENT = 80.0
#: Kappa below which it reads as less than "substantial" (Landis & Koch 1977).
PARADOX_KAPPA = 0.60
#: How far AC1 must stand above kappa for the marginals to explain the low kappa.
PARADOX_GAP = 0.20
_EPS = 1e-9


def kappa_paradox(percent_agreement: float | None, kappa: float | None, ac1: float | None) -> bool:
    """Whether a low ``kappa`` is the kappa paradox: ``percent_agreement`` ≥ 80 (per
    cent), ``kappa`` < 0.60 and ``ac1`` − ``kappa`` ≥ 0.20 (see the module's docstring).
    False when any value is missing or not finite (an undefined kappa is said as such).

    Parameters
    ----------
    percent_agreement
        Units all raters agree on, in percent (:func:`ihms.stats.percent_agreement`).
    kappa
        Cohen's or Fleiss' kappa of the same ratings.
    ac1
        Gwet's AC1 of the same ratings.

    Examples
    --------
    >>> kappa_paradox(85.0, 0.32, 0.81), kappa_paradox(85.0, 0.70, 0.70)
    (True, False)
    >>> kappa_paradox(75.0, -0.14, 0.68)  # one unit in four disagreed on
    False
    """
    values = (percent_agreement, kappa, ac1)
    if any(v is None or not math.isfinite(v) for v in values):
        return False
    return bool(
        percent_agreement >= PARADOX_AGREEMENT - _EPS
        and kappa < PARADOX_KAPPA - _EPS
        and ac1 - kappa >= PARADOX_GAP - _EPS
    )
