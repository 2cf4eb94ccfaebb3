"""Run a county: :class:`CountySimulation` (the model); it returns
:class:`~ihms.sim.results.SimulationResults`.

The run goes year by year; within a year, block by block, in chunks. A block's residents
are regenerated from its seed each year (they are a pure function of the plan, the seed
and the block index), so memory holds one chunk of residents and rows at a time, whatever
the county's size. After each year the run's own accounts are closed and, if a
settlement function is given, the year is settled: what the consortium may spend on
health promotion from its balance raises next year's promotion (Zhong et al. 2023: under IMPM the
balance funds health promotion; elsewhere it does not).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms._arguments import expect_kind, whole_number
from ihms._decode import read_text
from ihms._repr import brief_repr
from ihms.data import SCHEMAS, Period, structural_tables
from ihms.errors import ConfigError, did_you_mean
from ihms.payment import PaymentRules
from ihms.payment.reform import first_settled_year, run_details
from ihms.sim._codes import REGIMES
from ihms.sim._parsed import county_system
from ihms.sim._run_parts import annual_salary, close_year, register_columns
from ihms.sim.block import Tally, YearContext, simulate_block_year
from ihms.sim.chronic import sample_traits
from ihms.sim.config import SimulationConfig, month_text, reform_problem
from ihms.sim.funding import YearEndSettlement, check_assignable
from ihms.sim.layout import check_reform_consortia, layout_from_system
from ihms.sim.load import config_from_mapping
from ihms.sim.population import (
    n_blocks,
    plan_population,
    population_targets,
    sample_residents,
)
from ihms.sim.regime import behaviour, promotion_from_funding
from ihms.sim.resources import institution_resources
from ihms.sim.results import SimulationResults, YearAccounts, regime_words
from ihms.sim.staff import simulated_staff, staff_activities, staff_table
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
from ihms.system import System

__all__ = [
    "CountySimulation",
    "SimulationResults",
    "YearAccounts",
    "check_county_size",
    "with_overrides",
]


Settle = Callable[[YearAccounts], int]


def with_overrides(
    config: SimulationConfig,
    *,
    regime: str | None = None,
    reform: str | None = None,
    seed: int | None = None,
) -> SimulationConfig:
    """A validated copy of ``config`` with the reform regime, date or seed replaced.

    Parameters
    ----------
    config : SimulationConfig
        The config to copy; it is not modified.
    regime : str, optional
        One of ``"fee-for-service"``, ``"sanming"``, ``"other-areas"``, ``"deqing"``
        (the config must describe its behaviour); None keeps the config's.
    reform : str, optional
        Reform month, in any form ``its`` reads (``2017-10``, ``2017年10月``:
        :func:`~ihms.sim.config.month_text`), after the study window's first month and
        within it (:func:`~ihms.sim.config.reform_problem`); None keeps the config's.
    seed : int, optional
        Random seed; None keeps the config's.

    Raises
    ------
    ConfigError
        An unknown regime, a bad month, or a copy that fails validation.
    """
    data = config.model_dump()
    if regime is not None:
        if regime not in REGIMES:
            raise ConfigError(
                f"parameter 'regime': expected one of {list(REGIMES)}, got {regime!r}"
                + did_you_mean(regime, REGIMES)
            )
        data["reform"]["regime"] = regime
    if reform is not None:
        month = month_text(reform, name="parameter 'reform'")
        problem = reform_problem(
            month, config.period, config.study_window, label="parameter 'reform':"
        )
        if problem is not None:
            raise ConfigError(problem)
        data["reform"]["date"] = month
    if seed is not None:  # "7" refused as payment's "2018" is (ihms._arguments)
        data["seed"] = whole_number(seed, parameter="seed", minimum=0, error=ConfigError)
    return config_from_mapping(data, where="options")


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
        Reform month, in any form :func:`~ihms.sim.config.month_text` reads (default:
        the config's).
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
        # a path is refused here, not by the repr's AttributeError; the rest waits for run
        expect_kind(config, SimulationConfig, parameter="config", error=ConfigError,
                    expected="a SimulationConfig (load_sim_config(path))")  # fmt: skip
        self.config = config
        self.regime = regime
        self.reform = reform
        self.seed = seed
        self.residents = residents
        self.system = system

    def __repr__(self) -> str:
        return brief_repr(
            self,
            county=self.config.county,
            regime=self.regime or self.config.reform.regime,
            reform=self.reform or self.config.reform.date,
            seed=self.config.seed if self.seed is None else self.seed,
            residents=self.residents,
        )

    def _check_residents(self) -> None:
        if self.residents is not None and self.residents <= 0:
            raise ConfigError(
                f"parameter 'residents': expected a positive number, got {self.residents}"
            )

    def expected_insured(self) -> dict[int, float]:
        """Expected mean insured population of each year, from the population plan alone
        (nothing is simulated): what a shared-savings settlement counts as the assigned
        population, before the random draw of who is insured.

        Returns
        -------
        dict
            Year → residents expected over the year's months × ``population.insured_share``.
        """
        cfg = self.config
        self._check_residents()
        system = self.system if self.system is not None else load_county(cfg)
        years = cfg.period.years
        targets = population_targets(system, years)
        scale = 1.0 if self.residents is None else self.residents / targets[years[0]][0]
        plan = plan_population(cfg, targets, scale=scale)
        share = cfg.population.insured_share
        return {y: plan.mean_population(y) * share for y in years}

    def run(
        self,
        *,
        sink: TableSink | None = None,
        chunk_residents: int = 65_536,
        settle: Settle | None = None,
        progress: Callable[[int, int], None] | None = None,
        run_id: str | None = None,
        size_checked: bool = False,
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
            rules of the regime in force). A settlement with ``rules_for`` (as
            ``YearEndSettlement``) has its rules for the regime checked against the
            county's size before simulating (:func:`check_county_size`).
        progress
            Called with ``(done, total)`` block-years.
        run_id
            The run's id (:func:`ihms.sim.outputs.new_run_id`), recorded as the data
            set's ``run_id`` (the store's metadata, ``dataset.json``); None records none,
            so the same seed gives the same data set, metadata included.
        size_checked
            The caller has already run :func:`check_county_size` on this simulation with
            the rules ``settle`` gives the regime (:func:`ihms.sim.compare.compare_regimes`
            checks every regime before simulating any), so the run does not check again.

        Raises
        ------
        InputError
            Before simulating, a county whose insured residents are too few for the
            minimum savings rate table of the regime's rules (Deqing's:
            :func:`check_county_size`, naming ``parameter 'residents'``).
        """
        started = time.perf_counter()
        cfg = with_overrides(self.config, regime=self.regime, reform=self.reform, seed=self.seed)
        self._check_residents()
        regime = cfg.reform.regime
        settler = settle if settle is not None else YearEndSettlement()
        rules_for = getattr(settler, "rules_for", None)  # a bare callable names no rules
        if rules_for is not None and not size_checked:
            check_county_size(self, rules_for(regime))
        system = self.system if self.system is not None else load_county(cfg)
        years = cfg.period.years
        targets = population_targets(system, years)
        layout = layout_from_system(system, cfg)
        check_reform_consortia(layout, regime=regime, reform=cfg.reform.date, source=system.source)
        scale = 1.0 if self.residents is None else self.residents / targets[years[0]][0]
        plan = plan_population(cfg, targets, scale=scale)
        beh = behaviour(cfg, layout, regime=regime)
        sink = sink if sink is not None else MemorySink()
        months = cfg.period.months
        month_start = months.astype("datetime64[D]")
        period_end = (months[-1] + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
        month_year = months.astype("datetime64[Y]").astype(int) + 1970
        blocks = n_blocks(plan, cfg.block_size)
        per_chunk = max(1, chunk_residents // cfg.block_size)
        tally = Tally.empty(
            len(layout.grid_ids), len(months), len(layout.institution_ids), len(years)
        )
        promotion: dict[int, float] = {}
        funding: dict[int, int] = {years[0]: 0}
        accounts: list[YearAccounts] = []
        done, total_units = 0, blocks * len(years)
        info = RunInfo(
            period=Period.parse(str(month_start[0]), str(period_end)),
            source=f"ihms.sim: {system.name}, {regime_words(regime, cfg)}, seed {cfg.seed}",
            run_id=run_id,
            details=run_details(regime, cfg.baseline_regime, cfg.reform.date),
        )
        sink.open(info)
        try:
            for name, frame in structural_tables(system).items():
                sink.write(name, _arrow(name, frame))
            last_access = layout.access(years[-1])
            for yi, year in enumerate(years):
                per_capita = funding.get(year, 0) / 100 / max(plan.mean_population(year), 1.0)
                # The regime's effort month by month (a reform acts from its month on,
                # not before) plus what last year's balance funds, for the whole year.
                ym = np.flatnonzero(month_year == year)
                monthly = np.minimum(
                    1.0,
                    beh.promotion_effort[ym]
                    + promotion_from_funding(
                        per_capita, cfg.promotion.funding_scale_yuan_per_capita
                    ),
                )
                promotion[year] = float(monthly.mean())
                ctx = YearContext(
                    year=year,
                    year_index=yi,
                    n_years=len(years),
                    year_months=ym,
                    month_start=month_start,
                    period_end=period_end,
                    access=layout.access(year),
                    behaviour=beh,
                    promotion=monthly,
                    family_physician_odds=beh.family_physician_odds[ym],
                )
                for c0 in range(0, blocks, per_chunk):
                    chunk = [
                        self._block(b, yi, ctx, cfg, plan, layout, tally, beh, last_access)
                        for b in range(c0, min(blocks, c0 + per_chunk))
                    ]
                    _flush(sink, chunk, layout, cfg, month_start)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total_units)
                acct = close_year(tally, beh, regime, year, yi, month_year, layout, cfg)
                accounts.append(acct)
                promotion_fen = int(settler(acct))
                if yi + 1 < len(years):
                    funding[years[yi + 1]] = promotion_fen if acct.shared_balance else 0
            resources = institution_resources(
                system,
                layout,
                cfg,
                revenue_fen=tally.revenue_fen,
                scale=scale,
                annual_salary=annual_salary(settler, regime, cfg),
            )
            sink.write("resources", _arrow("resources", resources))
            staff = None
            if cfg.staff is not None:
                staff = simulated_staff(resources, layout, cfg)
                sink.write("staff_activities", staff_activities(staff, system, layout, cfg, beh))
                sink.write("staff", staff_table(staff))
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
            staff=staff,
            sink=sink,
            seconds=time.perf_counter() - started,
            residents=plan.n_slots,
            resident_months=int(tally.resident_months.sum()),
        )

    @staticmethod
    def _block(b, yi, ctx, cfg, plan, layout, tally, beh, last_access):
        res = sample_residents(plan, cfg, layout.village_weight, block=b)
        traits = sample_traits(res, cfg)
        out = simulate_block_year(res, traits, ctx, layout=layout, config=cfg, tally=tally)
        register = (
            register_columns(res, traits, cfg, plan, beh.family_physician_odds, last_access)
            if yi == 0
            else None
        )
        return out, register


def check_county_size(
    simulation: CountySimulation,
    rules: PaymentRules,
    *,
    option: str = "parameter 'residents'",
) -> None:
    """Refuse, before simulating, a county whose insured residents are too few for the
    minimum savings rate table of ``rules`` (:func:`ihms.sim.funding.check_assignable`:
    the expected insured population of each settled year, nothing simulated); rules
    without such a table pass. :meth:`CountySimulation.run` calls it with the rules its
    settlement gives the regime, unless told the caller has (``size_checked=True``).

    Raises
    ------
    InputError
        Naming ``option`` (``ihms sim run|compare`` show ``option '--residents'``), the
        insured residents expected and how many residents to simulate.
    """
    rule = rules.shared_savings
    if rule is None or not rule.msr_table:
        return
    cfg = with_overrides(simulation.config, reform=simulation.reform)
    check_assignable(
        rules,
        simulation.expected_insured(),
        residents=simulation.residents,
        from_year=first_settled_year(cfg.reform.date),
        insured_share=cfg.population.insured_share,
        option=option,
    )


def load_county(config: SimulationConfig) -> System:
    """The delivery system the config's ``county`` names (``ihms.system.load_system``),
    its messages naming the file relative to the current folder when below it (as a
    user gives it: ``bad/county.yaml``, not ``county.yaml``), else in full. A
    ``simulation:`` section of its own is the config, read and noted on already, or not
    the run's: its tuned values outside the tuning's bounds are not noted again."""
    from ihms.sim.load import bounds_noted_already

    path = Path(config.county)
    shown = os.path.relpath(path) if path.is_absolute() else str(path)
    if shown.startswith(".."):
        shown = str(path)
    try:
        text = read_text(path, error=ConfigError)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
    with bounds_noted_already():
        return county_system(text, shown)  # parsed once per text


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
