"""The error a learned coder raises when a project has too few codes to learn from."""

from __future__ import annotations

import unicodedata
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

    def __init__(
        self,
        shortfall: Mapping[str, tuple[int, int]],
        minimum: int,
        *,
        counts: Mapping[str, int] | None = None,
        can_drop: bool = False,
        where: str = "",
        noun: str = "hand-coded segments",
    ) -> None:
        """
        Parameters
        ----------
        shortfall : mapping
            ``{category: (coded, more_needed)}``.
        minimum : int
            The fewest codes a category needs.
        counts : mapping, optional
            Every category's codes: a short one written like a more frequent one but for
            case, spaces or full-/half-width characters is pointed out, saying which.
        can_drop : bool, default False
            Whether categories nobody coded can be left out (a coder that knows the
            codebook's categories: ``drop_uncoded``); suggested only then.
        where : str, default ""
            Where the codes were read (a file and its label column), said first.
        noun : str, default "hand-coded segments"
            What the codes are called there (a table's: "labelled segments").
        """
        self.shortfall = dict(shortfall)
        self.minimum = minimum
        self.counts = dict(counts or {})
        self.can_drop = can_drop
        parts = [
            f"'{cat}' has {have:,} coded segment{'s' if have != 1 else ''}, needs {more:,} more"
            + _spelt_like(cat, counts or {})
            for cat, (have, more) in self.shortfall.items()
        ]
        super().__init__(
            (f"{where}: " if where else "") + f"too few {noun} to learn {len(parts)} "
            f"categor{'y' if len(parts) == 1 else 'ies'} (at least {minimum} each, "
            f"parameter 'min_per_category', --min-per-category on the command line): "
            + "; ".join(parts)
            + f". {_ways_out(self.shortfall, minimum, can_drop=can_drop)}."
        )

    def at(self, where: str, *, noun: str = "hand-coded segments") -> TooFewCodesError:
        """The same error said of ``where`` (a table and its label column), its codes
        called ``noun``."""
        return TooFewCodesError(
            self.shortfall, self.minimum, counts=self.counts, can_drop=self.can_drop,
            where=where, noun=noun,
        )  # fmt: skip


def _ways_out(shortfall: Mapping[str, tuple[int, int]], minimum: int, *, can_drop: bool) -> str:
    """The fixes that would let the coder learn: only those possible here.

    >>> _ways_out({"a": (0, 1)}, 1, can_drop=True)
    "Code more segments, or leave out the category nobody has coded (parameter 'drop_uncoded', --drop-uncoded on the command line)"
    >>> _ways_out({"a": (2, 3), "b": (3, 2)}, 5, can_drop=True)
    'Code more segments, or lower the minimum to 2'
    >>> _ways_out({"a": (0, 5), "b": (3, 2)}, 5, can_drop=False)
    'Code more segments'
    """
    coded = [have for have, _ in shortfall.values() if have > 0]
    never = sum(1 for have, _ in shortfall.values() if have == 0)
    if never and not can_drop:
        return "Code more segments"
    other = []
    if coded:  # minimum > 1 here: a category short of 1 has none
        other.append(f"lower the minimum to {min(coded)}")
    if never:
        other.append(
            f"leave out the {'category' if never == 1 else f'{never:,} categories'} nobody has "
            "coded (parameter 'drop_uncoded', --drop-uncoded on the command line)"
        )
    return "Code more segments, or " + " and ".join(other)


def _folded(label: str) -> str:
    """A label without spaces, full-width forms as half-width, case folded."""
    return "".join(unicodedata.normalize("NFKC", label).casefold().split())


def _spelt_like(category: str, counts: Mapping[str, int]) -> str:
    """A note naming the most frequent other label that differs from ``category`` only
    in case, spaces or full-/half-width characters, and which of them ("" if there is
    none)."""
    key = _folded(category)
    twins = [c for c in counts if c != category and _folded(str(c)) == key]
    if not twins:
        return ""
    twin = max(twins, key=lambda c: counts[c])
    return (
        f" (the same label as '{twin}' ({counts[twin]:,} coded) but for "
        f"{_differences(category, str(twin))}: write them alike)"
    )


def _differences(a: str, b: str) -> str:
    """What sets two labels alike under :func:`_folded` apart: each of case, spaces and
    full-/half-width characters that still tells them apart with the other two undone."""

    def form(text: str, *, width: bool = True, case: bool = True, spaces: bool = True) -> str:
        text = unicodedata.normalize("NFKC", text) if width else text
        text = text.casefold() if case else text
        return "".join(text.split()) if spaces else text

    kinds = [
        name
        for name, keep in (
            ("case", "case"),
            ("spaces", "spaces"),
            ("full-/half-width characters", "width"),
        )
        if form(a, **{keep: False}) != form(b, **{keep: False})
    ]
    return " and ".join(kinds) or "case, spaces or full-/half-width characters"
