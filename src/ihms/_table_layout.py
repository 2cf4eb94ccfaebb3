"""How a :class:`ihms.summary.SummaryTable` is laid out in a console of a given width.

The rules are in :mod:`ihms.summary`'s docstring: never cut a number or a word; try the
full headers boxed, the short headers, a compact layout, then (a table with columns to
stack) each again with its Chinese row labels folded, then stacked columns; only failing
those split into column blocks led by the label column. Chinese folds by :mod:`ihms._cjk_fold`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ihms._cjk_fold import CJK as _CJK
from ihms._cjk_fold import HAS_CJK as _HAS_CJK
from ihms._cjk_fold import PIECE as _PIECE
from ihms._cjk_fold import cjk_units as _cjk_units
from ihms._cjk_fold import fold_header

__all__ = ["Layout", "chrome", "fold_header", "fold_label", "layout"]

_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
_RUN = re.compile(rf"[{_CJK}]+|[^\s{_CJK}]+")  # a run of Chinese characters as one word
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_CJK_FOLDS_TO = 12  # a run of Chinese characters folded: no fewer cells a line than this
_LABEL_WORD = re.compile(r"\S+")
_BREAKS = re.compile(r"(?<=[_\-/.,;:·])")  # where a long word may break: after these
_LABEL_FOLDS_TO = 24  # a label column folded to this or more: the first layout that can
_LABEL_NARROWEST = 12  # else Chinese names, to this or more, in the widest that can
_LABEL_SAVES_BLOCK = 16  # folded to this or more when that saves a column block
_HANG = "  "  # a folded label's further lines: under its first, indented this more


def fold_label(cell: str, width: int) -> str:
    """``cell`` with every line wider than ``width`` cells folded: at spaces (a run of
    them between words left on one line is kept as written), between
    Chinese characters, and inside a word longer than a line after ``_``, ``-``, ``/``,
    ``.`` (or anywhere, failing those); a line's further lines keep its indent and hang
    two cells more, so a category's name does not read as the next category.

    >>> print(fold_label("  medical_insurance_payment_reform", 20))
      medical_insurance_
        payment_reform
    """
    from rich.cells import cell_len

    out: list[str] = []
    for line in cell.split("\n"):
        if cell_len(line) <= width:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        hang = indent + _HANG if cell_len(indent + _HANG) < width else indent
        # the spaces between two words on one line are kept as written: labels that
        # differ only by them ("Type  A", "Type A") must not print alike
        if _HAS_CJK.search(body):
            out.extend(_cjk_label_lines(_cjk_units(body), indent, hang, width))
            continue
        current, gap = indent, ""
        for piece in _PIECE.findall(body):
            if piece.isspace():
                gap = piece
                continue
            current, gap = _packed(piece, current, gap, hang, width, out), ""
        out.append(current)
    return "\n".join(out)


def _cjk_label_lines(units: list[str], indent: str, hang: str, width: int) -> list[str]:
    """A Chinese label's line, cut into ``units`` (:func:`_cjk_units`), as
    :func:`fold_label` folds it: as many units a line as fit, a run of spaces between
    two kept as written; a line never left with one Chinese character before a term in
    brackets (差值（_z_x1989）, not 差 / 值（_z_x1989）); a unit too wide to hang by
    ``hang`` hangs by what fits but a cell at least, whole (（_x_t2017m10）); one that
    does not fit so is cut where :func:`_word_parts` may and its pieces packed, further
    lines hung by ``hang`` (变化（_x_ / t2017m10）), as :func:`fold_label` does an English
    word: a piece at the column's edge would read as a row label of its own."""
    from rich.cells import cell_len

    out: list[str] = []
    current, gap = indent, ""
    for i, unit in enumerate(units):
        if unit.isspace():
            gap = unit
            continue
        joined = current + (gap if current.strip() else "") + unit
        if cell_len(joined) <= width:
            current, gap = joined, ""
            continue
        # a further line hangs by at least a cell (or none, if ``hang`` is none)
        floor = hang[: len(indent) + 1] if current.strip() else indent
        if cell_len(floor + unit) > width:  # cut: packed and hung as an English word
            current, gap = _packed(unit, current, gap, hang, width, out), ""
            continue
        gap = ""
        lead = ""  # a lone character before a bracketed term goes down with it
        after = units[i + 1] if i + 1 < len(units) else ""
        lone = len(unit) == 1 and after.startswith("（") and _HAS_CJK.match(current[-1])
        if lone and current[:-1].strip() and cell_len(hang + current[-1] + unit) <= width:
            current, lead = current[:-1], current[-1]
        out.append(current)
        start = hang
        while len(start) > len(floor) and cell_len(start + lead + unit) > width:
            start = start[:-1]
        current = start + lead + unit
    out.append(current)
    return out


def _packed(word: str, current: str, gap: str, hang: str, width: int, out: list[str]) -> str:
    """The line ``current`` with ``word`` added after ``gap`` (spaces kept as written):
    the pieces of it (:func:`_word_parts`) that fit on it, the rest on further lines
    hung by ``hang``, as many pieces a line as fit; full lines go to ``out``, the last
    line is returned."""
    from rich.cells import cell_len

    for part in _word_parts(word, max(width - cell_len(hang), 1)):
        joined = current + (gap if current.strip() else "") + part
        if cell_len(joined) <= width or not current.strip():
            current = joined
        else:
            out.append(current)
            current = hang + part
        gap = ""
    return current


def _word_parts(word: str, room: int) -> list[str]:
    """``word`` whole if it fits ``room`` cells, else the pieces it may break into: up to
    and including each break character, a piece longer than ``room`` by characters."""
    from rich.cells import cell_len

    if cell_len(word) <= room:
        return [word]
    return [p for seg in _BREAKS.split(word) for p in (seg if cell_len(seg) > room else [seg]) if p]


def _min_width(cell: str, numeric: bool, *, label: bool = False, runs: bool = False) -> int:
    """Narrowest a cell may get: a number whole, text down to its longest word (a run
    of Chinese characters, folded between characters, to ``_CJK_FOLDS_TO`` cells or its
    whole width if less: 门急诊人次 not a character a line); in the
    label column (``label``), and in any with ``runs``, a run of Chinese characters
    counts as one word, so a
    layout that keeps a category's name on one line is tried before one that folds it
    (:func:`layout`), not squeezed to a character or two a line, and a word after a
    line's first counts with the indent it hangs by (:func:`_label_least`), so folding
    it to a further line does not cut it."""
    from rich.cells import cell_len

    lines = cell.split("\n")
    if numeric:
        return max(cell_len(line) for line in lines)
    if label:
        return _label_least(cell, fold_cjk=False)
    token = _RUN if runs else _TOKEN
    words = [cell_len(t) for t in token.findall(cell)]
    if token is _TOKEN:  # folded between characters, but not below _CJK_FOLDS_TO a line
        words.extend(min(cell_len(r), _CJK_FOLDS_TO) for r in _CJK_RUN.findall(cell))
    # a line's indent (a category under its dimension) stays with its first word
    for line in lines:
        if first := token.search(line):
            words.append(cell_len(line[: first.end()]))
            if first.start() and _HAS_CJK.search(line):  # each of its lines keeps the
                indent = cell_len(line[: first.start()])  # indent (fold_header)
                words.extend(indent + cell_len(t) for t in token.findall(line[first.end() :]))
    return max(words, default=0)


def _label_least(cell: str, *, fold_cjk: bool) -> int:
    """The narrowest a row label folds to (:func:`fold_label`) with every word whole: a
    line's first word with its indent, a later one with the indent it hangs by; with
    ``fold_cjk`` a line holding Chinese counts by the units it may fold into
    (:func:`_cjk_units`: 组间干预后斜率变化差值（_z_x_t1989） by its characters and its
    term), not by its words."""
    from rich.cells import cell_len

    widths = [0]
    for line in cell.split("\n"):
        if fold_cjk and _HAS_CJK.search(line):
            body = line.lstrip(" ")
            indent = line[: len(line) - len(body)]
            words = [u for u in _cjk_units(body) if not u.isspace()]
        else:
            words = _LABEL_WORD.findall(line)
            indent = line[: len(line) - len(line.lstrip())]
        if words:
            widths.append(cell_len(indent + words[0]))
            widths.extend(cell_len(indent + _HANG + w) for w in words[1:])
    return max(widths)


def _widths(
    header: list[str],
    rows: list[list[str]],
    numeric: list[bool],
    whole_header: bool = False,
    runs: bool = False,
) -> tuple[list[int], list[int]]:
    """Each column's natural width and the least it may get (:func:`_min_width`); with
    ``whole_header`` a header's lines are never folded (stacked headers: line k of a
    header names line k of its cells); with ``runs`` a run of Chinese characters in a
    cell (a name, 尤溪县总医院) or a header (分析单元数) is not folded either."""
    from rich.cells import cell_len

    natural = [
        max(cell_len(line) for c in [header[j], *(r[j] for r in rows)] for line in c.split("\n"))
        or 1
        for j in range(len(header))
    ]
    least = [
        max(
            [
                _min_width(header[j], whole_header, runs=runs),
                *(_min_width(r[j], numeric[j], label=j == 0, runs=runs) for r in rows),
            ],
            default=1,
        )
        or 1
        for j in range(len(header))
    ]
    return natural, least


def chrome(k: int, compact: bool) -> int:
    """Borders and padding of a k-column rich table: boxed (``│ a │ b │``), or compact
    (two spaces between columns, no edges, as Stata and statsmodels print)."""
    return 2 * (k - 1) if compact else 3 * k + 1


@dataclass(frozen=True)
class Layout:
    """How a table is drawn in a console: its header, rows and which columns are
    numeric (changed by stacking), whether compact, and per block the columns (each
    block led by column 0) and their widths."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    compact: bool
    blocks: list[tuple[list[int], list[int]]]


def _stacked(
    header: list[str], rows: list[list[str]], numeric: list[bool], under: Mapping[str, str]
) -> tuple[list[str], list[list[str]], list[bool]]:
    """Each column named in ``under`` moved to a line below the column it names, header
    and cells (``coef`` over ``95% CI low``); several under one go in ``under``'s order."""
    pos = {h: j for j, h in enumerate(header)}
    moved = {pos[c]: pos[u] for c, u in under.items() if c in pos and u in pos and u not in under}
    below: dict[int, list[int]] = {}
    for c, u in moved.items():
        below.setdefault(u, []).append(c)
    keep = [j for j in range(len(header)) if j not in moved]

    def stack(cells: list[str]) -> list[str]:
        # a row whose last stacked cells are empty (no name_zh) takes no blank line
        return [
            "\n".join([cells[j], *(cells[c] for c in below.get(j, []))]).rstrip("\n") for j in keep
        ]

    # every header as deep as the deepest, blank lines below: line k of a header stands
    # over line k of its cells whichever way the header row is aligned
    heads = stack(header)
    depth = max((h.count("\n") for h in heads), default=0)
    heads = [h + "\n" * (depth - h.count("\n")) for h in heads]
    return heads, [stack(r) for r in rows], [numeric[j] for j in keep]


def layout(
    header: list[str],
    rows: list[list[str]],
    numeric: list[bool],
    max_width: int,
    *,
    short_headers: Mapping[str, str],
    stack_under: Mapping[str, str],
    keys: int = 1,
    fold_to_save_blocks: bool = False,
) -> Layout:
    """The first layout that fits ``max_width`` in one block (:func:`_first_fit`), each
    Chinese header and text cell folded to the narrowest width its column gets
    (:func:`fold_header`)."""
    found = _first_fit(
        header,
        rows,
        numeric,
        max_width,
        short_headers=short_headers,
        stack_under=stack_under,
        keys=keys,
        fold_to_save_blocks=fold_to_save_blocks,
    )
    if not any(_HAS_CJK.search(c) for line in (found.header, *found.rows) for c in line):
        return found  # fold_header changes only lines with Chinese in them
    narrowest: dict[int, int] = {}
    for columns, widths in found.blocks:
        for j, w in zip(columns, widths, strict=True):
            narrowest[j] = min(w, narrowest.get(j, w))
    heads = [fold_header(h, narrowest[j]) for j, h in enumerate(found.header)]
    text = [j for j in narrowest if j and not found.numeric[j]]  # the label folds hanging
    cells = [list(r) for r in found.rows]
    for r in cells:
        for j in text:
            r[j] = fold_header(r[j], narrowest[j])
    return Layout(heads, cells, found.numeric, found.compact, found.blocks)


def _first_fit(
    header: list[str],
    rows: list[list[str]],
    numeric: list[bool],
    max_width: int,
    *,
    short_headers: Mapping[str, str],
    stack_under: Mapping[str, str],
    keys: int = 1,
    fold_to_save_blocks: bool = False,
) -> Layout:
    """The first layout that fits ``max_width`` in one block, words and numbers whole:
    boxed with the full headers; then with the table's short headers; then compact
    (no rules between columns); then compact with its stacked columns, one under each
    column before several; then one of these with long labels folded
    (:func:`_label_folded`). A table with Chinese row labels and columns to stack
    tries the first three again with those labels folded where Chinese text may
    (:func:`_cjk_labels_folded`) before any stacked one. All are tried with every run
    of Chinese characters whole (尤溪县总医院 under Youxi's English name) before any is
    tried with such a run folded between characters. Failing all, boxed column blocks
    (:func:`_column_blocks`) with the short headers, each led by the first ``keys``
    columns (those that name a row); with ``fold_to_save_blocks`` a long label folds
    when that saves a block (:func:`_fewer_blocks`)."""
    tries = [(header, rows, numeric, False, False)]
    if short_headers:
        header = [short_headers.get(h, h) for h in header]
        tries.append((header, rows, numeric, False, False))
    tries.append((header, rows, numeric, True, False))
    plain = len(tries)  # the tries that stack no column
    if stack_under:
        short = {short_headers.get(c, c): short_headers.get(u, u)
                 for c, u in stack_under.items()}  # fmt: skip
        two_lines: dict[str, str] = {}  # rows of two lines before rows of three
        for c, u in short.items():
            if u not in two_lines.values():
                two_lines[c] = u
        if two_lines != short:
            tries.append((*_stacked(header, rows, numeric, two_lines), True, True))
        tries.append((*_stacked(header, rows, numeric, short), True, True))
    # every try first with each run of Chinese characters whole (a name in a column
    # stacked under another), then with such runs folded between characters; a table
    # without Chinese is measured once (both passes would be the same)
    chinese = any(_HAS_CJK.search(c) for line in (header, *rows) for c in line)
    labels = chinese and not numeric[0] and any(_HAS_CJK.search(r[0]) for r in rows)
    for runs in (True, False) if chinese else (False,):
        measured = []  # each unstacked try's widths, measured once: the label fold's too
        for attempt in tries[:plain]:
            measured.append(_widths(*attempt[:3], attempt[4], runs))
            if found := _in_one_block(attempt, *measured[-1], max_width):
                return found
        fold = labels and len(tries) > plain  # Chinese labels folded before stacking
        if fold and (found := _cjk_labels_folded(tries[:plain], measured, max_width, runs)):
            return found
        for attempt in tries[plain:]:
            if found := _in_one_block(attempt, *_widths(*attempt[:3], attempt[4], runs), max_width):
                return found
    if not numeric[0] and (folded := _label_folded(tries, max_width)) is not None:
        return folded
    natural, least = _widths(header, rows, numeric)
    if not numeric[0] and len(least) > 1:  # a label too long for a block with its
        room = max_width - chrome(2, False) - max(least[1:])  # widest column folds
        least[0] = min(least[0], max(room, _min_width(header[0], False), 1))
    blocks = _column_blocks(natural, least, max_width, False, keys)
    if fold_to_save_blocks and not numeric[0] and len(blocks) > 1:
        blocks = _fewer_blocks(natural, least, header[0], max_width, keys) or blocks
    return Layout(header, rows, numeric, False, blocks)


def _in_one_block(attempt: tuple, natural: list, least: list, max_width: int) -> Layout | None:
    """``attempt`` (a try of :func:`_first_fit`) laid out in one block if its columns'
    ``least`` widths fit ``max_width`` (or it has no columns), else None."""
    h, r, num, compact, _ = attempt
    if h and sum(least) + chrome(len(h), compact) > max_width:
        return None
    return Layout(h, r, num, compact, _column_blocks(natural, least, max_width, compact))


def _cjk_labels_folded(
    tries: list[tuple], measured: list[tuple[list[int], list[int]]], max_width: int, runs: bool
) -> Layout | None:
    """The first of ``tries`` (none stacked; ``measured``: each one's :func:`_widths`)
    that fits ``max_width`` in one block with its Chinese row labels folded as
    :func:`fold_label` folds them, at the places :func:`fold_header` allows, every
    such unit whole on its line (:func:`_label_least`): a label such as
    组间干预后斜率变化差值（_z_x_t1989） over two lines reads better than a table whose
    interval stands under its coefficient. The label column keeps ``_LABEL_NARROWEST``
    cells (its widest label's, if less), so the labels read as names, not a character
    or two a line; None if no try fits so."""
    for (h, r, num, compact, whole), (natural, least) in zip(tries, measured, strict=True):
        folds_to = max(
            _min_width(h[0], whole, runs=runs),
            min(natural[0], _LABEL_NARROWEST),
            *(_label_least(row[0], fold_cjk=True) for row in r),
        )
        if folds_to < least[0]:  # else the labels fold no narrower than that try had them
            attempt = (h, r, num, compact, whole)
            if found := _in_one_block(attempt, natural, [folds_to, *least[1:]], max_width):
                return found
    return None


def _fewer_blocks(
    natural: list[int], least: list[int], head: str, max_width: int, keys: int
) -> list[tuple[list[int], list[int]]] | None:
    """Column blocks with the label column folded (to ``_LABEL_SAVES_BLOCK`` cells or
    more, its header's longest word whole), at the widest label that gives the fewest
    blocks, when that is fewer than unfolded: the label repeats in every block, so a
    few cells off it can put two figures in a block where one fitted (``indicators
    compute`` at 80 columns: 2 blocks, not 4). ``least`` is changed in place."""
    lowest = max(_LABEL_SAVES_BLOCK, _min_width(head, False))
    count = len(_column_blocks(natural, least, max_width, False, keys))
    best = None
    for width in range(least[0] - 1, lowest - 1, -1):
        blocks = _column_blocks(natural, [width, *least[1:]], max_width, False, keys)
        if len(blocks) < count:
            count, best = len(blocks), (width, blocks)
    if best is None:
        return None
    least[0] = best[0]
    return best[1]


def _label_folded(tries: list[tuple], max_width: int) -> Layout | None:
    """One of ``tries`` in one block with its label column narrower than its longest
    word, folded (:func:`fold_label`): the first that leaves the label
    ``_LABEL_FOLDS_TO`` cells (a long Chinese name or snake_case code); else the one
    that leaves it most, if Chinese names fold there between characters to
    ``_LABEL_NARROWEST`` cells or more with every other word whole (an identifier such
    as ``cost_per_outpatient_visit`` folded to a few letters a line reads worse than
    column blocks). None if none does."""
    from rich.cells import cell_len

    widest = None  # (room for the label, try)
    for h, r, num, compact, whole in tries:
        natural, least = _widths(h, r, num, whole)
        room = max_width - chrome(len(h), compact) - sum(least[1:])
        if room >= max(_min_width(h[0], whole), min(least[0], _LABEL_FOLDS_TO)):
            least[0] = min(least[0], room)
            return Layout(h, r, num, compact, _column_blocks(natural, least, max_width, compact))
        if widest is None or room > widest[0]:
            widest = (room, (h, r, num, compact, whole))
    if widest is None or not widest[1][1]:  # no rows: no label to fold (column blocks)
        return None
    room, (h, r, num, compact, whole) = widest
    words = max(_min_width(h[0], whole), *(_min_width(row[0], False) for row in r))
    if room < max(words, min(max(cell_len(row[0]) for row in r), _LABEL_NARROWEST)):
        return None
    natural, least = _widths(h, r, num, whole)
    least[0] = room
    return Layout(h, r, num, compact, _column_blocks(natural, least, max_width, compact))


def _column_blocks(
    natural: list[int], least: list[int], max_width: int, compact: bool, keys: int = 1
) -> list[tuple[list[int], list[int]]]:
    """Split columns into blocks that fit ``max_width``, each led by the first ``keys``
    columns (as many of them as leave the widest other column room, column 0 always),
    and give each column a width: its natural width, columns shrunk (widest first) down
    to their ``least`` when the block would not fit otherwise."""
    n = len(natural)
    if n == 0:
        return []
    keys = max(1, min(keys, n - 1))
    while (
        keys > 1 and sum(least[:keys]) + max(least[keys:]) + chrome(keys + 1, compact) > max_width
    ):
        keys -= 1
    lead = list(range(keys))
    groups: list[list[int]] = [list(lead)]
    for j in range(keys, n):
        block = groups[-1]
        if (
            len(block) > keys
            and sum(least[i] for i in [*block, j]) + chrome(len(block) + 1, compact) > max_width
        ):
            groups.append([*lead, j])
        else:
            block.append(j)
    out = []
    for block in groups:
        widths = [natural[j] for j in block]
        excess = sum(widths) + chrome(len(block), compact) - max_width
        while excess > 0:
            slack = [w - least[j] for w, j in zip(widths, block, strict=True)]
            k = max(range(len(block)), key=lambda i: (slack[i] > 0, widths[i]))
            if slack[k] <= 0:
                break
            widths[k] -= 1
            excess -= 1
        out.append((block, widths))
    return out
