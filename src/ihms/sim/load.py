"""Read a simulation config from YAML; report every problem at once.

:func:`load_sim_config` reads a YAML file (either a file whose top level is the
``simulation:`` section's content, or a county file holding a ``simulation:`` key),
validates it with :class:`~ihms.sim.config.SimulationConfig` and raises one
:class:`~ihms.errors.ConfigError` listing every problem with the key that holds it (and
the nearest valid key for a typo), before any work starts.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ihms.errors import ConfigError
from ihms.sim.config import SimulationConfig

__all__ = ["config_from_mapping", "load_sim_config"]


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


def _format_errors(exc: ValidationError, where: str) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in ("simulation", *loc))
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(loc)
            problems.append(f"{where}: unknown key '{key}'{_suggest(str(loc[-1]), allowed)}")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            problems.append(f"{where}: key '{key}' is required")
        elif "input" in err and not isinstance(err["input"], (dict, list)):
            problems.append(f"{where}: key '{key}': {msg}, got {err['input']!r}")
        else:
            problems.append(f"{where}: key '{key}': {msg}")
    return problems


def config_from_mapping(data: Mapping[str, Any], *, where: str = "config") -> SimulationConfig:
    """Validate a mapping (the ``simulation:`` section's content)."""
    try:
        return SimulationConfig.model_validate(dict(data))
    except ValidationError as exc:
        problems = _format_errors(exc, where)
        raise ConfigError(
            f"{where}: the simulation section has {len(problems)} problem(s):\n"
            + "\n".join(f"  - {p}" for p in problems)
        ) from None


def load_sim_config(path: str | Path) -> SimulationConfig:
    """Read and validate a simulation config.

    Parameters
    ----------
    path
        A YAML file whose top level either is the simulation section or holds it under
        ``simulation:``. A relative ``county:`` path is resolved against the file's folder.

    Raises
    ------
    ConfigError
        When the file is missing, is not YAML, or any parameter is invalid; the message
        lists every problem with its key.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    section = data.get("simulation", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: key 'simulation' must be a mapping")
    config = config_from_mapping(section, where=str(path))
    if config.county is not None and not Path(config.county).is_absolute():
        config = config.model_copy(update={"county": str((path.parent / config.county).resolve())})
    return config
