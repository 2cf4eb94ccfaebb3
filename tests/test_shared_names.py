"""Review item M6: a public name exported by two modules for two different things. Each
such pair is a decision written in ARCHITECTURE.md ("Shared names"): renamed, or why
both keep it; a new pair fails here until it is decided."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from pathlib import Path

import ihms

ARCHITECTURE = Path(__file__).resolve().parents[1] / "ARCHITECTURE.md"


def _public_modules():
    for info in pkgutil.walk_packages(ihms.__path__, "ihms."):
        parts = info.name.split(".")[1:]
        if parts[0] != "cli" and not any(p.startswith("_") for p in parts):
            yield importlib.import_module(info.name)


def shared_names() -> dict[str, set[str]]:
    """Names that public modules' ``__all__`` give to different objects, with where
    each object is defined."""
    homes: dict[str, dict[int, str]] = defaultdict(dict)
    for mod in _public_modules():
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name, None)
            if callable(obj):
                homes[name][id(obj)] = getattr(obj, "__module__", mod.__name__)
    return {name: set(d.values()) for name, d in homes.items() if len(d) > 1}


def _section() -> str:
    text = ARCHITECTURE.read_text("utf-8")
    start = text.index("- **Shared names**")
    return text[start : text.index("\n- **", start + 1) if "\n- **" in text[start + 1 :] else None]


def test_every_shared_name_is_decided_in_architecture():
    section = _section()
    undecided = sorted(n for n in shared_names() if f"`{n}`" not in section)
    assert undecided == []


def test_the_survey_finds_the_pairs_the_review_named():
    found = shared_names()
    assert found["import_folder"] == {"ihms.data.io", "ihms.policy.corpus"}
    assert found["Indicator"] == {"ihms.indicators.catalogue", "ihms.payment.scoring"}
    assert found["compare_regimes"] == {"ihms.payment.compare", "ihms.sim.compare"}
