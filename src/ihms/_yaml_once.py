"""A YAML text parsed once per process: PyYAML's pure-Python loader, whose node marks
give the line each message names, takes 0.04–0.1 s per file, and a command reads its
config, rule set or county file several times over.

Each parse is kept by the exact text (a reader reads the file every time, so an edited
file is parsed anew) and gives what parsing again would: the data as a fresh copy (a
reader may change what it was given), the node tree as it is (read it, do not change
it). A parse that fails is not kept, so its error comes every time.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import yaml

__all__ = ["yaml_data", "yaml_node"]

_KEPT = 16


@lru_cache(maxsize=_KEPT)
def _data(text: str) -> Any:
    return yaml.safe_load(text)


def yaml_data(text: str) -> Any:
    """``yaml.safe_load(text)``, a copy of the one parse of ``text``."""
    return copy.deepcopy(_data(text))


@lru_cache(maxsize=_KEPT)
def yaml_node(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=yaml.SafeLoader)``, parsed once per text."""
    return yaml.compose(text, Loader=yaml.SafeLoader)
