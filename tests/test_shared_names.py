"""Review item M6: a public name exported by two modules for two different things. Each
such pair is a decision written in ARCHITECTURE.md ("Shared names"): renamed, or why
both keep it; a new pair fails here until it is decided."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

import pytest

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
    assert found["compare_regimes"] == {"ihms.payment.compare", "ihms.sim.compare"}


# -- the two pairs renamed: payment's scorecard line and the system's rule violation --

#: (module, old name, new name): each module that exported the old name keeps it for
#: one release (ihms._renamed.renamed_attributes).
RENAMED = [
    ("ihms.payment", "Indicator", "ScorecardIndicator"),
    ("ihms.payment.rules", "Indicator", "ScorecardIndicator"),
    ("ihms.payment.scoring", "Indicator", "ScorecardIndicator"),
    ("ihms.system.rules", "Problem", "RuleViolation"),
]
SRC = Path(ihms.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent


def test_the_renamed_pairs_are_no_longer_shared():
    found = shared_names()
    assert "Indicator" not in found and "Problem" not in found
    assert "ScorecardIndicator" not in found and "RuleViolation" not in found
    assert "`ScorecardIndicator`" in _section() and "`RuleViolation`" in _section()


def test_the_new_names_build_a_card_and_report_a_violation(recwarn):
    from decimal import Decimal as D

    from ihms.payment import LinearScoring, Scorecard, ScorecardIndicator
    from ihms.system.model import Grid, System
    from ihms.system.rules import RuleViolation, structural_problems

    line = ScorecardIndicator("x", "x", D(1), LinearScoring(D(0), D(10)))
    assert Scorecard("doctor", (line,), D("0.6")).indicators == (line,)
    lost = System("t", counties=(), grids=(Grid("g1", "G", "c9"),), institutions=())
    [problem] = structural_problems(lost)
    assert isinstance(problem, RuleViolation)
    assert (problem.kind, problem.ident, problem.key) == ("grid", "g1", "county")
    assert len(recwarn) == 0


@pytest.mark.parametrize(("module", "old", "new"), RENAMED)
def test_the_old_name_warns_naming_the_new_one_and_is_the_same_object(module, old, new):
    mod = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=rf"^{module}\.{old} was renamed .*\.{new} ") as w:
        assert getattr(mod, old) is getattr(mod, new)
    assert len(w) == 1 and w[0].filename == __file__  # the caller's line
    assert old not in mod.__all__ and old not in dir(mod) and new in mod.__all__


def test_from_import_of_an_old_name_warns_once_at_the_import():
    with pytest.warns(DeprecationWarning, match="use ScorecardIndicator") as w:
        from ihms.payment import Indicator
    assert len(w) == 1 and w[0].filename == __file__
    with pytest.warns(DeprecationWarning, match="use RuleViolation"):
        from ihms.system.rules import Problem
    from ihms.payment import ScorecardIndicator
    from ihms.system.rules import RuleViolation

    assert Indicator is ScorecardIndicator and Problem is RuleViolation


def test_a_name_never_exported_is_still_an_attribute_error():
    import ihms.payment

    with pytest.raises(AttributeError, match=r"'ihms\.payment' has no attribute 'Indicators'"):
        ihms.payment.Indicators  # noqa: B018
    with pytest.raises(ImportError, match="Indicators"):
        from ihms.payment import Indicators  # noqa: F401


OLD_SPELLED = re.compile(
    r"ihms\.payment(\.\w+)?\.Indicator\b|ihms\.system\.rules\.Problem\b"
    r"|from ihms\.payment[\w.]* import [^\n]*\bIndicator\b"
    r"|from ihms\.system\.rules import [^\n]*\bProblem\b"
)
OLD_IMPORTS = {(m, old) for m, old, _ in RENAMED}
#: the old name of a package's own class: any use of it there is the old one
OWN_OLD = {"payment": "Indicator", "system": "Problem"}


def _old_name_uses(text: str, package: str) -> list[str]:
    """Where a module of ``package`` (``payment``, ``system``, another) names payment's
    ``Indicator`` or the system's rules ``Problem``: an import, its own old name, a
    dotted reference (a docstring's too)."""
    found = [m.group() for m in OLD_SPELLED.finditer(text)]
    own = OWN_OLD.get(package)
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            found += [
                f"{node.lineno}: from {node.module} import {a.name}"
                for a in node.names
                if (node.module, a.name) in OLD_IMPORTS
            ]
        elif (
            own
            and isinstance(node, ast.Name | ast.Attribute)
            and own
            in (
                getattr(node, "id", None),
                getattr(node, "attr", None),
            )
        ):
            found.append(f"{node.lineno}: {own}")
    return found


def test_no_module_or_test_uses_an_old_name():
    files = [*SRC.rglob("*.py"), *TESTS.rglob("*.py")]
    uses = [
        f"{path}:{use}"
        for path in files
        if path != Path(__file__)
        for use in _old_name_uses(
            path.read_text("utf-8"), next((p for p in path.parts if p in OWN_OLD), "")
        )
    ]
    assert uses == []


def test_the_old_name_check_finds_each_kind_of_use():
    probe = "from ihms.payment.rules import Indicator\nr.Indicator('x')\n"
    assert _old_name_uses(probe, "payment") == [
        "from ihms.payment.rules import Indicator",
        "1: from ihms.payment.rules import Indicator",
        "2: Indicator",
    ]
    assert _old_name_uses('"""see :class:`~ihms.system.rules.Problem`"""', "") == [
        "ihms.system.rules.Problem"
    ]
    assert _old_name_uses("from ihms.errors import Problem\nProblem('x')", "data") == []
