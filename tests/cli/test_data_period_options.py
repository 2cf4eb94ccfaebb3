"""``ihms data check|import|generate --start/--end``: a bad date is named with its option
and what is wrong with it, before the rule that the two go together (an analyst's
``--start 2022-13`` was told only that --end was missing)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Period
from ihms.errors import InputError

runner = CliRunner()
CHECK = ["data", "check", "tests/data/synthea", "--system", "examples/youxi.yaml"]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--start", "2022-13"], "--start: month 13 does not exist (months are 01–12), got '2022-13'"),
        (["--start", "2022-13", "--end", "2023"], "--start: month 13 does not exist"),
        (["--end", "2022-00-05"], "--end: month 00 does not exist (months are 01–12)"),
        (
            ["--start", "2022-02-30", "--end", "2022-12"],
            "--start: day 30 does not exist in 2022-02 (it has 28 days), got '2022-02-30'",
        ),
        (["--end", "22/1/2022"], "--end: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got"),
    ],
)  # fmt: skip
def test_a_bad_date_is_named_with_its_option(options, said):
    result = runner.invoke(app, [*CHECK, *options])
    assert result.exit_code == 2
    assert said in flat(result.output)
    assert "go together" not in result.output


def test_the_pairing_rule_comes_after_the_dates_are_read():
    result = runner.invoke(app, [*CHECK, "--start", "2022-12"])
    assert result.exit_code == 2
    assert "--start and --end go together: give both, or neither" in flat(result.output)


def test_check_json_names_the_bad_month_too():
    result = runner.invoke(app, [*CHECK, "--start", "2022-13", "--json"])
    assert result.exit_code == 2
    assert "--start: month 13 does not exist" in json.loads(result.stdout)["error"]


def test_period_parse_says_what_is_wrong():
    with pytest.raises(InputError, match=r"period: month 13 does not exist .*got '2016-13'"):
        Period.parse("2016-13", "2019")
    with pytest.raises(InputError, match=r"period: day 29 does not exist in 2019-02 \(it has 28"):
        Period.parse("2016", "2019-02-29")
    assert Period.parse("2016-02", "2016-02-29").end.day == 29  # a leap year's February


def test_a_start_after_the_end_names_both_options():
    result = runner.invoke(app, [*CHECK, "--start", "2019-03", "--end", "2018"])
    assert result.exit_code == 2
    assert "--start 2019-03 (2019-03-01) is after --end 2018 (2018-12-31)" in flat(result.output)
