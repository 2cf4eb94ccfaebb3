"""A rules file names categories as coding sheets do, reads YAML numbers as terms, and
every problem in it names the file (review findings 11 and 12)."""

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def rules(study, path, *more):
    return runner.invoke(
        app, ["policy", "autocode", "rules", str(study), "-d", "tools", "--rules", str(path), *more]
    )


def test_chinese_and_english_names_and_numbers(study, tmp_path):
    path = tmp_path / "zh.yaml"
    path.write_text(
        "资金保障: {any: [资金, 经费]}\n"
        "Talent construction: {any: [人才]}\n"
        "demonstration_project: {all: [试点, 2019]}\n",
        encoding="utf-8",
    )
    res = rules(study, path, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert list(dict.fromkeys(r["category"] for r in out["rules"])) == [
        "financial_guarantee", "talent_construction", "demonstration_project",
    ]  # fmt: skip
    demo = next(r for r in out["rules"] if r["category"] == "demonstration_project")
    assert demo["expression"] == "试点 AND 2019"
    assert {c["category"] for c in out["codes"]} <= {
        "financial_guarantee", "talent_construction", "demonstration_project",
    }  # fmt: skip


def test_every_problem_names_the_file(study, tmp_path):
    for text, what in (
        ("financial_guarantee: {anyy: [资金]}\n", "unknown keys ['anyy']"),
        ("financial_guarantee: {any: [资金], none: [true]}\n", "expected non-empty text terms"),
        ("financial_guarantee: {none: [资金]}\n", "at least one 'any' or 'all' term"),
        ("资金保障x: {any: [资金]}\n", "are not categories of dimension 'tools'"),
    ):
        path = tmp_path / "r.yaml"
        path.write_text(text, encoding="utf-8")
        res = rules(study, path)
        assert res.exit_code == 2, res.output
        said = " ".join(res.output.split())
        assert said.startswith(f"error: {path}") or f"error: rules file {path}" in said, said
        assert what in said, said
