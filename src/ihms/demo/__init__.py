"""``ihms demo``: the whole toolkit on bundled example data, written as one report.

The demo is a list of :class:`Step` objects run in order. Each step computes with the
library (never with code of its own that the library lacks), may leave artefacts for
later steps in :attr:`DemoContext.artefacts` (the simulated county's DuckDB file, say),
and returns report sections. :func:`run_demo` shows a progress bar and writes
``<out>/report.html`` with every table as CSV and XLSX.
"""

from ihms.demo._run import STEPS, DemoContext, Step, run_demo

__all__ = ["STEPS", "DemoContext", "Step", "run_demo"]
