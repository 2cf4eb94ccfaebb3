"""The input tables a settlement reads, each validated as a whole before use.

One module per table, re-exported here (and from :mod:`ihms.payment`):

- :mod:`ihms.payment.spending`: the **spending table**, one row per year × place of
  treatment (a member institution, outside the county, a private hospital), money in
  integer fen;
- :mod:`ihms.payment.population`: the **population table**, one row per year (insured
  residents, family-physician registrations, an MSSP-style benchmark and quality facts);
- :mod:`ihms.payment.indicator_values`: **indicator values** for the scorecards, in long
  format (year, subject, indicator, value), rates told from counts by their id;
- :mod:`ihms.payment.staff`: the **staff roster** for annual salaries.

Each module's docstring lists its columns and what is refused.
"""

from __future__ import annotations

from ihms.payment.indicator_values import FUND_BALANCE_RATE, IndicatorValues, is_rate
from ihms.payment.population import CountyYear, PopulationTable
from ihms.payment.spending import SETTINGS, SpendingTable, YearSpending
from ihms.payment.staff import StaffMember, StaffRoster

__all__ = [
    "FUND_BALANCE_RATE",
    "SETTINGS",
    "CountyYear",
    "IndicatorValues",
    "PopulationTable",
    "SpendingTable",
    "StaffMember",
    "StaffRoster",
    "YearSpending",
    "is_rate",
]
