"""``--reform`` and ``--part-year`` of ``ihms payment settle|distribute``: a year the
reform covered only in part (:mod:`ihms.payment.reform`) is refused unless asked for,
then settled with a warning in the output."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import note
from ihms.errors import InputError

ReformOpt = Annotated[
    str | None,
    typer.Option(
        "--reform",
        help="The month the payment reform began, 2017-10 or 2017年10月 (default: the one a simulated "
        "--store names); a year it covered only in part is then refused, unless --part-year.",
    ),
]
PartYearOpt = Annotated[
    bool,
    typer.Option(
        "--part-year",
        help="Settle a year the reform covered only in part (its baseline year) anyway, on "
        "a full year's budget, with a warning.",
    ),
]


def known_reform(reform: str | None, store: Path | None) -> tuple[str, str] | None:
    """The reform month and where it was read (``--reform``, else a simulated store's
    own), checked; None when neither says."""
    from ihms.payment.reform import store_reform

    if reform is not None:
        from ihms.errors import ConfigError
        from ihms.sim.config import month_text

        try:  # the months `ihms sim --reform` and `ihms its` read: 2017-10, 2017年10月 ...
            reform = month_text(reform, name="--reform")
        except ConfigError as error:
            raise InputError(str(error)) from None
        return reform, "as --reform says"
    if store is None:
        return None
    from ihms.cli._payment_tables import _open_store

    with _open_store(store) as opened:
        month = store_reform(opened)
    return None if month is None else (month, f"as the store {store} records")


def part_year_check(year: int, known: tuple[str, str] | None, part_year: bool) -> str | None:
    """Refuse ``year`` when the reform of ``known`` covered it only in part, unless
    ``part_year``; then the warning to print and record. None for any other year, and
    when no reform month is known (settled as before)."""
    from ihms.payment.reform import (
        baseline_year,
        first_settled_year,
        month_words,
        reform_months_in,
    )

    if known is None:
        if part_year:
            note("--part-year: no reform month is known (give --reform YYYY-MM); settled as given")
        return None
    month, said = known
    if baseline_year(month) != year:
        return None
    began = f"{month_words(month)} ({month}, {said})"
    months = reform_months_in(month, year)
    first = first_settled_year(month)
    if not part_year:
        raise InputError(
            f"--year {year}: the reform began in {began}, so it covered only {months} of "
            f"{year}'s 12 months: {year} is its baseline year, not settled on a full year's "
            f"budget; the first whole year under the reform is {first}. Settle {first} or "
            f"later, or give --part-year to settle {year} anyway."
        )
    return (
        f"{year} settled with --part-year: the reform began in {began} and covered only "
        f"{months} of its 12 months, but the budget is a full year's, as if the reform "
        f"had run all year; the first whole year under it is {first}."
    )


def with_part_year_note(record, warning: str | None):
    """``record`` with ``warning`` among its notes (printed on stderr too)."""
    if warning is None:
        return record
    note(warning)
    return replace(record, notes=(*record.notes, warning))
