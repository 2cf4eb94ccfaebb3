"""One-way sensitivity analysis: how much a simulated outcome moves when one parameter at a
time is set to the low and then the high end of its range, the others kept at the
config's values (``ihms sim sensitivity``, user review 22s M1).

Each setting runs :func:`ihms.sim.compare.compare_regimes` — the baseline regime and the
reform regime with the same seed — so an outcome can be a regime's figure or the reform's
effect (its difference from the baseline, absolute or relative, taken within the run). All
settings share the seed (common random numbers), so what moves an outcome is the
parameter, bar the jitter a changed parameter causes by shifting later draws. The ranges
are the tuning bounds of the calibrated parameters (:data:`ihms.sim.tune.TUNED`: where the
fit may put them, not a measured uncertainty) or the ones given. :meth:`Sensitivity.tornado`
orders the parameters by how far the chosen outcome moves from the base run's (the
farther end), widest bar first, as a tornado diagram does.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.errors import InputError
from ihms.sim.compare import compare_regimes
from ihms.sim.config import SimulationConfig
from ihms.sim.regime import check_regimes
from ihms.sim.run import load_county
from ihms.sim.seeds import LABELS, MEASURES, _seed_values
from ihms.sim.tune import TUNED, apply_tuned, numeric_slot
from ihms.summary import SummaryTable

__all__ = [
    "Sensitivity",
    "Varied",
    "check_outcome",
    "default_varied",
    "one_way",
    "parse_vary",
    "with_value",
]

_OPTION = "option '--vary'"
#: Keys that are not behaviour: the seed's effect is ``sim compare --seeds``'.
_NOT_VARIED = ("seed", "block_size")
_BAR = 6  # characters on each side of a tornado bar
_RANGES = {
    "given": "given with --vary",
    "tuning bounds": "the tuning bounds, where the calibration may put a tuned value (not a "
    "measured uncertainty)",
}


@dataclass(frozen=True)
class Varied:
    """A parameter varied: its dotted key, range, the config's value and where the range
    comes from (``tuning bounds`` or ``given``)."""

    key: str
    low: float
    high: float
    base: float
    range_from: str


def _numeric_keys(node: Any, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            out |= _numeric_keys(v, f"{prefix}{k}.")
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        out[prefix[:-1]] = float(node)
    return out


def _parameters(config: SimulationConfig) -> dict[str, float]:
    """Every numeric parameter of ``config`` by dotted key, with the value used."""
    data = config.model_dump()
    data.pop("calibration", None)
    return {k: v for k, v in _numeric_keys(data).items() if k not in _NOT_VARIED}


def _number(text: str, given: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(f"{_OPTION}: expected KEY=LOW:HIGH with numbers, got {given!r}")
    return value


def parse_vary(text: str, config: SimulationConfig) -> Varied:
    """The parameter ``--vary`` names: ``KEY`` (a tuned parameter, over its tuning bounds)
    or ``KEY=LOW:HIGH`` (any numeric parameter, e.g.
    ``regimes.sanming.promotion_effort=0.1:0.5``).

    Raises
    ------
    InputError
        An unknown key (with the nearest keys), the seed or block size, a key without a
        range that has no tuning bounds, or a range that is not two numbers, low < high.
    """
    key, sep, span = (part.strip() for part in text.partition("="))
    values = _parameters(config)
    if key in _NOT_VARIED:
        raise InputError(
            f"{_OPTION}: {key!r} is not a behaviour; the spread over seeds is `sim compare --seeds`"
        )
    if key not in values:
        near = difflib.get_close_matches(key, list(values), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        raise InputError(f"{_OPTION}: no numeric parameter {key!r} in the config{hint}")
    bounds = {t.path: (t.low, t.high) for t in TUNED}
    if not sep:
        if key not in bounds:
            raise InputError(
                f"{_OPTION}: {key!r} has no tuning bounds; give its range, "
                f"{key}=LOW:HIGH (the config's value is {values[key]:g})"
            )
        low, high = bounds[key]
        return Varied(key, low, high, values[key], "tuning bounds")
    low_text, colon, high_text = span.partition(":")
    if not colon:
        raise InputError(f"{_OPTION}: expected KEY=LOW:HIGH, got {text!r}")
    low, high = _number(low_text, text), _number(high_text, text)
    if not low < high:
        raise InputError(f"{_OPTION}: expected LOW < HIGH, got {text!r}")
    return Varied(key, low, high, values[key], "given")


def default_varied(config: SimulationConfig) -> tuple[Varied, ...]:
    """The tuned parameters over their tuning bounds (what runs without ``--vary``)."""
    return tuple(parse_vary(t.path, config) for t in TUNED)


def with_value(config: SimulationConfig, key: str, value: float) -> SimulationConfig:
    """A validated copy of ``config`` with the parameter ``key`` set to ``value``; a tuned
    value at ``key`` is set too (else the calibration block would put it back).

    Raises
    ------
    InputError
        ``key`` names no numeric parameter (the message names it as given), or the config
        refuses the value.
    """
    from ihms.sim.load import config_from_mapping

    data = config.model_dump()
    try:
        numeric_slot(data, key)
    except KeyError:
        raise InputError(f"{_OPTION}: no numeric parameter {key!r} in the config") from None
    calibration = data.get("calibration")
    if calibration and key in calibration.get("tuned", {}):
        calibration["tuned"] = {**calibration["tuned"], key: float(value)}
    where = f"{_OPTION} {key}={value:g}"
    return config_from_mapping(apply_tuned(data, {key: value}, where=where), where=where)


def check_outcome(
    outcome: str, measure: str, year: int, years: Sequence[int], regime: str, baseline: str
) -> None:
    """Refuse an outcome, measure or year a sensitivity run cannot give (``InputError``
    naming the parameter ``outcome``, ``measure`` or ``year``)."""
    if outcome not in LABELS:
        raise InputError(
            f"parameter 'outcome': expected one of {', '.join(LABELS)}; got {outcome!r}"
        )
    if measure not in MEASURES:
        raise InputError(f"parameter 'measure': expected one of {list(MEASURES)}, got {measure!r}")
    if measure != "value" and regime == baseline:
        raise InputError(
            f"parameter 'measure': {measure!r} compares a reform regime with {baseline}; with "
            f"{baseline} alone the measure is 'value'"
        )
    if year not in years:
        raise InputError(
            f"parameter 'year': expected one of the simulated years {list(years)}, got {year}"
        )


@dataclass(frozen=True, eq=False)
class Sensitivity(SummaryHtml):
    """The figures of every setting run.

    Attributes
    ----------
    values
        Long table: parameter (None for the base run), setting (``base``, ``low``,
        ``high``), parameter_value, regime, measure (:data:`ihms.sim.seeds.MEASURES`), year,
        figure, value.
    varied
        The parameters varied, in the order run.
    regime, baseline
        The regime whose figures a tornado reads, and the one differences are from (the
        same regime when only one was run).
    residents, seed
        The county's scaled size (None: the county file's) and the seed of every run.
    """

    values: pd.DataFrame
    varied: tuple[Varied, ...]
    regime: str
    baseline: str
    residents: int | None
    seed: int

    def outcome(self, outcome: str, measure: str, year: int) -> pd.Series:
        """The outcome of each run: (parameter, setting) → value (base under (None,
        'base'))."""
        years = sorted(int(y) for y in self.values["year"].unique())
        check_outcome(outcome, measure, year, years, self.regime, self.baseline)
        v = self.values
        sel = v[
            (v["regime"] == self.regime)
            & (v["measure"] == measure)
            & (v["year"] == year)
            & (v["figure"] == outcome)
        ]
        return sel.set_index([sel["parameter"].fillna(""), "setting"])["value"]

    def tornado(self, outcome: str = "charged", measure: str = "difference", year: int = 0):
        """One row per parameter, the farthest reach first: ``low``, ``high`` (the range),
        ``base`` (the config's value), ``at low``, ``at high`` (the outcome there),
        ``swing`` (at high − at low) and ``reach`` (the farther end's distance from the base
        run's outcome, max(|at low − base|, |at high − base|)). ``year`` 0: the last
        simulated year.

        Ordered by reach, not by |swing| (as e.g. dampack's ``owsa_tornado`` orders): when
        both ends fall on one side of the base run, |swing| understates how far the
        parameter moves the outcome, while the reach is the longer arm of the bar drawn
        from the base (review 23 L3). Ties keep the order run; no outcome (NaN) goes last.
        """
        year = year or int(self.values["year"].max())
        got = self.outcome(outcome, measure, year)
        base = got[("", "base")]
        rows = [
            {
                "parameter": p.key,
                "low": p.low,
                "high": p.high,
                "base": p.base,
                "at low": got[(p.key, "low")],
                "at high": got[(p.key, "high")],
            }
            for p in self.varied
        ]
        frame = pd.DataFrame(rows).set_index("parameter")
        frame["swing"] = frame["at high"] - frame["at low"]
        frame["reach"] = pd.concat(
            [(frame["at low"] - base).abs(), (frame["at high"] - base).abs()], axis=1
        ).max(axis=1, skipna=False)
        order = frame["reach"].fillna(-1).sort_values(ascending=False, kind="stable")
        return frame.loc[order.index]

    def summary(self, outcome: str = "charged", measure: str = "difference", year: int = 0):
        """The tornado as a table, each row with a bar: left of ``|`` how far the outcome
        falls below the base run's, right how far it rises, scaled to the widest."""
        year = year or int(self.values["year"].max())
        base = float(self.outcome(outcome, measure, year)[("", "base")])
        frame = self.tornado(outcome, measure, year)
        reach = max(
            (abs(x - base) for x in frame[["at low", "at high"]].to_numpy().ravel() if x == x),
            default=0.0,
        )

        def bar(row) -> str:
            lo, hi = min(row["at low"], row["at high"]), max(row["at low"], row["at high"])
            if reach == 0 or lo != lo:
                return ""
            left = round(_BAR * max(base - lo, 0) / reach)
            right = round(_BAR * max(hi - base, 0) / reach)
            return " " * (_BAR - left) + "█" * left + "|" + "█" * right

        shown = pd.DataFrame(
            {
                "at low": frame["at low"],
                "at high": frame["at high"],
                "swing": frame["swing"],
                "reach": frame["reach"],
                "tornado": frame.apply(bar, axis=1),
                "range": [
                    f"{lo:g}–{hi:g}" for lo, hi in zip(frame["low"], frame["high"], strict=True)
                ],
                "config's": [f"{b:g}" for b in frame["base"]],
            },
            index=frame.index,
        )
        what = {
            "value": f"{self.regime}",
            "difference": f"{self.regime} − {self.baseline}",
            "relative difference (%)": f"{self.regime} vs {self.baseline} (%)",
        }[measure]
        size = "" if self.residents is None else f", {self.residents:,} residents"
        return SummaryTable(
            shown,
            title=(
                f"One-way sensitivity, {year}: {LABELS[outcome]}, {what}{size}, seed {self.seed}"
            ),
            notes=(
                f"Base run (every parameter at the config's value): {base:,.4f}.",
                "Each parameter is set alone to the low and the high end of its range, the "
                "others at the config's values; every run has the same seed, so the swing "
                "(at high − at low) is the parameter's, bar the jitter a changed parameter "
                "causes by shifting later draws (its size: sim compare --seeds). Rows are "
                "ordered by reach, the farther end's distance from the base run (both ends "
                "may lie on one side of it, when the swing understates the effect). Ranges: "
                + "; ".join(_RANGES[r] for r in sorted({p.range_from for p in self.varied}))
                + ".",
                "Bar: left of | how far the outcome falls below the base run's, right how "
                "far it rises, scaled to the widest. Every outcome and year: --json.",
            ),
        )

    def to_json(self, outcome: str = "charged", measure: str = "difference", year: int = 0):
        """The tornado asked for, the base outcome, the parameters and every run's figures."""
        year = year or int(self.values["year"].max())
        tornado = self.tornado(outcome, measure, year).reset_index()
        return {
            "outcome": outcome,
            "measure": measure,
            "year": year,
            "regime": self.regime,
            "baseline": self.baseline,
            "residents": self.residents,
            "seed": self.seed,
            "base": float(self.outcome(outcome, measure, year)[("", "base")]),
            "varied": [vars(p) for p in self.varied],
            "tornado": tornado,
            "values": self.values,
        }


def one_way(
    config: SimulationConfig,
    varied: Sequence[Varied],
    *,
    regime: str | None = None,
    residents: int | None = None,
    seed: int | None = None,
    system=None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Sensitivity:
    """Run the base config and each parameter at its low and high end.

    Parameters
    ----------
    config
        The simulation config (its values are the base).
    varied
        The parameters (:func:`parse_vary`), each once; at least one.
    regime
        The reform regime (default: the config's ``reform.regime``), run with the config's
        baseline regime; the baseline alone gives only its values.
    residents, seed
        The county's scaled size and the seed of every run (default: the config's).
    system
        The delivery system (default: read once from the config's ``county`` file).
    progress
        Called before each comparison with its number, the number of comparisons and
        what it runs.

    Raises
    ------
    InputError
        No parameter or one twice, a value the config refuses, and what
        :func:`~ihms.sim.compare.compare_regimes` refuses — all before any simulating.
    """
    varied = tuple(varied)
    if not varied:
        raise InputError(f"{_OPTION}: no parameter to vary")
    keys = [p.key for p in varied]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise InputError(f"{_OPTION}: each parameter once; given twice: {', '.join(twice)}")
    regime = regime or config.reform.regime
    regimes = tuple(dict.fromkeys((config.baseline_regime, regime)))
    check_regimes(config, regimes)
    seed = config.seed if seed is None else seed
    runs: list[tuple[str | None, str, float | None, SimulationConfig]] = [
        (None, "base", None, config)
    ]
    for p in varied:  # every setting is validated before anything is simulated
        for setting, value in (("low", p.low), ("high", p.high)):
            runs.append((p.key, setting, value, with_value(config, p.key, value)))
    system = system if system is not None else load_county(config)
    frames = []
    for i, (key, setting, value, cfg) in enumerate(runs, 1):
        if progress is not None:
            progress(i, len(runs), "base" if key is None else f"{key}={value:g}")
        comparison = compare_regimes(
            cfg, regimes=regimes, residents=residents, seed=seed, system=system
        )
        frames.append(
            _seed_values(comparison, seed, config.baseline_regime)
            .drop(columns="seed")
            .assign(parameter=key, setting=setting, parameter_value=value)
        )
    values = pd.concat(frames, ignore_index=True)
    first = ["parameter", "setting", "parameter_value"]
    values = values[first + [c for c in values.columns if c not in first]]
    return Sensitivity(
        values=values,
        varied=varied,
        regime=regime,
        baseline=config.baseline_regime,
        residents=residents,
        seed=seed,
    )
