"""Keyword rules and rule sets: what a :class:`~ihms.policy.autocode.rules.KeywordCoder`
applies, read from a mapping (a YAML or JSON file), from keywords per category or from a
codebook. The syntax is described in :mod:`ihms.policy.autocode.rules`, which re-exports
everything here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ihms.errors import ConfigError, InputError

__all__ = [
    "KeywordRule",
    "RuleSet",
    "rules_for_dimension",
    "rules_from_codebook",
    "rules_from_keywords",
    "rules_from_mapping",
]


def _norm(term: str) -> str:
    return unicodedata.normalize("NFKC", term).casefold()


def _terms(value: Any, *, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise ConfigError(f"{where}: expected a list of terms, got {value!r}")
    out = []
    for term in value:
        if isinstance(term, (int, float)) and not isinstance(term, bool):
            term = str(term)  # YAML reads 2019 as a number; as a term it is text
        if not isinstance(term, str) or not term.strip():
            raise ConfigError(f"{where}: expected non-empty text terms, got {term!r}")
        out.append(term.strip())
    return tuple(out)


@dataclass(frozen=True)
class KeywordRule:
    """One rule of one category.

    Parameters
    ----------
    category
        The category the rule codes.
    any
        OR terms: at least one must occur (ignored when empty).
    all
        AND terms: every one must occur.
    none
        NOT terms: the rule does not fire if any occurs.
    name
        How machine codes cite the rule (default ``category#n``).
    """

    category: str
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        where = f"rule {self.name or '?'} of category {self.category!r}"
        if not isinstance(self.category, str) or not self.category.strip():
            raise ConfigError(f"{where}: expected a category name, got {self.category!r}")
        for attr in ("any", "all", "none"):
            object.__setattr__(self, attr, _terms(getattr(self, attr), where=f"{where}, '{attr}'"))
        if not self.any and not self.all:
            raise ConfigError(
                f"{where}: expected at least one 'any' or 'all' term (a rule of only 'none' "
                "terms would code nearly every segment)"
            )

    def describe(self) -> str:
        """The rule as a readable expression, e.g. ``(补助 OR 奖励) AND NOT 扣减``."""
        parts = []
        if self.all:
            parts.append(" AND ".join(self.all))
        if self.any:
            parts.append("(" + " OR ".join(self.any) + ")" if len(self.any) > 1 else self.any[0])
        text = " AND ".join(parts)
        if self.none:
            text += " AND NOT (" + " OR ".join(self.none) + ")"
        return text


@dataclass(frozen=True)
class RuleSet:
    """All rules of one dimension, with category-level exclusions.

    ``categories`` keeps the order the rules were written in; a single-label
    :class:`KeywordCoder` gives priority to the earlier category when several fire.
    """

    rules: tuple[KeywordRule, ...]
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.rules:
            raise ConfigError("keyword rules: expected at least one rule, got none")
        names = [r.name for r in self.rules]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ConfigError(f"keyword rules: rule names must be unique, got duplicates {dup}")
        unknown = sorted(set(self.exclude) - set(self.categories))
        if unknown:
            raise ConfigError(f"keyword rules: exclusions for categories without rules: {unknown}")

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(r.category for r in self.rules))

    def to_frame(self) -> pd.DataFrame:
        """One row per rule: category, rule name, expression, exclusions."""
        return pd.DataFrame(
            {
                "category": [r.category for r in self.rules],
                "rule": [r.name for r in self.rules],
                "expression": [r.describe() for r in self.rules],
                "category exclusions": [
                    " OR ".join(self.exclude.get(r.category, ())) for r in self.rules
                ],
            }
        )


def rules_from_mapping(spec: Mapping[str, Any], *, source: str = "keyword rules") -> RuleSet:
    """Build a :class:`RuleSet` from the plain mapping shown in the module docstring.

    Parameters
    ----------
    spec : mapping
        ``category → rules`` (or ``{"rules": ..., "exclude": ...}``); a RuleSet is
        returned as it is. Numbers among the terms (YAML's ``2019``) are read as text.
    source : str, default "keyword rules"
        Where the rules came from (a file name): every message starts with it.

    Raises
    ------
    ConfigError
        Naming the category and rule that is malformed.
    """
    if isinstance(spec, RuleSet):
        return spec
    if not isinstance(spec, Mapping) or not spec:
        raise ConfigError(f"{source}: expected a mapping {{category: rules}}, got {spec!r}")
    rules: list[KeywordRule] = []
    exclude: dict[str, tuple[str, ...]] = {}
    for category, value in spec.items():
        where = f"{source}, category {category!r}"
        if isinstance(value, Mapping) and "rules" in value:
            extra = set(value) - {"rules", "exclude"}
            if extra:
                raise ConfigError(
                    f"{where}: unknown keys {sorted(extra)}; expected 'rules', 'exclude'"
                )
            items, excl = value["rules"], value.get("exclude")
        elif isinstance(value, Mapping):
            excl = value.get("exclude")
            items = [{k: v for k, v in value.items() if k != "exclude"}]
        elif isinstance(value, Sequence) and not isinstance(value, str):
            items, excl = list(value), None
        else:
            raise ConfigError(
                f"{where}: expected a rule, a list of rules or {{rules, exclude}}, got {value!r}"
            )
        if excl:
            exclude[str(category)] = _terms(excl, where=f"{where}, 'exclude'")
        for i, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                raise ConfigError(
                    f"{where}, rule {i}: expected a mapping of any/all/none, got {item!r}"
                )
            extra = set(item) - {"any", "all", "none", "name"}
            if extra:
                raise ConfigError(
                    f"{where}, rule {i}: unknown keys {sorted(extra)}; expected any, all, none, name"
                )
            try:
                rules.append(
                    KeywordRule(
                        category=str(category),
                        any=item.get("any", ()),
                        all=item.get("all", ()),
                        none=item.get("none", ()),
                        name=str(item.get("name") or f"{category}#{i}"),
                    )
                )
            except ConfigError as exc:
                raise ConfigError(f"{source}: {exc}") from None
    try:
        return RuleSet(rules=tuple(rules), exclude=exclude)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {str(exc).removeprefix('keyword rules: ')}") from None


def rules_for_dimension(spec: Any, dimension: Any, *, source: str = "keyword rules") -> RuleSet:
    """Rules meant to code ``dimension`` (a :class:`ihms.policy.codebook.Dimension`):
    :func:`rules_from_mapping`, then every category the rules name found among the
    dimension's categories by any name a coding sheet accepts (key, English or Chinese
    name, alias; case, spaces and underscores ignored) and written as its key.

    Parameters
    ----------
    spec : mapping or RuleSet
        The rules, as :func:`rules_from_mapping` takes them.
    dimension : ihms.policy.codebook.Dimension
        The dimension the rules code.
    source : str, default "keyword rules"
        Where the rules came from (a file name), for error messages.

    Raises
    ------
    ConfigError
        A malformed rule, or categories the dimension lacks (named, with the
        dimension's categories); ``source`` (e.g. the rules file) starts the message.
    """
    rule_set = rules_from_mapping(spec, source=source)
    allowed = list(dimension.category_keys)
    keys: dict[str, str] = {}
    for name in rule_set.categories:
        with suppress(InputError):
            keys[name] = dimension.category(name).key
    unknown = [c for c in rule_set.categories if c not in keys]
    if unknown:
        raise ConfigError(
            f"{source}: categories {unknown} are not categories of dimension "
            f"{dimension.key!r}; its categories are: {', '.join(allowed)} (or their "
            "Chinese/English names)"
        )
    if all(k == c for c, k in keys.items()):
        return rule_set
    exclude: dict[str, tuple[str, ...]] = {}
    for name, terms in rule_set.exclude.items():
        exclude[keys[name]] = exclude.get(keys[name], ()) + tuple(terms)
    return RuleSet(
        rules=tuple(replace(r, category=keys[r.category]) for r in rule_set.rules),
        exclude=exclude,
    )


def rules_from_keywords(keywords: Mapping[str, Sequence[str]]) -> RuleSet:
    """One OR rule per category from a codebook's keyword lists.

    Parameters
    ----------
    keywords : mapping of str to sequence of str
        ``category → terms``; a category with no terms gets no rule.

    Examples
    --------
    >>> rs = rules_from_keywords({"人才建设": ["人才", "全科医生"]})
    >>> rs.rules[0].describe()
    '(人才 OR 全科医生)'
    """
    return rules_from_mapping(
        {cat: {"any": list(words)} for cat, words in keywords.items() if words}
    )


def rules_from_codebook(codebook: Any, dimension: str) -> RuleSet:
    """One OR rule per category of a codebook dimension, from its Chinese and English
    keywords (:class:`ihms.policy.codebook.Category`); categories without keywords get
    no rule.

    Parameters
    ----------
    codebook : ihms.policy.codebook.Codebook
        The codebook.
    dimension : str
        The key of one of its dimensions.

    Raises
    ------
    InputError
        When the dimension is unknown or none of its categories has keywords.
    """
    dim = codebook.dimension(dimension)
    keywords = {c.key: [*c.keywords_zh, *c.keywords_en] for c in dim.categories}
    if not any(keywords.values()):
        raise InputError(
            f"codebook {codebook.name!r} dimension {dim.key!r}: no category has keywords to "
            "build rules from"
        )
    return rules_from_keywords(keywords)
