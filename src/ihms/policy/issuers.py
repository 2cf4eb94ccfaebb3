"""The collaboration network of issuing bodies (发文机关).

A document's issuer is stored as written: ``国家卫生健康委、国家医保局、财政部``, bodies
joined by 、 or by spaces (``中共中央 国务院``), sometimes ending in 等 (``…、财政部等``,
``国家卫生健康委等10部门``). :func:`split_issuers` reads the bodies; an alias list puts a
renamed or shortened body under one name (国家中医药局 = 国家中医药管理局, 国家卫生计生委 =
国家卫生健康委; :func:`read_aliases`). :func:`issuer_network` links the bodies that
issued a document together — a :class:`~ihms.policy.network.CooperationNetwork` of kind
``"issuers"``, undirected, the edge weight the documents issued jointly, a body's
frequency the documents it issued — with the same measures (degree, betweenness,
density). :func:`joint_issuance` counts the jointly issued documents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ihms.errors import InputError
from ihms.policy.extract import department_of
from ihms.policy.network import CooperationNetwork, cooperation_network

__all__ = ["issuer_network", "joint_issuance", "read_aliases", "split_issuers"]

# 、 or white space (full-width too) between bodies; 等 ending the list, with the count of
# bodies it stands for (等10部门, 等十个部门, 等部门)
_LISTED = re.compile(r"[、，,;；]+")
_ETC = re.compile(r"等(?:[0-9０-９一二三四五六七八九十]*个?(?:部门|部委|单位))?\s*$")


def split_issuers(issuer: str | None, aliases: Mapping[str, str] | None = None) -> list[str]:
    """The bodies named in one document's issuer, in order, each once, under the name
    ``aliases`` gives it (a body it does not list keeps its own)."""
    aliases = aliases or {}
    bodies: list[str] = []
    parts: list[str] = []
    for listed in _LISTED.split(_ETC.sub("", (issuer or "").strip())):
        for part in listed.split():  # a department after a space stays with its body
            if parts and department_of(parts[-1], part):
                parts[-1] += part
            else:
                parts.append(part)
    for part in parts:
        body = aliases.get(part, part)
        if body and body not in bodies:
            bodies.append(body)
    return bodies


def read_aliases(path: str | Path) -> dict[str, str]:
    """``{alias: name}`` from a UTF-8 text file of lines ``alias = name`` (``#`` starts a
    comment; blank lines are skipped). A chain (A = B, B = C) resolves to its last name.

    Raises
    ------
    InputError
        A missing file or one not in UTF-8, a line that is not ``alias = name`` (the
        file and line named), or aliases that lead round in a circle.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (the aliases, lines 'alias = name')") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name}: expected UTF-8 text, byte {exc.start} is not (save it as UTF-8)"
        ) from None
    aliases: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        alias, sep, name = (t.strip() for t in entry.partition("="))
        if not (sep and alias and name):
            raise InputError(f"{path.name} line {n}: expected 'alias = name', got {line.strip()!r}")
        aliases[alias] = name
    resolved = {}
    for alias, name in aliases.items():
        seen = {alias}
        while name in aliases:
            if name in seen:
                raise InputError(f"{path.name}: the aliases of {alias!r} go round in a circle")
            seen.add(name)
            name = aliases[name]
        resolved[alias] = name
    return resolved


def issuer_network(
    issuers: Mapping[str, str | None],
    *,
    aliases: Mapping[str, str] | None = None,
    min_weight: int = 1,
) -> CooperationNetwork:
    """The network of ``{document id: issuer as stored}``; a document naming no issuer
    is left out, and links of fewer than ``min_weight`` joint documents."""
    bodies = {doc: split_issuers(text, aliases) for doc, text in issuers.items()}
    named = {d: b for d, b in bodies.items() if b}
    return cooperation_network(named, min_weight=min_weight, kind="issuers")


def joint_issuance(
    issuers: Mapping[str, str | None], *, aliases: Mapping[str, str] | None = None
) -> tuple[int, int]:
    """``(documents issued by more than one body, documents naming an issuer)``."""
    bodies = [split_issuers(text, aliases) for text in issuers.values()]
    named = [b for b in bodies if b]
    return sum(len(b) > 1 for b in named), len(named)
