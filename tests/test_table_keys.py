"""A table split into column blocks repeats the columns that name its rows (the index
and the text and identifier columns that lead it), so every block's rows can be told
apart; and which columns print as identifiers is decided robustly."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console

from ihms.summary import SummaryTable, is_id_name


def _rich(table: SummaryTable, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(table)
    return console.file.getvalue()


def _blocks(shown: str) -> list[list[list[str]]]:
    """Each block's body rows, as lists of cells (boxed tables only)."""
    blocks: list[list[list[str]]] = []
    for line in shown.splitlines():
        if line.startswith("┏"):
            blocks.append([])
        elif line.startswith("│") and blocks:
            blocks[-1].append([c.strip() for c in line.strip("│").split("│")])
    return blocks


def _headers(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if line.startswith("┃")]


def test_growth_by_month_repeats_the_month_in_every_block():
    # user walk, session 16: `ihms growth ... --by month` at 80 columns continued with
    # the indicator alone, so 46 rows of "hospitalizations" could not be told apart
    months = [f"2016-{m:02d}" for m in range(1, 13)]
    frame = pd.DataFrame(
        {
            "month": months * 2,
            "value": [1_948.0 + k for k in range(24)],
            "year-on-year growth": [0.111] * 24,
            "month-on-month growth": [0.23] * 24,
            "index (2017-01 = 100)": [72.8] * 24,
        },
        index=pd.Index(["hospitalizations"] * 12 + ["cost_per_hospitalization"] * 12,
                       name="indicator"),
    )  # fmt: skip
    formats = {
        "value": "{:,.2f}".format,
        "year-on-year growth": "{:+.1%}".format,
        "month-on-month growth": "{:+.1%}".format,
        "index (2017-01 = 100)": "{:.1f}".format,
    }  # as GrowthSeries.summary formats them
    shown = _rich(SummaryTable(frame, title="Growth", formats=formats), 80)
    blocks = _blocks(shown)
    assert len(blocks) > 1 and "(continued)" in shown
    assert max(cell_len(line) for line in shown.splitlines()) <= 80
    for block in blocks:
        assert [row[1] for row in block] == months * 2
        assert block[0][0] == "hospitalizations"


def test_indicator_tables_repeat_period_and_unit_in_every_block():
    # `ihms indicators compute` continued with the indicator alone: period and county
    # (which row is which) were only in the first block
    frame = pd.DataFrame(
        {
            "period": ["2018", "2018", "2019", "2019"],
            "county": ["middlesex-county", "norfolk-county"] * 2,
            "value": [1.5, 2.5, 3.5, 4.5],
            "numerator": [10, 20, 30, 40],
            "denominator": [1_000.0, 2_000.0, 3_000.0, 4_000.0],
            "suppressed": ["no"] * 4,
        },
        index=pd.Index(["healthcare_visits_hospital_share"] * 4, name="indicator"),
    )
    shown = _rich(SummaryTable(frame, title="Indicators", digits=2), 80)
    blocks = _blocks(shown)
    assert len(blocks) > 1
    for block in blocks:
        assert [row[1] for row in block] == ["2018", "2018", "2019", "2019"]
        assert [row[2] for row in block] == ["middlesex-county", "norfolk-county"] * 2


def test_staff_tables_repeat_role_and_institution_in_every_block():
    # `ihms payment distribute`: the salary table's second block had the staff id only
    frame = pd.DataFrame(
        {
            "Role": ["director", "doctor"],
            "Institution id": ["CH01", "THC12"],
            "Points": [99.0, 88.4],
            "Passed": ["yes", "yes"],
            "Salary factor": [1.194, 1.1304],
            "Base salary (yuan)": [380_000.0, 100_000.0],
            "Annual salary (yuan)": [453_720.0, 113_040.0],
            "Incentive (yuan)": [208_506.27, 186_181.36],
        },
        index=pd.Index(["D-CH01", "DR-THC12-A"], name="Staff id"),
    )
    shown = _rich(SummaryTable(frame, title="Salaries"), 80)
    blocks = _blocks(shown)
    assert len(blocks) > 1
    for block in blocks:
        assert [row[:3] for row in block] == [
            ["D-CH01", "director", "CH01"],
            ["DR-THC12-A", "doctor", "THC12"],
        ]
    # "Passed" follows a column of numbers: a figure, not part of the row's name
    assert sum("Passed" in h for h in _headers(shown)) == 1


def test_a_table_without_an_index_repeats_its_leading_text_columns():
    frame = pd.DataFrame(
        {
            "county": ["youxi", "sanming"],
            "year": [2018, 2019],
            **{f"regime {k} balance (yuan)": [1_197_345.67 * k, 380_123.45] for k in range(5)},
        }
    )
    blocks = _blocks(_rich(SummaryTable(frame, show_index=False), 80))
    assert len(blocks) > 1
    for block in blocks:
        assert [row[:2] for row in block] == [["youxi", "2018"], ["sanming", "2019"]]


def test_explicit_key_columns_override_the_inferred_ones():
    frame = pd.DataFrame(
        {
            "period": ["2018", "2019"],
            "county": ["youxi", "youxi"],
            **{f"regime {k} balance (yuan)": [1_197_345.67 * k, 380_123.45] for k in range(5)},
        },
        index=pd.Index(["a", "b"], name="indicator"),
    )
    blocks = _blocks(_rich(SummaryTable(frame, key_columns=("period",)), 80))
    assert len(blocks) > 1
    assert all([row[:2] for row in b] == [["a", "2018"], ["b", "2019"]] for b in blocks)
    assert all(row[2] != "youxi" for b in blocks[1:] for row in b)
    with pytest.raises(ValueError, match=r"key_columns.*'county'.*first"):
        SummaryTable(frame, key_columns=("county",))


def test_keys_too_wide_to_repeat_give_way_to_the_figures():
    # a long text column after the label: repeating it would leave no room for the
    # figures, so the blocks keep as many keys as leave the widest figure its width
    note = "an explanation of this row that runs on for quite a few words " * 2
    frame = pd.DataFrame(
        {
            "explanation": [note.strip(), "short"],
            **{f"regime {k} balance (yuan)": [1_197_345.67 * k, 380_123.45] for k in range(6)},
        },
        index=pd.Index(["a", "b"], name="row"),
    )
    shown = _rich(SummaryTable(frame), 60)
    assert max(cell_len(line) for line in shown.splitlines()) <= 60
    assert "…" not in shown
    for k in range(6):
        assert f"{1_197_345.67 * k:,.2f}" in shown


def test_a_seed_column_of_measurements_is_not_an_identifier():
    # session 16: "Deqing 2016 (seed)" — a figure the seed paper reports — ended in
    # "seed", so its shares printed as identifiers: "1.4000" beside "3" in a 1-decimal table
    frame = pd.DataFrame(
        {"Deqing 2016 (seed)": [1.4, 3.0], "simulated 2016": [1.6, 2.9]},
        index=pd.Index(["share a", "share b"], name="figure"),
    )
    cells = SummaryTable(frame, digits=1)._cells()[1]
    assert cells == [["share a", "1.4", "1.6"], ["share b", "3.0", "2.9"]]
    assert not is_id_name("Deqing 2016 (seed)")
    assert is_id_name("Year (calendar)") and is_id_name("random seed")
    # a column named as identifiers whose values are not whole is a measurement
    seeds = SummaryTable(pd.DataFrame({"seed": [0.25, 12345.0]}), digits=2)
    assert [row[1] for row in seeds._cells()[1]] == ["0.25", "12,345.00"]
    # whole ones stay identifiers, without separators
    ids = SummaryTable(pd.DataFrame({"seed": [20_161_001, 7]}))
    assert [row[1] for row in ids._cells()[1]] == ["20161001", "7"]
