import datetime as dt

import pytest

from ihms.policy.extract import (
    extract_metadata,
    issuer_from_doc_number,
    normalize_doc_number,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("国办发〔2017〕32号", "国办发〔2017〕32号"),
        ("国办发[2017] 32 号", "国办发〔2017〕32号"),
        ("浙政办发（2015）088号", "浙政办发〔2015〕88号"),
        ("见 国卫医发【2018】第25号 文", "国卫医发〔2018〕25号"),
        ("无文号", None),
    ],
)
def test_normalize_doc_number(text, number):
    assert normalize_doc_number(text) == number


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2017-04-26", dt.date(2017, 4, 26)),
        ("2017/4/26", dt.date(2017, 4, 26)),
        ("2017年4月26日", dt.date(2017, 4, 26)),
        ("二〇一七年四月二十六日", dt.date(2017, 4, 26)),
        ("20170426", dt.date(2017, 4, 26)),
        ("", None),
    ],
)
def test_parse_date(value, date):
    assert parse_date(value) == date


def test_parse_date_rejects_garbage():
    with pytest.raises(ValueError, match="not a date"):
        parse_date("next spring")


def test_issuer_from_prefix_uses_the_name_of_the_time():
    assert issuer_from_doc_number("国办发〔2017〕32号") == "国务院办公厅"
    assert issuer_from_doc_number("浙政办发〔2015〕88号") == "浙江省人民政府办公厅"
    assert issuer_from_doc_number("沪卫基层〔2020〕21号", year=2020) == "上海市卫生健康委员会"
    assert issuer_from_doc_number("国卫医发〔2017〕58号", year=2017) == "国家卫生和计划生育委员会"
    assert issuer_from_doc_number("某某〔2017〕1号") is None


def test_signature_block_gives_issuers_and_date():
    text = "\n".join(
        [
            "关于推进家庭医生签约服务的",
            "指导意见",
            "国卫基层发〔2016〕12号",
            "各省卫生计生委：",
            "一、主要目标。到2017年覆盖率达到60%。",
            "国家卫生计生委",
            "国务院医改办",
            "二〇一六年五月二十五日",
            "（此件公开发布）",
        ]
    )
    found = extract_metadata(text)
    assert found.title == "关于推进家庭医生签约服务的指导意见"
    assert found.doc_number == "国卫基层发〔2016〕12号"
    assert found.date == dt.date(2016, 5, 25)
    assert found.issuer == "国家卫生计生委、国务院医改办"
    assert found.source_of("issuer") == "signature"
    assert found.source_of("date") == "signature"


def test_labelled_web_page_fields():
    text = "标题：某市关于加强社区卫生服务的通知\n发文机关：某市卫生健康委员会\n发布日期：2019-03-01\n正文内容。"
    found = extract_metadata(text)
    assert found.title == "某市关于加强社区卫生服务的通知"
    assert found.issuer == "某市卫生健康委员会"
    assert found.date == dt.date(2019, 3, 1)


def test_issuer_falls_back_to_document_number_prefix():
    found = extract_metadata("浙江省分级诊疗试点工作方案\n浙政办发〔2015〕88号\n一、目标。试点。")
    assert found.issuer == "浙江省人民政府办公厅"
    assert found.source_of("issuer") == "document number prefix"


def test_example_documents(example_docs):
    # The example sheet leaves these to the text (see examples/policies/source).
    d = example_docs["N03"]
    assert d.doc_number == "国卫基层发〔2016〕12号"
    assert d.source_of("doc_number").startswith("text")
    assert d.issuer == "国家卫生计生委、国务院医改办"
    pdf = example_docs["P04"]
    assert pdf.title == "江苏省人民政府办公厅关于印发江苏省医疗联合体建设实施方案的通知"
    assert pdf.date == dt.date(2017, 9, 28)
    assert example_docs["E01"].title == "《关于推进医疗联合体建设和发展的指导意见》政策解读"
    assert example_docs["N06"].title.startswith("国家卫生计生委关于")  # spaced-out web title


def test_two_issuers_a_space_apart_in_a_typed_signature_are_two(tmp_path):
    """A joint notice typed in Word or as text signs with both bodies on one line, a
    space between them; only a PDF's text layer has its CJK spaces joined (letters it
    spaced out), so the two bodies stay two, joined as signature lines are."""
    from ihms.policy.corpus import load_document

    body = "关于做好2020年医疗保障工作的通知\n各设区市卫生健康委：\n一、加强管理。\n"
    path = tmp_path / "joint.txt"
    path.write_text(body + "福建省卫生健康委员会 福建省医疗保障局\n2020年3月5日\n", "utf-8")
    doc = load_document(path, doc_id="J1", rel="joint.txt")
    assert doc.issuer == "福建省卫生健康委员会、福建省医疗保障局"
    assert doc.date == dt.date(2020, 3, 5)
    labelled = tmp_path / "labelled.txt"
    labelled.write_text(
        "标题：关于做好2020年医疗保障工作的通知\n发文机关：福建省卫生健康委员会 福建省医疗保障局\n"
        "一、加强管理。\n",
        "utf-8",
    )
    doc = load_document(labelled, doc_id="J2", rel="labelled.txt")
    assert doc.issuer == "福建省卫生健康委员会、福建省医疗保障局"


def test_a_typed_title_or_issuer_spaced_out_is_still_read_whole(tmp_path):
    from ihms.policy.corpus import load_document

    path = tmp_path / "spaced.txt"
    path.write_text(
        "关 于 做 好 医 疗 保 障 工 作 的 通 知\n一、加强管理。\n福 建 省 医 疗 保 障 局\n"
        "2020年3月5日\n",
        "utf-8",
    )
    doc = load_document(path, doc_id="S1", rel="spaced.txt")
    assert doc.title == "关于做好医疗保障工作的通知"
    assert doc.issuer == "福建省医疗保障局"


def test_a_space_in_an_issuers_own_name_is_no_second_issuer():
    found = extract_metadata("通知\n正文。\n国家卫生健康委 办公厅\n2020年3月5日\n")
    assert found.issuer == "国家卫生健康委办公厅"


@pytest.mark.parametrize(
    ("signed", "issuer"),
    [
        # review 21b #7: a body's own department written after a space was a second issuer
        ("国家卫生健康委 医政医管局", "国家卫生健康委医政医管局"),
        ("中共三明市委 组织部", "中共三明市委组织部"),
        # bodies that name their own jurisdiction, or ministries, stay apart
        ("国家卫生健康委 国家医保局", "国家卫生健康委、国家医保局"),
        ("国家卫生健康委 财政部", "国家卫生健康委、财政部"),
        ("三明市卫生健康委 三明市医疗保障局", "三明市卫生健康委、三明市医疗保障局"),
    ],
)
def test_a_department_after_a_space_stays_with_its_body(signed, issuer):
    found = extract_metadata(f"通知\n正文。\n{signed}\n2020年3月5日\n")
    assert found.issuer == issuer
