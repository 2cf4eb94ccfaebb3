"""What the indicators take from the delivery-system file when one is given: the
declared referral pathway (off-pathway referrals), and the grids' year-end populations
(set against the residents register, or used as the population denominator)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from ihms.errors import InputError, did_you_mean
from ihms.indicators import _sources
from ihms.indicators._engine import IndicatorTables
from ihms.indicators.catalogue import Indicator, Measure
from ihms.indicators.results import Omission
from ihms.system._held import held_ids

__all__ = [
    "GRIDS_HINT",
    "NO_PATHWAY",
    "PATHWAY_REASON",
    "POPULATION_TOLERANCE",
    "SYSTEM_HINT",
    "check_population",
    "for_cli",
    "grid_population",
    "needs_pathway",
    "population_notes",
    "system_match",
]

#: How far (a fraction of the system file's figure) the register's year-end count of a
#: county may lie from its grids' populations before the results say so.
POPULATION_TOLERANCE = 0.05

_NAMED = 5

#: The library's hints in the texts below; the command line shows its options instead
#: (:func:`for_cli`).
SYSTEM_HINT = "compute(system=load_system(FILE))"
GRIDS_HINT = "compute(population='grids')"
_CLI_HINTS = {
    SYSTEM_HINT: "--system FILE",
    GRIDS_HINT: "--population grids",
    "population='register'": "--population register",
    "include_districts=True": "--include-districts",
}

#: Why ``off_pathway_referrals`` is left out without the system file: the reason,
#: then the hint.
PATHWAY_REASON = (
    "it judges referrals against the referral pathway of the delivery-system file, which "
    "the data do not hold"
)
NO_PATHWAY = f"{PATHWAY_REASON} (give it: {SYSTEM_HINT})"


def for_cli(text: str) -> str:
    """``text`` (a note or reason of the results) with the library's hints replaced by
    the command line's options (``--system FILE``, ``--population grids``)."""
    for hint, option in _CLI_HINTS.items():
        text = text.replace(hint, option)
    return text


def check_population(population: str, system, *, option: str, system_option: str) -> None:
    """Refuse a ``population`` other than register or grids, or grids without the
    system file; ``option`` and ``system_option`` name the parameters as the caller's
    user knows them (``--population``, ``--system FILE``)."""
    if population not in ("register", "grids"):
        raise InputError(
            f"{option}: expected register or grids, got {population!r}"
            + did_you_mean(population, ("register", "grids"))
        )
    if population == "grids" and system is None:
        raise InputError(
            f"{option} grids takes the grid populations of the delivery-system file "
            f"({system_option}); give it, or divide by the residents register"
        )


#: Why an indicator over the insured population is left out with population="grids".
REGISTER_ONLY = (
    "its population counts insured residents, which the system file's grid populations "
    "do not give; computed over the residents register only (population='register')"
)


def register_only(chosen: Iterable[Indicator], population: str) -> dict[str, Omission]:
    """The indicators left out with ``population="grids"``: those whose population is
    filtered (the insured), which only the register can count."""
    if population != "grids":
        return {}
    return {
        ind.id: Omission(ind.id, REGISTER_ONLY)
        for ind in chosen
        if any(
            m is not None and m.source == "population" and m.where
            for m in (ind.numerator, ind.denominator)
        )
    }


def needs_pathway(indicator: Indicator) -> bool:
    """Whether ``indicator`` judges referrals against the declared pathway."""
    measures = (indicator.numerator, indicator.denominator)
    return any(m is not None and any(c.column == "on_pathway" for c in m.where) for m in measures)


def _population_ids(chosen: Iterable[Indicator]) -> list[str]:
    return [
        ind.id
        for ind in chosen
        if any(m is not None and m.source == "population" for m in (ind.numerator, ind.denominator))
    ]


def _figures(system) -> pd.DataFrame:
    """``grid_id``, ``county_id``, ``year``, ``population``: the file's year-end figures."""
    rows = [(g.id, g.county, y, n) for g in system.grids for y, n in g.population.items()]
    return pd.DataFrame(rows, columns=["grid_id", "county_id", "year", "population"])


def _data_grids(t: IndicatorTables) -> list[str]:
    """The grid ids of the data (its ``grids`` table)."""
    return t["grids"].select("grid_id").to_pandas()["grid_id"].dropna().tolist()


def _data_institutions(t: IndicatorTables) -> list[str]:
    """The institution ids of the data (its ``institutions`` table)."""
    frame = t["institutions"].select("institution_id").to_pandas()
    return frame["institution_id"].dropna().tolist()


def system_match(t: IndicatorTables, system) -> list[str]:
    """Whether ``system`` is the file of the data ``t``: refused (``InputError``) when
    it holds fewer than half of the data's institutions or grids (another county's
    file: every referral would count as off the pathway, every grid population be
    missing; :attr:`ihms.system._held.Held.too_few`), naming how many it holds;
    otherwise a note naming the institutions and grids of the data it lacks."""
    source = system.source or "the system file"
    insts = held_ids(_data_institutions(t), (i.id for i in system.institutions))
    grids = held_ids(_data_grids(t), (g.id for g in system.grids))
    if insts.too_few or grids.too_few:
        raise InputError(
            f"{source}: holds {insts.held:,} of the data's {insts.named:,} "
            f"institutions and {grids.held:,} of its {grids.named:,} grids "
            "— the file of another county? Give the delivery-system file the data were "
            "built from"
        )
    parts = []
    if insts.lacking:
        parts.append(
            f"{len(insts.lacking):,} of the data's {insts.named:,} institutions are not in "
            f"it ({insts.lacking_named()}): their up and down referrals count as off the "
            "pathway"
        )
    if grids.lacking:
        parts.append(
            f"{len(grids.lacking):,} of its {grids.named:,} grids are not ("
            f"{grids.lacking_named()}): the file gives no population for them, so with "
            "the grids' populations theirs, and every total holding them, is missing, and "
            "the register is set against the file's figures without them"
        )
    return [f"system file {source}: " + "; ".join(parts)] if parts else []


def _percent(x: float) -> str:
    """``x`` (a percentage) written plainly, never in scientific notation: whole from
    10 up (``125``, ``1,200``), else to two decimals (``0.17``, ``5``)."""
    if x >= 10:
        return f"{x:,.0f}"
    if 0 < x < 0.01:
        return "< 0.01"
    return f"{x:.2f}".rstrip("0").rstrip(".")


def population_notes(
    t: IndicatorTables, system, chosen: list[Indicator], population: str
) -> list[str]:
    """The note on the per-resident rates' denominator when ``system`` is given: with
    the register (``population="register"``), the county-years whose register count on
    the year's last day lies more than :data:`POPULATION_TOLERANCE` from the grids'
    populations the file gives for that year (the grids without a figure that year left
    out of both), naming both numbers; with ``population="grids"``, that the file's
    figures are the denominator."""
    ids = _population_ids(chosen)
    if system is None or not ids:
        return []
    if population == "grids":
        return [
            f"population: {', '.join(ids)} {'divides' if len(ids) == 1 else 'divide'} by "
            "the system file's grid populations "
            "(year-end figures; an average population is the mean of the previous year's "
            "figure, or the year's own for the first, and the year's; a month takes its "
            "year's), not the residents register"
        ]
    years = list(t.period.years)
    measure = Measure("population", "count_end")
    register = _sources.population(t, "year", [measure], years)
    register = register.rename(columns={"period_key": "year", measure.engine_key: "register"})
    figures = _figures(system)
    both = figures.merge(register, on=["grid_id", "year"], how="left").fillna({"register": 0})
    both = both[both["year"].isin(years)]
    by_county = both.groupby(["county_id", "year"])[["population", "register"]].sum()
    off = by_county[
        (by_county["population"] > 0)
        & (
            (by_county["register"] - by_county["population"]).abs()
            > POPULATION_TOLERANCE * by_county["population"]
        )
    ]
    if off.empty:
        return []
    parts = [
        f"county {county} at the end of {year}: {int(row.register):,} in the register, "
        f"{int(row.population):,} by the system file's grids "
        f"({_percent(100 * row.register / row.population)} %)"
        for (county, year), row in off.head(_NAMED).iterrows()
    ]
    more = f" and {len(off) - _NAMED:,} more county-years" if len(off) > _NAMED else ""
    return [
        "population: the residents register and the system file's grid populations lie "
        f"more than {POPULATION_TOLERANCE:.0%} apart — {'; '.join(parts)}{more}. "
        f"{', '.join(ids)} {'divides' if len(ids) == 1 else 'divide'} by the register: check that it holds every resident, "
        f"not only the patients seen, or divide by the file's figures ({GRIDS_HINT})"
    ]


def grid_population(system) -> Callable:
    """A ``population`` source reading the system file's grid populations in place of
    the register: on a year's last day the year's figure; at its start the previous
    year's (the year's own when the file gives none before it); a month takes its
    year's figure at both ends. A grid without a figure for the year, or one of the data
    the file does not hold, is missing there (so is every unit holding it), not 0."""
    figures = _figures(system).set_index(["grid_id", "year"])["population"]
    in_file = {g.id for g in system.grids}

    def source(
        t: IndicatorTables, period: str, measures: list[Measure], periods: list[int]
    ) -> pd.DataFrame:
        # every grid of the data, those the file lacks with no figure (missing)
        grids = sorted(in_file | set(_data_grids(t)))
        rows = []
        for key in periods:
            year = key // 100 if period == "month" else key
            for grid in grids:
                end = figures.get((grid, year))
                start = end if period == "month" else figures.get((grid, year - 1), end)
                rows.append((key, grid, end, start))
        frame = pd.DataFrame(rows, columns=["period_key", "grid_id", "end", "start"])
        end = frame["end"].astype("Int64")
        twice = (frame["start"].astype("Int64") + end).astype("Int64")
        out = frame[["period_key", "grid_id"]].astype({"period_key": "int64"})
        for m in measures:
            out[m.engine_key] = twice if m.agg == "mean_start_end" else end
            if m.where:  # the file counts residents, not the insured: unknown here
                out[m.engine_key] = pd.array([pd.NA] * len(out), dtype="Int64")
        return out

    return source
