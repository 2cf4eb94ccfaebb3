"""What a table's missing required column was probably given as: the one hint that
``ihms data import``/``data check`` (:mod:`ihms.data._table_coerce`) and the payment
tables (:mod:`ihms.payment._parse`) give, so a column named differently is one problem
("missing required column 'date' — did you mean 'visit_date'?"), not two.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ihms._width import written_alike_key

__all__ = [
    "amount_forms",
    "both_units",
    "fen_name",
    "fen_stem",
    "missing_column_hints",
    "unit_hint",
    "unitless_beside",
    "yuan_name",
]

#: How alike (:class:`difflib.SequenceMatcher` ratio) an unknown column's name must be
#: to a missing one's to be named for it, when neither name's words hold the other's.
CUTOFF = 0.6


#: The suffix of an amount column in whole fen (``total_cost_fen``); the same amount in
#: yuan is named with :data:`YUAN` instead (``total_cost_yuan``).
FEN = "_fen"
YUAN = "_yuan"


def fen_stem(name: str) -> str | None:
    """The amount an amount column in fen names, without its unit: ``x`` for ``x_fen``;
    None for a column not in fen.

    >>> fen_stem("out_of_pocket_fen"), fen_stem("year")
    ('out_of_pocket', None)
    """
    return name[: -len(FEN)] if name.endswith(FEN) else None


def fen_name(stem: str) -> str:
    """The column giving amount ``stem`` in whole fen: ``x_fen``.

    >>> fen_name("out_of_pocket")
    'out_of_pocket_fen'
    """
    return f"{stem}{FEN}"


def yuan_name(name: str) -> str | None:
    """The column giving fen column ``x_fen``'s amounts in yuan: ``x_yuan``; None for a
    column not in fen.

    >>> yuan_name("base_salary_fen"), yuan_name("year")
    ('base_salary_yuan', None)
    """
    stem = fen_stem(name)
    return None if stem is None else f"{stem}{YUAN}"


def amount_forms(amount: str) -> str:
    """The two names an amount column ``x_fen`` can be given under.

    >>> amount_forms("base_salary_fen")
    "in fen as 'base_salary_fen' or in yuan as 'base_salary_yuan'"
    """
    in_fen = fen_name(fen_stem(amount) or amount)
    return f"in fen as '{in_fen}' or in yuan as '{yuan_name(in_fen)}'"


def unit_hint(given: str, amount: str) -> str:
    """`` — 'x' has no unit: give it in fen as 'x_fen' or in yuan as 'x_yuan'``."""
    return f" — '{given}' has no unit: give it {amount_forms(amount)}"


def _either_unit(amount: str) -> str:
    return f"('{amount}' in whole fen or '{yuan_name(amount)}' in yuan)"


def both_units(amount: str) -> str:
    """The problem of a table giving amount column ``x_fen`` in fen and in yuan: which
    one is right cannot be told.

    >>> both_units("total_cost_fen")  # doctest: +NORMALIZE_WHITESPACE
    "columns 'total_cost_fen' and 'total_cost_yuan' both give the same amount; keep one
    ('total_cost_fen' in whole fen or 'total_cost_yuan' in yuan)"
    """
    return (
        f"columns '{amount}' and '{yuan_name(amount)}' both give the same amount; keep one "
        f"{_either_unit(amount)}"
    )


def unitless_beside(given: str, with_unit: str) -> str:
    """The problem of a table giving an amount without its unit (``given``, ``x``) beside
    the same amount with one (``with_unit``, ``x_fen`` or ``x_yuan``): as :func:`both_units`,
    which one is right cannot be told.

    >>> unitless_beside("out_of_pocket", "out_of_pocket_fen")  # doctest: +NORMALIZE_WHITESPACE
    "columns 'out_of_pocket' and 'out_of_pocket_fen' both give the same amount,
    'out_of_pocket' without its unit; keep one, with its unit ('out_of_pocket_fen' in whole
    fen or 'out_of_pocket_yuan' in yuan)"
    """
    return (
        f"columns '{given}' and '{with_unit}' both give the same amount, '{given}' without "
        f"its unit; keep one, with its unit {_either_unit(fen_name(given))}"
    )


def _is_unitless(given: str, missing: str) -> bool:
    """Whether ``given`` is amount column ``missing`` (``x_fen``) without its unit, the
    names written alike (``Base_Salary`` for ``base_salary_fen``)."""
    stem = fen_stem(missing)
    return stem is not None and written_alike_key(given) == written_alike_key(stem)


def _closeness(given: str, missing: str) -> float:
    """1 for the same name written differently or an amount without its unit; else how
    alike the names are, or 0 when not close enough to name."""
    if written_alike_key(given) == written_alike_key(missing):
        return 1.0
    if _is_unitless(given, missing):
        return 1.0
    a, b = given.lower(), missing.lower()
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(a.split("_")) - {""}, set(b.split("_")) - {""}
    # 'visit_date' for 'date' (ratio 0.57): one name's words are all in the other
    if words_a and words_b and (words_a <= words_b or words_b <= words_a):
        return max(ratio, CUTOFF)
    return ratio if ratio >= CUTOFF else 0.0


def missing_column_hints(
    missing: Iterable[str], unknown: Iterable[str]
) -> dict[str, tuple[str, str]]:
    """``{missing column: (unknown column, hint)}``: each missing required column paired
    with the nearest column given that the table does not know, when close enough, each
    column used once (the closest pairs first).

    The hint follows the missing column's name: `` — did you mean 'visit_date'?``, or for
    an amount given without its unit (``base_salary`` for ``base_salary_fen``) the two
    names it can be given under (:func:`amount_forms`).

    >>> missing_column_hints(["date", "institution_id"], ["visit_date", "remarks"])
    {'date': ('visit_date', " — did you mean 'visit_date'?")}
    >>> missing_column_hints(["base_salary_fen"], ["base_salary"])["base_salary_fen"][1]
    " — 'base_salary' has no unit: give it in fen as 'base_salary_fen' or in yuan as 'base_salary_yuan'"
    """
    missing, unknown = list(missing), list(unknown)
    pairs = sorted(
        ((_closeness(u, m), i, j) for i, m in enumerate(missing) for j, u in enumerate(unknown)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    out: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    for score, i, j in pairs:
        m, u = missing[i], unknown[j]
        if score <= 0 or m in out or u in used:
            continue
        out[m] = (u, unit_hint(u, m) if _is_unitless(u, m) else f" — did you mean '{u}'?")
        used.add(u)
    return out
