"""The ITS section's Breusch-Godfrey table: the tests for autocorrelation of each
outcome's residuals, the Newey-West lag they choose (as ``ihms its fit --lags auto``
does), and the notes on the rule and on a joint test that rejects above the chosen lag
(in Chinese with ``lang="zh"``: :mod:`ihms.demo._its_zh`)."""

from __future__ import annotations

import pandas as pd

from ihms.demo._its_text import OUTCOMES, terms
from ihms.demo._its_zh import joint_note_zh
from ihms.stats import ITSResults
from ihms.summary import format_p

__all__ = ["lag_notes"]


def lag_notes(orders: int) -> tuple[str, ...]:
    """The lag table's notes for Breusch-Godfrey tests of ``orders`` orders: as many as
    ``ihms its fit --lags auto`` and the calibration test (the library's default, 12 or a
    quarter of the months if fewer: :meth:`ITSModel.lag_tests`)."""
    return (
        "H0: no serial correlation up to the given lag (Stata estat bgodfrey).",
        "The chosen lag is the larger of two orders (ihms.stats' rule, as ihms its fit "
        "--lags auto chooses it): the stepwise one, reading each order's own last lag (the "
        "t test of e(t-p) in the order-p regression; at order 1 also the Breusch-Godfrey "
        "chi2, which tests the same coefficient) upward from lag 1 and stopping at the first "
        f"not significant at 0.05, and the highest order whose own-lag p is below "
        f"0.05/{orders} (Bonferroni over the {orders} orders tested: 12, or a quarter of the "
        "months if fewer). 'p that chose the lag' is the chosen order's own-lag p (at order "
        "1 its chi2 p when that alone rejects); 'own p of the next lag' is where the "
        "stepwise one stopped.",
    )


def _joint_rejection(bg) -> int | None:
    """The highest order above the chosen lag whose joint Breusch-Godfrey test rejects
    no autocorrelation at 0.05 (the stepwise rule reads each order's own last lag, so
    the joint tests can reject where it stops), or None."""
    above = [p for p in bg.table.index if p > bg.suggested_lag and bg.table.loc[p, "p"] < 0.05]
    return max(above) if above else None


def _joint_note(
    outcome: str, chosen: ITSResults, order: int, p: float, refit: ITSResults, *, lang: str = "en"
) -> str:
    """The note on an outcome whose joint tests reject above the chosen lag: the level and
    slope changes' p-values at the chosen lag and with Newey-West lag ``order``."""
    x, xt = terms(chosen)
    if lang == "zh":
        level, slope = ((float(chosen.pvalues[t]), float(refit.pvalues[t])) for t in (x, xt))
        return joint_note_zh(outcome, order, p, chosen.lags, level, slope)
    ps = ", ".join(
        f"the {what}'s p {format_p(float(chosen.pvalues[t]))} → {format_p(float(refit.pvalues[t]))}"
        for what, t in (("level change", x), ("slope change", xt))
    )
    return (
        f"{OUTCOMES[outcome]}: the joint test up to lag "
        f"{order} rejects no autocorrelation (p {format_p(p)}) though the rule chose lag "
        f"{chosen.lags}; with Newey-West lag {order} instead, {ps}."
    )


def _lag_table(tests: dict) -> pd.DataFrame:
    rows = {}
    for name, bg in tests.items():
        top = int(bg.table.index.max())
        shown = dict.fromkeys(p for p in (1, 2, 3, 6, top) if p <= top)
        row = {f"p (lags 1-{p})": bg.table.loc[p, "p"] for p in shown}
        row["stepwise lag"] = bg.stepwise_lag
        row["Bonferroni lag"] = bg.bonferroni_lag
        row["chosen lag"] = lag = bg.suggested_lag
        # the tests the rule read: the chosen order's own last lag, and the next one's,
        # at which it stopped (the joint p-values above stay small when lag 1 alone
        # carries the correlation)
        by_chi2 = lag == 1 and bg.order_one_by_chi2
        row["p that chose the lag"] = (
            bg.table.loc[lag, "p" if by_chi2 else "lag_p"] if lag else float("nan")
        )
        row["own p of the next lag"] = (
            bg.table.loc[lag + 1, "lag_p"] if lag + 1 in bg.table.index else float("nan")
        )
        rows[OUTCOMES[name]] = row
    frame = pd.DataFrame(rows).T
    frame.index.name = "outcome (seasonally adjusted, OLS residuals)"
    return frame
