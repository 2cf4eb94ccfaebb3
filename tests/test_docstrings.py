"""The public API of the numerical packages as a user meets it: every exported name
exists and is public, has a docstring, and a docstring's ``Parameters`` section names
exactly the parameters the signature takes (and an ``Attributes`` section every field
of a results dataclass) — a parameter documented but gone, or there but undocumented,
is what a user trips over first. Every exported function, constructor and public
method that takes parameters must have that section (bar :data:`PROSE_ONLY`)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path

import pytest

import ihms

# Every package that exports names (its __init__ has __all__), found from the files, so a
# new package is checked without being listed here.
_SRC = Path(ihms.__file__).parent
PACKAGES = sorted(
    ".".join(("ihms", *init.parent.relative_to(_SRC).parts))
    for init in _SRC.rglob("__init__.py")
    if "__all__" in init.read_text("utf-8")
)


def _exports(packages=PACKAGES):
    for pkg in packages:
        mod = importlib.import_module(pkg)
        for name in mod.__all__:
            yield pkg, name, getattr(mod, name, None)


def _section(doc: str, title: str) -> list[str] | None:
    """Names a numpydoc section lists (``a, b`` and ``name : type`` lines), or None."""
    lines = inspect.cleandoc(doc).splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.strip() == title and re.fullmatch(r"-{3,}", lines[i + 1].strip()):
            names: list[str] = []
            body = lines[i + 2 :]
            for k, entry in enumerate(body):
                if k + 1 < len(body) and re.fullmatch(r"-{3,}", body[k + 1].strip()):
                    break  # the next section's title
                if entry and not entry.startswith(" "):
                    head = entry.split(" : ")[0]
                    names += [n.strip().lstrip("*") for n in head.split(",")]
            return names
    return None


def _callables(packages=PACKAGES):
    """(label, callable, docstring) of each exported function, constructor and method."""
    for pkg, name, obj in _exports(packages):
        if inspect.isfunction(obj):
            yield f"{pkg}.{name}", obj, obj.__doc__ or ""
        elif inspect.isclass(obj) and not issubclass(obj, BaseException):
            if not dataclasses.is_dataclass(obj) and "__init__" in vars(obj):
                doc = obj.__doc__ or ""
                if _section(doc, "Parameters") is None:
                    doc = obj.__init__.__doc__ or ""
                yield f"{pkg}.{name}()", obj.__init__, doc
            for attr, member in vars(obj).items():
                if inspect.isfunction(member) and not attr.startswith("_"):
                    yield f"{pkg}.{name}.{attr}", member, member.__doc__ or ""


def test_every_exported_name_exists_and_is_public():
    missing = [f"{pkg}.{name}" for pkg, name, obj in _exports() if obj is None]
    private = [
        f"{pkg}.{name}"
        for pkg, name, _ in _exports()
        if name.startswith("_") and not name.endswith("__")  # ihms.__version__
    ]
    assert missing == [] and private == []


def test_every_exported_function_and_class_has_its_own_docstring():
    bare = []
    for pkg, name, obj in _exports():
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = obj.__doc__ or ""
        # a dataclass without a docstring gets its signature as one
        if not doc.strip() or doc.startswith(f"{name}("):
            bare.append(f"{pkg}.{name}")
    assert bare == []


def test_documented_parameters_are_the_signatures():
    wrong = []
    for label, func, doc in _callables():
        documented = _section(doc, "Parameters")
        if documented is None:
            continue  # prose docstring; nothing to contradict
        taken = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
        extra = sorted(set(documented) - set(taken))
        undocumented = [p for p in taken if p not in documented]
        if extra or undocumented:
            wrong.append(f"{label}: documented {extra} not taken; {undocumented} undocumented")
    assert wrong == [], "\n".join(wrong)


# Callables still documented in prose only. Each entry is a debt, not a licence: write
# its Parameters section and delete the line. Empty since the 96 found when the check
# widened to every package (session 34) were given theirs.
PROSE_ONLY: set[str] = set()


def test_exported_callables_that_take_parameters_document_them():
    bare = []
    for label, func, doc in _callables():
        taken = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
        if taken and _section(doc, "Parameters") is None and label not in PROSE_ONLY:
            bare.append(f"{label}{tuple(taken)}")
    assert bare == [], "no numpydoc Parameters section:\n" + "\n".join(bare)


def test_the_prose_only_list_names_only_callables_still_in_prose():
    """A documented entry left on the list would excuse it again if its section went."""
    labels = {label: doc for label, _, doc in _callables()}
    stale = [x for x in PROSE_ONLY if x not in labels or _section(labels[x], "Parameters")]
    assert stale == []


@pytest.mark.parametrize("section", ["Attributes", "Parameters"])
def test_a_dataclass_that_documents_its_fields_documents_all_of_them(section):
    wrong = []
    for pkg, name, obj in _exports():
        if not (inspect.isclass(obj) and dataclasses.is_dataclass(obj)):
            continue
        documented = _section(obj.__doc__ or "", section)
        if documented is None:
            continue
        fields = [f.name for f in dataclasses.fields(obj) if not f.name.startswith("_")]
        undocumented = [f for f in fields if f not in documented]
        unknown = [d for d in documented if d not in fields and not hasattr(obj, d)]
        if undocumented or unknown:
            wrong.append(f"{pkg}.{name}: {undocumented} undocumented; {unknown} unknown")
    assert wrong == [], "\n".join(wrong)


# Callables whose parameters or return still lack type hints: a debt, as PROSE_ONLY.
# Empty since the policy modules holding the last ten (coding, reconcile, prisma) split.
UNTYPED: set[str] = set()


def _untyped(func, label: str) -> list[str]:
    """The parameters (and ``return``, but of a constructor) without an annotation."""
    sig = inspect.signature(func)
    bare = [p for p, v in sig.parameters.items() if p not in ("self", "cls")]
    bare = [p for p in bare if sig.parameters[p].annotation is inspect.Parameter.empty]
    if sig.return_annotation is inspect.Signature.empty and not label.endswith("()"):
        bare.append("return")
    return bare


def test_docstrings_and_type_hints_are_checked_in_every_package_that_exports_names():
    # the checks walked six packages; ihms.policy's callables taking a Project had no
    # type hints, and find_duplicates, import_codings, import_qdpx and segment_clauses
    # documented some of their parameters only
    assert {"ihms.policy", "ihms.data", "ihms.report", "ihms.summary", "ihms.demo"} <= set(PACKAGES)


def test_exported_callables_have_type_hints():
    # a notebook's signature help (shift-tab) and a type checker read these: compute's
    # data and system, off_pathway_list's data had none (a review, session 33)
    callables = list(_callables(PACKAGES))
    bare = [
        f"{label}: {missing}"
        for label, func, _ in callables
        if (missing := _untyped(func, label)) and label not in UNTYPED
    ]
    assert bare == [], "no type hints:\n" + "\n".join(bare)
    labels = {label: func for label, func, _ in callables}
    stale = [x for x in UNTYPED if x not in labels or not _untyped(labels[x], x)]
    assert stale == []
