"""``--lang zh`` on the ``ihms policy`` commands that said what they did only in English:
``segment``, ``codes import`` and ``qdpx import`` (the one-document project of
:mod:`tests.policy.test_qdpx`: three paragraphs). Their lines come from
:mod:`ihms._words`, their tables from :mod:`ihms.policy._agreement_words`, as the
commands that had ``--lang`` say theirs; English stays the default and ``--json`` the
same in either language."""

import json

import pandas as pd
import pytest
from tests.policy.test_qdpx import TALENT, _hand_file, _selection, _tiny
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, ["policy", *map(str, args)])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.sqlite"
    _tiny(path).close()
    return path


def test_segment_says_its_counts_in_chinese(study):
    # the three paragraphs segmented again: none new, three kept
    said = run("segment", study, "--lang", "zh")
    assert (
        "1 份文件共 3 个段落片段：新增 0 个，保留 3 个，停用 0 个（已编码但文本已不存在），删除 0 个。"
        in said
    )
    said = run("segment", study, "--scheme", "clause", "--lang", "zh")
    assert "项目中的 3 个段落片段保留不变；" in said and "--scheme clause" in said
    english = run("segment", study)
    assert "3 paragraph segments in 1 documents: 0 new, 3 kept" in english
    assert json.loads(run("segment", study, "--json", "--lang", "zh")) == json.loads(
        run("segment", study, "--json")
    )


def test_codes_import_says_what_it_stored_in_chinese(study, tmp_path):
    from ihms.policy.project import Project

    with Project(study) as p:
        first, second = list(p.segments()["id"])[1:3]
    sheet = tmp_path / "alice.csv"
    # the second row codes tools but leaves the stakeholders cell empty: not coded, and named
    pd.DataFrame(
        {
            "segment_id": [first, second],
            "tools": ["人才建设", "人才建设"],
            "stakeholders": ["-", ""],
        }
    ).to_csv(sheet, index=False)
    said = run("codes", "import", study, sheet, "--coder", "alice", "--lang", "zh")
    assert "已导入 alice 的 3 个答案：写入 3 条编码，替换 0 个答案，0 个未变。" in said
    assert "编码了其他维度的行中有 1 个空单元格，视为未编码：" in said
    said = run("codes", "import", study, sheet, "--coder", "alice")
    assert (
        "Imported 3 answers of alice: 0 codings written, 0 answers replaced, 3 unchanged." in said
    )
    assert "empty cell(s) in rows that code other dimensions" in said


def test_qdpx_import_report_in_chinese(study, tmp_path):
    # 6 of paragraph 3's 21 characters: placed with --min-overlap 0.25
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 45, 51, TALENT))
    args = ("qdpx", "import", study, path, "--coder", "li", "--min-overlap", "0.25")
    said = run(*args, "--lang", "zh")
    assert "从 REFI-QDA 文件导入的编码" in said and "新增编码" in said and "匹配的文本来源" in said
    assert "→ 编码员 'li'" in said
    english = run(*args, "--replace")
    assert "Codings imported from a REFI-QDA file" in english and "新增编码" not in english
