"""``as_options`` (``ihms.cli._stats_options``) renames the library's parameters in an
error as the command's options, and keeps the error what it was: a DataError keeps
each of its problems (file, row and column), so ``--json`` lists them one by one."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli._stats_options import GROWTH_OPTIONS, as_options
from ihms.cli.main import app
from ihms.errors import ConfigError, DataError, InputError

runner = CliRunner()


def test_a_data_error_keeps_every_problem_with_the_options_named():
    rows = [f"column 'value' of g.csv row {n}: expected a number, got 'abc'" for n in range(2, 62)]
    problems = [*rows, "parameter 'rates': no indicator named 'nope'"]
    with pytest.raises(DataError) as err, as_options(GROWTH_OPTIONS):
        raise DataError("g.csv: 61 problem(s) in the series", problems)
    assert err.value.problems == [*rows, "option '--rate': no indicator named 'nope'"]
    # the text shows the first 50 and counts the rest, as any DataError's does
    assert str(err.value).splitlines()[0] == "g.csv: 61 problem(s) in the series"
    assert str(err.value).endswith("... and 11 more")


def test_a_summary_naming_a_parameter_is_renamed_too():
    with pytest.raises(DataError) as err, as_options(GROWTH_OPTIONS):
        raise DataError("parameter 'start_year': 1 problem", ["g.csv row 2: bad"])
    assert str(err.value).splitlines()[0] == "option '--start-year': 1 problem"
    assert err.value.problems == ["g.csv row 2: bad"]


@pytest.mark.parametrize("kind", [InputError, ConfigError])
def test_other_input_errors_keep_their_class(kind):
    with pytest.raises(kind) as err, as_options(GROWTH_OPTIONS):
        raise kind("parameter 'frequency': expected year, got 'day'")
    assert type(err.value) is kind
    assert str(err.value) == "option '--by': expected year, got 'day'"


def test_growth_json_lists_each_problem_with_its_row(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("indicator,year,value\nvisits,2016,100\nvisits,2017,abc\nvisits,2018,120\n")
    args = ["growth", path, "--indicator-col", "indicator", "--rate", "nope", "--yoy", "--json"]
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 2, r.output
    out = json.loads(r.stdout)
    assert out["error"] == f"{path}: 2 problem(s) in the series"
    assert out["problems"] == [
        f"column 'value' of {path} row 3 (indicator 'visits', year 2017): expected a "
        "number, got 'abc'",
        "option '--rate': no indicator named 'nope' (indicators: ['visits'])",
    ]
