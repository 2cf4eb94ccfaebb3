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


def build_example_project(path: Path, *, codings: bool):
    """The example corpus imported, screened and segmented into paragraphs; with
    ``codings`` also both coders' codings, reconciled with the lead's decisions."""
    import datetime as dt

    from ihms.policy import find_duplicates, read_screening_decisions, screen
    from ihms.policy.codebook import load_codebook
    from ihms.policy.coding import import_codings
    from ihms.policy.corpus import import_folder
    from ihms.policy.prisma import ScreeningCriteria
    from ihms.policy.project import Project
    from ihms.policy.reconcile import reconcile, record_decisions

    corpus = import_folder(EXAMPLES / "corpus", metadata=EXAMPLES / "metadata.xlsx")
    project = Project.create(path, load_codebook("6d"))
    project.add_documents(corpus.documents)
    project.set_screening(
        screen(
            corpus.documents,
            duplicates=find_duplicates(corpus.documents),
            decisions=read_screening_decisions(EXAMPLES / "screening.csv"),
            criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
        )
    )
    project.segment("paragraph")
    if codings:
        for coder in ("coder_a", "coder_b"):
            import_codings(project, EXAMPLES / "codings" / f"{coder}.xlsx", coder=coder)
        reconcile(project, coders=["coder_a", "coder_b"])
        record_decisions(project, EXAMPLES / "codings" / "decisions.xlsx", decided_by="lead")
    project.close()
    return path


@pytest.fixture(scope="session")
def project_templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("projects")
    return {
        "segmented": build_example_project(base / "segmented.sqlite", codings=False),
        "coded": build_example_project(base / "coded.sqlite", codings=True),
    }


def _copy(template: Path, tmp_path: Path):
    import shutil

    from ihms.policy.project import Project

    target = tmp_path / template.name
    shutil.copy(template, target)
    return Project(target)


@pytest.fixture
def project(project_templates, tmp_path):
    """A fresh copy of the segmented example project (no codings)."""
    p = _copy(project_templates["segmented"], tmp_path)
    yield p
    p.close()


@pytest.fixture(scope="module")
def read_only_project(project_templates, tmp_path_factory):
    """A copy of the coded example project for a module's fixtures that only read it
    (a model trained, an evaluation computed once for several tests)."""
    p = _copy(project_templates["coded"], tmp_path_factory.mktemp("read_only"))
    yield p
    p.close()


@pytest.fixture
def coded_project(project_templates, tmp_path):
    """A fresh copy of the example project with both coders reconciled."""
    p = _copy(project_templates["coded"], tmp_path)
    yield p
    p.close()
