"""A new user's first mistakes (review of session 31): a command run without a store, a
codebook copied twice over the user's edits, and advice in Python's words."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from ihms.cli._store import DEMO_STORE
from ihms.cli.main import app
from ihms.errors import InputError

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "args",
    [
        ["indicators", "compute", "--level", "institution"],
        ["data", "export", "--out", "shared"],
        ["system", "off-pathway", "{youxi}"],
    ],
)
def test_a_missing_default_store_says_how_to_get_one(args, tmp_path, monkeypatch):
    # README's tour ran `indicators compute --level institution` in a folder without
    # ihms.duckdb and got "no such file (import data first: ihms data import)"
    youxi = str(Path(__file__).resolve().parents[2] / "examples" / "youxi.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [a.format(youxi=youxi) for a in args])
    assert result.exit_code == 2, result.output
    text = flat(result.output)
    assert "--store ihms.duckdb: no store file there" in text
    assert "ihms data import FOLDER --system COUNTY.yaml (your county's tables)" in text
    assert "ihms data generate --system examples/youxi.yaml --scale 0.05 (made-up" in text
    assert f"--store {DEMO_STORE} (a simulated Youxi county)" in text
    assert not (tmp_path / "ihms.duckdb").exists()  # nothing made by the refusal


def test_a_missing_named_store_is_named_in_the_commands_that_make_it(tmp_path):
    store = tmp_path / "county.duckdb"
    result = runner.invoke(app, ["indicators", "compute", "--store", str(store), "--json"])
    assert result.exit_code == 2
    text = flat(result.output)
    assert f"--store {store}: no store file there" in text
    assert f"ihms data generate --system examples/youxi.yaml --scale 0.05 --store {store}" in text


def test_the_demo_store_named_is_where_the_demo_writes_it():
    # `ihms demo` writes its work folder beside --out (<out>-work) and its simulated
    # county's store there as sim.duckdb
    import ihms.demo._run
    import ihms.demo._sim

    demo = typer.main.get_command(app).commands["demo"]
    out = next(p.default for p in demo.params if p.name == "out")
    assert f"{Path(out).as_posix()}-work/sim.duckdb" == DEMO_STORE
    assert 'f"{out_dir.name}-work"' in inspect.getsource(ihms.demo._run.run_demo)
    assert 'fresh_file("sim.duckdb")' in inspect.getsource(ihms.demo._sim)


def test_codebook_out_refuses_to_overwrite_the_users_edits(tmp_path):
    # README: `policy codebook 6d --out my6d.yaml` "copy to edit"; a second run erased
    # the edits without a word
    out = tmp_path / "my6d.yaml"
    first = runner.invoke(app, ["policy", "codebook", "6d", "--out", str(out)])
    assert first.exit_code == 0, first.output
    edited = out.read_text(encoding="utf-8") + "# my edits\n"
    out.write_text(edited, encoding="utf-8")
    again = runner.invoke(app, ["policy", "codebook", "6d", "--out", str(out)])
    assert again.exit_code == 2
    assert f"--out {out}: the file already exists (pass --overwrite" in flat(again.output)
    assert out.read_text(encoding="utf-8") == edited
    forced = runner.invoke(app, ["policy", "codebook", "6d", "--out", str(out), "--overwrite"])
    assert forced.exit_code == 0, forced.output
    assert "# my edits" not in out.read_text(encoding="utf-8")


def test_codebook_overwrite_without_out_is_refused():
    result = runner.invoke(app, ["policy", "codebook", "6d", "--overwrite"])
    assert result.exit_code == 2
    assert "--overwrite goes with --out" in flat(result.output)


def test_codebook_out_in_a_missing_folder_makes_it(tmp_path):
    # review of diff 31b, M2: the error named the hidden temporary (sub/.my6d.tmp.yaml)
    out = tmp_path / "sub" / "my6d.yaml"
    result = runner.invoke(app, ["policy", "codebook", "6d", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "dimensions" in out.read_text(encoding="utf-8")
    assert [p.name for p in out.parent.iterdir()] == ["my6d.yaml"]


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_codebook_out_advice_is_true(tmp_path, overwrite):
    # review of diff 31b, L1: --overwrite was advised where it could not help
    folder = tmp_path / "d"
    folder.mkdir()
    result = runner.invoke(app, ["policy", "codebook", "6d", "--out", str(folder), *overwrite])
    assert result.exit_code == 2
    assert f"--out {folder}: is a folder; give a file name in it" in flat(result.output)
    (tmp_path / "my6d.yaml").write_text("mine", encoding="utf-8")
    args = ["policy", "codebook", str(tmp_path / "p.sqlite"), "--update", "6d"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "my6d.yaml"), *overwrite])
    assert result.exit_code == 2
    assert "--update stores a codebook and --out writes one: give one of them" in flat(
        result.output
    )


def test_policy_init_advice_is_the_option_and_the_librarys_the_keyword(tmp_path):
    from ihms.policy.codebook import load_codebook
    from ihms.policy.project import Project

    project = tmp_path / "study.sqlite"
    assert runner.invoke(app, ["policy", "init", str(project)]).exit_code == 0
    result = runner.invoke(app, ["policy", "init", str(project)])
    assert result.exit_code == 2
    text = flat(result.output)
    assert "already exists (pass --overwrite to replace it)" in text
    assert "overwrite=True" not in text
    with pytest.raises(InputError) as raised:
        Project.create(project, load_codebook("6d"))
    assert "(pass overwrite=True to replace it)" in str(raised.value)
    assert "--overwrite" not in str(raised.value)


def test_policy_trend_help_gives_the_default_number_not_a_module_name():
    # it said "default: the library's ihms.policy.trend.MIN_YEAR_N"
    from ihms.policy.trend import MIN_YEAR_N

    trend = typer.main.get_command(app).commands["policy"].commands["trend"]
    text = next(p.help for p in trend.params if p.name == "min_year_n")
    assert f"(default {MIN_YEAR_N};" in text and "ihms.policy" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["its", "fit", "{x}", "--outcome", "y", "--time", "t", "--interruption", "2017"],
        ["growth", "{x}", "--value-col", "y"],
        ["trend", "{x}", "--events-col", "a", "--totals-col", "b"],
        ["agreement", "{x}", "--unit", "s", "--coder", "c", "--code", "k"],
        # review of diff 31b, L3: --prices still had typer's boxed "does not exist"
        [
            "growth",
            str(Path(__file__).parents[2] / "examples/series/household_income_cpi.csv"),
            "--value-col",
            "income",
            "--price-col",
            "cpi",
            "--prices",
            "{x}",
        ],
    ],
)
def test_a_missing_file_or_a_folder_gets_one_message_on_every_statistics_command(args, tmp_path):
    # growth, trend and agreement gave typer's "Invalid value for 'table': ... is a
    # directory" in a box where its gave "file '...': is a folder, expected a data file"
    folder = runner.invoke(app, [a.format(x=tmp_path) for a in args])
    assert folder.exit_code == 2
    assert f"error: file '{tmp_path}': is a folder, expected a data file" in flat(folder.output)
    missing = tmp_path / "nope.csv"
    gone = runner.invoke(app, [a.format(x=missing) for a in args])
    assert gone.exit_code == 2
    assert f"error: file '{missing}': not found" in flat(gone.output)


def test_autocode_apply_advice_is_the_option(tmp_path, monkeypatch):
    # review of diff 31b, L4: apply reaches add_codings, whose clash advises
    # "pass replace=True"; the command's words are --replace
    import ihms.policy.autocode as autocode
    from ihms.errors import DataError

    project = tmp_path / "p.sqlite"
    assert runner.invoke(app, ["policy", "init", str(project)]).exit_code == 0
    clash = "machine:m: coder 'machine:m' already coded segment 's1' (pass replace=True to overwrite it)"

    def apply_to_project(*args, **kwargs):
        raise DataError("1 problem", [clash])

    monkeypatch.setattr(autocode, "load_coder", lambda *a, **k: None)
    monkeypatch.setattr(autocode, "apply_to_project", apply_to_project)
    result = runner.invoke(app, ["policy", "autocode", "apply", str(project), str(tmp_path)])
    assert result.exit_code == 2
    assert "(pass --replace to overwrite it)" in flat(result.output)
    assert "replace=True" not in flat(result.output)
