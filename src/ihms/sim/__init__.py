"""A county to try payment reforms on: residents, illness, care-seeking, referral,
chronic disease management and provider behaviour under a payment regime, month by month.

The county's structure is a delivery system (:mod:`ihms.system`, e.g.
``examples/youxi.yaml``); the behaviour is the ``simulation:`` section
(``examples/youxi_sim.yaml``). The output is the data layer's tables (residents,
encounters, referrals, follow-ups, resources; :mod:`ihms.data`), so indicators, payment
settlement and the ITS evaluation run the same on simulated and on real data.
"""

from ihms.sim.config import SimulationConfig
from ihms.sim.funding import YearEndSettlement
from ihms.sim.layout import CountyLayout, layout_from_system
from ihms.sim.load import load_sim_config
from ihms.sim.results import SimulationResults, YearAccounts
from ihms.sim.run import CountySimulation, with_overrides
from ihms.sim.tables import MemorySink, NullSink, ParquetSink, StoreSink

__all__ = [
    "CountyLayout",
    "CountySimulation",
    "MemorySink",
    "NullSink",
    "ParquetSink",
    "SimulationConfig",
    "SimulationResults",
    "StoreSink",
    "YearAccounts",
    "YearEndSettlement",
    "layout_from_system",
    "load_sim_config",
    "with_overrides",
]
