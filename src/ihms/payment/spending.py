"""The spending table: residents' insurance-paid spending by year and place of treatment.

**Spending table** (one row per year × place of treatment; money in integer fen):

=====================  ========  ==========================================================
column                 required  meaning
=====================  ========  ==========================================================
``year``               yes       calendar year of the care
``setting``            yes       where residents were treated: ``consortium`` (a member
                                 institution), ``outside_county`` or ``private`` (a private
                                 hospital, paid from the insurer's private-hospital reserve)
``institution_id``     for       the member institution (required for ``consortium`` rows;
                       members   optional label otherwise)
``insurance_paid_fen`` yes       what medical insurance paid for the residents' care, ≥ 0
``total_cost_fen``     no        total cost, ≥ insurance paid
``out_of_pocket_fen``  no        paid by the residents
``encounters``         no        number of encounters
``primary_care``       no        yes for primary-care institutions (THC, CHC, village
                                 clinic); the fee-for-service part of a blended payment.
                                 Read as ``ihms data import`` reads yes/no (true/false,
                                 是/否, 1/0, ...); an empty cell is refused; without the
                                 column no row is primary care
=====================  ========  ==========================================================

One row per year, setting and institution: a second row for the same three (a copied
row, or a file appended twice) is refused, naming both rows, rather than added up; so is
an institution under two settings in one year (a member's row mislabelled ``private``),
naming both rows.
Money and counts are whole numbers written as digits: a fen column holding
``380,000.00`` or ``8177700551.00`` (yuan, or a spreadsheet's number format) is refused.
Money may be given in yuan instead, under ``_yuan`` for ``_fen`` (``insurance_paid_yuan``):
at most two decimal places, converted to fen exactly; a table giving one amount in both
is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._arguments import whole_number
from ihms._column_hints import yuan_name
from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.payment._collector import Collector
from ihms.payment._frozen import INPUTS_HINT, _Frozen
from ihms.payment._names import SETTING_NAMES
from ihms.payment._parse import file_row, read_mapped

if TYPE_CHECKING:
    from ihms.data.column_map import ColumnMap
from ihms.payment.money import format_yuan

__all__ = ["SETTINGS", "SPENDING_COLUMNS", "SpendingTable", "YearSpending"]

#: Where residents were treated.
SETTINGS = ("consortium", "outside_county", "private")

#: The spending table's columns (a money column ``x_fen`` also read as ``x_yuan``).
SPENDING_COLUMNS = (
    "year",
    "setting",
    "institution_id",
    "insurance_paid_fen",
    "total_cost_fen",
    "out_of_pocket_fen",
    "encounters",
    "primary_care",
)


@dataclass(frozen=True)
class YearSpending:
    """Residents' insurance-paid spending in one year, by place of treatment (fen).

    ``consortium`` (institution → fen) is kept as a read-only copy of the mapping given:
    assigning to it raises TypeError, so no amount escapes the check.
    """

    year: int
    consortium: Mapping[str, int]
    outside_county: int = 0
    private: int = 0
    primary_care: int = 0

    def __repr__(self) -> str:
        # a simulated county's consortium mapping names hundreds of village clinics
        return brief_repr(
            self,
            year=self.year,
            institutions=len(self.consortium),
            consortium_fen=self.consortium_total,
            outside_county_fen=self.outside_county,
            private_fen=self.private,
            primary_care_fen=self.primary_care,
        )

    def __post_init__(self) -> None:
        # a read-only copy, checked: no amount escapes the check (nor the input digest)
        consortium = _Frozen(self.consortium, "YearSpending.consortium", INPUTS_HINT)
        object.__setattr__(self, "consortium", consortium)
        for inst, fen in self.consortium.items():
            if fen < 0:
                raise InputError(f"spending {self.year}: institution {inst!r} has {fen} fen < 0")
        for name in ("outside_county", "private", "primary_care"):
            if getattr(self, name) < 0:
                raise InputError(f"spending {self.year}: {name} is negative")
        if self.primary_care > self.consortium_total:
            raise InputError(
                f"spending {self.year}: primary-care spending exceeds the consortium's total"
            )

    @property
    def consortium_total(self) -> int:
        return sum(self.consortium.values())

    def scaled(self, factor: Decimal) -> YearSpending:
        """Every amount × ``factor`` (rounded half up per institution) — a spending path.

        Parameters
        ----------
        factor : Decimal
            A fraction multiplying every amount (``Decimal("0.95")`` for 5% less).
        """
        from ihms.payment.money import apply_rate

        return YearSpending(
            year=self.year,
            consortium={k: apply_rate(v, factor) for k, v in self.consortium.items()},
            outside_county=apply_rate(self.outside_county, factor),
            private=apply_rate(self.private, factor),
            primary_care=min(
                apply_rate(self.primary_care, factor),
                sum(apply_rate(v, factor) for v in self.consortium.values()),
            ),
        )


def read_places(c: Collector, frame: pd.DataFrame) -> tuple[list, list]:
    """The ``setting`` (its Chinese names read as codes) and ``institution_id`` columns
    of a spending table, yearly or monthly (:mod:`ihms.payment.monthly_spending`)."""
    settings = c.coded(frame, "setting", SETTING_NAMES, table="spending", allowed=SETTINGS)
    inst = c.column(
        frame,
        "institution_id",
        lambda v: str(v).strip(),
        expected="an id",
        required=False,
        default="",
    )
    return settings, inst


def member_named(c: Collector, pos: int, setting: str | None, institution: str) -> None:
    """A spending table's row at ``pos`` (yearly or monthly): a consortium row must name
    its member institution, else a problem for its ``institution_id``. Called row by row,
    so each row's problems stay together in the order the table lists them."""
    if setting == "consortium" and not institution:
        c.add(
            c.row(pos),
            "institution_id",
            "expected the member institution's id for a consortium row",
        )


def one_setting_a_year(c: Collector, years: list, settings: list, inst: list) -> None:
    """A problem for each row giving an institution another setting than its first row
    of the year did (yearly or monthly table; ``years`` one per row, None where unread).
    A member's spending under ``private`` or ``outside_county`` is a mislabelled row far
    more often than a change of status, and read so it leaves the consortium's spending
    and changes its balance (payment review 2026-11-25, finding 3); rows without an id
    are not compared."""
    first: dict[tuple[int, str], tuple[str, int]] = {}
    for pos, (year, setting, place) in enumerate(zip(years, settings, inst, strict=True)):
        if year is None or setting is None or not place:
            continue
        was, at = first.setdefault((year, place), (setting, pos))
        if was != setting:
            c.add(
                c.row(pos),
                "setting",
                f"institution {place!r} is under {setting} here but under {was} on row "
                f"{c.row(at):,} in {year}; expected one setting for an institution in a year "
                "(check which row is mislabelled)",
            )


@dataclass(frozen=True, eq=False)
class SpendingTable:
    """A validated spending table (see the module docstring for the columns)."""

    frame: pd.DataFrame
    source: str = "spending table"
    #: The header the insurance-paid amounts were read from (``insurance_paid_yuan``,
    #: or the file's own under a column map), named by the plausibility warning.
    paid_column: str = "insurance_paid_fen"
    #: Whether that column holds yuan (``insurance_paid_yuan``) rather than fen.
    paid_in_yuan: bool = False

    def __repr__(self) -> str:
        # the generated repr printed the whole frame
        members = self.frame.loc[self.frame["setting"] == "consortium", "institution_id"]
        return brief_repr(
            self,
            source=self.source,
            rows=len(self.frame),
            years=tuple(self.years),
            institutions=members.nunique(),
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "spending table",
        renamed: Mapping[str, str] | None = None,
    ) -> SpendingTable:
        """Validate ``frame`` (never modified) and keep a normalised copy; ``renamed``:
        its columns a column map renamed → the file's headers, named in the problems.

        Raises
        ------
        DataError
            Listing every bad cell with its row and column.
        """
        c = Collector(source, renamed, first_row=file_row(frame, 0))
        c.require_columns(frame, ("year", "setting", "insurance_paid_fen"))
        years = c.year(frame)
        settings, inst = read_places(c, frame)
        paid = c.fen(frame, "insurance_paid_fen")
        # each amount is answered in the unit of its own column, under the paid column
        in_yuan = "insurance_paid_fen" not in frame.columns
        paid_column = yuan_name("insurance_paid_fen") if in_yuan else "insurance_paid_fen"

        def shown(fen: int, yuan: bool) -> str:
            return f"{format_yuan(fen)} yuan" if yuan else f"{fen} fen"

        total = c.fen(frame, "total_cost_fen", required=False)
        oop = c.fen(frame, "out_of_pocket_fen", required=False)
        enc = c.count(frame, "encounters", required=False)
        primary = c.yes_no(frame, "primary_care", default=False, empty_is_unknown=False)
        c.duplicates(
            [None if None in k else k for k in zip(years, settings, inst, strict=True)],
            column="institution_id",
            describe=lambda k: f"{k[1]} {k[2] or '(no id)'} in {k[0]}",
            hint="; give one row per year, setting and institution",
        )
        one_setting_a_year(c, years, settings, inst)
        for pos in range(len(frame)):
            row = c.row(pos)
            member_named(c, pos, settings[pos], inst[pos])  # first, as the monthly table
            if total[pos] is not None and paid[pos] is not None and paid[pos] > total[pos]:
                c.add(
                    row,
                    paid_column,
                    f"insurance paid {shown(paid[pos], in_yuan)} exceeds total cost "
                    f"{shown(total[pos], 'total_cost_fen' not in frame.columns)}",
                )
            if primary[pos] and settings[pos] not in (None, "consortium"):
                c.add(row, "primary_care", "only consortium rows can be primary care")
        c.raise_if_any("spending table")
        norm = pd.DataFrame(
            {
                "year": years,
                "setting": settings,
                "institution_id": inst,
                "insurance_paid_fen": paid,
                "total_cost_fen": total,
                "out_of_pocket_fen": oop,
                "encounters": enc,
                "primary_care": [bool(p) for p in primary],
            },
            columns=list(SPENDING_COLUMNS),
        )
        return cls(
            norm, source, paid_column=c.header(paid_column) or paid_column, paid_in_yuan=in_yuan
        )

    @classmethod
    def read(cls, path: str | Path, *, columns: ColumnMap | None = None) -> SpendingTable:
        """Read and validate a spending table (.csv, .xlsx,
        .dta, .sav or .parquet); ``columns``: a column map
        (:func:`ihms.data.read_column_map` with :data:`ihms.payment.TABLE_COLUMNS`) whose
        ``spending`` entries read the file's own headers as the table's columns."""
        frame, renamed = read_mapped(path, "spending", columns)
        return cls.from_frame(frame, source=str(path), renamed=renamed)

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.frame["year"]})

    def for_year(self, year: int) -> YearSpending:
        """The year's spending by institution, summed by setting.

        Parameters
        ----------
        year : int
            The calendar year.

        Raises
        ------
        InputError
            If the table has no rows for ``year``.
        """
        year = whole_number(year, parameter="year")
        rows = self.frame[self.frame["year"] == year]
        if rows.empty:
            have = ", ".join(map(str, self.years)) or "none"
            raise InputError(f"{self.source}: no spending data for {year} (years present: {have})")
        cons = rows[rows["setting"] == "consortium"]
        by_inst: dict[str, int] = {}
        for inst, fen in zip(cons["institution_id"], cons["insurance_paid_fen"], strict=True):
            by_inst[inst] = by_inst.get(inst, 0) + int(fen)
        return YearSpending(
            year=year,
            consortium=dict(sorted(by_inst.items())),
            outside_county=int(
                rows.loc[rows["setting"] == "outside_county", "insurance_paid_fen"].sum()
            ),
            private=int(rows.loc[rows["setting"] == "private", "insurance_paid_fen"].sum()),
            primary_care=int(cons.loc[cons["primary_care"], "insurance_paid_fen"].sum()),
        )

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()
