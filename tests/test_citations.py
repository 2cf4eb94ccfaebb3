"""What a user reads cites a source study as :mod:`ihms.sources` does ("Zhong et al.
2023, Table 3"), never by the id the code uses ("seed 002"), which a user cannot look up:
every command's ``--help``, the YAML files ihms ships (rule files, the indicator
catalogue, the codebooks, the examples), which users print, copy and edit, comments
included, and the docstrings of the public modules, classes and functions, which
``help()`` and the API pages show. Help texts are plain strings (so ``ihms --help`` imports nothing for them);
these tests keep them from drifting from :data:`ihms.sources.SOURCE_STUDIES`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.sources import SOURCE_STUDIES

runner = CliRunner()

#: a source study named by its id: "seed 002", "seed 001's", "seeds 000 and 003",
#: "seed_004" (a random seed is "--seed 5" or "seed 20171001", never three digits from 0)
STUDY_ID = re.compile(r"\b[Ss]eeds?[ _-]?0\d\d\b")
#: a study by its bare id, as "(003: §3.2.1 ...)" beside another study's term
BARE_ID = re.compile(r"\(00[0-4][:;,) ]")
#: an author-year citation, as a help text would write one
AUTHOR_YEAR = re.compile(r"\b[A-Z][\w-]+ et al\.? ?\d{4}")
CITATIONS = {s.short for s in SOURCE_STUDIES.values()}


def _commands(command, path):
    yield path
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _commands(sub, [*path, name])


def _helps() -> dict[str, str]:
    """Each command's rendered help, unwrapped (a wide terminal, panel borders and
    runs of spaces removed), by command."""
    out = {}
    for path in _commands(typer.main.get_command(app), []):
        result = runner.invoke(app, [*path, "--help"], terminal_width=1000)
        assert result.exit_code == 0, result.output
        out[" ".join(["ihms", *path])] = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    return out


HELPS = _helps()


def test_the_patterns_find_what_they_are_for():
    # the scan below is only as good as its patterns: ids found, random seeds not
    assert STUDY_ID.findall("as seed 002 Table 3; seeds 000 and 003; seed_004's") == [
        "seed 002",
        "seeds 000",
        "seed_004",
    ]
    assert STUDY_ID.findall("--seed 5, seed 20171001, each seed's value, Seed 0") == []
    assert AUTHOR_YEAR.findall("(Zhong et al. 2023, Table 3; Yu et al 2024)") == [
        "Zhong et al. 2023",
        "Yu et al 2024",
    ]


def test_no_help_names_a_study_by_its_id():
    found = {cmd: STUDY_ID.findall(text) for cmd, text in HELPS.items()}
    assert {cmd: ids for cmd, ids in found.items() if ids} == {}


def test_every_citation_in_help_is_one_of_the_sources():
    cited = {cmd: set(AUTHOR_YEAR.findall(text)) for cmd, text in HELPS.items()}
    assert {cmd: c - CITATIONS for cmd, c in cited.items() if c - CITATIONS} == {}
    # the one study without authors is named as ihms.sources names it
    odd = {c: re.findall(r"VI-HQMR(?! policy study)\S*", t) for c, t in HELPS.items()}
    assert {c: v for c, v in odd.items() if v} == {}
    # and the help texts cite at all (the scan would pass on an app with no help)
    assert set().union(*cited.values()) >= {"Yu et al. 2024", "Zhong et al. 2023"}


ROOT = Path(__file__).parents[1]
SHIPPED_YAML = sorted(
    p.relative_to(ROOT).as_posix()
    for folder in ("src/ihms", "examples")
    for p in (ROOT / folder).rglob("*.y*ml")
)


def test_the_scan_reads_the_files_users_get():
    assert {
        "src/ihms/payment/rulesets/sanming.yaml",
        "src/ihms/indicators/catalogue.yaml",
        "src/ihms/policy/frameworks/symbiosis.yaml",
        "examples/youxi_sim.yaml",
    } <= set(SHIPPED_YAML)


@pytest.mark.parametrize("name", SHIPPED_YAML)
def test_no_shipped_yaml_names_a_study_by_its_id(name):
    # every line, the codebooks' definitions too: `policy codebook --out` writes a
    # built-in codebook's text as it is (review seeds32 L2)
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    found = [
        f"line {n}: {line.strip()}"
        for n, line in enumerate(lines, 1)
        if STUDY_ID.search(line) or BARE_ID.search(line)
    ]
    assert found == []
    # joined, so a citation wrapped across two lines is read whole
    text = " ".join(" ".join(line.lstrip("# ") for line in lines).split())
    assert set(AUTHOR_YEAR.findall(text)) <= CITATIONS
    # the study as a codebook's definition_zh names it: VI-HQMR 政策研究 (session 32)
    assert re.findall(r"VI-HQMR(?! policy study| 政策研究)\S*", text) == []


#: The payment package's docstrings and messages: what a library user reads in
#: ``help()`` and in an error (its comments may name a study's id, as a code comment).
PAYMENT_SOURCES = sorted(
    str(p.relative_to(ROOT))
    for p in [
        *(ROOT / "src/ihms/payment").glob("*.py"),
        *(ROOT / "src/ihms/cli").glob("*payment*.py"),
    ]
)


@pytest.mark.parametrize("name", PAYMENT_SOURCES)
def test_no_payment_docstring_or_message_names_a_study_by_its_id(name):
    import ast

    texts = [
        node.value
        for node in ast.walk(ast.parse((ROOT / name).read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert [t for t in texts if STUDY_ID.search(t)] == []
    # joined, so a citation wrapped across two lines is read whole
    text = " ".join(" ".join(texts).split())
    assert set(AUTHOR_YEAR.findall(text)) <= CITATIONS


#: ihms.sources maps the ids to citations: its docstrings say the ids it reads
IDS_EXPLAINED = {"ihms.sources"}


def _public_docstrings() -> dict[str, str]:
    """The docstrings ``help()`` and the API pages show: of every public module of
    ``src/ihms`` (no part of its dotted name private), and of its public classes,
    functions and methods (nested functions left out), whitespace collapsed so a
    citation wrapped across two lines is read whole; by dotted name."""
    import ast

    out = {}
    for path in sorted((ROOT / "src" / "ihms").rglob("*.py")):
        parts = path.relative_to(ROOT / "src").with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts) or ".".join(parts) in IDS_EXPLAINED:
            continue

        def visit(node, name):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                out[name] = " ".join(doc.split())
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return
            for child in node.body:
                named = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                if named and (not child.name.startswith("_") or child.name == "__init__"):
                    visit(child, f"{name}.{child.name}")

        visit(ast.parse(path.read_text(encoding="utf-8")), ".".join(parts))
    return out


DOCSTRINGS = _public_docstrings()


def test_the_docstring_scan_reads_what_help_shows():
    # the review's three: a module's, a function's example, and a module under stats
    assert {"ihms.stats.seasonal", "ihms.stats.growth.average_annual_growth_rate"} <= set(
        DOCSTRINGS
    )
    assert "ihms.stats.growth" in DOCSTRINGS and "ihms.policy.tables" in DOCSTRINGS
    assert not any(name.startswith("ihms.stats._") for name in DOCSTRINGS)
    assert "Jia et al. 2021, Table 2" in DOCSTRINGS["ihms.stats.growth.average_annual_growth_rate"]


def test_no_public_docstring_names_a_study_by_its_id():
    found = {name: STUDY_ID.findall(doc) for name, doc in DOCSTRINGS.items()}
    assert {name: ids for name, ids in found.items() if ids} == {}
    odd = {name: re.findall(r"VI-HQMR(?! policy study)\S*", d) for name, d in DOCSTRINGS.items()}
    assert {name: v for name, v in odd.items() if v} == {}


def test_the_readme_names_no_study_by_its_id():
    # review of diff 31b, L9: the README tour said "checks the run against seed 002";
    # a name in backticks (`seed_004` in summary.json) is a key a user reads, not a citation
    text = re.sub(r"`[^`]*`", "", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert STUDY_ID.findall(text) == []
    assert set(AUTHOR_YEAR.findall(text)) <= CITATIONS
