"""The policy demo step's prose: what n counts, and where the SPSS/Stata files are."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="module")
def one_d(policy_demo):
    """The policy step of the session (tests/conftest.py) and its 1D section's texts."""
    ctx, sections = policy_demo
    return ctx, [b.text for b in sections["policy-1d"].blocks if hasattr(b, "text")], sections


def test_the_tables_say_their_n_counts_paragraphs_not_documents(one_d):
    _, texts, _ = one_d
    # the example corpus: 31 documents included, 212 paragraphs coded (see its overview)
    assert "n is the 212 paragraphs of the 31 included documents, not the documents" in texts[0]


def test_the_data_set_paths_open_from_the_report(one_d):
    # the report is out_dir/report.html; the files lie in the work folder beside out_dir
    ctx, texts, _ = one_d
    assert (
        "(demo-work/policy-codes.sav, demo-work/policy-codes.dta, in the demo's work folder: "
        "../demo-work/ from this report;" in texts[1]
    )
    for name in ("policy-codes.sav", "policy-codes.dta"):
        # the report folder itself is written at the end of a run: resolved by name
        assert os.path.isfile(os.path.normpath(ctx.out_dir / "../demo-work" / name))


def test_the_agreement_section_says_the_example_coders_are_simulated(one_d):
    # examples/policies/make_codings.py generates both codings from the codebook's keywords
    *_, sections = one_d
    text = " ".join(b.text for b in sections["policy-agreement"].blocks if hasattr(b, "text"))
    assert "coded the 212 paragraphs blind" not in text
    assert "simulated coders" in text and "generated from the codebook's keywords" in text
