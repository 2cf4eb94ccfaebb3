"""The console's row cap on :class:`ihms.summary.SummaryTable` (``ihms._table_rows``):
only the rich rendering is cut, to the first and last rows with one row of ``⋮``
between, every column block alike; the widths come from the rows shown; the note is
said in the table's language; ``to_text`` and ``to_html`` keep every row."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from rich.console import Console

from ihms import _table_rows
from ihms.errors import InputError
from ihms.summary import SummaryTable


@pytest.fixture(autouse=True)
def _no_cap_set(monkeypatch):
    monkeypatch.delenv("IHMS_MAX_ROWS", raising=False)
    _table_rows.reset()


def render(table: SummaryTable, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width)
    console.print(table)
    return console.file.getvalue()


def wide(rows: int = 100) -> SummaryTable:
    """A table too wide for 60 columns: split into column blocks led by its unit."""
    frame = pd.DataFrame(
        {f"measure_{k}": [1000.5 * i + k for i in range(rows)] for k in range(6)},
        index=pd.Index([f"unit_{i:03d}" for i in range(rows)], name="unit"),
    )
    return SummaryTable(frame, title="Wide", notes=("A note of the table.",), digits=1)


def units(text: str) -> list[str]:
    return re.findall(r"unit_\d{3}", text)


def test_every_column_block_leaves_out_the_same_rows():
    text = render(wide(), width=60)
    blocks = text.split("Wide (continued)")
    assert len(blocks) >= 2
    kept = [f"unit_{i:03d}" for i in [*range(20), *range(80, 100)]]
    for block in blocks:
        assert units(block) == kept
        lines = block.splitlines()
        at = next(i for i, line in enumerate(lines) if "unit_019" in line)
        assert set(lines[at + 1].replace("│", "").split()) == {"⋮"}
        assert "unit_080" in lines[at + 2]
    flat = " ".join(blocks[-1].split())
    # under the last block, before the table's own notes
    assert flat.endswith(
        "Showing 40 of 100 rows (the first 20 and the last 20). Every row: to_frame() or "
        "to_text(); all of them printed: IHMS_MAX_ROWS=0. A note of the table."
    )


def test_text_and_html_keep_every_row():
    table = wide()
    assert len(units(table.to_text())) == 100
    assert len(units(table.to_html())) == 100
    assert "⋮" not in table.to_text() + table.to_html()


def test_the_widths_come_from_the_rows_shown():
    # a long label in a row left out does not widen the label column
    labels = [f"u{i}" for i in range(100)]
    labels[50] = "a_label_of_sixty_cells_" + "x" * 37
    frame = pd.DataFrame({"n": range(100)}, index=pd.Index(labels, name="unit"))
    text = render(SummaryTable(frame), width=120)
    assert "a_label" not in text
    assert max(len(line) for line in text.splitlines() if "│" in line) < 20
    _table_rows.use_option(0)
    assert "a_label_of_sixty_cells_" + "x" * 37 in render(SummaryTable(frame), width=120)


def test_cells_are_formatted_as_in_the_whole_table():
    # the column's decimals come from every row: 0.5 in a row left out gives 1 decimal
    values = [float(i) for i in range(100)]
    values[50] = 0.5
    frame = pd.DataFrame({"x": values}, index=pd.Index(range(100), name="i"))
    text = render(SummaryTable(frame, digits=1))
    assert re.search(r"^│ 1 +│ +1\.0 │$", text, re.M) and "0.5" not in text


def test_the_note_in_chinese():
    table = SummaryTable(wide().frame, lang="zh")
    flat = " ".join(render(table, width=200).split())
    assert (
        "显示 100 行中的 40 行（前 20 行和后 20 行）。全部行：to_frame() 或 to_text()；"
        "输出全部行：IHMS_MAX_ROWS=0。"
    ) in flat
    _table_rows.use_ways(("--out FILE", "--json"))
    flat = " ".join(render(table, width=200).split())
    assert (
        "全部行：--out FILE 或 --json；输出全部行：ihms --max-rows 0 … 或 IHMS_MAX_ROWS=0。"
    ) in flat


def test_a_short_table_and_a_cap_of_its_length_are_whole(monkeypatch):
    frame = pd.DataFrame({"n": range(61)}, index=pd.Index(range(61), name="i"))
    text = render(SummaryTable(frame.iloc[:60]))  # 60 rows: whole
    assert "⋮" not in text and "Showing" not in text
    text = render(SummaryTable(frame))  # 61: the first and last 20
    assert "Showing 40 of 61 rows (the first 20 and the last 20)." in " ".join(text.split())
    frame = frame.iloc[:40]
    # a cap of 1 still shows the last row, where the table ends (it said "the last 0")
    monkeypatch.setenv("IHMS_MAX_ROWS", "1")
    text = render(SummaryTable(frame))
    lines = [line for line in text.splitlines() if line.startswith("│")]
    assert [line.split()[1] for line in lines] == ["0", "⋮", "39"]
    assert "Showing 2 of 40 rows (the first 1 and the last 1)." in " ".join(text.split())


@pytest.mark.parametrize("value", ["x", "-1", "2.0", " ", "４０"])
def test_a_bad_cap_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("IHMS_MAX_ROWS", value)
    if not value.strip():  # an empty variable is the default
        assert _table_rows.max_rows() == 60
        return
    with pytest.raises(InputError, match=r"IHMS_MAX_ROWS='.*': expected a whole number"):
        _table_rows.max_rows()


def grouped() -> SummaryTable:
    """100 rows: three counties of 30 rows (the shape of a roll-up by dimension), each
    with its outpatient and inpatient groups and their months indented under them, then
    ten counties alone. County C (row 60) has its inpatient group from row 76."""
    labels: list[str] = []
    for county, split in (("A", 15), ("B", 15), ("C", 16)):
        base = len(labels)
        labels += [f"County {county}", "  outpatient"]
        labels += [f"    month {county}{row}" for row in range(base + 2, base + split)]
        labels += ["  inpatient"]
        labels += [f"    month {county}{row}" for row in range(base + split + 1, base + 30)]
    labels += [f"County Z{i}" for i in range(10)]
    frame = pd.DataFrame({"n": range(100)}, index=pd.Index(labels, name="unit"))
    return SummaryTable(frame, title="Grouped")


def labels_shown(text: str) -> list[str]:
    return [line.split("│")[1].rstrip()[1:] for line in text.splitlines() if line[:2] == "│ "]


def test_the_last_rows_show_the_group_rows_they_fall_under():
    # before: after the ⋮ came "month C80" alone, under no group shown: a month of which
    # county, outpatient or inpatient? Its group rows follow the ⋮ now, each with a ⋮
    # where rows between were left out
    table = grouped()
    labels = table.frame.index.tolist()
    assert (labels[60], labels[76], labels[80]) == ("County C", "  inpatient", "    month C80")
    text = render(table)
    shown = labels_shown(text)
    assert shown[:20] == labels[:20]
    assert shown[20:25] == ["⋮", "County C", "⋮", "  inpatient", "⋮"]
    assert shown[25:] == labels[80:]
    flat = " ".join(text.split())
    assert "Showing 42 of 100 rows (the first 20, the last 20 and the 2 group rows of the " in flat
    assert "last). Every row:" in flat
    zh = " ".join(render(SummaryTable(table.frame, lang="zh"), width=200).split())
    assert "显示 100 行中的 42 行（前 20 行、后 20 行及后者所属的 2 个分组行）。" in zh


def test_a_group_row_just_above_the_last_takes_no_second_elision(monkeypatch):
    frame = grouped().frame
    frame = frame.drop(index=frame.index[77:80])  # 97 rows: the last 20 from month C80
    shown = labels_shown(render(SummaryTable(frame)))
    assert shown[20:25] == ["⋮", "County C", "⋮", "  inpatient", "    month C80"]
    text = " ".join(render(SummaryTable(frame, lang="zh")).split())
    assert "显示 97 行中的 42 行" in text
    # one group row: said so; County C is shown on top, its inpatient row after the ⋮
    monkeypatch.setenv("IHMS_MAX_ROWS", "10")  # the first 5 and the last 5
    text = render(SummaryTable(grouped().frame.iloc[60:90]))  # County C alone
    assert labels_shown(text)[5:8] == ["⋮", "  inpatient", "⋮"]
    flat = " ".join(text.split())
    assert "Showing 11 of 30 rows (the first 5, the last 5 and the group row of the last)." in flat


def test_no_group_row_is_added_when_none_was_left_out(monkeypatch):
    monkeypatch.setenv("IHMS_MAX_ROWS", "40")  # the first 20 and the last 20
    frame = grouped().frame
    # the last 20 of 45 begin at month A25, under A's inpatient row 15, shown on top
    shown = labels_shown(render(SummaryTable(frame.iloc[:45])))
    assert shown[20] == "⋮" and shown[21] == "    month A25" and len(shown) == 41
    # the last 20 of 100 begin with a county: nothing above it to show
    monkeypatch.setenv("IHMS_MAX_ROWS", "20")
    flat = " ".join(render(SummaryTable(frame)).split())
    assert "Showing 20 of 100 rows (the first 10 and the last 10)." in flat


def test_a_group_row_that_fills_the_gap_leaves_the_table_whole(monkeypatch):
    # review of session 31, L1: 11 rows under a cap of 10 showed every row, the group
    # row B filling the gap, with no ⋮ but "Showing 11 of 11 rows ... Every row: ..."
    monkeypatch.setenv("IHMS_MAX_ROWS", "10")  # the first 5 and the last 5
    labels = ["A", *(f"  a{i}" for i in range(4)), "B", *(f"  b{i}" for i in range(5))]
    frame = pd.DataFrame({"v": range(11)}, index=pd.Index(labels, name="label"))
    text = render(SummaryTable(frame))
    assert labels_shown(text) == labels
    assert "Showing" not in text and "⋮" not in text
    # the notebook's HTML shows it whole too, without the note (review diff33a F6: it
    # said "Showing 11 of 11 rows (the first 5, the last 5 and the group row …)")
    page = SummaryTable(frame)._repr_html_()
    assert all(f">{label.strip()}<" in page for label in labels)
    assert "Showing" not in page and "⋮" not in page


def test_the_console_and_the_notebook_keep_the_same_rows(monkeypatch):
    monkeypatch.setenv("IHMS_MAX_ROWS", "10")
    table = SummaryTable(grouped().frame.iloc[60:90])  # County C: a group row after the ⋮
    page = table._repr_html_()
    assert "Showing 11 of 30 rows (the first 5, the last 5 and the group row of the last)." in page
    kept = _table_rows.kept_rows(table.frame.index.tolist(), 30, 10)
    assert kept == ([0, 1, 2, 3, 4, 16, *range(25, 30)], (5, 5), 1)
    assert [x for x in labels_shown(render(table)) if x != "⋮"] == [
        table.frame.index[i] for i in kept[0]
    ]
    assert _table_rows.kept_rows(["A", "  a1", "  a2", "B", "  b1", "  b2"], 6, 5) is None
