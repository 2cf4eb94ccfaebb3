"""A single-label dimension whose every segment has a category (user review M, HIGH 1):
nobody answered "nothing applies", so '(none)' is not a category to learn."""

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.autocode import (
    LearnedCoder,
    TooFewCodesError,
    default_coder,
    evaluate_coder,
    evaluate_on_project,
    project_codes,
    train_on_project,
)
from ihms.policy.coding import add_codings

from ._content_project import build

runner = CliRunner()


@pytest.fixture
def content_project(tmp_path):
    p = build(tmp_path / "p.sqlite")
    yield p
    p.close()


def test_a_dimension_without_nothing_applies_answers_trains(content_project):
    data = project_codes(content_project, "content")
    assert "(none)" not in data.codes  # every segment has a category
    trained = train_on_project(content_project, "content")
    assert set(trained.estimator.classes_) == {"governance", "payment", "personnel"}
    # the codebook's own categories are still required
    with pytest.raises(TooFewCodesError) as err:
        train_on_project(
            content_project,
            "content",
            coder=default_coder(
                content_project.codebook().dimension("content"), min_per_category=12
            ),
        )
    assert "(none)" not in err.value.shortfall
    assert set(err.value.shortfall) == {"governance", "payment", "personnel"}


def test_nothing_applies_is_required_once_someone_answered_it(content_project):
    seg = content_project.segments(scheme="paragraph")["id"].iloc[0]
    add_codings(
        content_project,
        {(seg, "content", "coder_a"): frozenset()},
        replace=True,
    )
    with pytest.raises(TooFewCodesError) as err:
        train_on_project(content_project, "content")
    assert err.value.shortfall == {"(none)": (1, 4)}


def test_evaluation_refuses_the_minimum_training_refuses(content_project, segments, labels):
    with pytest.raises(InputError, match=r"min_per_category.*>= 1, got 0"):
        evaluate_coder(LearnedCoder(min_per_category=0), segments, labels)
    ev = evaluate_on_project(content_project, "content", n_splits=4)
    assert ev.evaluation.n_training == 32


def test_cli_trains_evaluates_and_refuses_zero_alike(content_project, tmp_path):
    path = content_project.path
    content_project.close()
    base = ["policy", "autocode"]
    res = runner.invoke(app, [*base, "train", str(path), "-d", "content", "--out", str(tmp_path / "m"), "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["training_size"] == 32
    res = runner.invoke(app, [*base, "evaluate", str(path), "-d", "content", "--folds", "4", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    for command in ("train", "evaluate", "suggest"):
        extra = ["--out", str(tmp_path / "m0")] if command == "train" else []
        res = runner.invoke(
            app, [*base, command, str(path), "-d", "content", "--min-per-category", "0", *extra]
        )
        assert res.exit_code == 2, (command, res.output)
        said = " ".join(res.output.replace("│", " ").split())
        assert "Invalid value for '--min-per-category'" in said and "equal to 1" in said
