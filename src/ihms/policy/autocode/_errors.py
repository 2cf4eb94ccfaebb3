"""The error a learned coder raises when a project has too few codes to learn from."""

from __future__ import annotations

from collections.abc import Mapping

from ihms.errors import InputError

__all__ = ["TooFewCodesError"]


class TooFewCodesError(InputError):
    """Some categories have too few hand-coded segments to learn from.

    Attributes
    ----------
    shortfall
        ``{category: (coded, more_needed)}`` for every category below the minimum.
    """

    def __init__(self, shortfall: Mapping[str, tuple[int, int]], minimum: int) -> None:
        self.shortfall = dict(shortfall)
        self.minimum = minimum
        parts = [
            f"'{cat}' has {have:,} coded segment{'s' if have != 1 else ''}, needs {more:,} more"
            for cat, (have, more) in self.shortfall.items()
        ]
        super().__init__(
            f"too few hand-coded segments to learn {len(parts)} "
            f"categor{'y' if len(parts) == 1 else 'ies'} (at least {minimum} each, "
            f"parameter 'min_per_category', --min-per-category on the command line; code "
            "more segments or lower it): " + "; ".join(parts)
        )
