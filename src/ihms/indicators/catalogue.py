"""Indicator definitions as data (DHIS2 style), read from ``catalogue.yaml``.

An :class:`Indicator` is ``numerator / denominator x factor`` where numerator and
denominator are :class:`Measure` objects: a count or a sum over the records of one
*source* (see :data:`SOURCES`), filtered by simple conditions. The catalogue says, per
indicator, the periods and levels it may be computed at and the seed table it comes
from; :func:`load_catalogue` checks every definition against the sources so a typo in a
column or source name is an error at load time, not a wrong number later.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ihms._decode import read_text
from ihms._repr import brief_repr
from ihms.errors import ConfigError, InputError
from ihms.system.model import RESOURCE_FIELDS

__all__ = [
    "CATALOGUE",
    "COUNTY_SUMS",
    "LEVELS",
    "PERIODS",
    "POPULATION_AGGS",
    "SOURCES",
    "Catalogue",
    "Condition",
    "Indicator",
    "Measure",
    "Source",
    "load_catalogue",
]

LEVELS = ("total", "province", "city", "county", "grid", "consortium", "tier", "institution")
PERIODS = ("month", "year")
INSTITUTION_LEVELS = LEVELS
RESIDENT_LEVELS = ("total", "province", "city", "county", "grid", "consortium")
#: The levels summed over whole counties (``counties.city``; the province is the data's
#: counties of kind county, its districts too on request). An indicator whose levels include both county and total has them too:
#: its numerator and denominator add up over counties as they do into the total. One
#: without total (a county's own beds over its residents) does not: summed over a city
#: holding a capital's hospitals, their beds would stand over other counties' residents.
COUNTY_SUMS = ("province", "city")


@dataclass(frozen=True)
class Source:
    """Records a measure aggregates.

    Attributes
    ----------
    name
        The source's name, as a measure's ``source`` gives it.
    basis
        ``"institution"``: records belong to an institution, which places them in a
        tier, grid, county and consortia. ``"resident"``: records belong to a resident,
        placed by their grid of residence.
    periods
        Period types the records can be grouped by.
    record_columns
        Columns a filter or sum may use on each record.
    unit_columns
        Institution attributes a filter may use (institution-basis sources).
    """

    name: str
    basis: str
    periods: tuple[str, ...]
    record_columns: frozenset[str]
    unit_columns: frozenset[str] = frozenset()

    @property
    def levels(self) -> tuple[str, ...]:
        return INSTITUTION_LEVELS if self.basis == "institution" else RESIDENT_LEVELS


_MONEY = {"total_cost_fen", "insurance_paid_fen", "out_of_pocket_fen"}
_INST_ATTRS = frozenset({"tier", "care_level"})

SOURCES: Mapping[str, Source] = {
    s.name: s
    for s in (
        Source(
            "encounters",
            "institution",
            PERIODS,
            frozenset({"type", "length_of_stay_days", *_MONEY}),
            _INST_ATTRS,
        ),
        Source(
            "resident_encounters",
            "resident",
            PERIODS,
            frozenset(
                {
                    "type",
                    "tier",
                    "care_level",
                    "outside_county",
                    "length_of_stay_days",
                    "insured",
                    *_MONEY,
                }
            ),
        ),
        Source(
            "referrals",
            "institution",
            PERIODS,
            frozenset({"direction", "on_pathway"}),
            _INST_ATTRS,
        ),
        Source("referrals_received", "institution", PERIODS, frozenset({"direction"}), _INST_ATTRS),
        Source(
            "resources",
            "institution",
            ("year",),
            frozenset({*RESOURCE_FIELDS, "physicians"}),
            _INST_ATTRS,
        ),
        Source("institutions", "institution", ("year",), frozenset(), _INST_ATTRS),
        Source(
            "diagnoses",
            "institution",
            PERIODS,
            frozenset({"ambulatory_diagnoses", "inpatient_diagnoses"}),
            _INST_ATTRS,
        ),
        Source("population", "resident", PERIODS, frozenset({"insured"})),
        Source(
            "chronic_patients",
            "resident",
            ("year",),
            frozenset({"condition", "followups", "controlled"}),
        ),
    )
}


#: How a ``population`` measure counts the residents of a period, as
#: :meth:`Measure.describe` says it. The start of a period is the last day of the one
#: before it; a resident is present on a day when entry_date is on or before it (or
#: null) and exit_date after it (or null).
POPULATION_AGGS = {
    "count_end": "number of residents present on the period's last day",
    "mean_start_end": (
        "average population: the mean of the residents present at the period's start "
        "(on the previous period's last day) and on its last day, (start + end) / 2"
    ),
}

#: What one record of each source is, as :meth:`Measure.describe` says it.
SOURCE_RECORDS = {
    "encounters": "encounters (at the unit's institutions)",
    "resident_encounters": "encounters of the unit's residents (wherever treated)",
    "referrals": "referrals (from the unit's institutions)",
    "referrals_received": "referrals (to the unit's institutions)",
    "resources": "institution-years of the unit's institutions",
    "institutions": "the unit's institutions operating in the year",
    "diagnoses": "institution-periods (distinct diagnosis groups seen)",
    "population": "residents",
    "chronic_patients": (
        "managed patients (residents with the condition and a follow-up for it that year)"
    ),
}


@dataclass(frozen=True)
class Condition:
    """A filter on one column: membership in ``values``, or ``min <= x <= max``."""

    column: str
    values: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None

    def describe(self) -> str:
        if self.values is not None:
            return f"{self.column} in ({', '.join(map(str, self.values))})"
        parts = []
        if self.min is not None:
            parts.append(f"{self.column} >= {self.min:g}")
        if self.max is not None:
            parts.append(f"{self.column} <= {self.max:g}")
        return " and ".join(parts)


@dataclass(frozen=True)
class Measure:
    """A count or a sum over one source's records that satisfy every condition.

    The ``population`` source counts residents at a point in time instead:
    ``count_end`` (present on the period's last day) or ``mean_start_end`` (the mean of
    the counts at the period's start and end). The engine keeps the latter as the
    integer start + end, which adds up exactly over grids, consortia and counties (the
    sum of the units' averages is the average of their sums); :attr:`divisor` (2) turns
    it into the average when the indicator divides.
    """

    source: str
    agg: str
    column: str | None = None
    where: tuple[Condition, ...] = ()
    scale: str | None = None

    @property
    def divisor(self) -> int:
        """What the engine's (integer) value is divided by to give the measure."""
        return 2 if self.agg == "mean_start_end" else 1

    @property
    def record_where(self) -> tuple[Condition, ...]:
        units = SOURCES[self.source].unit_columns
        return tuple(c for c in self.where if c.column not in units)

    @property
    def unit_where(self) -> tuple[Condition, ...]:
        units = SOURCES[self.source].unit_columns
        return tuple(c for c in self.where if c.column in units)

    @property
    def engine_key(self) -> str:
        """Identifies what the engine must aggregate (before institution filters)."""
        where = " and ".join(c.describe() for c in self.record_where)
        return f"{self.source}|{self.agg}|{self.column or ''}|{where}"

    @property
    def key(self) -> str:
        where = " and ".join(c.describe() for c in self.where)
        return f"{self.source}|{self.agg}|{self.column or ''}|{where}|{self.scale or ''}"

    def describe(self) -> str:
        """The measure in words: what is counted or summed, over which records."""
        if self.agg in POPULATION_AGGS:
            text = POPULATION_AGGS[self.agg]
        else:
            what = "number of" if self.agg == "count" else f"sum of {self.column} over"
            text = f"{what} {SOURCE_RECORDS[self.source]}"
        if self.where:
            text += " where " + " and ".join(c.describe() for c in self.where)
        if self.scale == "days_in_period":
            text += ", times the days in the period"
        return text


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue (see the module docstring)."""

    id: str
    name_en: str
    name_zh: str
    numerator: Measure
    denominator: Measure | None
    factor: float
    unit: str
    periods: tuple[str, ...]
    levels: tuple[str, ...]
    seed: str
    suppress_on: tuple[str, ...] = ()
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "numerator": self.numerator.describe(),
            "denominator": self.denominator.describe() if self.denominator else None,
            "factor": self.factor,
            "unit": self.unit,
            "periods": list(self.periods),
            "levels": list(self.levels),
            "seed": self.seed,
            "suppress_on": list(self.suppress_on),
            "description": self.description,
        }


@dataclass(frozen=True)
class Catalogue:
    """An ordered set of indicators, looked up by id."""

    indicators: tuple[Indicator, ...]
    version: int = 1
    _by_id: Mapping[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {i.id: i for i in self.indicators})

    def __repr__(self) -> str:
        # the field-by-field repr ran to ~24,000 characters and filled help(compute)
        return brief_repr(self, version=self.version, indicators=len(self.indicators))

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __getitem__(self, indicator_id: str) -> Indicator:
        try:
            return self._by_id[indicator_id]
        except KeyError:
            close = difflib.get_close_matches(indicator_id, list(self._by_id), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise InputError(f"no indicator {indicator_id!r} in the catalogue{hint}") from None

    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]


#: The files of the shipped catalogue, read in this order as one catalogue.
SHIPPED_FILES = (
    "catalogue.yaml",
    "catalogue_resources.yaml",
    "catalogue_pathway.yaml",
    "catalogue_spending.yaml",
)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check a catalogue file (default: the one shipped with ihms).

    Parameters
    ----------
    path : str or Path, optional
        A catalogue YAML file; None (the default) reads the shipped catalogue
        (:data:`SHIPPED_FILES`, one catalogue in four files).

    Raises
    ------
    ConfigError
        The file cannot be read, is not YAML, or has invalid entries (all listed).
    """
    if path is None:
        texts = [
            (name, files("ihms.indicators").joinpath(name).read_text(encoding="utf-8"))
            for name in SHIPPED_FILES
        ]
    else:
        path = Path(path)
        try:
            text = read_text(path, name=f"catalogue {path}", error=ConfigError)
        except OSError as exc:
            raise ConfigError(
                f"{path}: cannot read the catalogue ({exc.strerror or exc})"
            ) from None
        texts = [(path.name, text)]
    from ihms.indicators._catalogue_read import indicator_entry, unknown_keys

    problems: list[str] = []
    indicators = []
    seen: set[str] = set()
    version = 1
    for name, text in texts:
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{name}: not valid YAML: {exc}") from None
        problems += unknown_keys(raw or {}, {"version", "indicators"}, name)
        version = int((raw or {}).get("version", 1))
        for n, item in enumerate((raw or {}).get("indicators", [])):
            where = f"{name} indicators[{n}]" + (
                f" ({item.get('id')})" if isinstance(item, dict) else ""
            )
            if not isinstance(item, dict):
                problems.append(f"{where}: expected a mapping")
                continue
            ind = indicator_entry(item, where, problems)
            if ind is not None:
                if ind.id in seen:
                    problems.append(f"{where}: id {ind.id!r} is used twice")
                seen.add(ind.id)
                indicators.append(ind)
    if problems:
        name = " and ".join(n for n, _ in texts)
        raise ConfigError(
            f"{name}: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return Catalogue(tuple(indicators), version=version)


CATALOGUE: Catalogue = load_catalogue()
"""The catalogue shipped with ihms (DOMAIN section 4, seeds 001, 002, 004)."""
