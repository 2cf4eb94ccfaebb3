import shutil

import pytest

from ihms.errors import DataError, InputError
from ihms.policy.corpus import import_folder

from .conftest import EXAMPLES


def test_example_corpus_imports_every_format(example_corpus, example_docs):
    assert len(example_corpus.documents) == 36
    formats = {d.fmt for d in example_corpus.documents}
    assert formats == {"txt", "docx", "pdf", "html"}
    assert example_docs["P01"].encoding == "gbk"
    assert example_docs["P07"].encoding == "gb18030"
    assert example_docs["N02"].encoding == "utf-8"
    # The sheet's Chinese headers map onto fields; the sheet wins over the text.
    n04 = example_docs["N04"]
    assert n04.issuer == "中共中央 国务院"
    assert n04.source_of("issuer") == "sheet"
    assert n04.level == "国家级" and n04.source == "中国政府网"
    assert example_docs["P03"].source_url.startswith("http://")
    # one line, not every document's text (the generated repr: about 41,000 characters)
    text = repr(example_corpus)
    assert text.startswith("<CorpusImport: folder=") and "documents=36" in text
    assert "failures=0, tables='skip'>" in text and len(text) < 200


def test_cleaned_text_keeps_only_the_body(example_docs):
    n06 = example_docs["N06"]  # a web copy with print/close links and sharing buttons
    assert n06.text.startswith("为指导各地做好医疗联合体综合绩效考核工作")
    assert "打印本页" not in n06.text and "扫一扫" not in n06.text
    assert n06.signature == ("国家卫生计生委", "2017年12月14日")
    assert "江苏省医疗联合体建设实施方案\n" not in example_docs["P04"].text


def test_frame(example_corpus):
    frame = example_corpus.to_frame()
    assert list(frame.columns[:4]) == ["id", "file", "format", "encoding"]
    assert len(frame) == 36


def _small_folder(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("2015_浙江省_分级诊疗试点方案.txt", "2016_三明市_医保基金打包支付.txt"):
        shutil.copy(EXAMPLES / "corpus" / name, folder / name)
    return folder


def test_metadata_row_matching_no_file_names_row(tmp_path):
    folder = _small_folder(tmp_path)
    sheet = tmp_path / "meta.csv"
    sheet.write_text(
        "文件名,标题,发布日期\n"
        "2015_浙江省_分级诊疗试点方案.txt,浙江省方案,2015-11-20\n"
        "不存在的文件.txt,缺失,2016-01-01\n"
        "2016_三明市_医保基金打包支付.txt,三明方案,下个月\n",
        encoding="gbk",
    )
    with pytest.raises(DataError) as err:
        import_folder(folder, metadata=sheet)
    problems = err.value.problems
    assert any("column '发布日期' of meta.csv row 4" in p and "'下个月'" in p for p in problems)
    assert len(problems) == 1  # the sheet is validated before files are matched
    sheet.write_text("文件名,标题\n不存在的文件.txt,缺失\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"row 2 of meta\.csv: file '不存在的文件\.txt' matches no document"
    ):
        import_folder(folder, metadata=sheet)


def test_unreadable_files_raise_together_or_are_skipped(tmp_path):
    folder = _small_folder(tmp_path)
    (folder / "bad.docx").write_bytes(b"not a zip")
    (folder / "bad.txt").write_bytes(b"\x81\x00\xff\xfe" * 100)
    with pytest.raises(DataError) as err:
        import_folder(folder)
    assert len(err.value.problems) == 2
    assert any("bad.docx" in p for p in err.value.problems)
    result = import_folder(folder, on_error="skip")
    assert len(result.documents) == 2
    assert sorted(f.file for f in result.failures) == ["bad.docx", "bad.txt"]


def test_files_of_other_types_are_named_and_old_word_files_get_a_hint(tmp_path):
    folder = _small_folder(tmp_path)
    (folder / "附件1.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # an OLE2 (Word 97-2003) header
    (folder / "统计表.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = import_folder(folder)
    assert len(result.documents) == 2
    (note,) = result.notes
    assert "skipped 2 files with an unsupported extension: 统计表.xls, 附件1.doc" in note
    assert "(.doc files: save them as .docx from Word or WPS, then import again)" in note
    (folder / "附件1.doc").unlink()
    assert "save them as .docx" not in import_folder(folder).notes[0]


def test_a_document_without_text_is_kept_and_named_in_a_note(tmp_path):
    folder = _small_folder(tmp_path)
    (folder / "空白通知.txt").write_text("  \n\n", encoding="utf-8")
    result = import_folder(folder)
    assert len(result.documents) == 3  # kept: it was found, so PRISMA counts it
    assert any(n.startswith("1 document(s) have no text (空白通知.txt)") for n in result.notes)


def test_bad_arguments(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        import_folder(tmp_path / "nope")
    with pytest.raises(InputError, match="on_error"):
        import_folder(tmp_path, on_error="ignore")


def test_parallel_import_matches_serial(tmp_path):
    folder = _small_folder(tmp_path)
    serial = import_folder(folder, workers=1)
    parallel = import_folder(folder, workers=2)
    assert serial.documents == parallel.documents


def test_sheet_columns_ihms_does_not_read_are_named_with_the_one_probably_meant(tmp_path):
    # Walk 17: a sheet whose 发布日期 was typed 发布日起 imported without a word: the
    # column was kept as extra metadata and every date came from the texts instead
    folder = _small_folder(tmp_path)
    sheet = tmp_path / "meta.csv"
    sheet.write_text(
        "文件名,标题,发布日起,备注\n"
        "2015_浙江省_分级诊疗试点方案.txt,浙江省方案,2015-11-20,\n"
        "2016_三明市_医保基金打包支付.txt,三明方案,2016-01-08,待核\n",
        encoding="gbk",
    )
    result = import_folder(folder, metadata=sheet)
    assert (
        "meta.csv: column(s) '发布日起', '备注' are not fields ihms reads (kept as extra "
        "metadata); '发布日起' — did you mean '发布日期'?"
    ) in result.notes
