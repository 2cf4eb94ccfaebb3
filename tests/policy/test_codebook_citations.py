"""A codebook's definitions reach users (``ihms policy codebook --json`` and ``--out``,
the coding workbook's codebook sheet, a QDPX project's code descriptions) citing studies
by author and year. The built-in codebooks' text says "Yu et al. 2024" and "the VI-HQMR
policy study" itself (review seeds32 L2: ``--out`` writes the text as it is); a project
keeps the codebook text it stored, and a text stored before, which said "seed 000" /
"Seed 003's", still reads with its definitions citing by author and year
(ihms.sources.cited)."""

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


def test_the_built_in_text_names_no_study_by_its_id():
    for name in BUILTIN_CODEBOOKS:
        cb = load_codebook(name)
        assert STUDY_ID.findall(cb.text) == [], name
        assert parse_codebook(cb.text, name=name).sha256 == cb.sha256


def test_a_text_stored_before_keeps_its_digest_and_reads_cited():
    # the 6D text as projects stored it before session 32's review (seeds32 L2)
    cb = load_codebook("6d")
    old = cb.text.replace("which Yu et al. 2024 singles out", "which seed 000 singles out")
    assert old != cb.text
    stored = parse_codebook(old, name="6d")
    assert stored.text == old and stored.sha256 != cb.sha256  # what the project stored
    shanghai = stored.dimension("level").category("shanghai")
    assert "which Yu et al. 2024 singles out" in shanghai.definition
