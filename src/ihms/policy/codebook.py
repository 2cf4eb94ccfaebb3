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

import functools
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ihms.errors import ConfigError, InputError, did_you_mean
from ihms.policy._answer_groups import ANSWER_SEP
from ihms.policy._codebook_models import _Codebook, keys_at
from ihms.policy._codebook_objects import Category, Codebook, Dimension, Group
from ihms.policy._codebook_zh import fill_definitions_zh, framework_text
from ihms.sources import cited

if TYPE_CHECKING:  # pragma: no cover
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


def parse_codebook(text: str, *, name: str = "<codebook>", stored: bool = False) -> Codebook:
    """Validate YAML text and build a :class:`Codebook`. A key given twice in a mapping
    is refused, unless ``stored`` (a project's codebook, accepted when it was made).

    Parameters
    ----------
    text
        The codebook's YAML.
    name
        What messages call it (the file's name).
    stored
        The text is a project's stored codebook: keys given twice are accepted and a
        built-in codebook's missing Chinese definitions filled in.

    Raises
    ------
    ConfigError
        Invalid YAML or schema violations, each with its location in the file.
    """
    if stored:
        return _stored_codebook(text, name)
    return _parsed(text, name, stored=False)


@functools.lru_cache(maxsize=8)
def _stored_codebook(text: str, name: str) -> Codebook:
    """A project's stored codebook, read once per text: every ``Project.codebook()``
    asks again (a frozen :class:`Codebook`, so one object serves them all)."""
    return _parsed(text, name, stored=True)


def _parsed(text: str, name: str, *, stored: bool) -> Codebook:
    """:func:`parse_codebook`'s work, uncached."""
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
    """Load a built-in codebook (``"6d"``, ``"symbiosis"``) or a YAML file.

    Parameters
    ----------
    source
        A built-in name (any case) or the path of a YAML file (UTF-8, GBK ... as
        :func:`ihms._decode.read_text` tells).

    Raises
    ------
    ConfigError
        No such file and no such built-in, a coding project given instead of a
        codebook, or an invalid codebook (:func:`parse_codebook`).
    InputError
        A binary file that is no text.
    """
    key = str(source).lower()
    if key in BUILTIN_CODEBOOKS:
        return _builtin_codebook(key)
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


@functools.cache
def _builtin_codebook(key: str) -> Codebook:
    """A built-in codebook, read once per process (a frozen :class:`Codebook`)."""
    return parse_codebook(framework_text(BUILTIN_CODEBOOKS[key]), name=key)


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

    Parameters
    ----------
    codebook
        The codebook; its ``source: metadata`` dimensions are derived.
    document
        The document: its own field (``level``) first, then the ``derive`` rules on
        its other fields (issuer, title), first match wins.

    Returns
    -------
    dict of str to tuple
        ``{dimension: (value, how)}``; ``value`` is a category key (or a year), ``None``
        when nothing applies; ``how`` says which field or rule gave it, and what the
        rules give instead when the document's own value overrides them (``level '县级'
        (the issuer rules give municipal)``).
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
