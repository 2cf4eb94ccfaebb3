"""Paragraphs holding nothing but a clause number (一、 or （一） on a line of their own, as
converted files leave them) are not coded by the machine (user review M, MEDIUM 6): they
are left for a person and counted."""

import pytest

from ihms.policy.autocode import apply_to_project, train_on_project
from ihms.policy.corpus import load_document

from ._content_project import build


@pytest.fixture
def project(tmp_path):
    p = build(tmp_path / "p.sqlite")
    trained = train_on_project(p, "actors")
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "东湖县人民政府关于医共体的通知\n一、\n（一）\n建立医共体理事会，理事会审议章程和年度预算。\n",
        encoding="utf-8",
    )
    p.add_documents([load_document(extra, doc_id="d99", rel="extra.txt")])
    p.segment("paragraph")
    yield p, trained
    p.close()


def test_numbering_only_segments_are_left_for_a_person(project):
    p, trained = project
    segs = p.segments(scheme="paragraph")
    bare = set(segs.loc[segs["text"].isin(["一、", "（一）"]), "id"])
    assert len(bare) == 2
    result = apply_to_project(p, trained)
    assert not bare & set(result.answered)
    assert result.n_segments == len(segs) - 2 and result.n_abstained == 2
    assert any("2 segments hold only a clause number" in n for n in result.summary().notes)
