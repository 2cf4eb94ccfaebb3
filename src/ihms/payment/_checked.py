"""The arguments of the payment functions checked for their kind before any work
(:func:`checked_arguments`)."""

from __future__ import annotations

from ihms._arguments import expect_kind, whole_number
from ihms.payment.rules import PaymentRules
from ihms.payment.tables import IndicatorValues, PopulationTable, SpendingTable, StaffRoster

__all__ = ["checked_arguments"]


#: How each table is made, for the message refusing something else (a path, a DataFrame).
_MADE = "{0}.read(path) or {0}.from_frame(df)"


#: Each table parameter's class (``_parse._TABLE_CLASSES`` names them by table, as text).
_KINDS = {
    "spending": SpendingTable,
    "population": PopulationTable,
    "indicators": IndicatorValues,
    "staff": StaffRoster,
}


def checked_arguments(
    rules: PaymentRules, year: int, *, optional: tuple[str, ...] = (), **tables: object
) -> int:
    """``year`` as an int, once ``rules`` and every table are of their kind: a path or a
    DataFrame given for a table is refused naming how to make it (``parameter 'spending':
    expected a SpendingTable (SpendingTable.read(path) or …), got str``), not left to
    an ``AttributeError``; a year written as text, ``"2018"``, is refused, never compared
    with the table's years as text (:func:`ihms._arguments.whole_number`).

    ``tables`` are given by their parameter's name; those in ``optional`` may be None."""
    expect_kind(rules, PaymentRules, parameter="rules", expected="PaymentRules (load_rules(name))")
    for parameter, value in tables.items():
        if value is None and parameter in optional:
            continue
        name = _KINDS[parameter].__name__
        made = _MADE.format(name)
        expect_kind(value, _KINDS[parameter], parameter=parameter, expected=f"a {name} ({made})")
    return whole_number(year, parameter="year")
