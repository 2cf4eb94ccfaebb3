"""Load a delivery system from YAML, with errors that say where and what to fix.

The file format (``ihms_system: 1``) is documented in ``examples/youxi.yaml``. Every
problem found is reported at once, each with the file, the line and the key path; a
misspelt key gets the nearest valid key as a suggestion, and a misspelt required key is
that one problem, not also "missing"::

    youxi.yaml line 41, institutions[2]: unknown key 'tierr'; did you mean 'tier'? (required)

Other parts of ihms add their own top-level sections (the simulator's behavioural
parameters, say) without this module knowing them: call :func:`register_section`, or
declare an entry point in the ``ihms.system_sections`` group whose object is the parser.
A parser receives the section's raw YAML value and returns the parsed object, which
lands in :attr:`System.extensions` under the section name. A parser with a ``locator``
parameter also gets a :class:`~ihms.system._messages.Locator` rooted at the section
(paths relative to it), so it can name the line of each key; it raises
:class:`SectionError` to have each of its problems listed on its own line of the report.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import inspect
import re
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ihms._column_hints import missing_column_hints
from ihms._decode import read_text
from ihms.errors import ConfigError
from ihms.system._build import build, may_name
from ihms.system._enums import ConsortiumType, Integration, normalise, type_degree
from ihms.system._messages import (
    Locator,
    duplicate_keys,
    locate,
    pydantic_problems,
    suggest,
    yaml_error,
)
from ihms.system._yaml import CORE_KEYS, FORMAT_VERSION, SystemIn
from ihms.system.model import System
from ihms.system.rules import structural_problems

__all__ = ["SectionError", "SectionParser", "load_system", "parse_system", "register_section"]

SectionParser = Callable[..., Any]


class SectionError(ConfigError):
    """A registered section's problems, each already naming its file and line (from the
    locator the parser was given): the loader lists them one by one among the file's
    others, in line order. The text is the parser's own summary (for callers outside
    the loader)."""

    def __init__(self, message: str, problems: Sequence[str]) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems)


ENTRY_POINT_GROUP = "ihms.system_sections"
_REGISTERED: dict[str, SectionParser] = {}


def register_section(name: str, parser: SectionParser, *, replace: bool = False) -> None:
    """Let ``name`` appear as a top-level section of system YAML files.

    Parameters
    ----------
    name
        The section key, e.g. ``"simulation"``.
    parser
        Called with the section's raw value; returns the parsed object (stored in
        ``System.extensions[name]``). A parser with a ``locator`` parameter is also
        given, as ``locator=``, a :class:`~ihms.system._messages.Locator` rooted at the
        section's node (``locator.at(("a", "b"))`` is the file and line of ``name.a.b``).
        It may raise :class:`pydantic.ValidationError` or
        :class:`~ihms.errors.ConfigError`; the loader reports either with file and line
        (a ``ValidationError`` at each key's line; a :class:`SectionError`'s problems
        as they are, one by one; another ``ConfigError`` at the section's line).
    replace
        Allow replacing a parser registered earlier under the same name.
    """
    if name in CORE_KEYS:
        raise ValueError(f"section {name!r} is part of the core format and cannot be registered")
    if name in _REGISTERED and not replace and _REGISTERED[name] is not parser:
        raise ValueError(f"section {name!r} is already registered")
    _REGISTERED[name] = parser


def _sections() -> dict[str, SectionParser]:
    found: dict[str, SectionParser] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _REGISTERED:
            found[ep.name] = ep.load()
    found.update(_REGISTERED)
    return found


def load_system(path: str | Path) -> System:
    """Read and check a delivery-system YAML file.

    Parameters
    ----------
    path
        The file: UTF-8 (with or without a byte-order mark), GBK/GB18030 or UTF-16.

    Raises
    ------
    ConfigError
        Listing every problem: unknown or misspelt keys (with the nearest valid key),
        wrong values, and violations of the consortium rules (a grid served by two fully
        integrated consortia, provincial hospitals inside one, a lead that is not a
        member, members that do not exist, ...).

    Examples
    --------
    >>> system = load_system("examples/youxi.yaml")  # doctest: +SKIP
    >>> system.population(2019)  # doctest: +SKIP
    363000
    """
    path = Path(path)
    try:
        text = read_text(path, error=ConfigError)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return parse_system(text, source=path.name)


def parse_system(text: str, *, source: str = "<string>") -> System:
    """Parse system YAML given as a string (see :func:`load_system`).

    Parameters
    ----------
    text
        The YAML text.
    source
        Name of the file it came from, for messages.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error(exc, source)) from None
    if raw is None:
        raise ConfigError(
            f"{source}: the file is empty; a system file starts with 'ihms_system: 1', "
            "'name:' and 'counties:' (see examples/youxi.yaml)"
        )
    if not isinstance(raw, dict):
        kind = {list: "a list", str: "a single text"}.get(type(raw), type(raw).__name__)
        raise ConfigError(
            f"{source}: expected a mapping of sections at the top ('name:', 'counties:', "
            f"...), got {kind}"
        )
    locator = Locator(source, node)
    problems = duplicate_keys(node, source)
    extensions, reported = _extensions(raw, locator, problems)

    core = {k: v for k, v in raw.items() if k in CORE_KEYS}
    version = core.get("ihms_system", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.append(
            f"{locator.where(('ihms_system',))}: this ihms reads format {FORMAT_VERSION}, "
            f"the file says {version!r}"
        )
    index_of = {s: range(len(v)) for s, v in core.items() if isinstance(v, list)}
    refused_ids: set[str] = set()
    refused_prefixes: list[str] = []
    try:
        parsed: SystemIn | None = SystemIn.model_validate(core)
    except ValidationError as exc:
        problems += pydantic_problems(
            exc, locator, prefix=(), model=SystemIn, reported=[(k,) for k in reported]
        )
        # Leave out the entries with errors and check the rest, so a file's structural
        # problems come in the same report as its typos.
        parsed, index_of = _without_refused(core, exc, refused_ids, refused_prefixes)
    if parsed is None:
        raise _error(source, problems)

    def refused(ident: str) -> bool:
        return ident in refused_ids or any(ident.startswith(p) for p in refused_prefixes)

    built = build(
        parsed,
        extensions=extensions,
        source=source,
        locator=locator,
        index_of=index_of,
    )
    problems += built.problems + _degree_problems(raw, locator)
    refused_prefixes += built.failed_prefixes
    for where, pattern in built.unmatched:
        if not any(may_name(pattern, p) for p in refused_prefixes) and not any(
            fnmatch.fnmatch(i, pattern) for i in refused_ids
        ):
            problems.append(f"{where}: member pattern {pattern!r} matches no institution")
    # a lead its consortium's members name but the loader refused (a typo in its
    # entry) is not also "not one of its members": that typo is the one problem
    named_lead = {
        c.id: c.lead
        for c in parsed.consortia
        if refused(c.lead) and any(fnmatch.fnmatch(c.lead, m) for m in c.members)
    }
    by_group: dict[str, list[str]] = {}
    for p in structural_problems(built.system):
        if refused(p.ident) or any(refused(r) for r in p.refs):
            continue
        if p.kind == "consortium" and p.key == "lead" and p.ident in named_lead:
            continue
        text, member = locate(p, locator, raw, group_of=built.group_of, index_of=index_of)
        if member is None:
            problems.append(text)
        else:
            by_group.setdefault(text, []).append(member)
    for text, members in by_group.items():
        which = (
            members[0]
            if len(members) == 1
            else f"{len(members)} members, {members[0]} to {members[-1]}"
        )
        problems.append(f"{text} ({which})")
    if problems:
        raise _error(source, problems)
    read_as = _read_as(raw, locator)
    return dataclasses.replace(built.system, read_as=read_as) if read_as else built.system


_NAMED = {"type": ConsortiumType, "integration": Integration}


def _degree_problems(raw: dict, locator: Locator) -> list[str]:
    """A consortium whose ``type`` names a degree (紧密型县域医共体) other than its
    ``integration``: the type's degree was dropped without a word, so a "tight" county
    medical community counted as not fully integrated (review 30 #5)."""
    out = []
    entries = raw.get("consortia")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        kind, degree = (entry.get(k) if isinstance(entry, dict) else None for k in _NAMED)
        if not (isinstance(kind, str) and isinstance(degree, str)):
            continue
        said = type_degree(kind)
        try:
            given = Integration(degree).value
        except ValueError:
            continue  # reported as a misspelt value
        if said is not None and said != given:
            out.append(
                f"{locator.where(('consortia', i, 'type'))}: type {kind!r} says {said} "
                f"integration, but integration is {degree!r}"
                + (f" ({given})" if normalise(degree) != given else "")
                + "; give one degree "
                "(the type without it, or the integration it names)"
            )
    return out


def _read_as(raw: dict, locator: Locator) -> tuple[str, ...]:
    """A note per consortium type or integration degree the file gives in other words
    (a Chinese name, ``tight``, ``紧密型医联体``): what it was read as, and where."""
    seen: dict[tuple[str, str], list[int | None]] = {}
    entries = raw.get("consortia")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        for key, kind in _NAMED.items():
            value = entry.get(key) if isinstance(entry, dict) else None
            if isinstance(value, str) and normalise(value) != kind(value).value:
                seen.setdefault((key, value), []).append(locator.key_line(("consortia", i, key)))
    notes = []
    for (key, value), lines in seen.items():
        known = [str(n) for n in lines if n is not None]
        where = f" line{'s' if len(known) > 1 else ''} {', '.join(known)}" if known else ""
        notes.append(
            f"{locator.source}{where}: {key} {value!r} read as {_NAMED[key](value).value!r}"
        )
    return tuple(notes)


def _error(source: str, problems: list[str]) -> ConfigError:
    """The problems in the order of the file's lines (those about the whole file
    first), as an editor walks them; problems on one line keep their order."""
    at_line = re.compile(re.escape(source) + r" line (\d+)")

    def place(problem: str) -> int:
        m = at_line.match(problem)
        return int(m.group(1)) if m else 0

    lines = "\n".join(f"  - {p}" for p in sorted(problems, key=place))
    return ConfigError(f"{source}: {len(problems)} problem(s):\n{lines}")


def _extensions(
    raw: dict, locator: Locator, problems: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """Parse the sections other parts registered; unknown sections are problems. Also
    the required keys an unknown section misspells (``nmae`` for ``name``): reported
    with it, they are not also "missing"."""
    sections = _sections()
    extensions: dict[str, Any] = {}
    missing = [k for k, f in SystemIn.model_fields.items() if f.is_required() and k not in raw]
    unknown = [str(k) for k in raw if k not in CORE_KEYS and k not in sections]
    meant = {typo: key for key, (typo, _) in missing_column_hints(missing, unknown).items()}
    for key, value in raw.items():
        if key in CORE_KEYS:
            continue
        if key in sections:
            parser = sections[key]
            try:
                if _takes_locator(parser):
                    within = Locator(locator.source, locator.node((key,)))
                    extensions[key] = parser(value, locator=within)
                else:
                    extensions[key] = parser(value)
            except ValidationError as exc:
                problems += pydantic_problems(exc, locator, prefix=(key,), model=None)
            except SectionError as exc:
                problems += exc.problems
            except ConfigError as exc:
                problems.append(f"{locator.where((key,))}: {exc}")
            continue
        if str(key) in meant:
            hint = f"; did you mean '{meant[str(key)]}'? (required)"
        else:
            hint = suggest(str(key), [*CORE_KEYS, *sections])
        problems.append(f"{locator.where((key,))}: unknown section '{key}'{hint}")
    return extensions, list(meant.values())


def _takes_locator(parser: SectionParser) -> bool:
    """Whether ``parser`` has a ``locator`` parameter (or ``**kwargs``); a parser of the
    value alone (a builtin such as ``dict`` has no signature) is called with it alone."""
    try:
        params = inspect.signature(parser).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "locator" or p.kind is p.VAR_KEYWORD for p in params)


def _without_refused(
    core: dict[str, Any],
    exc: ValidationError,
    refused_ids: set[str],
    refused_prefixes: list[str],
) -> tuple[SystemIn | None, dict[str, list[int]]]:
    """``core`` validated without the list entries ``exc`` points into, and for each
    list section the file's indices of the entries kept. ``None`` when an error lies
    outside every entry (a missing ``name``, ``counties`` not a list)."""
    refused: dict[str, set[int]] = {}
    for err in exc.errors():
        loc = err["loc"]
        section = loc[0] if loc else None
        if len(loc) < 2 or not isinstance(core.get(section), list) or not isinstance(loc[1], int):
            return None, {}
        refused.setdefault(str(section), set()).add(loc[1])
        entry = core[section][loc[1]]
        if isinstance(entry, dict):
            if isinstance(entry.get("id"), (str, int)):
                refused_ids.add(str(entry["id"]))
            if isinstance(entry.get("id_prefix"), str):
                refused_prefixes.append(entry["id_prefix"])
    index_of = {
        s: [n for n in range(len(v)) if n not in refused.get(s, ())]
        for s, v in core.items()
        if isinstance(v, list)
    }
    kept = {s: ([v[n] for n in index_of[s]] if s in index_of else v) for s, v in core.items()}
    try:
        return SystemIn.model_validate(kept), index_of
    except ValidationError:
        return None, {}
