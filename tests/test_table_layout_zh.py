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


def test_long_chinese_row_labels_fold_before_the_interval_is_stacked():
    # its fit --lang zh at 80 columns (review zh34 #2): labels up to 36 cells, seven
    # columns; folded where Chinese text may, the table stays side by side instead of
    # putting the interval under the coefficient
    header = ["变量", "系数", "标准误", "t 值", "P 值", "95%CI 下限", "95%CI 上限"]
    rows = [
        ["时间趋势（_t）", "-0.5478", "0.2941", "-1.8623", "0.063", "-1.1248", "0.0293"],
        ["组间干预后斜率变化差值（_z_x_t1989）", "-0.9911", "0.6658", "-1.4888", "0.137",
         "-2.2973", "0.3150"],
        ["截距（_cons）", "135.4995", "3.5539", "38.1268", "<0.001", "128.5269", "142.4720"],
    ]  # fmt: skip
    under = {"95%CI 下限": "系数", "95%CI 上限": "标准误"}
    numeric = [False, *[True] * 6]
    found = layout(header, rows, numeric, 80, short_headers={}, stack_under=under)
    assert found.header == header and len(found.blocks) == 1  # nothing stacked or split
    widths = found.blocks[0][1]
    assert sum(widths) + 2 * (len(widths) - 1) <= 80
    label = fold_label(rows[1][0], widths[0]).splitlines()
    assert len(label) > 1 and label[-1].strip().endswith("（_z_x_t1989）")
    assert all(not line.strip().startswith("）") for line in label)
    # labels that would fold below 12 cells a line are not folded: the table stacks
    narrow = layout(header, rows, numeric, 64, short_headers={}, stack_under=under)
    assert "\n" in narrow.header[1]  # 95%CI 下限 under 系数


def test_a_chinese_label_folds_before_its_term_and_never_inside_it():
    # review 34b #4: its fit --lang zh's labels (cigsales at 80, the seasonal at 60)
    # read 组间干预后水平变化差 / 值（_z_x1989） and （_x_ / t2017m10）
    from ihms._table_layout import fold_label

    assert fold_label("组间时间趋势差值（_z_t）", 20).split("\n") == [
        "组间时间趋势差值",
        "  （_z_t）",
    ]
    assert fold_label("组间干预后水平变化差值（_z_x1989）", 20).split("\n") == [
        "组间干预后水平变化",
        "  差值（_z_x1989）",
    ]
    # the term a cell too wide to hang by two: it hangs by what fits, whole
    assert fold_label("干预后斜率变化（_x_t2017m10）", 16).split("\n") == [
        "干预后斜率变化",
        " （_x_t2017m10）",
    ]


def test_a_term_wider_than_a_line_is_cut_packed_and_hung_not_left_at_the_edge():
    # read34a M1: at 12-13 cells （_x_t2017m10） was cut into （_ / x_ / t2017m10）, one
    # piece a line at the column's edge, where each read as a row label of its own
    for width in (12, 13):
        assert fold_label("干预后斜率变化（_x_t2017m10）", width).split("\n") == [
            "干预后斜率",
            "  变化（_x_",
            "  t2017m10）",
        ]
        # a term that fits a line only at the edge is cut and hung, not put there
        assert fold_label("干预后水平变化（_x2017m10）", width).split("\n") == [
            "干预后水平",
            "  变化（_",
            "  x2017m10）",
        ]
    # a label's first unit wider than the line: its pieces packed, further lines hung
    assert fold_label("（_x_t2017m10）干预", 13).split("\n") == ["（_x_", "  t2017m10）", "  干预"]


def test_its_fit_zh_at_30_columns_hangs_every_line_of_a_folded_label(monkeypatch):
    from typer.testing import CliRunner

    from ihms.cli._common import console
    from ihms.cli.main import app

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    series = "examples/series/county_hospital_monthly.csv"
    args = ["its", "fit", series, "--outcome", "hospitalizations", "--time", "month"]
    args += ["--interruption", "2017-10", "--seasonal", "--lang", "zh"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "30"})
    assert result.exit_code == 0, result.output
    labels = [line.split("│")[1] for line in result.output.splitlines() if line.startswith("│")]
    labels = [cell.rstrip() for cell in labels if cell.strip()]
    assert " （_x2017m10）" not in labels and " （_" not in labels  # none at the edge
    assert "   变化（_x_" in labels and "   t2017m10）" in labels
    # a line at the column's edge starts a label (a Chinese name); the rest hang under it
    edge = [cell[1:] for cell in labels if not cell[1:].startswith(" ")]
    assert edge and all("\u4e00" <= cell[0] <= "\u9fff" for cell in edge), edge
