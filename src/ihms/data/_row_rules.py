"""The domain rules that a single row breaks by itself, written once for both readers:
:mod:`ihms.data.validate` evaluates them on the pandas frames of an import, and
:mod:`ihms.indicators._parquet_checks` as queries of the engine (DuckDB, PySpark) on a
Parquet folder. Each rule's test uses only what a pandas ``DataFrame`` and an Ibis table
both offer (``t["col"]``, comparisons, ``&``, ``|``, ``~``, ``isnull``, ``notnull``,
``isin``), so the rule is the same text on both; a null compares as unknown, which
each reader counts as passing (``fillna(False)``, ``fill_null(False)``).

The rules that need another table (an institution's active years, a resident's
presence, the claims of an encounter summed) stay in :mod:`ihms.data.validate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ihms.data._tables import ENCOUNTER_TYPES

__all__ = ["ROW_RULES", "Bounds", "RowRule", "row_rule", "rules_of"]


@dataclass(frozen=True)
class Bounds:
    """The period as the reader compares dates with it: ``start`` and ``end`` as the
    frame's dates are (``pd.Timestamp`` for pandas, ``datetime.date`` for an engine),
    ``years`` the period's calendar years."""

    start: Any
    end: Any
    years: tuple[int, ...]
    text: str  # the period as messages write it


@dataclass(frozen=True)
class RowRule:
    """One rule: ``failing(t, bounds)`` is true on the rows breaking it.

    Attributes
    ----------
    table, column
        The table and the column a message names.
    summary
        What fails, as a count of rows says it (``{period}``: the period).
    failing
        The test, on a pandas frame or an Ibis table.
    shows
        The columns whose values a message shows beside the summary.
    """

    table: str
    column: str
    summary: str
    failing: Callable[[Any, Bounds], Any]
    shows: tuple[str, ...] = ()

    def says(self, bounds: Bounds) -> str:
        return self.summary.format(period=bounds.text)


def _outside(column: str) -> Callable[[Any, Bounds], Any]:
    return lambda t, b: (t[column] < b.start) | (t[column] > b.end)


def _in_period(table: str, column: str = "date") -> RowRule:
    return RowRule(
        table,
        column,
        f"'{column}' falls outside the period {{period}}",
        _outside(column),
        (column,),
    )


def _inpatient(t):
    return t["type"] == "inpatient"


_MONEY = ("insurance_paid_fen", "out_of_pocket_fen", "total_cost_fen")


def _amounts_read(t, *columns: str):
    """Rows whose amounts are all ≥ 0: a negative one is refused by its column's minimum
    already, so the sums' rules do not refuse it again as a consequence."""
    ok = t[columns[0]] >= 0
    for c in columns[1:]:
        ok = ok & (t[c] >= 0)
    return ok


ROW_RULES: tuple[RowRule, ...] = (
    RowRule(
        "residents",
        "exit_date",
        "exit_date is not after entry_date",
        lambda t, b: t["exit_date"] <= t["entry_date"],
        ("exit_date", "entry_date"),
    ),
    RowRule(
        "residents",
        "entry_date",
        "entry_date is after the period ends",
        lambda t, b: t["entry_date"] > b.end,
        ("entry_date",),
    ),
    RowRule(
        "residents",
        "birth_year",
        "birth_year is after the period ends",
        lambda t, b: t["birth_year"] > max(b.years),
        ("birth_year",),
    ),
    _in_period("encounters"),
    RowRule(
        "encounters",
        "insurance_paid_fen",
        "insurance paid exceeds the total cost",
        lambda t, b: (
            (t["insurance_paid_fen"] > t["total_cost_fen"])
            & _amounts_read(t, "insurance_paid_fen", "total_cost_fen")
        ),
        ("insurance_paid_fen", "total_cost_fen"),
    ),
    RowRule(
        "encounters",
        "out_of_pocket_fen",
        "insurance plus out-of-pocket exceed the total cost",
        lambda t, b: (
            (t["insurance_paid_fen"] + t["out_of_pocket_fen"] > t["total_cost_fen"])
            & ~(t["insurance_paid_fen"] > t["total_cost_fen"])
            & _amounts_read(t, *_MONEY)
        ),
        _MONEY,
    ),
    RowRule(
        "encounters",
        "length_of_stay_days",
        "an inpatient stay has no length of stay",
        lambda t, b: _inpatient(t) & t["length_of_stay_days"].isnull(),
    ),
    RowRule(
        "encounters",
        "length_of_stay_days",
        "a non-inpatient encounter has a length of stay",
        # a type the vocabulary refused is told once, by its own problem (review D, LOW 8)
        lambda t, b: (
            ~_inpatient(t) & t["type"].isin(ENCOUNTER_TYPES) & t["length_of_stay_days"].notnull()
        ),
        ("type", "length_of_stay_days"),
    ),
    RowRule(
        "encounters",
        "referred_from_id",
        "the referring institution is the treating one",
        lambda t, b: t["referred_from_id"] == t["institution_id"],
        ("referred_from_id",),
    ),
    _in_period("followups"),
    RowRule(
        "followups",
        "diastolic_mmhg",
        "only one of systolic / diastolic is given",
        lambda t, b: t["systolic_mmhg"].isnull() != t["diastolic_mmhg"].isnull(),
        ("systolic_mmhg", "diastolic_mmhg"),
    ),
    RowRule(
        "followups",
        "systolic_mmhg",
        "systolic is not above diastolic",
        lambda t, b: t["systolic_mmhg"] <= t["diastolic_mmhg"],
        ("systolic_mmhg", "diastolic_mmhg"),
    ),
    _in_period("referrals"),
    RowRule(
        "referrals",
        "to_institution_id",
        "a referral goes back to the referring institution",
        lambda t, b: t["from_institution_id"] == t["to_institution_id"],
        ("to_institution_id",),
    ),
    RowRule(
        "resources",
        "year",
        "the year lies outside the period",
        lambda t, b: ~t["year"].isin(b.years),
        ("year",),
    ),
    RowRule(
        "resources",
        "consultation_income_fen",
        "consultation_income_fen exceeds medical_income_fen",
        lambda t, b: t["consultation_income_fen"] > t["medical_income_fen"],
        ("consultation_income_fen", "medical_income_fen"),
    ),
    RowRule(
        "resources",
        "personnel_cost_fen",
        "personnel_cost_fen exceeds expense_fen",
        lambda t, b: t["personnel_cost_fen"] > t["expense_fen"],
        ("personnel_cost_fen", "expense_fen"),
    ),
    _in_period("staff_activities"),
)


def rules_of(table: str) -> tuple[RowRule, ...]:
    """The rules of ``table``, in :data:`ROW_RULES`' order."""
    return tuple(r for r in ROW_RULES if r.table == table)


def row_rule(table: str, column: str, summary_start: str = "") -> RowRule:
    """The one rule of ``table`` naming ``column`` (whose summary starts so)."""
    (found,) = (
        r
        for r in ROW_RULES
        if r.table == table and r.column == column and r.summary.startswith(summary_start)
    )
    return found
