"""Chinese definitions for a project's stored built-in codebook written before the
codebooks carried ``definition_zh`` (before 2026-11-25): taken from the built-in codebook
of the same name where an item at the same place says the same in English."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from ihms.sources import cited


def framework_text(file_name: str) -> str:
    """The text of a built-in codebook's file (``BUILTIN_CODEBOOKS``' values)."""
    return (files("ihms.policy") / "frameworks" / file_name).read_text("utf-8")


def fill_definitions_zh(raw: Any, builtin: dict[str, str]) -> None:
    """Give each item of ``raw`` (a stored codebook's YAML, as loaded) that has no
    ``definition_zh`` the built-in codebook's, when the built-in codebook of the same
    ``name`` has an item at the same key path (dimension key; group or category key)
    with the same English ``definition`` (as read: study references cited, spaces and line breaks aside). Any other item keeps its English only, so a
    definition the project changed is never shown with a translation of another text.
    ``builtin`` maps built-in names to file names (``BUILTIN_CODEBOOKS``)."""
    if not isinstance(raw, dict) or raw.get("name") not in builtin:
        return
    if not _lacking(raw):
        return
    from ihms.policy._yaml import load_yaml

    name = raw["name"]
    known = dict(_items(load_yaml(framework_text(builtin[name]), f"codebook {name}", name=name)))
    for path, item in _items(raw):
        source = known.get(path)
        if (
            source is not None
            and not item.get("definition_zh")
            and source.get("definition_zh")
            and _words(item.get("definition")) == _words(source.get("definition"))
        ):
            item["definition_zh"] = source["definition_zh"]


def _items(raw: dict) -> list[tuple[tuple[str, ...], dict]]:
    """Every dimension, group and category of ``raw`` with its key path."""
    found = []
    for d in raw.get("dimensions") or []:
        if not isinstance(d, dict):
            continue
        found.append(((str(d.get("key")),), d))
        for part in ("groups", "categories"):
            for item in d.get(part) or []:
                if isinstance(item, dict):
                    found.append(((str(d.get("key")), part, str(item.get("key"))), item))
    return found


def _words(text: Any) -> list[str]:
    """A definition's words: a YAML line break or trailing space is no other text."""
    return cited(str(text or "")).split()


def _lacking(raw: dict) -> bool:
    return any(not item.get("definition_zh") for _, item in _items(raw))
