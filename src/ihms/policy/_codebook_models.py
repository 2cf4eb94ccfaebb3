"""The codebook YAML's schema (pydantic), checked on load by
:func:`ihms.policy.codebook.parse_codebook`; the frozen codebook objects are in
:mod:`ihms.policy.codebook`."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from ihms.errors import InputError


def tier_span(tier: float | str, *, unit: str = "") -> tuple[float, float]:
    """``(low, high)`` of a tier: a number (or a number written as text, ``"3"``)
    gives ``(t, t)``, a span ``"3-4"`` (or ``3–4``) gives ``(3.0, 4.0)``.

    Raises
    ------
    InputError
        Neither a number nor a span with its low end first.
    """
    if isinstance(tier, (int, float)) and not isinstance(tier, bool):
        return float(tier), float(tier)
    one = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*", str(tier))
    if one is not None:  # a number written as text: quoted in YAML, read from GraphML
        return float(one.group(1)), float(one.group(1))
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[-–~～]\s*(\d+(?:\.\d+)?)\s*", str(tier))
    if m is None or float(m.group(1)) >= float(m.group(2)):
        who = f" of {unit!r}" if unit else ""
        raise InputError(
            f"tier{who}: expected a number or a span 'low-high' such as '3-4', got {tier!r}"
        )
    return float(m.group(1)), float(m.group(2))


def norm_name(name: str) -> str:
    """A name as compared: full-width forms as half-width (NFKC: a coder typing in a
    Chinese input method's full-width mode), spaces, underscores and dashes dropped,
    lower case."""
    return re.sub(r"[\s_\-－—]+", "", unicodedata.normalize("NFKC", str(name))).lower()


_FIELDS = (
    "level",
    "nature",
    "orientation",
    "issuer",
    "title",
    "doc_number",
    "date",
    "region",
    "source",
)


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Literal[_FIELDS]  # type: ignore[valid-type]
    pattern: str
    category: str
    #: the rule holds only when this field also holds the text the pattern matched (the
    #: region's county-level city, 义乌市, in the issuer)
    named_in: Literal[_FIELDS] | None = None  # type: ignore[valid-type]


class _Derive(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Literal[_FIELDS] | None = None  # type: ignore[valid-type]
    rules: list[_Rule] = []


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    en: str
    zh: str
    group: str | None = None
    definition: str = ""
    definition_zh: str = ""
    aliases: list[str] = []
    keywords_zh: list[str] = []
    keywords_en: list[str] = []


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    en: str
    zh: str
    definition: str = ""
    definition_zh: str = ""
    aliases: list[str] = []


class _Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    en: str
    zh: str
    kind: Literal["closed", "open", "year"]
    multi: bool = False
    source: Literal["coded", "metadata"] = "coded"
    definition: str = ""
    definition_zh: str = ""
    groups: list[_Group] = []
    categories: list[_Category] = []
    synonyms: dict[str, list[str]] = {}
    attributes: dict[str, dict[str, float | int | str]] = {}
    derive: _Derive | None = None

    @model_validator(mode="after")
    def _check(self) -> _Dimension:
        problems = []
        if self.kind == "closed" and not self.categories:
            problems.append("a closed dimension needs categories")
        if self.kind != "closed" and self.categories:
            problems.append(f"a {self.kind} dimension has no categories")
        if self.kind == "year" and self.groups:
            problems.append("a year dimension has no groups")
        if self.kind == "open" and self.groups:
            problems += _open_group_problems(self)
        if self.kind != "open" and (self.synonyms or self.attributes):
            problems.append("only open dimensions have synonyms and attributes")
        if self.source == "metadata" and self.derive is None:
            problems.append("a metadata dimension needs 'derive'")
        if self.source == "metadata" and self.multi:
            problems.append("a metadata dimension is single-label")
        if self.kind == "year" and self.source != "metadata":
            problems.append("a year dimension is derived from metadata (source: metadata)")
        keys = [c.key for c in self.categories]
        for dup in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(f"category key {dup!r} repeats")
        names: dict[str, str] = {}
        for c in self.categories:
            for name in (c.key, c.en, c.zh, *c.aliases):
                norm = norm_name(name)
                if norm in names and names[norm] != c.key:
                    problems.append(f"name {name!r} of {c.key!r} also names {names[norm]!r}")
                names[norm] = c.key
        group_keys = {g.key for g in self.groups}
        for c in self.categories:
            if self.groups and c.group not in group_keys:
                problems.append(
                    f"category {c.key!r} has group {c.group!r}, not one of {sorted(group_keys)}"
                )
            if not self.groups and c.group:
                problems.append(
                    f"category {c.key!r} names group {c.group!r} but no groups are defined"
                )
        if self.derive:
            for r in self.derive.rules:
                if r.category not in keys:
                    problems.append(f"rule for {r.pattern!r} gives unknown category {r.category!r}")
                try:
                    re.compile(r.pattern)
                except re.error as exc:
                    problems.append(
                        f"rule pattern {r.pattern!r} is not a regular expression: {exc}"
                    )
        variants: dict[str, str] = {}
        for canon, vs in self.synonyms.items():
            for v in [canon, *vs]:
                if norm_name(v) in variants and variants[norm_name(v)] != canon:
                    problems.append(
                        f"synonym {v!r} maps to both {variants[norm_name(v)]!r} and {canon!r}"
                    )
                variants[norm_name(v)] = canon
        english: dict[str, str] = {}
        for canon, attrs in self.attributes.items():
            if canon not in self.synonyms:
                problems.append(f"attributes given for {canon!r}, which is not a canonical answer")
            if "tier" in attrs:
                try:
                    tier_span(attrs["tier"], unit=canon)
                except InputError as exc:
                    problems.append(str(exc))
            en = attrs.get("en")
            if en is not None and not (isinstance(en, str) and en.strip()):
                problems.append(f"attribute 'en' of {canon!r}: expected a name, got {en!r}")
            elif en is not None and english.setdefault(norm_name(en), canon) != canon:
                problems.append(
                    f"'en' name {en!r} of {canon!r} also names {english[norm_name(en)]!r}"
                )
            elif en is not None and variants.get(norm_name(en), canon) != canon:
                # an English name is also read as input (a sheet's cell, a table spec)
                problems.append(
                    f"'en' name {en!r} of {canon!r} is also a spelling of "
                    f"{variants[norm_name(en)]!r}; an answer typed as {en!r} would be ambiguous"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _open_group_problems(dim: _Dimension) -> list[str]:
    """An open dimension's groups (the closed second level of seed 003's symbiotic
    environment): a stored answer is ``<group key>:<answer>``, so a key holds no colon;
    a coder names a group by key, English or Chinese name or alias, so no name may
    stand for two groups."""
    problems = []
    if dim.source != "coded":
        problems.append("an open dimension with groups is coded (source: coded)")
    names: dict[str, str] = {}
    for g in dim.groups:
        if not g.key.strip() or re.search(r"[:：\s]", g.key):
            problems.append(f"group key {g.key!r}: expected a name without spaces or colons")
        for name in (g.key, g.en, g.zh, *g.aliases):
            norm = norm_name(name)
            if names.setdefault(norm, g.key) != g.key:
                problems.append(f"group name {name!r} of {g.key!r} also names {names[norm]!r}")
    return problems


class _Codebook(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title_en: str = ""
    title_zh: str = ""
    version: int = 1
    dimensions: list[_Dimension]

    @model_validator(mode="after")
    def _check(self) -> _Codebook:
        keys = [d.key for d in self.dimensions]
        dups = sorted({k for k in keys if keys.count(k) > 1})
        if dups:
            raise ValueError(f"dimension key(s) {dups} repeat")
        return self


_NESTED = {
    (_Codebook, "dimensions"): _Dimension,
    (_Dimension, "groups"): _Group,
    (_Dimension, "categories"): _Category,
    (_Dimension, "derive"): _Derive,
    (_Derive, "rules"): _Rule,
}


def keys_at(loc: tuple) -> list[str]:
    """The keys the schema allows in the mapping a pydantic error's ``loc`` ends in (an
    unknown key's: ``('dimensions', 0, 'categories', 2, 'definiton_zh')``), for naming
    the nearest."""
    model: type[BaseModel] = _Codebook
    for step in loc[:-1]:
        if isinstance(step, str):
            model = _NESTED.get((model, step))  # type: ignore[assignment]
            if model is None:
                return []
    return list(model.model_fields)
