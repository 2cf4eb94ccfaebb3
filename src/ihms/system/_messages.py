"""Error messages of the system loader: where in the file, and what to write instead.

:class:`Locator` finds the line of a key path in the composed YAML tree;
:func:`pydantic_problems` turns a validation error into one message per problem (the
nearest valid key or value for a misspelling; a misspelt required key is one problem at
its own line, not also "missing" — :func:`misspelt_required`, which the simulation config
and payment rule loaders use too); :func:`locate` puts the file and line in
front of a structural :class:`~ihms.system.rules.RuleViolation`; :func:`yaml_error` and
:func:`duplicate_keys` report what YAML itself gets wrong or silently drops.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ihms._column_hints import missing_column_hints
from ihms.system._enums import ALIASES, normalise
from ihms.system.rules import RuleViolation

__all__ = [
    "Locator",
    "duplicate_keys",
    "enum_message",
    "locate",
    "misspelt_required",
    "pydantic_problems",
    "suggest",
    "yaml_error",
]

SECTION_OF = {
    "county": "counties",
    "grid": "grids",
    "institution": "institutions",
    "consortium": "consortia",
    "cooperation": "cooperation",
}


def yaml_error(exc: yaml.YAMLError, source: str) -> str:
    """``file line L, column C: not valid YAML: what (while what, from line K)``."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or problem is None:
        return f"{source}: not valid YAML: {exc}"
    out = f"{source} line {mark.line + 1}, column {mark.column + 1}: not valid YAML: {problem}"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        out += f" ({context} that starts at line {context_mark.line + 1})"
    if "'\\t'" in problem:
        out += "; YAML indents with spaces, not tabs"
    return out


def duplicate_keys(root: yaml.Node | None, source: str) -> list[str]:
    """Keys given twice in one mapping: YAML keeps the last silently, so the first
    (an institution's tier, a whole section) would be lost without a word."""
    out: list[str] = []

    def walk(node: yaml.Node | None, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in node.value:
                key = str(k.value)
                line = k.start_mark.line + 1
                if key in first:
                    label = _path_label(path, root)
                    where = f"{source} line {line}" + (f", {label}" if label else "")
                    out.append(
                        f"{where}: key '{key}' is given twice (first at line {first[key]}); "
                        "YAML would keep only the last, so merge them"
                    )
                else:
                    first[key] = line
                walk(v, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                walk(item, (*path, n))

    walk(root, ())
    return out


def locate(
    problem: RuleViolation,
    locator: Locator,
    raw: Mapping[str, Any],
    *,
    group_of: Mapping[str, int],
    index_of: Mapping[str, Sequence[int]],
) -> tuple[str, str | None]:
    """``(message, member)``: the problem with the file and line of the key it is about
    (else of its entry) in front. A problem of an institution an ``institution_groups``
    entry made is put on that entry, and ``member`` is the institution's id (the caller
    reports the group's alike problems once). ``index_of[section][k]`` is the file's
    index of the ``k``-th entry the loader kept."""
    source = locator.source
    if not problem.kind:
        return f"{locator.where((problem.key,))}: {problem.message}", None
    if problem.kind == "cooperation":
        n = index_of["cooperation"][problem.nth]
        line = locator.key_line(_key_path(raw, ("cooperation", n), problem.key))
        label = f"cooperation[{n}] (provider {problem.ident!r})"
        return f"{source} line {line}, {label}: {problem.message}", None
    section = SECTION_OF[problem.kind]
    entries = raw.get(section)
    found = []
    if isinstance(entries, list):
        found = [
            n
            for n, e in enumerate(entries)
            if isinstance(e, dict) and str(e.get("id")) == problem.ident
        ]
    if len(found) > problem.nth:
        line = locator.key_line(_key_path(raw, (section, found[problem.nth]), problem.key))
        text = f"{source} line {line}, {problem}"
        if problem.nth:
            text += f" (first at line {locator.key_line((section, found[0], 'id'))})"
        return text, None
    group = group_of.get(problem.ident)
    if problem.kind == "institution" and group is not None:
        path = _key_path(raw, ("institution_groups", group), problem.key)
        label = _path_label(("institution_groups", group), locator.root)
        return f"{source} line {locator.key_line(path)}, {label}: {problem.message}", (
            problem.ident
        )
    return str(problem), None


def _key_path(raw: Mapping[str, Any], entry: tuple[Any, ...], key: str) -> tuple[Any, ...]:
    """Path of ``key`` in an entry (``resources`` may be ``resources_each``), else of the
    entry's id."""
    node: Any = raw
    for part in entry:
        node = node[part]
    for k in (key, key + "s", key.rstrip("s"), key + "_each"):
        if isinstance(node, dict) and k in node:
            return (*entry, k)
    return (*entry, "id" if isinstance(node, dict) and "id" in node else "id_prefix")


def suggest(key: str, valid: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    if not close:
        return ""
    return f"; did you mean '{close[0]}'?" + (
        f" ({_MEANS[close[0]]})" if close[0] in _MEANS else ""
    )


# Keys whose form the near key's does not tell: 'resources' is by year, a group's
# 'resources_each' is not (review D, LOW 5).
_MEANS = {"resources_each": "one set of figures that every member has in every year it operates"}


def misspelt_required(
    errors: Iterable[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], dict[tuple[Any, ...], str]]:
    """``(errors, meant)``: pydantic's ``errors`` without each missing required key that
    an unknown key of the same mapping misspells, and ``{location of that unknown key:
    the required key it stands for}`` — so one typo (``teir`` for ``tier``) is one
    problem at the typo's line, "did you mean 'tier'? (required)", not also "missing"
    at its entry's. Names are paired as a table's columns are
    (:func:`ihms._column_hints.missing_column_hints`: closest first, each used once).

    >>> errs = [
    ...     {"type": "missing", "loc": ("institutions", 0, "tier")},
    ...     {"type": "extra_forbidden", "loc": ("institutions", 0, "teir")},
    ... ]
    >>> kept, meant = misspelt_required(errs)
    >>> [e["type"] for e in kept], meant
    (['extra_forbidden'], {('institutions', 0, 'teir'): 'tier'})
    """
    errors = list(errors)
    missing: dict[tuple[Any, ...], list[str]] = {}
    unknown: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if loc and err["type"] in ("missing", "extra_forbidden"):
            into = missing if err["type"] == "missing" else unknown
            into.setdefault(loc[:-1], []).append(str(loc[-1]))
    meant: dict[tuple[Any, ...], str] = {}
    paired: set[tuple[Any, ...]] = set()
    for parent, names in missing.items():
        for name, (typo, _hint) in missing_column_hints(names, unknown.get(parent, [])).items():
            meant[(*parent, typo)] = name
            paired.add((*parent, name))
    kept = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in paired)]
    return kept, meant


@dataclass
class Locator:
    """Finds the line of a key path in the composed YAML node tree."""

    source: str
    root: yaml.Node | None

    def node(self, path: tuple[Any, ...]) -> yaml.Node | None:
        node = self.root
        best = node
        for part in path:
            if isinstance(node, yaml.MappingNode):
                nxt = None
                for k, v in node.value:
                    if str(k.value) == str(part):
                        nxt = v
                        break
                node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if 0 <= part < len(node.value) else None
            else:
                node = None
            if node is None:
                break
            best = node
        return best

    def key_line(self, path: tuple[Any, ...]) -> int | None:
        """Line of the key itself (for unknown keys), else of the nearest parent."""
        if not path:
            return None
        parent = self.node(path[:-1])
        if isinstance(parent, yaml.MappingNode):
            for k, _v in parent.value:
                if str(k.value) == str(path[-1]):
                    return k.start_mark.line + 1
        entry = path[-1]
        # a list entry has no key: its own first line, not its section's
        if (
            isinstance(parent, yaml.SequenceNode)
            and isinstance(entry, int)
            and 0 <= entry < len(parent.value)
        ):
            return parent.value[entry].start_mark.line + 1
        if len(path) > 1 and self.node(path[:-1]) is not self.node(path[:-2]):
            return self.key_line(path[:-1])  # a missing key: the line of the one holding it
        return parent.start_mark.line + 1 if parent is not None else None

    def at(self, path: tuple[Any, ...]) -> str:
        """``file line N`` for the key at ``path`` (the nearest enclosing key's line when
        it is missing); the file alone when no line is known."""
        line = self.key_line(path)
        return self.source if line is None else f"{self.source} line {line}"

    def where(self, path: tuple[Any, ...], *, line_of: tuple[Any, ...] | None = None) -> str:
        """``file line N, label``: the label of ``path``; the line of ``line_of``
        (default ``path``)."""
        line = self.key_line(path if line_of is None else line_of)
        label = _path_label(path, self.root)
        out = self.source
        if line is not None:
            out += f" line {line}"
        return f"{out}, {label}" if label else out


def _path_label(path: tuple[Any, ...], root: yaml.Node | None) -> str:
    label = ""
    node = root
    for part in path:
        if isinstance(part, int):
            label += f"[{part}]"
            item = None
            if isinstance(node, yaml.SequenceNode) and 0 <= part < len(node.value):
                item = node.value[part]
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if k.value in ("id", "id_prefix") and isinstance(v, yaml.ScalarNode):
                        label += f" ({k.value} '{v.value}')"
            node = item
        else:
            label += f".{part}" if label else str(part)
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if str(k.value) == str(part):
                        nxt = v
            node = nxt
    return label


def _field_type(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> Any:
    """The annotation reached by following ``loc`` from ``model`` (``None`` if lost)."""
    if model is None:
        return None
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        else:
            origin = typing.get_origin(tp)
            args = typing.get_args(tp)
            if origin is list and args:
                tp = args[0]
            elif origin is dict and len(args) == 2:
                tp = args[1]
            else:
                return None
    return _unwrap(tp)


def _allowed_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model reached by following ``loc`` through annotations."""
    tp = _field_type(model, loc)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


# Values analysts write that name something the format says another way.
_HINTS = {
    "private_hospital": "a private hospital has a tier (secondary, tertiary) like any other "
    "and 'affiliation: private'",
    "民营医院": "a private hospital has a tier (secondary, tertiary) like any other "
    "and 'affiliation: private'",
}


def enum_message(got: str, enum: Any, expected: str) -> str:
    """``expected one of ... (or a Chinese name such as ...), got 'x'; did you mean``."""
    if not (isinstance(enum, type) and issubclass(enum, Enum)):
        return f"expected one of {expected}, got {got!r}"
    values = [m.value for m in enum]
    aliases = ALIASES.get(enum.__name__, {})
    chinese = next((a for a in aliases if not a.isascii()), None)
    out = "expected one of " + ", ".join(f"'{v}'" for v in values)
    if chinese:
        out += f" (or a Chinese name such as '{chinese}')"
    out += f", got {got!r}"
    hint = _HINTS.get(normalise(got))
    if hint:
        return f"{out}; {hint}"
    close = difflib.get_close_matches(normalise(got), [*values, *aliases], n=1, cutoff=0.6)
    if close:
        name = close[0]
        out += f"; did you mean '{name}'" + (f" ({aliases[name]})" if name in aliases else "") + "?"
    return out


def _value_message(err: Any, got: Any) -> str:
    """What a wrong value should have been, in the words of the format."""
    kind, ctx = err["type"], err.get("ctx", {})
    if kind in ("greater_than_equal", "greater_than"):
        sign = "≥" if kind == "greater_than_equal" else ">"
        bound = ctx.get("ge", ctx.get("gt"))
        return f"expected a number {sign} {bound}, got {got!r}"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"expected a whole number, got {got!r}"
    if kind in ("list_type", "dict_type") and got is None:  # `grids:` with nothing after
        return f"expected {'a list' if kind == 'list_type' else 'a mapping'}, got nothing (empty)"
    if kind == "list_type":
        return f"expected a list such as [a, b], got {got!r}"
    if kind == "dict_type":  # population, aged_60_plus, count_by_year, resources
        return f"expected a mapping year: value such as {{2020: 1000, 2021: 1100}}, got {got!r}"
    if kind == "value_error":  # a validator of the format's own: its words alone
        return str(ctx.get("error", err["msg"]))
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length', 1)} item(s), got {got!r}"
    if kind in (
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",  # a year alone (start: 2020) reads as a timestamp
        "date_parsing",
        "date_type",
    ):
        return f"expected a date such as 2016-01-01, got {got!r}"
    return f"{err['msg']} (got {got!r})"


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def pydantic_problems(
    exc: ValidationError,
    locator: Locator,
    *,
    prefix: tuple[Any, ...],
    model: type[BaseModel] | None,
    reported: Iterable[tuple[Any, ...]] = (),
) -> list[str]:
    """One message per error of ``exc``: file, line, key path, what was expected and
    what the file says, with the nearest valid key or value for a misspelling.
    ``model`` is the model validated (for the valid keys and values); ``prefix`` the
    path of what it validated in the file; ``reported`` the paths of required keys the
    caller has reported as misspelt (not also "missing")."""
    out = []
    errors, meant = misspelt_required(exc.errors())
    skip = set(reported)
    errors = [e for e in errors if not (e["type"] == "missing" and prefix + e["loc"] in skip)]
    for err in errors:
        loc = tuple(err["loc"])
        path = prefix + loc
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            if loc in meant:
                hint = f"; did you mean '{meant[loc]}'? (required)"
            else:
                hint = suggest(key, _allowed_keys(model, loc[:-1]))
            out.append(f"{locator.where(path[:-1], line_of=path)}: unknown key '{key}'{hint}")
        elif err["type"] == "missing":
            out.append(f"{locator.where(path[:-1])}: missing required key '{loc[-1]}'")
        elif err["type"] == "enum" and isinstance(err.get("input"), str):
            enum = _field_type(model, loc)
            expected = err.get("ctx", {}).get("expected", "")
            out.append(f"{locator.where(path)}: {enum_message(err['input'], enum, expected)}")
        else:
            out.append(f"{locator.where(path)}: {_value_message(err, err.get('input'))}")
    return out
