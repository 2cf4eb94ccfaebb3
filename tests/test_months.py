"""ihms._months: the one month reader of ihms (its, growth, payment, sim)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ihms
from ihms._months import excel_octobers, month_and_day, month_of


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("2018-06", (2018, 6, None)),
        ("2018.06", (2018, 6, None)),
        ("2018m6", (2018, 6, None)),
        ("Jun 2018", (2018, 6, None)),
        ("２０１８年６月", (2018, 6, None)),
        ("2018年6月30日", (2018, 6, 30)),
        ("2018/6/1 00:00:00", (2018, 6, 1)),
        # review diff33a F3: payment's reader took these before the one reader
        ("2018年6月1日 00:00", (2018, 6, 1)),
        ("2018年6月1日 8:30:00", (2018, 6, 1)),
        ("2018-06-01  00:00", (2018, 6, 1)),
        (dt.date(2018, 6, 15), (2018, 6, 15)),
        (pd.Period("2018-06", freq="M"), (2018, 6, None)),
        (201806, (2018, 6, None)),
        (np.int64(201806), (2018, 6, None)),
        ("２０１８０６", (2018, 6, None)),
    ],
)
def test_a_month_is_read_with_the_day_a_date_gave(cell, read):
    assert month_and_day(cell) == read
    if not isinstance(cell, (int, np.integer)) and not str(cell).isdigit():
        assert month_of(cell) == read[:2]  # its reads the same month


@pytest.mark.parametrize(
    "cell", [201813, 189912, 2018, True, 201806.0, 2018.06, "2018-13", "2018/6/40", None, pd.NaT]
)
def test_what_is_no_month_is_none(cell):
    # a float is no month here: a YYYYMM number is an integer (payment's column reads a
    # whole float as one); 2018.06 as a number is what Excel made of a month, refused
    assert month_and_day(cell) is None


def test_stats_reads_months_by_this_reader():
    # its codes a column's months as Stata's %tm (months since 1960m1: 2018m6 is 701),
    # whichever form month_of reads; stats._its_time no longer re-exports the reader
    from ihms.stats import _its_time
    from ihms.stats._its_time import time_column

    cells = ["2018-06", "2018m7", "Aug 2018", "２０１８年９月", "2018/10/1", "2018.11"]
    problems: list[str] = []
    axis, codes = time_column(pd.DataFrame({"t": cells}), "t", None, problems)
    assert not problems and axis is not None and axis.kind == "monthly"
    assert codes.tolist() == [(2018 - 1960) * 12 + m - 1 for m in range(6, 12)]
    assert not {"month_of", "excel_octobers"} & set(_its_time.__all__)


def test_no_module_imports_a_private_name_of_the_month_reader():
    # read-through 34: payment._month_text and cli._trend_table imported _months._DOTTED;
    # they read a dotted month through ihms._months.dotted_month / read_dotted now
    root = Path(ihms.__file__).parent
    private = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "ihms._months":
                names = [a.name for a in node.names if a.name.startswith("_")]
                private += [f"{path.relative_to(root)}:{node.lineno} {n}" for n in names]
    assert not private, private


def test_its_reads_each_years_2018_1_by_that_years_months():
    # 2017 as text with one-digit months (2017.10 written), 2018 as Excel's numbers
    # (2018.01 …, 2018.10 kept as 2018.1): 2018.1 is October (ihms._months.read_dotted)
    from ihms.stats._its_time import time_column

    cells = [f"2017.{m}" for m in range(1, 13)] + [f"2018.{m:02d}" for m in range(1, 10)]
    cells += ["2018.1", "2018.11", "2018.12"]
    assert excel_octobers(cells)[-3:] == ["2018.10", "2018.11", "2018.12"]
    problems: list[str] = []
    _, codes = time_column(pd.DataFrame({"t": cells}), "t", None, problems)
    assert not problems and codes.tolist() == list(range(684, 708))  # 2017m1 … 2018m12
