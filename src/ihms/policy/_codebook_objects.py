"""The codebook's frozen objects: :class:`Codebook` of :class:`Dimension` objects, with
their :class:`Category` and :class:`Group` entries (re-exported by
:mod:`ihms.policy.codebook`, which reads them from YAML)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ihms._repr import brief_repr
from ihms.errors import InputError, did_you_mean
from ihms.policy._answer_groups import ANSWER_SEP, GroupedAnswers
from ihms.policy._codebook_models import norm_name

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


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

        Parameters
        ----------
        name
            A category's key, name or alias, as a coder may write it.

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
        (``policy:多点执业`` → the policy group); ``None`` for an ungrouped value.

        Parameters
        ----------
        value
            A closed dimension's category (any of its names; an unknown one is an
            :class:`InputError`) or an open answer as stored.
        """
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
        group stays as typed (:meth:`parse_answer` refuses it).

        Parameters
        ----------
        answer
            An open answer as a coder typed it; leading and trailing spaces and
            punctuation (，。；) are trimmed.
        """
        if not self.answer_groups:
            return self._canonical(answer)
        group, rest = self._typed_group(self._trimmed(answer))  # '；政策：…' has its group too
        if group is None or not self._canonical(rest):
            return self._canonical(answer)
        return f"{group.key}{ANSWER_SEP}{self._canonical(rest)}"

    def attribute(self, canonical: str, name: str, default: object = None) -> object:
        """An open answer's attribute from the codebook's ``attributes``.

        Parameters
        ----------
        canonical
            The answer in canonical form (:meth:`normalize`).
        name
            The attribute (``tier``, ``en`` ...).
        default
            Returned when the answer or the attribute is not listed.
        """
        for canon, attrs in self.attributes:
            if canon == canonical:
                return dict(attrs).get(name, default)
        return default

    def value_label(self, value: str, lang: str = "en") -> str:
        """How a coded value is shown: a closed category's name in ``lang`` (``value``
        is any of its names); an open answer's ``en`` attribute for ``lang="en"`` where
        the codebook gives one, else the answer as coded; a year as it is.

        Parameters
        ----------
        value
            A coded value (category, open answer as stored, or year).
        lang
            ``"en"`` or ``"zh"``; a grouped answer is shown ``group: answer``
            (``组：答案`` in Chinese).
        """
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
        not list follow, alphabetically), a year by number.

        Parameters
        ----------
        value
            A coded value; one the codebook does not list sorts after those it does.

        Returns
        -------
        tuple
            A key comparable with this dimension's other keys only.
        """
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
        """The dimension called ``name`` (key, English or Chinese name).

        Parameters
        ----------
        name
            The dimension's key (``level``), English or Chinese name; case, spaces and
            underscores ignored.

        Raises
        ------
        InputError
            No dimension has that name; the message lists the keys.
        """
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
