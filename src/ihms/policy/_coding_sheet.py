"""Reading a wide codings sheet: which column is what, and each cell's categories.

:func:`parse_codings_frame` validates one sheet (segment column, optional coder column,
context columns ignored, a machine coder's provenance columns read-only
(:mod:`ihms.policy._machine_check`), one column per dimension; categories by key, English or Chinese
name, alias, separated by ``;``; an open answer's list may also use ``、`` or a comma;
a grouped open answer names its group first, ``政策环境：多点执业``) and lists every
problem; :mod:`ihms.policy.coding`
imports what it returns.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from ihms.errors import InputError, did_you_mean
from ihms.policy._machine_columns import match_column as match_machine_column
from ihms.policy.codebook import Codebook, Dimension
from ihms.stats._cells import first_row

__all__ = [
    "CODEBOOK_SHEET_HEADER",
    "NONE_TOKENS",
    "OPEN_SEPARATORS",
    "grouped_answers",
    "is_codebook_sheet",
    "is_none",
    "parse_codings_frame",
    "stored_answers",
]

NONE_TOKENS = ("-", "—", "无", "none", "n/a")
#: The header of the ``codebook`` sheet ``codes export`` writes beside the coders' sheets
#: (:mod:`ihms.policy.coding_export`): the import knows it and passes over it unsaid.
CODEBOOK_SHEET_HEADER = ("dimension", "category", "key", "definition")


def is_codebook_sheet(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is the ``codebook`` sheet of a ``codes export`` workbook: its
    header, not its name (``codebook (ihms)`` when a coder is called ``codebook``)."""
    return tuple(str(c).strip() for c in frame.columns) == CODEBOOK_SHEET_HEADER


def is_none(part: str) -> bool:
    """Whether a cell's part says "none applies": a :data:`NONE_TOKENS` spelling, also
    typed in full width (``－``, ``ＮＯＮＥ``: what a Chinese input method gives)."""
    return unicodedata.normalize("NFKC", part).strip().lower() in NONE_TOKENS


_SEGMENT_COLS = ("segment_id", "segment", "片段编号", "片段id", "片段")
_CODER_COLS = ("coder", "编码员", "编码者")
_CONTEXT_COLS = (
    "code", "编码", "条目编码", "document", "doc_id", "文件", "title", "标题", "text", "文本",
    "内容", "context", "上级条款", "ordinal", "序号",
)  # fmt: skip
_SPLIT = (";", "；")
# separators people type that are not ours: category names may hold them (a list
# written with 、 is read when each item is a category: _listed)
_NOT_SEPARATORS = (",", "，", "、")
# an open answer is a name a coder typed: a list written with 、 or a comma is a list
_OPEN_SPLIT = (*_SPLIT, *_NOT_SEPARATORS)
#: what separates the answers of an open dimension in a cell
OPEN_SEPARATORS = _OPEN_SPLIT


def _split(cell: str, *, open_answer: bool = False) -> list[str]:
    parts = [cell]
    for sep in _OPEN_SPLIT if open_answer else _SPLIT:
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _match_column(col: str, codebook: Codebook) -> tuple[str, object]:
    low = col.strip().lower().replace(" ", "_")
    if low in _SEGMENT_COLS:
        return "segment", None
    if low in _CODER_COLS:
        return "coder", None
    if low in _CONTEXT_COLS:
        return "context", None
    if (machine := match_machine_column(col, codebook)) is not None:
        return "provenance", machine  # read-only: checked by _machine_check, not imported
    try:
        return "dimension", codebook.dimension(col.strip())
    except InputError:
        return "unknown", None


def parse_codings_frame(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    known_segments: set[str],
    coder: str | None = None,
    file: str = "codings",
    empty: set[tuple[str, str, str]] | None = None,
    where: dict[tuple[str, str, str], str] | None = None,
) -> tuple[dict[tuple[str, str, str], frozenset[str]], dict[tuple[str, str, str], dict], list[str]]:
    """Validate a wide codings sheet.

    Returns ``(answers, raw, problems)``: ``answers[(segment, dimension, coder)]`` is the
    set of normalised values (empty set = coded as none), ``raw`` the values as written
    (for open answers), and every problem found. Given a set as ``empty``, the
    ``(segment, dimension, coder)`` of every empty cell of a listed segment is added to
    it (an import with ``replace`` removes an answer stored there). Given a dict as
    ``where``, each answer's sheet row and column (``file row 2, column 'Policy
    tools'``) go in it, for a later message on that answer.
    """
    problems: list[str] = []
    roles = {col: _match_column(str(col), codebook) for col in frame.columns}
    seg_cols = [c for c, (r, _) in roles.items() if r == "segment"]
    coder_cols = [c for c, (r, _) in roles.items() if r == "coder"]
    dim_cols = {c: d for c, (r, d) in roles.items() if r == "dimension"}
    names = [n for d in codebook.dimensions for n in (d.key, d.en, d.zh) if n]
    for col, (role, _) in roles.items():
        if role == "unknown":
            problems.append(
                f"{file}: column {col!r} is neither a dimension of codebook {codebook.name!r} "
                f"({', '.join(d.key for d in codebook.dimensions)}) nor a known context column"
                + did_you_mean(col, [*names, *_SEGMENT_COLS, *_CODER_COLS, *_CONTEXT_COLS])
            )
    for col, dim in dim_cols.items():
        if dim.kind == "year":
            problems.append(
                f"{file}: column {col!r}: {dim.key!r} comes from the document date and is not coded"
            )
    if not seg_cols:
        problems.append(f"{file}: no 'segment_id' column (accepted: {', '.join(_SEGMENT_COLS)})")
    if not coder_cols and not coder:
        problems.append(f"{file}: no 'coder' column and no coder given for the whole sheet")
    if problems:
        return {}, {}, problems
    seg_col = seg_cols[0]
    answers: dict[tuple[str, str, str], frozenset[str]] = {}
    raw: dict[tuple[str, str, str], dict] = {}
    seen_row: dict[tuple[str, str, str], int] = {}
    clash: dict[str, list[int]] = {}  # the sheet's coder column against ``coder``
    top = first_row(frame)  # the file's number of the first record, below any title
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row = i + top
        seg = str(rec.get(seg_col) or "").strip()
        who = str(rec.get(coder_cols[0]) or "").strip() if coder_cols else ""
        if who and coder and who != coder:
            clash.setdefault(who, []).append(row)
            continue
        who = who or (coder or "")
        cells = {c: str(rec.get(c) if rec.get(c) is not None else "").strip() for c in dim_cols}
        if not seg:
            if any(cells.values()):
                problems.append(f"{file} row {row}: codings given but 'segment_id' is empty")
            continue
        if seg not in known_segments:
            problems.append(
                f"{file} row {row}: segment {seg!r} is not in the project (or is retired)"
            )
            continue
        if not who:
            problems.append(f"{file} row {row}: no coder for segment {seg!r}")
            continue
        # a wholly blank row (a template's segment not coded in this batch) empties nothing
        codes_some = any(cell not in ("", "nan") for cell in cells.values())
        for col, cell in cells.items():
            dim = dim_cols[col]
            if cell in ("", "nan"):
                if empty is not None and codes_some:
                    empty.add((seg, dim.key, who))
                continue
            values, bad = _parse_cell(cell, dim)
            if bad:
                problems.append(f"{file} row {row}, column {col!r}: {bad}")
                continue
            key = (seg, dim.key, who)
            if key in answers and answers[key] != frozenset(values):
                problems.append(
                    f"{file} row {row}: coder {who!r} codes segment {seg!r} dimension {dim.key!r} "
                    f"as {_show(values)} but row {seen_row[key]} says {_show(answers[key])}"
                )
                continue
            answers[key] = frozenset(values)
            seen_row[key] = row
            if where is not None:
                where[key] = f"{file} row {row}, column {col!r}"
            if dim.answer_groups:
                raw[key] = dict(grouped_answers(cell, dim)[0])
            elif dim.kind == "open":
                raw[key] = {
                    dim.normalize(p): p for p in _split(cell, open_answer=True) if not is_none(p)
                }
    for who, rows in clash.items():
        where = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}–{rows[-1]} ({len(rows):,})"
        problems.append(
            f"{file} {where}: column {coder_cols[0]!r} names coder {who!r} but the import is for "
            f"coder {coder!r}; to file these answers under {coder!r}, clear or change that "
            "column (or leave out the coder to import them as the column says)"
        )
    return answers, raw, problems


def _show(values) -> str:
    return "{" + ", ".join(sorted(values)) + "}" if values else "none"


def grouped_answers(cell: str, dim: Dimension) -> tuple[list[tuple[str, str]], str]:
    """``([(value, as typed)], problem)`` of a grouped open dimension's cell: answers
    separated by ``;``, each led by its group (``政策环境：多点执业; 技术环境：互联网医院``);
    within one ``;`` part a list written with ``、`` or a comma shares the group named
    before its first answer (``政策环境：多点执业、编制``)."""
    out: list[tuple[str, str]] = []
    for chunk in _split(cell):
        group = None
        for part in _split(chunk, open_answer=True):
            if is_none(part):
                continue
            try:
                value = dim.parse_answer(part, group=group)
            except InputError as exc:
                return [], str(exc)
            group = dim.split_answer(value)[0]
            out.append((value, part))
    return out, ""


def _listed(part: str, dim: Dimension) -> tuple[list[str], str] | None:
    """``(keys, "")`` of ``part`` written as a Chinese list (``政府、医生``) when every item
    is a category of ``dim``; ``([], problem)`` when some items are categories and another
    is not (``'未知'`` in ``政府、未知`` named, as a ``；`` list names it) or is 'none'
    (``政府、-``); else None: no item is a category, and since a name may hold a 、 the
    part is refused as it stands. (A codebook holding both ``A、B`` and ``A``, ``B``,
    ``C`` reads ``A、B、C`` as the three.)"""
    items = [q.strip() for q in part.split("、") if q.strip()]
    if len(items) < 2:
        return None
    keys: list[str] = []
    unknown: list[str] = []
    nones: list[str] = []
    for q in items:
        if is_none(q):
            nones.append(q)
            continue
        try:
            keys.append(dim.category(q).key)
        except InputError:
            unknown.append(q)
    if not keys:
        return None
    if nones:
        return [], f"{part!r} mixes 'none' ({nones[0]!r}) with categories"
    if unknown:
        return [], _unknown(unknown, dim, f" in {part!r}")
    return keys, ""


def _unknown(names: list[str], dim: Dimension, where: str = "", hint: str = "") -> str:
    """The message for categories ``dim`` does not know (``where`` the list holding them)."""
    allowed = "; ".join(f"{c.en} / {c.zh}" for c in dim.categories)
    known = [n for c in dim.categories for n in (c.zh, c.en)]
    near = did_you_mean(names[0], known) if len(names) == 1 else ""
    what = "category" if len(names) == 1 else "categories"
    return (
        f"unknown {what} {', '.join(map(repr, names))}{where} of dimension {dim.key!r}{near}"
        f"{hint}; allowed: {allowed}"
    )


def _parse_cell(cell: str, dim: Dimension) -> tuple[set[str], str]:
    parts = _split(cell, open_answer=dim.kind == "open")
    nones = [p for p in parts if is_none(p)]
    if nones and len(nones) < len(parts):
        return set(), f"{cell!r} mixes 'none' ({nones[0]!r}) with categories"
    if nones:
        return set(), ""
    if dim.answer_groups:
        found, bad = grouped_answers(cell, dim)
        values = {v for v, _ in found}
        if not bad and len(values) > 1 and not dim.multi:
            bad = f"dimension {dim.key!r} takes one answer, got {len(values)}: {cell!r}"
        return (set(), bad) if bad else (values, "")
    values: set[str] = set()
    for p in parts:
        if dim.kind == "open":
            values.add(dim.normalize(p))
            continue
        try:
            values.add(dim.category(p).key)
        except InputError:
            if (listed := _listed(p, dim)) is not None:  # 政府、医生: a Chinese list
                if listed[1]:
                    return set(), listed[1]
                values.update(listed[0])
                continue
            hint = (
                "; separate several categories with ';', '；' or '、'"
                if "," in p or "，" in p  # a 、 list was read above: 、 splits already
                else ""
            )
            return set(), _unknown([p], dim, hint=hint)
    if len(values) > 1 and not dim.multi:
        return set(), f"dimension {dim.key!r} takes one category, got {len(values)}: {cell!r}"
    return values, ""


def stored_answers(project, coders: set[str]) -> dict[tuple[str, str, str], frozenset[str]]:
    """The answers the project holds for ``coders``: ``{(segment, dimension, coder):
    values}`` (an empty set: coded, none applies)."""
    out: dict[tuple[str, str, str], set[str]] = {}
    if not coders:
        return {}
    marks = ",".join("?" * len(coders))
    for seg, dim, who, value in project.query(
        f"SELECT segment_id, dimension, coder_id, value FROM codings WHERE coder_id IN ({marks})",
        sorted(coders),
    ):
        out.setdefault((seg, dim, who), set())
        if value != "":
            out[(seg, dim, who)].add(value)
    return {k: frozenset(v) for k, v in out.items()}
