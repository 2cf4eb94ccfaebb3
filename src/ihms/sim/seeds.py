"""The regimes compared over several seeds: how much of a simulated effect is the model's
own randomness (``ihms sim compare --seeds``).

:func:`compare_seeds` runs :func:`ihms.sim.compare.compare_regimes` once per seed — every
regime with that seed, so within a seed the regimes share residents and illnesses
(common random numbers) — and keeps, per seed, each figure of each regime and year, the
admissions behind the hospitalization rate, and each regime's difference from the
baseline regime (absolute and relative), taken within the seed. :class:`SeedSpread`
summarizes them over the seeds: mean, sample SD, min, max and the across-seed spread
``mean ± SPREAD_Z × SD``. That spread describes the model's randomness at the simulated
county's size; it is not a confidence interval of the real world, which the regimes'
assumed behaviour and the calibration dominate and which no seed varies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ihms._listing import in_words
from ihms.errors import InputError
from ihms.payment import PaymentRules
from ihms.sim._compare_notes import _baseline_note, _drift_note
from ihms.sim.compare import _MONEY, _N, COMPARED, compare_regimes
from ihms.sim.regime import check_regimes
from ihms.sim.run import load_county
from ihms.summary import SummaryTable

__all__ = ["HEADLINE", "MEASURES", "SPREAD_Z", "SeedSpread", "compare_seeds", "parse_seeds"]

#: Half-width of the across-seed spread in sample SDs of the seeds' values.
SPREAD_Z = 1.96
#: Per seed: a regime's figure, its difference from the baseline regime's, and that
#: difference as a percentage of the baseline's (left out where the baseline's is 0).
MEASURES = ("value", "difference", "relative difference (%)")
#: The admissions behind the hospitalization rate (its numerator), a figure of its own.
ADMISSIONS = "admissions"
LABELS = {**COMPARED, **_N, **_MONEY, ADMISSIONS: "Admissions (N)"}
#: The figures the console shows (the table and JSON hold every figure).
HEADLINE = (
    "charged",
    "balance_kept",
    ADMISSIONS,
    "hospitalization_rate",
    "outpatient_contacts_primary_share",
    "inpatient_outside_county_share",
    "hypertension_control_rate",
)
#: The console's shorter names of the headline figures.
_SHORT = {
    "charged": "Insurance spending charged (million yuan)",
    "balance_kept": "Kept by the consortium (million yuan)",
    ADMISSIONS: "Admissions (N)",
    "hospitalization_rate": "Admissions per 100 residents",
    "outpatient_contacts_primary_share": "Primary-care share of outpatient contacts (%)",
    "inpatient_outside_county_share": "Inpatient care outside the county (%)",
    "hypertension_control_rate": "Hypertension control (%)",
}
_OPTION = "option '--seeds'"


def _num(value: float) -> str:
    return "—" if not np.isfinite(value) else f"{value:,.2f}"


def parse_seeds(text: str, *, start: int) -> tuple[int, ...]:
    """The seeds ``--seeds`` names: a number of seeds (``5``: ``start`` … ``start + 4``)
    or a list (``1,2,3``).

    Raises
    ------
    InputError
        Fewer than 2 seeds, a seed given twice, or one that is not a whole number ≥ 0.
    """
    text = text.strip()
    if "," not in text:
        try:
            count = int(text)
        except ValueError:
            raise InputError(
                f"{_OPTION}: expected a number of seeds (e.g. 5) or a list of seeds "
                f"(e.g. 1,2,3), got {text!r}"
            ) from None
        if count < 2:
            raise InputError(
                f"{_OPTION}: a spread needs at least 2 seeds, got {count} (one run: --seed)"
            )
        if start < 0:
            raise InputError(f"option '--seed': expected a seed ≥ 0, got {start}")
        return tuple(range(start, start + count))
    seeds: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part.isdigit():
            raise InputError(
                f"{_OPTION}: expected seeds as whole numbers ≥ 0 separated by commas "
                f"(e.g. 1,2,3), got {part!r}"
            )
        if int(part) in seeds:
            raise InputError(f"{_OPTION}: seed {int(part)} is given twice")
        seeds.append(int(part))
    return tuple(seeds)


def _check_seeds(seeds: Sequence[int]) -> tuple[int, ...]:
    seeds = tuple(seeds)
    if len(seeds) < 2:
        raise InputError(f"seeds: a spread needs at least 2 seeds, got {list(seeds)}")
    bad = [s for s in seeds if isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 0]
    if bad:
        raise InputError(f"seeds: expected whole numbers ≥ 0, got {bad[0]!r}")
    if len(set(seeds)) < len(seeds):
        raise InputError(f"seeds: each seed once, got {list(seeds)}")
    return tuple(int(s) for s in seeds)


def _seed_values(comparison, seed: int, baseline: str) -> pd.DataFrame:
    """One seed's figures (``measure`` value) and each regime's differences from
    ``baseline`` within the seed, long: seed, regime, measure, year, figure, value."""
    counts = comparison.counts
    admissions = counts[counts["indicator"] == "hospitalization_rate"]
    admissions = admissions.assign(figure=ADMISSIONS, value=admissions["numerator"])
    values = pd.concat(
        [comparison.frame, admissions[["regime", "year", "figure", "value"]]], ignore_index=True
    )
    wide = values.pivot_table(
        index=["year", "figure"], columns="regime", values="value", aggfunc="first", dropna=False
    )
    frames = [values.assign(measure="value")]
    base = wide[baseline]
    usable = base.where(np.isfinite(base) & (base != 0))
    for regime in wide.columns:
        if regime == baseline:
            continue
        diff = wide[regime] - base
        for measure, series in (
            ("difference", diff),
            ("relative difference (%)", 100 * diff / usable),
        ):
            frames.append(
                series.rename("value").reset_index().assign(regime=regime, measure=measure)
            )
    out = pd.concat(frames, ignore_index=True).assign(seed=seed)
    out["year"] = out["year"].astype(int)
    return out[["seed", "regime", "measure", "year", "figure", "value"]]


@dataclass(frozen=True, eq=False)
class SeedSpread:
    """Each figure of each regime (and its difference from the baseline regime) by seed,
    and their summary over the seeds.

    Attributes
    ----------
    values
        Long table: seed, regime, measure (:data:`MEASURES`), year, figure, value.
    seeds
        The seeds run, in order.
    regimes
        The regimes compared, in order; ``baseline`` is the one differences are from.
    residents
        The county's scaled first-year population (None: the county file's).
    notes
        The comparison's caveats that hold for every seed (fee-for-service drift, the
        reform's baseline year).
    """

    values: pd.DataFrame
    seeds: tuple[int, ...]
    regimes: tuple[str, ...]
    baseline: str
    residents: int | None = None
    notes: tuple[str, ...] = ()

    def spread(self) -> pd.DataFrame:
        """One row per figure, regime, measure and year: ``n`` seeds with a value,
        ``mean``, ``sd`` (sample SD over seeds), ``min``, ``max``, ``spread_low`` and
        ``spread_high`` (mean ∓ :data:`SPREAD_Z` × SD) and each seed's value
        (``seed <s>``); rows with no value in any seed are left out."""
        wide = self.values.pivot_table(
            index=["figure", "regime", "measure", "year"],
            columns="seed",
            values="value",
            aggfunc="first",
            dropna=False,
        )[list(self.seeds)]
        wide = wide[wide.notna().any(axis=1)]
        stats = pd.DataFrame(
            {
                "n": wide.count(axis=1),
                "mean": wide.mean(axis=1),
                "sd": wide.std(axis=1, ddof=1),
                "min": wide.min(axis=1),
                "max": wide.max(axis=1),
            }
        )
        stats["spread_low"] = stats["mean"] - SPREAD_Z * stats["sd"]
        stats["spread_high"] = stats["mean"] + SPREAD_Z * stats["sd"]
        per_seed = wide.rename(columns=lambda s: f"seed {s}")
        out = pd.concat([stats, per_seed], axis=1).reset_index()
        out.columns.name = None
        order = {f: i for i, f in enumerate(LABELS)}
        out = out.assign(
            _f=out["figure"].map(order),
            _r=out["regime"].map({r: i for i, r in enumerate(self.regimes)}),
            _m=out["measure"].map({m: i for i, m in enumerate(MEASURES)}),
        ).sort_values(["_f", "_r", "_m", "year"])
        out.insert(1, "label", out["figure"].map(LABELS))
        out.insert(4, "versus", np.where(out["measure"] == "value", "", self.baseline))
        out.insert(6, "seeds", ",".join(map(str, self.seeds)))
        return out.drop(columns=["_f", "_r", "_m"]).reset_index(drop=True)

    def spread_note(self) -> str:
        """What the columns mean, and what the spread is not."""
        seeds = ", ".join(map(str, self.seeds))
        return (
            f"Over seeds {seeds}: each seed runs every regime once with the same seed "
            "(same residents and illnesses), so a difference from "
            f"{self.baseline} is taken within a seed, then summarized. SD: the sample SD "
            f"over the {len(self.seeds)} seeds. Across-seed spread: mean ± {SPREAD_Z} × SD, "
            "how far the model's own randomness moves a figure from run to run at this "
            "county size — not a confidence interval of the real world: the regimes' "
            "behaviour (regimes.*) and the calibration are assumptions no seed varies. "
            "With few seeds the SD is itself rough."
        )

    def summary(self, year: int) -> SummaryTable:
        """The headline figures (:data:`HEADLINE`) of ``year``: under each figure a row per
        regime and per difference from the baseline, with mean, SD, min to max and the
        across-seed spread."""
        spread = self.spread()
        years = sorted(int(y) for y in spread["year"].unique())
        if year not in years:
            raise InputError(f"year: expected one of the compared years {years}, got {year}")
        sel = spread[spread["year"] == year].set_index("figure")
        names = {
            "value": "{r}",
            "difference": "{r} − {b}",
            "relative difference (%)": "{r} vs {b} (%)",
        }
        index, rows = [], []
        for figure in HEADLINE:
            if figure not in sel.index:
                continue
            index.append(_SHORT[figure])
            rows.append(["", "", "", ""])
            for row in sel.loc[[figure]].itertuples():
                name = names[row.measure].format(r=row.regime, b=self.baseline)
                index.append(f"  {name}")
                rows.append(
                    [
                        _num(row.mean),
                        _num(row.sd),
                        f"{_num(row.min)} to {_num(row.max)}",
                        f"{_num(row.spread_low)} to {_num(row.spread_high)}",
                    ]
                )
        frame = pd.DataFrame(
            rows, index=index, columns=["mean", "SD", "min to max", "across-seed spread"]
        )
        frame.index.name = f"{year}"
        size = "" if self.residents is None else f", {self.residents:,} residents"
        return SummaryTable(
            frame,
            title=(
                f"{', '.join(self.regimes)} in {year} over seeds "
                f"{in_words(map(str, self.seeds))}{size}: mean, SD, min to max and "
                "across-seed spread"
            ),
            notes=(
                self.spread_note(),
                "Relative difference: (regime − baseline) / baseline × 100 within each seed; "
                "none where the baseline's figure is 0 (fee for service keeps no balance). "
                "Every figure, and each seed's value: --table or --json.",
                *self.notes,
            ),
        )

    def to_json(self) -> dict:
        """Seeds, regimes, what the spread is, the notes and every row of :meth:`spread`."""
        return {
            "seeds": list(self.seeds),
            "regimes": list(self.regimes),
            "baseline": self.baseline,
            "residents": self.residents,
            "spread_z": SPREAD_Z,
            "spread_is": "across-seed spread of the model's randomness (mean ± "
            f"{SPREAD_Z} × SD over seeds), not a confidence interval of the real world",
            "notes": [self.spread_note(), *self.notes],
            "spread": self.spread(),
        }


def compare_seeds(
    config,
    *,
    seeds: Sequence[int],
    regimes: tuple[str, ...] | None = None,
    residents: int | None = None,
    system=None,
    progress=None,
    rules: Mapping[str, PaymentRules] | None = None,
) -> SeedSpread:
    """Compare the regimes once per seed and gather the figures by seed.

    Parameters
    ----------
    config
        The simulation config.
    seeds
        At least 2 distinct seeds (whole numbers ≥ 0), run in this order.
    regimes, residents, progress, rules
        As :func:`~ihms.sim.compare.compare_regimes`; differences are from the config's
        baseline regime when compared, else from the first regime.
    system
        The delivery system (default: read once from the config's ``county`` file).

    Raises
    ------
    InputError
        Fewer than 2 seeds, a seed twice or a bad one, and what
        :func:`~ihms.sim.compare.compare_regimes` refuses — all before any simulating.

    Examples
    --------
    >>> from ihms.sim import load_sim_config
    >>> from ihms.sim.seeds import compare_seeds
    >>> cfg = load_sim_config("examples/youxi_sim.yaml")
    >>> spread = compare_seeds(  # doctest: +SKIP
    ...     cfg, seeds=(1, 2, 3), regimes=("fee-for-service", "sanming"), residents=3000
    ... )
    >>> spread.summary(2019)  # doctest: +SKIP
    """
    seeds = _check_seeds(seeds)
    regimes = check_regimes(config, regimes)
    baseline = config.baseline_regime if config.baseline_regime in regimes else regimes[0]
    system = system if system is not None else load_county(config)
    per_seed, notes = [], ()
    for seed in seeds:
        comparison = compare_regimes(
            config,
            regimes=regimes,
            residents=residents,
            seed=seed,
            system=system,
            progress=progress,
            rules=rules,
        )
        if not per_seed:
            notes = (
                *_baseline_note(comparison.runs, comparison.rules),
                *_drift_note(comparison.runs),
            )
        per_seed.append(_seed_values(comparison, seed, baseline))
    return SeedSpread(
        values=pd.concat(per_seed, ignore_index=True),
        seeds=seeds,
        regimes=regimes,
        baseline=baseline,
        residents=residents,
        notes=notes,
    )
