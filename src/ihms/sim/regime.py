"""Provider behaviour month by month under the payment regime in force.

Behaviour follows payment (Zhong et al. 2023, discussion): under fee for service a county hospital
earns by volume, so it draws mild cases and admits readily, and the pull grows as the
hospital expands; under Sanming's IMPM the consortium keeps the balance of a
population-based budget, so it refers mild cases down, keeps patients in the county and
funds health promotion; "other areas" (Zhong et al. 2023 Table 1, right column) sit in between.

:class:`Behaviour` holds, for each simulated month, the effective value of every
behavioural parameter: the baseline regime's values before the reform, the reform
regime's after, blended linearly over ``reform.ramp_months``. What a consortium can do
is capped by its integration degree (downward referral and keeping patients in the county
need a consortium; a loose one achieves less), and nothing of the kind happens before the
grid's consortium exists.

:func:`reform_month_shares` gives, per year, the share of its months from the reform on,
exactly: what the annual salary system pays for (:mod:`ihms.sim.resources`). It is not the
ramp's mean over the year (``Behaviour.reformed``, ``YearAccounts.reformed``): a reform in
October 2017 with a three-month ramp leaves 3/12 of 2017 under the reform, while the
behaviour's mean is (1/3 + 2/3 + 1) / 12 = 1/6.

:func:`first_settled_year` and :func:`baseline_year` say which years a reform's payment
rules settle: its whole calendar years. They are :mod:`ihms.payment.reform`'s (with
:func:`year_month`, its ``reform_month``), the rule ``ihms payment settle`` reads, kept
under these names here: one rule, not a copy. A year's budget is set at its start (Zhong et al.
2023:
the fund is allocated to the consortium "at the beginning of each year"), so a reform
that begins within a year first settles the next one, and the year it began is the
baseline — its spending accounted, neither settled nor scored. The run's in-run
settlement (:class:`~ihms.sim.funding.YearEndSettlement`, through
``YearAccounts.settled``), ``compare``'s re-settlement and the demo's payment step all
read these two functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ihms.errors import InputError
from ihms.payment.reform import baseline_year, first_settled_year, is_reform
from ihms.payment.reform import reform_month as year_month
from ihms.sim._codes import REGIMES, REQUIRED_REGIMES
from ihms.sim.config import SimulationConfig, month_index
from ihms.sim.layout import CountyLayout

__all__ = [
    "Behaviour",
    "baseline_year",
    "behaviour",
    "check_regimes",
    "first_settled_year",
    "promotion_from_funding",
    "reform_month_shares",
    "year_month",
]


@dataclass(frozen=True)
class Behaviour:
    """Effective behaviour per month (arrays of length ``n_months``; per grid where 2-D).

    Attributes
    ----------
    reformed
        Share of the reform regime in force (0 before the reform, 1 after the ramp).
    ch_attraction
        Utility bonus of the county hospital for a mild episode; half of it applies to
        moderate episodes.
    ch_admission_factor
        Multiplier on county-hospital admission probabilities of mild and moderate cases.
    downward_referral, keep_in_county
        Grids × months: probability scale of downward referral after discharge, and the
        share by which upward referral out of the county and outside choice are cut.
    healthcare_primary_push
        Utility shift of preventive visits towards primary care.
    promotion_effort
        Health-promotion effort driven by the scorecards (0..1), before funding.
    family_physician_odds
        Odds multiplier of family-physician registration.
    shared_balance
        Grids: the consortium may keep a budget balance (and fund promotion from it).
    primary_extra_revisits
        Mean extra revisits at the village clinic or township health centre of an illness
        episode that ends there unadmitted: the regime's ``primary_extra_revisits`` grown
        by ``(1 + primary_extra_revisits_growth_per_year) ** (1 / 12)`` each month before
        (both blended over the ramp; growth accumulates under whichever regime is in force).
    ch_outpatient_price_yuan
        Yuan added to the mean cost of each county-hospital outpatient and emergency visit:
        the sum of ``ch_outpatient_price_drift_yuan_per_month`` over the months before
        (blended over the ramp), so a drift ``d`` from the reform's month ``r`` adds
        ``d * (m - r - (k - 1) / 2)`` in month ``m`` once a ramp of ``k`` months is over
        (``d * (m - r)`` with no ramp; Youxi's three-month ramp: ``d * (m - r - 1)``): a
        slope change of ``d`` yuan a month in the cost per visit, 0 in the reform's month
        as in ``itsa``'s coding.
    """

    regime: str
    reformed: np.ndarray
    ch_attraction: np.ndarray
    ch_admission_factor: np.ndarray
    downward_referral: np.ndarray
    keep_in_county: np.ndarray
    healthcare_primary_push: np.ndarray
    promotion_effort: np.ndarray
    family_physician_odds: np.ndarray
    shared_balance: np.ndarray
    primary_extra_revisits: np.ndarray
    ch_outpatient_price_yuan: np.ndarray

    def yearly_mean(self, name: str, month_year: np.ndarray, year: int) -> float:
        """Mean of a 1-D behaviour array over the months of ``year``."""
        values = getattr(self, name)
        return float(values[month_year == year].mean())


def behaviour(config: SimulationConfig, layout: CountyLayout, *, regime: str) -> Behaviour:
    """Effective behaviour for a run where ``regime`` starts at ``config.reform.date``.

    Parameters
    ----------
    config
        Simulation config (the baseline regime applies before the reform).
    layout
        The county, for each grid's consortium start and integration degree.
    regime
        The regime from the reform on (``fee-for-service`` gives a run with no reform).
    """
    months = config.period.months
    n = len(months)
    base = config.regimes[config.baseline_regime]
    new = config.regimes[regime]
    r0 = month_index(config.reform.date, config.period.start)
    ramp = max(config.reform.ramp_months, 1)
    t = np.arange(n)
    w = (
        np.clip((t - r0 + 1) / ramp, 0.0, 1.0)
        if is_reform(regime, config.baseline_regime)
        else np.zeros(n)
    )

    def mix(name: str) -> np.ndarray:
        return (1 - w) * getattr(base, name) + w * getattr(new, name)

    # Drifts accumulate month by month under whichever regime is in force, so a reform
    # stops (or slows) the county hospital's expansion from where it had reached.
    attraction = mix("ch_mild_attraction") + _before(mix("ch_attraction_drift_per_year") / 12)
    admission = mix("ch_admission_factor") * (1 + _before(mix("ch_admission_drift_per_year") / 12))

    # Compounded month by month: (1 + g) ** (1 / 12) a month is 1 + g over twelve months.
    growth = np.exp(_before(np.log1p(mix("primary_extra_revisits_growth_per_year")) / 12))
    price = _before(mix("ch_outpatient_price_drift_yuan_per_month"))

    active = layout.consortium_active(months)
    degree = np.array(
        [
            [config.integration[d].downward_referral, config.integration[d].keep_in_county]
            for d in layout.consortium_integration
        ]
    )
    shared = np.array([config.integration[d].shared_balance for d in layout.consortium_integration])
    down = active * degree[:, :1] * mix("downward_referral")[None, :]
    keep = active * degree[:, 1:] * mix("keep_in_county")[None, :]
    return Behaviour(
        regime=regime,
        reformed=w,
        ch_attraction=attraction,
        ch_admission_factor=admission,
        downward_referral=down,
        keep_in_county=keep,
        healthcare_primary_push=mix("healthcare_primary_push"),
        promotion_effort=mix("promotion_effort"),
        family_physician_odds=mix("family_physician_odds"),
        shared_balance=shared,
        primary_extra_revisits=mix("primary_extra_revisits") * growth,
        ch_outpatient_price_yuan=price,
    )


def _before(monthly: np.ndarray) -> np.ndarray:
    """Each month's sum of ``monthly`` over the months before it (0 in the first)."""
    return np.concatenate([[0.0], np.cumsum(monthly[:-1])])


def reform_month_shares(config: SimulationConfig, *, regime: str) -> tuple[Fraction, ...]:
    """Per year of ``config.period`` (in order), the share of its simulated months from
    ``config.reform.date`` on, exact: ``Fraction(3, 12)`` for 2017 under a reform in
    October 2017, whatever the ramp. All 0 when ``regime`` is the baseline regime (a run
    with no reform, as :func:`behaviour` has it)."""
    months = config.period.months
    month_year = months.astype("datetime64[Y]").astype(int) + 1970
    reformed = np.arange(len(months)) >= month_index(config.reform.date, config.period.start)
    if not is_reform(regime, config.baseline_regime):
        reformed[:] = False
    return tuple(
        Fraction(int(reformed[month_year == year].sum()), int((month_year == year).sum()))
        for year in config.period.years
    )


def promotion_from_funding(yuan_per_capita: float, scale: float) -> float:
    """Health-promotion intensity (0..1) bought by a funding level, with diminishing
    returns: ``1 - exp(-yuan_per_capita / scale)``."""
    return float(1.0 - np.exp(-max(yuan_per_capita, 0.0) / scale))


def check_regimes(
    config: SimulationConfig, regimes: tuple[str, ...] | None = None, *, option: str = "regime"
) -> tuple[str, ...]:
    """The regimes to run: ``regimes`` checked against :data:`REGIMES` and the config
    (``option`` names them in messages), or by default Zhong et al. 2023's three (fee for service,
    Sanming, "other areas"; every config describes them)."""
    if not regimes:
        return REQUIRED_REGIMES
    for regime in regimes:
        if regime not in REGIMES:
            raise InputError(f"{option}: expected one of {list(REGIMES)}, got {regime!r}")
        if regime not in config.regimes:
            raise InputError(
                f"{option} {regime!r}: the config describes no provider behaviour under it "
                f"(regimes has {list(config.regimes)}); add a regimes.{regime} section"
            )
    if len(set(regimes)) < len(regimes):
        raise InputError(f"{option}: each regime once, got {list(regimes)}")
    return tuple(regimes)
