"""``ihms policy`` on the symbiotic environment coded as answers under their groups:
coding sheets, clustering within a group, agreement and tables at both levels, and
bad input. The study is tests/policy/test_symbiosis_study.py's (coders a and b); every
expected number is worked out by hand from its CODER_A and CODER_B."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from tests.policy.test_symbiosis_study import build_study
from tests.policy.test_symbiosis_v1 import V1
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
ENV = "symbiotic_environment"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"


def run(*args):
    return runner.invoke(app, ["policy", *map(str, args)])


def said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def documents():
    from ihms.policy.corpus import import_folder

    return import_folder(EXAMPLES / "corpus", metadata=EXAMPLES / "metadata.xlsx").documents


@pytest.fixture(scope="module")
def template(tmp_path_factory, documents):
    return build_study(tmp_path_factory.mktemp("env_cli") / "study.sqlite", documents)


@pytest.fixture
def study(template, tmp_path):
    return shutil.copy(template, tmp_path / "study.sqlite")


def test_the_codebook_lists_the_environments_groups():
    shown = said(run("codebook", "symbiosis"))
    assert "symbiotic_environment Symbiotic environment / 共生环境 (open, multi-label)" in shown
    assert "group policy: Policy / 政策环境 group technology: Technology / 技术环境" in shown


def test_cluster_one_group(study):
    # coder b's policy answers: 多点执业 (00-06-3-2), 编制与职称晋升 (00-10-2-1),
    # 检查检验结果互认 (00-10-2-4): 3 codings in 2 themes
    result = run(
        "cluster", study, ENV, "--group", "政策环境", "--source", "b", "--k", "2", "--json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert sum(t["count"] for t in out["themes"]) == 3
    assert {a["answer"] for a in out["assignments"]} == {
        "多点执业",
        "编制与职称晋升",
        "检查检验结果互认",
    }
    shown = run("cluster", study, ENV, "--group", "policy", "--source", "b", "--k", "2")
    assert "Symbiotic environment, group Policy" in said(shown)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((ENV, "--group", "law"), "unknown group 'law'; groups: policy (Policy / 政策环境)"),
        (("symbiotic_unit", "--group", "policy"), "'symbiotic_unit' has no groups of answers"),
        # coder b's one technology answer (信息化) cannot make two themes
        ((ENV, "--group", "technology"), "group Technology ('b'): clustering needs at least 3"),
    ],
)
def test_cluster_bad_group(study, args, message):
    result = run("cluster", study, *args, "--source", "b")
    assert result.exit_code == 2
    assert message in said(result)


def test_agreement_at_the_answer_and_the_group_level(study):
    def kappa(*level):
        result = run("agreement", study, "--dimension", ENV, *level, "--json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)["rows"]
        return {r["category"]: r["kappa"] for r in rows}

    # answers: a {} {} M {} {R, I} {}, b {} {} M {S} {R, I} {} → kappa 16/22
    # (worked in tests/policy/test_symbiosis_v1.py); 多点执业 present/absent agrees fully
    answers = kappa()
    assert answers[None] == pytest.approx(16 / 22)
    assert answers["policy:多点执业"] == pytest.approx(1.0)
    # groups: a {} {} P {} PT {}, b {} {} P P PT {} → 15/21; policy 2/3; technology 1
    groups = kappa("--level", "group")
    assert groups == pytest.approx({None: 15 / 21, "policy": 2 / 3, "technology": 1.0})
    bad = run("agreement", study, "--level", "groups")
    assert bad.exit_code == 2 and "'level': expected 'answer' or 'group', got 'groups'" in said(bad)


def test_tables_at_the_answer_and_the_group_level(study, tmp_path):
    def env_table(*level):
        result = run("tables", study, "--out", tmp_path, "--format", "csv", "--source", "b",
                     "--scheme", "clause", *level, "--json")  # fmt: skip
        assert result.exit_code == 0, result.output
        out = json.loads(result.output)
        return [list(r.values()) for r in out[ENV]["table"]], out["coverage"]["table"]

    # coder b: 00-06-3-2 多点执业, 00-10-2-1 编制, 00-10-2-4 互认 (policy) and 信息化
    # (technology): 4 codings, 1 each = 25 %
    answers, coverage = env_table()
    assert answers == [
        ["Policy (n=3)", ""], ["Multi-site practice", "1 (25.00)"],
        ["Staffing and promotion channels", "1 (25.00)"],
        ["Mutual recognition of inspection results", "1 (25.00)"],
        ["Technology (n=1)", ""], ["Informatization", "1 (25.00)"],
        ["Economy (n=0)", ""], ["Society (n=0)", ""],
    ]  # fmt: skip
    rows = {r["Dimension"]: r["Distinct answers"] for r in coverage}
    assert (rows["Symbiotic environment: Policy"], rows["Symbiotic environment: Society"]) == (
        "3",
        "0",
    )
    # the groups: each entry once per group, policy 3 of 4, technology 1
    groups, _ = env_table("--level", "group")
    assert groups == [
        ["Policy", "3 (75.00)"],
        ["Technology", "1 (25.00)"],
        ["Economy", "0 (0.00)"],
        ["Society", "0 (0.00)"],
    ]
    # as seed 000 prints its tables: trailing zeros dropped
    printed, _ = env_table("--level", "group", "--as-printed")
    assert [cell for _, cell in printed] == ["3 (75)", "1 (25)", "0 (0)", "0 (0)"]
    bad = run("tables", study, "--out", tmp_path, "--level", "entries")
    assert bad.exit_code == 2 and "'--level': expected 'answer' or 'group'" in said(bad)


def test_coding_sheet_round_trip_in_chinese(study, tmp_path):
    sheet = tmp_path / "b.xlsx"
    assert (
        run(
            "codes", "export", study, sheet, "--coder", "b", "--lang", "zh", "--scheme", "clause"
        ).exit_code
        == 0
    )
    frame = pd.read_excel(sheet, dtype=str, keep_default_na=False).set_index("code")
    # each answer led by its group's name, in the framework's order
    assert frame.loc["00-10-2-4", "共生环境"] == "政策环境：检查检验结果互认; 技术环境：信息化"
    # coder b's sheet filed again as coder b2
    frame.reset_index().assign(coder="b2").to_excel(tmp_path / "b2.xlsx", index=False)
    result = run("codes", "import", study, tmp_path / "b2.xlsx")
    assert result.exit_code == 0, result.output
    same = run("agreement", study, "--coders", "b,b2", "--dimension", ENV, "--json")
    assert json.loads(same.output)["rows"][0]["kappa"] == pytest.approx(1.0)


def test_a_sheet_with_answers_outside_a_group_is_refused(study, tmp_path):
    assert run("codes", "export", study, tmp_path / "t.xlsx", "--coder", "c").exit_code == 0
    with_ids = pd.read_excel(tmp_path / "t.xlsx", dtype=str, keep_default_na=False)
    first, second = with_ids["segment_id"].iloc[:2]
    bad = tmp_path / "bad.csv"
    pd.DataFrame(
        {"segment_id": [first, second], "共生环境": ["多点执业", "法律环境：医师法"]}
    ).to_csv(bad, index=False)
    result = run("codes", "import", study, bad, "--coder", "c")
    assert result.exit_code == 2
    text = said(result)
    assert "row 2, column '共生环境'" in text and "answer '多点执业' has no group" in text
    assert "row 3, column '共生环境'" in text and "names unknown group '法律环境'" in text


def test_an_old_project_still_reports_and_says_why_it_cannot_cluster(tmp_path, documents):
    from ihms.policy.codebook import load_codebook
    from ihms.policy.project import Project

    path = tmp_path / "old.sqlite"
    with Project.create(path, load_codebook(V1)) as p:
        p.add_documents(documents)
        p.segment("clause")
        seg = p.segments(scheme="clause")["id"].iloc[0]
    sheet = tmp_path / "old.csv"
    pd.DataFrame({"segment_id": [seg], "共生环境": ["政策环境; 经济环境"]}).to_csv(
        sheet, index=False
    )
    assert run("codes", "import", path, sheet, "--coder", "a").exit_code == 0
    result = run(
        "tables", path, "--out", tmp_path / "t", "--format", "csv", "--source", "a", "--json"
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)[ENV]["table"]
    assert [list(r.values()) for r in table] == [
        ["Policy", "1 (50.00)"], ["Economy", "1 (50.00)"], ["Technology", "0 (0.00)"],
        ["Society", "0 (0.00)"],
    ]  # fmt: skip
    refused = run("cluster", path, ENV, "--source", "a")
    assert refused.exit_code == 2 and "is closed in this codebook" in said(refused)
