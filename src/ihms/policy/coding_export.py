"""Exporting codings as the wide spreadsheets coders work in (one row per segment,
one column per dimension, category names in English or Chinese). Beside each segment's
``code`` and ``text``, ``context`` gives the headings it sits under (a clause entry's
``二、工作任务``; outer headings first, joined by ``>``), for reading: the import ignores
it. A machine coder's rows also carry its provenance beside each answer (probability or
rule, training segment, review; model, training size and date, codebook version:
:mod:`ihms.policy._machine_columns`), read-only: the import checks them and writes
nothing from them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._atomic import staged
from ihms.errors import InputError
from ihms.policy._coding_sheet import CODEBOOK_SHEET_HEADER, OPEN_SEPARATORS
from ihms.policy._machine_columns import (
    FIELDS,
    answer_cell,
    column_header,
    layout,
    machine_answers,
    match_column,
    row_cell,
)
from ihms.policy._schemes import require_one_scheme, scheme_counts
from ihms.policy.codebook import Dimension
from ihms.policy.coding import codings
from ihms.table_files import unique_sheet_name

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project

#: The definition of the ``-`` row each dimension ends with on the codebook sheet.
NOTHING_APPLIES = {"en": "coded, nothing applies", "zh": "已编码，无适用项"}

__all__ = ["export_codings", "format_answer"]


def format_answer(values: list[str], dim: Dimension, lang: str) -> str:
    """One cell: ``-`` for a none-answer, else category names joined by ``; ``. Open
    answers come in the codebook's order, named in English for ``lang="en"`` where the
    codebook gives an English name the import reads back (one holding a separator of
    open lists stays as coded); a grouped answer leads with its group's name
    (``Policy: Multi-site practice``, ``政策环境：多点执业``)."""
    if values == [""]:
        return "-"
    if dim.kind == "open":
        shown = []
        for v in sorted(values, key=dim.sort_key):
            name = v if lang == "key" else dim.value_label(v, lang)
            readable = not any(sep in name for sep in OPEN_SEPARATORS)
            shown.append(name if readable and dim.normalize(name) == v else v)
        return "; ".join(shown)
    order = {k: i for i, k in enumerate(dim.category_keys)}
    cats = sorted((dim.category(v) for v in values), key=lambda c: order[c.key])
    return "; ".join(c.key if lang == "key" else c.label(lang) for c in cats)


def export_codings(
    project: Project,
    path: str | Path,
    *,
    coders: list[str] | None = None,
    lang: str = "en",
    scheme: str | None = None,
    dimensions: list[str] | None = None,
) -> Path:
    """Write codings as a wide sheet per coder (XLSX: one sheet each; CSV: a ``coder``
    column). Every segment is listed, coded or not, so the file doubles as a coding
    template. ``lang`` is ``en``, ``zh`` or ``key`` for category names and headers;
    ``scheme`` the segmentation to list, needed when the project holds several (a sheet
    of two would list each text twice: :class:`~ihms.errors.InputError`). A machine
    coder's answers come with their provenance in read-only columns (greyed in an
    .xlsx); a people-only export has none.

    Parameters
    ----------
    project
        The coding project.
    path
        A ``.xlsx`` or ``.csv`` file name.
    coders
        Coder ids to export; by default every coder.
    lang
        ``"en"``, ``"zh"`` or ``"key"``.
    scheme
        The segmentation scheme to list.
    dimensions
        Dimension keys or names; by default every coded dimension.

    Raises
    ------
    InputError
        Another ``lang`` or suffix, an unknown dimension, or several schemes and none
        named.
    """
    if lang not in ("en", "zh", "key"):
        raise InputError(f"lang must be 'en', 'zh' or 'key', got {lang!r}")
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise InputError(f"{path}: codings export needs a .xlsx or .csv file name")
    cb = project.codebook()
    dims = [cb.dimension(d) for d in dimensions] if dimensions else list(cb.coded)
    who = coders or [r[0] for r in project.query("SELECT id FROM coders ORDER BY id")]
    segs = project.segments(scheme=scheme)
    require_one_scheme(
        scheme_counts(segs["scheme"]),
        task=f"codings export to {path}",
        why="a sheet of all would list each text once per scheme, for a coder to code twice",
    )
    long = codings(project, coders=who, dimensions=[d.key for d in dims])
    grouped = long.groupby(["coder_id", "segment_id", "dimension"])["value"].apply(list).to_dict()
    machine = machine_answers(project, who)
    shown = layout(machine, who, dims)  # a machine coder's provenance beside its answers
    if path.suffix.lower() == ".csv" and shown:  # one table: every coder's columns
        beside = {
            d.key: [f for f in FIELDS if any(f in b.get(d.key, ()) for b, _ in shown.values())]
            for d in dims
        }
        at_end = [f for f in FIELDS if any(f in r for _, r in shown.values())]
        shown = dict.fromkeys(who, (beside, at_end))
    frames = {}
    for c in who:
        beside, at_end = shown.get(c, ({}, []))
        rows = []
        for seg in segs.itertuples(index=False):
            row = {
                "segment_id": seg.id,
                "coder": c,
                "document": seg.doc_id,
                "code": seg.code,
                "context": seg.context,
                "text": seg.text,
            }
            for d in dims:
                values = grouped.get((c, seg.id, d.key))
                head = d.key if lang == "key" else d.label(lang)
                row[head] = format_answer(sorted(values), d, lang) if values else ""
                for f in beside.get(d.key, ()):
                    row[column_header(f, lang, d)] = answer_cell(
                        machine.get((seg.id, d.key, c)), f, d, lang
                    )
            given = [a for d in dims if (a := machine.get((seg.id, d.key, c)))]
            row.update({column_header(f, lang): row_cell(given, f) for f in at_end})
            rows.append(row)
        frames[c] = pd.DataFrame(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with staged(path) as (tmp,):  # whole or not at all, no temporary left behind
        if path.suffix.lower() == ".xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                used: set[str] = set()  # a sheet per coder: never two under one name
                for c, frame in frames.items() or {"codings": pd.DataFrame()}.items():
                    sheet = unique_sheet_name(c, used, fallback="coder")
                    frame.to_excel(writer, sheet_name=sheet, index=False)
                _codebook_sheet(writer.book, dims, lang)
                _read_only_columns(writer.book, cb)
        else:
            all_rows = (
                pd.concat(list(frames.values()), ignore_index=True) if frames else pd.DataFrame()
            )
            all_rows.to_csv(tmp, index=False, encoding="utf-8-sig")
    return path


def _group_label(group, dim: Dimension, lang: str) -> str:
    """A closed dimension's group on the codebook sheet, told from a category: in
    Chinese as a Chinese reader names it, 供给型政策工具 (a name in 型 said with its
    dimension's, as Rothwell and Zegveld's tools are in Chinese; any other its own:
    政策环境), in English ``Supply-based (group)``."""
    if lang == "key":
        return group.key
    if lang != "zh":
        return f"{group.label(lang)} (group)"
    name = group.label(lang)
    return f"{name}{dim.label(lang)}" if name.endswith("型") else name


def _codebook_sheet(book, dims: list[Dimension], lang: str) -> None:
    """A ``codebook`` sheet listing each coded dimension (its definition on a row of its
    own, then its groups') and its categories (and ``-`` for "nothing applies") with
    their definitions (in Chinese for ``lang="zh"`` where the codebook gives them,
    ``definition_zh``: the built-in codebooks do), and on every coder's sheet a
    drop-down of them in the column of
    a single-label dimension and a note on how to write several in a multi-label or
    open one, as a coder filling the template in Excel needs. The import knows the
    sheet by its header and passes over it unsaid
    (:func:`ihms.policy._coding_sheet.is_codebook_sheet`)."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    names = {n.lower() for n in book.sheetnames}  # Excel's sheet names ignore case
    title = "codebook" if "codebook" not in names else "codebook (ihms)"
    sheet = book.create_sheet(title)
    sheet.append(list(CODEBOOK_SHEET_HEADER))
    ranges: dict[str, tuple[int, int]] = {}
    for d in dims:
        head = d.key if lang == "key" else d.label(lang)
        # what the dimension is (and whether several apply), then a closed dimension's
        # groups: above the categories, so no drop-down offers them
        sheet.append([head, "", "", d.definition_in(lang)])
        for g in d.groups:
            sheet.append([head, _group_label(g, d, lang), g.key, g.definition_in(lang)])
        first = sheet.max_row + 1
        for c in d.categories:
            label = c.key if lang == "key" else c.label(lang)
            sheet.append([head, label, c.key, c.definition_in(lang)])
        for g in d.answer_groups:  # an open answer is filed under a group: 政策环境：多点执业
            sheet.append([head, _typed(g, lang, "…"), g.key, g.definition_in(lang)])
        sheet.append([head, "-", "", NOTHING_APPLIES.get(lang, NOTHING_APPLIES["en"])])
        ranges[head] = (first, sheet.max_row)
    for ws in book.worksheets:
        if ws.title == title or ws.max_row < 2:
            continue
        header = {cell.value: cell.column for cell in ws[1]}
        for d in dims:
            head = d.key if lang == "key" else d.label(lang)
            if head not in header:
                continue
            col = get_column_letter(header[head])
            cells = f"{col}2:{col}{ws.max_row}"
            if d.kind == "closed" and not d.multi:
                first, last = ranges[head]
                rule = DataValidation(
                    type="list",
                    formula1=f"{quote_sheetname(title)}!$B${first}:$B${last}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=head,
                    error=f"请从 {title} 工作表中选择“{head}”的一个类目，或填“-”。"
                    if lang == "zh"
                    else f"Pick one of the categories of {head} on the {title} sheet, or -.",
                )
            else:
                rule = DataValidation(
                    showInputMessage=True, promptTitle=head, prompt=_prompt(d, title, lang)
                )
            rule.add(cells)
            ws.add_data_validation(rule)


def _read_only_columns(book, codebook) -> None:
    """Grey a machine coder's provenance columns, with a note that the import checks
    them against the project and writes nothing from them."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    grey = PatternFill("solid", start_color="EDEDED", end_color="EDEDED")
    for ws in book.worksheets:
        for cell in ws[1]:
            if ws.max_row < 2 or match_column(str(cell.value or ""), codebook) is None:
                continue
            col = get_column_letter(cell.column)
            for (c,) in ws.iter_rows(min_col=cell.column, max_col=cell.column):
                c.fill = grey
            rule = DataValidation(
                showInputMessage=True,
                promptTitle="Read-only",
                prompt="What the project recorded when the machine coded; the import checks "
                "it is unchanged and writes nothing from it (delete the column if unwanted).",
            )
            rule.add(f"{col}1:{col}{ws.max_row}")
            ws.add_data_validation(rule)


#: A several-answer cell's prompt: (each answer as group: answer, several answers).
_PROMPT = {
    "zh": ("每个答案写作“组名：答案”（{eg}）；", "可填多个{several}，以“;”“；”或“、”分隔（见 {title} 工作表）；"
           "不适用填“-”；留空表示未编码。", {"closed": "类目", "open": "答案"}),
    "en": ("Each answer as group, colon, answer ({eg}); ", "Several {several} separated by ; "
           "(see the {title} sheet); - where nothing applies; empty: not coded.",
           {"closed": "categories", "open": "answers"}),
}  # fmt: skip


def _prompt(d, title: str, lang: str) -> str:
    """The input prompt of a cell of dimension ``d`` where several answers may go (Excel
    shows at most 255 characters), in Chinese for ``lang="zh"``."""
    grouped, several, kinds = _PROMPT["zh" if lang == "zh" else "en"]
    eg = d.synonyms[0][0] if d.synonyms else "…"  # an answer of the codebook
    head = grouped.format(eg=_typed(d.answer_groups[0], lang, eg)) if d.answer_groups else ""
    return head + several.format(several=kinds.get(d.kind, kinds["open"]), title=title)


def _typed(group, lang: str, answer: str) -> str:
    """How a coder writes an answer of ``group``: its name, a colon and the answer."""
    name = group.key if lang == "key" else group.label(lang)
    return f"{name}{'：' if lang == 'zh' else ':'}{answer}"
