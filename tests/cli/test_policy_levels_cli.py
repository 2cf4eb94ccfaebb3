"""``ihms policy import``: what it says of the policy levels a metadata sheet gives —
one read through an alias as another category (上海 → 省级), and one that overrides the
issuer rules (a county-level city, 义乌市, given 县级)."""

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", *map(str, args)])


def _import(tmp_path, codebook: str, sheet_rows: str, *extra):
    """Import two one-paragraph documents, a.txt and b.txt, with ``sheet_rows`` below
    the metadata sheet's header into a new project of ``codebook``."""
    project = tmp_path / "p.sqlite"
    assert run("init", project, "--codebook", codebook).exit_code == 0
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name in ("a", "b"):
        (docs / f"{name}.txt").write_text("关于推进医疗联合体建设的通知\n各地要加快推进。\n",
                                         encoding="utf-8")  # fmt: skip
    sheet = tmp_path / "meta.csv"
    sheet.write_text(sheet_rows, encoding="utf-8")
    res = run("import", project, docs, "--metadata", sheet, *extra)
    assert res.exit_code == 0, res.output
    return res, " ".join(res.output.split())


def test_import_notes_a_level_an_alias_reads_as_another_category(tmp_path):
    # session 21: a symbiosis project read 县级 as 省级 and said nothing; now 县级 is a
    # level of its own, and 上海 (a provincial-level municipality) read as 省级 is said
    sheet = "file,level,date\na.txt,上海,2019-05-01\nb.txt,县级,2020-05-01\n"
    _, said = _import(tmp_path, "symbiosis", sheet)
    assert "note: level '上海' of 1 document(s) (" in said
    assert "is read as 省级 (provincial) through the codebook's alias" in said
    assert "县级" not in said and "warning" not in said
    (tmp_path / "again").mkdir()
    res, _ = _import(tmp_path / "again", "symbiosis", sheet, "--json")
    summary = json.loads(res.output)
    assert [n.split(" (")[0] for n in summary["read_as"]] == ["level '上海' of 1 document(s)"]
    assert summary["overrides"] == []


def test_import_notes_a_sheet_level_that_overrides_the_issuer_rules(tmp_path):
    sheet = (
        "file,issuer,level,date\na.txt,义乌市卫生健康局,县级,2019-05-01\n"
        "b.txt,金华市义乌市卫生健康局,,2020-05-01\n"
    )
    _, said = _import(tmp_path, "6d", sheet)
    assert (
        "note: level '县级' of 1 document(s) (" in said
        and "overrides the codebook's rules, which give 市级 (municipal) from the issuer" in said
    )
    # b: the rules read the county-level city under its prefecture; nothing to say
    assert said.count("overrides") == 1
    (tmp_path / "again").mkdir()
    res, _ = _import(tmp_path / "again", "6d", sheet, "--json")
    # review 22a L8: the overrides have a key of their own, apart from the alias folds
    summary = json.loads(res.output)
    assert summary["read_as"] == []
    assert [n.split(" (")[0] for n in summary["overrides"]] == ["level '县级' of 1 document(s)"]
