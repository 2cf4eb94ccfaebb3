"""Payment reads every month ``its``, ``growth`` and ``ihms sim`` read (review: three
month readers, one command took 2018m6 and the next refused it): ``2018.06``, ``201806``
(YYYYMM), ``2018m6`` (Stata), ``Jun 2018`` (Excel) and full-width ``２０１８年６月``, in
a monthly spending table's month column and in ``--through``, giving the figures the
same table and option written ``2018-06`` give (the hand-worked county of
:mod:`tests.payment.test_tracking_files`)."""

from __future__ import annotations

import calendar
import json

import pytest
from typer.testing import CliRunner

from ihms._months import month_of
from ihms.cli.main import app
from ihms.errors import DataError, InputError
from ihms.payment import MonthlySpendingTable, PopulationTable, tracking_from_tables
from ihms.payment.tracking import through_month

from .test_tracking_files import SANMING, _rewritten, _rows, _write, files  # noqa: F401

runner = CliRunner()
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _abbr(month: int) -> str:
    return calendar.month_abbr[month]


#: Each form as a format of year ``y`` and month ``m``, and March 2018 written so.
FORMS = {
    "{y}.{m:02d}": "2018.03",
    "{y}{m:02d}": "201803",
    "{y}m{m}": "2018m3",
    "{mon} {y}": "Mar 2018",
    "{y}年{m}月 (full width)": "２０１８年３月",
}


def _written(row: str, form: str) -> str:
    month, rest = row.split(",", 1)
    if month == "month":
        return row
    y, m = month.split("-")
    if form.endswith("(full width)"):
        return f"{y}年{int(m)}月".translate(FULL_WIDTH) + "," + rest
    return _rewritten(row, form.replace("{mon}", _abbr(int(m))))


def _tracked(spending, population, through: str) -> str:
    """The tracking's dict as JSON, the spending file's name left out of its notes."""
    tracked = tracking_from_tables(
        SANMING,
        MonthlySpendingTable.read(spending),
        PopulationTable.read(population),
        year=2018,
        through=through,
        county="youxi",
    ).to_dict()
    return json.dumps(tracked, default=str, ensure_ascii=False).replace(str(spending), "FILE")


@pytest.mark.parametrize("form", list(FORMS))
def test_a_month_column_in_each_form_reads_as_written_2018_06(files, tmp_path, form):  # noqa: F811
    spending, population = files
    rows = [_written(r, form) for r in _rows()]
    assert rows[1] != _rows()[1]  # the month really is written otherwise
    other = _write(tmp_path / "other.csv", rows)
    assert MonthlySpendingTable.read(other).frame.equals(MonthlySpendingTable.read(spending).frame)
    assert _tracked(other, population, "2018-03") == _tracked(spending, population, "2018-03")


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("through", list(FORMS.values()))
def test_through_in_each_form_gives_the_figures_of_2018_03(files, through):  # noqa: F811
    spending, population = files
    assert _tracked(spending, population, through) == _tracked(spending, population, "2018-03")
    args = ["payment", "track", "--spending", str(spending), "--population", str(population),
            "--year", "2018", "--county", "youxi", "--json"]  # fmt: skip
    plain = runner.invoke(app, [*args, "--through", "2018-03"])
    other = runner.invoke(app, [*args, "--through", through])
    assert plain.exit_code == other.exit_code == 0, other.output
    assert json.loads(other.stdout)["months"] == json.loads(plain.stdout)["months"]
    # the hand-worked balance (test_tracking_files: 6,241,280 − 6,285,714 fen)
    assert json.loads(other.stdout)["months"][-1]["projected_balance_fen"] == -44_434


@pytest.mark.parametrize(
    ("months", "october"),
    [
        # Excel keeps 2017.10 typed as a number as 2017.1; the column's 2017.01 … 2017.09
        # say so, as `its` reads such a column (ihms._months.excel_octobers)
        ([f"2017.{m:02d}" for m in range(1, 10)] + ["2017.1", "2017.11", "2017.12"], "2017.1"),
        # a column that writes 2017.10 itself keeps 2017.1 as January
        ([f"2017.{m}" for m in range(1, 13)], "2017.10"),
    ],
)
def test_a_dotted_month_column_reads_2017_1_as_its_reads_it(files, tmp_path, months, october):  # noqa: F811
    spending, _ = files
    dotted = {f"2017-{m:02d}": text for m, text in enumerate(months, start=1)}
    rows = [dotted.get(r[:7], r[:7]) + r[7:] for r in _rows()]
    assert f"{october},consortium,CH01,400000" in rows
    other = _write(tmp_path / "dotted.csv", rows)
    assert MonthlySpendingTable.read(other).frame.equals(MonthlySpendingTable.read(spending).frame)
    # its reads the two columns' months so (one month reader: ihms._months)
    from ihms._months import excel_octobers

    assert [month_of(v) for v in excel_octobers(months)] == [(2017, m) for m in range(1, 13)]


def test_a_yyyymm_column_read_as_numbers_is_months(files):  # noqa: F811
    """An Excel sheet or a Stata file gives 201803 as a number (a float beside an empty
    cell): the months its reads in a column of YYYYMM numbers."""
    spending, _ = files
    frame = MonthlySpendingTable.read(spending).frame
    given = frame.assign(month=(frame["year"] * 100 + frame["month"]).astype(float))
    given = given.drop(columns="year")
    assert MonthlySpendingTable.from_frame(given).frame.equals(frame)


@pytest.mark.parametrize(
    ("through", "said"),
    [
        ("2018/3/15", "'2018/3/15' is a date on day 15, not a month"),
        ("2018.13", "expected a month written 2018-06, 2018年6月, 2018/6, 2018.06, 2018m6, "),
        ("201813", "Jun 2018, 201806 or 2018/6/1 (a date on the first day of the month), got"),
    ],
)
def test_through_still_refuses_a_later_day_and_no_month(files, through, said):  # noqa: F811
    spending, population = files
    with pytest.raises(InputError) as caught:
        through_month(through, 2018)
    assert str(caught.value).startswith("through: ") and said in str(caught.value)
    r = runner.invoke(app, ["payment", "track", "--spending", str(spending), "--population",
                            str(population), "--year", "2018", "--through", through])  # fmt: skip
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "error: --through: " in out and said in out


@pytest.mark.parametrize("bad", ["201713", "2017m13", "Jum 2017", "２０１７年１３月", "2017.1.40"])
def test_a_bad_month_names_file_row_and_column(files, tmp_path, bad):  # noqa: F811
    rows = _rows()
    rows[5] = f"{bad},consortium,CH01,400000"  # the file's row 6
    path = _write(tmp_path / "bad.csv", rows)
    with pytest.raises(DataError) as caught:
        MonthlySpendingTable.read(path)
    (said,) = [p for p in caught.value.problems if "column 'month'" in p]
    assert str(path) in said and "row 6" in said
    assert said.endswith(
        "expected a month written 2018-06, 2018年6月, 2018/6, 2018.06, 2018m6, Jun 2018, "
        f"201806 or a date in the month (2018/6/30), got {bad!r}"
    )
