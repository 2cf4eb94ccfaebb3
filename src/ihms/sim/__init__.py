"""A county to try payment reforms on: residents, illness, care-seeking, referral,
chronic disease management and provider behaviour under a payment regime, month by month.

The output is the delivery-system data tables (population register, encounters,
referrals, chronic follow-ups, institution resources), so indicators, payment settlement
and the ITS evaluation run the same on simulated and on real data.
"""

from ihms.sim.config import SimulationConfig
from ihms.sim.layout import CountyLayout, synthesize_layout
from ihms.sim.load import load_sim_config
from ihms.sim.run import CountySimulation, SimulationResults, YearAccounts, with_overrides
from ihms.sim.tables import MemorySink, NullSink, ParquetSink

__all__ = [
    "CountyLayout",
    "CountySimulation",
    "MemorySink",
    "NullSink",
    "ParquetSink",
    "SimulationConfig",
    "SimulationResults",
    "YearAccounts",
    "load_sim_config",
    "synthesize_layout",
    "with_overrides",
]
