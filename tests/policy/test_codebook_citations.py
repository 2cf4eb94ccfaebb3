"""A codebook's definitions reach users (``ihms policy codebook --json``, the coding
workbook's codebook sheet, a QDPX project's code descriptions) citing studies by author
and year. Two built-in definitions say "seed 000" / "Seed 003's"; the codebook files'
text is left as it is (it is what a project stores and its version's digest), and the
definitions read from it say the citation (ihms.sources.cited)."""

from __future__ import annotations

import re

from ihms.policy.codebook import BUILTIN_CODEBOOKS, load_codebook, parse_codebook

STUDY_ID = re.compile(r"\b[Ss]eeds? 0\d\d\b")


def _definitions(cb) -> list[str]:
    out = []
    for d in cb.dimensions:
        out.append(d.definition or "")
        out += [g.definition or "" for g in (*d.groups, *d.answer_groups)]
        out += [c.definition or "" for c in d.categories]
    return out


def test_no_built_in_definition_names_a_study_by_its_id():
    for name in BUILTIN_CODEBOOKS:
        cb = load_codebook(name)
        assert [t for t in _definitions(cb) if STUDY_ID.search(t)] == [], name
        assert [t for t in cb.to_frame()["definition"] if STUDY_ID.search(t or "")] == []


def test_the_two_definitions_cite_by_author_and_year():
    shanghai = load_codebook("6d").dimension("level").category("shanghai")
    assert shanghai.definition == (
        "Issued in Shanghai, which Yu et al. 2024 singles out as the pioneer city of "
        "integrated health management."
    )
    level = load_codebook("symbiosis").dimension("level").definition
    assert "VI-HQMR policy study's documents are national and provincial" in level


def test_the_text_and_its_digest_are_the_files():
    cb = load_codebook("6d")
    assert "which seed 000 singles out" in cb.text  # what a project stores, unchanged
    again = parse_codebook(cb.text, name="6d")
    assert again.sha256 == cb.sha256
