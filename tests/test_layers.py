"""The package's layers (ARCHITECTURE.md, "Layers") hold: no module imports from a layer
above its own. Read from the source with :mod:`ast`, so an import inside a function
counts as much as one at the top of a file."""

from __future__ import annotations

import ast
from pathlib import Path

import ihms

# ARCHITECTURE.md: errors, summary ← stats ← system ← data ← indicators, payment, sim,
# policy ← report ← demo, cli; the cross-cutting modules sit with errors and summary.
LAYER = {
    **dict.fromkeys(
        [
            "errors",
            "summary",
            "fonts",
            "_repr",
            "_arguments",
            "_listing",
            "_decode",
            "_statfiles",
            "_stat_missing",
            "_stat_dates",
            "_stat_notes_file",
            "_width",
            "_months",
            "_atomic",
            "_yaml_once",
            "_run_folders",
            "_table_layout",
            "_cjk_fold",
            "_title_fold",
            "_note_fold",
            "_table_rows",
            "_layout",
            "_sheets",
            "_column_hints",
            "table_files",
            "_words",
            "_sheet_names",
            "_renamed",
            "_warnings",
            "_words_written",
            "sources",
        ],
        0,
    ),
    "stats": 1,
    "system": 2,
    "data": 3,
    **dict.fromkeys(["indicators", "payment", "sim", "policy"], 4),
    "report": 5,
    **dict.fromkeys(["demo", "cli"], 6),
    **dict.fromkeys(["__init__", "__main__"], 7),
}
ROOT = Path(ihms.__file__).parent


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)


def _top(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def test_every_top_level_module_has_a_layer():
    tops = {_top(p) for p in ROOT.rglob("*.py")}
    assert tops <= set(LAYER), f"give these a layer: {sorted(tops - set(LAYER))}"


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        own = LAYER[_top(path)]
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] == "ihms" and len(parts) > 1 and LAYER.get(parts[1], 0) > own:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not upward, "\n".join(upward)
