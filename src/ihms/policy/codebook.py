"""Codebooks as data: dimensions, categories, definitions, keywords, synonyms, rules.

A codebook is a YAML file (see ``frameworks/six_d.yaml`` and ``frameworks/symbiosis.yaml``,
the two built in). It is validated on load by a pydantic schema and becomes a frozen
:class:`Codebook` of :class:`Dimension` objects:

* ``kind: closed`` — fixed categories, single- or multi-label (``multi: true``),
  optionally grouped (``groups``: supply / demand / environment → 18 tools);
* ``kind: open`` — free-text answers normalised through ``synonyms`` (canonical →
  variants), with optional per-answer ``attributes`` (a unit's ``tier``; ``en``, the
  answer's English name, which :meth:`Dimension.value_label` shows for ``lang="en"``
  and :meth:`Dimension.normalize` reads back as the answer); optionally with ``groups``,
  a closed second level every answer belongs to (the VI-HQMR policy study's symbiotic environment:
  policy / technology / economy / society). Such an answer is typed ``政策环境：多点执业``
  (a group's key, name or alias, a colon, the answer) and stored as ``policy:多点执业``
  (:data:`ANSWER_SEP`); the same answer may sit in two groups;
* ``kind: year`` — a year taken from the document date.

``source: metadata`` dimensions are derived from each document by ``derive`` rules the
user can edit: first the document's own field (the sheet's 层级 column, mapped through
category names and aliases), then regular-expression rules on other fields (issuer,
title) in order, first match wins. A rule with ``named_in: issuer`` holds only when the
issuer also holds the text its pattern matched (the region's county-level city).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ihms._repr import brief_repr
from ihms.errors import ConfigError, InputError, did_you_mean
from ihms.policy._answer_groups import ANSWER_SEP, GroupedAnswers
from ihms.policy._codebook_models import _Codebook, keys_at, norm_name
from ihms.policy._codebook_zh import fill_definitions_zh, framework_text
from ihms.sources import cited

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ihms.policy.corpus import Document

__all__ = [
    "ANSWER_SEP",
    "BUILTIN_CODEBOOKS",
    "Category",
    "Codebook",
    "Dimension",
    "Group",
    "derive_metadata",
    "load_codebook",
    "parse_codebook",
    "rule_value",
]

BUILTIN_CODEBOOKS = {"6d": "six_d.yaml", "symbiosis": "symbiosis.yaml"}
_ENDS = re.compile(r"^[\s，。；;,.]+|[\s，。；;,.]+$")


class _Worded:
    """A codebook item's words in a language: its name (``en``/``zh``) and definition."""

    def label(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def definition_in(self, lang: str = "en") -> str:
        """The definition in ``lang``: for ``zh`` the codebook's ``definition_zh`` where
        it gives one, else ``definition`` as written (in whichever language)."""
        return (self.definition_zh or self.definition) if lang == "zh" else self.definition


@dataclass(frozen=True)
class Group(_Worded):
    """An answer group of a dimension: key, English and Chinese names, definitions."""

    key: str
    en: str
    zh: str
    definition: str = ""
    aliases: tuple[str, ...] = ()
    definition_zh: str = ""


@dataclass(frozen=True)
class Category(_Worded):
    """A category of a closed dimension: names, group, definitions, aliases, keywords."""

    key: str
    en: str
    zh: str
    group: str | None = None
    definition: str = ""
    aliases: tuple[str, ...] = ()
    keywords_zh: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    definition_zh: str = ""


@dataclass(frozen=True)
class Dimension(_Worded, GroupedAnswers):
    """One dimension of a codebook; see the module docstring for the kinds."""

    key: str
    en: str
    zh: str
    kind: str
    multi: bool = False
    source: str = "coded"
    definition: str = ""
    definition_zh: str = ""
    groups: tuple[Group, ...] = ()
    categories: tuple[Category, ...] = ()
    #: an open dimension's groups (kept apart from ``groups``, a closed dimension's
    #: first level above its categories)
    answer_groups: tuple[Group, ...] = ()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    attributes: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    derive_field: str | None = None
    #: (field, pattern, category, named_in or None)
    derive_rules: tuple[tuple[str, str, str, str | None], ...] = ()
    _lookup: dict = field(default_factory=dict, compare=False, repr=False)

    def __repr__(self) -> str:
        # the generated repr printed every category with its keywords
        return brief_repr(
            self,
            key=self.key,
            kind=self.kind,
            multi=self.multi or None,
            source=self.source,
            categories=len(self.categories) or None,
        )

    def __post_init__(self) -> None:
        names = {}
        for c in self.categories:
            for name in (c.key, c.en, c.zh, *c.aliases):
                names[norm_name(name)] = c
        variants = {}
        for canon, vs in self.synonyms:
            for v in (canon, *vs):
                variants[norm_name(v)] = canon
        for canon, attrs in self.attributes:
            en = dict(attrs).get("en")
            if isinstance(en, str) and en.strip():  # the English name reads back as input
                variants.setdefault(norm_name(en), canon)
        self._lookup["categories"] = names
        self._lookup["variants"] = variants
        self._lookup["groups"] = {
            norm_name(name): g
            for g in self.answer_groups
            for name in (g.key, g.en, g.zh, *g.aliases)
        }

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.categories)

    def category(self, name: str) -> Category:
        """The category called ``name`` (key, English or Chinese name or alias; case,
        spaces and underscores ignored).

        Raises
        ------
        InputError
            If no category has that name; the message lists the allowed keys.
        """
        found = self._lookup["categories"].get(norm_name(name))
        if found is None:
            names = [n for c in self.categories for n in (c.key, c.en, c.zh) if n]
            raise InputError(
                f"dimension {self.key!r}: unknown category {name!r}"
                f"{did_you_mean(name, names)}; allowed: "
                f"{', '.join(self.category_keys)} (or their Chinese/English names)"
            )
        return found

    def group_of(self, value: str) -> Group | None:
        """The group of a closed dimension's category, or of a grouped open answer
        (``policy:多点执业`` → the policy group); ``None`` for an ungrouped value."""
        if self.kind == "open":
            return self._lookup["groups"].get(norm_name(self.split_answer(value)[0] or ""))
        cat = self.category(value)
        return next((g for g in self.groups if g.key == cat.group), None)

    @staticmethod
    def _trimmed(answer: str) -> str:
        # spaces and end punctuation in any mix, so that normalising twice changes nothing
        return _ENDS.sub("", re.sub(r"\s+", " ", str(answer)))

    def _canonical(self, answer: str) -> str:
        text = self._trimmed(answer)
        return self._lookup["variants"].get(norm_name(text), text)

    def normalize(self, answer: str) -> str:
        """An open answer in canonical form: the canonical answer of a synonym or of an
        English name (the ``en`` attribute: ``Tertiary hospitals`` → 三级医院; case,
        spaces and underscores ignored), or the trimmed answer itself when neither
        lists it. A grouped answer typed with its group (``政策环境：多点执业``,
        ``Policy: Multi-site practice``) becomes ``policy:多点执业``; one without a known
        group stays as typed (:meth:`parse_answer` refuses it)."""
        if not self.answer_groups:
            return self._canonical(answer)
        group, rest = self._typed_group(self._trimmed(answer))  # '；政策：…' has its group too
        if group is None or not self._canonical(rest):
            return self._canonical(answer)
        return f"{group.key}{ANSWER_SEP}{self._canonical(rest)}"

    def attribute(self, canonical: str, name: str, default: object = None) -> object:
        for canon, attrs in self.attributes:
            if canon == canonical:
                return dict(attrs).get(name, default)
        return default

    def value_label(self, value: str, lang: str = "en") -> str:
        """How a coded value is shown: a closed category's name in ``lang`` (``value``
        is any of its names); an open answer's ``en`` attribute for ``lang="en"`` where
        the codebook gives one, else the answer as coded; a year as it is."""
        if self.kind == "closed":
            return self.category(value).label(lang)
        if self.kind != "open":
            return str(value)
        group_key, answer = self.split_answer(value)
        shown = str(self.attribute(answer, "en") or answer) if lang == "en" else answer
        if group_key is not None:
            sep = ": " if lang == "en" else "："
            return f"{self.answer_group(group_key).label(lang)}{sep}{shown}"
        if norm_name(answer) in self._lookup["groups"]:  # a group-level code
            return self._lookup["groups"][norm_name(answer)].label(lang)
        return shown

    def sort_key(self, value: str) -> tuple:
        """Where ``value`` sits in the framework's order, for sorting a table's rows:
        a closed category by its place in the codebook, an open answer by its
        canonical answer's place in the synonym dictionary (answers the dictionary does
        not list follow, alphabetically), a year by number."""
        text = str(value)
        if self.kind == "closed":
            found = self._lookup["categories"].get(norm_name(text))
            return (0, self.categories.index(found), "") if found else (1, 0, text)
        if self.kind == "year":
            return (0, int(text), "") if text.isdigit() else (1, 0, text)
        rank = self._lookup.get("rank")
        if rank is None:  # built once: setdefault rebuilt it on every call of a sort
            rank = self._lookup["rank"] = {canon: i for i, (canon, _) in enumerate(self.synonyms)}
        if not self.answer_groups:
            canon = self.normalize(text)
            return (0, rank[canon], "") if canon in rank else (1, 0, text)
        # grouped answers by group, then as above; a group-level code heads its group
        group_key, answer = self.split_answer(self.normalize(text))
        group = self._lookup["groups"].get(norm_name(group_key or answer))
        if group is None:
            return (1, 0, 0, text)
        where = self.answer_groups.index(group)
        if group_key is None:
            return (0, where, -1, "")
        return (0, where, rank.get(answer, len(rank)), "" if answer in rank else answer)

    def variants(self) -> dict[str, str]:
        """Every spelling an open dimension knows, mapped to its canonical answer."""
        return {v: canon for canon, vs in self.synonyms for v in (canon, *vs)}


@dataclass(frozen=True)
class Codebook:
    """A validated codebook; ``text`` is the YAML it came from, ``sha256`` its hash."""

    name: str
    version: int
    dimensions: tuple[Dimension, ...]
    title_en: str = ""
    title_zh: str = ""
    text: str = ""
    sha256: str = ""

    def __repr__(self) -> str:
        # the generated repr printed every dimension, category and the file's text
        # (~28,000 characters for the 6D framework)
        return brief_repr(
            self,
            name=self.name,
            version=self.version,
            dimensions=tuple(d.key for d in self.dimensions),
        )

    def dimension(self, name: str) -> Dimension:
        """The dimension called ``name`` (key, English or Chinese name)."""
        for d in self.dimensions:
            if norm_name(name) in (norm_name(d.key), norm_name(d.en), norm_name(d.zh)):
                return d
        raise InputError(
            f"codebook {self.name!r} has no dimension {name!r}; dimensions: "
            f"{', '.join(d.key for d in self.dimensions)}"
        )

    @property
    def coded(self) -> tuple[Dimension, ...]:
        return tuple(d for d in self.dimensions if d.source == "coded")

    @property
    def derived(self) -> tuple[Dimension, ...]:
        return tuple(d for d in self.dimensions if d.source == "metadata")

    def to_frame(self) -> pd.DataFrame:
        """Every category with its dimension, group, names, definition and keywords."""
        import pandas as pd

        rows = []
        for d in self.dimensions:
            for c in d.categories:
                g = d.group_of(c.key) if d.groups else None
                rows.append(
                    {
                        "dimension": d.key,
                        "group": g.en if g else "",
                        "key": c.key,
                        "en": c.en,
                        "zh": c.zh,
                        "definition": c.definition,
                        "keywords_zh": "、".join(c.keywords_zh),
                        "keywords_en": "; ".join(c.keywords_en),
                    }
                )
        return pd.DataFrame(rows)


def parse_codebook(text: str, *, name: str = "<codebook>", stored: bool = False) -> Codebook:
    """Validate YAML text and build a :class:`Codebook`. A key given twice in a mapping
    is refused, unless ``stored`` (a project's codebook, accepted when it was made).

    Raises
    ------
    ConfigError
        Invalid YAML or schema violations, each with its location in the file.
    """
    from ihms.policy._yaml import load_yaml

    raw = load_yaml(text, f"codebook {name}", name=name, check_keys=not stored)
    if stored:  # a project made before the built-in codebooks had Chinese definitions
        fill_definitions_zh(raw, BUILTIN_CODEBOOKS)
    try:
        model = _Codebook.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = _location(raw, err["loc"])
            near = ""
            if err["type"] == "extra_forbidden":  # a misspelt key: name the nearest
                near = did_you_mean(err["loc"][-1], keys_at(err["loc"]))
            lines.append(f"{loc}: {err['msg']}{near}")
        raise ConfigError(f"codebook {name} is invalid:\n  " + "\n  ".join(lines)) from None
    dims = []
    for d in model.dimensions:
        dims.append(
            Dimension(
                key=d.key,
                en=d.en,
                zh=d.zh,
                kind=d.kind,
                multi=d.multi,
                source=d.source,
                definition=cited(d.definition),
                definition_zh=cited(d.definition_zh),
                groups=tuple(_group(g) for g in d.groups) if d.kind == "closed" else (),
                answer_groups=tuple(_group(g) for g in d.groups) if d.kind == "open" else (),
                categories=tuple(
                    Category(
                        c.key,
                        c.en,
                        c.zh,
                        c.group,
                        cited(c.definition),
                        tuple(c.aliases),
                        tuple(c.keywords_zh),
                        tuple(c.keywords_en),
                        cited(c.definition_zh),
                    )
                    for c in d.categories
                ),
                synonyms=tuple((k, tuple(v)) for k, v in d.synonyms.items()),
                attributes=tuple((k, tuple(v.items())) for k, v in d.attributes.items()),
                derive_field=d.derive.field if d.derive else None,
                derive_rules=tuple(
                    (r.field, r.pattern, r.category, r.named_in) for r in d.derive.rules
                )
                if d.derive
                else (),
            )
        )
    return Codebook(
        name=model.name,
        version=model.version,
        dimensions=tuple(dims),
        title_en=model.title_en,
        title_zh=model.title_zh,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _group(g) -> Group:
    return Group(g.key, g.en, g.zh, cited(g.definition), tuple(g.aliases), cited(g.definition_zh))


def _location(raw, loc) -> str:
    parts = []
    node = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
            key = node.get("key") if isinstance(node, dict) else None
            # the index always (rich reads "[tools]" as markup); the key when there is one
            parts.append(f"[{step}] (key {key!r})" if key else f"[{step}]")
        else:
            parts.append(f".{step}")
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts).lstrip(".") or "(top level)"


def load_codebook(source: str | Path) -> Codebook:
    """Load a built-in codebook (``"6d"``, ``"symbiosis"``) or a YAML file."""
    key = str(source).lower()
    if key in BUILTIN_CODEBOOKS:
        return parse_codebook(framework_text(BUILTIN_CODEBOOKS[key]), name=key)
    path = Path(source)
    if not path.is_file():
        raise ConfigError(
            f"codebook {str(source)!r}: no such file, and not a built-in codebook "
            f"({', '.join(BUILTIN_CODEBOOKS)})"
        )
    from ihms._decode import is_sqlite_file, read_text

    if is_sqlite_file(path):
        raise ConfigError(
            f"codebook {str(source)!r}: this is a coding project (SQLite), not a YAML "
            "codebook; read a project's codebook with Project(path).codebook()"
        )
    return parse_codebook(read_text(path, name=f"codebook {str(source)!r}"), name=path.name)


def rule_value(dim: Dimension, document) -> tuple[str | None, str]:
    """The category the first of ``dim``'s derive rules that matches ``document`` gives
    (``None`` if none does) and which field and pattern gave it. A rule ``named_in``
    another field holds only when that field holds a text the pattern matched: each
    match is tried, overlapping ones too (the region 贵州省遵义市仁怀市 holds 仁怀市
    after other matches)."""
    for fname, pattern, cat, named_in in dim.derive_rules:
        text = str(getattr(document, fname, None) or "")
        found = re.search(pattern, text) if text else None
        if not found:
            continue
        if named_in is None:
            return cat, f"{fname} matches {pattern!r}"
        holder = str(getattr(document, named_in, None) or "")
        compiled = re.compile(pattern)
        while found:
            if found.group(0) in holder:
                return cat, f"{fname} matches {pattern!r}, named in the {named_in}"
            found = compiled.search(text, found.start() + 1)
    return None, "no rule matched"


def derive_metadata(codebook: Codebook, document: Document) -> dict[str, tuple[object, str]]:
    """Values of the codebook's metadata dimensions for one document.

    Returns ``{dimension: (value, how)}``; ``value`` is a category key (or a year),
    ``None`` when nothing applies; ``how`` says which field or rule gave it, and what
    the rules give instead when the document's own value overrides them
    (``level '县级' (the issuer rules give municipal)``: a county-level city's issuer
    reads as a city's).
    """
    out: dict[str, tuple[object, str]] = {}
    for dim in codebook.derived:
        if dim.kind == "year":
            date = getattr(document, dim.derive_field or "date", None)
            out[dim.key] = (date.year, "date") if date else (None, "no date")
            continue
        value, how = None, "no rule matched"
        given = getattr(document, dim.derive_field, None) if dim.derive_field else None
        if given:
            try:
                value, how = dim.category(str(given)).key, f"{dim.derive_field} {given!r}"
            except InputError:
                how = f"{dim.derive_field} {given!r} is not a category; rules"
        guess, by = rule_value(dim, document)
        if value is None:
            value, how = guess, by if guess is not None else how
        elif guess is not None and guess != value:
            how += f" (the {by.split()[0]} rules give {guess})"
        out[dim.key] = (value, how)
    return out
