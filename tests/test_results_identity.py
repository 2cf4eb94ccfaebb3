"""Results that hold tables compare by identity, as statsmodels' and scikit-learn's do.

A frozen dataclass compares and hashes its fields; with a DataFrame or array among them
``a == b`` raises "The truth value of a DataFrame is ambiguous", and so do ``a in
list_of_results``, ``{a}`` and a dict keyed by results — traps a user meets in an
ordinary session. Every public results dataclass holding a table therefore sets
``eq=False`` (identity comparison, identity hash)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pandas as pd

import ihms
from ihms.summary import SummaryTable

TABLE_TYPES = ("DataFrame", "Series", "ndarray")
# Internal engine records (simulator blocks, feature blocks, solver fits) never reach a
# user and are compared field by field in their own tests.
INTERNAL_MODULES = ("ihms.sim.", "ihms.data._", "ihms.stats._", "ihms.policy.autocode.features")
PUBLIC_SIM = {"CalibrationResults", "Measurements", "RegimeComparison", "SimulationResults",
              "TuningResults", "YearAccounts"}  # fmt: skip


def _public_results_with_tables():
    for info in pkgutil.walk_packages(ihms.__path__, "ihms."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if not (inspect.isclass(obj) and dataclasses.is_dataclass(obj)):
                continue
            if obj.__module__ != module.__name__:
                continue
            internal = name.startswith("_") or module.__name__.startswith(INTERNAL_MODULES)
            if internal and name not in PUBLIC_SIM:
                continue
            if any(t in str(f.type) for f in dataclasses.fields(obj) for t in TABLE_TYPES):
                yield f"{module.__name__}.{name}", obj


def test_every_public_results_class_holding_a_table_compares_by_identity():
    found = dict(_public_results_with_tables())
    assert "ihms.indicators.results.IndicatorResults" in found  # the scan sees them
    assert "ihms.sim.results.SimulationResults" in found
    by_value = sorted(name for name, cls in found.items() if cls.__dataclass_params__.eq)
    assert by_value == []


def test_a_table_in_a_list_or_set_does_not_raise():
    a = SummaryTable(pd.DataFrame({"x": [1, 2]}), title="t")
    b = SummaryTable(pd.DataFrame({"x": [1, 2]}), title="t")
    assert a == a and a != b
    assert a not in [b] and a in [b, a]
    assert len({a, b, a}) == 2
