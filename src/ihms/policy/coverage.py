"""How many entries each coded dimension reaches: the VI-HQMR policy study's first counts (of 1,072
entries, 697 named symbiotic units, 746 models, 442 environments and 905 interfaces;
482 distinct units; 283 policy, 78 technological, 23 economic and 0 social
environments, §3.2.3). ``lang="zh"`` says its title, headers and notes in Chinese (the
word table of :mod:`ihms.policy._agreement_words`, as ``policy tables --lang zh``)."""

from __future__ import annotations

import pandas as pd

from ihms.errors import InputError
from ihms.policy._agreement_words import ZH, said_in
from ihms.policy._table_counts import unresolved_note
from ihms.policy.tables import ContentTable, format_cell

__all__ = ["coverage_table"]


def coverage_table(
    data,
    *,
    name: str = "coverage",
    title: str = "",
    digits: int = 1,
    lang: str = "en",
    trailing_zeros: bool = True,
) -> ContentTable:
    """One row per coded dimension: the coded entries with an answer in it (``n (%)``
    of the coded entries), its codings (an entry may carry several answers of a
    multi-label dimension) and its distinct answers; a grouped open dimension (the
    symbiotic environment) is followed by a row per group (``Symbiotic environment:
    Policy``), every group listed, used or not.

    Parameters
    ----------
    data
        :class:`~ihms.policy.reconcile.CodedData`. A coded entry is a segment with an
        answer in at least one coded dimension ("none applies" counts when ``data`` was
        built with ``keep_none=True``).
    trailing_zeros
        The percentages to ``digits`` decimals (default), or trailing zeros dropped.

    Raises
    ------
    InputError
        No segment has a coded answer.
    """
    coded_dims = data.codebook.coded
    long = data.long[data.long["dimension"].isin({d.key for d in coded_dims})]
    entries = long["segment_id"].nunique()
    if entries == 0:
        raise InputError(f"table {name!r}: no entry has a coded answer in {data.source!r}")
    answers = long[long["value"] != ""].drop_duplicates(["segment_id", "dimension", "value"])
    rows, counts = [], []
    for dim in coded_dims:
        part = answers[answers["dimension"] == dim.key]
        n_entries = part["segment_id"].nunique()
        cells = (
            format_cell(n_entries, entries, digits, trailing_zeros=trailing_zeros),
            str(len(part)),
            str(part["value"].nunique()),
        )
        rows.append((dim.label(lang), "category", cells))
        counts.append(
            {"entries": n_entries, "codings": len(part), "distinct": part["value"].nunique()}
        )
        groups = [dim.split_answer(v)[0] for v in part["value"]] if dim.answer_groups else []
        for g in dim.answer_groups:  # seed 003: 283 policy, 78 technology, 23 economy, 0 social
            sub = part[[k == g.key for k in groups]]
            n_sub = sub["segment_id"].nunique()
            rows.append(
                (
                    f"{dim.label(lang)}{'：' if lang == 'zh' else ': '}{g.label(lang)}",
                    "subtotal",
                    (
                        format_cell(n_sub, entries, digits, trailing_zeros=trailing_zeros),
                        str(len(sub)),
                        str(sub["value"].nunique()),
                    ),
                )
            )
            counts.append(
                {"entries": n_sub, "codings": len(sub), "distinct": sub["value"].nunique()}
            )
    if lang == "zh":
        header = ("维度", f"有答案的条目数（n={entries}），{ZH['n (%)']}", "编码数", "不同答案数")
        notes = (
            f"n = {entries} 个已编码条目（至少在一个编码维度中有答案）。",
            "编码数按每个答案计一次条目；不同答案数为至少使用过一次的标准化答案（开放维度）"
            "或类目（封闭维度）。",
        )
    else:
        header = (
            "Dimension",
            f"Entries with an answer (n={entries}), n (%)",
            "Codings",
            "Distinct answers",
        )
        notes = (
            f"n = {entries} coded entries (an answer in at least one coded dimension).",
            "Codings count an entry once per answer; distinct answers are the normalised "
            "answers (open dimensions) or categories (closed ones) used at least once.",
        )
    notes += unresolved_note(data, coded_dims, lang)
    frame = pd.DataFrame(counts, index=[r[0] for r in rows])
    return ContentTable(
        name,
        said_in(lang, title or "Entries coded per dimension"),
        header,
        tuple(rows),
        frame,
        notes,
        # only the entries column has percentages; codings and distinct answers are counts
        bases=frame.assign(entries=entries, codings=float("nan"), distinct=float("nan")),
        percent_digits=digits,
        trailing_zeros=trailing_zeros,
        lang=lang,
    )
