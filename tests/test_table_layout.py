"""A label of one long word — a Chinese category name (no spaces; every character two
cells wide) or a snake_case code — in a console too narrow for it: the table stays one
block, the label folds over lines under its own indent, numbers stay whole."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console

from ihms._table_layout import fold_label
from ihms.summary import SummaryTable

CHINESE = "医疗保险支付方式改革与医保基金总额预算管理制度建设"  # 25 characters, 50 cells
SNAKE = "medical_insurance_payment_reform_and_global_budget"  # 50 characters


def _rich(table: SummaryTable, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(table)
    return console.file.getvalue()


def _agreement_like(label: str) -> SummaryTable:
    """The shape of ``ihms agreement``'s table: a dimension, its categories indented
    under it, eleven figures, the interval and the type stacked in a narrow console."""
    figures = {
        "n": [212, 212, 212],
        "agree": [66.0, 98.1, 98.6],
        "type": ["Cohen", "Cohen", "Cohen"],
        "kappa": [0.652, 0.857, 0.919],
        "95% low": [0.587, 0.718, 0.828],
        "95% high": [0.717, 0.995, 1.0],
        "p": [0.0, 7.1e-36, 4.3e-41],
        "alpha": [0.6521, 0.8573, 0.9194],
        "AC1": [0.658, 0.978, 0.983],
        "PABAK": [0.6581, 0.9621, 0.9721],
    }
    index = pd.Index(["tools", "  ability_building", "  " + label], name="dimension / category")
    return SummaryTable(
        pd.DataFrame(figures, index=index),
        digits=3,
        formats={"agree": "{:.1f}%".format},
        short_headers={"dimension / category": "dimension", "kappa": "κ", "alpha": "α"},
        stack_under={"95% low": "kappa", "95% high": "p", "type": "n", "PABAK": "AC1"},
    )


def _label_lines(shown: str, first: str) -> list[str]:
    """The label column's lines from the one starting with ``first`` to the next row."""
    lines = shown.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    out = [lines[at]]
    for line in lines[at + 1 :]:
        if not line.startswith("    ") or not line.strip():
            break
        out.append(line)
    return out


@pytest.mark.parametrize("label", [CHINESE, SNAKE], ids=["chinese", "snake_case"])
def test_a_long_one_word_label_folds_and_the_table_stays_one_block_at_80_columns(label):
    # the snake_case label split the table into three column blocks; the Chinese one
    # was squeezed to three characters a line, its further lines at the left edge
    shown = _rich(_agreement_like(label), 80)
    assert "(continued)" not in shown and "…" not in shown
    assert max(cell_len(line) for line in shown.splitlines()) <= 80
    for figure in ["212", "66.0%", "0.652", "0.587", "0.717", "0.919", "0.972", "1.000"]:
        assert figure in shown
    lines = _label_lines(shown, "  " + label[:4])
    assert 2 <= len(lines) <= 3  # folded over a line or two, not a character a line
    assert "212" in lines[0]  # the row's figures beside its name's first line
    names = [line[: line.index("  ", 4)] if "  " in line[4:] else line for line in lines]
    # every character in order; the further lines hang under the category's indent
    assert "".join(n.strip() for n in names) == label
    assert all(n.startswith("    ") and not n.startswith("     ") for n in names[1:])


def test_a_wide_console_keeps_the_long_label_on_one_line():
    shown = _rich(_agreement_like(CHINESE), 140)
    assert f"  {CHINESE} " in shown and "(continued)" not in shown


def test_fold_label_counts_chinese_characters_as_two_cells():
    folded = fold_label("  " + CHINESE, 20).split("\n")
    # 2 + 9 × 2 cells, then 2 + 2 + 8 × 2 under it: 9 + 8 + 8 = 25 characters
    assert [cell_len(line) for line in folded] == [20, 20, 20]
    assert folded == ["  " + CHINESE[:9], "    " + CHINESE[9:17], "    " + CHINESE[17:]]
    assert "".join(line.strip() for line in folded) == CHINESE


def test_fold_label_breaks_a_code_after_its_underscores_and_words_at_spaces():
    assert fold_label("  " + SNAKE, 30).split("\n") == [
        "  medical_insurance_payment_",
        "    reform_and_global_budget",
    ]
    assert fold_label("Institutions of a consortium", 16).split("\n") == [
        "Institutions of",
        "  a consortium",
    ]
    assert fold_label("short", 16) == "short"
    # a word with no break character is cut where the line ends
    assert fold_label("abcdefghijklmnopqrstuvwxyz", 10).split("\n") == [
        "abcdefghij",
        "  klmnopqr",
        "  stuvwxyz",
    ]


def test_column_blocks_fold_a_label_too_long_for_a_block_and_cut_no_number():
    # at 50 columns the label (52 cells) left no room: every block's one column was
    # cut ("98." over "6%", "21" over "2")
    shown = _rich(_agreement_like(SNAKE), 50)
    assert shown.count("┏") > 1 and max(cell_len(line) for line in shown.splitlines()) <= 50
    cells = shown.replace("│", " ").split()
    for figure in ["212", "66.0%", "98.6%", "0.652", "0.919", "0.828", "1.000", "0.972"]:
        assert figure in cells


def test_chinese_labels_fold_narrower_rather_than_split_the_table():
    # five money columns leave an indicator's Chinese name 20 cells at 80 columns: less
    # than the 24 a label is first given, so the layout leaving it most is taken (it
    # was split into column blocks when 24 were required)
    names = ["高血压患者规范管理率与血压控制率", "糖尿病患者规范管理率与血糖控制率"]
    frame = pd.DataFrame(
        {f"county {k}": [123_456.78, 234_567.89] for k in range(5)},
        index=pd.Index(names, name="指标"),
    )
    shown = _rich(SummaryTable(frame, title="T"), 80)
    assert "(continued)" not in shown and shown.count("county 4") == 1
    assert max(cell_len(line) for line in shown.splitlines()) <= 80
    lines = shown.splitlines()
    for name in names:
        at = next(i for i, line in enumerate(lines) if line.startswith(name[:5]))
        assert "123,456.78" in lines[at] or "234,567.89" in lines[at]
        assert lines[at + 1].startswith("  ") and not lines[at + 1].startswith("   ")
        assert lines[at].split()[0] + lines[at + 1].split()[0] == name


def test_an_identifier_label_is_not_folded_to_a_few_letters_a_line():
    # with 12 cells left for the label, `ihms indicators compute` printed
    # "cost_per_out / patient_ / visit" on three lines per row (here 17 cells: two);
    # column blocks keep the id whole
    frame = pd.DataFrame(
        {
            "period": ["2016", "2017"],
            "county": ["youxi", "youxi"],
            "numerator": [25_747_119, 4_630_298],
            "denominator": [2_268.0, 81.0],
            "value": [113.52, 571.64],
            "suppressed": ["no", "no"],
        },
        index=pd.Index(["cost_per_outpatient_visit"] * 2, name="indicator"),
    )
    shown = _rich(SummaryTable(frame, title="Indicators"), 80)
    assert shown.count("cost_per_outpatient_visit") >= 4  # whole, in every block
    assert max(cell_len(line) for line in shown.splitlines()) <= 80


def test_labels_that_differ_only_by_spaces_still_differ_when_folded():
    # review13: folding joined the words of a line with one space, so two categories a
    # source system spells "Type  A" and "Type A" (distinct keys of the data) printed as
    # the same label once the console was narrow enough to fold them
    doubled, single = "Type  A of the claims table", "Type A of the claims table"
    assert fold_label(doubled, 12).split("\n") == ["Type  A of", "  the claims", "  table"]
    assert fold_label(single, 12).split("\n") == ["Type A of", "  the claims", "  table"]
    # an ideographic space between Chinese words stays too where no fold falls on it
    # (3 + 2 characters, the space of 2 cells, an ASCII space: 15 cells, then 人 fits)
    assert fold_label("县医院　门诊 人次数统计表合计", 16).split("\n") == [
        "县医院　门诊 人",
        "  次数统计表合计",
    ]
    table = SummaryTable(
        pd.DataFrame({"claims": [12.5, 7.25]}, index=pd.Index([doubled, single], name="type")),
        title="Claims by type",
    )
    shown = _rich(table, 24)
    assert "Type  A of" in shown and "Type A of" in shown


def test_a_label_s_later_word_keeps_whole_on_its_hanging_line():
    # review_policy 8: the three-reviewer screening table at 60 columns printed its stage
    # "full text" as "full / tex / t": the label column went down to its longest word
    # ("title", 5 cells) and "text", hung two cells deeper on a further line, was cut
    frame = pd.DataFrame(
        {
            "documents": [34, 32],
            "recorded": [102, 96],
            "agreement %": [91.2, 96.9],
            "kappa": [0.667, 0.739],
            "AC1": [0.929, 0.977],
            "PABAK": [float("nan")] * 2,
            "conflicts": [3, 1],
            "settled by": ["include-if-any (1), lead (2)", "lead (1)"],
        },
        index=pd.Index(["title", "full text"], name="stage"),
    )
    three = "{:.3f}".format
    table = SummaryTable(
        frame,
        title="Independent screening by 3 reviewers (Fleiss' kappa)",
        formats={"agreement %": "{:.1f}".format, "kappa": three, "AC1": three, "PABAK": three},
    )
    for width in (46, 60):
        shown = _rich(table, width)
        assert max(cell_len(line) for line in shown.replace("…", "").splitlines()) <= width
        labels = [line.split("│")[1].strip() for line in shown.splitlines() if line.startswith("│")]
        assert {"tex", "t", "ext", "xt"}.isdisjoint(labels)
        assert "text" in labels or "full text" in labels


def test_column_blocks_do_not_cut_a_chinese_name_to_a_character_a_line():
    """``ihms indicators list`` at 80 columns (review zh32 F2): an id column of 40 cells
    leaves the blocks little room, and the Chinese name column was given two cells, one
    character a line (门/急/诊/人/次). Column blocks fold a run of Chinese characters
    to no fewer than 12 cells a line."""
    names = ["门急诊人次", "居民基层就诊率（辖区居民门急诊在基层医疗卫生机构的占比）"]
    frame = pd.DataFrame(
        {
            "name": ["Outpatient and emergency visits", "Primary care's share of visits"],
            "名称": names,
            "unit": ["visits", "%"],
            "periods": ["month, year"] * 2,
            "levels": ["total, province, city, county, grid, consortium"] * 2,
        },
        index=pd.Index(
            ["outpatient_emergency_visits", "resident_outpatient_primary_care_share"], name="id"
        ),
    )
    out = _rich(SummaryTable(frame, title="catalogue"))
    assert "门急诊人次" in out  # whole on one line
    widest = max(
        cell_len(cell.strip())
        for line in out.splitlines()
        for cell in line.split("│")
        if any("\u4e00" <= ch <= "\u9fff" for ch in cell)
    )
    assert widest >= 12


def test_a_chinese_note_folds_between_characters_not_only_at_spaces():
    """Under ``policy tables --lang zh`` a note went whole to the next line at its
    first space after a short number ("212 条文本为 31" / "份政策文件的分段…", review
    zh32 L1), and a line could begin with "，". Folded: every line but the last fills
    the width to within one character or a glued punctuation mark, and none begins
    with closing punctuation."""
    note = (
        "n 为政策文本数：212 条文本为 31 份政策文件的分段，各类目的百分比以文本数为分母，"
        "同一文本可属多个类目，故百分比之和可超过 100%。"
    )
    table = SummaryTable(pd.DataFrame({"n": [1]}, index=pd.Index(["a"], name="x")), notes=(note,))
    lines = [line.rstrip() for line in _rich(table, width=40).splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("n 为"))
    folded = lines[start:]
    assert "".join(folded).replace(" ", "") == note.replace(" ", "")
    assert all(cell_len(line) >= 36 for line in folded[:-1]), folded
    assert not any(line[:1] in "，。；：、）" for line in folded)


def test_a_table_without_rows_too_wide_for_one_block_is_laid_out_in_blocks():
    # read-through 33b (older than session 33): the label-folding try took max() of no
    # rows and raised TypeError instead of falling back to column blocks
    from ihms._table_layout import layout

    header = ["a_very_long_label_header_here_x", "b" * 30, "c" * 30]
    found = layout(header, [], [False, True, True], 40, short_headers={}, stack_under={})
    assert [columns for columns, _ in found.blocks] == [[0, 1], [0, 2]]
