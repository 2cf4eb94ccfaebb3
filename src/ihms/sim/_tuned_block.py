"""The ``calibration:`` block ``ihms sim calibrate --tune`` writes into a config file
(:func:`write_tuned`, re-exported by :mod:`ihms.sim.tune`): placed at the end of the
simulation section, replacing an earlier block, the rest of the file kept as it reads."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ihms._atomic import write_text_whole
from ihms.errors import ConfigError

if TYPE_CHECKING:
    from ihms.sim.tune import TuningResults

__all__ = ["write_tuned"]

_NOTE = (
    "# Written by `ihms sim calibrate --tune`: values under calibration.tuned replace",
    "# the ones above; `run` records the tuning run that produced them. They apply only",
    "# to the county they were tuned for (run.county): a copy of this file for another",
    "# county uses the values written above (`ihms sim run` says which values are used).",
)
# The note before 2026-11-24 (its first two lines), still removed with its block.
_NOTES = (
    _NOTE,
    (
        "# Written by `ihms sim calibrate --tune`: values under calibration.tuned replace",
        "# the ones above; `run` records the tuning run that produced them.",
    ),
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    return bool(line.strip())


def _section_span(lines: list[str], nested: bool) -> tuple[int, int, str] | None:
    """Lines ``[start, end)`` of the simulation section's content and its indent: under a
    top-level ``simulation:`` key, up to the next top-level line that is not blank; or
    the whole file when the section's content is the file's top level. ``None`` when the
    section is not written as a block under its own ``simulation:`` line."""
    if not nested:
        return 0, len(lines), ""
    key = next((i for i, ln in enumerate(lines) if ln.split("#")[0].rstrip() == "simulation:"), -1)
    if key < 0:
        return None
    end = next(
        (i for i in range(key + 1, len(lines)) if _is_content(lines[i]) and _indent(lines[i]) == 0),
        len(lines),
    )
    inner = [line for line in lines[key + 1 : end] if _is_content(line)]
    indent = " " * min(
        (_indent(line) for line in inner if not line.lstrip().startswith("#")), default=2
    )
    return key + 1, end, indent


def _without_block(lines: list[str], start: int, end: int, indent: str) -> tuple[list[str], int]:
    """The lines with the section's ``calibration:`` block (and the note above it) removed,
    and the section's new end."""
    header = next(
        (
            i
            for i in range(start, end)
            if lines[i].split("#")[0].rstrip() == f"{indent}calibration:"
        ),
        None,
    )
    if header is None:
        return lines, end
    stop = next(
        (
            i
            for i in range(header + 1, end)
            if _is_content(lines[i]) and _indent(lines[i]) <= len(indent)
        ),
        end,
    )
    first = header
    for written in _NOTES:
        note = [f"{indent}{line}" for line in written]
        if [line.rstrip() for line in lines[max(start, header - len(note)) : header]] == note:
            first = header - len(note)
            break
    return lines[:first] + lines[stop:], end - (stop - first)


def write_tuned(path: str | Path, results: TuningResults) -> None:
    """Write ``results`` as the ``calibration:`` block at the end of the simulation
    section of ``path`` (replacing an earlier block), keeping the rest of the file —
    whether the section sits under a ``simulation:`` key anywhere in the file or is the
    file's top level. The new text is read back and compared before it replaces the
    file (written beside it and renamed, so an interrupted write leaves the file as it
    was).

    Raises
    ------
    ConfigError
        When the file is not YAML or the block cannot be placed so that the rest of the
        file reads the same; the file is then left untouched.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        before = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc}); tuned values not written") from None
    nested = isinstance(before, dict) and isinstance(before.get("simulation"), dict)
    lines = text.splitlines()
    span = _section_span(lines, nested)
    if span is None:
        raise ConfigError(
            f"{path}: key 'simulation' is not a block under its own 'simulation:' line; "
            "tuned values not written"
        )
    start, end, indent = span
    lines, end = _without_block(lines, start, end, indent)
    while end > start and (
        not _is_content(lines[end - 1]) or (nested and _indent(lines[end - 1]) == 0)
    ):
        end -= 1  # blank lines, and comments of the next top-level key, stay after it
    block = {"calibration": {"tuned": results.tuned, "run": results.run}}
    body = yaml.safe_dump(block, sort_keys=False, allow_unicode=True, width=88).splitlines()
    added = ["", *(f"{indent}{line}" for line in (*_NOTE, *body))]
    new = "\n".join([*lines[:end], *added, *lines[end:]]).rstrip("\n") + "\n"
    after = yaml.safe_load(new)
    if _strip_block(after, nested) != _strip_block(before, nested) or (
        (after["simulation"] if nested else after).get("calibration") != block["calibration"]
    ):
        raise ConfigError(
            f"{path}: could not place the calibration block so that the rest of the file "
            "reads the same; tuned values not written"
        )
    write_text_whole(path, new)


def _strip_block(data: Any, nested: bool) -> Any:
    data = copy.deepcopy(data)
    section = data["simulation"] if nested else data
    if isinstance(section, dict):
        section.pop("calibration", None)
    return data
