"""Keyword-rule coders: a codebook's keywords as AND / OR / NOT rules, with provenance.

A rule belongs to one category and fires on a segment when

- **all** of its ``all`` terms occur (AND),
- at least one of its ``any`` terms occurs (OR; an empty list imposes nothing), and
- **none** of its ``none`` terms occurs (NOT).

A category fires when any of its rules fires, unless one of the category's ``exclude``
terms occurs (an exclusion vetoes the category whichever rule fired). Terms match as
substrings after Unicode NFKC normalisation and case folding, so full-width ``ＧＤＰ``
matches ``gdp`` and Chinese needs no word segmentation.

Rules are written as a plain mapping (a YAML or JSON file has the same shape)::

    {
      "资金支持": {"any": ["补助", "补贴", "奖励"], "none": ["扣减"]},
      "人才培养": [
          {"all": ["人才", "培养"]},
          {"any": ["全科医生", "规范化培训"], "name": "训练"},
      ],
      "监督管理": {"rules": [{"any": ["监督", "检查"]}], "exclude": ["考核奖励"]},
    }

Every machine code a :class:`KeywordCoder` proposes names the rule that fired and the
terms that matched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ihms._repr import brief_repr
from ihms.errors import ConfigError, InputError
from ihms.policy.autocode._segments import as_segments
from ihms.summary import SummaryTable

__all__ = [
    "KeywordCoder",
    "KeywordRule",
    "RuleCoding",
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


def rules_from_mapping(spec: Mapping[str, Any]) -> RuleSet:
    """Build a :class:`RuleSet` from the plain mapping shown in the module docstring.

    Parameters
    ----------
    spec : mapping
        ``category → rules`` (or ``{"rules": ..., "exclude": ...}``); a RuleSet is
        returned as it is.

    Raises
    ------
    ConfigError
        Naming the category and rule that is malformed.
    """
    if isinstance(spec, RuleSet):
        return spec
    if not isinstance(spec, Mapping) or not spec:
        raise ConfigError(f"keyword rules: expected a mapping {{category: rules}}, got {spec!r}")
    rules: list[KeywordRule] = []
    exclude: dict[str, tuple[str, ...]] = {}
    for category, value in spec.items():
        where = f"keyword rules, category {category!r}"
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
            rules.append(
                KeywordRule(
                    category=str(category),
                    any=item.get("any", ()),
                    all=item.get("all", ()),
                    none=item.get("none", ()),
                    name=str(item.get("name") or f"{category}#{i}"),
                )
            )
    return RuleSet(rules=tuple(rules), exclude=exclude)


def rules_for_dimension(spec: Any, dimension: Any, *, source: str = "keyword rules") -> RuleSet:
    """Rules meant to code ``dimension`` (a :class:`ihms.policy.codebook.Dimension`):
    :func:`rules_from_mapping`, then every category the rules name checked against the
    dimension's categories.

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
    rule_set = rules_from_mapping(spec)
    allowed = list(dimension.category_keys)
    unknown = [c for c in rule_set.categories if c not in allowed]
    if unknown:
        raise ConfigError(
            f"{source}: categories {unknown} are not categories of dimension "
            f"{dimension.key!r}; its categories are: {', '.join(allowed)}"
        )
    return rule_set


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


@dataclass(frozen=True, eq=False)
class RuleCoding:
    """What a :class:`KeywordCoder` proposed, one row per (segment, category).

    Attributes
    ----------
    codes
        Columns ``row`` (0-based position in the input), ``segment`` (its id),
        ``category``, ``rule`` (the first rule that fired, in writing order),
        ``rules`` (every rule that fired, ``;``-joined) and ``matched`` (the terms).
    n_segments
        Segments read.
    rule_set
        The rules applied.
    """

    codes: pd.DataFrame
    n_segments: int
    rule_set: RuleSet

    def __repr__(self) -> str:  # the generated one printed every code and rule
        return brief_repr(self, codes=len(self.codes), segments=self.n_segments)

    def summary(self) -> SummaryTable:
        """Segments coded per category and rule."""
        counts = self.codes.groupby(["category", "rule"], sort=False).size().rename("segments")
        frame = counts.reset_index().set_index("category")
        return SummaryTable(
            frame,
            title=f"Keyword rules: {len(self.codes):,} codes on {self.n_segments:,} segments",
            notes=(
                f"{self.codes['row'].nunique():,} segments matched at least one rule; "
                "'rule' is the first rule of the category that fired.",
            ),
        )


class KeywordCoder(ClassifierMixin, BaseEstimator):
    """Codes segments by keyword rules; a scikit-learn classifier with nothing to learn.

    Parameters
    ----------
    rules
        A :class:`RuleSet` or the mapping :func:`rules_from_mapping` reads.
    single_label
        ``predict`` returns one category per segment (the first category, in the rules'
        order, that fired; ``no_match`` when none did) instead of a 0/1 matrix.
    no_match
        The code of a segment no rule fires on, in single-label mode.

    Examples
    --------
    >>> coder = KeywordCoder({"资金": {"any": ["补助", "奖励"], "none": ["扣减"]}}).fit()
    >>> coder.code(["给予一次性补助。", "奖励或扣减。"]).codes[["row", "rule", "matched"]].values.tolist()
    [[0, '资金#1', '补助']]
    """

    def __init__(
        self,
        rules: Mapping[str, Any] | RuleSet | None = None,
        *,
        single_label: bool = False,
        no_match: str = "(no rule)",
    ) -> None:
        self.rules = rules
        self.single_label = single_label
        self.no_match = no_match

    def fit(self, X: Any = None, y: Any = None) -> KeywordCoder:
        """Validate and compile the rules (``X`` and ``y`` are ignored).

        Parameters
        ----------
        X, y : any, optional
            Ignored; taken so pipelines and cross-validation can call ``fit(X, y)``.

        Returns
        -------
        KeywordCoder
            ``self``, fitted.
        """
        if self.rules is None:
            raise InputError("parameter 'rules': expected keyword rules, got None")
        self.rule_set_ = rules_from_mapping(self.rules)
        self.classes_ = np.array(self.rule_set_.categories, dtype=object)
        terms = {t for r in self.rule_set_.rules for t in (*r.any, *r.all, *r.none)}
        terms |= {t for ex in self.rule_set_.exclude.values() for t in ex}
        self.terms_ = sorted(terms)
        return self

    def _presence(self, texts: np.ndarray) -> dict[str, np.ndarray]:
        normed = pd.Series(
            [unicodedata.normalize("NFKC", t).casefold() for t in texts], dtype="string"
        )
        return {
            t: normed.str.contains(_norm(t), regex=False).to_numpy(dtype=bool) for t in self.terms_
        }

    def _fire(self, texts: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Per rule: boolean mask of segments it fires on; per category: exclusion mask."""
        has = self._presence(texts)
        n = len(texts)
        fired = {}
        for r in self.rule_set_.rules:
            ok = np.ones(n, dtype=bool)
            for t in r.all:
                ok &= has[t]
            if r.any:
                ok &= np.logical_or.reduce([has[t] for t in r.any])
            for t in r.none:
                ok &= ~has[t]
            fired[r.name] = ok
        vetoed = {
            c: np.logical_or.reduce([has[t] for t in terms])
            for c, terms in self.rule_set_.exclude.items()
        }
        return fired, vetoed

    def code(self, X: Any) -> RuleCoding:
        """Codes with provenance: which rule fired and which terms matched.

        Parameters
        ----------
        X : DataFrame or sequence of str
            Segments: a DataFrame with a ``text`` column (optional ``doc``,
            ``position``, ``section``, ``id``) or plain texts.

        Returns
        -------
        RuleCoding
            One row per (segment, category) coded, with the rules and matched terms.
        """
        check_is_fitted(self, "rule_set_")
        batch = as_segments(X)
        fired, vetoed = self._fire(batch.texts)
        rows: list[tuple[int, Any, str, str, str, str]] = []
        for cat in self.rule_set_.categories:
            cat_rules = [r for r in self.rule_set_.rules if r.category == cat]
            hit = np.logical_or.reduce([fired[r.name] for r in cat_rules])
            if cat in vetoed:
                hit &= ~vetoed[cat]
            for i in np.flatnonzero(hit):
                which = [r for r in cat_rules if fired[r.name][i]]
                text = _norm(batch.texts[i])
                matched = [
                    t
                    for t in dict.fromkeys(t for r in which for t in (*r.all, *r.any))
                    if _norm(t) in text
                ]
                rows.append(
                    (
                        int(i),
                        batch.ids[i],
                        cat,
                        which[0].name,
                        ";".join(r.name for r in which),
                        ";".join(matched),
                    )
                )
        codes = pd.DataFrame(
            rows, columns=["row", "segment", "category", "rule", "rules", "matched"]
        )
        codes["row"] = codes["row"].astype(np.int64)
        codes = codes.sort_values(["row", "category"], kind="stable", ignore_index=True)
        return RuleCoding(codes=codes, n_segments=len(batch), rule_set=self.rule_set_)

    def predict(self, X: Any) -> np.ndarray:
        """0/1 matrix over ``classes_``; or, with ``single_label``, one category per
        segment (the earliest-written category that fired, else ``no_match``).

        Parameters
        ----------
        X : DataFrame or sequence of str
            Segments: a DataFrame with a ``text`` column (optional ``doc``,
            ``position``, ``section``, ``id``) or plain texts.
        """
        coding = self.code(X)
        n = coding.n_segments
        index = {c: j for j, c in enumerate(self.classes_)}
        indicator = np.zeros((n, len(self.classes_)), dtype=np.int8)
        rows = coding.codes["row"].to_numpy(dtype=np.int64)
        cols = coding.codes["category"].map(index).to_numpy(dtype=np.int64)
        indicator[rows, cols] = 1
        if not self.single_label:
            return indicator
        out = np.full(n, self.no_match, dtype=object)
        any_hit = indicator.any(axis=1)
        out[any_hit] = self.classes_[indicator[any_hit].argmax(axis=1)]
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags
