"""Read a simulation config from YAML; report every problem at once.

:func:`load_sim_config` reads a YAML file (either a file whose top level is the
``simulation:`` section's content, or a county file holding a ``simulation:`` key),
validates it with :class:`~ihms.sim.config.SimulationConfig` and raises one
:class:`~ihms.errors.ConfigError` listing every problem with the key that holds it (and
the nearest valid key for a typo), before any work starts.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ihms._decode import read_text
from ihms._yaml_once import yaml_data, yaml_node
from ihms.errors import ConfigError
from ihms.sim.config import SimulationConfig
from ihms.system import SectionError, register_section
from ihms.system._messages import Locator, duplicate_keys, misspelt_required, yaml_error

__all__ = ["config_from_mapping", "example_file", "load_sim_config"]


def _suggest(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at ``loc`` (used to suggest the nearest key for a typo)."""
    model: Any = SimulationConfig
    for part in loc[:-1]:
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return []
        annotation = fields[part].annotation
        model = annotation if isinstance(annotation, type) else None
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


_KEY_FIRST = re.compile(r"([a-z_]+(?:\.[a-z_]+)*) (.+)", re.DOTALL)


def _named_key(msg: str) -> tuple[str, str] | None:
    """The dotted key a model-level check's message opens with (``reform.date 2023-01
    is outside …``) and the rest, when its first part is a field of the section."""
    found = _KEY_FIRST.fullmatch(msg)
    if found is None or found[1].split(".")[0] not in SimulationConfig.model_fields:
        return None
    return found[1], found[2]


def _format_errors(
    exc: ValidationError, source: str, tuned: Mapping[str, Any], locator: Locator | None
) -> list[str]:
    problems = []
    errors, meant = misspelt_required(exc.errors())
    for err in errors:
        loc = tuple(err["loc"])
        if tuned and loc[:2] == ("calibration", "tuned") and len(loc) > 2:
            continue  # the entry itself: tuned_applied has listed it
        key = ".".join(str(p) for p in ("simulation", *loc))
        path = ".".join(str(p) for p in loc)
        line_of = tuple(p for p in loc if p != "[key]")
        if path in tuned:  # the value came from the calibration block, not from `key`
            key = f"simulation.calibration.tuned' entry '{path}"
            line_of = ("calibration", "tuned", path)
        where = source if locator is None else locator.at(line_of)
        if err["type"] == "extra_forbidden":
            if loc in meant:
                hint = f"; did you mean '{meant[loc]}'? (required)"
            else:
                hint = _suggest(str(loc[-1]), _allowed_keys(loc))
            problems.append(f"{where}: unknown key '{key}'{hint}")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        named = _named_key(msg) if not loc else None
        if named is not None:  # a check across keys, whose message opens with its key
            first, rest = named
            where = source if locator is None else locator.at(tuple(first.split(".")))
            problems.append(f"{where}: key 'simulation.{first}': {rest}")
            continue
        if loc and loc[-1] == "[key]":  # a mapping's key outside its allowed names
            key = key.removesuffix(".[key]")
            problems.append(f"{where}: unknown key '{key}': {msg.replace('Input', 'a key')}")
            continue
        if err["type"] == "missing":
            problems.append(f"{where}: key '{key}' is required")
        elif isinstance(err.get("input"), float) and err["input"] != err["input"]:  # NaN
            # pydantic compares NaN with a bound and blames the bound (sim review 8)
            problems.append(f"{where}: key '{key}': expected a number, got .nan (not a number)")
        elif "input" in err and not isinstance(err["input"], (dict, list)):
            problems.append(f"{where}: key '{key}': {msg}, got {err['input']!r}")
        else:
            problems.append(f"{where}: key '{key}': {msg}")
    return problems


def config_from_mapping(
    data: Mapping[str, Any], *, where: str = "config", locator: Locator | None = None
) -> SimulationConfig:
    """Validate a mapping (the ``simulation:`` section's content); ``locator`` (the
    section's composed YAML) puts the line of each problem's key after ``where``."""
    return _validated(data, where=where, locator=locator, found=[])


def _validated(
    data: Mapping[str, Any], *, where: str, locator: Locator | None, found: list[str]
) -> SimulationConfig:
    """:func:`config_from_mapping`, with the problems the file's reader ``found`` (its
    ``county:`` key) listed first in the same error."""
    data = dict(data)
    calibration = data.get("calibration")
    tuned: dict[str, Any] = {}
    problems = list(found)
    if isinstance(calibration, Mapping) and isinstance(calibration.get("tuned"), Mapping):
        from ihms.sim.tune import tuned_applied

        tuned = {str(k): v for k, v in calibration["tuned"].items()}
        replaced = calibration.get("replaced") or _written(data, tuned)
        # a bad entry is listed and left out, so the rest is still validated and every
        # problem of the section comes in one error
        applied, bad_tuned = tuned_applied(data, tuned, where=where, locator=locator)
        problems += bad_tuned
        if calibration.get("applied", True) is not False:  # else tuned for another county
            data = applied
            data["calibration"] = {**calibration, "replaced": replaced}
    try:
        config = SimulationConfig.model_validate(data)
    except ValidationError as exc:
        problems += _format_errors(exc, where, tuned, locator)
    if problems:  # a ConfigError whose problems the system loader lists one by one
        problems = _in_line_order(problems, where)
        raise SectionError(
            f"{where}: the simulation section has {len(problems)} problem(s):\n"
            + "\n".join(f"  - {p}" for p in problems),
            problems,
        ) from None
    return config


def _in_line_order(problems: list[str], where: str) -> list[str]:
    """``problems`` in the order of the file's lines, as an editor walks them (those
    without a line first; one line's keep their order): a misspelt section's follow-on
    problem came before its cause (sim review finding 8)."""
    at_line = re.compile(re.escape(where) + r" line (\d+)")

    def place(problem: str) -> int:
        found = at_line.match(problem)
        return int(found.group(1)) if found else 0

    return sorted(problems, key=place)


def _written(data: Mapping[str, Any], tuned: Mapping[str, Any]) -> dict[str, float]:
    """The numbers written at the tuned keys' places (what the tuned values replace)."""
    found = {}
    for path in tuned:
        node: Any = data
        for part in str(path).split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            found[str(path)] = node
    return found


def _tuned_elsewhere(section: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    """``section`` with its tuned values switched off (``calibration.applied: false``)
    when ``calibration.run.county`` names another county file (by its name) than
    ``county:`` does: values tuned to one county's figures are not another's (user
    review 22s, H2). A block that records no county applies, as before."""
    calibration = section.get("calibration")
    if not isinstance(calibration, Mapping) or "applied" in calibration:
        return section
    run = calibration.get("run")
    tuned_for = run.get("county") if isinstance(run, Mapping) else None
    county = section.get("county")
    if not isinstance(tuned_for, str) or not isinstance(county, str):
        return section
    if Path(tuned_for).name == Path(county).name:
        return section
    return {**section, "calibration": {**calibration, "applied": False}}


def example_file(name: str) -> Path:
    """``examples/<name>`` of the ihms source tree: the current folder's, else the one
    beside the installed package (an editable install or a clone on ``PYTHONPATH``).

    Raises
    ------
    ConfigError
        When neither has it (a wheel ships no examples); the message says to pass the
        file explicitly.
    """
    tried = []
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base / "examples" / name
        if candidate.is_file():
            return candidate
        tried.append(str(candidate))
    raise ConfigError(
        f"examples/{name} not found (looked at {' and '.join(tried)}); pass the file "
        "explicitly (--config PATH)"
    )


def resolve_config_path(path: str | Path) -> Path:
    """The file holding the simulation section for ``path``: ``path`` itself, or — for a
    county file without a ``simulation:`` section — the sibling ``<name>_sim.yaml``
    (``examples/youxi.yaml`` → ``examples/youxi_sim.yaml``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        data = yaml_data(read_text(path, error=ConfigError))
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error(exc, str(path))) from None
    if isinstance(data, dict) and "ihms_system" in data and "simulation" not in data:
        sibling = path.with_name(f"{path.stem}_sim{path.suffix}")
        if not sibling.is_file():
            raise ConfigError(
                f"{path} is a county file without a 'simulation:' section, and {sibling.name} "
                "(the simulation parameters for it) is not beside it"
            )
        return sibling
    return path


def _county_problems(
    section: Mapping[str, Any], path: Path, locator: Locator, *, is_county: bool
) -> list[str]:
    """What is wrong with the section's ``county:`` key, with its line: given in a county
    file's own section, or naming no file (found now, not when the run reads it)."""
    if "county" not in section:
        return []  # a county file's section needs none; pydantic says when one is missing
    where = f"{locator.at(('county',))}: key 'simulation.county'"
    if is_county:
        return [
            f"{where}: a county file's simulation section describes that county; remove the key"
        ]
    county = section["county"]
    if not isinstance(county, str):
        return []  # not text: pydantic's message, with the same line
    if not county.strip():
        return [f"{where}: expected the path of the county file, got {county!r}"]
    named = Path(county)
    file = named if named.is_absolute() else path.parent / named
    if file.is_file():
        return []
    return [f"{where}: no county file {file} (a relative path is read from this file's folder)"]


def _outside_problems(section: Mapping[str, Any], path: Path, locator: Locator) -> list[str]:
    """``geography.outside`` ids the county file (read as plain YAML) lacks, each with
    its line in this file: the key is the simulation config's, not the county file's.
    Nothing when the county file cannot be read (the run says why)."""
    geography, county = section.get("geography"), section.get("county")
    outside = geography.get("outside") if isinstance(geography, Mapping) else None
    if not isinstance(outside, Mapping) or not isinstance(county, str) or not county.strip():
        return []
    file = Path(county) if Path(county).is_absolute() else path.parent / county
    try:
        raw = yaml_data(read_text(file, error=ConfigError))
    except (OSError, ConfigError, yaml.YAMLError):
        return []
    listed = raw.get("institutions") if isinstance(raw, Mapping) else None
    ids = {i.get("id") for i in listed or () if isinstance(i, Mapping)}
    return [
        f"{locator.at(('geography', 'outside', key))}: key 'simulation.geography.outside': "
        f"names {key!r}, which the county file {os.path.normpath(file)} lacks"
        for key in outside
        if ids and key not in ids
    ]


def outside_tuning_bounds(config: SimulationConfig) -> list[tuple[Any, float]]:
    """The tuned parameters (:data:`ihms.sim.tune.TUNED`) whose value in ``config`` lies
    outside the bounds the tuning searches, each with that value."""
    from ihms.sim.tune import TUNED, numeric_slot

    data = config.model_dump()
    found = []
    for p in TUNED:
        try:
            node, key = numeric_slot(data, p.path)
        except KeyError:  # a config without that regime or disease
            continue
        if not p.low <= node[key] <= p.high:
            found.append((p, float(node[key])))
    return found


#: The words of :func:`_warn_outside_tuning_bounds`'s note.
OUTSIDE_SEARCHED = "outside the bounds the calibration searched"

#: Set (:func:`bounds_noted_already`) while a county file is read again for a run whose
#: config was loaded and noted on already: its section's values are not noted twice.
_BOUNDS_NOTED = ContextVar("ihms_sim_bounds_noted", default=False)


@contextmanager
def bounds_noted_already() -> Iterator[None]:
    """Within the block, a ``simulation:`` section parsed notes no tuned value outside the
    tuning's bounds (``run.load_county``: the config was read and noted on already)."""
    token = _BOUNDS_NOTED.set(True)
    try:
        yield
    finally:
        _BOUNDS_NOTED.reset(token)


def _warn_outside_tuning_bounds(
    config: SimulationConfig, locator: Locator | None, *, where: str
) -> None:
    """Warn (:class:`~ihms.errors.IhmsWarning`, a note in the CLI) for each tuned parameter
    the section sets outside the tuning's bounds: the run uses the value, but the
    calibration searched only inside them, so its fit says nothing of that point (review
    A3). At the line of its key (``locator``, the section's; None: ``where`` alone):
    :func:`load_sim_config` and a county file's own section
    (:func:`parse_simulation_section`) alike."""
    import warnings

    from ihms._warnings import caller_stacklevel
    from ihms.errors import IhmsWarning
    from ihms.sources import ZHONG_2023

    calibration = config.calibration
    from_block = calibration.tuned if calibration and calibration.applied else {}
    for p, value in outside_tuning_bounds(config):
        at = ("calibration", "tuned", p.path) if p.path in from_block else tuple(p.path.split("."))
        place = where if locator is None else locator.at(at)
        warnings.warn(
            IhmsWarning(
                f"{place}: key 'simulation.{p.path}' is "
                f"{value:g}, {OUTSIDE_SEARCHED} ({p.low:g} to {p.high:g}): the run uses it, "
                f"but the fit to {ZHONG_2023}'s figures is not vouched for there (`ihms sim "
                "calibrate` checks it; `--tune` starts from the nearest bound)",
                zh=f"{place}：键 'simulation.{p.path}' "
                f"为 {value:g}，超出校准的搜索范围（{p.low:g}–{p.high:g}）：模拟按此值运行，"
                f"但与 {ZHONG_2023} 数据的拟合在此值处未经检验（`ihms sim calibrate` 可检验；"
                "`--tune` 从最近的边界开始调参）",
            ),
            stacklevel=caller_stacklevel(),
        )


def load_sim_config(path: str | Path) -> SimulationConfig:
    """Read and validate a simulation config.

    Parameters
    ----------
    path
        Either a file holding the simulation section (at the top level or under
        ``simulation:``) whose ``county:`` names the delivery-system file (relative to
        this file's folder), or a delivery-system file (``ihms_system: 1``) with a
        ``simulation:`` section, which is then its own county, or a delivery-system file
        beside its ``<name>_sim.yaml`` (see :func:`resolve_config_path`).

    Raises
    ------
    ConfigError
        When the file is missing, is not YAML, gives a key twice in one mapping, or any
        parameter is invalid; the message lists every problem with its key and line.

    Warns
    -----
    IhmsWarning
        For each tuned parameter (:data:`ihms.sim.tune.TUNED`) set outside the bounds
        the tuning searches, naming the file, line, key, value and bounds: the value is
        used, but the calibration does not vouch for it.
    """
    path = resolve_config_path(path)
    text = read_text(path, error=ConfigError)
    data = yaml_data(text)  # parsed once per text (resolve_config_path read it already)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    is_county = "ihms_system" in data
    section = data.get("simulation", None if is_county else data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: key 'simulation' must be a mapping")
    root = yaml_node(text)
    locator = Locator(str(path), root)
    if "simulation" in data:  # the problems' keys are the section's
        locator = Locator(str(path), locator.node(("simulation",)))
    # YAML keeps the last of a key given twice; refused with both lines, as the county
    # loader does (sim review finding 3)
    found = duplicate_keys(root, str(path))
    found += _county_problems(section, path, locator, is_county=is_county)
    if is_county:
        section = {**section, "county": str(path.resolve())}
    else:
        section = _tuned_elsewhere(section, path)
        found += _outside_problems(section, path, locator)
    config = _validated(section, where=str(path), locator=locator, found=found)
    _warn_outside_tuning_bounds(config, locator, where=str(path))
    if not Path(config.county).is_absolute():
        config = config.model_copy(update={"county": str((path.parent / config.county).resolve())})
    return config


def parse_simulation_section(raw: Any, locator: Locator | None = None) -> SimulationConfig:
    """Parser of a county file's ``simulation:`` section for :func:`ihms.system.load_system`
    (the section then describes the county of that file).

    Registered on import of this module and, for programs that never import
    :mod:`ihms.sim` (``ihms system check``), as the ``simulation`` entry point of the
    ``ihms.system_sections`` group in ``pyproject.toml``.

    Parameters
    ----------
    raw
        The section's value as YAML gave it: a mapping of simulation parameters.
    locator
        The section's composed YAML, as the system loader gives it: each problem then
        names the file and the line of its key, as :func:`load_sim_config`'s do (a
        ``county:`` key is one, as there).

    Warns
    -----
    IhmsWarning
        For each tuned parameter set outside the bounds the tuning searches, as
        :func:`load_sim_config` warns (the same check and words, at the key's line).
    """
    if not isinstance(raw, Mapping):
        raise ConfigError("key 'simulation' must be a mapping")
    found: list[str] = []
    if locator is not None:
        found = _county_problems(raw, Path(locator.source), locator, is_county=True)
    where = "simulation" if locator is None else locator.source
    section = {**raw, "county": raw.get("county", ".")}
    config = _validated(section, where=where, locator=locator, found=found)
    if not _BOUNDS_NOTED.get():
        _warn_outside_tuning_bounds(config, locator, where=where)
    return config


register_section("simulation", parse_simulation_section, replace=True)
