"""One segmentation scheme at a time.

A project can hold segments of two schemes: ``ihms policy segment --scheme clause`` on a
paragraph-segmented project keeps the paragraphs (they may carry codings). Each text
then lies in segments of both, so anything that lists or counts every segment (a coding
sheet, the content tables, the trend, the data set, a QDPX file, agreement) counts it
once per scheme. :func:`require_one_scheme` is the one refusal they share; a project of
one scheme passes it unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ihms._listing import in_words
from ihms.errors import InputError

__all__ = ["require_one_scheme", "scheme_counts"]


def scheme_counts(schemes: Iterable[str]) -> dict[str, int]:
    """How many of ``schemes`` (one per segment) are of each scheme, by name.

    Examples
    --------
    >>> scheme_counts(["paragraph", "clause", "paragraph"])
    {'clause': 1, 'paragraph': 2}
    """
    counts: dict[str, int] = {}
    for s in schemes:
        counts[s] = counts.get(s, 0) + 1
    return dict(sorted(counts.items()))


def require_one_scheme(
    counts: Mapping[str, int], *, task: str, why: str, holder: str = "the project holds"
) -> None:
    """Refuse ``task`` when ``counts`` (segments by scheme) name two schemes or more.

    The message names ``task``, each scheme with its segments, ``why`` the mix is wrong
    for the task, and the ``--scheme`` option (``scheme`` parameter) that picks one.
    ``holder`` says whose segments they are (``"the codings compared lie on"``).

    Examples
    --------
    >>> require_one_scheme({"paragraph": 80}, task="tables", why="...")
    >>> require_one_scheme({"clause": 9, "paragraph": 80}, task="tables",
    ...                    why="each text would count once per scheme")
    Traceback (most recent call last):
    ...
    ihms.errors.InputError: tables: the project holds segments of 2 schemes, clause (9 segments) and paragraph (80 segments); each text would count once per scheme. Name the scheme to use: --scheme clause or --scheme paragraph (parameter scheme='clause' ...).
    """
    if len(counts) < 2:
        return
    ordered = sorted(counts.items())
    held = in_words(f"{s} ({n:,} segments)" for s, n in ordered)
    options = " or ".join(f"--scheme {s}" for s, _ in ordered)
    raise InputError(
        f"{task}: {holder} segments of {len(ordered)} schemes, {held}; {why}. Name the scheme "
        f"to use: {options} (parameter scheme='{ordered[0][0]}' ...)."
    )
