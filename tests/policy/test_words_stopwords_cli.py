"""``ihms policy words --stopwords FILE``: a researcher's own stop list changes the
built-in one (``!word`` counts a word the list stops), a bad file is refused naming its
file and line, and nothing is written then (review of the demo report, item 14)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _words(project, *args):
    return runner.invoke(app, ["policy", "words", str(project), *map(str, args)])


def test_a_stop_word_file_adds_and_removes_words(coded_project, tmp_path):
    base = json.loads(_words(coded_project.path, "--json", "--top", 400).output)
    terms = {row["term"] for row in base["frequencies"]}
    # the example corpus's paragraphs have 提供 (17 times, see the demo's word table)
    # and 医联体; the built-in list stops 提供
    assert "提供" not in terms and "医联体" in terms
    mine = tmp_path / "mine.txt"
    mine.write_text("# 本课题的停用词\n!提供\n医联体  # 每段都有\n", encoding="utf-8")
    result = _words(coded_project.path, "--json", "--top", 400, "--stopwords", mine,
                    "--dimension", "tools")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    terms = {row["term"] for row in out["frequencies"]}
    assert "提供" in terms and "医联体" not in terms
    # the top terms per category use the same list
    top = {row["term"] for row in out["top_terms"]}
    assert "医联体" not in top


def test_a_bad_stop_word_file_is_refused_naming_file_and_line(coded_project, tmp_path):
    bad = tmp_path / "bad.txt"
    # a jieba dictionary line given as a stop word
    bad.write_text("# 停用词\n提供\n县域龙头医院 2000 n\n", encoding="utf-8")
    out = tmp_path / "words"
    result = _words(coded_project.path, "--stopwords", bad, "--out", out)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "bad.txt' line 3: expected one word per line" in said
    assert "--user-dict" in said
    assert not out.exists()


def test_the_help_says_how_a_stop_word_file_is_written():
    result = runner.invoke(app, ["policy", "words", "--help"], env={"COLUMNS": "200"})
    said = " ".join(result.output.split())
    assert "one word per line" in said and "!word" in said and "#" in said
