"""Which years a reform's payment rules settle: its whole calendar years.

A year's global budget is set at its start (seed 002: the fund is allocated to the
consortium "at the beginning of each year"), so a reform that begins within a year
first settles the next one; the year it began in is the reform's baseline, its
spending accounted, neither settled nor scored. Settled on a full year's budget, that
year would read as a large balance the consortium never had (Youxi's reform began in
October 2017: nine of 2017's twelve months were paid by fee for service).

The rule is pure (a month ``YYYY-MM`` in, years out) and lives here, below the
simulator and the demo, so that ``ihms payment settle`` and the simulator's own
settlement (``ihms.sim.regime.first_settled_year`` / ``baseline_year``, the same rule)
can share it. :func:`store_reform` is where a data store says when its reform began:
a store written by the simulator (``ihms sim run``, the demo) records the month and
regime in its metadata's ``producer_details`` (``{"regime": "sanming", "reform":
"2017-10"}``); one written before those were kept is read from its ``source`` text
(``ihms.sim: Youxi county, regime sanming from 2017-10, seed 20170``); a county's own
store says nothing, and the commands then take ``--reform``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ihms.errors import InputError

if TYPE_CHECKING:
    from ihms.data import Store

__all__ = [
    "baseline_year",
    "first_settled_year",
    "reform_month",
    "reform_months_in",
    "store_reform",
]

_MONTH = re.compile(r"(\d{4})-(\d{2})")
#: What the simulator writes into a store's ``source`` (``ihms.sim.run``), read for the
#: reform month of a store written before ``producer_details`` held it.
_SIM_SOURCE = re.compile(r"^ihms\.sim: .*, regime (?P<regime>\S+) from (?P<month>\d{4}-\d{2}),")
#: The regime a simulated county runs before any reform: no reform in its data.
_NO_REFORM = "fee-for-service"


def reform_month(text: str) -> tuple[int, int]:
    """The year and month of a reform month written ``YYYY-MM``.

    Examples
    --------
    >>> reform_month("2017-10")
    (2017, 10)
    """
    m = _MONTH.fullmatch(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"reform month: expected YYYY-MM (e.g. 2017-10), got {text!r}")
    return int(m.group(1)), int(m.group(2))


def first_settled_year(reform: str) -> int:
    """The first whole calendar year under a reform that began in month ``reform``: the
    first year its payment rules settle (the reform's year when it began in January).

    Examples
    --------
    >>> first_settled_year("2017-10"), first_settled_year("2018-01")
    (2018, 2018)
    """
    year, month = reform_month(reform)
    return year if month == 1 else year + 1


def baseline_year(reform: str) -> int | None:
    """The year a reform that began in month ``reform`` ran only part of: its baseline,
    not settled; None for a reform from January.

    Examples
    --------
    >>> baseline_year("2017-10"), baseline_year("2018-01") is None
    (2017, True)
    """
    year, month = reform_month(reform)
    return year if month > 1 else None


def reform_months_in(reform: str, year: int) -> int:
    """How many of ``year``'s twelve months ran under a reform that began in month
    ``reform``: 0 before it, 12 from its first whole year.

    Examples
    --------
    >>> [reform_months_in("2017-10", y) for y in (2016, 2017, 2018)]
    [0, 3, 12]
    """
    start, month = reform_month(reform)
    if year < start:
        return 0
    return 13 - month if year == start else 12


def store_reform(store: Store) -> str | None:
    """The month (``YYYY-MM``) the reform of ``store``'s data began, when the store
    says: a simulated store records it under its ``producer_details`` (``reform``, with
    the ``regime``); one written before they were kept names it in its ``source``
    (:data:`_SIM_SOURCE`, read only then). None for any other store, and for a
    simulation of fee for service throughout (no reform in its data)."""
    info = store.info()
    if info.producer != "ihms.sim":
        return None
    details = info.producer_details
    if "reform" in details:
        regime, month = details.get("regime"), details["reform"]
    else:
        m = _SIM_SOURCE.match(info.source or "")
        if m is None:
            return None
        regime, month = m["regime"], m["month"]
    if regime == _NO_REFORM:
        return None
    try:  # a month the store holds badly written is refused, not guessed
        reform_month(month)
    except InputError:
        raise InputError(
            f"store {store.path}: metadata 'producer_details' key 'reform': expected a "
            f"month YYYY-MM (e.g. 2017-10), got {month!r}"
        ) from None
    return month
