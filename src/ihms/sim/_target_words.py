"""Seed 002's figures named in words, their years or ITS terms gathered by source: how
the calibration's notes and the demo's brief list a set of :data:`~ihms.sim.targets.TARGETS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ihms._listing import in_words
from ihms.sim.targets import TARGETS

__all__ = ["figures_words", "label_parts"]

_BY_KEY = {t.key: t for t in TARGETS}


def label_parts(label: str) -> tuple[str, str, str]:
    """A figure's label without units, split into the thing measured, ``":"`` for an ITS
    term (else ``""``) and the year or term: 'Hospitalization rate (…) 2016' →
    ('Hospitalization rate', '', '2016')."""
    label = re.sub(r" \([^)]*\)", "", label)
    name, sep, part = label.partition(": ")
    if not sep:
        name, _, part = label.rpartition(" ")
    return name, sep.rstrip(), part


def _lower(name: str) -> str:
    """'Hospitalization rate' → 'hospitalization rate'; 'CH hospitalizations' kept."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def figures_words(keys: Iterable[str]) -> str:
    """The published figures ``keys`` (:data:`~ihms.sim.targets.TARGETS` keys) by source,
    the years or ITS terms they share gathered: 'Zhong et al. 2023, Table 3: slope change
    of CH hospitalizations; Table 4: hospitalization rate in 2016 and 2019'."""
    by_source: dict[str, dict[str, list[str]]] = {}
    its: set[str] = set()
    for key in keys:
        target = _BY_KEY[key]
        name, _, part = label_parts(target.label)
        by_source.setdefault(target.source, {}).setdefault(name, []).append(part)
        if target.its is not None:
            its.add(name)
    texts, said = [], set()
    for source in sorted(by_source):
        doc, sep, table = source.partition(", ")
        groups: dict[tuple[str, ...], list[str]] = {}
        for name, parts in by_source[source].items():
            groups.setdefault(tuple(parts), []).append(name)
        words = "; ".join(
            f"{in_words(parts)} of {in_words(names)}"
            if names[0] in its
            else f"{in_words(_lower(n) for n in names)} in {in_words(parts)}"
            for parts, names in groups.items()
        )
        texts.append(f"{table if doc in said and sep else source}: {words}")
        said.add(doc)
    return "; ".join(texts)
