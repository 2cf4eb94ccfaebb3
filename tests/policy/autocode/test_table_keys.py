"""A segment table's own keys and labels: the ``id`` column a researcher keys their
spreadsheet by, and label cells spelt in several ways (``read_segment_table``,
``ihms policy autocode table``)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.policy.autocode.table import read_segment_table

from .conftest import make_corpus

runner = CliRunner()
TABLE = ["policy", "autocode", "table"]


def flat(text: str) -> str:
    return " ".join(text.split())


def _sheet(tmp_path, name="sheet.xlsx", **columns) -> tuple[pd.DataFrame, object]:
    """The test corpus as a coder's workbook: Chinese headers, whole-number ids."""
    frame = make_corpus(n_docs=6)[["doc", "text", "label"]]
    frame = frame.rename(columns={"doc": "文件", "text": "句子", "label": "类型"})
    frame.insert(0, "编号", range(1001, 1001 + len(frame)))
    for column, values in columns.items():
        frame[column] = values
    path = tmp_path / name
    frame.to_excel(path, index=False)
    return frame, path


ZH = ["--text", "句子", "--doc", "文件", "--label", "类型"]


def test_repeated_and_missing_ids_are_refused_with_every_row_named(tmp_path):
    frame = make_corpus(n_docs=2)[["id", "doc", "text", "label"]]
    frame.loc[[4, 9], "id"] = frame.loc[1, "id"]  # a row pasted in three times
    frame.loc[7, "id"] = frame.loc[6, "id"]
    frame.loc[12, "id"] = " "
    path = tmp_path / "keys.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    with pytest.raises(DataError) as err:
        read_segment_table(path, label="label")
    # spreadsheet rows: the header is row 1, so frame row i is row i + 2
    assert err.value.problems == [
        "keys.csv column 'id': 'doc01-1' on rows 3, 6 and 11",
        "keys.csv column 'id': 'doc01-6' on rows 8 and 9",
        "keys.csv row 14, column 'id': empty id",
    ]
    assert str(err.value).startswith(
        "keys.csv: column 'id' must name each row once (the key back to your table): "
        "2 id(s) repeated, 1 row(s) without one; nothing was read"
    )
    result = runner.invoke(
        app, [*TABLE, "train", str(path), "--label", "label", "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 2
    assert "'doc01-1' on rows 3, 6 and 11" in flat(result.output)
    assert not (tmp_path / "m").exists()


def test_the_id_column_is_the_segments_ids_and_can_be_named(tmp_path):
    frame, path = _sheet(tmp_path)
    table = read_segment_table(path, text="句子", doc="文件", label="类型", id="编号")
    assert table.segments["id"].tolist() == [str(i) for i in frame["编号"]]
    # without a column of that name, rows are numbered as before
    assert read_segment_table(path, text="句子", doc="文件").segments["id"].iloc[0] == "r0"
    frame.loc[5, "编号"] = 1001
    frame.to_excel(path, index=False)
    with pytest.raises(DataError, match="column '编号' must name each row once") as err:
        read_segment_table(path, text="句子", doc="文件", id="编号")
    assert err.value.problems == ["sheet.xlsx column '编号': '1001' on rows 2 and 7"]
    result = runner.invoke(app, [*TABLE, "train", str(path), *ZH, "--id", "编码",
                                 "--out", str(tmp_path / "m")])  # fmt: skip
    assert result.exit_code == 2
    assert "--id: sheet.xlsx has no column '编码'" in flat(result.output)


def test_apply_writes_the_users_ids_back_as_they_were(tmp_path):
    frame, train = _sheet(tmp_path, "train.xlsx")
    model = tmp_path / "model"
    result = runner.invoke(app, [*TABLE, "train", str(train), *ZH, "--id", "编号",
                                 "--out", str(model)])  # fmt: skip
    assert result.exit_code == 0, result.output
    # a workbook's whole-number ids stay numbers a VLOOKUP on the user's sheet finds
    out = tmp_path / "coded.xlsx"
    result = runner.invoke(app, [*TABLE, "apply", str(train), "--model", str(model),
                                 "--text", "句子", "--doc", "文件", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]][:4] == ["编号", "文件", "句子", "类型"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == frame["编号"].tolist()
    # a CSV's ids are text, leading zeros and all, and stay so
    csv = tmp_path / "keys.csv"
    frame.assign(编号=[f"{i:05d}" for i in range(len(frame))]).to_csv(
        csv, index=False, encoding="gbk"
    )
    out = tmp_path / "coded.csv"
    result = runner.invoke(app, [*TABLE, "apply", str(csv), "--model", str(model),
                                 "--text", "句子", "--doc", "文件", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert written["编号"].tolist()[:3] == ["00000", "00001", "00002"]
