"""The input tables a settlement reads, each validated as a whole before use.

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
``primary_care``       no        true for primary-care institutions (THC, CHC, village
                                 clinic); the fee-for-service part of a blended payment
=====================  ========  ==========================================================

One row per year, setting and institution: a second row for the same three (a copied
row, or a file appended twice) is refused, naming both rows, rather than added up.
Money and counts are whole numbers written as digits: a fen column holding
``380,000.00`` or ``8177700551.00`` (yuan, or a spreadsheet's number format) is refused.

**Population table** (one row per year): ``year``, ``insured_population`` (> 0: a
county without insured residents has no budget to settle), and
optionally ``family_physician_registered`` (residents registered with a family
physician; left empty when unknown, and then a rule set paying a family-physician fee
refuses to settle rather than pay for nobody), ``benchmark_per_capita_fen`` (a benchmark given by the payer, MSSP-style),
``quality_score`` (0–1), ``quality_standard_met`` and ``alternative_quality_standard_met``
(true/false, as the payer determined them).

**Indicator values** (long format): ``year``, ``subject`` (``consortium`` for the
consortium's assessment, otherwise a staff id), ``indicator``, ``value``. An indicator
whose id ends in ``_rate`` or ``_share`` is a rate (see :func:`is_rate`): its value lies
between 0 and 1 and is written as a fraction (``0.784``) or a percentage (``78.4%``); a
bare ``78.4`` is refused rather than scored as 7,840 %. The settlement's own
``fund_balance_rate`` (balance ÷ budget) is negative after an overspend, so only its upper
bound 1 is checked. Other indicators are counts (``health_education_sessions``,
``thc_consultation_days``): any number ≥ 0, so ``-23`` sessions is refused rather than
scored as none.

**Staff roster**: ``staff_id`` (unique), ``role`` (a scorecard role, e.g. ``director``
or ``doctor``), ``institution_id``, ``base_salary_fen`` (≥ 0), optional ``weight`` (≥ 0,
default 1) for sharing the incentive pool.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ihms.errors import InputError
from ihms.payment._parse import Collector, parse_bool, parse_decimal, read_frame
from ihms.payment.staff import StaffMember, StaffRoster

__all__ = [
    "FUND_BALANCE_RATE",
    "SETTINGS",
    "CountyYear",
    "IndicatorValues",
    "PopulationTable",
    "SpendingTable",
    "StaffMember",
    "StaffRoster",
    "YearSpending",
    "is_rate",
]

#: Where residents were treated.
SETTINGS = ("consortium", "outside_county", "private")

_SPENDING_COLUMNS = (
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
    """Residents' insurance-paid spending in one year, by place of treatment (fen)."""

    year: int
    consortium: Mapping[str, int]
    outside_county: int = 0
    private: int = 0
    primary_care: int = 0

    def __post_init__(self) -> None:
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


@dataclass(frozen=True, eq=False)
class SpendingTable:
    """A validated spending table (see the module docstring for the columns)."""

    frame: pd.DataFrame
    source: str = "spending table"

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "spending table") -> SpendingTable:
        """Validate ``frame`` (never modified) and keep a normalised copy.

        Raises
        ------
        DataError
            Listing every bad cell with its row and column.
        """
        c = Collector(source)
        c.require_columns(frame, ("year", "setting", "insurance_paid_fen"))
        years = c.year(frame)
        settings = c.column(
            frame,
            "setting",
            lambda v: str(v).strip(),
            expected=f"one of {', '.join(SETTINGS)}",
            check=lambda s: s in SETTINGS,
        )
        inst = c.column(
            frame,
            "institution_id",
            lambda v: str(v).strip(),
            expected="an id",
            required=False,
            default="",
        )
        paid = c.fen(frame, "insurance_paid_fen")
        total = c.fen(frame, "total_cost_fen", required=False)
        oop = c.fen(frame, "out_of_pocket_fen", required=False)
        enc = c.count(frame, "encounters", required=False)
        primary = c.column(
            frame,
            "primary_care",
            parse_bool,
            expected="true or false",
            required=False,
            default=False,
        )
        first: dict[tuple, int] = {}
        for pos in range(len(frame)):
            row = pos + 2
            key = (years[pos], settings[pos], inst[pos])
            if None not in key:
                if key in first:
                    c.add(
                        row,
                        "institution_id",
                        f"{key[1]} {key[2] or '(no id)'} in {key[0]} appears twice (first on "
                        f"row {first[key]}); give one row per year, setting and institution",
                    )
                first.setdefault(key, row)
            if settings[pos] == "consortium" and not inst[pos]:
                c.add(
                    row,
                    "institution_id",
                    "expected the member institution's id for a consortium row",
                )
            if total[pos] is not None and paid[pos] is not None and paid[pos] > total[pos]:
                c.add(
                    row,
                    "insurance_paid_fen",
                    f"insurance paid {paid[pos]} exceeds total cost {total[pos]}",
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
            columns=list(_SPENDING_COLUMNS),
        )
        return cls(norm, source)

    @classmethod
    def read(cls, path: str | Path) -> SpendingTable:
        """Read and validate a CSV or Parquet spending table."""
        return cls.from_frame(read_frame(path), source=str(path))

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

    def __post_init__(self) -> None:
        if self.insured_population <= 0:
            raise InputError(
                f"population {self.year}: insured_population must be > 0, got {self.insured_population}"
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

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, *, source: str = "population table"
    ) -> PopulationTable:
        c = Collector(source)
        c.require_columns(frame, ("year", "insured_population"))
        years = c.year(frame)
        pop = c.count(frame, "insured_population", minimum=1)
        fp = c.count(frame, "family_physician_registered", required=False)
        bench = c.fen(frame, "benchmark_per_capita_fen", required=False)
        qs = c.column(
            frame,
            "quality_score",
            parse_decimal,
            expected="a score between 0 and 1",
            required=False,
            check=lambda v: 0 <= v <= 1,
        )
        flags = {
            name: c.column(frame, name, parse_bool, expected="true or false", required=False)
            for name in ("quality_standard_met", "alternative_quality_standard_met")
        }
        qm, qa = flags["quality_standard_met"], flags["alternative_quality_standard_met"]
        seen: dict[int, int] = {}
        for pos, y in enumerate(years):
            if y is None:
                continue
            if y in seen:
                c.add(pos + 2, "year", f"year {y} appears twice (first on row {seen[y]})")
            else:
                seen[y] = pos + 2
            if fp[pos] is not None and pop[pos] is not None and fp[pos] > pop[pos]:
                c.add(
                    pos + 2,
                    "family_physician_registered",
                    f"expected at most the insured population ({pop[pos]:,}): it counts "
                    f"insured residents registered with a family physician, got {fp[pos]:,}",
                )
        c.raise_if_any("population table")
        out = {
            years[i]: CountyYear(
                year=years[i],
                insured_population=pop[i],
                family_physician_registered=fp[i],
                benchmark_per_capita_fen=bench[i],
                quality_score=qs[i],
                quality_standard_met=qm[i],
                alternative_quality_standard_met=qa[i],
            )
            for i in range(len(years))
        }
        return cls(dict(sorted(out.items())), source)

    @classmethod
    def read(cls, path: str | Path) -> PopulationTable:
        return cls.from_frame(read_frame(path), source=str(path))

    def for_year(self, year: int) -> CountyYear:
        """The year's population row.

        Parameters
        ----------
        year : int
            The calendar year; a year with no row raises InputError.
        """
        if year not in self.rows:
            have = ", ".join(map(str, self.rows)) or "none"
            raise InputError(f"{self.source}: no population for {year} (years present: {have})")
        return self.rows[year]


def is_rate(indicator: str) -> bool:
    """Whether an indicator is a rate (its id ends in ``_rate`` or ``_share``), whose
    values lie between 0 and 1 (0–100 %).

    Parameters
    ----------
    indicator : str
        An indicator id (``hypertension_management_rate``).
    """
    return indicator.endswith(("_rate", "_share"))


def _value_ok(indicator: str, value: Decimal) -> bool:
    if not is_rate(indicator):  # a count
        return value >= 0
    if indicator == FUND_BALANCE_RATE:  # negative after an overspend
        return value <= 1
    return 0 <= value <= 1


def _value_problem(indicator: str, cell: object) -> str:
    text = str(cell).strip()
    if not is_rate(indicator):
        return (
            f"{indicator!r} is a count (its id does not end in _rate or _share): expected "
            f"a count ≥ 0, got {text!r}"
        )
    low = "at most 1" if indicator == FUND_BALANCE_RATE else "between 0 and 1"
    msg = f"{indicator!r} is a rate: expected a value {low} (a fraction, or a percentage such as 78.4%), got {text!r}"
    if not text.endswith("%"):
        try:
            bare = Decimal(text.replace(",", ""))
        except ArithmeticError:
            return msg
        if 1 < bare <= 100:
            msg += f"; if {text} is a percentage, write {text}%"
    return msg


#: Indicator the settlement computes itself: (GB − charged spending) / GB.
FUND_BALANCE_RATE = "fund_balance_rate"


@dataclass(frozen=True)
class IndicatorValues:
    """Scorecard indicator values: ``(year, subject) → {indicator: value}``."""

    values: Mapping[tuple[int, str], Mapping[str, Decimal]] = field(default_factory=dict)
    source: str = "indicator values"
    #: ``(year, subject, indicator) → row`` of the file (header = row 1), when read from one.
    rows: Mapping[tuple[int, str, str], int] = field(default_factory=dict)

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, *, source: str = "indicator values"
    ) -> IndicatorValues:
        c = Collector(source)
        c.require_columns(frame, ("year", "subject", "indicator", "value"))
        years = c.year(frame)
        subj = c.text(frame, "subject", expected="a subject id")
        ind = c.text(frame, "indicator", expected="an indicator id")
        val = c.column(frame, "value", parse_decimal, expected="a number")
        for pos, (name, v) in enumerate(zip(ind, val, strict=True)):
            if name is not None and v is not None and not _value_ok(name, v):
                val[pos] = None
                c.add(pos + 2, "value", _value_problem(name, frame["value"].iloc[pos]))
        out: dict[tuple[int, str], dict[str, Decimal]] = {}
        first: dict[tuple[int, str, str], int] = {}
        for pos in range(len(frame)):
            if None in (years[pos], subj[pos], ind[pos], val[pos]):
                continue
            key = (years[pos], subj[pos], ind[pos])
            if key in first:
                c.add(
                    pos + 2,
                    "indicator",
                    f"{ind[pos]!r} for {subj[pos]!r} in {years[pos]} given twice (first on row {first[key]})",
                )
                continue
            first[key] = pos + 2
            out.setdefault((years[pos], subj[pos]), {})[ind[pos]] = val[pos]
        c.raise_if_any("indicator values")
        return cls(out, source, first)

    @classmethod
    def read(cls, path: str | Path) -> IndicatorValues:
        return cls.from_frame(read_frame(path), source=str(path))

    def for_subject(self, year: int, subject: str) -> Mapping[str, Decimal]:
        """``indicator → value`` (rates as fractions) for one year and subject; empty if none.

        Parameters
        ----------
        year : int
            The calendar year.
        subject : str
            ``"consortium"`` or a staff id.
        """
        return self.values.get((year, subject), {})

    def subjects(self, year: int) -> list[str]:
        """The subjects with values in ``year``, sorted.

        Parameters
        ----------
        year : int
            The calendar year.
        """
        return sorted(s for (y, s) in self.values if y == year)
