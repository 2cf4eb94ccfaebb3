"""Load a delivery system from YAML, with errors that say where and what to fix.

The file format (``ihms_system: 1``) is documented in ``examples/youxi.yaml``. Every
problem found is reported at once, each with the file, the line and the key path; a
misspelt key gets the nearest valid key as a suggestion::

    youxi.yaml line 41, institutions[2]: unknown key 'tierr'; did you mean 'tier'?

Other parts of ihms add their own top-level sections (the simulator's behavioural
parameters, say) without this module knowing them: call :func:`register_section`, or
declare an entry point in the ``ihms.system_sections`` group whose object is the parser.
A parser receives the section's raw YAML value and returns the parsed object, which
lands in :attr:`System.extensions` under the section name.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import UnionType
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ihms._decode import read_text
from ihms.errors import ConfigError
from ihms.system._yaml import (
    CORE_KEYS,
    FORMAT_VERSION,
    ConsortiumIn,
    InstitutionGroupIn,
    InstitutionIn,
    ResourcesIn,
    SystemIn,
)
from ihms.system.model import Consortium, County, Grid, Institution, Resources, System

__all__ = ["SectionParser", "load_system", "parse_system", "register_section"]

SectionParser = Callable[[Any], Any]

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
        ``System.extensions[name]``). It may raise :class:`pydantic.ValidationError` or
        :class:`~ihms.errors.ConfigError`; the loader reports either with file and line.
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
    """Parse system YAML given as a string (see :func:`load_system`)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{source}: expected a mapping of sections at the top, got {type(raw).__name__}"
        )
    locator = _Locator(source, node)
    sections = _sections()
    problems: list[str] = []

    core = {k: v for k, v in raw.items() if k in CORE_KEYS}
    extensions: dict[str, Any] = {}
    for key, value in raw.items():
        if key in CORE_KEYS:
            continue
        if key in sections:
            try:
                extensions[key] = sections[key](value)
            except ValidationError as exc:
                problems += _pydantic_problems(exc, locator, prefix=(key,), model=None)
            except ConfigError as exc:
                problems.append(f"{locator.where((key,))}: {exc}")
            continue
        hint = _suggest(str(key), [*CORE_KEYS, *sections])
        problems.append(f"{locator.where((key,))}: unknown section '{key}'{hint}")

    version = core.get("ihms_system", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.append(
            f"{locator.where(('ihms_system',))}: this ihms reads format {FORMAT_VERSION}, "
            f"the file says {version!r}"
        )
    system: System | None = None
    try:
        parsed = SystemIn.model_validate(core)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, locator, prefix=(), model=SystemIn)
        parsed = None
    if parsed is not None:
        system, more = _build(parsed, extensions, source, locator)
        problems += more
        if not more:
            problems += [_locate(p, locator, raw) for p in system.problems()]
    if problems or system is None:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"{source}: {len(problems)} problem(s):\n{lines}")
    return system


# -- building domain objects -------------------------------------------------------------
def _resources(year: int, r: ResourcesIn) -> Resources:
    return Resources(year=year, **r.model_dump())


def _institution(i: InstitutionIn) -> Institution:
    return Institution(
        id=i.id,
        name=i.name,
        name_zh=i.name_zh,
        tier=i.tier,
        affiliation=i.affiliation,
        ownership=i.ownership,
        county=i.county,
        grid=i.grid,
        parent=i.parent,
        active_from=i.active_from,
        active_to=i.active_to,
        resources={y: _resources(y, r) for y, r in i.resources.items()},
        refers_up=tuple(i.refers_up),
        refers_down=tuple(i.refers_down),
    )


def _expand_group(g: InstitutionGroupIn, where: str) -> tuple[list[Institution], list[str]]:
    years = sorted(g.count_by_year)
    n_max = max(g.count_by_year.values(), default=0)
    members: list[Institution] = []
    problems: list[str] = []
    if n_max >= 10**g.digits:
        problems.append(f"{where}: {n_max} members do not fit in {g.digits} digits")
        return members, problems
    for k in range(1, n_max + 1):
        active = [y for y in years if g.count_by_year[y] >= k]
        if active != list(range(active[0], active[-1] + 1)):
            problems.append(
                f"{where}: member {k} would operate in {active}, not a run of years; "
                "counts that fall and rise again need separate groups"
            )
            continue
        resources = {}
        if g.resources_each is not None:
            resources = {y: _resources(y, g.resources_each) for y in active}
        members.append(
            Institution(
                id=f"{g.id_prefix}{k:0{g.digits}d}",
                name=f"{g.name} {k}",
                tier=g.tier,
                affiliation=g.affiliation,
                ownership=g.ownership,
                county=g.county,
                grid=g.grid,
                parent=g.parent,
                active_from=active[0] if active[0] != years[0] else None,
                active_to=active[-1] if active[-1] != years[-1] else None,
                resources=resources,
            )
        )
    return members, problems


def _expand_members(
    c: ConsortiumIn, ids: list[str], where: str
) -> tuple[tuple[str, ...], list[str]]:
    out: list[str] = []
    problems: list[str] = []
    for pattern in c.members:
        if any(ch in pattern for ch in "*?["):
            matched = fnmatch.filter(ids, pattern)
            if not matched:
                problems.append(f"{where}: member pattern {pattern!r} matches no institution")
            out += [m for m in matched if m not in out]
        elif pattern not in out:
            out.append(pattern)
    return tuple(out), problems


def _build(
    parsed: SystemIn, extensions: dict[str, Any], source: str, locator: _Locator
) -> tuple[System, list[str]]:
    problems: list[str] = []
    institutions = [_institution(i) for i in parsed.institutions]
    for n, g in enumerate(parsed.institution_groups):
        members, more = _expand_group(g, locator.where(("institution_groups", n)))
        institutions += members
        problems += more
    ids = [i.id for i in institutions]
    consortia = []
    for n, c in enumerate(parsed.consortia):
        members, more = _expand_members(c, ids, locator.where(("consortia", n, "members")))
        problems += more
        consortia.append(
            Consortium(
                id=c.id,
                name=c.name,
                name_zh=c.name_zh,
                type=c.type,
                integration=c.integration,
                lead=c.lead,
                members=members,
                grids=tuple(c.grids),
                start_year=c.start_year,
                end_year=c.end_year,
                refers_up_to=tuple(c.refers_up_to),
            )
        )
    period = None
    if parsed.period is not None:
        period = (parsed.period.start, parsed.period.end)
        if period[0] > period[1]:
            problems.append(f"{locator.where(('period',))}: start is after end")
    system = System(
        name=parsed.name,
        counties=tuple(County(c.id, c.name, c.city, c.name_zh, c.kind) for c in parsed.counties),
        grids=tuple(
            Grid(g.id, g.name, g.county, g.population, g.aged_60_plus) for g in parsed.grids
        ),
        institutions=tuple(institutions),
        consortia=tuple(consortia),
        period=period,
        study_counties=tuple(parsed.study_counties),
        extensions=extensions,
        source=source,
    )
    return system, problems


# -- error messages ----------------------------------------------------------------------
_PROBLEM_RE = re.compile(r"^(institution|consortium) '([^']*)': (\w+)")
_SECTION_OF = {"institution": "institutions", "consortium": "consortia"}


def _locate(problem: str, locator: _Locator, raw: dict) -> str:
    """Put the file and line in front of a structural problem of a named institution or
    consortium: the line of the key the problem is about (``lead``, ``members``,
    ``parent``, ...), else of the object's entry. Institutions made by an
    ``institution_groups`` entry have no entry of their own and keep the message as is."""
    m = _PROBLEM_RE.match(problem)
    if m is None:
        return problem
    kind, ident, word = m.groups()
    section = _SECTION_OF[kind]
    entries = raw.get(section)
    if not isinstance(entries, list):
        return problem
    index = next(
        (i for i, e in enumerate(entries) if isinstance(e, dict) and str(e.get("id")) == ident),
        None,
    )
    if index is None:
        return problem
    entry = entries[index]
    key = next((k for k in (word, word + "s", word.rstrip("s")) if k in entry), "id")
    line = locator.key_line((section, index, key))
    return f"{locator.source} line {line}, {problem}" if line is not None else problem


def _suggest(key: str, valid: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@dataclass
class _Locator:
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
        return parent.start_mark.line + 1 if parent is not None else None

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


def _allowed_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model reached by following ``loc`` through annotations."""
    if model is None:
        return []
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return []
            tp = field.annotation
        else:
            origin = typing.get_origin(tp)
            args = typing.get_args(tp)
            if origin is list and args:
                tp = args[0]
            elif origin is dict and len(args) == 2:
                tp = args[1]
            else:
                return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


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


def _pydantic_problems(
    exc: ValidationError,
    locator: _Locator,
    *,
    prefix: tuple[Any, ...],
    model: type[BaseModel] | None,
) -> list[str]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = prefix + loc
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            hint = _suggest(key, _allowed_keys(model, loc[:-1]))
            out.append(f"{locator.where(path[:-1], line_of=path)}: unknown key '{key}'{hint}")
        elif err["type"] == "missing":
            out.append(f"{locator.where(path[:-1])}: missing required key '{loc[-1]}'")
        else:
            got = err.get("input")
            msg = err["msg"]
            if err["type"] == "enum" and isinstance(got, str):
                expected = err.get("ctx", {}).get("expected", "")
                options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
                msg += _suggest(got, [o for o in options if o])
            out.append(f"{locator.where(path)}: {msg} (got {got!r})")
    return out
