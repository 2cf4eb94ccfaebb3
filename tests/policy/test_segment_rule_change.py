"""A number alone on its line (``一、``) is read with the line after it since session 22;
a project whose documents were segmented before keeps their segments (and the codings
on them) when it is segmented again (session 22 review A, H2: re-segmenting had retired
coded segments nobody touched)."""

from __future__ import annotations

import pandas as pd
import pytest

import ihms.policy.segment as segment_module
from ihms.policy.codebook import load_codebook
from ihms.policy.coding import import_codings
from ihms.policy.corpus import Document
from ihms.policy.project import Project

TEXT = "一、\n总体要求\n要推进医疗联合体建设。\n（一）\n完善分级诊疗制度。"


def _doc(doc_id: str, text: str = TEXT) -> Document:
    return Document(id=doc_id, file=f"{doc_id}.txt", fmt="txt", sha256=doc_id, text=text)


@pytest.fixture(params=["paragraph", "clause"])
def old_project(request, tmp_path, monkeypatch):
    """A project segmented by the rule before session 22 (no number read alone), one
    segment coded."""
    scheme = request.param
    p = Project.create(tmp_path / "p.sqlite", load_codebook("6d"))
    p.add_documents([_doc("d1")])
    with monkeypatch.context() as m:
        m.setattr(segment_module, "_number_only", lambda line: False)
        p.segment(scheme)
    segs = p.segments(scheme=scheme)
    coded = segs[segs["text"].str.contains("分级诊疗")].iloc[0]
    sheet = pd.DataFrame({"segment_id": [coded.id], "tools": ["Talent construction"]})
    import_codings(p, sheet, coder="x")
    yield p, scheme, set(segs["id"])
    p.close()


def test_segmenting_an_old_project_again_keeps_its_segments(old_project):
    p, scheme, before = old_project
    # the old rule left 一、 (or （一）) on its own: the current rule would not
    assert any(t in ("一、", "（一）") for t in p.segments(scheme=scheme)["text"]) or (
        scheme == "clause"
    )
    again = p.segment(scheme)
    assert (again["retired"], again["deleted"], again["new"]) == (0, 0, 0)
    assert set(p.segments(scheme=scheme)["id"]) == before


def test_a_document_added_later_is_segmented_by_the_current_rule(old_project):
    p, scheme, before = old_project
    p.add_documents([_doc("d2")])
    p.segment(scheme)
    segs = p.segments(scheme=scheme)
    assert set(segs.loc[segs["doc_id"] == "d1", "id"]) == before
    added = segs.loc[segs["doc_id"] == "d2", "text"].tolist()
    assert "一、" not in added and "（一）" not in added
    assert any(t.startswith("（一）\n完善分级诊疗") for t in added)
