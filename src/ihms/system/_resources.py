"""One institution's resources in one year (:class:`Resources`; its fields, in order,
``RESOURCE_FIELDS``), apart from :mod:`ihms.system.model` for that module's length;
import them from there or from :mod:`ihms.system`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RESOURCE_FIELDS", "Resources"]


@dataclass(frozen=True)
class Resources:
    """One institution's resources in one year.

    Counts are head counts at year end; money is integer fen (1 yuan = 100 fen). A field
    left as ``None`` was not reported.

    Attributes
    ----------
    year
        The year the figures are for.
    beds
        Open (curative-care) beds.
    gps
        Practising physicians registered as general practitioners.
    specialists
        Practising physicians who are not GPs. Physicians = ``gps + specialists``.
    nurses
        Registered nurses.
    health_workers
        All health personnel, including physicians, nurses and village doctors.
    revenue_fen
        Total revenue (总收入).
    medical_income_fen
        Income from medical services (医疗收入), the "professional income" of Jia et al. 2021.
    consultation_income_fen
        Consultation fees (诊察费), part of the medical income.
    expense_fen
        Total expense (总费用).
    personnel_cost_fen
        Personnel expense (人员经费), part of the total expense.
    """

    year: int
    beds: int | None = None
    gps: int | None = None
    specialists: int | None = None
    nurses: int | None = None
    health_workers: int | None = None
    revenue_fen: int | None = None
    medical_income_fen: int | None = None
    consultation_income_fen: int | None = None
    expense_fen: int | None = None
    personnel_cost_fen: int | None = None

    @property
    def physicians(self) -> int | None:
        if self.gps is None or self.specialists is None:
            return None
        return self.gps + self.specialists


RESOURCE_FIELDS: tuple[str, ...] = (
    "beds",
    "gps",
    "specialists",
    "nurses",
    "health_workers",
    "revenue_fen",
    "medical_income_fen",
    "consultation_income_fen",
    "expense_fen",
    "personnel_cost_fen",
)
