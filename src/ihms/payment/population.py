"""The population table: the facts of each year a budget and a settlement need.

**Population table** (one row per year): ``year``, ``insured_population`` (> 0: a
county without insured residents has no budget to settle), and
optionally ``resident_population`` (the county's resident, total, population: > 0 and
at least ``insured_population``; read by a population-based budget whose rules say
``budget.population: residents``, as Zhong et al. 2023 word Sanming's), ``family_physician_registered`` (residents registered with a family
physician; left empty when unknown, and then a rule set paying a family-physician fee
refuses to settle rather than pay for nobody), ``family_physician_institution`` (the
institution holding the contracts a row's ``family_physician_registered`` counts: a
year may then have one row per institution, the year's other cells repeated on each
and equal, and a row with the cell empty for members whose institution is not known;
the fee is then posted to each institution), ``benchmark_per_capita_fen`` (a benchmark given by the payer, MSSP-style;
or ``benchmark_per_capita_yuan``, yuan to the fen),
``quality_score`` (0–1: ``0.92`` or ``92%``, as ``--quality-score``), ``quality_standard_met`` and ``alternative_quality_standard_met``
(true/false, as the payer determined them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._arguments import whole_number
from ihms._repr import brief_repr
from ihms.errors import InputError, format_location
from ihms.payment._collector import Collector
from ihms.payment._parse import (
    SCORE_EXPECTED,
    file_row,
    parse_score,
    read_mapped,
    score_hint,
)
from ihms.payment.registrations import Registrations

if TYPE_CHECKING:
    from ihms.data.column_map import ColumnMap

__all__ = ["POPULATION_COLUMNS", "CountyYear", "PopulationTable"]

#: The population table's columns (a money column ``x_fen`` also read as ``x_yuan``).
POPULATION_COLUMNS = (
    "year",
    "insured_population",
    "resident_population",
    "family_physician_registered",
    "family_physician_institution",
    "benchmark_per_capita_fen",
    "quality_score",
    "quality_standard_met",
    "alternative_quality_standard_met",
)

#: The optional column naming the institution (township health centre, clinic) holding
#: the contracts a row's ``family_physician_registered`` counts.
FP_INSTITUTION = "family_physician_institution"

#: What a resident_population cell must hold.
RESIDENTS_EXPECTED = "a whole number > 0, at least insured_population"


def _cell_text(value: object) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("empty")
    return text


def _registrations_by_holder(
    years: list, fp: list, holder: list, first: Mapping[int, int]
) -> dict[int, Registrations]:
    """Each year whose rows name a contract-holding institution: its registrations by
    institution (rows without one are the unattributed members)."""
    out = {}
    for year in first:
        rows = [p for p, y in enumerate(years) if y == year]
        if all(holder[p] is None for p in rows) or any(fp[p] is None for p in rows):
            continue
        counts = {holder[p]: fp[p] for p in rows if holder[p] is not None}
        total = sum(fp[p] for p in rows)
        out[year] = Registrations.year_count(total, counts)
    return out


@dataclass(frozen=True)
class CountyYear:
    """The population facts of one year a settlement needs."""

    year: int
    insured_population: int
    family_physician_registered: int | None = None
    benchmark_per_capita_fen: int | None = None
    quality_score: Decimal | None = None
    quality_standard_met: bool | None = None
    alternative_quality_standard_met: bool | None = None
    #: The county's resident (total) population; None when not given.
    resident_population: int | None = None
    #: Registrations by contract-holding institution and month (a store's month-end
    #: counts, or a table's counts by institution); None: only the year's count is known.
    family_physician_members: Registrations | None = None

    def __post_init__(self) -> None:
        if self.insured_population <= 0:
            raise InputError(
                f"population {self.year}: insured_population must be > 0, got {self.insured_population}"
            )
        if self.resident_population is not None:
            if self.resident_population <= 0:
                raise InputError(
                    f"population {self.year}: resident_population must be > 0, "
                    f"got {self.resident_population}"
                )
            if self.resident_population < self.insured_population:
                raise InputError(
                    f"population {self.year}: resident_population ({self.resident_population:,}) "
                    f"must be at least insured_population ({self.insured_population:,}): the "
                    "insured are residents"
                )
        if self.family_physician_registered is not None and self.family_physician_registered < 0:
            raise InputError(f"population {self.year}: family_physician_registered must be >= 0")
        if (self.family_physician_registered or 0) > self.insured_population:
            raise InputError(
                f"population {self.year}: family_physician_registered exceeds "
                f"insured_population ({self.insured_population:,}); it counts insured residents"
            )
        if self.benchmark_per_capita_fen is not None and self.benchmark_per_capita_fen < 0:
            raise InputError(f"population {self.year}: benchmark_per_capita_fen must be >= 0")
        if self.quality_score is not None and not (0 <= self.quality_score <= 1):
            raise InputError(f"population {self.year}: quality_score must be between 0 and 1")


@dataclass(frozen=True)
class PopulationTable:
    """Validated population facts by year."""

    rows: Mapping[int, CountyYear]
    source: str = "population table"
    #: Each year's row as the file numbers it (the header is row 1); empty when unknown.
    row_numbers: Mapping[int, int] = field(default_factory=dict, repr=False, compare=False)
    #: The file's header of ``resident_population`` (a column map may rename it); None
    #: when the table has no such column.
    resident_header: str | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        # the generated repr printed every year's row
        return brief_repr(self, source=self.source, years=tuple(self.rows))

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "population table",
        renamed: Mapping[str, str] | None = None,
    ) -> PopulationTable:
        """Validate ``frame``; ``renamed`` as :meth:`SpendingTable.from_frame
        <ihms.payment.SpendingTable.from_frame>` takes it."""
        c = Collector(source, renamed, first_row=file_row(frame, 0))
        c.require_columns(frame, ("year", "insured_population"))
        years = c.year(frame)
        pop = c.count(frame, "insured_population", minimum=1)
        # an empty cell is a year whose count is not known: asked for only by rules that
        # read it (residents_for)
        residents = c.count(frame, "resident_population", required=False, minimum=1)
        fp = c.count(frame, "family_physician_registered", required=False)
        bench = c.fen(frame, "benchmark_per_capita_fen", required=False)
        qs = c.column(
            frame,
            "quality_score",
            parse_score,  # as --quality-score: 0.92, 92 % and '92%' alike
            expected=SCORE_EXPECTED,
            required=False,
            hint=score_hint,
        )
        flags = {
            # left empty for a year the payer has not determined (the alternative standard
            # is only asked for when the standard is missed): None, asked for where needed
            name: c.yes_no(frame, name, default=None, empty_is_unknown=True)
            for name in ("quality_standard_met", "alternative_quality_standard_met")
        }
        qm, qa = flags["quality_standard_met"], flags["alternative_quality_standard_met"]
        holder = c.column(
            frame, FP_INSTITUTION, _cell_text, expected="an institution id", required=False
        )
        repeats = c.duplicates(
            list(zip(years, holder, strict=True)) if FP_INSTITUTION in frame else years,
            column="year",
            describe=lambda k: (
                f"year {k}"
                if not isinstance(k, tuple) or k[1] is None
                else f"year {k[0]} with {FP_INSTITUTION} {k[1]}"
            ),
        )
        # a year's rows by contract-holding institution give one count each; the other
        # cells are the year's and must agree
        same = {
            "insured_population": pop,
            "resident_population": residents,
            "benchmark_per_capita_fen": bench,
            "quality_score": qs,
            "quality_standard_met": qm,
            "alternative_quality_standard_met": qa,
        }
        first: dict[int, int] = {}
        empty_reported: set[int] = set()
        for pos, year in enumerate(years):
            if year is None:
                continue
            if year not in first:
                first[year] = pos
                continue
            if FP_INSTITUTION not in frame or pos in repeats:
                continue  # a repeated year (or institution): reported as such
            for name, cells in same.items():
                if cells[pos] != cells[first[year]]:
                    c.add(
                        c.row(pos),
                        name,
                        f"expected the value of row {c.row(first[year])} for {year} "
                        f"({cells[first[year]]}): the rows of a year by {FP_INSTITUTION} "
                        f"share the year's figures, got {cells[pos]}",
                    )
            # each empty cell named at its own row: the year's first row too (once),
            # which holds no count of its own when a later row shows the year is split
            for at in (first[year], pos):
                if fp[at] is None and at not in empty_reported:
                    empty_reported.add(at)
                    c.add(
                        c.row(at),
                        "family_physician_registered",
                        f"expected the members registered with the row's {FP_INSTITUTION} "
                        f"(a whole number >= 0) on every row of {year}, got an empty cell",
                    )
        members = _registrations_by_holder(years, fp, holder, first)
        for pos in range(len(years)):
            if fp[pos] is not None and pop[pos] is not None and fp[pos] > pop[pos]:
                c.add(
                    c.row(pos),
                    "family_physician_registered",
                    f"expected at most the insured population ({pop[pos]:,}): it counts "
                    f"insured residents registered with a family physician, got {fp[pos]:,}",
                )
            if residents[pos] is not None and pop[pos] is not None and residents[pos] < pop[pos]:
                c.add(
                    c.row(pos),
                    "resident_population",
                    f"expected at least the insured population ({pop[pos]:,}): it counts "
                    f"every resident, insured or not, got {residents[pos]:,}",
                )
        for year, reg in members.items():
            total, pos = reg.member_months(1, 1), first[year]
            if pop[pos] is not None and total > pop[pos]:
                c.add(
                    c.row(pos),
                    "family_physician_registered",
                    f"expected at most the insured population ({pop[pos]:,}) over the rows of "
                    f"{year}: they count insured residents registered with a family "
                    f"physician, got {total:,}",
                )
        c.raise_if_any("population table")
        out = {
            years[i]: CountyYear(
                year=years[i],
                insured_population=pop[i],
                family_physician_registered=(
                    members[years[i]].member_months(1, 1) if years[i] in members else fp[i]
                ),
                family_physician_members=members.get(years[i]),
                benchmark_per_capita_fen=bench[i],
                quality_score=qs[i],
                quality_standard_met=qm[i],
                alternative_quality_standard_met=qa[i],
                resident_population=residents[i],
            )
            for i in first.values()
        }
        header = c.header("resident_population") if "resident_population" in frame else None
        rows = {year: c.row(i) for year, i in first.items()}
        return cls(dict(sorted(out.items())), source, rows, header)

    @classmethod
    def read(cls, path: str | Path, *, columns: ColumnMap | None = None) -> PopulationTable:
        """Read and validate a population table (.csv, .xlsx,
        .dta, .sav or .parquet); ``columns``: a column map
        (:func:`ihms.data.read_column_map` with :data:`ihms.payment.TABLE_COLUMNS`) whose
        ``population`` entries read the file's own headers as the table's columns."""
        frame, renamed = read_mapped(path, "population", columns)
        return cls.from_frame(frame, source=str(path), renamed=renamed)

    def with_registrations(self, members: Mapping[int, Registrations]) -> PopulationTable:
        """The table with each year of ``members`` given its registrations by month and
        institution (years absent keep their row).

        Parameters
        ----------
        members : mapping of int to Registrations
            ``year → registrations`` (as :func:`~ihms.payment.population_from_store`
            counts them at month ends).
        """
        rows = {
            y: replace(row, family_physician_members=members[y]) if y in members else row
            for y, row in self.rows.items()
        }
        return PopulationTable(rows, self.source, self.row_numbers, self.resident_header)

    def for_year(self, year: int) -> CountyYear:
        """The year's population row.

        Parameters
        ----------
        year : int
            The calendar year; a year with no row raises InputError.
        """
        year = whole_number(year, parameter="year")
        if year not in self.rows:
            have = ", ".join(map(str, self.rows)) or "none"
            raise InputError(f"{self.source}: no population for {year} (years present: {have})")
        return self.rows[year]

    def residents_for(self, year: int, *, why: str) -> int:
        """The county's resident population in ``year``; ``why`` says what reads it (the
        rules), for the error when the table lacks it.

        Parameters
        ----------
        year : int
            The calendar year; a year with no row raises InputError.
        why : str
            What needs the count, e.g. ``"rules 'x' set the budget on residents"``.

        Raises
        ------
        InputError
            The table has no ``resident_population`` column, or the year's cell is empty:
            the message names the file, the year (and its row) and the column.
        """
        county = self.for_year(year)
        if county.resident_population is not None:
            return county.resident_population
        if self.resident_header is None:
            where = f"{self.source}: no column resident_population"
        else:
            at = format_location(
                file=self.source, row=self.row_numbers.get(year), field=self.resident_header
            )
            where = f"{at}: empty for {year}"
        raise InputError(
            f"{where}; {why}, so {year} needs the county's resident (total) population: "
            f"expected {RESIDENTS_EXPECTED} ({county.insured_population:,})"
        )
