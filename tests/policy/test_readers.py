import io

import pytest

from ihms.errors import InputError
from ihms.policy.readers import decode_bytes, read_document

from .conftest import EXAMPLES

CORPUS = EXAMPLES / "corpus"
TEXT = "国务院办公厅关于推进分级诊疗制度建设的指导意见\n一、总体要求\n"


@pytest.mark.parametrize(("encoding", "reported"), [("utf-8", "utf-8"), ("gbk", "gbk")])
def test_txt_encoding_is_detected_and_reported(tmp_path, encoding, reported):
    path = tmp_path / "doc.txt"
    path.write_bytes(TEXT.encode(encoding))
    raw = read_document(path)
    assert raw.text == TEXT
    assert raw.encoding == reported
    assert any(reported in n for n in raw.notes)


def test_gb18030_only_characters_are_reported_as_gb18030(tmp_path):
    text = "在䓫萃乡开展巡回医疗。"  # 䓫 (U+44EB) is in GB18030 but not in GBK
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    raw = read_document(path)
    assert (raw.text, raw.encoding) == (text, "gb18030")


def test_example_corpus_has_gbk_and_gb18030_files():
    assert read_document(CORPUS / "2015_浙江省_分级诊疗试点方案.txt").encoding == "gbk"
    assert read_document(CORPUS / "2017_甘肃省_对口支援.txt").encoding == "gb18030"


def test_bom_and_given_encoding():
    assert decode_bytes("\ufeff医联体".encode(), name="x")[1:] == ("utf-8", "bom")
    assert decode_bytes("医联体".encode("gbk"), name="x", encoding="gbk")[2] == "given"
    with pytest.raises(InputError, match="x: cannot decode as 'ascii'"):
        decode_bytes("医联体".encode(), name="x", encoding="ascii")


@pytest.mark.parametrize(
    ("data", "label", "offset"),
    [
        # UTF-8 BOM, "政策", then a lone continuation byte at offset 3 + 6 = 9
        (b"\xef\xbb\xbf" + "政策".encode() + b"\x80abc", "UTF-8", "9"),
        # UTF-16 LE BOM, then an unpaired low surrogate (DC00) at offset 2
        (b"\xff\xfe" + b"\x00\xdc" + "a".encode("utf-16-le"), "UTF-16", "2"),
    ],
)
def test_bom_with_bad_bytes_is_an_input_error(data, label, offset):
    with pytest.raises(InputError) as err:
        decode_bytes(data, name="notice.txt")
    message = str(err.value)
    assert message.startswith(f"notice.txt: starts with a {label} byte-order mark")
    assert f"byte offset {offset} " in message


def test_big5_is_not_mistaken_for_gb18030(tmp_path):
    # Big5 bytes decode as GB18030 without error, into private-use characters; the
    # mess check hands them to charset-normalizer, which reads them as Big5.
    text = "關於印發服務業強市培育發展的若干政策意見的通知。對成功入圍國家級平台的，給予獎勵。"
    data = text.encode("big5")
    assert "\ue000" <= max(data.decode("gb18030")) <= "\uf8ff"  # the trap
    path = tmp_path / "notice.txt"
    path.write_bytes(data)
    raw = read_document(path)
    assert (raw.text, raw.encoding) == (text, "big5")


def test_bytes_that_only_gb18030_accepts_as_garble_are_an_input_error(tmp_path):
    # lead bytes 0xFE / trail 0xA1-0xFE: GB18030's private-use area, no Big5 either
    path = tmp_path / "scan.txt"
    path.write_bytes(bytes([0xFE, 0xA1 + (7 * i) % 94][j] for i in range(300) for j in (0, 1)))
    with pytest.raises(
        InputError, match=r"scan\.txt: the bytes decode as GB18030 only into garbled"
    ):
        read_document(path)


def test_undecodable_bytes_name_file_and_offset(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\x00\x01\x02\xff\xfe\xfd" * 40 + b"\x81")
    with pytest.raises(InputError, match=r"broken\.txt: undecodable bytes.*offset"):
        read_document(path)


def test_docx_writes_out_word_list_numbering_and_skips_tables():
    raw = read_document(CORPUS / "2019_国家卫生健康委_紧密型县域医共体试点.docx")
    lines = raw.text.split("\n")
    # The generator numbered these paragraphs with Word's numbering, not typed labels.
    assert "一、工作目标" in lines
    assert "二、重点任务" in lines
    assert any(ln.startswith("（四）建立信息共享机制") for ln in lines)
    assert "三、工作要求" in lines
    with_table = read_document(CORPUS / "2016_国务院_健康中国行动纲要.docx")
    assert "居民健康素养水平" not in with_table.text
    assert with_table.notes == ("1 table(s) not read: only paragraphs are imported",)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "corrupt.docx"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(InputError, match=r"corrupt\.docx: not a readable \.docx"):
        read_document(path)


def test_pdf_text_layer_read_back():
    raw = read_document(CORPUS / "2017_江苏省_医联体建设实施方案.pdf")
    assert raw.fmt == "pdf" and raw.pages == 2
    assert "苏政办发〔2017〕102号" in raw.text
    assert "\f" in raw.text


def _pdf_bytes(*, with_text: bool) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig = plt.figure(figsize=(3, 3))
    if with_text:
        fig.text(0.1, 0.5, "policy text")
    else:
        fig.figimage(np.random.default_rng(0).random((50, 50)))
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    plt.close(fig)
    return buf.getvalue()


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(with_text=True))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(InputError, match=r"locked\.pdf: the PDF is encrypted"):
        read_document(path)


def test_image_only_pdf(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf_bytes(with_text=False))
    with pytest.raises(InputError, match=r"scan\.pdf: the PDF has no text layer.*OCR"):
        read_document(path)


def test_html_drops_navigation_and_keeps_meta_hints():
    raw = read_document(CORPUS / "2017_国务院办公厅_医联体建设.html")
    assert raw.hints["title"] == "国务院办公厅关于推进医疗联合体建设和发展的指导意见"
    assert raw.hints["date"] == "2017年4月23日"
    assert "首页 | 政务公开" not in raw.text
    assert "var _hmt" not in raw.text
    assert "相关链接" not in raw.text  # inside a <table>


def test_html_article_inside_a_layout_table_is_read(tmp_path):
    # Older county sites lay the whole page out in one <table>; the article is a cell of
    # paragraphs. A data table inside it (short cells, one <p> each, as Word exports) is
    # still dropped and counted in the notes.
    page = (
        "<html><body><table><tr><td><a href='/'>首页</a> | <a>政务公开</a></td></tr>"
        "<tr><td><p>各乡镇卫生院：</p><p>一、建立县乡村一体化管理制度。</p>"
        "<table><tr><td><p>指标</p></td><td><p>2020年</p></td></tr>"
        "<tr><td><p>签约率</p></td><td><p>30%</p></td></tr></table>"
        "<p>二、完善双向转诊制度。</p></td></tr></table></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    raw = read_document(path)
    assert "一、建立县乡村一体化管理制度。" in raw.text.split("\n")
    assert "二、完善双向转诊制度。" in raw.text.split("\n")
    assert "签约率" not in raw.text
    assert any("1 table(s) not read" in n for n in raw.notes)
    # one long cell is a paragraph too
    long = "推进紧密型县域医疗卫生共同体建设，" * 8
    path.write_text(f"<html><body><table><tr><td>{long}</td></tr></table></body></html>", "utf-8")
    assert read_document(path).text == long


def test_html_declared_gb2312(tmp_path):
    raw = read_document(CORPUS / "2016_广东省_远程医疗服务体系.html")
    assert raw.encoding == "gb18030"
    assert any("declared gb2312" in n for n in raw.notes)
    assert "远程医疗" in raw.text


def test_unsupported_and_missing(tmp_path):
    with pytest.raises(InputError, match=r"unsupported file type '\.rtf'"):
        read_document(tmp_path / "a.rtf")
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")


def test_a_broken_pdf_s_pypdf_messages_go_into_the_error_not_on_stderr(tmp_path, capsys):
    # review_policy 8: `policy import --skip-unreadable` printed pypdf's bare "EOF marker
    # not found" on stderr before ihms's own "not retrieved" note
    import logging

    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ngarbage")
    logger = logging.getLogger("pypdf")
    before = (list(logger.handlers), logger.propagate)
    with pytest.raises(InputError, match=r"broken\.pdf: not a readable PDF") as err:
        read_document(path)
    assert "pypdf: EOF marker not found" in str(err.value)
    assert capsys.readouterr().err == ""
    assert (list(logger.handlers), logger.propagate) == before  # pypdf's logger as it was


def test_a_pdf_pypdf_mends_says_so_in_a_note(tmp_path, capsys, monkeypatch):
    # PDFium refuses the file (as it did the damaged ones of the review); pypdf reads it
    # past its wrong cross-reference offset, and what it said is a note of the document
    import re

    from ihms.policy import readers

    def refuse(path):
        raise RuntimeError("Failed to load document (PDFium: Data format error).")

    monkeypatch.setattr(readers, "_pdf_pages_pdfium", refuse)
    path = tmp_path / "bad_xref.pdf"
    path.write_bytes(re.sub(rb"startxref\n\d+", b"startxref\n12", _pdf_bytes(with_text=True)))
    raw = read_document(path)
    assert "policy text" in raw.text
    assert any(
        n.startswith("read by pypdf after PDFium refused it (pypdf: incorrect startxref pointer")
        for n in raw.notes
    )
    assert capsys.readouterr().err == ""
