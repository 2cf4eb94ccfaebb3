"""Bounded number types of the simulation config (:mod:`ihms.sim.config`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = ["ExtraRevisits", "NonNegative", "Positive", "PriceDrift", "Share", "YearlyGrowth"]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]

#: A secular trend per year (``illness.trend_per_year``, ``healthcare.growth_per_year``,
#: ``regimes.*.primary_extra_revisits_growth_per_year``): above -100 % and at most +50 % a
#: year. It bounds the constant rate compounded over the whole run, ``(1 + trend) **
#: years``, not one year's change: the reform's step comes from
#: ``promotion.healthcare_effect`` on top. The fastest growth Zhong et al. 2023 report for
#: Youxi, outpatient visits 134.2 -> 254.6 (10,000s, 2016-2019, Table 4), is 24 % a year on
#: average (23.8 %, geometric); the single year 2016 -> 2017 is +50.7 % (202.3), but 2018
#: falls back to 190.6, so no secular trend near +50 % fits the series. +50 % is twice the
#: average, the tuning's upper bound for the growth of the extra primary-care revisits (for
#: healthcare growth until 2026-11-26), and kept the heaviest monthly means of a four-year
#: period (at the example's values before 2026-11-26: illness episodes about 2.3,
#: preventive visits about 5.8) where a count above the simulator's cap of 15 a month has a
#: probability below 1e-3 (a run that still reaches the cap says so).
YearlyGrowth = Annotated[float, Field(gt=-1.0, le=0.5)]

#: Extra primary-care revisits per illness episode that ends unadmitted at a village
#: clinic or township health centre (``regimes.*.primary_extra_revisits``, the mean of a
#: Poisson count): 0 to 3. The hand-found point that met Table 4 of Zhong et al. 2023 as
#: all outpatient contacts (2026-11-26, 20,000 residents) had about 1; 3 grown at the
#: bound of ``primary_extra_revisits_growth_per_year`` (+50 %) over Youxi's 26 months
#: after the reform is 7.2, where a Poisson count above the cap of 12 extra revisits
#: (``ihms.sim.referral.EXTRA_REVISITS_MOST``) has a probability of 0.033 (a run that
#: reaches the cap says so: ``capped_counts()["extra_revisits"]``).
ExtraRevisits = Annotated[float, Field(ge=0.0, le=3.0)]

#: The rise of the county hospitals' outpatient and emergency price, yuan per month
#: under a regime (``regimes.*.ch_outpatient_price_drift_yuan_per_month``): 0 to 10. Zhong
#: et al. 2023 Table 3 puts the slope change of the county hospitals' cost per visit at
#: +2.0 yuan a month after the reform (95 % CI 1.1 to 2.9); 10 is five times that. A fall
#: is not modelled (a negative drift could take a price below zero over a long period).
PriceDrift = Annotated[float, Field(ge=0.0, le=10.0)]
