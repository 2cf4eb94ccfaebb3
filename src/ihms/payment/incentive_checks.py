"""Whether the staff incentive shares are of a size a consortium's staff can have: notes,
never refusals (review P #2).

Zhong et al. 2023 give the kept balance's staff share "as the performance of all ICHC medical
staff's salary incentives" — the pool is for the whole consortium's medical staff. The
settlement shares it over the roster it is given, by weight × score
(:func:`~ihms.payment.annual_salaries`), so a roster that is a sample (the examples'
12 people) receives the shares of everyone. Two signs of that are noted:

* the roster lists fewer staff than the headcount the pool is for (when it is given:
  ``ihms payment settle|distribute|scorecard --staff-headcount``), with a head's share of
  the pool beside it; more staff than the headcount is noted too (the headcount is then
  likely wrong);
* an incentive above :data:`INCENTIVE_BASE_MULTIPLE` × the member's base salary — a
  share that more than doubles a year's base pay. The example county's 2018 pool of
  787,671.89 yuan over Youxi's 1,911 health personnel (Zhong et al. 2023, Table 2: 5.28 per 1,000
  of 362,000 residents) is 412.18 yuan a head, under 0.5 % of the lowest base salary
  on its roster (100,000.00 yuan).
"""

from __future__ import annotations

from decimal import Decimal

from ihms.errors import InputError
from ihms.payment._salary_pool import unshared_note
from ihms.payment.money import format_yuan, round_fen, times_shown
from ihms.payment.salary import SalaryLine, SalaryResult
from ihms.sources import ZHONG_2023

__all__ = ["INCENTIVE_BASE_MULTIPLE", "incentive_notes"]

#: An incentive above this many base salaries is noted as implausible.
INCENTIVE_BASE_MULTIPLE = Decimal(1)

#: Members named in a note before "and N more".
_NAMED = 3


def _above(line: SalaryLine) -> str:
    base = line.base_salary_fen
    of = (
        f"on a base salary of {format_yuan(base)} ({times_shown(Decimal(line.incentive_fen) / base, places=2)} ×)"
        if base
        else "on no base salary"
    )
    return f"{line.staff_id} {format_yuan(line.incentive_fen)} yuan {of}"


def incentive_notes(
    salaries: SalaryResult,
    *,
    headcount: int | None = None,
    base_multiple: Decimal = INCENTIVE_BASE_MULTIPLE,
    how_to_give: str = "the headcount the pool is for",
) -> list[str]:
    """Notes on a settlement's incentive shares when the roster looks partial.

    Parameters
    ----------
    salaries : SalaryResult
        The settled year's salaries and incentive shares.
    headcount : int, optional
        How many staff the pool is for (the consortium's medical staff); the roster is
        compared with it.
    base_multiple : Decimal, default :data:`INCENTIVE_BASE_MULTIPLE`
        An incentive above this many times its member's base salary is noted.
    how_to_give : str, default "the headcount the pool is for"
        How a note asks for the headcount when none was given (the CLI names its option).

    Returns
    -------
    list of str
        Empty when the pool is empty or unknown, or nothing looks amiss; a pool no one
        on the roster passes for is said to be left unshared. A roster of
        no staff with a pool and a headcount gets one note (none of the pool shared).

    Raises
    ------
    InputError
        A headcount below 1.
    """
    if headcount is not None and headcount < 1:
        raise InputError(f"headcount: expected a whole number >= 1, got {headcount}")
    pool, listed = salaries.pool_fen, len(salaries.lines)
    if not salaries.settled or not pool:
        return []
    notes: list[str] = []
    head = round_fen(Decimal(pool) / headcount) if headcount else 0
    if headcount is not None and not listed:
        return [
            f"The staff incentive pool of {format_yuan(pool)} yuan is for {headcount:,} staff "
            f"(the headcount given), but the roster lists none: none of it is shared "
            f"({format_yuan(pool)} / {headcount:,} = {format_yuan(head)} yuan a head); "
            "give the roster for the shares staff would receive."
        ]
    passed = [ln.staff_id for ln in salaries.lines if ln.passed]
    unshared = unshared_note(pool, salaries.unshared_fen, listed, passed)
    if unshared is not None:
        notes.append(unshared)
    if headcount is not None and listed < headcount:
        notes.append(
            f"The staff incentive pool of {format_yuan(pool)} yuan is for {headcount:,} staff "
            f"(the headcount given), but the roster lists {listed:,}: shared over the roster "
            f"alone, its shares stand for {times_shown(Decimal(headcount) / listed, places=2)} times as many "
            f"staff ({format_yuan(pool)} / {headcount:,} = {format_yuan(head)} yuan a head); "
            "give the whole roster for the shares staff would receive."
        )
    elif headcount is not None and listed > headcount:
        notes.append(
            f"The roster lists {listed:,} staff, more than the {headcount:,} the staff "
            "incentive pool is said to be for: check the headcount."
        )
    above = [
        ln
        for ln in salaries.lines
        if ln.incentive_fen > base_multiple * ln.base_salary_fen and ln.incentive_fen
    ]
    if above:
        named = "; ".join(_above(ln) for ln in above[:_NAMED])
        more = f"; and {len(above) - _NAMED} more" if len(above) > _NAMED else ""
        why = (
            f"{ZHONG_2023} gives the pool to all the consortium's medical staff, so a roster "
            f"that is a sample receives the shares of all (give {how_to_give} to check "
            "the roster)"
            if headcount is None
            else "the roster is short of the headcount (the note before)"
            if listed < headcount
            else "check the roster and the base salaries"
        )
        notes.append(
            f"Incentive above {base_multiple.normalize():f} × the base salary for {len(above)} of the "
            f"{listed:,} staff: {named}{more}. The pool ({format_yuan(pool)} yuan) is shared "
            f"over the {listed:,} staff on the roster alone; {why}."
        )
    return notes
