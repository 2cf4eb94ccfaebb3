"""``autocode evaluate`` intervals, nested coverage and workbook; ``rules --evaluate``."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import rules_from_codebook
from ihms.policy.autocode.rules_evaluation import evaluate_rules_on_project
from ihms.policy.project import Project

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", "autocode", *map(str, args)])


def test_evaluate_gives_intervals_nested_coverage_and_a_named_workbook(study, tmp_path):
    out = tmp_path / "eval.xlsx"
    res = run(
        "evaluate", study, "-d", "stakeholders", "--folds", "4", "--coverage",
        "--bootstrap", "200", "--out", out, "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    low, high = got["machine_kappa_ci"]
    assert low < got["machine_kappa"] < high
    assert got["bootstrap"]["n_boot"] == 200
    nested = got["coverage"]["nested"]
    assert len(nested["cuts"]) == 4 and nested["target_kappa"] == got["human_kappa"]
    assert 0 <= nested["coded"] <= nested["n_segments"] == got["n_training"]
    sheets = pd.read_excel(out, sheet_name=None, header=None)
    table = sheets["evaluation"]
    assert table.iloc[1, 0] == "dimension / category" and table.iloc[1, 1] == "key"
    assert table.iloc[2, 0] == "Stakeholders" and "Governments" in set(table[0])
    notes = " ".join(str(v) for v in table[0] if isinstance(v, str))
    assert "Run: 4 folds by document, seed 0" in notes and "coder_a, coder_b" in notes
    assert "predictions" in sheets


def test_evaluate_without_bootstrap_or_nested(study):
    res = run(
        "evaluate", study, "-d", "stakeholders", "--folds", "4", "--coverage",
        "--bootstrap", "0", "--no-nested", "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert got["machine_kappa_ci"] is None and got["coverage"]["nested"] is None


def test_rules_evaluate_prints_the_evaluation_table(study, tmp_path):
    out = tmp_path / "rules.csv"
    res = run(
        "rules", study, "-d", "stakeholders", "--evaluate", "--bootstrap", "100",
        "--evaluation-out", out, "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)["evaluation"]
    with Project(study) as p:
        rules = rules_from_codebook(p.codebook(), "stakeholders")
        direct = evaluate_rules_on_project(p, rules, "stakeholders", n_boot=0)
    assert got["machine_kappa"] == pytest.approx(direct.machine_kappa)
    assert got["rows"][1]["category"] == "governments" and "f1" in got["rows"][1]
    table = pd.read_csv(out)
    assert list(table.columns[:2]) == ["dimension / category", "key"]
    res = run("rules", study, "-d", "stakeholders", "--evaluate")
    assert res.exit_code == 0, res.output
    assert "Keyword rules vs human" in " ".join(res.output.split())
