"""Fewer than two folds is refused before any work, with the option named (review finding 3)."""

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.autocode import LearnedCoder, evaluate_coder


@pytest.mark.parametrize("n_splits", [1, 0, -2])
def test_evaluate_coder_needs_two_folds(segments, labels, n_splits):
    with pytest.raises(InputError, match=r"n_splits.*at least 2 folds, got"):
        evaluate_coder(LearnedCoder(calibration=None), segments, labels, n_splits=n_splits)


@pytest.mark.parametrize("folds", ["1", "0"])
def test_evaluate_folds_below_two_exit_2_with_a_message(study, folds):
    res = CliRunner().invoke(
        app, ["policy", "autocode", "evaluate", str(study), "-d", "stakeholders", "--folds", folds]
    )
    assert res.exit_code == 2
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "--folds" in res.output and "greater than or equal to 2" in res.output
