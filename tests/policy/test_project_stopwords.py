"""A coding project's own stop list (session 25): `ihms policy stopwords PROJECT FILE`
stores a stop-word file in the project; every word count of the project (`policy words`'
frequencies, cloud and top terms) applies the built-in list, then the project's, then
`--stopwords` files, and says which it applied; a bad file is refused naming file and
line and the stored list stays; `--clear` removes it; a copy of the project carries it.

The words are the example corpus's: 医联体 is in nearly every paragraph and 提供 (17
times, see the demo's word table) is stopped by the built-in list."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.project import Project
from ihms.policy.project_stopwords import project_stopwords, project_tokenizer, stop_lists
from ihms.policy.textstats import builtin_stopwords

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["policy", *map(str, args)])


def _terms(path, *args) -> tuple[set[str], dict]:
    result = _run("words", path, "--json", "--top", 400, *args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    return {row["term"] for row in out["frequencies"]}, out


def test_every_word_count_applies_the_projects_list_then_the_runs(coded_project, tmp_path):
    own = tmp_path / "stopwords.txt"
    own.write_text("# 本项目的停用词\n医联体\n!提供\n", encoding="utf-8")
    path = coded_project.path
    coded_project.close()
    stored = _run("stopwords", path, own)
    assert stored.exit_code == 0, stored.output
    assert "Stored stopwords.txt, 2 lines" in " ".join(stored.output.split())
    terms, out = _terms(path, "--dimension", "tools")
    assert "医联体" not in terms and "提供" in terms
    assert "医联体" not in {row["term"] for row in out["top_terms"]}  # the same list
    assert [(a["list"], a["name"], a["entries"]) for a in out["stop_lists"]] == [
        ("built-in", "ihms", len(builtin_stopwords())),
        ("project", "stopwords.txt", 2),
    ]
    # a run's --stopwords file goes on top: its !医联体 counts the word again
    run = tmp_path / "run.txt"
    run.write_text("!医联体\n提供\n", encoding="utf-8")
    terms, out = _terms(path, "--stopwords", run)
    assert "医联体" in terms and "提供" not in terms
    assert [a["list"] for a in out["stop_lists"]] == ["built-in", "project", "file"]
    # the printed table says which lists it applied, in order
    said = " ".join(_run("words", path, "--top", 3, "--stopwords", run).output.split())
    n = len(builtin_stopwords())
    with Project(path) as p:
        day = project_stopwords(p).stored_at[:10]
    assert (
        f"Stop lists applied, in order: built-in ({n} words); the project's stopwords.txt "
        f"(2 lines, stored {day}); "
        f"--stopwords {run} (2 lines)." in said
    )
    zh = " ".join(_run("words", path, "--top", 3, "--lang", "zh").output.split())
    assert f"依次使用的停用词表：内置停用词表（{n} 个词）；项目停用词表 stopwords.txt（2 行，" in zh
    # a copy of the project carries its list
    shutil.copy(path, tmp_path / "copy.sqlite")
    assert "医联体" not in _terms(tmp_path / "copy.sqlite")[0]


def test_a_bad_file_is_refused_and_the_stored_list_stays(coded_project, tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("医联体\n", encoding="utf-8")
    bad.write_text("医联体\n县域龙头医院 2000 n\n", encoding="utf-8")
    path = coded_project.path
    coded_project.close()
    assert _run("stopwords", path, good).exit_code == 0
    result = _run("stopwords", path, bad)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "bad.txt' line 2: expected one word per line" in said
    with Project(path) as p:
        assert project_stopwords(p).name == "good.txt"
    info = json.loads(_run("info", path, "--json").output)
    assert info["stop_list"]["name"] == "good.txt" and info["stop_list"]["entries"] == 1
    shown = _run("stopwords", path)
    assert "The project's stop list: good.txt, 1 lines" in " ".join(shown.output.split())
    assert shown.output.rstrip().endswith("医联体")
    cleared = json.loads(_run("stopwords", path, "--clear", "--json").output)
    assert cleared == {"stop_list": None, "removed": cleared["removed"]}
    assert cleared["removed"]["name"] == "good.txt" and cleared["removed"]["entries"] == 1
    terms, out = _terms(path)
    assert "医联体" in terms and [a["list"] for a in out["stop_lists"]] == ["built-in"]
    assert "no stop list of its own" in _run("stopwords", path).output


def test_the_python_api_layers_the_lists_in_order(coded_project, tmp_path):
    own = tmp_path / "own.txt"
    own.write_text("!提供\n", encoding="utf-8")
    run = tmp_path / "run.txt"
    run.write_text("提供\n", encoding="utf-8")
    from ihms.policy.project_stopwords import store_stopwords

    assert "提供" in project_tokenizer(coded_project).stop_words  # built-in only
    store_stopwords(coded_project, own)
    assert "提供" not in project_tokenizer(coded_project).stop_words
    assert "提供" in project_tokenizer(coded_project, stopwords=[run]).stop_words
    assert [a["list"] for a in stop_lists(coded_project, [run])] == ["built-in", "project", "file"]
