"""``ihms._decode``: every reader of people's files decodes them the same way."""

from pathlib import Path

import pandas as pd
import pytest

from ihms._decode import decode_bytes, read_csv, read_text
from ihms.errors import InputError
from ihms.payment import builtin_rules_text, load_rules
from ihms.system import load_system

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
YAML = "name: 县医共体\nitems: [乡镇卫生院, 村卫生室]\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_read_text_decodes_what_chinese_editors_save(tmp_path, encoding):
    path = tmp_path / "x.yaml"
    path.write_bytes(YAML.encode(encoding))
    assert read_text(path) == YAML


def test_read_text_refuses_folders_databases_and_binary(tmp_path):
    with pytest.raises(InputError, match="it is a folder"):
        read_text(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "absent.yaml")
    db = tmp_path / "study.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(InputError, match=r"study\.sqlite: is a SQLite database"):
        read_text(db)
    blob = tmp_path / "blob.yaml"
    blob.write_bytes(bytes(range(0, 32)) * 20)
    with pytest.raises(InputError, match=r"blob\.yaml"):
        read_text(blob)


def test_a_row_with_an_extra_cell_is_named_not_shifted(tmp_path):
    # pandas would take the first column as an index and shift every column left
    path = tmp_path / "t.csv"
    path.write_text("year,level,amount\n2018,county,5,x\n2019,county,6\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.csv row 2: 4 cells, but the header has 3 columns"):
        read_csv(path)
    path.write_bytes("年份,层级\n2018,县级,多余\n".encode("gbk"))
    with pytest.raises(InputError, match="row 2: 3 cells"):
        read_csv(path)
    path.write_text("year,level\n2018,county\n2019,county,7\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.csv row 3: 3 cells, but the header has 2"):
        read_csv(path)
    path.write_text("year,level\n2018,county\n", encoding="utf-8")
    assert read_csv(path).columns.tolist() == ["year", "level"]
    assert isinstance(read_csv(path).index, pd.RangeIndex)


def test_yaml_configs_saved_as_gbk_load(tmp_path):
    county = tmp_path / "county.yaml"
    county.write_bytes((EXAMPLES / "youxi.yaml").read_text(encoding="utf-8").encode("gbk"))
    assert load_system(county).name == load_system(EXAMPLES / "youxi.yaml").name
    rules = tmp_path / "rules.yaml"
    rules.write_bytes(builtin_rules_text("sanming").encode("gbk"))
    assert load_rules(rules) == load_rules("sanming")


def _sparse_table(word: str, rows: int = 200, every: int = 10) -> str:
    """An encounters-like CSV table whose Chinese is one word in every tenth row: the
    rest (ids, dates, amounts) is ASCII, as in a real export."""
    lines = ["encounter_id,resident_id,institution_id,date,type,diagnosis_group,cost_yuan"]
    lines += [
        f"V{i:04d},R{i},YX-CH01,2016-03-01,outpatient,{word if i % every == 0 else 'J06'},120.50"
        for i in range(rows)
    ]
    return "\n".join(lines) + "\n"


# Traditional-character words as a Taiwanese or Hong Kong system writes them
BIG5_WORDS = ["高血壓", "糖尿病", "骨折", "鄉鎮衛生院", "縣醫院", "冠狀動脈心臟病", "張家豪"]


@pytest.mark.parametrize("word", BIG5_WORDS)
def test_a_mostly_ascii_big5_table_is_read_as_big5(tmp_path, word):
    text = _sparse_table(word)
    data = text.encode("big5")
    assert decode_bytes(data, name="encounters.csv")[:2] == (text, "big5")
    path = tmp_path / "encounters.csv"
    path.write_bytes(data)
    assert word in set(read_csv(path, dtype=str)["diagnosis_group"])


def test_the_big5_trap_gbk_reads_the_bytes_without_error():
    # the reviewer's file: Python's GBK codec turns Big5 高血壓 into 蔼﹀溃 without error,
    # and over a mostly-ASCII table charset-normalizer's mess ratio stayed low
    data = _sparse_table("高血壓").encode("big5")
    assert "蔼﹀溃" in data.decode("gbk")
    text, encoding, how = decode_bytes(data, name="encounters.csv")
    assert (encoding, how) == ("big5", "common characters")
    assert "蔼" not in text


@pytest.mark.parametrize(
    "word",
    # simplified words, names with GB2312 level-2 characters (婷 萱 昊), an en dash
    ["高血压", "糖尿病", "上呼吸道感染", "乡镇卫生院", "县医院", "李婷", "王萱–张昊", "骨折"],
)
def test_a_mostly_ascii_gbk_table_stays_gbk(tmp_path, word):
    text = _sparse_table(word)
    assert decode_bytes(text.encode("gbk"), name="x")[:3] == (text, "gbk", "strict")
    assert decode_bytes(text.encode("gb18030"), name="x")[0] == text


def test_latin1_is_refused_not_stored_as_garble(tmp_path):
    # Latin-1 ü + l (FC 6C) is a GBK extension character and Ærø reads as CP1250's Ćrř:
    # ihms cannot tell which single-byte code page a file is in, so it asks
    text = _sparse_table("Ærø Müller")
    path = tmp_path / "encounters.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_csv(path, dtype=str)
    message = str(err.value)
    assert message.startswith(f"{path}: not UTF-8 or a Chinese encoding (GBK, GB18030, Big5)")
    assert "--encoding latin-1" in message
    frame = read_csv(path, dtype=str, encoding="latin-1")
    assert "Ærø Müller" in set(frame["diagnosis_group"])


def test_garbled_gbk_that_is_not_big5_names_the_characters_and_the_option():
    # GBK's extension characters 丂丅丏丗 (lead bytes 0x81-0xA0, which Big5 never uses):
    # GBK reads them, but no Chinese table is made of them; a file that truly is so is
    # read with --encoding gbk
    rare = "丂丅丏丗"
    assert all(0x81 <= ch.encode("gbk")[0] <= 0xA0 for ch in rare)
    data = _sparse_table(rare).encode("gbk")
    with pytest.raises(InputError) as err:
        decode_bytes(data, name="t.csv")
    assert str(err.value).startswith(
        "t.csv: the bytes decode as GBK only into garbled text (100% of its non-ASCII "
        "characters are ones Chinese text rarely uses, e.g. 丂丅丏丗)"
    )
    assert "--encoding big5" in str(err.value)
    assert "--encoding gbk if it is GBK after all" in str(err.value)
    assert decode_bytes(data, name="t.csv", encoding="gbk")[0] == _sparse_table(rare)


def test_utf16_without_a_byte_order_mark_is_still_read():
    text = "编号,名称\n1,高血压\n2,abc\n" * 3
    for encoding in ("utf-16-le", "utf-16-be"):
        decoded, _, how = decode_bytes(text.encode(encoding), name="x")
        assert (decoded, how) == (text, "charset-normalizer")


def test_gbk_bytes_that_are_also_valid_utf8_are_refused_not_read_as_latin():
    # GBK's 女 is C5 AE, which UTF-8 reads as Ů: a residents file whose only Chinese
    # cell was 女 was read as "Ů" and stored so in any free-text column
    from ihms._decode import decode_bytes
    from ihms.errors import InputError

    data = "resident_id,sex,note\n1,F,女\n".encode("gbk")
    assert data.decode("utf-8").endswith("Ů\n")
    with pytest.raises(
        InputError, match=r"t\.csv: the bytes read both as UTF-8 \('Ů'\) and as GBK \('女'\)"
    ):
        decode_bytes(data, name="t.csv")
    assert decode_bytes(data, name="t.csv", encoding="gbk")[0].endswith("女\n")
    # Chinese text in UTF-8, Latin words in UTF-8, and GBK that is no UTF-8 read as before
    assert decode_bytes("a\n女\n".encode(), name="t.csv")[1] == "utf-8"
    assert decode_bytes("city\nZürich\n".encode(), name="t.csv")[1] == "utf-8"
    assert decode_bytes("a\n女\n男\n".encode("gbk"), name="t.csv")[1] == "gbk"


def test_header_names_lose_their_outer_blanks_as_an_xlsx_headers_do(tmp_path):
    # "year, value" named a column " value" that no --value-col found, while the same
    # header in an .xlsx (ihms._sheets) was trimmed; Stata's import delimited trims too
    path = tmp_path / "t.csv"
    path.write_text("year, value ,\u3000单位\u3000\n2019,1,人次\n", encoding="utf-8")
    assert list(read_csv(path, dtype=str).columns) == ["year", "value", "单位"]
    # trimmed, two names that differed only by blanks are one name given twice
    path.write_text("year,value, value\n2019,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"columns 2 and 3 are both named 'value'"):
        read_csv(path, dtype=str)


def test_an_empty_line_is_a_row_of_blanks_so_rows_keep_the_files_numbers(tmp_path):
    # pandas skips empty lines by default: each one would number the rows below it one
    # too early in every message of a reader that numbers rows by position
    path = tmp_path / "t.csv"
    path.write_text("year,level\n2018,county\n\n2019,county\n", encoding="utf-8")
    frame = read_csv(path, dtype=str, keep_default_na=False)
    assert frame.to_numpy().tolist() == [["2018", "county"], ["", ""], ["2019", "county"]]


def test_a_long_row_below_a_title_and_an_empty_line_names_the_files_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2019年门诊量,,\nyear,level,n\n2018,county,1\n\n2019,county,2,9\n", "utf-8")
    with pytest.raises(InputError, match=r"t\.csv row 5: 4 cells, but the header has 3 columns"):
        read_csv(path, name="t.csv", titles="skip")
    path.write_text("2019年门诊量,,\nyear,level,n\n2018,county,1,9\n", "utf-8")
    with pytest.raises(InputError, match=r"row 3: 4 cells, but the header has 3 columns \(year, "):
        read_csv(path, name="t.csv", titles="skip")


@pytest.mark.parametrize("empty_lines", [2, 3])
def test_empty_lines_above_the_header_are_left_out_as_one_is(tmp_path, empty_lines):
    # review 22a M4: pandas raises EmptyDataError ("No columns to parse from file") on a
    # CSV starting with two truly empty lines; lines of commas and one empty line worked
    path = tmp_path / "t.csv"
    path.write_text("\n" * empty_lines + "id,stage\nD09,title\n", encoding="utf-8")
    frame = read_csv(path, name="t.csv", dtype=str, titles="skip", blank_above=True)
    assert list(frame.columns) == ["id", "stage"] and frame["id"].tolist() == ["D09"]
    assert frame.attrs["title_lines"] == empty_lines
