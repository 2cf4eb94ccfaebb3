"""The staff roster for annual salaries: who works where, on which base salary and weight.

Read like the other payment tables (:mod:`ihms.payment.tables`, which re-exports these
names): columns staff_id, role, institution_id, base_salary_fen (or base_salary_yuan, yuan to the
fen; above 0) and an optional weight (default 1) for sharing the incentive pool; every problem is named with its row.
A member at an institution with no consortium spending in the year settled is refused by
:meth:`StaffRoster.check_institutions`, which :func:`~ihms.payment.settlement_inputs` calls.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._repr import brief_repr
from ihms.errors import DataError, InputError, format_location
from ihms.payment._collector import Collector
from ihms.payment._names import ROLE_NAMES, role_code
from ihms.payment._parse import file_row, parse_decimal, read_mapped

if TYPE_CHECKING:
    from ihms.data.column_map import ColumnMap
    from ihms.payment.rules import PaymentRules

__all__ = ["STAFF_COLUMNS", "StaffMember", "StaffRoster"]

#: The staff roster's columns (a money column ``x_fen`` also read as ``x_yuan``).
STAFF_COLUMNS = ("staff_id", "role", "institution_id", "base_salary_fen", "weight")
#: How many member institutions a refusal lists before counting the rest.
_SHOWN = 12


@dataclass(frozen=True)
class StaffMember:
    """One row of the roster.

    Attributes
    ----------
    staff_id, role, institution_id
        Who, on which scorecard (the role names one in the rules; a name such as 医生 is
        read as its card, ``doctor``), and where.
    base_salary_fen
        The base of the annual salary, in fen (≥ 0).
    weight
        Weight in sharing the incentive pool (≥ 0, default 1).
    """

    staff_id: str
    role: str
    institution_id: str
    base_salary_fen: int
    weight: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if self.base_salary_fen < 0:
            raise InputError(f"staff {self.staff_id!r}: base_salary_fen must be >= 0")
        if self.weight < 0:
            raise InputError(f"staff {self.staff_id!r}: weight must be >= 0")
        # a role built by hand is read as the roster's cells and the rules' cards are
        object.__setattr__(self, "role", role_code(self.role))


@dataclass(frozen=True)
class StaffRoster:
    """The staff paid by the annual salary system; read it with :meth:`read` or
    :meth:`from_frame`.

    Attributes
    ----------
    members
        One :class:`StaffMember` per row, in the file's order.
    source
        File name used in messages.
    rows, role_header, institution_header
        Each member's row in the file and the file's headers of ``role`` and
        ``institution_id`` (for messages; empty when built by hand).
    """

    members: tuple[StaffMember, ...]
    source: str = "staff roster"
    rows: tuple[int, ...] = ()
    role_header: str = "role"
    institution_header: str = "institution_id"

    def __repr__(self) -> str:
        # the generated repr printed every member
        return brief_repr(
            self,
            source=self.source,
            staff=len(self.members),
            roles=tuple(sorted({m.role for m in self.members})),
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "staff roster",
        renamed: Mapping[str, str] | None = None,
    ) -> StaffRoster:
        """Validate ``frame``; ``renamed`` as :meth:`SpendingTable.from_frame
        <ihms.payment.SpendingTable.from_frame>` takes it."""
        c = Collector(source, renamed, first_row=file_row(frame, 0))
        c.require_columns(frame, ("staff_id", "role", "institution_id", "base_salary_fen"))
        ids = c.text(frame, "staff_id")
        roles = c.coded(frame, "role", ROLE_NAMES, table="staff")
        inst = c.text(frame, "institution_id")
        base = c.fen(frame, "base_salary_fen")
        # 0 (or a cell of a gap the export filled with 0) would settle a salary factor on
        # nothing and still hand the member a full share of the pool (payment review
        # 2026-11-25, finding 6): refused, naming the column read
        paid = "base_salary_fen" if "base_salary_fen" in frame.columns else "base_salary_yuan"
        for pos, fen in enumerate(base):
            if fen == 0:
                c.add(
                    c.row(pos),
                    paid,
                    "expected a base salary above 0, got 0 (an empty or 0 cell is usually "
                    "a gap in the export: give the member's base salary)",
                )
        weight = c.column(
            frame,
            "weight",
            parse_decimal,
            expected="a number >= 0",
            required=False,
            default=Decimal(1),
            check=lambda v: v >= 0,
        )
        c.duplicates(ids, column="staff_id", describe=repr)
        c.raise_if_any("staff roster")
        return cls(
            tuple(
                StaffMember(ids[i], roles[i], inst[i], base[i], weight[i]) for i in range(len(ids))
            ),
            source,
            tuple(file_row(frame, i) for i in range(len(ids))),
            c.header("role") or "role",
            c.header("institution_id") or "institution_id",
        )

    def check_institutions(self, members: Collection[str], *, year: int, source: str) -> None:
        """Refuse members at an institution that is not a consortium member in ``year``
        (no consortium spending in ``source`` for it), before anything is settled or
        posted: their salaries would be booked to an institution the settlement paid
        nothing, usually a mistyped id (payment review 2026-11-25, finding 6).

        Parameters
        ----------
        members : collection of str
            The consortium's member institutions in ``year`` (those with spending).
        year : int
            The year settled.
        source : str
            The spending table (file or store) the members come from.

        Raises
        ------
        DataError
            One problem per such member: file, row, column ``institution_id``, staff id
            and institution, and the members the year has.
        """
        rows = self.rows or (None,) * len(self.members)
        where = self.institution_header
        problems = [
            f"{format_location(file=self.source, row=row, field=where)}: staff "
            f"{m.staff_id!r} works at {m.institution_id!r}, which has no consortium spending "
            f"in {source} for {year}"
            for m, row in zip(self.members, rows, strict=True)
            if m.institution_id not in members
        ]
        if problems:
            known = sorted(members)
            shown = ", ".join(known[:_SHOWN]) + (
                f", ... ({len(known):,} in all)" if len(known) > _SHOWN else ""
            )
            n = len(problems)
            raise DataError(
                f"{self.source}: {n} staff at an institution that is not a consortium member "
                f"in {year}; expected one of the members with spending in {source}: "
                f"{shown or 'none'} (check the id; staff of other institutions are not "
                "paid from the consortium's pool)",
                problems,
            )

    def check_roles(self, rules: PaymentRules) -> None:
        """Refuse members whose role ``rules`` have no scorecard for (nor a card for
        other roles, ``staff_pay.other_roles``), before anything is computed.

        Parameters
        ----------
        rules : PaymentRules
            Rules paying staff by annual salary (by volume, nothing is checked).

        Raises
        ------
        DataError
            One problem per member: file, row, column ``role``, staff id and role, and
            the cards the rules have.
        """
        pay = rules.staff_pay
        if pay.method != "annual_salary":
            return
        rows = self.rows or (None,) * len(self.members)
        problems = [
            f"{format_location(file=self.source, row=row, field=self.role_header)}: staff "
            f"{m.staff_id!r} has role {m.role!r}, for which rules {rules.name!r} have no "
            f"scorecard (they have {', '.join(pay.scorecards)}; staff_pay.other_roles may "
            "name the card for other roles)"
            for m, row in zip(self.members, rows, strict=True)
            if pay.card_for(m.role) is None
        ]
        if problems:
            n = len(problems)
            raise DataError(
                f"{self.source}: {n} staff with a role rules {rules.name!r} do not card "
                f"(roles {', '.join(sorted({m.role for m in self.members}))} given)",
                problems,
            )

    @classmethod
    def read(cls, path: str | Path, *, columns: ColumnMap | None = None) -> StaffRoster:
        """Read and validate a staff roster (.csv, .xlsx,
        .dta, .sav or .parquet); ``columns``: a column map
        (:func:`ihms.data.read_column_map` with :data:`ihms.payment.TABLE_COLUMNS`) whose
        ``staff`` entries read the file's own headers as the table's columns."""
        frame, renamed = read_mapped(path, "staff", columns)
        return cls.from_frame(frame, source=str(path), renamed=renamed)
