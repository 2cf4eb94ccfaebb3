"""The built-in Sanming rules settle a roster with nurses and technicians (review 24 #1):
Zhong et al. 2023 ("The payment policies for IHC in IMPM", item 2) give the 16 % staff
share to "all ICHC medical staff", and the rules score roles without a card of their
own on the doctor's card (``staff_pay.other_roles``, an assumption they list).

Golden figures: the example roster (examples/payment, 2018) with two doctors relabelled
scores them on the same card from the same values, so every salary and share is the
one they had as doctors — DR-THC03-A 116,708.37 yuan (README's figure)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import load_rules

runner = CliRunner()


def _settle(example_dir, staff, command="settle", *extra):
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files.append(f"--indicators={example_dir / 'indicators.csv'}")
    return runner.invoke(
        app, ["payment", command, *files, f"--staff={staff}", "--year", "2018", *extra]
    )


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_roster_with_nurses_settles_on_the_doctors_card(example_dir, tmp_path):
    text = (example_dir / "staff.csv").read_text(encoding="utf-8")
    text = text.replace("DR-CH01-B,doctor,", "DR-CH01-B,nurse,")
    text = text.replace("DR-THC03-A,doctor,", "DR-THC03-A,technician,")
    staff = tmp_path / "st2.csv"
    staff.write_text(text, encoding="utf-8")
    given = _settle(example_dir, example_dir / "staff.csv", "settle", "--json")
    mixed = _settle(example_dir, staff, "settle", "--json")
    assert mixed.exit_code == 0, mixed.output
    before = {ln["staff_id"]: ln for ln in json.loads(given.stdout)["salaries"]["lines"]}
    after = {ln["staff_id"]: ln for ln in json.loads(mixed.stdout)["salaries"]["lines"]}
    assert after["DR-CH01-B"]["role"] == "nurse"
    assert after["DR-THC03-A"]["role"] == "technician"
    assert after["DR-THC03-A"]["incentive_fen"] == 11_670_837
    for sid, line in before.items():
        assert {**after[sid], "role": line["role"]} == line
    shown = _settle(example_dir, staff, "distribute")
    assert shown.exit_code == 0, shown.output
    assert (
        "Scored on the doctor's card, their role having no card of its own (the rules' "
        "staff_pay.other_roles): DR-CH01-B (nurse), DR-THC03-A (technician)."
    ) in " ".join(shown.output.split())


def test_the_choices_are_listed_as_assumptions():
    rules = load_rules("sanming")
    assert rules.staff_pay.other_roles == "doctor"
    listed = " ".join(rules.assumptions)
    assert "scored on the doctor's card (staff_pay.other_roles)" in listed
    # review 24 #5: the 2018 share for every year
    assert "16% staff share Zhong et al. 2023 give for 2018 is kept for every year" in listed
    # review 24 #2: how the share is shared
    assert "in proportion to weight x score" in listed
    assert "staff who fail get none of it" in listed
    assert "a share no one passes for is left unshared" in listed
