import pytest

from ihms.policy.clean import clean_text, normalize_chars, strip_page_furniture


def test_normalize_chars():
    assert normalize_chars("国 家 卫 生\u3000健康委", join_cjk=True) == "国家卫生健康委"
    assert normalize_chars("到２０２０年\u200b，ＡＢ") == "到2020年，AB"
    assert normalize_chars("a\u00a0b") == "a b"
    assert normalize_chars("a \t b") == "a  b"  # a cell border stays visible


def test_web_boilerplate_is_removed_and_recorded():
    text = "【打印本页】【关闭窗口】\n字号：大 中 小\n当前位置：首页 > 政策\n一、目标。到2020年。\n分享到：微信\n扫一扫在手机打开当前页\n首页 | 政务公开｜办事服务"
    out = clean_text(text)
    assert out.text == "一、目标。到2020年。"
    assert out.removed_by_reason() == {"boilerplate": 6}


def test_page_headers_footers_and_numbers():
    page = "某省医联体方案\n第{n}段正文内容，推进医联体建设。\n— {n} —"
    text = "\f".join(page.format(n=i) for i in range(1, 4))
    out = clean_text(text)
    assert out.text.split("\n") == [f"第{i}段正文内容，推进医联体建设。" for i in range(1, 4)]
    reasons = out.removed_by_reason()
    assert reasons["header/footer"] == 6
    assert "某省医联体方案" not in strip_page_furniture(text)


def test_table_rows_are_dropped_but_single_spaced_lines_kept():
    text = "一、指标如下。\n指标  2020年  2030年\n预期寿命  77.3  79.0\n素养水平  20  30\n二、保障措施。"
    out = clean_text(text)
    assert out.text == "一、指标如下。\n二、保障措施。"
    assert out.removed_by_reason() == {"table": 3}


def test_header_signature_trailer_and_attachments():
    text = "\n".join(
        [
            "国务院办公厅文件",
            "国办发〔2017〕32号",
            "关于推进医联体建设的",
            "指导意见",
            "各省、自治区、直辖市人民政府：",
            "开展医联体建设是重要举措。",
            "一、总体要求。坚持政府主导。",
            "附件：1.试点城市名单",
            "国务院办公厅",
            "2017年4月23日",
            "（此件公开发布）",
            "抄送：各有关部门。",
            "附件1",
            "试点城市名单",
            "北京市、上海市",
        ]
    )
    out = clean_text(text, title="关于推进医联体建设的指导意见")
    assert out.text == "开展医联体建设是重要举措。\n一、总体要求。坚持政府主导。"
    assert out.signature == ("国务院办公厅", "2017年4月23日")
    reasons = out.removed_by_reason()
    assert reasons == {
        "header": 1,
        "document number": 1,
        "title": 2,
        "addressee": 1,
        "attachment": 4,
        "signature": 2,
        "trailer": 2,
    }


def test_keep_signature_when_asked():
    out = clean_text("正文。\n某市人民政府\n2019年1月2日", drop_signature=False)
    assert out.text == "正文。\n某市人民政府\n2019年1月2日"


def test_reflow_joins_pdf_lines_into_paragraphs():
    lines = ["一、推进医疗联合体建设，城市三级医院", "牵头组建医疗集团。", "二、完善保障。"]
    out = clean_text("\n".join(lines), reflow=True, drop_header=False)
    assert out.text == "一、推进医疗联合体建设，城市三级医院牵头组建医疗集团。\n二、完善保障。"


def test_spaces_between_chinese_characters_are_kept_unless_asked_for_pdf_text():
    # user review 20, finding 13: a GBK .txt's "第一条 为推进" was stored as "第一条为推进";
    # a researcher's own file keeps its text. A PDF's text layer spaces out letter-spaced
    # titles ("国 家 卫 生"), so its text is read with join_cjk (the corpus does so)
    text = "第一章 总则\n第一条 为推进紧密型县域医共体建设，制定本章程。"
    assert clean_text(text, drop_header=False).text == text
    joined = clean_text(text, drop_header=False, join_cjk=True).text
    assert joined == "第一章总则\n第一条为推进紧密型县域医共体建设，制定本章程。"
    assert normalize_chars("国 家\u3000卫生") == "国 家 卫生"  # width folded, spaces kept
    assert normalize_chars("a \t b 大  中") == "a  b 大  中"


def test_a_txt_keeps_its_spaces_and_its_clauses_are_still_found(tmp_path):
    from ihms.policy.corpus import import_folder
    from ihms.policy.segment import segment_clauses

    folder = tmp_path / "docs"
    folder.mkdir()
    body = (
        "云溪县县域医疗卫生共同体章程\n云政办〔2021〕3号\n2021年1月10日\n第一章 总则\n"
        "第一条 为推进紧密型县域医共体建设，制定本章程。\n"
        "第二条 医共体由云溪县人民医院牵头，城关镇卫生院等成员单位组成。\n"
        "第二章 管理\n第三条 医共体实行理事会领导下的院长负责制。\n"
    )
    (folder / "2021_云溪县_医共体章程.txt").write_bytes(body.encode("gbk"))
    (doc,) = import_folder(folder).documents
    assert "第一章 总则\n第一条 为推进紧密型县域医共体建设" in doc.text
    # the clause numbering "第一条 " is found with its space: chapter-article codes
    assert [(s.code, s.text) for s in segment_clauses(doc.id, doc.text)] == [
        ("1-1", "第一条 为推进紧密型县域医共体建设，制定本章程。"),
        ("1-2", "第二条 医共体由云溪县人民医院牵头，城关镇卫生院等成员单位组成。"),
        ("2-3", "第三条 医共体实行理事会领导下的院长负责制。"),
    ]


@pytest.mark.parametrize(
    "line",
    ["各医共体，各乡镇卫生院：", "各医共体成员单位：", "各县域医共体：", "各村卫生室："],
)
def test_an_addressee_of_health_bodies_is_removed(line):
    # Review A #13: "各医共体，各乡镇卫生院：" (a county notice's salutation) was kept as
    # a segment and then coded and counted, while the other salutations were removed.
    out = clean_text("\n".join(["云卫〔2023〕15号", line, "一、实行打包支付。"]))
    assert out.text == "一、实行打包支付。"
    assert out.removed_by_reason() == {"document number": 1, "addressee": 1}
