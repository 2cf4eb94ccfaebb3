from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "policies"


@pytest.fixture(scope="session")
def example_corpus():
    """The example corpus imported once for the whole session."""
    from ihms.policy.corpus import import_folder

    return import_folder(EXAMPLES / "corpus", metadata=EXAMPLES / "metadata.xlsx")


@pytest.fixture(scope="session")
def example_docs(example_corpus):
    return {d.id: d for d in example_corpus.documents}
