"""Screening sheets: reviewers' decisions and a third reviewer's resolutions in; the
conflicts list and the screening record (a paper's supplement) out.

A decisions sheet (CSV or XLSX) has columns ``id``, ``stage`` (``title``/``fulltext``),
``decision`` (``include``/``exclude``) and ``reason`` (required to exclude), and may
name its reviewer in a ``reviewer`` column. Chinese headers (编号, 阶段, 决定, 理由,
筛选人) and values (标题/初筛, 全文; 纳入, 排除) work too. A resolutions sheet is a
decisions sheet whose reviewer column is ``resolved_by`` (裁定人); rows with an empty
decision are conflicts not yet decided and are skipped, so the conflicts sheet written by
:func:`write_conflicts` reads back once its last columns are filled in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ihms.errors import DataError, InputError, did_you_mean
from ihms.policy.screening_reviewers import (
    SETTLE_RULES,
    STAGE_NAMES,
    STAGES,
    Conflict,
    ScreeningDecision,
    nearest_document,
)

__all__ = [
    "read_resolutions",
    "read_reviewer_decisions",
    "read_screening_decisions",
    "write_conflicts",
    "write_screening_sheet",
]

_HEADERS = {
    "编号": "id", "文件编号": "id", "阶段": "stage", "决定": "decision", "筛选结果": "decision",
    "理由": "reason", "原因": "reason", "筛选人": "reviewer", "评审人": "reviewer",
    "审阅人": "reviewer", "裁定人": "resolved_by", "resolved by": "resolved_by",
}  # fmt: skip
_DECISIONS = {"include": "include", "纳入": "include", "exclude": "exclude", "排除": "exclude"}
_STAGES = {"title": "title", "标题": "title", "初筛": "title", "fulltext": "fulltext",
           "full text": "fulltext", "全文": "fulltext", "复筛": "fulltext"}  # fmt: skip


def read_screening_decisions(
    path: str | Path,
    *,
    known_ids: Sequence[str] = (),
    reviewer: str | None = None,
    notes: list[str] | None = None,
) -> list[ScreeningDecision]:
    """Read one reviewer's decisions sheet (see the module docstring).

    Parameters
    ----------
    path
        CSV or XLSX.
    known_ids
        The corpus's document ids; an id not among them is a problem.
    reviewer
        The reviewer's name when the sheet has no ``reviewer`` column (a column wins
        only where this is None).
    notes
        A list the notes on reading the sheet are appended to (title lines above the
        header left out, :func:`ihms.policy.sheet.read_table_file`).

    Raises
    ------
    DataError
        Every bad row at once, each naming file, row and field: an id not in the
        corpus, a stage other than title/fulltext, a decision other than
        include/exclude (纳入/排除), an exclusion without a reason, the same document
        decided twice at one stage by one reviewer.
    """
    decisions, problems = _read(Path(path), known_ids, reviewer, who="reviewer", notes=notes)
    if problems:
        raise DataError(f"screening decisions {path}: {len(problems):,} problem(s)", problems)
    return decisions


def read_reviewer_decisions(
    paths: Sequence[str | Path],
    *,
    known_ids: Sequence[str] = (),
    reviewers: Sequence[str] | None = None,
    notes: list[str] | None = None,
) -> list[ScreeningDecision]:
    """Read each reviewer's decisions sheet; every problem of every sheet at once.

    The reviewer of a sheet is ``reviewers[i]`` when given, else its ``reviewer``
    column (every row must name one), else (with several sheets) the file's name without
    extension (``alice.csv`` → ``alice``). Two sheets of the same reviewer are a problem
    (each reviewer screens independently, once), and so is one sheet given twice; two
    sheets with the same file name in different folders need their reviewers named.

    Parameters
    ----------
    paths
        One decisions sheet (``.xlsx`` or ``.csv``) per reviewer.
    known_ids
        The corpus' document ids; a row naming another is a problem. Empty: not checked.
    reviewers
        One reviewer name per sheet, in order.
    notes
        A list that gets the notes on reading each sheet (as
        :func:`read_screening_decisions`).

    Raises
    ------
    InputError
        ``reviewers`` not one per sheet.
    DataError
        Every problem of every sheet, by file, row and column; nothing is returned.
    """
    if reviewers is not None and len(reviewers) != len(paths):
        raise InputError(
            f"reviewers: expected one name per decisions sheet ({len(paths)}), got "
            f"{len(reviewers)}: {list(reviewers)}"
        )
    paths = [Path(p) for p in paths]
    names = Counter(p.name for p in paths)
    # a sheet is called by its file name, or by its path where two share a name
    labels = [p.name if names[p.name] == 1 else str(p) for p in paths]
    out: list[ScreeningDecision] = []
    problems: list[str] = []
    owner: dict[str, tuple[Path, str, bool]] = {}
    given: dict[Path, str] = {}
    for i, (path, label) in enumerate(zip(paths, labels, strict=True)):
        if path.resolve() in given:
            problems.append(f"{label}: the same sheet is given twice")
            continue
        given[path.resolve()] = label
        name = reviewers[i] if reviewers is not None else None
        # one sheet needs no name (a single researcher); several are told apart by file name
        default = path.stem if len(paths) > 1 else ""
        decisions, found = _read(
            path, known_ids, name, who="reviewer", default=default, label=label, notes=notes
        )
        problems += found
        for who in dict.fromkeys(d.reviewer for d in decisions):
            from_file = name is None and who == default
            if who in owner and owner[who][0] != path.resolve():
                first, first_from_file = owner[who][1], owner[who][2]
                hint = (
                    ", both named after their file: name each sheet's reviewer (--reviewer, "
                    "or a 'reviewer' column)"
                    if from_file and first_from_file
                    else "; give each reviewer's decisions in one sheet"
                )
                problems.append(
                    f"{label}, field 'reviewer': {who!r} also screened in {first}{hint}"
                )
            owner.setdefault(who, (path.resolve(), label, from_file))
        out += decisions
    if problems:
        shown = ", ".join(labels)
        raise DataError(f"screening decisions ({shown}): {len(problems):,} problem(s)", problems)
    return out


def read_resolutions(
    path: str | Path,
    *,
    known_ids: Sequence[str] = (),
    resolved_by: str | None = None,
    notes: list[str] | None = None,
) -> list[ScreeningDecision]:
    """Read a third reviewer's resolutions of conflicts (the conflicts sheet filled in).

    The resolver is ``resolved_by``, else the sheet's ``resolved_by`` column; one of the
    two is required. Rows without a decision are skipped (conflicts not yet decided).

    Parameters
    ----------
    path
        The filled-in conflicts sheet (``.xlsx`` or ``.csv``, :func:`write_conflicts`).
    known_ids
        The corpus' document ids; a row naming another is a problem. Empty: not checked.
    resolved_by
        The resolver, for every row.
    notes
        A list that gets the notes on reading the sheet.

    Raises
    ------
    DataError
        Every problem of the sheet, by row and column.
    """
    path = Path(path)
    decisions, problems = _read(
        path, known_ids, resolved_by, who="resolved_by", skip_blank=True, notes=notes
    )
    if problems:
        raise DataError(f"screening resolutions {path}: {len(problems):,} problem(s)", problems)
    return decisions


def _read(
    path: Path,
    known_ids: Sequence[str],
    name: str | None,
    *,
    who: str,
    default: str = "",
    skip_blank: bool = False,
    label: str = "",
    notes: list[str] | None = None,
) -> tuple[list[ScreeningDecision], list[str]]:
    """The decisions of one sheet and its problems; ``label`` is what messages call the
    sheet (its file name unless given)."""
    from ihms.policy.sheet import read_table_file
    from ihms.stats._cells import first_row

    frame = read_table_file(
        path,
        expected="id, stage, decision, reason",
        columns=("id", "stage", "decision", *_HEADERS),
        notes=notes,
        label=label or None,
    )
    first = first_row(frame)  # the file's number of the first record, below any title
    frame = frame.rename(
        columns={c: _HEADERS.get(str(c).strip(), str(c).strip().lower()) for c in frame.columns}
    )
    label = label or path.name
    missing = [c for c in ("id", "stage", "decision") if c not in frame.columns]
    if missing:
        near = [f"{c!r}{hint}" for c in frame.columns if (hint := did_you_mean(c, missing))]
        got = f"{label}: missing column(s) {missing}; got {list(frame.columns)}"
        return [], ["; ".join([got, *near])]
    has_who = who in frame.columns
    if who == "resolved_by" and name is None and not has_who:
        return [], [f"{label}: say who resolved the conflicts: a 'resolved_by' column or option"]
    if who == "resolved_by" and name in SETTLE_RULES:
        return [], [f"{label}: resolved_by {name!r} is a settle rule's name; name the reviewer"]
    known = set(known_ids)
    problems: list[str] = []
    out: list[ScreeningDecision] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row = i + first
        where = f"{label} row {row}"
        raw = {k: "" if pd.isna(v) else str(v).strip() for k, v in rec.items()}
        if not any(raw.values()) or (skip_blank and not raw.get("decision")):
            continue  # a spreadsheet's empty row, or a conflict not yet decided
        reviewer = name if name is not None else (raw.get(who) or default)
        if has_who and name is None and not raw.get(who):
            problems.append(f"{where}, field {who!r}: empty; say who decided")
        elif who == "resolved_by" and reviewer in SETTLE_RULES:
            # it would be counted as the rule, not as a third reviewer
            problems.append(
                f"{where}, field 'resolved_by': {reviewer!r} is a settle rule's name; name "
                "the reviewer who decided"
            )
        doc_id, reason = raw.get("id", ""), raw.get("reason", "")
        stage = _STAGES.get(raw.get("stage", "").lower())
        decision = _DECISIONS.get(raw.get("decision", "").lower())
        if not doc_id:
            problems.append(f"{where}, field 'id': empty")
        elif known and doc_id not in known:
            problems.append(
                f"{where}, field 'id': {doc_id!r} is not a document of the corpus"
                + nearest_document(doc_id, known)
            )
        if stage is None:
            problems.append(
                f"{where}, field 'stage': expected title or fulltext (标题/初筛, 全文), "
                f"got {raw.get('stage', '')!r}"
            )
        if decision is None:
            problems.append(
                f"{where}, field 'decision': expected include or exclude (纳入/排除), "
                f"got {raw.get('decision', '')!r}"
            )
        if decision == "exclude" and not reason:
            problems.append(f"{where}, field 'reason': excluding {doc_id!r} needs a reason")
        # a conflict has one resolution, whoever gave it; a reviewer decides once per stage
        key = ("" if who == "resolved_by" else reviewer, doc_id, stage or "")
        if doc_id and stage and key in seen:
            by = f" by {reviewer}" if reviewer and who == "reviewer" else ""
            problems.append(
                f"{where}, field 'id': {doc_id!r} was already decided{by} at the "
                f"{STAGE_NAMES[stage]} stage in row {seen[key]}"
            )
        seen.setdefault(key, row)
        if doc_id and stage and decision:
            out.append(ScreeningDecision(doc_id, stage, decision, reason, reviewer, where))
    return out, problems


def write_screening_sheet(frame: pd.DataFrame, path: str | Path, *, sheet: str) -> Path:
    """Write ``frame`` to ``path`` (``.xlsx`` or ``.csv``, UTF-8 with BOM for Excel)
    through a temporary file, so a failed write leaves nothing half-written.

    Parameters
    ----------
    frame
        The sheet's rows; its index is not written.
    path
        A ``.xlsx`` or ``.csv`` file name in an existing folder.
    sheet
        The worksheet's name in a ``.xlsx``.

    Raises
    ------
    InputError
        Another suffix, or a folder that does not exist (:func:`check_sheet_path`).
    """
    from ihms.policy.reconcile import check_sheet_path

    path = check_sheet_path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        if path.suffix.lower() == ".xlsx":
            frame.to_excel(tmp, index=False, sheet_name=sheet, engine="openpyxl")
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_conflicts(conflicts: Sequence[Conflict], path: str | Path) -> Path:
    """Write the conflicts for a third reviewer: id, title, stage, each reviewer's
    decision and reason, then empty ``decision``, ``reason``, ``resolved_by`` columns.

    Parameters
    ----------
    conflicts
        The unsettled conflicts (:attr:`UnresolvedConflicts.conflicts`); rows are
        sorted by stage, then id.
    path
        A ``.xlsx`` or ``.csv`` file name, as :func:`write_screening_sheet` takes it.
    """
    rows = [c.row() for c in conflicts]
    columns = ["id", "title", "stage"]
    columns += [k for r in rows for k in r if k not in columns and ": " in k]
    columns = [*dict.fromkeys(columns), "decision", "reason", "resolved_by"]
    frame = pd.DataFrame(rows, columns=columns)
    order = {s: i for i, s in enumerate(STAGES)}
    frame = frame.sort_values(
        ["stage", "id"], key=lambda c: c.map(order) if c.name == "stage" else c
    )
    return write_screening_sheet(frame.reset_index(drop=True), path, sheet="conflicts")
