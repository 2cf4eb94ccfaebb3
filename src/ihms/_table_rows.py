"""How many rows of a long table a console shows: the row cap of
:meth:`ihms.summary.SummaryTable.__rich_console__`, as pandas caps its display
(``display.max_rows`` 60, then ``min_rows``) and DuckDB's command line shows 40 rows of
a long result.

A table of up to :func:`max_rows` rows (60 by default) is printed whole; a longer one as
its first 20 and last 20 rows (the first and last half of the cap, if that is fewer)
with one row of ``⋮`` between, and a note under it saying how many rows there are, how
many are shown and how to see them all. When the last rows begin under a group row left
out (a label indented under a less indented one), that row and the rows it falls under
in turn are shown after the ``⋮``, another ``⋮`` wherever rows between were left out
(:func:`group_rows`), and the note counts them; when those group rows fill the gap, the
table is shown whole (:func:`kept_rows`, the one rule of both displays). Only the displays
are capped, as pandas caps its own: what a command prints, on the terminal and also when
its output is sent to a file or a pipe (``> out.txt``, ``| grep``), whose reader finds the
note there, and a notebook's ``_repr_html_``; ``to_text()``, ``to_html()`` (the HTML
report), ``to_frame()``, a command's ``--json`` and the files it writes (``--out``) hold
every row.

The cap is ``IHMS_MAX_ROWS`` (a whole number, ``0`` for no cap), or the
``ihms --max-rows N`` option, which the command line sets here for the command it runs
(:func:`use_option`), together with the command's own ways to every row (its
``--out FILE``, its ``--json``) that the note names (:func:`use_ways`).
"""

from __future__ import annotations

import os

from ihms.errors import InputError

__all__ = [
    "DEFAULT_MAX_ROWS",
    "ELIDED",
    "ENV",
    "SHOWN_ROWS",
    "group_rows",
    "kept_rows",
    "max_rows",
    "parse_max_rows",
    "reset",
    "rows_note",
    "shown",
    "use_option",
    "use_ways",
]

#: The most rows a console prints of a table whole when nothing says otherwise (pandas'
#: ``display.max_rows``): the indicator catalogue (49), a settlement's working (47).
DEFAULT_MAX_ROWS = 60
#: Rows shown of a longer table, half from the top, half from the bottom (DuckDB's 40).
SHOWN_ROWS = 40
#: The environment variable that sets the cap.
ENV = "IHMS_MAX_ROWS"
#: The cell of every column in the row that stands for the rows left out.
ELIDED = "⋮"

# set by the command line for the command it runs (:func:`use_option`, :func:`use_ways`);
# None: not in a command
_option: int | None = None
_ways: tuple[str, ...] | None = None


def parse_max_rows(text: str) -> int:
    """``text`` read as a row cap: a whole number, 0 or more (spaces around allowed).

    >>> parse_max_rows(" 100 "), parse_max_rows("0")
    (100, 0)

    Raises
    ------
    InputError
        Anything else, naming the variable and what was expected.
    """
    value = text.strip()
    if not value.isascii() or not value.isdigit():
        raise InputError(
            f"{ENV}={text!r}: expected a whole number, the most rows of a table printed "
            f"whole (default {DEFAULT_MAX_ROWS}; a longer one shows its first "
            f"and last {SHOWN_ROWS // 2}), or 0 to print every row"
        )
    return int(value)


def max_rows() -> int:
    """The row cap now: ``ihms --max-rows`` for the command being run, else
    ``IHMS_MAX_ROWS`` (:func:`parse_max_rows`; empty or unset: the default); 0 is no cap."""
    if _option is not None:
        return _option
    text = os.environ.get(ENV, "")
    return parse_max_rows(text) if text.strip() else DEFAULT_MAX_ROWS


def use_option(option: int | None) -> None:
    """The cap ``ihms --max-rows`` gives the command it runs (None: not given)."""
    global _option
    _option = option


def use_ways(ways: tuple[str, ...]) -> None:
    """The ways to every row of the command being run, for the note
    (``("--out FILE", "--json")``; none: only the cap's settings)."""
    global _ways
    _ways = ways


def reset() -> None:
    """No command running: the environment's cap and the library's note."""
    use_option(None)
    global _ways
    _ways = None


def shown(rows: int, cap: int) -> tuple[int, int] | None:
    """How many of ``rows`` to show from the top and from the bottom under ``cap``:
    None (every row) with no cap or ``rows`` up to it, else :data:`SHOWN_ROWS` or ``cap``
    if fewer, the larger half on top; at least the first and the last row, so a cap of 1
    still shows where the table ends.

    >>> shown(100, 60), shown(61, 60), shown(100, 5), shown(60, 60), shown(100, 0)
    ((20, 20), (20, 20), (3, 2), None, None)
    >>> shown(100, 1)
    (1, 1)
    """
    if cap <= 0 or rows <= cap:
        return None
    n = max(2, min(cap, SHOWN_ROWS))
    return n - n // 2, n // 2


def group_rows(labels: list[str], head: int, tail: int) -> list[int]:
    """The rows among those left out between the first ``head`` and the last ``tail`` of
    a table with row ``labels`` that the first of the last falls under: the nearest
    earlier row whose label is indented less (leading spaces), then the nearest earlier
    than that indented less still, up to one not indented; in table order. Without them
    an indented row after the ``⋮`` cannot be told apart from its namesakes under other
    groups (``  outpatient`` under which county?).

    >>> labels = ["A", "  a1", "  a2", "B", "  b1", "    x", "    y", "  b2", "    z"]
    >>> group_rows(labels, 2, 2), group_rows(labels, 2, 3), group_rows(labels, 4, 2)
    ([3], [3, 4], [])
    """
    first = len(labels) - tail
    if tail < 1 or first <= head:
        return []
    groups: list[int] = []
    depth = _indent(labels[first])
    for i in range(first - 1, head - 1, -1):
        if depth == 0:
            break
        if labels[i].strip() and _indent(labels[i]) < depth:
            groups.append(i)
            depth = _indent(labels[i])
    return groups[::-1]


def kept_rows(
    labels: list[str], total: int, cap: int
) -> tuple[list[int], tuple[int, int], int] | None:
    """The rows a display shows of a table of ``total`` rows (row ``labels``, or none for
    a table without a label column) under ``cap``: ``(kept, (head, tail), groups)``, the
    places of the rows shown, the first and last counts (:func:`shown`) and how many
    group rows of the last follow the ``⋮`` (:func:`group_rows`); None when every row is
    shown: no cap, no more rows than it, or group rows that fill the gap. The console
    and a notebook's HTML both cut by it.

    >>> kept_rows(["A", "  a1", "  a2", "B", "  b1", "  b2", "  b3"], 7, 5)
    ([0, 1, 2, 3, 5, 6], (3, 2), 1)
    >>> kept_rows(["A", "  a1", "  a2", "B", "  b1", "  b2"], 6, 5) is None
    True
    """
    cut = shown(total, cap)
    if cut is None:
        return None
    head, tail = cut
    groups = group_rows(labels, head, tail) if labels else []
    if head + len(groups) + tail >= total:
        return None
    return [*range(head), *groups, *range(total - tail, total)], cut, len(groups)


def _indent(label: str) -> int:
    return len(label) - len(label.lstrip(" "))


def rows_note(lang: str, rows: int, head: int, tail: int, groups: int = 0, *, via: str = "") -> str:
    """The note under a table of ``rows`` rows shown as its first ``head`` and last
    ``tail`` (and ``groups`` group rows of the last, :func:`group_rows`): how many
    there are and are shown, the running command's ways to every row
    and how to lift the cap (``ihms --max-rows 0`` or ``IHMS_MAX_ROWS=0``); outside a
    command, the table's own ``to_frame()`` and ``to_text()``, reached from the object
    shown by ``via`` (``"summary()."`` under a result that is not itself the table).

    >>> rows_note("en", 100, 20, 20)  # doctest: +NORMALIZE_WHITESPACE
    'Showing 40 of 100 rows (the first 20 and the last 20). Every row: to_frame() or
    to_text(); all of them printed: IHMS_MAX_ROWS=0.'
    """
    from ihms._words import said

    ways = (f"{via}to_frame()", f"{via}to_text()") if _ways is None else _ways
    lift = f"{ENV}=0" if _ways is None else f"ihms --max-rows 0 …{said(lang, 'rows or')}{ENV}=0"
    kind = ("rows shown", "rows shown group")[groups] if groups < 2 else "rows shown groups"
    shown = head + tail + groups
    told = said(lang, kind, rows=rows, shown=shown, head=head, tail=tail, groups=groups)
    if ways:
        return told + said(lang, "rows every", ways=said(lang, "rows or").join(ways), lift=lift)
    return told + said(lang, "rows lift", lift=lift)
