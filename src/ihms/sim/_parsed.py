"""The files a run reads, parsed once per process for each text they hold.

PyYAML's pure-Python loader, whose node marks give the line each message names, takes
about 0.1 s for ``examples/youxi_sim.yaml`` and as long for its county file, and a
``sim run``, ``calibrate``, ``compare`` or ``sensitivity`` reads the config three times
and the county file three times over (the config's checks, then the run's
:func:`~ihms.sim.run.load_county`), and the built-in payment rules of each regime at
each settlement: with them parsed once, a repeated 800-resident ``sim run`` took 0.36 s
of CPU instead of 0.62 s (measured 2026-11-26).

The YAML itself is parsed once by :mod:`ihms._yaml_once`. Each object here is kept by
the exact text read, which the callers read from the file every time (an edited file is
parsed anew), and gives what parsing again would: the frozen
:class:`~ihms.system.System` and :class:`~ihms.payment.PaymentRules` as they are (their
readers only read them). A parse that fails is not kept, so its error comes every time;
nor is one that could warn (a county file with a section of its own, a rule text other
than the built-in file's), so its notes come every time too.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ihms.payment import BUILTIN_RULES, PaymentRules, load_rules
from ihms.payment import _config as _rule_files
from ihms.system import System, parse_system

#: How many different texts each kind keeps (a config, its county, a few edited copies).
_KEPT = 8


_SYSTEMS: dict[tuple[str, str], System] = {}


def county_system(text: str, source: str) -> System:
    """``parse_system(text, source=source)``, kept for a file without sections of other
    parts (``simulation:``): nothing in the core of a county file warns, a section's
    parser may, so a file with one is parsed each time."""
    held = _SYSTEMS.get((text, source))
    if held is not None:
        return held
    system = parse_system(text, source=source)
    if not system.extensions:
        while len(_SYSTEMS) >= _KEPT:
            del _SYSTEMS[next(iter(_SYSTEMS))]
        _SYSTEMS[text, source] = system
    return system


@lru_cache(maxsize=_KEPT)
def _shipped(name: str) -> str:
    return resources.files("ihms.payment").joinpath("rulesets", f"{name}.yaml").read_text("utf-8")


_RULES: dict[str, PaymentRules] = {}


def builtin_rules(name: str) -> PaymentRules:
    """``load_rules(name)`` for a built-in rule set (``sanming``), kept while its text is
    the file ihms ships (which loads without a note: ``tests/sim/test_parsed.py``);
    any other text (a test's stand-in) is loaded each time."""
    # the text as load_rules reads it (looked up when called: a stand-in is honoured)
    if name not in BUILTIN_RULES or _rule_files.builtin_rules_text(name) != _shipped(name):
        return load_rules(name)
    held = _RULES.get(name)
    if held is None:
        held = _RULES[name] = load_rules(name)
    return held
