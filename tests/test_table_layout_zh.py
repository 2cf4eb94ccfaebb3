"""Chinese headers, cells and labels folded by :mod:`ihms._table_layout` only where
Chinese text may break: never before closing punctuation （）， after opening, nor inside
a number and the character it is read with (notes/review_zh33.md finding 5: 总额预算（元
over a lone ）, √1 over 0倍内). English is left as the console wraps it."""

from __future__ import annotations

from rich.cells import cell_len

from ihms._table_layout import fold_header, fold_label, layout


def test_a_header_folds_before_its_bracketed_unit_not_inside_it():
    assert fold_header("总额预算（元）", 12) == "总额预算\n（元）"
    assert fold_header("健康促进强度（0～1）", 14) == "健康促进强度\n（0～1）"
    assert fold_header("同号，√10倍内", 8) == "同号，\n√10倍内"


def test_a_header_that_fits_or_holds_no_chinese_is_as_written():
    assert fold_header("总额预算（元）", 14) == "总额预算（元）"
    assert fold_header("insurance paid (yuan)", 8) == "insurance paid (yuan)"


def test_a_header_with_spaces_folds_at_them_first():
    assert fold_header("95% 置信区间下限", 12) == "95%\n置信区间下限"


def test_a_chinese_label_never_starts_a_line_with_closing_punctuation():
    folded = fold_label("居民住院率（每百居民住院人次） 2016年", 28)
    assert all(line.strip()[0] not in "）)，" for line in folded.splitlines())
    assert "2016年" in folded  # the year and its 年 together


def test_layout_folds_chinese_headers_and_cells_to_their_column():
    header = ["年份", "总额预算（元）", "规则"]
    rows = [["2018", "483,075.07", "同号，√10倍内"]]
    found = layout(header, rows, [True, True, False], 24, short_headers={}, stack_under={}, keys=1)
    for columns, widths in found.blocks:
        for j, w in zip(columns, widths, strict=True):
            assert "\n）" not in found.header[j]
            assert all(cell_len(line) <= w for line in found.header[j].splitlines())
            assert not any(line.endswith("√1") for line in found.rows[0][j].splitlines())


def test_an_indented_header_or_cell_keeps_its_indent_on_every_line_it_folds_into():
    # a category under its dimension (two spaces in) folded: its further lines stay in
    # under the dimension, not back at the column's edge (review zh34 #6)
    assert fold_header("  总额预算（元）", 12) == "  总额预算\n  （元）"
    assert fold_header("  95% 置信区间下限", 14) == "  95%\n  置信区间下限"
    assert fold_header("医保基金\n  总额预算（元）", 12) == "医保基金\n  总额预算\n  （元）"
