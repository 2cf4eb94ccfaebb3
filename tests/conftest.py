"""Checks shared by the report tests of several parts: what a reader of a report page
would stumble on in its tables."""

from __future__ import annotations

import html as _html
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer.testing
from hypothesis import settings
from threadpoolctl import threadpool_limits
from typer.main import get_command

from ihms.summary import is_id_name

# BLAS on one thread in each test process: `make test` already keeps both cores busy
# with its two pytest-xdist workers, and OpenBLAS's second thread then spins on the
# small problems the suite hands it — 100 sigmoid fits of a coder's calibration took
# 2.9 s of CPU on two threads and 0.05 s on one (session 38, the loaded 2-core
# machine). The variables reach the libraries loaded later (scipy's own OpenBLAS) and
# the workers and subprocesses started from here; the limit, those already loaded
# (numpy's, by pytest's warning filters naming a pandas warning). A caller's setting
# is kept.
if "OPENBLAS_NUM_THREADS" not in os.environ:
    for _blas in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_blas, "1")
    threadpool_limits(limits=1, user_api="blas")

# Hypothesis's default deadline (200 ms per example) makes every property test a timing
# test: on the shared two-core machine under pytest-xdist an example of
# tests/data/test_coerce.py took 254 ms, then 133 ms on replay, and failed as flaky.
# Tests that set their own deadline keep it.
settings.register_profile("ihms", deadline=None)
settings.load_profile("ihms")

# typer's CliRunner.invoke converts the whole app to a click command on every call:
# 0.08 s for ihms's app on an idle core, paid by some 3,000 invocations in the suite
# (measured 2026-11-25). The conversion reads only the app's registered commands, so
# each app is converted once and the command reused; an app given another command
# after its first invocation is converted again.
_COMMANDS: dict[int, tuple[object, tuple[int, int], object]] = {}


def _command_once(app):
    shape = (len(app.registered_commands), len(app.registered_groups))
    held = _COMMANDS.get(id(app))
    if held is None or held[0] is not app or held[1] != shape:
        held = _COMMANDS[id(app)] = (app, shape, get_command(app))
    return held[2]


typer.testing._get_command = _command_once

# A label written as code: words joined by underscores (share_%, staff_incentive,
# base_salary_yuan), which a reader should see as "Share (%)", "Staff incentive".
CODE_STYLE = re.compile(r"(?<!\w)[A-Za-z0-9]+(?:_[A-Za-z0-9%]+)+")
_TABLE = re.compile(r'<table class="ihms-table">(.*?)</table>', re.S)
_CELL = re.compile(r"<td( class=\"label\")?>(.*?)</td>", re.S)


def _tables(page: str):
    """(name, caption, headers, rows of (is_text, cell)) of each table of ``page``."""
    for i, table in enumerate(_TABLE.findall(page), start=1):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        caption = _html.unescape(caption.group(1)).strip() if caption else ""
        headers = [_html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
        body = table.split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
        rows = [
            [(bool(t), _html.unescape(c)) for t, c in _CELL.findall(row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        ]
        yield caption or f"table {i} {headers[:3]}", caption, headers, rows


def untitled_tables(page: str) -> list[str]:
    """The tables of the HTML ``page`` shown without a title."""
    return [name for name, caption, _, _ in _tables(page) if not caption]


def code_style_labels(page: str) -> list[str]:
    """Column headers and text cells of ``page``'s tables written as code; cells of
    identifier columns (staff id, account code, ...) are shown as they are."""
    found = []
    for name, _, headers, rows in _tables(page):
        found += [f"{name}: header {h!r}" for h in headers if CODE_STYLE.search(h)]
        for row in rows:
            for j, (is_text, text) in enumerate(row):
                header = headers[j] if j < len(headers) else ""
                if is_text and not is_id_name(header) and CODE_STYLE.search(text):
                    found.append(f"{name}: {header!r} cell {text!r}")
    return found


@pytest.fixture
def report_checks():
    """``untitled_tables(page)`` and ``code_style_labels(page)`` for report tests."""
    return SimpleNamespace(untitled_tables=untitled_tables, code_style_labels=code_style_labels)


@pytest.fixture(scope="session")
def policy_demo_results(tmp_path_factory):
    """The demo's policy step computed once a session (ten seconds and more): its
    context (out_dir ``demo``, work_dir ``demo-work`` beside it) and its
    :class:`~ihms.demo._policy.PolicyResults`, which the English and the Chinese
    sections are phrased from."""
    from ihms.demo._policy import policy_results
    from ihms.demo._run import DemoContext

    base = tmp_path_factory.mktemp("policy-demo")
    ctx = DemoContext(out_dir=base / "demo", work_dir=base / "demo-work")
    ctx.work_dir.mkdir()
    return ctx, policy_results(ctx)


@pytest.fixture(scope="session")
def policy_demo(policy_demo_results):
    """The demo's policy step run once a session (the files of tests/demo and
    tests/policy that check its prose, tables and files share it): its context and its
    sections by id, in the order the step gives them. The tests only read them."""
    from ihms.demo._policy import sections_of

    ctx, results = policy_demo_results
    return ctx, {s.id: s for s in sections_of(ctx, results)}


@pytest.fixture(scope="session")
def policy_cli_session(tmp_path_factory):
    """A researcher's ``ihms policy`` session on the example corpus: init → import →
    screen → segment → codes import ×2 → reconcile with decisions, run once a session
    for the four files that read it (``tests/cli/test_policy_cli.py``'s ``session``).
    ``(work, project, outputs)``. Tests only read the project (one that changes it
    copies it first): at the end of the session it must be byte for byte as built."""
    import hashlib

    from typer.testing import CliRunner

    from ihms.cli.main import app

    examples = Path(__file__).resolve().parents[1] / "examples" / "policies"
    runner = CliRunner()
    work = tmp_path_factory.mktemp("cli")
    project = work / "study.sqlite"
    steps = [
        ("init", project, "--codebook", "6d"),
        ("import", project, examples / "corpus", "--metadata", examples / "metadata.xlsx"),
        ("screen", project, "--to", "2021-12-31", "--decisions", examples / "screening.csv",
         "--figure", work / "prisma.png"),
        ("segment", project),
        ("codes", "import", project, examples / "codings" / "coder_a.xlsx", "--coder", "coder_a"),
        ("codes", "import", project, examples / "codings" / "coder_b.xlsx", "--coder", "coder_b"),
        ("reconcile", project, "--coders", "coder_a,coder_b", "--out", work / "disagreements.xlsx"),
        ("reconcile", project, "--coders", "coder_a,coder_b", "--decisions",
         examples / "codings" / "decisions.xlsx", "--by", "lead"),
    ]  # fmt: skip
    outputs = []
    for step in steps:
        result = runner.invoke(app, ["policy", *map(str, step)])
        assert result.exit_code == 0, (step, result.output)
        outputs.append(result.output)
    built = hashlib.sha256(project.read_bytes()).hexdigest()
    yield work, project, outputs
    assert hashlib.sha256(project.read_bytes()).hexdigest() == built, (
        f"{project}: a test changed the shared project; it should change a copy"
    )
