"""Run a county: :class:`CountySimulation` (the model) and :class:`SimulationResults`.

The run goes year by year; within a year, block by block, in chunks. A block's residents
are regenerated from its seed each year (they are a pure function of the plan, the seed
and the block index), so memory holds one chunk of residents and rows at a time, whatever
the county's size. After each year the run's own accounts are closed and, if a
settlement function is given, the year is settled: what the consortium may spend on
health promotion from its balance raises next year's promotion (seed 002: under IMPM the
balance funds health promotion; elsewhere it does not).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms.data import SCHEMAS, Period, structural_tables
from ihms.errors import ConfigError
from ihms.sim._codes import OUT, REGIMES, THC, VC
from ihms.sim.block import Tally, YearContext, simulate_block_year
from ihms.sim.chronic import NEVER, family_physician, sample_traits
from ihms.sim.config import SimulationConfig, parse_month
from ihms.sim.funding import YearEndSettlement
from ihms.sim.layout import CountyLayout, check_reform_consortia, layout_from_system
from ihms.sim.load import config_from_mapping
from ihms.sim.population import (
    PopulationPlan,
    n_blocks,
    plan_population,
    population_targets,
    sample_residents,
)
from ihms.sim.regime import Behaviour, behaviour, promotion_from_funding
from ihms.sim.resources import institution_resources
from ihms.sim.tables import (
    EXTRA_TABLES,
    MemorySink,
    RunInfo,
    TableSink,
    encounter_details_table,
    encounters_table,
    followups_table,
    referrals_table,
    residents_table,
)
from ihms.summary import SummaryTable
from ihms.system import System, load_system

__all__ = ["CountySimulation", "SimulationResults", "YearAccounts", "with_overrides"]


@dataclass(frozen=True)
class YearAccounts:
    """A closed year, as a settlement needs it (money in exact int64 fen).

    Attributes
    ----------
    regime
        The regime the run switches to at the reform.
    reformed
        Share of the year's months under that regime (0 before the reform).
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
    """

    year: int
    regime: str
    reformed: float
    population: float
    insured_population: int
    family_physician_registered: int
    by_institution: pd.DataFrame
    shared_balance: bool

    @property
    def insurance_fen(self) -> int:
        return int(self.by_institution["insurance_paid_fen"].sum())


Settle = Callable[[YearAccounts], int]


def with_overrides(
    config: SimulationConfig,
    *,
    regime: str | None = None,
    reform: str | None = None,
    seed: int | None = None,
) -> SimulationConfig:
    """A validated copy of ``config`` with the reform regime, date or seed replaced."""
    data = config.model_dump()
    if regime is not None:
        if regime not in REGIMES:
            raise ConfigError(f"regime: expected one of {list(REGIMES)}, got {regime!r}")
        data["reform"]["regime"] = regime
    if reform is not None:
        parse_month(reform)
        data["reform"]["date"] = reform
    if seed is not None:
        data["seed"] = seed
    return config_from_mapping(data, where="options")


@dataclass(frozen=True)
class SimulationResults:
    """What a run produced: its accounts, the plan and behaviour it followed, the sink.

    Attributes
    ----------
    tally
        Exact counts and fen by grid, month, tier and encounter type.
    promotion
        Health-promotion intensity used in each year.
    funding_fen
        Health-promotion funding from the previous year's balance, per year.
    accounts, settlements
        Each closed year's accounts, and the payment engine's settlement record of each
        year settled during the run.
    sink
        Where the tables went (a :class:`~ihms.sim.tables.MemorySink` keeps them).
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
                "health promotion": self.promotion[int(y)],
            }
        return rows

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
            title=f"Simulated county, regime {self.regime} from {self.config.reform.date}",
            notes=(
                f"{self.residents:,} residents ever present; seed {self.config.seed}; "
                f"{self.seconds:.1f} s. Preventive visits: healthcare (preventive) outpatient "
                "visits. Health promotion: its intensity (0: none, 1: full), the "
                "regime's own promotion effort plus what the previous year's balance funds, "
                "capped at 1.",
            ),
        )


class CountySimulation:
    """A county to try payment reforms on.

    Parameters
    ----------
    config
        The simulation config (:func:`ihms.sim.load_sim_config`).
    regime
        Regime from the reform date on (default: the config's); ``fee-for-service`` keeps
        fee for service throughout.
    reform
        Reform month ``YYYY-MM`` (default: the config's).
    seed
        Seed (default: the config's).
    residents
        Scale the county to this first-year population (default: the county file's).
    system
        The delivery system (default: read from the config's ``county`` file).

    Examples
    --------
    >>> from ihms.sim import CountySimulation, load_sim_config
    >>> sim = CountySimulation(load_sim_config("examples/youxi_sim.yaml"), residents=5000)
    >>> results = sim.run()  # doctest: +SKIP
    """

    def __init__(
        self,
        config: SimulationConfig,
        *,
        regime: str | None = None,
        reform: str | None = None,
        seed: int | None = None,
        residents: int | None = None,
        system: System | None = None,
    ) -> None:
        self.config = config
        self.regime = regime
        self.reform = reform
        self.seed = seed
        self.residents = residents
        self.system = system

    def run(
        self,
        *,
        sink: TableSink | None = None,
        chunk_residents: int = 65_536,
        settle: Settle | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> SimulationResults:
        """Simulate every month of the period and write the tables to ``sink``.

        Parameters
        ----------
        sink
            Where tables go (default: kept in memory).
        chunk_residents
            Residents processed between writes; results do not depend on it.
        settle
            Called after each year with its :class:`YearAccounts`; returns the fen the
            consortium spends on health promotion next year out of its balance. Default:
            :class:`~ihms.sim.funding.YearEndSettlement` (the payment engine's built-in
            rules of the regime in force).
        progress
            Called with ``(done, total)`` block-years.
        """
        started = time.perf_counter()
        cfg = with_overrides(self.config, regime=self.regime, reform=self.reform, seed=self.seed)
        if self.residents is not None and self.residents <= 0:
            raise ConfigError(f"residents: expected a positive number, got {self.residents}")
        regime = cfg.reform.regime
        system = self.system if self.system is not None else load_county(cfg)
        years = cfg.period.years
        targets = population_targets(system, years)
        layout = layout_from_system(system, cfg)
        check_reform_consortia(layout, regime=regime, reform=cfg.reform.date)
        scale = 1.0 if self.residents is None else self.residents / targets[years[0]][0]
        plan = plan_population(cfg, targets, scale=scale)
        beh = behaviour(cfg, layout, regime=regime)
        sink = sink if sink is not None else MemorySink()
        settler = settle if settle is not None else YearEndSettlement()
        months = cfg.period.months
        month_start = months.astype("datetime64[D]")
        period_end = (months[-1] + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
        month_year = months.astype("datetime64[Y]").astype(int) + 1970
        blocks = n_blocks(plan, cfg.block_size)
        per_chunk = max(1, chunk_residents // cfg.block_size)
        tally = Tally.empty(
            len(layout.grid_ids), len(months), len(layout.institution_ids), len(years)
        )
        fp_odds = {y: beh.yearly_mean("family_physician_odds", month_year, y) for y in years}
        promotion: dict[int, float] = {}
        funding: dict[int, int] = {years[0]: 0}
        accounts: list[YearAccounts] = []
        done, total_units = 0, blocks * len(years)
        info = RunInfo(
            period=Period.parse(str(month_start[0]), str(period_end)),
            source=f"ihms.sim: {system.name}, regime {regime} from {cfg.reform.date}, "
            f"seed {cfg.seed}",
        )
        sink.open(info)
        try:
            for name, frame in structural_tables(system).items():
                sink.write(name, _arrow(name, frame))
            last_access = layout.access(years[-1])
            for yi, year in enumerate(years):
                per_capita = funding.get(year, 0) / 100 / max(plan.mean_population(year), 1.0)
                promotion[year] = min(
                    1.0,
                    beh.yearly_mean("promotion_effort", month_year, year)
                    + promotion_from_funding(
                        per_capita, cfg.promotion.funding_scale_yuan_per_capita
                    ),
                )
                ctx = YearContext(
                    year=year,
                    year_index=yi,
                    n_years=len(years),
                    year_months=np.flatnonzero(month_year == year),
                    month_start=month_start,
                    period_end=period_end,
                    access=layout.access(year),
                    behaviour=beh,
                    promotion=promotion[year],
                    family_physician_odds=fp_odds[year],
                )
                for c0 in range(0, blocks, per_chunk):
                    chunk = [
                        self._block(b, yi, ctx, cfg, plan, layout, tally, fp_odds, last_access)
                        for b in range(c0, min(blocks, c0 + per_chunk))
                    ]
                    _flush(sink, chunk, layout, cfg, month_start)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total_units)
                acct = _close_year(tally, beh, regime, year, yi, month_year, layout)
                accounts.append(acct)
                promotion_fen = int(settler(acct))
                if yi + 1 < len(years):
                    funding[years[yi + 1]] = promotion_fen if acct.shared_balance else 0
            resources = institution_resources(
                system, layout, cfg, revenue_fen=tally.revenue_fen, scale=scale
            )
            sink.write("resources", _arrow("resources", resources))
            sink.close()
        except BaseException:
            sink.abort()
            raise
        return SimulationResults(
            config=cfg,
            regime=regime,
            system=system,
            layout=layout,
            plan=plan,
            behaviour=beh,
            tally=tally,
            promotion=promotion,
            funding_fen=funding,
            accounts=tuple(accounts),
            settlements=dict(getattr(settler, "records", {})),
            resources=resources,
            sink=sink,
            seconds=time.perf_counter() - started,
            residents=plan.n_slots,
            resident_months=int(tally.resident_months.sum()),
        )

    @staticmethod
    def _block(b, yi, ctx, cfg, plan, layout, tally, fp_odds, last_access):
        res = sample_residents(plan, cfg, layout.village_weight, block=b)
        traits = sample_traits(res, cfg)
        out = simulate_block_year(res, traits, ctx, layout=layout, config=cfg, tally=tally)
        register = None
        if yi == 0:
            # The register's family-physician columns describe each resident's last
            # year in the county; the registration date is the first month of the run
            # of registered years that reaches it (the current registration), and not
            # before the resident's arrival.
            month_year = plan.months.astype("datetime64[Y]").astype(int) + 1970
            last_year = month_year[np.minimum(res.exit - 1, len(plan.months) - 1)]
            registered = np.zeros(len(res), bool)
            since = np.zeros(len(res), np.int64)
            for y in cfg.period.years:
                now = family_physician(res, traits, cfg, y, fp_odds[y]) & (y <= last_year)
                first_month = int(np.argmax(month_year == y))
                since = np.where(now & ~registered, first_month, since)
                registered = np.where(y <= last_year, now, registered)
            fp_at = last_access.township_centre[res.village]
            register = {
                "resident_id": res.resident_id,
                "birth_year": res.birth_year,
                "male": res.male,
                "village": res.village,
                "insured": res.insured,
                "fp_institution": np.where(registered, fp_at, -1),
                "fp_since": np.maximum(since, res.entry),
                "hypertension": traits.since[0] != NEVER,
                "diabetes": traits.since[1] != NEVER,
                "entry": res.entry,
                "exit": res.exit,
            }
        return out, register


def load_county(config: SimulationConfig) -> System:
    """The delivery system the config's ``county`` names (``ihms.system.load_system``)."""
    return load_system(config.county)


def _arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    schema = SCHEMAS[name].to_arrow()
    return pa.Table.from_pandas(frame[list(schema.names)], schema=schema, preserve_index=False)


def _flush(sink: TableSink, chunk, layout, cfg, month_start) -> None:
    def cat(attr: str) -> dict[str, np.ndarray]:
        parts = [getattr(out, attr) for out, _ in chunk]
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    enc = cat("encounters")
    sink.write("encounters", encounters_table(enc, layout, cfg))
    sink.write(EXTRA_TABLES[0], encounter_details_table(enc))
    sink.write("referrals", referrals_table(cat("referrals"), layout, cfg))
    sink.write("followups", followups_table(cat("followups"), layout))
    registers = [reg for _, reg in chunk if reg is not None]
    if registers:
        cols = {k: np.concatenate([p[k] for p in registers]) for k in registers[0]}
        sink.write("residents", residents_table(cols, layout, month_start))


def _half_up(resident_months: int, months: int) -> int:
    """A mean over months rounded half up, exactly (as ``population_from_store``)."""
    return int((2 * int(resident_months) + int(months)) // (2 * int(months)))


def _close_year(tally, beh, regime, year, yi, month_year, layout) -> YearAccounts:
    sel = month_year == year
    n = sel.sum()
    used = np.flatnonzero(tally.encounters_by_institution[:, yi] > 0)
    tier = layout.institution_tier[used]
    ins = tally.insurance_by_institution[used, yi]
    tot = tally.revenue_fen[used, yi]
    by_institution = pd.DataFrame(
        {
            "institution_id": [layout.institution_ids[i] for i in used],
            "setting": np.where(tier == OUT, "outside_county", "consortium"),
            "primary_care": (tier == VC) | (tier == THC),
            "insurance_paid_fen": ins,
            "total_cost_fen": tot,
            "out_of_pocket_fen": tot - ins,
            "encounters": tally.encounters_by_institution[used, yi],
        }
    )
    return YearAccounts(
        year=year,
        regime=regime,
        reformed=float(beh.reformed[sel].mean()),
        population=float(tally.resident_months[:, sel].sum() / n),
        insured_population=_half_up(tally.insured_resident_months[:, sel].sum(), n),
        family_physician_registered=_half_up(
            tally.registered_insured_resident_months[:, sel].sum(), n
        ),
        by_institution=by_institution,
        shared_balance=bool(beh.shared_balance.all()),
    )
