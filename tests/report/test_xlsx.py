"""tables.xlsx keeps each table's context (session 23 review, MEDIUM 5): a title and
the report's note above the grid, the notes below it, numbers stored as numbers, and
the key columns of grouped rows filled on every row."""

import pandas as pd
from openpyxl import load_workbook

from ihms.report import Report, Section, write_report
from ihms.summary import SummaryTable


def _written(tmp_path, table: SummaryTable, **report):
    rep = Report(title="T", **report)
    rep.add(Section("pay", "Payment", mirrors="Zhong et al. 2023, Table 1")).table("budget", table)
    write_report(rep, tmp_path / "r")
    return load_workbook(tmp_path / "r" / "tables.xlsx")["pay-budget"]


def test_a_sheet_has_its_title_source_and_notes_around_the_grid(tmp_path):
    table = SummaryTable(
        pd.DataFrame({"n": [1]}), title="Budget 2018", notes=("Money in yuan.",), show_index=False
    )
    ws = _written(tmp_path, table, sheet_note="Simulated county: every figure is ihms's.")
    rows = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["Budget 2018"]
    assert rows[1] == ["Payment — mirrors Zhong et al. 2023, Table 1"]
    assert rows[2] == ["Simulated county: every figure is ihms's."]
    assert rows[4] == ["n"] and rows[5] == [1]
    assert rows[7] == ["Money in yuan."]


def test_numbers_written_as_text_are_stored_as_numbers_with_their_unit_beside(tmp_path):
    # the 2018 budget of the demo: 350,917 insured, 678.40 yuan premium (review, MEDIUM 5)
    frame = pd.DataFrame(
        {"step": ["insured", "premium", "code"], "result": ["350,917", "678.40 yuan", "1,2"]},
    )
    ws = _written(tmp_path, SummaryTable(frame, show_index=False))
    grid = [list(r) for r in ws.iter_rows(min_row=5, values_only=True)]
    assert grid[0][:2] == ["step", "result"]
    assert grid[1][1] == 350917 and isinstance(grid[1][1], int)
    assert grid[2][1] == 678.40 and grid[2][2] == "yuan"
    assert grid[3][1] == "1,2"  # not a number as written: left as text


def test_key_columns_are_filled_on_every_row(tmp_path):
    frame = pd.DataFrame(
        {"regime": ["Sanming", "", "Other", None], "year": [2018, 2019, 2018, 2019]}
    )
    table = SummaryTable(frame, show_index=False, key_columns=["regime"])
    ws = _written(tmp_path, table)
    grid = [list(r)[:2] for r in ws.iter_rows(min_row=6, values_only=True)]
    assert [r[0] for r in grid[:4]] == ["Sanming", "Sanming", "Other", "Other"]


def test_leading_label_columns_of_grouped_rows_are_filled_without_key_columns(tmp_path):
    # payment-compare-comparison of the demo: regime and path given on a group's first
    # row only, the year and figures on every row
    frame = pd.DataFrame(
        {
            "regime": ["Sanming IMPM", None, None, "Other areas"],
            "path": ["as observed", None, "saving 5%", "as observed"],
            "year": [2018, 2019, 2018, 2018],
            "note": ["a", None, None, None],
        }
    )
    ws = _written(tmp_path, SummaryTable(frame, show_index=False))
    grid = [list(r)[:4] for r in ws.iter_rows(min_row=6, values_only=True)][:4]
    assert [r[0] for r in grid] == ["Sanming IMPM"] * 3 + ["Other areas"]
    assert [r[1] for r in grid] == ["as observed", "as observed", "saving 5%", "as observed"]
    assert [r[3] for r in grid] == ["a", None, None, None]  # after the figures: as given


def test_a_multi_index_is_written_on_every_row_not_merged(tmp_path):
    # the demo's regime comparison: regime and path are the index; pandas merged their
    # cells, leaving blanks under each group's first row
    index = pd.MultiIndex.from_tuples(
        [("Sanming", "as observed"), ("Sanming", "as observed"), ("Other", "as observed")],
        names=["regime", "path"],
    )
    frame = pd.DataFrame({"year": [2018, 2019, 2018]}, index=index)
    ws = _written(tmp_path, SummaryTable(frame))
    grid = [list(r)[:3] for r in ws.iter_rows(min_row=6, values_only=True)][:3]
    assert [r[0] for r in grid] == ["Sanming", "Sanming", "Other"]
