"""Institution resources by year: beds, physicians, GPs, specialists, nurses, money.

County totals follow the configured ratios per 1,000 residents (seed 002 Table 2 gives
practising physicians, registered nurses and beds per 1,000 for 2016–2019). Each total is
split among tiers by the configured shares and within a tier among the institutions open
that year (county hospitals in proportion to their patient shares), with largest-
remainder rounding so the integers add up to the rounded county total. Revenue is what
the simulation charged at the institution that year (exact fen); personnel cost is the
configured share of it, rounded down to the fen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.sim._codes import CH, TIERS
from ihms.sim.config import SimulationConfig
from ihms.sim.layout import CountyLayout

__all__ = ["institution_resources", "largest_remainder"]


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split the integer ``total`` in proportion to ``weights``; the parts add to ``total``."""
    weights = np.asarray(weights, float)
    if total == 0 or weights.sum() == 0:
        return np.zeros(len(weights), np.int64)
    exact = total * weights / weights.sum()
    parts = np.floor(exact).astype(np.int64)
    short = total - int(parts.sum())
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[:short]] += 1
    return parts


def institution_resources(
    config: SimulationConfig,
    layout: CountyLayout,
    *,
    population: dict[int, float],
    revenue_fen: np.ndarray,
) -> pd.DataFrame:
    """One row per institution in the county and year it is open.

    Parameters
    ----------
    population
        Mean resident population per year (the simulated county's size).
    revenue_fen
        Institutions × years, exact int64 fen charged by the simulation.
    """
    res = config.resources
    rows = []
    ch_weight = np.zeros(len(layout.institution_ids))
    ch_weight[layout.county_hospitals] = layout.county_hospital_weights
    pcs_bp = round(res.personnel_cost_share * 10_000)
    for yi, year in enumerate(layout.years):
        totals = {
            "physicians": round(res.physicians_per_1000[year] * population[year] / 1000),
            "nurses": round(res.nurses_per_1000[year] * population[year] / 1000),
            "beds": round(res.beds_per_1000[year] * population[year] / 1000),
        }
        shares = {
            "physicians": res.physicians_share,
            "nurses": res.nurses_share,
            "beds": res.beds_share,
        }
        counts = {k: np.zeros(len(layout.institution_ids), np.int64) for k in totals}
        for key, total in totals.items():
            tier_names = list(shares[key])
            by_tier = largest_remainder(total, np.array([shares[key][t] for t in tier_names]))
            for tier_name, tier_total in zip(tier_names, by_tier, strict=True):
                tier = TIERS.index(tier_name)
                members = layout.institutions_of_tier(tier, year)
                w = ch_weight[members] if tier == CH else np.ones(len(members))
                counts[key][members] = largest_remainder(int(tier_total), w)
        gp_share = np.array([res.gp_share.get(t, 0.0) for t in TIERS])
        gps = np.floor(counts["physicians"] * gp_share[layout.institution_tier] + 0.5).astype(
            np.int64
        )
        for i in np.flatnonzero(layout.open_years[:, yi]):
            if layout.institution_tier[i] not in (0, 1, 2):
                continue
            revenue = int(revenue_fen[i, yi])
            rows.append(
                {
                    "institution_id": layout.institution_ids[i],
                    "year": year,
                    "beds": int(counts["beds"][i]),
                    "physicians": int(counts["physicians"][i]),
                    "general_practitioners": int(gps[i]),
                    "specialists": int(counts["physicians"][i] - gps[i]),
                    "nurses": int(counts["nurses"][i]),
                    "revenue_fen": revenue,
                    "personnel_cost_fen": revenue * pcs_bp // 10_000,
                }
            )
    frame = pd.DataFrame(rows)
    for col in frame.columns.drop("institution_id"):
        frame[col] = frame[col].astype("int64")
    return frame
