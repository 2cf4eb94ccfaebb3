"""Inter-coder agreement of a coding project, per dimension and per category.

The statistics are :func:`ihms.stats.agreement.agreement_report`'s (Cohen's kappa for
two coders, Fleiss' kappa for more, Krippendorff's alpha with an optional bootstrap
interval, Gwet's AC1, PABAK, percent agreement); this
module only turns the project's blind codings into the long table it reads: one row
per segment, coder and dimension, a multi-label answer as a set of categories (an
empty set when the coder found none applied). Multi-label dimensions are compared as
whole sets and per category (present/absent); the average kappa over dimensions is the
figure Yu et al. 2024 reports (0.746).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy._agreement_codings import _in_sample, _on_one_scheme
from ihms.policy._agreement_words import (
    chance_notes,
    dimension_label,
    grouped_note,
    in_chinese,
    scales,
    thin_mean,
    zh_notes,
)
from ihms.policy._counted import counted_codings
from ihms.policy.answer_views import require_answer_groups
from ihms.policy.coding import codings
from ihms.sources import YU_2024
from ihms.stats._agreement_row import coverage_notes, mean_kappa_words
from ihms.stats.agreement import AgreementReport, agreement_report
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.codebook import Codebook
    from ihms.policy.project import Project

__all__ = ["agreement_table", "coder_agreement"]

_NONE = "(none)"


def coder_agreement(
    project: Project,
    *,
    coders: list[str] | None = None,
    dimensions: list[str] | None = None,
    include_machine: bool = False,
    n_boot: int = 0,
    seed: int = 0,
    alpha_minimum: float = 0.667,
    level: str = "answer",
    scheme: str | None = None,
    exclude_training: bool = False,
) -> AgreementReport:
    """Agreement between ``coders`` on the segments they coded, per coded dimension.

    A machine coder's answers on the segments it was trained on (their provenance says
    ``in_training``) agree with people in-sample; a note counts them per dimension and
    points to ``autocode evaluate``'s out-of-fold kappa.

    Parameters
    ----------
    project
        The coding project.
    coders
        Coder ids, two or more; by default every human coder (and machine coders with
        ``include_machine``).
    dimensions
        Dimension keys or names; by default every coded dimension, or, with a machine
        coder named, those every named coder coded (a note names the rest).
    include_machine
        With ``coders`` None, compare machine coders too.
    n_boot, seed, alpha_minimum
        Bootstrap resamples of Krippendorff's alpha (0: no interval), their seed, and
        the alpha whose shortfall probability is reported, as
        :func:`ihms.stats.agreement.agreement_report` takes them.
    level
        How a grouped open dimension (the VI-HQMR policy study's symbiotic environment) is
        compared: ``"answer"`` (the set of group-and-answer pairs, and each pair
        present/absent) or ``"group"`` (the set of groups the answers fall in, and each
        group present/absent). Other dimensions are the same at both.
    scheme
        Keep the codings on this segmentation scheme's segments; without it they must
        lie on one scheme's (each text would count once per scheme).
    exclude_training
        Leave out, for every coder, the segments a named machine coder was trained on.

    Raises
    ------
    InputError
        Fewer than two coders, none of them coded the requested dimensions, a
        ``level`` other than ``answer`` or ``group``, or ``group`` where no dimension
        has groups of answers (:func:`~ihms.policy.answer_views.require_answer_groups`),
        codings on two schemes' segments without ``scheme``, or none on ``scheme``'s;
        ``exclude_training`` without a machine coder among ``coders``.
    """
    if level not in ("answer", "group"):
        raise InputError(f"parameter 'level': expected 'answer' or 'group', got {level!r}")
    cb = project.codebook()
    if level == "group":
        require_answer_groups(cb, dimensions)
    known = project.coders()
    if coders is None:
        pool = known if include_machine else known[known["kind"] == "human"]
        coders = list(pool["id"])
    unknown = sorted(set(coders) - set(known["id"]))
    if unknown:
        raise InputError(f"unknown coder(s) {unknown}; known: {sorted(known['id'])}")
    if len(coders) < 2:
        raise InputError(f"agreement needs at least two coders, got {coders}")
    dims = [cb.dimension(d) for d in dimensions] if dimensions else [d for d in cb.coded]
    long = codings(project, coders=coders, dimensions=[d.key for d in dims])
    skipped: list[str] = []
    if not dimensions and (known.set_index("id").loc[coders, "kind"] == "machine").any():
        # a machine coder codes one dimension: by default, those every named coder coded
        by_all = {
            d
            for d, who in long.groupby("dimension")["coder_id"]
            if who.nunique() == len(set(coders))
        }
        skipped = [d.key for d in dims if d.key in set(long["dimension"]) - by_all]
        if by_all:
            dims = [d for d in dims if d.key in by_all]
            long = long[long["dimension"].isin(by_all)]
    if long.empty:
        raise InputError(f"coders {coders} have no codings in {[d.key for d in dims]}")
    long, counted = counted_codings(project, long, coders)
    long = _on_one_scheme(project, long, scheme, coders, [d.key for d in dims])
    long, in_sample = _in_sample(long, coders, exclude_training)
    multi = {d.key for d in dims if d.multi}
    grouped = {d.key: d for d in dims if d.answer_groups} if level == "group" else {}
    rows = []
    for (seg, dim, who), values in long.groupby(["segment_id", "dimension", "coder_id"])["value"]:
        present = frozenset(v for v in values if v != "")
        if dim in grouped:
            present = frozenset(grouped[dim].split_answer(v)[0] or v for v in present)
        code = present if dim in multi else next(iter(present)) if present else _NONE
        rows.append({"unit": seg, "coder": who, "dimension": dim, "code": code})
    # the report's dimensions (and its notes) in the codebook's order, as the table
    # shows them, and its coders as named — not as keys sort or segments turn them up
    dim_rank, coder_rank = (
        {d.key: i for i, d in enumerate(dims)},
        {c: i for i, c in enumerate(coders)},
    )
    rows.sort(key=lambda r: (dim_rank[r["dimension"]], coder_rank[r["coder"]]))
    table = pd.DataFrame(rows)
    report = agreement_report(
        table, unit="unit", coder="coder", code="code", dimension="dimension",
        multi_label=sorted(multi & set(table["dimension"])), source=str(project.path),
        n_boot=n_boot, seed=seed, alpha_minimum=alpha_minimum, categories=scales(dims),
    )  # fmt: skip
    notes = list(report.notes) + counted
    if any(d.answer_groups for d in dims):
        names = ", ".join(d.key for d in dims if d.answer_groups)
        notes.append(grouped_note(names, level))
    notes += in_sample
    if skipped:
        notes.append(
            f"dimensions not coded by every coder named are left out: {', '.join(skipped)} "
            "(name them with dimensions= / --dimension to see why)"
        )
    return replace(report, notes=tuple(notes)) if notes != list(report.notes) else report


def agreement_table(
    report: AgreementReport, codebook: Codebook, *, lang: str = "en"
) -> SummaryTable:
    """The report as a table: dimension and category names from the codebook, units,
    percent agreement, kappa (with its statistic), Krippendorff's alpha (with its
    bootstrap interval when the report has one), Gwet's AC1 and PABAK, and the average
    kappa over dimensions in the notes (with the kappa-paradox caveats).

    ``lang="zh"`` builds the whole table in Chinese — title, headers, bases,
    statistics and notes (:mod:`ihms.policy._agreement_words`) — as
    :func:`~ihms.policy.tables.frequency_table` builds its own, so the console, the
    workbook and the CSV of ``ihms policy agreement --lang zh`` say the same.

    Parameters
    ----------
    report
        The result of :func:`coder_agreement`.
    codebook
        The project's codebook: names and order of dimensions and categories.
    lang
        ``"en"`` or ``"zh"``.

    Raises
    ------
    InputError
        ``lang`` is neither ``en`` nor ``zh``.
    """
    check_lang(lang)
    rank = {}
    for i, d in enumerate(codebook.dimensions):
        rank[(d.key, None)] = (i, -1)
        for j, c in enumerate(d.categories):
            rank[(d.key, c.key)] = (i, j)
    dim_rank = {d.key: i for i, d in enumerate(codebook.dimensions)}

    def order(r):
        # an open dimension's answers (and "(none)") follow their own dimension's row,
        # in the framework's order (Dimension.sort_key: the synonym dictionary's, the
        # answers it does not list after them alphabetically); a dimension the
        # codebook lacks goes last
        known = rank.get((r.dimension, r.category))
        if known is not None:
            return (*known, (0, 0, ""))
        where = dim_rank.get(r.dimension)
        if where is None:  # by dimension, its own row first, then its categories
            return (
                len(dim_rank),
                len(rank),
                (str(r.dimension), r.category is not None, str(r.category)),
            )
        return (where, len(rank), codebook.dimensions[where].sort_key(str(r.category)))

    ordered = sorted(report.table.itertuples(index=False), key=order)
    below = f"P(alpha<{report.alpha_minimum:g})"
    rows = []
    for r in ordered:
        try:
            dim = codebook.dimension(r.dimension)
            dim_label = dim.label(lang)
        except InputError:
            dim, dim_label = None, str(r.dimension)
        if r.category is None:
            label, basis = dim_label, "whole answer" if r.basis == "code" else "whole set"
        else:
            label, basis = f"  {_category_label(dim, r.category, lang)}", "present/absent"
        row = {
            "dimension / category": label,
            "basis": basis,
            "units": int(r.n_units),
            "agreement %": round(float(r.percent_agreement), 1),
            "statistic": r.statistic,
            "kappa units": int(r.kappa_units),
            "kappa": float(r.kappa),
            "alpha": float(r.alpha),
        }
        if report.n_boot:
            row.update(
                {
                    "alpha low": float(r.alpha_ci_low),
                    "alpha high": float(r.alpha_ci_high),
                    below: float(r.alpha_p_below),
                }
            )
        row.update({"AC1": float(r.ac1), "PABAK": float(r.pabak)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    fewer = bool((frame["kappa units"] < frame["units"]).any())
    if not fewer:  # two coders, or none left a segment out: one count says it for all
        frame = frame.drop(columns="kappa units")
    groups = _dimension_rows(report, codebook, lang)
    if lang == "zh":
        notes = zh_notes(report, codebook, fewer=fewer, below=below, groups=groups)
        return in_chinese(_summary(frame, "", notes, below), below)
    mean = mean_kappa_words(report.dimension_rows()["kappa"])
    benchmark = f" ({YU_2024} reports 0.746 for its two coders)" if codebook.name == "6d" else ""
    notes = [
        f"Mean kappa over dimensions: {mean}{benchmark}{thin_mean(report, codebook, 'en')}."
        if mean
        else "",
        f"Coders: {', '.join(map(str, report.coders))}.",
        "units: segments coded by at least two of the coders, on which agreement %, alpha, "
        "AC1 and PABAK are computed; kappa units: the fewer Fleiss' kappa used, those "
        "every coder coded."
        if fewer
        else "units: segments coded by at least two of the coders; every statistic of a row "
        "is computed on them.",
        "AC1: Gwet's; PABAK: prevalence- and bias-adjusted kappa (Brennan–Prediger with "
        "more than 2 coders); neither falls when one answer dominates.",
        *chance_notes(report, codebook, "en"),
        f"alpha low/high and {below} (P(α<min) in a narrow table): {report.n_boot:,} "
        "bootstrap resamples of segments "
        f"(seed {report.seed}), {100 * report.confidence:g}% percentile interval."
        if report.n_boot
        else "",
        *_named_notes(report, codebook, lang, groups),
    ]
    return _summary(frame, "Inter-coder agreement per dimension and category", notes, below)


def _summary(frame: pd.DataFrame, title: str, notes: list[str], below: str) -> SummaryTable:
    return SummaryTable(
        frame,
        title=title,
        notes=tuple(n for n in notes if n),
        show_index=False,
        formats={
            "kappa": "{:.3f}".format,
            "alpha": "{:.3f}".format,
            "alpha low": "{:.3f}".format,
            "alpha high": "{:.3f}".format,
            below: "{:.3f}".format,
            "AC1": "{:.3f}".format,
            "PABAK": "{:.3f}".format,
            "agreement %": "{:.1f}".format,
        },
        # a narrow console, as the stats agreement table: Greek letters, the statistic
        # under agreement, the basis under the units, PABAK under AC1, alpha's interval
        # under alpha and P(alpha<min)
        short_headers={
            "dimension / category": "dimension",
            "agreement %": "agree %",
            "statistic": "stat",
            "kappa": "κ",
            "kappa units": "κ units",
            "alpha": "α",
            "alpha low": "α lo",
            "alpha high": "α hi",
            below: "P(α<min)",
        },
        stack_under={
            "statistic": "agreement %",
            "basis": "units",
            "kappa units": "units",
            "PABAK": "AC1",
            "alpha low": "alpha",
            "alpha high": below,
        },
    )


def _segment_notes(report: AgreementReport, codebook, lang: str, notes: list[str]) -> list[str]:
    """The notes with the report's notes on the units left out (one coder's only;
    those Fleiss' kappa left out or lacked — one per dimension, for its whole answer
    and each category) said in the table's words: segments, the dimension's label, its
    basis (whole answer or set), the kappa units column; regenerated from the report's
    counts, not parsed from its text. Its other notes on a dimension (kappa/alpha
    undefined) begin with the dimension's key, which the label replaces."""
    said: dict[str, str] = {}
    for key, cover in report.coverage:
        multi = key in report.multi_label
        stats_words = coverage_notes(key, cover, whole="whole code set" if multi else "whole code")
        table_words = coverage_notes(
            dimension_label(codebook, key, lang), cover, whole="whole set" if multi else "whole answer",
            unit="segment", advice="", kappa_units=" (kappa units)", choose="--coders ",
        )  # fmt: skip
        said |= dict(zip(stats_words, table_words, strict=True))
    prefixes = {
        f"{key}: ": f"{dimension_label(codebook, key, lang)}: " for key in report.dimensions
    }

    def named(note: str) -> str:
        if note in said:
            return said[note]
        key = next((p for p in prefixes if note.startswith(p)), None)
        return note if key is None else prefixes[key] + note[len(key) :]

    return [named(n) for n in notes]


def _category_label(dim, category, lang: str) -> str:
    """A category (or open answer) as the table names it; "none applies" of a
    single-label dimension as ``(none)``, ``（无）`` in Chinese."""
    if category == _NONE:
        return "（无）" if lang == "zh" else _NONE
    return category if dim is None else dim.value_label(category, lang)


def _dimension_rows(report: AgreementReport, codebook, lang: str) -> list[tuple]:
    """Per dimension of the report: its key, its label, its own row and its categories'
    ``(category, label, row)`` — named as the table names them."""
    out = []
    for key, part in report.table.groupby("dimension", sort=False):
        rows = part.to_dict(orient="records")
        whole = next((r for r in rows if r["category"] is None), None)
        if whole is None:
            continue
        try:
            dim = codebook.dimension(key)
        except InputError:
            dim = None
        cats = [
            (c, _category_label(dim, c, lang), r) for r in rows if (c := r["category"]) is not None
        ]
        out.append((key, str(key) if dim is None else dim.label(lang), whole, cats))
    return out


def _named_notes(report: AgreementReport, codebook, lang: str, groups: list) -> list[str]:
    """The report's notes naming dimensions (and, in its kappa-paradox notes,
    categories) as the table does — the report names them by their keys."""
    from ihms.stats._agreement_row import paradox_notes

    keyed, named = [], []
    for key, label, whole, cats in groups:
        keyed += paradox_notes(str(key), whole, [(c, r) for c, _, r in cats])
        named += paradox_notes(label, whole, [(shown, r) for _, shown, r in cats])
    rest = [n for n in report.notes if n not in keyed]
    return _segment_notes(report, codebook, lang, rest) + named
