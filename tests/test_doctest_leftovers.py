"""The docstring examples clean up after themselves: running every doctest of ihms
leaves nothing in the temporary folder (``tempfile.mkdtemp()`` in an example left a
folder behind on every test run, hundreds on a developer's machine)."""

from __future__ import annotations

import doctest
import importlib
import shutil
import tempfile
from pathlib import Path

import ihms

SRC = Path(ihms.__file__).parent
#: Modules whose examples use a temporary folder: the check must have run them.
USE_A_TEMPORARY_FOLDER = {"ihms._atomic", "ihms.payment.ledger"}


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(SRC.rglob("*.py")):
        if ">>> " not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_running_the_doctests_leaves_no_temporary_files(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # tempfile.mkdtemp, TemporaryDirectory, ... all ask gettempdir(), which reads this
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    ran, left = set(), {}
    for name in _modules_with_examples():
        module = importlib.import_module(name)
        for test in finder.find(module, name):
            if test.examples:
                runner.run(test, out=lambda _text: None)  # pytest checks their output
                ran.add(name)
        if found := sorted(p.name for p in scratch.iterdir()):
            left[name] = found
            for path in scratch.iterdir():  # so the next module's are its own
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert ran >= USE_A_TEMPORARY_FOLDER
    assert left == {}
