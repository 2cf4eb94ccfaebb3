"""Whether a delivery-system file is the one the data were built from, by the ids the
data name: the half rule :func:`ihms.indicators._system_file.system_match` (the data's
institutions and grids) and :func:`ihms.indicators.off_pathway.referral_match` (the
referrals' ends) apply alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ihms._listing import first_of

__all__ = ["Held", "held_ids"]

#: How many of the ids a file lacks a message names before saying how many more.
_NAMED = 5


@dataclass(frozen=True)
class Held:
    """The distinct ids the data name (``named``), how many of them the file holds
    (``held``) and those it lacks (``lacking``, sorted)."""

    named: int
    held: int
    lacking: tuple[str, ...]

    @property
    def too_few(self) -> bool:
        """The file holds fewer than half of the ids: another county's file, against
        which every referral would count as off the pathway (review of the delivery
        system, session 30, finding 3), every grid's population be missing."""
        return 2 * self.held < self.named

    def lacking_named(self) -> str:
        """The ids the file lacks, the first five of them and how many more."""
        return first_of(self.lacking, _NAMED)


def held_ids(ids: Iterable[str], held: Iterable[str]) -> Held:
    """``ids`` (the data's, repeats and order ignored) against ``held`` (the file's).

    >>> h = held_ids(["A", "B", "C", "A"], {"A", "X"})
    >>> h.named, h.held, h.lacking, h.too_few
    (3, 1, ('B', 'C'), True)
    """
    named, kept = set(ids), set(held)
    return Held(len(named), len(named & kept), tuple(sorted(named - kept)))
