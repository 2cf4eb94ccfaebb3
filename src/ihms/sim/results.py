"""What a run produced: :class:`SimulationResults`, with each closed year's
:class:`YearAccounts` (the model, :class:`~ihms.sim.run.CountySimulation`, is in
:mod:`ihms.sim.run`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.payment import SettlementRecord
from ihms.payment.money import fen_to_yuan
from ihms.payment.reform import is_reform, month_words
from ihms.sim.block import Tally
from ihms.sim.config import SimulationConfig
from ihms.sim.episodes import capped_note
from ihms.sim.layout import CountyLayout
from ihms.sim.population import PopulationPlan
from ihms.sim.regime import Behaviour, baseline_year
from ihms.sim.tables import MemorySink
from ihms.summary import SummaryTable
from ihms.system import System

__all__ = ["SimulationResults", "YearAccounts", "settlement_headline"]


_BUDGET_LINES = {
    "global_budget_fen": "global budget",
    "charged_fen": "spending charged",
    "balance_fen": "balance",
    "overspend_fen": "overspend",
    "retained_fen": "kept by the consortium",
    "overspend_consortium_fen": "overspend borne by the consortium",
    "staff_incentive_fen": "staff incentive pool",
    "consortium_result_fen": "consortium's result",
}
_SHARED_SAVINGS_LINES = {
    "benchmark_fen": "benchmark",
    # Jia et al. 2021's total cost of care: what insurance paid for the assigned
    # residents, in the county and outside; out of pocket is not in it (sim review 7b)
    "charged_fen": "insurance spending on the assigned (total cost of care)",
    "savings_fen": "savings",
    "shared_savings_fen": "shared savings",
    "family_physician_fee_fen": "family-physician fees",
    "insurer_outlay_fen": "insurer's outlay",
    "consortium_result_fen": "consortium's result",
}


def regime_words(regime: str, config: SimulationConfig) -> str:
    """``regime sanming from 2017-10``, or ``regime fee-for-service throughout (no
    reform)`` for the baseline regime (the run's title and its store's source)."""
    if is_reform(regime, config.baseline_regime):
        return f"regime {regime} from {config.reform.date}"
    return f"regime {regime} throughout (no reform)"


def settlement_headline(record: SettlementRecord) -> dict[str, int | str | None]:
    """A settled year's main figures (:meth:`SettlementRecord.headline`, money in fen),
    with, under shared savings, the benchmark, the savings, their rate and the minimum
    savings rate (rates as decimal strings, exact)."""
    head = dict(record.headline())
    ss = record.shared_savings
    if ss is not None:
        head |= {
            "benchmark_per_capita_fen": ss.benchmark_per_capita_fen,
            "benchmark_fen": ss.benchmark_fen,
            "savings_fen": ss.savings_fen,
            "savings_rate": str(ss.savings_rate),
            "minimum_savings_rate": str(ss.msr),
            "quality_score": None if ss.quality_score is None else str(ss.quality_score),
            "shared_savings_outcome": ss.outcome,
        }
    return head


@dataclass(frozen=True, eq=False)
class YearAccounts(SummaryHtml):
    """A closed year, as a settlement needs it (money in exact int64 fen).

    Attributes
    ----------
    year
        The calendar year closed.
    regime
        The regime the run switches to at the reform.
    reformed
        The reform regime's share of the year's behaviour: ``Behaviour.reformed``'s mean
        over the year's months (0 before the reform, rising over ``reform.ramp_months``).
        Not the share of the year's months under the reform: 1/6 for 2017 under a reform
        in October 2017 with a three-month ramp, whose months give 3/12
        (:func:`ihms.sim.regime.reform_month_shares`, what the annual salary pays for).
    population, insured_population, family_physician_registered
        Residents, insured residents, and insured residents registered with a family
        physician (the members a per-member family-physician fee is paid for): means over
        the year's months, the last two rounded half up. The data tables give the same
        counts back (:func:`ihms.payment.population_from_store`, which counts residents
        present on each month's last day), the registrations unless some lapsed and
        resumed: the register records only the current registration.
    by_institution
        One row per institution treating the county's residents that year, in the
        payment engine's spending-table layout: ``institution_id``, ``setting``
        (``consortium`` for the county's institutions, ``outside_county``),
        ``primary_care``, ``insurance_paid_fen``, ``total_cost_fen``,
        ``out_of_pocket_fen``, ``encounters``.
    shared_balance
        Whether the grids' consortia may keep a balance (their integration degree).
    family_physician_months
        The month-end counts behind ``family_physician_registered``, January first,
        for a year the run holds all twelve months of (else empty): the member-months
        a family-physician fee is paid on, as from the store.
    settled
        Whether the year is settled under the reform regime's rules: a whole calendar
        year of the reform (from :func:`ihms.sim.regime.first_settled_year` on). The year
        a reform began within (:func:`ihms.sim.regime.baseline_year`) is its baseline,
        not settled, whatever its ``reformed``; fee for service settles no year.
    """

    year: int
    regime: str
    reformed: float
    population: float
    insured_population: int
    family_physician_registered: int
    by_institution: pd.DataFrame
    shared_balance: bool
    settled: bool
    family_physician_months: tuple[int, ...] = ()

    def __repr__(self) -> str:
        return brief_repr(
            self,
            year=self.year,
            regime=self.regime,
            reformed=self.reformed,
            insured_population=self.insured_population,
            institutions=len(self.by_institution),
            insurance_fen=self.insurance_fen,
        )

    @property
    def insurance_fen(self) -> int:
        """Insurance paid for the county's residents that year, all institutions."""
        return int(self.by_institution["insurance_paid_fen"].sum())

    def summary(self) -> SummaryTable:
        """The year's spending by where residents were treated, in yuan (exact
        :class:`~decimal.Decimal`), with the population facts a settlement reads.

        The budget, the balance and its uses are not the year's accounts but their
        settlement's: ``SimulationResults.settlements[year].summary()``.
        """
        frame = self.by_institution
        in_consortium = (frame["setting"] == "consortium").to_numpy()
        primary = frame["primary_care"].to_numpy(dtype=bool)
        groups = {
            "consortium": in_consortium,
            "consortium: primary care": in_consortium & primary,
            "consortium: county hospitals": in_consortium & ~primary,
            "outside the county": ~in_consortium,
            "all": np.ones(len(frame), dtype=bool),
        }
        money = {
            "total cost (yuan)": "total_cost_fen",
            "insurance paid (yuan)": "insurance_paid_fen",
            "out of pocket (yuan)": "out_of_pocket_fen",
        }
        rows = {
            label: {
                "institutions": int(rows.sum()),
                "encounters": int(frame["encounters"].to_numpy()[rows].sum()),
                **{
                    name: Decimal(int(frame[col].to_numpy()[rows].sum())).scaleb(-2)
                    for name, col in money.items()
                },
            }
            for label, rows in groups.items()
        }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "treated"
        under = (
            f"before the reform to {self.regime}"
            if self.reformed == 0
            else f"reform to {self.regime}: {self.reformed:.0%} in force on average"
        )
        return SummaryTable(
            table,
            title=f"Accounts {self.year} ({under}): spending in yuan",
            notes=(
                f"{self.population:,.1f} residents (mean over the months), "
                f"{self.insured_population:,} insured, {self.family_physician_registered:,} "
                "of them registered with a family physician.",
                "The consortia may keep a balance (their integration degree)."
                if self.shared_balance
                else "The consortia may not keep a balance (their integration degree).",
                "Primary care: village clinics and township health centres. Insurance paid is "
                "the spending a settlement charges; the budget, the balance and its uses are "
                "the year's settlement's (SimulationResults.settlements).",
            ),
        )


@dataclass(frozen=True, eq=False)
class SimulationResults(SummaryHtml):
    """What a run produced: its accounts, the plan and behaviour it followed, the sink.

    Attributes
    ----------
    config
        The config the run followed (overrides applied).
    regime
        The regime from the reform on.
    system, layout
        The delivery system, and its institutions, grids and villages placed on a plane.
    plan, behaviour
        The population plan (blocks and yearly targets) and the regime's behaviour.
    tally
        Exact counts and fen by grid, month, tier and encounter type.
    promotion
        Health-promotion intensity used in each year.
    funding_fen
        Health-promotion funding from the previous year's balance, per year.
    accounts, settlements
        Each closed year's accounts, and the payment engine's settlement record of each
        year settled during the run.
    resources
        Institution resources (staff, beds, revenue) per year, as the ``resources`` table.
    staff
        The simulated physicians per year (:func:`ihms.sim.staff.simulated_staff`), whose
        activities the ``staff_activities`` table records; None when the config has no
        ``staff`` section (no activities are then written).
    sink
        Where the tables went (a :class:`~ihms.sim.tables.MemorySink` keeps them).
    seconds
        Wall time of the run.
    residents, resident_months
        Residents ever present, and resident-months simulated.
    """

    config: SimulationConfig
    regime: str
    system: System
    layout: CountyLayout
    plan: PopulationPlan
    behaviour: Behaviour
    tally: Tally
    promotion: dict[int, float]
    funding_fen: dict[int, int]
    accounts: tuple[YearAccounts, ...]
    settlements: dict[int, Any]
    resources: pd.DataFrame
    sink: Any
    seconds: float
    residents: int
    resident_months: int = field(default=0)
    staff: pd.DataFrame | None = None

    def __repr__(self) -> str:
        # the generated repr printed the config, system, layout arrays and every
        # settlement record: ~450,000 characters for 2,000 residents
        return brief_repr(
            self,
            county=self.county,
            regime=self.regime,
            reform=self.config.reform.date,
            seed=self.config.seed,
            months=f"{self.config.period.start}..{self.config.period.end}",
            residents=self.residents,
            settled=tuple(self.settlements),
        )

    @property
    def county(self) -> str:
        """Id of the simulated (study) county."""
        return self.system.study_counties[0]

    @property
    def months(self) -> np.ndarray:
        return self.config.period.months

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables as DataFrames (only when the run kept them in memory)."""
        if not isinstance(self.sink, MemorySink):
            raise TypeError(
                "tables() needs a run with a MemorySink; read the sink's output instead"
            )
        return self.sink.frames()

    def per_year(self) -> dict[int, dict]:
        """Volumes and money per year, as the run wrote them; money in exact int fen."""
        years = self.months.astype("datetime64[Y]").astype(int) + 1970
        rows = {}
        for y in sorted(set(years)):
            sel = years == y
            c = self.tally.count[:, sel].sum(axis=(0, 1))
            rows[int(y)] = {
                "resident-years": self.tally.resident_months[:, sel].sum() / 12,
                "outpatient+emergency": int(c[:, 0].sum() + c[:, 1].sum()),
                "admissions": int(c[:, 2].sum()),
                "preventive (healthcare) visits": int(c[:, 3].sum()),
                "chronic follow-ups": int(c[:, 4].sum()),
                "total_cost_fen": int(self.tally.total_fen[:, sel].sum()),
                "insurance_paid_fen": int(self.tally.insurance_fen[:, sel].sum()),
                "health promotion": round(self.promotion[int(y)], 4),
            }
        return rows

    def spending(self) -> dict[int, dict[str, int]]:
        """Each closed year's spending inside the county (its consortia's institutions,
        primary care apart) and outside it, exact fen: insurance paid — what a
        settlement charges, ``consortium_fen`` and ``outside_county_fen`` of a settled
        year — and total cost (user review 22s L4)."""
        out = {}
        for a in self.accounts:
            frame = a.by_institution
            inside = (frame["setting"] == "consortium").to_numpy()
            primary = inside & frame["primary_care"].to_numpy(dtype=bool)
            paid, cost = frame["insurance_paid_fen"].to_numpy(), frame["total_cost_fen"].to_numpy()
            out[a.year] = {
                "consortium_insurance_paid_fen": int(paid[inside].sum()),
                "consortium_primary_care_insurance_paid_fen": int(paid[primary].sum()),
                "outside_county_insurance_paid_fen": int(paid[~inside].sum()),
                "consortium_total_cost_fen": int(cost[inside].sum()),
                "outside_county_total_cost_fen": int(cost[~inside].sum()),
            }
        return out

    def spending_summary(self) -> SummaryTable:
        """:meth:`spending` in yuan (exact :class:`~decimal.Decimal`), a row per year,
        with the share of insurance paid that went outside the county."""
        rows = {}
        for year, s in self.spending().items():
            inside, outside = (
                s["consortium_insurance_paid_fen"],
                s["outside_county_insurance_paid_fen"],
            )
            rows[year] = {
                "in the county (yuan)": fen_to_yuan(inside),
                "of it primary care (yuan)": fen_to_yuan(
                    s["consortium_primary_care_insurance_paid_fen"]
                ),
                "outside the county (yuan)": fen_to_yuan(outside),
                "outside the county (%)": round(100 * outside / (inside + outside), 2)
                if inside + outside
                else float("nan"),
                "total cost outside the county (yuan)": fen_to_yuan(
                    s["outside_county_total_cost_fen"]
                ),
            }
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "year"
        return SummaryTable(
            frame,
            title="Insurance paid inside the county and outside it (what a settlement charges)",
            notes=(
                "In the county: its institutions (the consortia's: village clinics and "
                "township health centres as primary care, and the county hospitals). Outside "
                "the county (%): its share of insurance paid. Total cost: insurance paid and "
                "out of pocket.",
            ),
            formats={"outside the county (%)": "{:.2f}".format},  # rounded to 2 (review 8)
        )

    def settled_years(self) -> dict[str, Any]:
        """Which years the run settled and why: ``settled`` (the whole calendar years of
        the reform, :func:`ihms.sim.regime.first_settled_year` on), ``baseline`` (the
        year the reform began within, :func:`ihms.sim.regime.baseline_year`: accounted,
        neither settled nor scored; None for a reform from January or a run without
        one) and ``note``, the rule in words — the demo's rule for the same years."""
        cfg = self.config
        settled = [a.year for a in self.accounts if a.settled]
        reformed = is_reform(self.regime, cfg.baseline_regime)
        base = baseline_year(cfg.reform.date) if reformed else None
        base = base if base in cfg.period.years else None
        return {
            "settled": settled,
            "baseline": base,
            "note": _settled_note(cfg.reform.date, self.regime, reformed, settled, base),
        }

    def settlement_summary(self) -> SummaryTable:
        """The year-end settlements of the run, a row per settled year, money in yuan
        (exact :class:`~decimal.Decimal`): the budget, the spending charged to it, the
        balance or overspend, what the consortium kept or bore and the staff incentive
        pool; ``settlements[year].summary()`` gives one year's working."""
        kinds = {r.kind for r in self.settlements.values()}
        names = _SHARED_SAVINGS_LINES if kinds == {"shared_savings"} else _BUDGET_LINES
        rows = {}
        for year, record in sorted(self.settlements.items()):
            head = settlement_headline(record)
            rows[year] = {
                f"{label} (yuan)": None if head[key] is None else fen_to_yuan(head[key])
                for key, label in names.items()
            }
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "year"
        rules = {r.rules_name for r in self.settlements.values()}
        return SummaryTable(
            frame,
            title=f"Year-end settlements, regime {self.regime} ({', '.join(sorted(rules))})",
            notes=(
                self.settled_years()["note"],
                "The in-run settlement treats the assessment as passed (ihms payment "
                "settle --store settles the years again with the scorecards)"
                + (
                    " and, under shared savings, the quality standard as met."
                    if names is _SHARED_SAVINGS_LINES
                    else "."
                ),
            ),
        )

    def summary(self) -> SummaryTable:
        """Volumes and money per year, as the run wrote them: a row per year and a column
        per measure, so each column is formatted as a whole and money stays exact numbers
        (yuan as :class:`~decimal.Decimal`) in CSV and XLSX, not text."""
        labels = {
            "total_cost_fen": "total cost (yuan)",
            "insurance_paid_fen": "insurance paid (yuan)",
            "preventive (healthcare) visits": "preventive visits",
            "health promotion": "health promotion (0-1)",
        }
        rows = {
            y: {
                labels.get(k, k): Decimal(v).scaleb(-2) if k.endswith("_fen") else v
                for k, v in row.items()
            }
            for y, row in self.per_year().items()
        }
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "year"
        return SummaryTable(
            frame,
            title=f"Simulated county, {regime_words(self.regime, self.config)}",
            notes=(
                f"{self.residents:,} resident{'s' if self.residents != 1 else ''} ever present; "
                f"random seed {self.config.seed}; "
                f"{self.seconds:.1f} s.",
                "A row per simulated year. Counts are the year's events of the county's "
                "residents wherever treated, in the county or outside: outpatient and "
                "emergency visits, admissions, preventive visits (healthcare (preventive) "
                "outpatient visits) and chronic-disease follow-ups. Resident-years: the "
                "months residents were present, over 12. Total cost: all their care, in "
                "yuan; insurance paid: the part the medical insurance fund paid. Health "
                "promotion: its intensity (0: none, 1: full), the regime's own promotion "
                "effort plus what the previous year's balance funds, capped at 1.",
                *filter(None, (self.capped_counts()["note"],)),
            ),
            formats={"resident-years": "{:,.2f}".format},  # "1" beside "7,994.08" (review 8)
        )

    def capped_counts(self) -> dict[str, Any]:
        """Resident-months whose illness episodes and preventive visits the simulator's
        cap cut short (``illness_episodes``, ``preventive_visits``), episodes whose extra
        primary-care revisits it did (``extra_revisits``) and ``note``, the
        summary's sentence on them (None when none was; :func:`ihms.sim.episodes.capped_note`)."""
        episodes, visits, revisits = (int(n) for n in self.tally.capped)
        return {
            "illness_episodes": episodes,
            "preventive_visits": visits,
            "extra_revisits": revisits,
            "note": capped_note(episodes, visits, revisits),
        }


def _settled_note(
    reform: str, regime: str, reformed: bool, settled: list[int], baseline: int | None
) -> str:
    """:meth:`SimulationResults.settled_years`' rule in words."""
    if not reformed:
        return f"Regime {regime} throughout, no reform: no year is settled."
    month = month_words(str(reform), year=False)
    whole = (
        "each whole calendar year of the reform is settled under the regime's rules "
        f"({', '.join(map(str, settled))})"
        if settled
        else "no whole calendar year of the reform lies in the period, so none is settled"
    )
    head = (
        f"Reform from {month} {str(reform)[:4]}: {whole}, a year's budget or benchmark "
        "being set for the whole year."
    )
    if baseline is None:
        return head + " The reform ran the whole of its first year: there is no baseline year."
    return head + (
        f" {baseline}, in which the reform ran only from {month}, is the baseline year: its "
        "spending is accounted, neither settled nor scored (as in ihms demo)."
    )
