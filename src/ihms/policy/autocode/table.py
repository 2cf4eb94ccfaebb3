"""Labelled segments from a plain table: the auto-coder without a coding project.

Sentences coded in another tool (a spreadsheet, NVivo or DiVoMiner export, a JSON
lines file) arrive as one row per segment: the document it belongs to, its text and,
for the rows already coded, its label. :func:`read_segment_table` reads such a file
(``.csv`` in any Chinese encoding, ``.xlsx``, ``.jsonl``, ``.parquet``) into the segments
and codes every learned coder takes, keeping the file's own rows so the machine's codes
can be written back beside them. Rows keep their file order within a document, which is
what the context features (neighbouring sentences, sections) read.

A row without a label is *uncoded*: it is not learned from, but it still informs the
features, and it is what ``apply`` is for. Labels are read normalised (Unicode NFKC, so
full-width ``Ａ`` is ``A``; invisible format characters such as a zero-width space pasted
from a web page and surrounding spaces removed), so one label typed two ways is one
category; labels that still differ only in case or inner spaces are kept apart and named
in :attr:`SegmentTable.label_twins`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ihms._layout import as_observations, first_row
from ihms._repr import brief_repr
from ihms.errors import DataError, InputError, Problem, did_you_mean

__all__ = ["SegmentTable", "read_segment_table"]

_READABLE = (".csv", ".xlsx", ".jsonl", ".parquet")
_LISTS = re.compile("[、,，]")  # how people list things, not a multi-label cell's separator


@dataclass(frozen=True, eq=False)
class SegmentTable:
    """Segments read from a table.

    Attributes
    ----------
    segments
        ``id`` (the file's id column, else ``r0``, ``r1`` …), ``doc``, ``position`` and
        ``text``, one row per row of the file, the input
        :class:`~ihms.policy.autocode.LearnedCoder` takes.
    labels
        The label of each row (``None``: uncoded; a list of categories for a multi-label
        table), or ``None`` if no label column was asked for.
    frame
        The file's rows as read, to write the machine's codes beside.
    source
        The file name.
    has_documents
        Whether the table has a document column (else every row is its own document).
    has_ids
        Whether the table has an id column.
    label_column
        The label column read (``None``: none).
    labels_normalised
        Label cells rewritten by the normalisation (NFKC, invisible characters and
        surrounding spaces removed).
    label_twins
        Groups of labels, after normalisation, that differ only in case or inner spaces:
        kept as different categories, but probably one typed two ways.
    """

    segments: pd.DataFrame
    labels: list | None
    frame: pd.DataFrame
    source: str
    has_documents: bool = True
    has_ids: bool = False
    label_column: str | None = None
    labels_normalised: int = 0
    label_twins: tuple[tuple[str, ...], ...] = ()

    def __repr__(self) -> str:
        # the generated repr printed the file's rows twice
        return brief_repr(
            self,
            source=self.source,
            segments=len(self.segments),
            labelled=None if self.labels is None else self.n_labelled,
            has_documents=self.has_documents,
        )

    @property
    def n_labelled(self) -> int:
        return 0 if self.labels is None else sum(v is not None for v in self.labels)

    def label_notes(self) -> list[str]:
        """What the normalisation of the labels did, and twins it left, as sentences."""
        notes = []
        counts = Counter(c for v in self.labels or () if v is not None for c in _listed(v))
        if self.labels_normalised:
            notes.append(
                f"{self.labels_normalised:,} label cell(s) of column {self.label_column!r} "
                "normalised: full-width characters read as half-width (Ａ as A), invisible "
                "characters and surrounding spaces removed"
            )
        if self.label_twins:
            groups = "; ".join(
                " and ".join(f"{c!r} ({counts[c]:,})" for c in twins) for twins in self.label_twins
            )
            notes.append(
                f"labels of column {self.label_column!r} that differ only in case or spaces "
                f"are kept as different categories: {groups}"
            )
        notes += _typo_notes(counts, self.label_column)
        listed = Counter(
            c for v in self.labels or () if isinstance(v, list) for c in v if _LISTS.search(c)
        )
        if listed:  # 'a、b' is one category to ';'-separated cells: probably two meant
            notes.append(
                f"{len(listed):,} categor{'y' if len(listed) == 1 else 'ies'} of column "
                f"{self.label_column!r} hold{'s' if len(listed) == 1 else ''} '、', ',' or '，' "
                f"({sum(listed.values()):,} cells): {', '.join(map(repr, listed))}; a "
                "multi-label cell separates its categories with ';' or '；', so each is "
                "read as one category"
            )
        return notes


def _read(path: Path, columns: tuple[str, ...] = ()) -> tuple[pd.DataFrame, list[int]]:
    """The rows that hold anything, and the number of each as a user sees it (spreadsheet
    rows counting the header as row 1, a Parquet file's observations from 1:
    :func:`ihms._layout.first_row`; lines of a JSON lines file). A workbook's sheet is
    its one sheet with data, else the one whose header names any of ``columns``."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _read_jsonl(path)
    kind = {".csv": "a CSV", ".xlsx": "an Excel", ".parquet": "a Parquet"}[suffix]
    try:
        if suffix == ".csv":
            from ihms._decode import read_csv

            frame = read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
        elif suffix == ".xlsx":  # cells keep their types: written back as they were
            from ihms.policy.sheet import table_sheet

            frame = pd.read_excel(path, sheet_name=table_sheet(path, columns))
        else:
            frame = as_observations(pd.read_parquet(path))
    except InputError:
        raise
    except Exception as exc:  # each reader has its own errors for a damaged or empty file
        raise InputError(f"{path.name}: cannot be read as {kind} file ({exc})") from None
    rows = [i + first_row(frame) for i in range(len(frame))]
    filled = [any(_cell(v) is not None for v in row) for row in frame.itertuples(index=False)]
    keep = [i for i, f in enumerate(filled) if f]
    return frame.iloc[keep].reset_index(drop=True), [rows[i] for i in keep]


def _read_jsonl(path: Path) -> tuple[pd.DataFrame, list[int]]:
    from ihms._decode import read_text

    records, lines = [], []
    for i, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name} line {i}: not a JSON object ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{path.name} line {i}: expected a JSON object, got {row!r:.60}")
        records.append(row)
        lines.append(i)
    return pd.DataFrame(records), lines


def read_segment_table(
    path: str | Path,
    *,
    text: str = "text",
    doc: str | None = "doc",
    label: str | None = None,
    multi: bool = False,
    id: str | None = "id",
) -> SegmentTable:
    """Read segments (and their labels) from a table file.

    Parameters
    ----------
    path
        ``.csv``, ``.xlsx``, ``.jsonl`` (one JSON object per line) or ``.parquet``.
    text
        The column holding each segment's text.
    doc
        The column naming each segment's document; ``None`` (or a table without it):
        every row is its own document.
    label
        The column holding the codes; an empty cell (or JSON ``null``) is uncoded.
    multi
        The codes are multi-label: a cell lists categories separated by ``;`` (``-``
        when none applies), and each label becomes a list.
    id
        The column holding each row's own id, the key back to the user's table; it
        must name every row once (as Stata's ``isid``). ``None`` (or a table without
        it): rows are numbered ``r0``, ``r1`` …

    Raises
    ------
    InputError
        A missing file or column, or an unreadable format.
    DataError
        Rows with an empty text or document, or ids repeated or missing, every one of
        them named.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder; expected a table file ({', '.join(_READABLE)})")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() not in _READABLE:
        raise InputError(
            f"{path.name}: expected a {', '.join(_READABLE)} file, got {path.suffix or 'no suffix'!r}"
        )
    frame, numbers = _read(path, tuple(c for c in (text, label, doc, id) if c is not None))
    wanted = [c for c in (text, label) if c is not None]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        others = [str(c) for c in frame.columns if c not in wanted]
        names = ", ".join(f"{c!r}{did_you_mean(c, others)}" for c in missing)
        below = _header_below(frame, wanted)
        if below is not None:  # a title or notes above the column names
            raise InputError(
                f"{path.name}: no column {names} on row 1; the column names are on row "
                f"{numbers[below]}, expected on row 1 (delete the rows above them)"
            )
        params = [p for p, c in (("text", text), ("label", label)) if c in missing]
        raise InputError(
            f"{path.name}: no column {names}; "
            f"the columns are {', '.join(map(str, frame.columns)) or 'none'} (name the "
            f"right one with parameter {', '.join(map(repr, params))}, "
            f"{', '.join('--' + p for p in params)} on the command line)"
        )
    has_docs = doc is not None and doc in frame.columns
    texts = [None if _cell(v) is None else str(v) for v in frame[text]]  # as written
    empty = [i for i, t in enumerate(texts) if t is None]
    if empty:
        raise DataError(
            f"{path.name}: {len(empty):,} segment(s) with an empty {text!r}; nothing was read",
            _empty_cells(path.name, [numbers[i] for i in empty], text, "text", "a segment's text"),
        )
    docs = (
        [_cell(v) or "" for v in frame[doc]]
        if has_docs
        else [f"row {i}" for i in range(len(frame))]
    )
    nodoc = [i for i, d in enumerate(docs) if not d]
    if nodoc:  # pooled as one document '' they were folded and read as neighbours
        raise DataError(
            f"{path.name}: {len(nodoc):,} segment(s) without a document in column {doc!r}; "
            "nothing was read (a cell merged over several rows gives its value to the "
            "first row only: fill the document in on every row)",
            _empty_cells(
                path.name, [numbers[i] for i in nodoc], doc, "document", "the segment's document"
            ),
        )
    # a column of document ids named 'id' (a sentence export) names documents, not rows
    has_ids = id is not None and id in frame.columns and id != doc
    ids = _ids(frame[id], id, path.name, numbers) if has_ids else None
    ids = ids or [f"r{i}" for i in range(len(frame))]
    segments = pd.DataFrame({"id": ids, "doc": docs, "text": texts})
    segments["position"] = segments.groupby("doc", sort=False).cumcount()
    labels, normalised = (None, 0) if label is None else _labels(frame[label], multi=multi)
    return SegmentTable(
        segments=segments[["id", "doc", "position", "text"]],
        labels=labels,
        frame=frame,
        source=path.name,
        has_documents=has_docs,
        has_ids=has_ids,
        label_column=label,
        labels_normalised=normalised,
        label_twins=_twins(labels),
    )


def _normalised(text: str) -> str:
    """A label as meant: NFKC (full-width forms as half-width), without invisible format
    characters (zero-width spaces, byte order marks), surrounding spaces stripped."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def _labels(column: pd.Series, *, multi: bool) -> tuple[list, int]:
    """Each row's label (``None``: uncoded; a list of categories with ``multi``) and
    how many cells the normalisation changed (a multi-label cell's spaces around ``;``
    are its syntax, not a change)."""
    labels: list = []
    changed = 0
    for value in column:
        cell = _cell(value)
        norm = None if cell is None else _normalised(cell)
        if not norm:  # empty, or only invisible characters
            changed += cell is not None
            labels.append(None)
        elif multi:
            labels.append(_categories(norm))
            changed += _categories(cell) != labels[-1]
        else:
            labels.append(norm)
            changed += isinstance(value, str) and value != norm
    return labels, changed


def _typo_notes(counts: Counter, column: str | None) -> list[str]:
    """Labels given at most twice that are one character (substituted, added or dropped)
    from a label given ten times as often: probably a typo (人材建设 for 人才建设), kept as a
    category of its own since merging would be a guess."""
    found = []
    for rare, n in sorted(counts.items()):
        if n > 2:
            continue
        near = [c for c, m in counts.items() if m >= 10 * n and _one_edit(rare, c)]
        if near:
            common = max(near, key=lambda c: (counts[c], c))
            found.append(f"{rare!r} ({n:,}) is one character from {common!r} ({counts[common]:,})")
    if not found:
        return []
    return [
        f"labels of column {column!r}: {'; '.join(found)}: a typo? Kept as a category of "
        "its own; correct the cells and read the table again if it is one"
    ]


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one character substituted, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _twins(labels: list | None) -> tuple[tuple[str, ...], ...]:
    """Groups of different labels that are alike but for case and spaces."""
    from ihms.policy.autocode._errors import _folded

    groups: dict[str, set[str]] = {}
    for label in {c for v in labels or () if v is not None for c in _listed(v)}:
        groups.setdefault(_folded(label), set()).add(label)
    return tuple(sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1))


def _listed(label: str | list[str]) -> list[str]:
    return label if isinstance(label, list) else [label]


def _where(source: str) -> str:
    """What a file's rows are called in messages: a .jsonl file's are lines."""
    return "line" if source.lower().endswith(".jsonl") else "row"


def _empty_cells(
    source: str, rows: list[int], column: str, what: str, expected: str
) -> list[Problem]:
    """One problem per row (as the file numbers it) whose ``column`` is empty."""
    return [
        Problem(
            f"{source} {_where(source)} {n}, column {column!r}: empty {what}",
            file=source,
            row=n,
            column=column,
            expected=expected,
        )
        for n in rows
    ]


def _ids(column: pd.Series, name: str, source: str, numbers: list[int]) -> list[str]:
    """The id column's cells as text, refusing (with every row named) ids that repeat
    or are missing: a researcher keys the machine's codes back to their own table by
    them, and a repeated id is a row pasted twice or a broken key."""
    ids = [_cell(v) for v in column]
    rows: dict[str, list[int]] = {}
    for i, v in enumerate(ids):
        if v is not None:
            rows.setdefault(v, []).append(numbers[i])
    repeated = {v: r for v, r in rows.items() if len(r) > 1}
    empty = [numbers[i] for i, v in enumerate(ids) if v is None]
    if repeated or empty:
        where = _where(source)
        problems = [
            Problem(
                f"{source} column {name!r}: {v!r} on {where}s "
                + (", ".join(map(str, r[:-1])) + f" and {r[-1]}"),
                file=source,
                row=r[1],
                column=name,
                value=v,
                expected="an id no other row has",
            )
            for v, r in repeated.items()
        ] + _empty_cells(source, empty, name, "id", "the row's id")
        raise DataError(
            f"{source}: column {name!r} must name each row once (the key back to your "
            f"table): {len(repeated):,} id(s) repeated, {len(empty):,} row(s) without one; "
            f"nothing was read (if it names each row's document, read it as the document "
            f"column: doc={name!r}, --doc {name} on the command line)",
            problems,
        )
    return [str(v) for v in ids]


def _header_below(frame: pd.DataFrame, wanted: list[str], *, within: int = 20) -> int | None:
    """The position of the first of the top ``within`` rows that holds every wanted
    column name, ``None`` if none does."""
    for i, row in enumerate(frame.head(within).itertuples(index=False)):
        if set(wanted) <= {_cell(v) for v in row}:
            return i
    return None


def _categories(cell: str) -> list[str]:
    """A multi-label cell: categories split on ``;`` or ``；``; ``-`` (or 无,
    none) is "coded, none applies", an empty list."""
    from ihms.policy._coding_sheet import NONE_TOKENS, _split

    parts = _split(cell)
    if all(p.lower() in NONE_TOKENS for p in parts):
        return []
    return sorted({p for p in parts if p.lower() not in NONE_TOKENS})


def _cell(value: object) -> str | None:
    """A cell as text, ``None`` when empty (``""``, whitespace, NaN, JSON null)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a whole number in a numeric column with gaps
    text = str(value).strip()
    return text or None
