"""Family-physician registrations of one year: insured residents registered with a family
physician, by the institution holding their contract and by month — the members a
per-member fee is paid for (Deqing's blended payment, Jia et al. 2021).

A data store gives month-end counts (registered member-months); a population table gives
one count a year (optionally one per contract-holding institution), which then stands for
every month of the year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.payment._frozen import INPUTS_HINT, _Frozen

__all__ = ["UNATTRIBUTED", "Registrations"]

#: The key of registrations whose contract-holding institution is not known.
UNATTRIBUTED = ""


@dataclass(frozen=True)
class Registrations:
    """Registered insured residents by contract-holding institution and month.

    Parameters
    ----------
    by_institution
        ``institution id → 12 counts`` (January first); the key :data:`UNATTRIBUTED`
        (``""``) holds registrations whose institution is not known. Kept as a read-only
        copy, the counts as tuples (assigning to it raises TypeError): no count escapes
        the check.
    monthly
        True: each count is the month's own (month-end registrations, so a sum over
        months is member-months); False: the year's count stands for every month.

    Examples
    --------
    >>> r = Registrations.year_count(1_000)
    >>> r.member_months(1, 6), r.attributed
    (6000, False)
    """

    by_institution: Mapping[str, tuple[int, ...]]
    monthly: bool = True

    def __repr__(self) -> str:
        # a simulated county's registrations name hundreds of village clinics
        return brief_repr(
            self,
            institutions=len(self.by_institution),
            member_months=self.member_months(1, 12),
            monthly=self.monthly,
        )

    def __post_init__(self) -> None:
        # read-only copies, checked: part of the settlement's input digest
        by_inst = {inst: tuple(counts) for inst, counts in self.by_institution.items()}
        frozen = _Frozen(by_inst, "Registrations.by_institution", INPUTS_HINT)
        object.__setattr__(self, "by_institution", frozen)
        for inst, counts in self.by_institution.items():
            if len(counts) != 12 or any(c < 0 for c in counts):
                raise InputError(
                    f"family-physician registrations of {inst or 'unknown institutions'}: "
                    f"expected 12 monthly counts >= 0, got {list(counts)}"
                )

    @classmethod
    def year_count(
        cls, registered: int, by_institution: Mapping[str, int] | None = None
    ) -> Registrations:
        """The year's count (or each institution's, adding up to it) for every month.

        Parameters
        ----------
        registered : int
            The year's registered members.
        by_institution : mapping of str to int, optional
            Each contract-holding institution's members (at most ``registered`` in all;
            the rest are :data:`UNATTRIBUTED`).
        """
        counts = dict(by_institution or {})
        left = registered - sum(counts.values())
        if left < 0:
            raise InputError(
                f"family-physician registrations: the institutions' counts add up to "
                f"{sum(counts.values()):,}, more than the {registered:,} registered"
            )
        if left:
            counts[UNATTRIBUTED] = left
        return cls({k: (v,) * 12 for k, v in counts.items()}, monthly=False)

    @property
    def attributed(self) -> bool:
        """Whether any registration's contract-holding institution is known."""
        return any(k != UNATTRIBUTED for k in self.by_institution)

    def member_months(self, first: int, last: int, institution: str | None = None) -> int:
        """Registered member-months of months ``first``–``last``, of one institution
        or of all.

        Parameters
        ----------
        first, last : int
            The first and last month (1–12).
        institution : str, optional
            The institution (:data:`UNATTRIBUTED` for the unknown ones); None: all.
        """
        rows = (
            self.by_institution.values()
            if institution is None
            else [self.by_institution.get(institution, (0,) * 12)]
        )
        return sum(sum(c[first - 1 : last]) for c in rows)


def monthly_registrations(counts, month_ends) -> dict[int, Registrations]:
    """Month-end registrations by year, from a store's counts.

    Parameters
    ----------
    counts : DataFrame
        ``month_end``, ``institution`` (null when not known) and ``registered``: the
        registered insured residents present on each month's last day, by institution.
    month_ends : sequence of dates
        The month ends the store's period holds; a year without all twelve gets no
        entry (its fee then stands on the year's mean count).
    """
    import pandas as pd

    ends = pd.to_datetime(pd.Series(list(month_ends)))
    full_years = [y for y, n in ends.dt.year.value_counts().items() if n == 12]
    frame = counts.assign(month_end=pd.to_datetime(counts["month_end"]))
    frame = frame.assign(
        year=frame["month_end"].dt.year,
        month=frame["month_end"].dt.month,
        institution=frame["institution"].fillna(UNATTRIBUTED).astype(str),
    )
    out = {}
    for year in sorted(int(y) for y in full_years):
        rows = frame[frame["year"] == year]
        by_inst: dict[str, list[int]] = {}
        for r in rows.itertuples(index=False):
            by_inst.setdefault(r.institution, [0] * 12)[r.month - 1] += int(r.registered)
        out[year] = Registrations({k: tuple(v) for k, v in sorted(by_inst.items())})
    return out
