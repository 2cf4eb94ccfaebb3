"""The Chinese of the 6D codebook's names in the demo's English policy tables.

The tables keep seed 000's English cells (tests/policy/test_tables_golden.py compares
them with the paper); a note below each names the Chinese of the dimensions, groups and
categories it shows — ``Medical association 医联体; Graded diagnosis and treatment 分级诊疗``
— so a Chinese researcher reads them in the codebook's words (review of the demo report,
item 13). ``ihms policy tables --lang zh`` prints the tables in Chinese instead, and
``ihms demo --lang zh`` shows them so, without the note.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from ihms.summary import SummaryTable

__all__ = ["bilingual", "chinese_names", "with_chinese_names"]


def chinese_names(codebook) -> dict[str, str]:
    """English name → Chinese name of ``codebook``'s closed dimensions, their groups and
    categories, and the columns seed 000's tables merge (Provincial and municipal level
    省市级)."""
    from ihms.policy._agreement_words import said_in
    from ihms.policy.table_specs import seed000_tables

    names: dict[str, str] = {}
    for dim in codebook.dimensions:
        if dim.kind != "closed":
            continue
        for item in (dim, *dim.groups, *dim.categories):
            names[item.en] = item.zh
    for spec in seed000_tables():
        for merged in spec.options.get("merge_cols", {}):
            names[merged] = said_in("zh", merged)
    return {en: zh for en, zh in names.items() if zh and zh != en}


def _names(text: object, en: str) -> bool:
    """Whether a cell or header shows the name ``en`` (as ``Shanghai (n=26), n (%)``,
    ``  Talent construction``)."""
    t = str(text).strip()
    return t == en or t.startswith((f"{en} (", f"{en},"))


def with_chinese_names(table: SummaryTable, names: dict[str, str]) -> SummaryTable:
    """``table`` with a last note naming the Chinese of the names it shows, in the order
    it shows them (headers, row labels, then text cells); unchanged when it shows none."""
    frame = table.frame
    texts = [*frame.columns, *frame.index]
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(column):
            texts += list(column)
    shown: list[str] = []
    for text in texts:
        shown += [en for en in names if en not in shown and _names(text, en)]
    if not shown:
        return table
    line = "Chinese names: " + "; ".join(f"{en} {names[en]}" for en in shown) + "."
    return dataclasses.replace(table, notes=(*table.notes, line))


def bilingual(en: str, names: dict[str, str]) -> str:
    """``Medical association 医联体``: a row label in both languages."""
    return f"{en} {names[en]}" if en in names else en
