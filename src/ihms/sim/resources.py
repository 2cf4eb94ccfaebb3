"""Institution resources by year: the county file's head counts and beds, with money.

Beds, GPs, specialists, nurses and health workers are the delivery system's (for Youxi
they reproduce seed 002 Table 2's ratios per 1,000 residents), scaled with the run's
population when the county is simulated at another size. The simulation adds what
it knows: each county institution's revenue and medical income — what it charged for the
county's residents that year, exact fen — and personnel cost, the configured share of
that revenue rounded down to the fen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.data import resources_table
from ihms.sim._codes import OUT
from ihms.sim.config import SimulationConfig
from ihms.sim.layout import CountyLayout
from ihms.system import System

__all__ = ["institution_resources"]


def institution_resources(
    system: System,
    layout: CountyLayout,
    config: SimulationConfig,
    *,
    revenue_fen: np.ndarray,
    scale: float = 1.0,
) -> pd.DataFrame:
    """The ``resources`` table of the run: one row per institution and year.

    Parameters
    ----------
    revenue_fen
        Institutions × years (the layout's order), exact int64 fen charged by the run.
    scale
        The run's population relative to the county file's: head counts and beds are
        scaled with it (rounded half up), so ratios per resident stay the county's.
    """
    years = layout.years
    frame = resources_table(system, years=years).set_index(["institution_id", "year"])
    if scale != 1.0:
        for col in ("beds", "gps", "specialists", "nurses", "health_workers"):
            frame[col] = pd.array(
                np.floor(frame[col].astype("Float64") * scale + 0.5), dtype="Int64"
            )
    share_bp = round(config.resources.personnel_cost_share * 10_000)
    rows = []
    for i, inst in enumerate(layout.institution_ids):
        if layout.institution_tier[i] == OUT:
            continue
        for yi, year in enumerate(years):
            if not layout.open_years[i, yi]:
                continue
            revenue = int(revenue_fen[i, yi])
            rows.append(
                {
                    "institution_id": inst,
                    "year": year,
                    "revenue_fen": revenue,
                    "medical_income_fen": revenue,
                    "personnel_cost_fen": revenue * share_bp // 10_000,
                }
            )
    money = pd.DataFrame(rows).set_index(["institution_id", "year"])
    out = frame.drop(columns=list(money.columns)).join(money, how="outer")
    for col in money.columns:
        out[col] = pd.array(out[col], dtype="Int64")
    return out.reset_index()
