"""``ihms payment compare`` warns of implausibly sized spending as ``settle`` does (user
review, task 2): a note on stderr and in ``--json``'s ``notes``, never a refusal. The
spending is checked as observed (the counterfactual saving is derived from it), once
per compared year, under the first rule set that flags it, the others named.

The numbers are tests/payment/test_plausibility.py's hand-worked 2018 (yuan typed as
whole numbers in the fen columns: 6.10 yuan per insured person, 0.90 % of sanming's
678.40-yuan premium)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment._config import builtin_rules_text

from .test_plausibility import _yuan_in_fen_columns

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
runner = CliRunner()


def _compare(spending: Path, *extra: str):
    args = ["payment", "compare", "--year", "2018", "--year", "2019"]
    args += ["--spending", str(spending), "--population", str(EX / "population.csv")]
    return runner.invoke(app, [*args, "--assume-passed", *extra])


def test_compare_warns_of_yuan_typed_in_the_fen_column(tmp_path):
    path = _yuan_in_fen_columns(tmp_path)
    r = _compare(path, "--json")
    assert r.exit_code == 0, r.output  # a note, not a refusal
    notes = [n for n in json.loads(r.stdout)["notes"] if "ratchet" not in n]
    assert [n.split(":")[0] for n in notes] == ["2018, rules sanming", "2019, rules sanming"]
    first = notes[0]
    assert "6.10 yuan per insured person in 2018" in first
    assert f"column 'insurance_paid_fen' of {path}" in first
    # other-areas' budget is history-based: the slip shrinks it too, so no ratio shows
    # it, but 6.10 yuan a head is under the 7-yuan floor (payment review 2026-11-25, 7)
    assert first.endswith(" Rules other-areas warn of it too.")
    stderr = " ".join(r.stderr.split())
    assert "note: 2018, rules sanming: Charged spending of 6.10 yuan" in stderr
    # the table too, with its notes on stderr
    r = _compare(path)
    assert r.exit_code == 0, r.output
    assert "2019, rules sanming: Charged spending" in " ".join(r.stderr.split())


def test_every_rule_set_that_flags_a_year_is_named_in_its_one_note(tmp_path):
    county = tmp_path / "county.yaml"
    county.write_text(
        builtin_rules_text("sanming").replace("name: sanming\n", "name: county-impm\n"),
        encoding="utf-8",
    )
    r = _compare(_yuan_in_fen_columns(tmp_path), "--rules", "sanming", "--rules", str(county))
    assert r.exit_code == 0, r.output
    stderr = " ".join(r.stderr.split())
    assert stderr.count("rules sanming: Charged spending") == 2  # 2018 and 2019
    assert "rules county-impm:" not in stderr
    assert stderr.count("Rules county-impm warn of it too.") == 2


def test_compare_of_the_example_tables_has_no_such_note():
    r = _compare(EX / "spending.csv", "--json")
    assert r.exit_code == 0, r.output
    notes = json.loads(r.stdout)["notes"]
    assert not [n for n in notes if "yuan per insured person" in n]
    assert "yuan per insured person" not in r.stderr
