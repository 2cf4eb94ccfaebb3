"""A path longer than the terminal is printed whole, never cut by a line break, so a user
can copy it from the message: at 80 columns rich folded '/tmp/…/nope.csv' into 'nope.cs'
and 'v' (CliRunner's console is 80 columns wide). Tests passed only while their
temporary folder's path happened to fit; pytest-xdist's longer worker folders broke 33."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
PAYMENT = Path(__file__).resolve().parents[2] / "examples" / "payment"


def _long_folder(tmp_path: Path) -> Path:
    folder = tmp_path / ("a-folder-with-a-long-name-" * 4)
    folder.mkdir()
    return folder


def test_an_error_keeps_a_long_path_whole(tmp_path):
    missing = _long_folder(tmp_path) / "nope.csv"
    args = ["its", "fit", str(missing), "--outcome", "y", "--time", "year"]
    result = runner.invoke(app, [*args, "--interruption", "2006"])
    assert result.exit_code == 2, result.output
    assert len(str(missing)) > 100
    assert f"'{missing}': not found" in result.output


def test_the_figure_written_keeps_a_long_path_whole(tmp_path):
    figure = _long_folder(tmp_path) / "compare.png"
    tables = [f"--{name}={PAYMENT / f'{name}.csv'}" for name in ("spending", "population")]
    tables.append(f"--indicators={PAYMENT / 'indicators.csv'}")
    args = ["payment", "compare", *tables, "--year", "2018", "--figure", str(figure)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert figure.is_file()
    assert f"figure written to {figure}" in result.output


def test_a_file_written_is_named_whole_and_as_written(tmp_path):
    # every "… written to <path>" line goes through cli._common.print_path: a folder named
    # '[2018]' was read as rich markup (and vanished) and a long path was folded
    folder = _long_folder(tmp_path) / "[2018]"
    folder.mkdir()
    predictions = folder / "predictions.csv"
    series = PAYMENT.parent / "series" / "county_hospital_monthly.csv"
    args = ["its", "fit", str(series), "--outcome", "outpatient_emergency_visits"]
    args += ["--time", "month", "--interruption", "2017-10"]
    result = runner.invoke(app, [*args, "--predict", str(predictions)])
    assert result.exit_code == 0, result.output
    assert predictions.is_file()
    assert f"Predictions written to {predictions}\n" in result.output
