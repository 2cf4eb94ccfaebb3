"""The indicator catalogue and its computation, portable across engines.

* :data:`CATALOGUE` — DHIS2-style definitions (numerator, denominator, factor, unit,
  periods, levels, source table) read from ``catalogue.yaml``,
  ``catalogue_resources.yaml`` (resources per 1,000 residents, tertiary weight),
  ``catalogue_pathway.yaml`` (the referral, pathway and containment indicators) and
  ``catalogue_spending.yaml`` (spending per resident and per insured resident);
  :func:`load_catalogue` reads another.
* :func:`compute` — the catalogue by month or year and by institution, tier,
  consortium, grid, county, city, province or in total, on a :class:`~ihms.data.Store` (DuckDB) or on
  :class:`IndicatorTables` of any Ibis backend (PySpark included).
* :class:`IndicatorResults` — the long result table, with small-cell suppression and
  the indicators left out (:class:`Omission`: an empty or absent table, say).
* :func:`off_pathway_list` — the referrals off the system file's pathway, one row each.
* :func:`yearly_table`, :func:`growth_layout` — results laid out as Zhong et al. 2023 and Jia et
  al. 2021
  print them (growth rates from :mod:`ihms.stats.growth`).
"""

from ihms.indicators._engine import IndicatorTables
from ihms.indicators._sources import DIABETES_CONTROL_MMOL_L, HYPERTENSION_CONTROL_MMHG
from ihms.indicators.catalogue import (
    CATALOGUE,
    LEVELS,
    PERIODS,
    POPULATION_AGGS,
    SOURCES,
    Catalogue,
    Condition,
    Indicator,
    Measure,
    Source,
    load_catalogue,
)
from ihms.indicators.compute import compute, period_keys
from ihms.indicators.off_pathway import off_pathway_list
from ihms.indicators.results import DEFAULT_MIN_CELL, IndicatorResults, Omission
from ihms.indicators.tables import growth_layout, yearly_table

__all__ = [
    "CATALOGUE",
    "DEFAULT_MIN_CELL",
    "DIABETES_CONTROL_MMOL_L",
    "HYPERTENSION_CONTROL_MMHG",
    "LEVELS",
    "PERIODS",
    "POPULATION_AGGS",
    "SOURCES",
    "Catalogue",
    "Condition",
    "Indicator",
    "IndicatorResults",
    "IndicatorTables",
    "Measure",
    "Omission",
    "Source",
    "compute",
    "growth_layout",
    "load_catalogue",
    "off_pathway_list",
    "period_keys",
    "yearly_table",
]
