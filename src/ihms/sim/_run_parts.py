"""The parts of a county run outside its monthly loop: each resident's register row
(family-physician columns) and a year's closing accounts (:class:`YearAccounts`), and the
annual salary a regime's rules pay. Split from :mod:`ihms.sim.run`, which calls them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.payment.reform import first_settled_year, is_reform
from ihms.sim._codes import OUT, THC, VC
from ihms.sim.chronic import NEVER, ChronicTraits, family_physician
from ihms.sim.config import SimulationConfig
from ihms.sim.population import Residents
from ihms.sim.regime import reform_month_shares
from ihms.sim.resources import AnnualSalary
from ihms.sim.results import YearAccounts

__all__ = ["annual_salary", "close_year", "register_columns"]


def register_columns(
    res: Residents, traits: ChronicTraits, cfg: SimulationConfig, plan, fp_odds, last_access
) -> dict[str, np.ndarray]:
    """The ``residents`` table's columns of one block (institutions as layout indices);
    ``fp_odds``: the regime's family-physician odds of each period month."""
    # The register's family-physician columns describe each resident's last month in
    # the county; the registration date is the first month of the run of registered
    # months that reaches it (the current registration), and not before the resident's
    # arrival. Registration is month by month (the regime's odds of each month).
    month_year = plan.months.astype("datetime64[Y]").astype(int) + 1970
    registered = np.zeros(len(res), bool)
    since = np.zeros(len(res), np.int64)
    for y in cfg.period.years:
        ym = np.flatnonzero(month_year == y)
        by_month = family_physician(res, traits, cfg, y, fp_odds[ym])
        for m, now in zip(ym, by_month, strict=True):
            here = m < res.exit
            since = np.where(now & here & ~registered, m, since)
            registered = np.where(here, now, registered)
    fp_at = last_access.township_centre[res.village]
    return {
        "resident_id": res.resident_id,
        "birth_year": res.birth_year,
        "male": res.male,
        "village": res.village,
        "insured": res.insured,
        "fp_institution": np.where(registered, fp_at, -1),
        "fp_since": np.maximum(since, res.entry),
        "hypertension": traits.since[0] != NEVER,
        "diabetes": traits.since[1] != NEVER,
        "entry": res.entry,
        "exit": res.exit,
    }


def _half_up(resident_months: int, months: int) -> int:
    """A mean over months rounded half up, exactly (as ``population_from_store``)."""
    return int((2 * int(resident_months) + int(months)) // (2 * int(months)))


def close_year(tally, beh, regime, year, yi, month_year, layout, cfg) -> YearAccounts:
    sel = month_year == year
    n = sel.sum()
    used = np.flatnonzero(tally.encounters_by_institution[:, yi] > 0)
    tier = layout.institution_tier[used]
    ins = tally.insurance_by_institution[used, yi]
    tot = tally.revenue_fen[used, yi]
    by_institution = pd.DataFrame(
        {
            "institution_id": [layout.institution_ids[i] for i in used],
            "setting": np.where(tier == OUT, "outside_county", "consortium"),
            "primary_care": (tier == VC) | (tier == THC),
            "insurance_paid_fen": ins,
            "total_cost_fen": tot,
            "out_of_pocket_fen": tot - ins,
            "encounters": tally.encounters_by_institution[used, yi],
        }
    )
    fp_months = tally.registered_insured_resident_months[:, sel].sum(axis=0)
    return YearAccounts(
        year=year,
        regime=regime,
        reformed=float(beh.reformed[sel].mean()),
        population=float(tally.resident_months[:, sel].sum() / n),
        insured_population=_half_up(tally.insured_resident_months[:, sel].sum(), n),
        family_physician_registered=_half_up(
            tally.registered_insured_resident_months[:, sel].sum(), n
        ),
        by_institution=by_institution,
        shared_balance=bool(beh.shared_balance.all()),
        settled=is_reform(regime, cfg.baseline_regime)
        and year >= first_settled_year(cfg.reform.date),
        family_physician_months=tuple(fp_months.tolist()) if n == 12 else (),
    )


def annual_salary(settler, regime: str, cfg: SimulationConfig) -> AnnualSalary | None:
    """The reform regime's staff paid by annual salary, when its rules say so (Sanming's:
    ``staff_pay.method: annual_salary``), for each year's months from the reform on
    (:func:`reform_month_shares`, exact) with each settled year's staff incentive; None
    for a settlement that names no rules (a bare callable) or pays by volume."""
    rules_for = getattr(settler, "rules_for", None)
    if rules_for is None or rules_for(regime).staff_pay.method != "annual_salary":
        return None
    records = getattr(settler, "records", {})
    return AnnualSalary(
        reformed=reform_month_shares(cfg, regime=regime),
        incentive_fen={y: r.distribution.staff_incentive_fen for y, r in records.items()},
    )
