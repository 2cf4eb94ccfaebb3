"""The coded corpus as a data set for SPSS, Stata, R or Excel: one row per segment.

Researchers run their own tests (chi-square, logistic models) on the codes, in the
statistics package they know. :func:`analysis_dataset` lays the final codings (or one
coder's) out as a rectangular table with labels:

- ``segment_id``, ``doc_id``, ``title``, the document's ``issuer`` (发文机关, as stored),
  ``doc_number`` (文号) and release ``date`` (ISO text, ``2017-04-26``, which SPSS,
  Stata and Excel all read) where any document has one, ``code`` (the segment's
  position, e.g. ``00-01-P1``) and, unless ``text=False``, ``text``;
- a single-label closed dimension (level, nature, orientation, behaviour …): one
  numeric variable, the category's position in the codebook (1, 2, …), with value
  labels; 0 ("none applies") for a segment coded with none of them;
- a multi-label closed dimension (tools, stakeholders …): one 0/1 variable per category
  (``tools_talent_construction``), SPSS's "multiple dichotomy" layout; a segment coded
  with none of them has 0 everywhere;
- a year dimension: the year as a number;
- an open dimension (symbiotic units, models, interfaces): its answers as text, joined
  by ``; `` (what people read), or ``-`` when the coder found none; and one 0/1
  variable per normalised answer found in the data (``symbiotic_unit_01`` …, the answer
  in the variable label), so the answers can be tabulated and crossed like a closed
  multi-label dimension's categories. They are numbered by how many segments give the
  answer, most first; ties keep the codebook's synonym-dictionary order, then answers
  outside the dictionary in character order. The label is the answer as the
  dictionary spells it (Chinese), or its ``en`` attribute with ``lang="en"`` where the
  codebook gives one. With ``min_count`` answers given in fewer segments are pooled
  into one ``<dimension>_other`` variable (1 = the segment gives at least one of
  them); :attr:`AnalysisDataset.answers` and the ``.xlsx`` ``variables`` sheet list
  the answers behind every such variable. "Nothing applies" (``-``) is 0 on all of them.
  A grouped open dimension (the symbiotic environment) also gets one 0/1 variable per
  group (``symbiotic_environment_policy``: the segment gives an answer in that group),
  before its answers' variables, each answer labelled with its group.

A segment the source did not code in a dimension (or whose coders disagree and nobody
decided yet) is *missing* there — empty, not 0 — so it drops out of an analysis instead
of counting as "category absent". Variable labels carry the dimension and category names
in English or Chinese. :meth:`AnalysisDataset.write` writes ``.sav`` (SPSS, with
``pyreadstat``), ``.dta`` (Stata 14+, Unicode), ``.xlsx`` (a data sheet and a
``variables`` sheet listing every label) or ``.csv``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ihms._repr import brief_repr
from ihms._statfiles import write_stat_file
from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy.codebook import Dimension
from ihms.policy.reconcile import coded_data

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project

__all__ = ["AnalysisDataset", "analysis_dataset"]

#: A single-label answer "none of the categories applies" (missing = not coded).
NONE_CODE = 0
#: An open answer "nothing applies" ("" = not coded).
NONE_TEXT = "-"
#: Stata allows 32 characters in a variable name.
_STATA_NAME = 32
_FORMATS = (".sav", ".dta", ".xlsx", ".csv")
_YES_NO = {"zh": {0: "否", 1: "是"}, "en": {0: "no", 1: "yes"}}


@dataclass(frozen=True, eq=False)
class AnalysisDataset:
    """One row per segment with variable and value labels (see the module docstring).

    Attributes
    ----------
    frame
        The data; numeric codes are floats so that missing stays missing.
    variable_labels
        Column → label.
    value_labels
        Column → {code: label} for the categorical and 0/1 columns.
    source
        ``final`` or the coder whose codings were laid out.
    unresolved
        (segment, dimension) pairs left missing because the coders disagree and nobody
        decided yet (``source="final"`` only).
    answers
        Column → the normalised open answers its 0/1 variable stands for: one answer,
        or every pooled answer for ``<dimension>_other``.
    """

    frame: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]
    source: str = "final"
    unresolved: int = 0
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __repr__(self) -> str:
        # the generated repr printed the data and every label
        return brief_repr(
            self,
            source=self.source,
            segments=len(self.frame),
            variables=len(self.frame.columns),
            unresolved=self.unresolved,
        )

    @property
    def dichotomies(self) -> list[str]:
        """The 0/1 variables: one per category of a closed multi-label dimension and
        one per answer (or pool of rare answers) of an open dimension."""
        return [c for c, v in self.value_labels.items() if set(v) == {0, 1}]

    def variables(self) -> pd.DataFrame:
        """Every column with its label and value labels (the data set's codebook); with
        open dimensions also the answers behind each of their 0/1 variables."""
        table = pd.DataFrame(
            {
                "variable": list(self.frame.columns),
                "label": [self.variable_labels.get(c, "") for c in self.frame.columns],
                "values": [
                    "; ".join(f"{k} = {v}" for k, v in self.value_labels[c].items())
                    if c in self.value_labels
                    else ""
                    for c in self.frame.columns
                ],
            }
        )
        if self.answers:
            table["answers"] = ["、".join(self.answers.get(c, ())) for c in self.frame.columns]
        return table

    def write(self, path: str | Path) -> Path:
        """Write ``.sav``, ``.dta``, ``.xlsx`` or ``.csv`` (by the suffix); the file
        appears whole or not at all.

        Parameters
        ----------
        path
            The file; ``.sav`` and ``.dta`` carry the variable and value labels, a
            ``.xlsx`` a second sheet describing the variables.

        Returns
        -------
        Path
            ``path``.
        """
        return write_stat_file(
            self.frame,
            path,
            variable_labels=self.variable_labels,
            value_labels=self.value_labels,
            label=f"ihms policy codings ({self.source})",
            variables_sheet=self.variables(),
            formats=_FORMATS,
        )


#: SPSS's reserved keywords (IBM SPSS Statistics, "Reserved keywords").
_SPSS_RESERVED = frozenset({"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or",
                            "to", "with"})  # fmt: skip


def _reserved() -> frozenset[str]:
    """Words Stata or SPSS will not take as a variable name (lower case); Stata's as
    pandas's Stata writer lists them."""
    from pandas.io.stata import StataParser

    return _SPSS_RESERVED | {w.lower() for w in StataParser().RESERVED_WORDS}


def _names(wanted: list[str]) -> list[str]:
    """Names SPSS and Stata both accept: ASCII letters, digits and ``_``, a letter
    first, at most 32 characters, no reserved word (``function`` → ``function_v``),
    unique (a clash gets ``_2``, ``_3`` …)."""
    out: list[str] = []
    taken: set[str] = set()
    reserved = _reserved()
    for w in wanted:
        name = re.sub(r"[^0-9A-Za-z_]", "_", w).strip("_") or "v"
        if not name[0].isalpha():
            name = f"v_{name}"
        if name.lower() in reserved:
            name = f"{name}_v"
        name = name[:_STATA_NAME]
        base, k = name, 2
        while name.lower() in taken:
            tail = f"_{k}"
            name = base[: _STATA_NAME - len(tail)] + tail
            k += 1
        taken.add(name.lower())
        out.append(name)
    return out


def analysis_dataset(
    project: Project,
    *,
    source: str = "final",
    lang: str = "en",
    scheme: str | None = None,
    text: bool = True,
    min_count: int = 1,
) -> AnalysisDataset:
    """The project's codings as one row per segment (see the module docstring).

    Parameters
    ----------
    project
        An open :class:`~ihms.policy.project.Project`.
    source
        ``final`` (decisions, agreed answers and single coders' answers, as the tables
        use them) or a coder id.
    lang
        ``en`` or ``zh`` for variable and value labels.
    scheme
        Only segments of this scheme (``paragraph``, ``entry``).
    text
        Include the segment's text.
    min_count
        An open answer given in fewer segments gets no 0/1 variable of its own but
        counts in ``<dimension>_other`` (1: every answer gets its own).

    Raises
    ------
    InputError
        An unknown source or language, a ``min_count`` below 1.
    """
    check_lang(lang)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise InputError(f"parameter 'min_count': expected a whole number ≥ 1, got {min_count!r}")
    data = coded_data(project, source=source, scheme=scheme, keep_none=True)
    cb, segs = data.codebook, data.segments
    values: dict[tuple[str, str], list[str]] = {}
    for seg, dim, value in data.long[["segment_id", "dimension", "value"]].itertuples(index=False):
        values.setdefault((seg, dim), []).append(value)

    ids = segs["id"].tolist()
    if not ids:
        where = f" of scheme {scheme!r}" if scheme else ""
        raise InputError(
            f"the project has no segments{where} in included documents: nothing to lay out"
            " (segment the corpus first, or check --scheme)"
        )
    zh = lang == "zh"
    documents = list(_document_columns(project, segs["doc_id"], lang))
    fixed = [
        ("segment_id", ids, "片段编号" if zh else "Segment id"),
        ("doc_id", segs["doc_id"].tolist(), "文件编号" if zh else "Document id"),
        ("title", segs["title"].fillna("").tolist(), "文件标题" if zh else "Document title"),
        *documents,
        ("code", segs["code"].fillna("").tolist(), "片段位置编码" if zh else "Segment code"),
    ]
    if text:
        fixed.append(("text", segs["text"].tolist(), "文本" if zh else "Text"))
    columns: list[tuple[str, Any, str, dict[int, str] | None, tuple[str, ...]]] = [
        (*f, None, ()) for f in fixed
    ]
    for dim in cb.dimensions:
        got = [values.get((s, dim.key)) for s in ids]
        if dim.kind == "open":
            columns.extend(_open_columns(dim, got, lang, min_count))
        else:
            columns.extend((*c, ()) for c in _dimension_columns(dim, got, lang))
    # a dimension keyed like a fixed column ('code', 'text') gets its own name, but the
    # documents' issuer, number and date (columns added later) give way to a dimension
    # keyed so, which keeps the name a user's syntax knows
    metadata = range(3, 3 + len(documents))
    order = [i for i in range(len(columns)) if i not in metadata] + list(metadata)
    named = dict(zip(order, _names([columns[i][0] for i in order]), strict=True))
    names = [named[i] for i in range(len(columns))]
    frame = pd.DataFrame({n: c[1] for n, c in zip(names, columns, strict=True)})
    return AnalysisDataset(
        frame=frame,
        variable_labels={n: c[2] for n, c in zip(names, columns, strict=True)},
        value_labels={n: c[3] for n, c in zip(names, columns, strict=True) if c[3]},
        source=source,
        unresolved=data.unresolved,
        answers={n: c[4] for n, c in zip(names, columns, strict=True) if c[4]},
    )


_DOCUMENT_FIELDS = {
    "issuer": ("Issuer", "发文机关"),
    "doc_number": ("Document number", "发文字号"),
    "date": ("Release date", "发布日期"),
}


def _document_columns(project, doc_ids: pd.Series, lang: str):
    """(name, values, label) of the documents' issuer, document number and date, each
    only when some document of ``doc_ids`` has one (a corpus without a metadata sheet
    gets no empty columns)."""
    # as stored: documents() puts a derived dimension keyed 'date' in the date's place
    docs = project.frame("SELECT id, issuer, doc_number, date FROM documents").set_index("id")
    for name, (en, zh) in _DOCUMENT_FIELDS.items():
        stored = docs[name].reindex(doc_ids)
        # a date as its day (2017-04-26), whatever time a reader attached to it
        values = ["" if pd.isna(v) else str(v).strip()[: 10 if name == "date" else None]
                  for v in stored]  # fmt: skip
        if any(values):
            yield name, values, zh if lang == "zh" else en


def _dimension_columns(dim: Dimension, got: list[list[str] | None], lang: str):
    """(name, values, label, value labels) of the columns one dimension becomes."""
    title = dim.label(lang)
    if dim.kind == "year":
        # a year, not a date: 发布时间 (the framework's name, Yu et al. 2024's) is 发布年份
        if lang == "zh" and title.endswith("时间"):
            title = title.removesuffix("时间") + "年份"
        col = [float(v[0]) if v and v[0] != "" else np.nan for v in got]
        yield dim.key, col, title, None
    elif not dim.multi:
        code = {c.key: i for i, c in enumerate(dim.categories, start=1)}
        col = [
            np.nan if not v else float(code[dim.category(v[0]).key]) if v[0] else float(NONE_CODE)
            for v in got
        ]
        labels = {i: c.label(lang) for c, i in zip(dim.categories, code.values(), strict=True)}
        if any(c == NONE_CODE for c in col):
            labels = {NONE_CODE: "均不适用" if lang == "zh" else "none applies", **labels}
        yield dim.key, col, title, labels
    else:
        yes_no = dict(_YES_NO[lang])
        chosen = [None if v is None else {dim.category(x).key for x in v if x} for v in got]
        for cat in dim.categories:
            col = [np.nan if c is None else float(cat.key in c) for c in chosen]
            yield f"{dim.key}_{cat.key}", col, _of(title, cat.label(lang), lang), yes_no


def _open_columns(dim: Dimension, got: list[list[str] | None], lang: str, min_count: int):
    """(name, values, label, value labels, answers) of an open dimension's columns: the
    answers as text, then a 0/1 variable per answer given in ``min_count`` segments or
    more (most given first), then ``<key>_other`` pooling the rest, if any."""
    title = dim.label(lang)
    # None = not coded (missing); an empty set = coded, nothing applies ('-')
    sets = [None if v is None else {x for x in v if x} for v in got]
    # "" = not coded; "-" = coded, nothing applies (the token coders write)
    text = ["" if s is None else "; ".join(sorted(s)) or NONE_TEXT for s in sets]
    yield dim.key, text, title, None, ()
    for g in dim.answer_groups:  # the groups first, as a closed multi-label dimension
        mine = [
            None if s is None else {a for a in s if dim.split_answer(a)[0] == g.key} for s in sets
        ]
        col = [np.nan if m is None else float(bool(m)) for m in mine]
        found = tuple(sorted({a for m in mine if m for a in m}, key=dim.sort_key))
        yield (
            f"{dim.key}_{g.key}"[:_STATA_NAME],
            col,
            _of(title, g.label(lang), lang),
            dict(_YES_NO[lang]),
            found,
        )
    counts = Counter(a for s in sets if s for a in s)
    # ties in the framework's order: the synonym dictionary's (a grouped dimension's
    # groups first), then answers it does not list, alphabetically
    ranked = sorted(counts, key=lambda a: (-counts[a], dim.sort_key(a)))
    kept = [a for a in ranked if counts[a] >= min_count]
    pooled = tuple(a for a in ranked if counts[a] < min_count)
    width = max(2, len(str(len(kept))))
    for i, answer in enumerate(kept, start=1):
        tail = f"_{i:0{width}d}"
        name = dim.key[: _STATA_NAME - len(tail)] + tail
        col = [np.nan if s is None else float(answer in s) for s in sets]
        shown = dim.value_label(answer, lang)
        yield name, col, _of(title, shown, lang), dict(_YES_NO[lang]), (answer,)
    if pooled:
        rare = set(pooled)
        col = [np.nan if s is None else float(bool(s & rare)) for s in sets]
        if lang == "zh":
            label = _of(title, f"其他（{len(pooled)} 个答案，各见于不足 {min_count} 个片段）", "zh")
        else:
            label = (
                f"{title}: other ({len(pooled)} answers, each in fewer than {min_count} segments)"
            )
        yield f"{dim.key[: _STATA_NAME - 6]}_other", col, label, dict(_YES_NO[lang]), pooled


def _of(title: str, part: str, lang: str) -> str:
    """A variable's label naming its dimension and its part: 政策工具：人才建设 in
    Chinese (a full-width colon), ``Policy tools: Talent construction`` in English."""
    return f"{title}：{part}" if lang == "zh" else f"{title}: {part}"
