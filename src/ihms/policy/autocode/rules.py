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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy.autocode._segments import as_segments
from ihms.policy.autocode.rule_sets import (
    KeywordRule,
    RuleSet,
    _norm,
    rules_for_dimension,
    rules_from_codebook,
    rules_from_keywords,
    rules_from_mapping,
)
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


@dataclass(frozen=True, eq=False)
class RuleCoding(SummaryHtml):
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
