"""Paragraphs holding nothing but clause numbers (一、 or （一） on a line of their own, as
converted files leave them) are not coded by the machine (user review M, MEDIUM 6): they
are left for a person and counted.

Segmentation reads a lone number with the line after it (main, b723e7d), so such
segments are left where a document ends in numbers: one number alone, or two (the first
heads the numbered line after it, `ihms.policy.segment`), or in a project segmented
before that rule."""

import pytest

from ihms.policy.autocode import apply_to_project, train_on_project
from ihms.policy.autocode._segments import numbering_only
from ihms.policy.corpus import load_document

from ._content_project import build


@pytest.fixture
def project(tmp_path):
    p = build(tmp_path / "p.sqlite")
    trained = train_on_project(p, "actors")
    texts = {
        "d98": "东湖县人民政府关于医共体的通知\n一、\n（一）\n建立医共体理事会，理事会审议章程。\n二、\n",
        "d99": "南岭县卫生健康局通知\n县级医院每年选派医师下沉到乡镇卫生院坐诊。\n三、\n（一）\n",
    }
    for doc, text in texts.items():
        path = tmp_path / f"{doc}.txt"
        path.write_text(text, encoding="utf-8")
        p.add_documents([load_document(path, doc_id=doc, rel=path.name)])
    p.segment("paragraph")
    yield p, trained
    p.close()


def test_several_clause_numbers_and_nothing_else_are_numbering_only():
    got = numbering_only(
        ["二、", "三、\n（一）", "（一）1.", "一、\n（一）\n建立医共体理事会", "第三条"]
    )
    assert got.tolist() == [True, True, True, False, True]


def test_numbering_only_segments_are_left_for_a_person(project):
    p, trained = project
    segs = p.segments(scheme="paragraph")
    bare = set(segs.loc[segs["text"].isin(["二、", "三、\n（一）"]), "id"])
    assert len(bare) == 2
    result = apply_to_project(p, trained)
    assert not bare & set(result.answered)
    assert result.n_segments == len(segs) - 2 and result.n_abstained == 2
    assert any("2 segments hold only a clause number" in n for n in result.summary().notes)
