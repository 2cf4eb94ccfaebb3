import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.policy.segment import numbering_of, segment_clauses, segment_paragraphs


@pytest.mark.parametrize(
    ("line", "style", "value"),
    [
        ("第三章 保障措施", "chapter", 3),
        ("第二部分 重点任务", "part", 2),
        ("第十一部分", "part", 11),
        ("第三篇 健全支撑与保障", "part", 3),
        ("Part II Main tasks", "part", 2),
        ("第十二条 本办法自印发之日起施行。", "article", 12),
        ("六、完善保障政策", "cn", 6),
        ("（二）推进家庭医生签约服务。", "cn_paren", 2),
        ("(十一)加强宣传。", "cn_paren", 11),
        ("3.统一药品目录。", "arabic", 3),
        ("3、统一药品目录。", "arabic", 3),
        ("（4）派驻医疗队。", "arabic_paren", 4),
        ("②薪酬激励。", "circled", 2),
        ("Article 5 Hospitals shall ...", "article", 5),
        ("II. Main tasks", "roman", 2),
        ("B. Referral", "upper_alpha", 2),
        ("(c) primary care", "lower_alpha", 3),
        ("(iv) nursing", "lower_roman", 4),
        ("2.3 Staffing rules", "dotted", 3),
    ],
)
def test_numbering_styles(line, style, value):
    num = numbering_of(line)
    assert (num.style, num.value) == (style, value)


@pytest.mark.parametrize(
    "line",
    [
        "2017年底前全面启动。",
        "1.5亿元用于建设。",
        "30%以上的县。",
        "一是加强领导。",
        "（一）",
        "附件",
    ],
)
def test_not_numbering(line):
    assert numbering_of(line) is None


DOC = "\n".join(
    [
        "为推进医联体建设，提出如下意见。",
        "一、总体要求",
        "（一）指导思想。坚持以人民健康为中心。",
        "（二）基本原则。",
        "1.政府主导。",
        "2.坚持公益。",
        "二、主要任务",
        "（一）组建城市医疗集团。",
        "（二）组建县域医共体。县乡一体。",
        "（1）统一管理。",
        "①人员统一招聘。",
        "②财务统一核算。",
        "（2）统一药品目录。",
        "补充说明的段落。",
        "三、保障措施。各地要加强领导。",
    ]
)


def test_clause_codes_follow_seed_003():
    segs = segment_clauses("doc", DOC, prefix="00-29")
    codes = [s.code for s in segs]
    assert codes == [
        "00-29-0",
        "00-29-1-1",
        "00-29-1-2",
        "00-29-1-2-1",
        "00-29-1-2-2",
        "00-29-2-1",
        "00-29-2-2",
        "00-29-2-2-1",
        "00-29-2-2-1-1",
        "00-29-2-2-1-2",
        "00-29-2-2-2",
        "00-29-3",
    ]
    by_code = {s.code: s for s in segs}
    assert by_code["00-29-2-2-2"].text == "（2）统一药品目录。\n补充说明的段落。"
    assert by_code["00-29-2-2-1-1"].context == "二、主要任务 > （二）组建县域医共体 > （1）统一管理"
    # Bare headings with children are context, not entries; a heading with text is.
    assert "00-29-1" not in by_code and "00-29-2" not in by_code


def test_single_character_numbers_nest_like_their_spelled_out_forms():
    # ⒈ (U+2488) is 1. and ⑴ (U+2474) is （1）, as Word's numbering and converted PDFs
    # write them; before they were read as text and ran into the clause above.
    text = "二、重点任务\n（一）完善体系。\n⒈组建医共体。\n⑴县级医院牵头。\n⑵乡镇卫生院为成员。\n⒉统一管理。"
    segs = segment_clauses("doc", text, prefix="00-29")
    assert [s.code for s in segs] == [
        "00-29-2-1", "00-29-2-1-1", "00-29-2-1-1-1", "00-29-2-1-1-2", "00-29-2-1-2",
    ]  # fmt: skip
    assert segs[3].text == "⑵乡镇卫生院为成员。"
    assert segs[3].context == "二、重点任务 > （一）完善体系 > ⒈组建医共体"


def test_clauses_in_english_and_articles():
    text = "Chapter 1 General\nArticle 1 This regulation applies.\nArticle 2 Hospitals shall refer.\nChapter 2 Tasks\nArticle 3 Counties shall plan.\n(a) beds;\n(b) staff."
    codes = [s.code for s in segment_clauses("en", text)]
    assert codes == ["1-1", "1-2", "2-3", "2-3-1", "2-3-2"]


def test_repeated_numbers_get_unique_codes():
    text = "一、目标。到2020年。\n一、任务。推进建设。"
    codes = [s.code for s in segment_clauses("d", text)]
    assert codes == ["1", "1.2"]


def test_paragraphs_merge_bare_headings():
    segs = segment_paragraphs("doc", DOC, prefix="31-02")
    assert segs[1].text == "一、总体要求\n（一）指导思想。坚持以人民健康为中心。"
    assert segs[1].code == "31-02-P2"
    assert [s.ordinal for s in segs] == list(range(1, len(segs) + 1))
    assert all(s.scheme == "paragraph" for s in segs)


def test_a_number_alone_on_its_line_is_read_with_the_line_after_it():
    # converted files often leave 一、 / （一） on a line of their own (user review
    # session 22 M6): they became segments of their own, which the machine then coded
    text = "一、\n总体要求\n（一）\n推进家庭医生签约。\n（二） \n完善分级诊疗。\n第一章\n总则"
    paras = [s.text for s in segment_paragraphs("d", text)]
    assert paras == [
        "一、\n总体要求\n（一）\n推进家庭医生签约。",
        "（二）\n完善分级诊疗。",
        "第一章\n总则",
    ]
    clauses = [(s.code, s.context, s.text) for s in segment_clauses("d", text)]
    assert clauses[:2] == [
        ("1-1", "一、总体要求", "（一）\n推进家庭医生签约。"),
        ("1-2", "一、总体要求", "（二）\n完善分级诊疗。"),
    ]
    # two numbers in a row: the first heads the paragraph, as a bare heading does
    assert [s.text for s in segment_paragraphs("d", "一、\n（一）\n签约服务。")] == [
        "一、\n（一）\n签约服务。"
    ]


def test_ids_differ_between_documents_and_schemes():
    a = segment_paragraphs("a", DOC)
    b = segment_paragraphs("b", DOC)
    c = segment_clauses("a", DOC)
    assert not {s.id for s in a} & {s.id for s in b}
    assert all(s.id.startswith("p") for s in a) and all(s.id.startswith("c") for s in c)


paragraph = st.text(alphabet="医联体建设推进基层首诊双向转诊。，", min_size=3, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(paragraph, min_size=2, max_size=12), st.data())
def test_ids_are_stable_under_reimport_and_local_edits(paras, data):
    text = "\n".join(paras)
    first = segment_paragraphs("doc", text, merge_headings=False)
    assert [s.id for s in first] == [
        s.id for s in segment_paragraphs("doc", text, merge_headings=False)
    ]
    assert len({s.id for s in first}) == len(first)  # repeated paragraphs still unique
    # Editing one paragraph changes only that paragraph's id (when it stays unique).
    k = data.draw(st.integers(0, len(paras) - 1))
    edited = list(paras)
    edited[k] = paras[k] + "修订"
    if edited[k] in paras or paras.count(paras[k]) > 1:
        return
    second = segment_paragraphs("doc", "\n".join(edited), merge_headings=False)
    changed = {s.id for s in first} ^ {s.id for s in second}
    assert len(changed) == 2


def test_parts_head_the_clauses_under_them():
    # a plan written in parts (第一部分 总体要求 … 第二部分 重点任务), each numbered 一、…
    # inside; by hand: part 1 › 一、 › （二） is 00-29-1-1-2, part 2 › 二、 is 00-29-2-2,
    # and the part heading is the entries' context, as 一、 is for （一）
    text = "\n".join(
        ["第一部分 总体要求", "一、指导思想", "（一）坚持公益性。", "（二）坚持分级诊疗。",
         "第二部分 重点任务", "一、建设医联体。", "二、推进县域医共体建设。"]
    )  # fmt: skip
    segs = segment_clauses("d", text, prefix="00-29")
    assert [s.code for s in segs] == ["00-29-1-1-1", "00-29-1-1-2", "00-29-2-1", "00-29-2-2"]
    assert segs[1].context == "第一部分总体要求 > 一、指导思想"
    assert segs[3].text == "二、推进县域医共体建设。"
    paras = segment_paragraphs("d", "第二部分\n一、建设医联体，组建医疗集团。")
    assert [p.text for p in paras] == ["第二部分\n一、建设医联体，组建医疗集团。"]
