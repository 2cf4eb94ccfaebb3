"""Every public ihms result with a ``summary()`` shows in a notebook as that summary's
table (``_repr_html_``, mostly :class:`ihms._repr.SummaryHtml`): a class added later
without it fails here, not in a user's notebook (a review of the Python API for Jupyter,
session 33). The part tests (tests/<part>/test_*html_repr.py) check each table's cells."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ihms
from ihms._repr import SummaryHtml

#: The modules whose ``__all__`` a notebook user imports results from.
EXPORTING = (
    "ihms.stats",
    "ihms.policy",
    "ihms.policy.autocode",
    "ihms.payment",
    "ihms.sim",
    "ihms.system",
    "ihms.indicators",
)

#: Classes with a ``summary`` and, rightly, no ``_repr_html_``; each with its reason.
NO_HTML = {
    # summary(year) has no default year (each year's spread over seeds is its own table),
    # so there is no one table to show; the one-line repr stays
    "ihms.sim.seeds.SeedSpread",
}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _exported() -> set[type]:
    classes = set()
    for module in EXPORTING:
        mod = importlib.import_module(module)
        classes |= {obj for name in mod.__all__ if inspect.isclass(obj := getattr(mod, name))}
    return classes


def _public_in_modules() -> set[type]:
    """Every public class defined in an ihms module (the command line's aside: it
    prints, it returns no results)."""
    classes = set()
    for info in pkgutil.walk_packages(ihms.__path__, "ihms."):
        if info.name.startswith("ihms.cli"):
            continue
        mod = importlib.import_module(info.name)
        classes |= {
            obj
            for name, obj in vars(mod).items()
            if inspect.isclass(obj) and obj.__module__ == info.name and not name.startswith("_")
        }
    return classes


def _with_summary(classes: set[type]) -> set[type]:
    return {c for c in classes if callable(getattr(c, "summary", None))}


def test_every_exported_result_with_a_summary_shows_it_as_html():
    results = _with_summary(_exported())
    assert len(results) > 40  # the walk found the results (50 exported at session 33)
    missing = sorted(_name(c) for c in results if not hasattr(c, "_repr_html_"))
    assert [n for n in missing if n not in NO_HTML] == []


def test_every_public_class_with_a_summary_shows_it_unless_listed():
    results = _with_summary(_public_in_modules() | _exported())
    missing = {_name(c) for c in results if not hasattr(c, "_repr_html_")}
    assert missing == NO_HTML  # a new one is missing, or a listed one now has it


def test_a_summary_shown_as_html_needs_no_argument():
    # SummaryHtml calls summary() bare: a required parameter would fail in the notebook
    shown = [c for c in _with_summary(_public_in_modules()) if issubclass(c, SummaryHtml)]
    assert len(shown) > 40
    for cls in shown:
        params = list(inspect.signature(cls.summary).parameters.values())[1:]
        required = [p.name for p in params if p.default is inspect.Parameter.empty]
        assert required == [], f"{_name(cls)}.summary needs {required}"
