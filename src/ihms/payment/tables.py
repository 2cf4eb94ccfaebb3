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

Each module's docstring lists its columns and what is refused. A file with its own
headers is read through a column map (``read(path, columns=...)``; ``--columns MAP``),
whose tables are those of :data:`TABLE_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ihms.payment.indicator_values import (
    FUND_BALANCE_RATE,
    INDICATOR_COLUMNS,
    IndicatorValues,
    is_rate,
)
from ihms.payment.population import POPULATION_COLUMNS, CountyYear, PopulationTable
from ihms.payment.spending import SETTINGS, SPENDING_COLUMNS, SpendingTable, YearSpending
from ihms.payment.staff import STAFF_COLUMNS, StaffMember, StaffRoster

__all__ = [
    "FUND_BALANCE_RATE",
    "SETTINGS",
    "TABLE_COLUMNS",
    "CountyYear",
    "IndicatorValues",
    "PopulationTable",
    "SpendingTable",
    "StaffMember",
    "StaffRoster",
    "YearSpending",
    "is_rate",
]

#: The payment tables a column map names (``spending:``, as the options ``--spending``,
#: ``--population``, ``--indicators`` and ``--staff``) and the columns each reads: what a
#: map's entries may target (:func:`ihms.data.read_column_map`'s ``tables``; a money
#: column ``x_fen`` also as ``x_yuan``).
TABLE_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "spending": SPENDING_COLUMNS,
        "population": POPULATION_COLUMNS,
        "indicators": INDICATOR_COLUMNS,
        "staff": STAFF_COLUMNS,
    }
)
