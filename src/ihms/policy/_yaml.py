"""YAML files people write by hand (codebooks, table specs, keyword rules), read so that
a key given twice is refused rather than silently replaced by the last."""

from __future__ import annotations

import yaml

from ihms.errors import ConfigError
from ihms.system._messages import duplicate_keys, yaml_error

__all__ = ["load_yaml"]


def load_yaml(text: str, what: str, *, name: str | None = None, check_keys: bool = True):
    """The data of YAML ``text``; ``what`` names the file in messages ("codebook
    my6d.yaml"), ``name`` the file in the lines of keys given twice (default ``what``).

    Raises
    ------
    ConfigError
        Invalid YAML (with line and column; a tab named as one), or a key given twice in
        one mapping (both lines), unless not ``check_keys``.
    """
    try:
        data = yaml.safe_load(text)
        # a second reading of the text, for the keys' lines: only when they are checked
        twice = (
            duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader), name or what)
            if check_keys
            else []
        )
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error(exc, what)) from None
    if twice:  # YAML keeps the last silently
        raise ConfigError(f"{what} is invalid:\n" + "\n".join(f"  - {p}" for p in twice))
    return data
