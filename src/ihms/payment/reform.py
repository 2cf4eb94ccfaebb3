"""Which years a reform's payment rules settle: its whole calendar years.

A year's global budget is set at its start (Zhong et al. 2023: the fund is allocated to the
consortium "at the beginning of each year"), so a reform that begins within a year
first settles the next one; the year it began in is the reform's baseline, its
spending accounted, neither settled nor scored. Settled on a full year's budget, that
year would read as a large balance the consortium never had (Youxi's reform began in
October 2017: nine of 2017's twelve months were paid by fee for service).

The rule is pure (a month ``YYYY-MM`` in, years out) and lives here, below the
simulator and the demo, so that ``ihms payment settle`` and the simulator's own
settlement (``ihms.sim.regime.first_settled_year`` / ``baseline_year``, the same rule)
can share it. :func:`store_reform` is where a data store says when its reform began:
a store written by the simulator (``ihms sim run``, the demo) records the regime, the
config's baseline regime and, for a reform (:func:`is_reform`: any regime but the
baseline), its month in its metadata's ``producer_details`` (``{"regime": "sanming",
"baseline_regime": "fee-for-service", "reform": "2017-10"}``); one written before those
were kept is read from its ``source`` text
(``ihms.sim: Youxi county, regime sanming from 2017-10, seed 20170``); a county's own
store says nothing, and the commands then take ``--reform``.
"""

from __future__ import annotations

import calendar
import re
from typing import TYPE_CHECKING

from ihms.errors import InputError

if TYPE_CHECKING:
    from ihms.data import Store

__all__ = [
    "SIM_PRODUCER",
    "baseline_year",
    "first_settled_year",
    "is_reform",
    "month_words",
    "month_zh",
    "reform_month",
    "reform_months_in",
    "run_details",
    "store_reform",
]

#: The producer a simulated store names (``ihms.sim.resources.PRODUCER`` is this one:
#: kept here because the simulator imports payment, never the reverse).
SIM_PRODUCER = "ihms.sim"

#: What the simulator writes into a store's ``source`` (``ihms.sim.run``), read for the
#: reform month of a store written before ``producer_details`` held it.
_SIM_SOURCE = re.compile(r"^ihms\.sim: .*, regime (?P<regime>\S+) from (?P<month>\d{4}-\d{2}),")
#: The baseline regime of a store written before ``producer_details`` recorded one (the
#: config's default ``baseline_regime``).
_OLD_BASELINE = "fee-for-service"


def reform_month(text: str) -> tuple[int, int]:
    """The year and month of a reform month written ``YYYY-MM``.

    Examples
    --------
    >>> reform_month("2017-10")
    (2017, 10)
    """
    from ihms.payment._month_text import read_month

    try:
        return read_month(text)
    except ValueError as exc:
        raise InputError(f"reform month: {exc}") from None


def month_words(month: str, *, year: bool = True) -> str:
    """A month ``YYYY-MM`` in words (English month names), with its year or without.

    Examples
    --------
    >>> month_words("2017-10"), month_words("2017-10", year=False)
    ('October 2017', 'October')
    """
    y, m = reform_month(month)
    return f"{calendar.month_name[m]} {y}" if year else calendar.month_name[m]


def month_zh(month: str, *, year: bool = True) -> str:
    """:func:`month_words` in Chinese, a space between the digits and 年 and 月 as ihms's
    Chinese spaces figures: the one Chinese month of the simulator and the demo.

    Examples
    --------
    >>> month_zh("2017-10"), month_zh("2018-07"), month_zh("2017-10", year=False)
    ('2017 年 10 月', '2018 年 7 月', '10 月')
    """
    y, m = reform_month(month)
    return f"{y} 年 {m} 月" if year else f"{m} 月"


def is_reform(regime: str, baseline_regime: str) -> bool:
    """Whether a run of ``regime`` is a reform: any regime but the config's
    ``baseline_regime`` (the one rule the simulator, the demo and
    :func:`store_reform` ask).

    Examples
    --------
    >>> is_reform("sanming", "fee-for-service"), is_reform("other-areas", "other-areas")
    (True, False)
    """
    return regime != baseline_regime


def run_details(regime: str, baseline_regime: str, reform: str) -> dict[str, str]:
    """What a simulated store records of its run (its ``producer_details``): the
    ``regime``, the ``baseline_regime`` and, only when the run is a reform
    (:func:`is_reform`), the ``reform`` month."""
    details = {"regime": regime, "baseline_regime": baseline_regime}
    if is_reform(regime, baseline_regime):
        details["reform"] = reform
    return details


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
    says: a simulated store records it under its ``producer_details`` (:func:`run_details`:
    ``reform`` present only when the run is one). A store written before the baseline
    regime was recorded holds ``regime`` and ``reform`` always, or names them only in its
    ``source`` (:data:`_SIM_SOURCE`); its baseline was fee for service. None for any other
    store, and for a run of its baseline regime (no reform in its data)."""
    info = store.info()
    if info.producer != SIM_PRODUCER:
        return None
    details = info.producer_details
    if "baseline_regime" in details:
        month = details.get("reform")
        if month is None:
            return None
    else:
        if "reform" in details:
            regime, month = details.get("regime"), details["reform"]
        else:
            m = _SIM_SOURCE.match(info.source or "")
            if m is None:
                return None
            regime, month = m["regime"], m["month"]
        if not is_reform(str(regime), _OLD_BASELINE):
            return None
    try:  # a month the store holds badly written is refused, not guessed
        reform_month(month)
    except InputError:
        raise InputError(
            f"store {store.path}: metadata 'producer_details' key 'reform': expected a "
            f"month YYYY-MM (e.g. 2017-10), got {month!r}"
        ) from None
    return month
