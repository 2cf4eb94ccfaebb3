"""A staff pool no one passes for is said to be left unshared, in ``settle``,
``distribute`` and ``scorecard`` and their ``--json`` notes (review 24 #2: ``notes`` was
``[]``), once on the terminal, and by :func:`~ihms.payment.settle_year` itself, so a
caller of the Python API gets the note too (it came from the CLI alone, and from the
settlement only with a staff headcount).

Figures (examples/payment, sanming, 2019, worked in review 24): pool 1,797,331.08 yuan =
11,233,319.25 × 16 %; DR-CH01-B scores 36.95 points (17/24 × 0.3 + (0.657 − 0.5)/0.4 ×
0.4 + 0) and DR-THC03-A 55.9, both under the 60-point pass mark."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import StaffRoster, load_rules, settle_year, settlement_inputs

runner = CliRunner()

UNSHARED = (
    "None of the staff incentive pool of 1,797,331.08 yuan is shared: none of the 2 staff "
    "on the roster passes their scorecard, and staff who fail get none of it; the pool is "
    "left unshared, kept on the consortium's staff-incentive use."
)


def _failing(example_dir, tmp_path):
    """The example roster cut to the two doctors who fail in 2019."""
    lines = (example_dir / "staff.csv").read_text(encoding="utf-8").splitlines()
    failing = [lines[0], *(ln for ln in lines if ln.startswith(("DR-CH01-B,", "DR-THC03-A,")))]
    staff = tmp_path / "staff_fail.csv"
    staff.write_text("\n".join(failing) + "\n", encoding="utf-8")
    return staff


def _run(command, example_dir, tmp_path, *extra):
    staff = _failing(example_dir, tmp_path)
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files.append(f"--indicators={example_dir / 'indicators.csv'}")
    return runner.invoke(
        app, ["payment", command, *files, f"--staff={staff}", "--year", "2019", *extra]
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("command", ["settle", "distribute", "scorecard"])
def test_json_notes_say_the_pool_is_left_unshared(command, example_dir, tmp_path):
    result = _run(command, example_dir, tmp_path, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["salaries"]["unshared_fen"] == 179_733_108
    assert UNSHARED in out["notes"]


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("command", ["settle", "distribute", "scorecard"])
def test_the_terminal_says_it_once(command, example_dir, tmp_path):
    result = _run(command, example_dir, tmp_path)
    assert result.exit_code == 0, result.output
    assert _flat(result.stderr).count(UNSHARED) == 1
    assert "unshared" not in _flat(result.stdout)  # not said again beside the tables


def test_a_pool_shared_gets_no_such_note(example_dir):
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files += [f"--{t}={example_dir / f'{t}.csv'}" for t in ("indicators", "staff")]
    result = runner.invoke(app, ["payment", "settle", *files, "--year", "2019", "--json"])
    assert result.exit_code == 0, result.output
    assert not any("left unshared" in n for n in json.loads(result.stdout)["notes"])


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("headcount", [None, 1911])
def test_settle_year_itself_says_the_pool_is_left_unshared(youxi, example_dir, tmp_path, headcount):
    rules = load_rules("sanming")
    staff = StaffRoster.read(_failing(example_dir, tmp_path))
    tables = {**youxi, "staff": staff}
    inputs = settlement_inputs(rules, 2019, **tables, staff_headcount=headcount)
    record = settle_year(rules, inputs)
    assert record.salaries.unshared_fen == 179_733_108
    assert record.notes.count(UNSHARED) == 1


def test_scorecard_json_gives_the_settlements_notes(example_dir, tmp_path):
    # the settlement's own note (no roster) and the command's (the unshared pool) alike,
    # as distribute --json does; the terminal prints the former with the cards
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files.append(f"--indicators={example_dir / 'indicators.csv'}")
    args = ["payment", "scorecard", *files, "--year", "2019"]
    out = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    no_roster = "No staff roster given: the incentive pool is not shared out."
    assert out["notes"] == [no_roster]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert _flat(shown.stdout).count(no_roster) == 1 and no_roster not in shown.stderr


# payment review 2026-11-25, finding 5: the only staff who pass have weight 0. 2018's pool
# is 787,671.89 yuan (4,922,949.33 × 16 %); DR-CH01-A passes with 87.8 points, DR-CH02-A
# fails with 56.4 (the review's st/staff2.csv). The notes said no one passed, the table
# that the pool was "shared by weight × score among staff who pass".
WEIGHTLESS = (
    "None of the staff incentive pool of 787,671.89 yuan is shared: the 1 staff member who "
    "passes their scorecard (DR-CH01-A) has weight 0 on the roster, so weight × score gives "
    "no share, and staff who fail get none of it; the pool is left unshared, kept on the "
    "consortium's staff-incentive use."
)


def _weightless(example_dir, tmp_path, command, *extra):
    staff = tmp_path / "staff2.csv"
    staff.write_text(
        "staff_id,role,institution_id,base_salary_fen,weight\n"
        "DR-CH01-A,doctor,CH01,21000000,0\nDR-CH02-A,doctor,CH02,18000000,1\n",
        encoding="utf-8",
    )
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files.append(f"--indicators={example_dir / 'indicators.csv'}")
    return runner.invoke(
        app, ["payment", command, *files, f"--staff={staff}", "--year", "2018", *extra]
    )


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("command", ["settle", "distribute"])
def test_staff_who_pass_with_weight_0_are_named_as_why(command, example_dir, tmp_path):
    out = json.loads(_weightless(example_dir, tmp_path, command, "--json").stdout)
    assert out["salaries"]["unshared_fen"] == 78_767_189
    assert [ln["passed"] for ln in out["salaries"]["lines"]] == [True, False]
    assert WEIGHTLESS in out["notes"]
    assert not any("passes their scorecard, and" in n for n in out["notes"])


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_salaries_table_does_not_say_the_pool_was_shared(example_dir, tmp_path):
    result = _weightless(example_dir, tmp_path, "distribute")
    assert result.exit_code == 0, result.output
    assert _flat(result.stderr).count(WEIGHTLESS) == 1
    assert "shared by weight × score among staff who pass" not in _flat(result.stdout)
    book = tmp_path / "d.xlsx"  # the file keeps the table's own note: the same sentence
    assert _weightless(example_dir, tmp_path, "distribute", "--out", str(book)).exit_code == 0
    import openpyxl

    cells = {c.value for ws in openpyxl.load_workbook(book) for r in ws.iter_rows() for c in r}
    assert WEIGHTLESS in cells
    assert not any(str(c).startswith("Incentive pool 787,671.89 yuan shared") for c in cells)


def test_the_pool_note_of_an_unshared_pool_says_it_was_not_shared():
    from ihms.payment.salary import pool_note

    assert pool_note(78_767_189, unshared_fen=78_767_189) == (
        "Incentive pool 787,671.89 yuan: not shared (no staff member both passes and has a weight "
        "above 0), kept on the consortium's staff-incentive use."
    )
