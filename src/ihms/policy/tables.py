"""The content-analysis tables of Yu et al. 2024, from codings.

Two layouts, as the study prints them:

* :func:`frequency_table` — a 1D distribution ``n (%)`` (Yu et al. 2024, Tables 1–5). A
  single-label dimension counts texts; a multi-label one counts codings (1,929 tool
  codings over 1,345 texts). A grouped dimension shows each group's header row with
  its ``n`` (``Supply-based (n=357)``) above its categories.
* :func:`crosstab_table` — a 2D table (Tables 6–12). Two multi-label dimensions count
  co-occurring pairs within a text (tools × stakeholders: n = 2,997). With row
  percentages each category row carries its ``n`` and each group a ``Total`` row,
  followed by a ``Grand total`` row (Tables 6, 7, 9, 11); with column percentages each
  column header carries its ``n`` (Tables 8, 10, 12), optionally with a ``Total``
  column (Table 12). Zero cells print ``N/A`` (``—`` in Chinese) in category rows and ``0 (0)`` in totals.

Percentages are exact (decimal arithmetic), rounded half up and printed with the
table's decimals in every cell, so a column reads alike (``88.10``, ``50.00``);
``trailing_zeros=False`` prints them as the study does (``88.1``, ``50``), and
``digits="adaptive"`` gives 0 decimals for rows with n < 100, 1 below 1,000 and 2 above
(the study's Tables 9 and 11).

``lang="zh"`` builds the whole table in Chinese — caption, headers, total rows and notes
(:mod:`ihms.policy._agreement_words`, the word table the agreement table uses too):
``文本数（n=1345），频数（占比 %）``, ``合计（n=357）``, ``总计``, ``政策工具分布（n=1929）``,
``政策工具与政策层级二维分布``, its brackets full-width (:class:`ContentTable`); a title or header given in words the table lacks stays as
written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import pandas as pd

from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy._agreement_words import ZH, content_note, said_in
from ihms.policy._content_table import ContentTable, digits_for, format_cell, format_percent
from ihms.policy._table_counts import (
    counted_values,
    documents_of_texts,
    mixed_documents,
    n_of_texts,
    texts_note,
    unresolved_note,
)
from ihms.policy._table_levels import counted_what, drop_empty, held_merge, merged_notes
from ihms.policy._table_years import year_bins, year_label

__all__ = ["ContentTable", "crosstab_table", "format_cell", "format_percent", "frequency_table"]


def _key(dim, name, *, strict: bool = True) -> str:
    """The key a typed name stands for: a category's key, English or Chinese name; an
    open answer's synonym or English name (its canonical answer). A name that is no
    category raises if ``strict``, else stays as written (a merged row's label)."""
    if dim.kind == "open":
        return dim.normalize(str(name))
    if dim.kind != "closed":
        return str(name)
    try:
        return dim.category(str(name)).key
    except InputError:
        if strict:
            raise
        return name


def _named(dim, order):
    """An explicit order (a list) as keys: see :func:`_key`."""
    if not isinstance(order, (list, tuple)):
        return order
    return [_key(dim, name, strict=False) for name in order]


def _ordered(keys: Sequence[str], counts: Mapping[str, int], order, label) -> list[str]:
    if order == "codebook":
        return list(keys)
    if order == "count":
        return sorted(keys, key=lambda k: (-counts.get(k, 0), list(keys).index(k)))
    if order == "alpha":
        return sorted(keys, key=lambda k: label(k).lower())
    if isinstance(order, (list, tuple)):
        unknown = [k for k in order if k not in keys]
        if unknown:
            raise InputError(f"order names unknown categories {unknown}; known: {list(keys)}")
        return list(order) + [k for k in keys if k not in order]
    raise InputError(f"order must be 'codebook', 'count', 'alpha' or a list, got {order!r}")


def _categories(data, dim, values: pd.Series, merge: Mapping[str, Sequence[str]] | None, lang: str):
    """Category keys (merged ones relabelled) and a key → label function."""
    merge = merge or {}
    mapping = {}
    for label, members in merge.items():
        for m in members:
            mapping[_key(dim, m)] = label
    # open answers in the synonym dictionary's order, as the codebook lists them
    keys = (
        list(dim.category_keys) if dim.kind == "closed" else sorted(set(values), key=dim.sort_key)
    )
    merged_keys = []
    for k in keys:
        mk = mapping.get(k, k)
        if mk not in merged_keys:
            merged_keys.append(mk)

    def label(k: str) -> str:
        return said_in(lang, k) if k in merge else dim.value_label(k, lang)

    return mapping, merged_keys, label


def _row_header(dim, lang: str, grouped: bool) -> str:
    """The row-label column's header: the dimension's name, and for a grouped one
    listing its groups and their categories, "… and secondary classification"."""
    if not grouped:
        return dim.label(lang)
    return dim.label(lang) + ("及二级分类" if lang == "zh" else " and secondary classification")


def _n_pct(head: str, lang: str) -> str:
    """A count column's header: ``Texts (n=1345), n (%)``, ``文本数（n=1345），频数（占比 %）``."""
    return f"{head}，{ZH['n (%)']}" if lang == "zh" else f"{head}, n (%)"


def _title(title: str, default: str, total: int, lang: str) -> str:
    return f"{said_in(lang, title) if title else default} (n={total})"


def _prepare(data, dim_name: str, merge, lang: str, year_floor, year_ceiling, count="texts"):
    dim = data.codebook.dimension(dim_name)
    part = counted_values(data, dim, count)
    if dim.kind == "year":
        binned, _ = year_bins(part["value"], year_floor, year_ceiling)
        # every year from the first to the last, those without a text too (zeros), as
        # a paper's time table lists them
        years = part["value"].astype(int)
        every = [str(y) for y in range(years.min(), years.max() + 1)] if len(years) else []
        shown, _ = year_bins(pd.Series(every, dtype=object), year_floor, year_ceiling)
        part = part.assign(value=binned)

        def label(k):
            return year_label(k, lang)

        order_keys = sorted(set(shown), key=lambda v: (not v.endswith("before"), v))
        return dim, part, order_keys, label
    mapping, keys, label = _categories(data, dim, part["value"], merge, lang)
    if mapping:
        part = part.assign(value=part["value"].map(lambda v: mapping.get(v, v)))
    return dim, part, keys, label


def frequency_table(
    data,
    dimension: str,
    *,
    name: str = "",
    title: str = "",
    order: str | Sequence[str] = "count",
    digits: int | str = 2,
    lang: str = "en",
    merge: Mapping[str, Sequence[str]] | None = None,
    unit_label: str = "",
    header_n: bool = True,
    row_header: str = "",
    show_empty: bool = False,
    count: str = "texts",
    top: int | None = None,
    trailing_zeros: bool = True,
) -> ContentTable:
    """A 1D ``n (%)`` table of one dimension (Yu et al. 2024, Tables 1–5).

    Parameters
    ----------
    data
        :class:`~ihms.policy.reconcile.CodedData`.
    order
        ``count`` (largest first, as Tables 1, 2, 4, 5), ``codebook`` (as Table 3),
        ``alpha`` or an explicit list of category keys.
    merge
        ``{label: [categories]}`` to report several categories as one.
    unit_label
        What the count column counts, as its header says it (default: ``Texts``,
        ``Codings`` or ``Documents``; texts of fewer documents say how many:
        ``Texts (n=13 from 3 documents)``); Yu et al. 2024 prints ``Policies`` (Tables 1, 2, 5;
        ihms says ``Policy texts``: they are its 1,345 paragraphs of 152 documents),
        ``Policy tools`` (Table 3) and ``Participation`` (Table 4).
    header_n
        Whether the count column's header gives ``(n=…)``: ``Texts (n=1345), n (%)``.
        Yu et al. 2024 leaves it out where a text counts more than once (Tables 3 and 4
        give the n of codings in the title, as the title here always does).
    row_header
        Header of the row-label column (default: the dimension's name, "… and
        secondary classification" for a grouped one).
    show_empty
        List categories nobody used (grouped dimensions always list every category;
        a year table always lists every year from the first to the last).
    count
        ``texts`` (segments, as Yu et al. 2024) or ``documents`` (each document once, for a
        metadata dimension: the VI-HQMR policy study's policies by year).
    top
        Only the first ``top`` rows in ``order`` (with ``order="count"``: the most
        frequent, as the VI-HQMR policy study's top 20 symbiotic interfaces);
        percentages stay shares of all ``n``, and a note says how many rows were left out.
    trailing_zeros
        Every percentage to ``digits`` decimals (default), or trailing zeros dropped as
        Yu et al. 2024 prints them (``49`` above ``20.45``).
    """
    check_lang(lang)
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise InputError(f"top must be a whole number of rows, 1 or more, got {top!r}")
    dim, part, keys, label = _prepare(data, dimension, merge, lang, None, None, count)
    if top is not None and dim.groups and not merge:
        raise InputError(f"top: {dim.key!r} is grouped; every group lists all its categories")
    order = _named(dim, order)
    counts = part["value"].value_counts().to_dict()
    if not show_empty and dim.kind != "year":  # years between the first and last stay
        keys = [k for k in keys if counts.get(k, 0) > 0]
    total = int(sum(counts.get(k, 0) for k in keys))
    unit = said_in(
        lang,
        unit_label
        or ("Documents" if count == "documents" else "Codings" if dim.multi else "Texts"),
    )
    grouped = bool(dim.groups) and not merge
    by_text = count == "texts" and not dim.multi  # texts: say of how many documents
    shown_n = f"(n={total})"
    if by_text:
        counted = part.loc[part["value"].isin(keys), "segment_id"]
        shown_n = n_of_texts(total, *documents_of_texts(data, counted), lang)
    header = (
        said_in(lang, row_header) or _row_header(dim, lang, grouped),
        _n_pct(f"{unit} {shown_n}" if header_n else unit, lang),
    )
    rows: list[tuple[str, str, tuple[str, ...]]] = []
    count_rows: list[dict] = []
    ndigits = digits_for(digits, total)
    n_pct = partial(format_cell, trailing_zeros=trailing_zeros)
    if grouped:
        for g in dim.groups:
            members = [c.key for c in dim.categories if c.group == g.key]
            g_n = int(sum(counts.get(k, 0) for k in members))
            rows.append((f"{g.label(lang)} (n={g_n})", "group", ("",)))
            count_rows.append({"n": float("nan")})
            for k in _ordered(members, counts, order, label):
                n = int(counts.get(k, 0))
                rows.append((label(k), "category", (n_pct(n, total, ndigits),)))
                count_rows.append({"n": n})
    else:
        shown = _ordered(keys, counts, order, label)
        for k in shown[:top]:
            n = int(counts.get(k, 0))
            rows.append((label(k), "category", (n_pct(n, total, ndigits),)))
            count_rows.append({"n": n})
    counts_frame = pd.DataFrame(count_rows, index=[r[0] for r in rows])
    what = "codings (a text may carry several)" if dim.multi else "texts"
    notes = (content_note(lang, "count", what="documents" if count == "documents" else what),)
    notes += mixed_documents(data, [dim], count, lang) + unresolved_note(data, [dim], lang)
    if by_text:
        notes += texts_note(data, [dim], counted, lang)
    if top is not None and len(keys) > top:
        notes += (content_note(lang, "top", top=top, rows=len(keys), total=total),)
    default = (
        f"{dim.label(lang)}分布" if lang == "zh" else f"Distribution of {dim.label(lang).lower()}"
    )
    return ContentTable(
        name or f"{dim.key}",
        _title(title, default, total, lang),
        header,
        tuple(rows),
        counts_frame,
        notes,
        bases=counts_frame.mask(counts_frame.notna(), total),  # NaN (a group's row) stays
        percent_digits=ndigits,
        trailing_zeros=trailing_zeros,
        lang=lang,
    )


def _pairs(rows_part: pd.DataFrame, cols_part: pd.DataFrame) -> pd.DataFrame:
    pairs = rows_part.merge(cols_part, on="segment_id", suffixes=("_row", "_col"))
    return pd.crosstab(pairs["value_row"], pairs["value_col"])


def _axes(data, rows, cols, merges, orders, how, lang: str):
    """Both axes of a 2D table (:func:`_prepare`) with their merges narrowed to the
    categories the table counts (:func:`~ihms.policy._table_levels.held_merge`), the
    orders that follow, and the notes naming what each merged row and column holds
    (:func:`~ihms.policy._table_levels.merged_notes`, n counted before the merge)."""
    floor, ceiling, count, what = how
    raw = [_prepare(data, d, None, lang, floor, ceiling, count) for d in (rows, cols)]
    pairs = _pairs(raw[0][1], raw[1][1])
    axes, notes, held_notes = [], [], []
    for i, (dim_name, merge, order) in enumerate(zip((rows, cols), merges, orders, strict=True)):
        dim = raw[i][0]
        sums = pairs.sum(axis=1 - i).to_dict()
        merge, order, empty = held_merge(dim, merge, sums, _named(dim, order), what=what, lang=lang)
        axes.append((*_prepare(data, dim_name, merge, lang, floor, ceiling, count), merge, order))
        notes += merged_notes(dim, merge, sums, lang)
        held_notes += empty
    return axes, notes + held_notes


def crosstab_table(
    data,
    rows: str,
    cols: str,
    *,
    name: str = "",
    title: str = "",
    percent: str = "row",
    digits: int | str = 2,
    lang: str = "en",
    row_order: str | Sequence[str] = "codebook",
    col_order: str | Sequence[str] = "codebook",
    merge_rows: Mapping[str, Sequence[str]] | None = None,
    merge_cols: Mapping[str, Sequence[str]] | None = None,
    subtotals: bool = True,
    grand_total: bool | None = None,
    total_column: bool = False,
    zero: str | None = None,
    row_header: str = "",
    year_floor: int | None = None,
    year_ceiling: int | None = None,
    count: str = "texts",
    trailing_zeros: bool = True,
    show_empty: bool = False,
) -> ContentTable:
    """A 2D table of two dimensions (Yu et al. 2024, Tables 6–12).

    Parameters
    ----------
    percent
        ``row`` (each row sums to 100; rows show their n) or ``column`` (each column
        sums to 100; headers show their n).
    digits
        Decimals of the percentages, or ``"adaptive"``.
    subtotals
        For a grouped row dimension, a ``Total`` row per group (row percentages).
    grand_total
        A ``Grand total`` row; default: with row percentages.
    total_column
        A ``Total`` column (row n and its share of all), as Table 12.
    zero
        What a zero cell prints in category rows (totals print ``0 (0)``); default
        Yu et al. 2024's ``N/A`` in English, ``—`` in Chinese (as Chinese journals print it).
    row_header
        Header of the row-label column (default: the row dimension's name, "… and
        secondary classification" for a grouped one).
    year_floor, year_ceiling
        Fold years up to / from this one into ``2015 and before`` / ``… and after``.
    count
        ``texts`` or ``documents`` (two metadata dimensions: each document once, as
        the VI-HQMR policy study counts policies by year and level).
    trailing_zeros
        Every percentage to its decimals (default), or trailing zeros dropped as Yu
        et al. 2024 print them.
    show_empty
        Keep the columns of a metadata dimension's categories (level, nature) that no
        text of the table has; by default they are left out, with a note for those
        ``col_order`` names
        (:func:`~ihms.policy._table_levels.drop_empty`). A merged row or column's note
        names the categories it holds and their n (:func:`~ihms.policy._table_levels.merged_notes`).
    """
    check_lang(lang)
    zero = zero if zero is not None else ("—" if lang == "zh" else "N/A")
    if percent not in ("row", "column"):
        raise InputError(f"percent must be 'row' or 'column', got {percent!r}")
    rdim = data.codebook.dimension(rows)
    what = counted_what(rdim, data.codebook.dimension(cols), count)
    axes, level_notes = _axes(data, rows, cols, (merge_rows, merge_cols), (row_order, col_order),
                              (year_floor, year_ceiling, count, what), lang)  # fmt: skip
    (rdim, rpart, rkeys, rlabel, merge_rows, row_order) = axes[0]
    (cdim, cpart, ckeys, clabel, _, col_order) = axes[1]
    table = (
        _pairs(rpart, cpart).reindex(index=rkeys, columns=ckeys, fill_value=0).fillna(0).astype(int)
    )
    col_counts = table.sum(axis=0).to_dict()
    row_counts = table.sum(axis=1).to_dict()
    ckeys, col_order, dropped = drop_empty(cdim, ckeys, col_counts, col_order, label=clabel,
                                           show_empty=show_empty, what=what, lang=lang)  # fmt: skip
    level_notes += dropped
    table = table[ckeys]
    ckeys = _ordered(ckeys, col_counts, col_order, clabel)
    grand = int(table.to_numpy().sum())
    grand_total = percent == "row" if grand_total is None else grand_total
    col_total = {k: int(table[k].sum()) for k in ckeys}
    if percent == "row":
        header = [_n_pct(clabel(k), lang) for k in ckeys]
    else:
        header = [_n_pct(f"{clabel(k)} (n={col_total[k]})", lang) for k in ckeys]
    if total_column:
        header.append(_n_pct(said_in(lang, "Total"), lang))
    first = said_in(lang, row_header) or _row_header(
        rdim, lang, bool(rdim.groups) and not merge_rows
    )
    out_rows: list[tuple[str, str, tuple[str, ...]]] = []
    count_rows: list[list[float]] = []
    base_rows: list[list[float]] = []  # each cell's percentage base
    used_digits = {digits_for(digits, grand)} if grand else set()
    n_pct = partial(format_cell, trailing_zeros=trailing_zeros)

    def line(label: str, kind: str, values: list[int]) -> None:
        n = int(sum(values))
        cells, bases = [], []
        for k, v in zip(ckeys, values, strict=True):
            base = n if percent == "row" else col_total[k]
            bases.append(base)
            if v == 0 and kind == "category":
                cells.append(zero)
            else:
                used_digits.add(digits_for(digits, base))
                cells.append(n_pct(v, base, digits_for(digits, base)))
        if total_column:
            cells.append(n_pct(n, grand, digits_for(digits, grand)))
            bases.append(grand)
        shown = f"{label} (n={n})" if percent == "row" else label
        out_rows.append((shown, kind, tuple(cells)))
        count_rows.append([*values, n] if total_column else list(values))
        base_rows.append(bases)

    def category_rows(keys: list[str]) -> list[int]:
        sums = [0] * len(ckeys)
        for k in keys:
            values = [int(table.loc[k, c]) for c in ckeys]
            sums = [a + b for a, b in zip(sums, values, strict=True)]
            line(rlabel(k), "category", values)
        return sums

    if rdim.groups and not merge_rows:
        for g in rdim.groups:
            members = [c.key for c in rdim.categories if c.group == g.key]
            out_rows.append((g.label(lang), "group", tuple("" for _ in header)))
            count_rows.append([float("nan")] * len(header))
            base_rows.append([float("nan")] * len(header))
            sums = category_rows(_ordered(members, row_counts, row_order, rlabel))
            if subtotals:
                line(said_in(lang, "Total"), "subtotal", sums)
    else:
        keys = _ordered(rkeys, row_counts, row_order, rlabel)
        if rdim.kind == "open":  # years between the first and last stay, as zeros
            keys = [k for k in keys if row_counts.get(k, 0) > 0]
        category_rows(keys)
    if grand_total:
        line(said_in(lang, "Grand total"), "total", [col_total[k] for k in ckeys])
    columns = [*ckeys, "Total"] if total_column else list(ckeys)
    counts = pd.DataFrame(count_rows, index=[r[0] for r in out_rows], columns=columns)
    bases = pd.DataFrame(base_rows, index=counts.index, columns=columns)
    notes = [content_note(lang, "by", what=what, percent=percent), *level_notes]
    notes += mixed_documents(data, [rdim, cdim], count, lang)
    notes += unresolved_note(data, [rdim, cdim], lang)
    if what == "texts":
        notes += texts_note(
            data, [rdim, cdim], rpart.merge(cpart, on="segment_id")["segment_id"], lang
        )
    if any(zero in cells for _, kind, cells in out_rows if kind == "category"):
        notes.append(content_note(lang, "zero", zero=zero, what=what))
    default = (
        f"{rdim.label(lang)}与{cdim.label(lang)}二维分布"
        if lang == "zh"
        else f"{rdim.label(lang)} by {cdim.label(lang).lower()}"
    )
    return ContentTable(
        name or f"{rdim.key}_by_{cdim.key}",
        _title(title, default, grand, lang),
        (first, *header),
        tuple(out_rows),
        counts,
        tuple(notes),
        bases=bases,
        percent_digits=max(used_digits, default=0),
        trailing_zeros=trailing_zeros,
        lang=lang,
    )
