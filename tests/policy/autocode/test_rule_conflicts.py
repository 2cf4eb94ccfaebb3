"""Keyword rules of two categories firing on one segment of a single-label dimension
(user review M, MEDIUM 5): the rules file's first category is kept, and the conflict is
counted and named rather than silent."""

import json

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import apply_rules_to_project

from ._content_project import build

# governance written first; "成立…管理委员会…统筹规划和人事安排" fires both
RULES = {"governance": {"any": ["管理"]}, "personnel": {"any": ["人事", "人员", "下沉"]}}


@pytest.fixture
def project(tmp_path):
    p = build(tmp_path / "p.sqlite")
    yield p
    p.close()


def _both(p):
    segs = p.segments(scheme="paragraph")
    gov = segs["text"].str.contains("管理")
    per = segs["text"].str.contains("人事|人员|下沉")
    return set(segs.loc[gov & per, "id"])


def test_conflicts_are_counted_named_and_the_first_category_kept(project):
    both = _both(project)
    assert both  # counted from the texts themselves
    applied = apply_rules_to_project(project, RULES, "content")
    assert {c["segment"] for c in applied.conflicts} == both
    assert all(c["kept"] == "governance" and c["also"] == ["personnel"] for c in applied.conflicts)
    said = " ".join(applied.summary().notes)
    assert f"{len(both)} segment" in said and "first in the rules" in said
    assert applied.to_dict()["conflicts"] == list(applied.conflicts)


def test_cli_rules_out_marks_conflicts(project, tmp_path):
    both = _both(project)
    path = project.path
    project.close()
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(RULES, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "codes.csv"
    res = CliRunner().invoke(app, ["policy", "autocode", "rules", str(path), "-d", "content", "--rules", str(rules), "--out", str(out), "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert {c["segment"] for c in payload["conflicts"]} == both
    frame = pd.read_csv(out)
    assert set(frame.loc[frame["conflict"], "segment"]) == both
