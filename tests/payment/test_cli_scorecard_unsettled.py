"""``ihms payment scorecard`` without a settlement (no --spending, --population or
--store) scores the cards but has no incentive pool to share: it says the incentives were
not computed, not that the year kept no balance (review P #5), and its JSON gives no
pool and no incentive (null), not 0."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _doctors(tmp_path, example_dir):
    rows = (example_dir / "staff.csv").read_text().splitlines()
    path = tmp_path / "doctors.csv"
    path.write_text("\n".join([rows[0], *(r for r in rows[1:] if ",doctor," in r)]) + "\n")
    return path


def _doctor_values(tmp_path, example_dir):
    rows = (example_dir / "indicators.csv").read_text().splitlines()
    path = tmp_path / "doctor_values.csv"
    path.write_text("\n".join([rows[0], *(r for r in rows[1:] if ",DR-" in r)]) + "\n")
    return path


def _scorecard(tmp_path, example_dir, *extra):
    args = ["payment", "scorecard", "--indicators", str(_doctor_values(tmp_path, example_dir))]
    args += ["--staff", str(_doctors(tmp_path, example_dir)), "--year", "2019", *extra]
    return runner.invoke(app, args)


def test_the_table_says_no_settlement_was_computed(tmp_path, example_dir):
    result = _scorecard(tmp_path, example_dir)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "no balance kept" not in text
    assert "No settlement computed: incentives not computed" in text
    assert "Incentive" not in text  # no column of zeros standing for "unknown"
    assert "Annual salaries" in text


def test_the_json_gives_no_pool(tmp_path, example_dir):
    result = _scorecard(tmp_path, example_dir, "--json")
    assert result.exit_code == 0, result.output
    salaries = json.loads(result.stdout)["salaries"]
    assert salaries["pool_fen"] is None and salaries["unshared_fen"] is None
    assert {ln["incentive_fen"] for ln in salaries["lines"]} == {None}
    assert all(ln["annual_salary_fen"] > 0 for ln in salaries["lines"])


def test_a_settled_year_without_a_pool_still_says_no_balance_kept(youxi):
    # the library's default pool is 0 fen: a settled year that kept nothing
    from ihms.payment import annual_salaries, load_rules

    rules = load_rules("sanming")
    doctors = [m for m in youxi["staff"].members if m.role == "doctor"]
    values = {m.staff_id: youxi["indicators"].for_subject(2019, m.staff_id) for m in doctors}
    result = annual_salaries(rules.staff_pay, doctors, values)
    assert "no balance kept" in " ".join(result.summary().notes)
    assert result.to_dict()["pool_fen"] == 0
