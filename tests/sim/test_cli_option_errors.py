"""``sim run`` names a bad --residents or --seed as the option (user review 22s, L2):
was ``error: residents: expected a positive number, got -5`` and ``error: options: …
key 'simulation.seed'``, where other options say ``option '--regime'``."""

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--residents", "-5", "option '--residents': expected a positive number, got -5"),
        ("--seed", "-1", "option '--seed': expected a whole number ≥ 0, got -1"),
    ],
)
def test_a_bad_number_is_named_as_its_option(tmp_path, example_path, option, value, expected):
    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(example_path), "--out", str(out), option, value]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert expected in " ".join(result.output.split())
    assert not out.exists()
