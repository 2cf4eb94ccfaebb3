"""Bounded number types of the simulation config (:mod:`ihms.sim.config`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = ["NonNegative", "Positive", "Share", "YearlyGrowth"]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]

#: A secular trend per year (``illness.trend_per_year``, ``healthcare.growth_per_year``):
#: above -100 % and at most +50 % a year. It bounds the constant rate compounded over the
#: whole run, ``(1 + trend) ** years``, not one year's change: the reform's step comes
#: from ``promotion.healthcare_effect`` on top. The fastest growth Zhong et al. 2023
#: report for Youxi, healthcare visits 134.2 -> 254.6 (10,000s, 2016-2019, Table 4), is
#: 24 % a year on average (23.8 %, geometric); the single year 2016 -> 2017 is +50.7 %
#: (202.3), but 2018 falls back to 190.6, so no secular trend near +50 % fits the
#: series. +50 % is twice the average, the tuning's own upper bound for healthcare
#: growth, and keeps the heaviest monthly means of a four-year period (illness episodes
#: about 2.3, preventive visits about 5.8) where a count above the simulator's cap of 15
#: a month has a probability below 1e-3 (a run that still reaches the cap says so).
YearlyGrowth = Annotated[float, Field(gt=-1.0, le=0.5)]
