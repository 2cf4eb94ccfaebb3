"""``ihms._decode``: every reader of people's files decodes them the same way."""

from pathlib import Path

import pandas as pd
import pytest

from ihms._decode import read_csv, read_text
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
