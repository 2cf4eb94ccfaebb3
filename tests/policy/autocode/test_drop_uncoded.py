"""A codebook category nobody has coded (review finding 9): the error suggests only
fixes that are possible, and ``drop_uncoded`` / ``--drop-uncoded`` leaves such
categories out of the model, recorded in its manifest and never proposed."""

import json

import pytest
from typer.testing import CliRunner

from ihms.policy.autocode import LearnedCoder, TooFewCodesError
from ihms.policy.project import Project

CATS = ["资金支持", "人才培养", "监督管理", "申请程序"]


def test_a_never_coded_category_is_refused_with_the_ways_out(segments, labels):
    coder = LearnedCoder(categories=[*CATS, "信息化"], min_per_category=1)
    with pytest.raises(TooFewCodesError) as err:
        coder.fit(segments, labels)
    text = str(err.value)
    assert "'信息化' has 0 coded segments, needs 1 more" in text
    assert "leave out the category nobody has coded (parameter 'drop_uncoded'" in text
    assert "lower" not in text  # the minimum is 1 already
    with pytest.raises(TooFewCodesError) as err:
        LearnedCoder(categories=[*CATS, "信息化"], min_per_category=30).fit(segments, labels)
    assert "lower the minimum to 24 and leave out the category nobody has coded" in str(err.value)
    # a coder not told the codebook's categories has none to leave out
    with pytest.raises(TooFewCodesError) as err:
        LearnedCoder(min_per_category=30).fit(segments, labels)
    assert str(err.value).endswith("Code more segments, or lower the minimum to 24.")


def test_drop_uncoded_leaves_the_category_out(segments, labels):
    coder = LearnedCoder(categories=[*CATS, "信息化"], min_per_category=1, drop_uncoded=True)
    coder.fit(segments, labels)
    assert coder.uncoded_categories_ == ["信息化"]
    assert "信息化" not in coder.classes_ and "信息化" not in set(coder.predict(segments))
    # a category with some codes is still held to the minimum
    with pytest.raises(TooFewCodesError, match="needs 6 more"):
        LearnedCoder(categories=[*CATS, "信息化"], min_per_category=30, drop_uncoded=True).fit(
            segments, labels
        )


def test_cli_train_drop_uncoded_records_the_categories(study, tmp_path):
    from ihms.cli.main import app
    from ihms.policy.codebook import parse_codebook

    with Project(study) as p:  # a category added to the codebook after the coding
        text = p.codebook().text.replace(
            "      - key: resource_sharing\n",
            "      - key: digital_health\n        group: environment\n        en: Digital health\n"
            "        zh: 数字健康\n        definition: Added after the coding.\n"
            "      - key: resource_sharing\n",
            1,
        )
        p.update_codebook(parse_codebook(text, name="6d"))
    runner = CliRunner()
    args = ["policy", "autocode", "train", str(study), "-d", "tools", "--min-per-category", "1"]
    res = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert res.exit_code == 2
    said = " ".join(res.output.split())
    assert "'digital_health' has 0 coded segments" in said and "--drop-uncoded" in said
    assert "lower" not in said

    res = runner.invoke(app, [*args, "--out", str(tmp_path / "m"), "--drop-uncoded", "--json"])
    assert res.exit_code == 0, res.output
    manifest = json.loads(res.stdout)
    assert manifest["uncoded_categories"] == ["digital_health"]
    assert manifest["params"]["drop_uncoded"] is True
    assert "digital_health" not in manifest["categories"]
    applied = runner.invoke(
        app, ["policy", "autocode", "apply", str(study), str(tmp_path / "m"), "--json"]
    )
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.stdout)["categories"]["digital_health"] == 0
