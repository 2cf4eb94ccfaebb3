"""The YAML format of a delivery system, as pydantic models (the config edge).

These models only parse; :mod:`ihms.system.load` turns them into the frozen domain
objects of :mod:`ihms.system.model` and checks the consortium rules there.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ihms._width import fold_width
from ihms.system._enums import (
    Affiliation,
    ConsortiumType,
    CooperationForm,
    Integration,
    Ownership,
    Tier,
)

FORMAT_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _digits_as_typed(value: object) -> object:
    """A number typed in full-width mode (``"５２０００"``) as its ASCII digits, as data
    import reads it (:func:`ihms._width.fold_width`); anything else as written, so a
    refusal quotes the file."""
    if isinstance(value, str) and (folded := fold_width(value).strip()).isascii():
        return folded if folded.lstrip("+-").isdigit() else value
    return value


NonNegInt = Annotated[int, BeforeValidator(_digits_as_typed), Field(ge=0)]


def _one_set(value: object) -> object:
    """A group's ``resources_each`` written by year, as an institution's ``resources``
    are, refused in one sentence instead of pydantic's "Keys should be strings" per
    year (review D, LOW 5)."""
    if isinstance(value, dict) and value and all(str(k).strip().isdigit() for k in value):
        raise ValueError(
            "resources_each is one set of figures (beds, gps, ...) that every member has "
            "in every year it operates, not a mapping by year; write them once, such as "
            "resources_each: {beds: 0, gps: 1}"
        )
    return value


class ResourcesIn(_Strict):
    beds: NonNegInt | None = None
    gps: NonNegInt | None = None
    specialists: NonNegInt | None = None
    nurses: NonNegInt | None = None
    health_workers: NonNegInt | None = None
    revenue_fen: NonNegInt | None = None
    medical_income_fen: NonNegInt | None = None
    consultation_income_fen: NonNegInt | None = None
    expense_fen: NonNegInt | None = None
    personnel_cost_fen: NonNegInt | None = None


class PeriodIn(_Strict):
    start: date
    end: date


class CountyIn(_Strict):
    id: str
    name: str
    city: str
    name_zh: str = ""
    kind: Literal["county", "district"] = "county"


class GridIn(_Strict):
    id: str
    name: str
    county: str
    name_zh: str = ""
    population: dict[int, NonNegInt] = Field(default_factory=dict)
    aged_60_plus: dict[int, NonNegInt] = Field(default_factory=dict)


class InstitutionIn(_Strict):
    id: str
    name: str
    tier: Tier
    affiliation: Affiliation
    ownership: Ownership = Ownership.PUBLIC
    county: str
    grid: str | None = None
    name_zh: str = ""
    parent: str | None = None
    active_from: int | None = None
    active_to: int | None = None
    resources: dict[int, ResourcesIn] = Field(default_factory=dict)
    refers_up: list[str] = Field(default_factory=list)
    refers_down: list[str] = Field(default_factory=list)


class InstitutionGroupIn(_Strict):
    """Many alike institutions (village clinics) declared at once.

    ``count_by_year`` gives how many operate each year; members are numbered
    ``<id_prefix>001`` upwards, and member *k* operates in the years whose count is at
    least *k* (so the years of each member must be contiguous).
    """

    id_prefix: str
    name: str
    tier: Tier
    affiliation: Affiliation
    ownership: Ownership = Ownership.PUBLIC
    county: str
    grid: str | None = None
    parent: str | None = None
    count_by_year: dict[int, NonNegInt]
    resources_each: Annotated[ResourcesIn | None, BeforeValidator(_one_set)] = None
    digits: Annotated[int, Field(ge=1, le=6)] = 3


class ConsortiumIn(_Strict):
    id: str
    name: str
    type: ConsortiumType
    integration: Integration
    lead: str
    members: list[str]
    grids: list[str] = Field(default_factory=list)
    name_zh: str = ""
    start_year: int | None = None
    end_year: int | None = None
    refers_up_to: list[str] = Field(default_factory=list)


class CooperationIn(_Strict):
    """A technical-cooperation link: ``provider`` sinks resources to ``recipients``."""

    provider: str
    recipients: Annotated[list[str], Field(min_length=1)]
    forms: Annotated[list[CooperationForm], Field(min_length=1)]
    start_year: int | None = None
    end_year: int | None = None


class SystemIn(_Strict):
    ihms_system: int = FORMAT_VERSION
    name: str
    name_zh: str = ""
    period: PeriodIn | None = None
    study_counties: list[str] = Field(default_factory=list)
    counties: list[CountyIn]
    grids: list[GridIn] = Field(default_factory=list)
    institutions: list[InstitutionIn] = Field(default_factory=list)
    institution_groups: list[InstitutionGroupIn] = Field(default_factory=list)
    consortia: list[ConsortiumIn] = Field(default_factory=list)
    cooperation: list[CooperationIn] = Field(default_factory=list)


CORE_KEYS: tuple[str, ...] = tuple(SystemIn.model_fields)
