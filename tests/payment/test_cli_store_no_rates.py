"""``ihms payment ... --store`` on a store from which the consortium's assessment rates
cannot be computed: no follow-ups (the management rates count managed patients'
follow-ups) and no preventive encounters, as a county's HIS export often is (session 19
user review, F1). Since 2026-11-26 sanming's card scores the primary-care share of all
outpatient contacts, which such a store still gives; a share the cards score over
preventive encounters alone is blamed on them (test at the end).

README: "a consortium row of ``--indicators`` replaces that computed rate" — so the file's
rows must settle such a store, and so must ``--assume-passed``; without either the
refusal says why the store gave nothing and what to give instead.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from tests.payment.test_cli_store import run, text

#: The consortium rows a user gives for 2018 (any values in range; these are scored).
GIVEN = {
    "hypertension_control_rate": "0.725",
    "diabetes_control_rate": "0.681",
    "outpatient_contacts_primary_share": "0.58",
}


@pytest.fixture(scope="module")
def no_rates(store_path, tmp_path_factory) -> Path:
    """A copy of the short Youxi simulation without follow-ups and preventive visits."""
    path = tmp_path_factory.mktemp("norates") / "ihms.duckdb"
    shutil.copy(store_path, path)
    preventive = "SELECT encounter_id FROM encounters WHERE type = 'preventive'"
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM followups")
        con.execute(f"DELETE FROM claims WHERE encounter_id IN ({preventive})")
        con.execute(f"DELETE FROM referrals WHERE encounter_id IN ({preventive})")
        con.execute("DELETE FROM encounters WHERE type = 'preventive'")
    return path


@pytest.fixture
def indicators(tmp_path) -> Path:
    path = tmp_path / "indicators.csv"
    rows = "".join(f"2018,consortium,{i},{v}\n" for i, v in GIVEN.items())
    path.write_text("year,subject,indicator,value\n" + rows, "utf-8")
    return path


def test_the_indicator_files_consortium_rows_settle_a_store_without_rates(no_rates, indicators):
    r = run("settle", "--store", no_rates, "--year", 2018, "--indicators", indicators, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    got = {k: Decimal(v) for k, v in out["inputs"]["assessment_values"].items()}
    assert got == {k: Decimal(v) for k, v in GIVEN.items()}


def test_assume_passed_settles_a_store_without_rates(no_rates):
    r = run("settle", "--store", no_rates, "--year", 2018, "--assume-passed", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["inputs"]["assessment_values"] is None
    assert "Assessment assumed passed" in " ".join(out["notes"])
    # the note says what the store lacked
    assert "store" in text(r) and "no rows in its followups table" in text(r)


def test_the_refusal_says_why_the_store_gave_nothing_and_what_to_give(no_rates):
    r = run("settle", "--store", no_rates, "--year", 2018)
    assert r.exit_code == 2, r.output
    out = text(r)
    # the share of outpatient contacts is computed (the store holds outpatient visits)
    assert "gives no 2018 value of hypertension_control_rate, diabetes_control_rate for it (" in out
    assert "no rows in its followups table" in out
    assert "no preventive encounters" not in out
    assert "consortium rows of --indicators" in out and "--assume-passed" in out
    assert "in the results" not in out  # the library's words, without the why
    # scorecard has no --assume-passed: not offered there
    r = run("scorecard", "--store", no_rates, "--year", 2018)
    assert r.exit_code == 2, r.output
    assert "consortium rows of --indicators" in text(r)
    assert "--assume-passed" not in text(r)


def test_a_file_giving_part_of_the_card_names_what_is_still_lacking(no_rates, tmp_path):
    part = tmp_path / "part.csv"
    part.write_text(
        "year,subject,indicator,value\n2018,consortium,hypertension_control_rate,0.7\n",
        "utf-8",
    )
    r = run("settle", "--store", no_rates, "--year", 2018, "--indicators", part)
    assert r.exit_code == 2, r.output
    out = text(r)
    assert "gives no 2018 value of diabetes_control_rate for it (" in out
    assert "no rows in its followups table" in out
    # with --assume-passed the file's own 2018 row stands, so the advice is not to give
    # --assume-passed again (session-19 review) but to complete or remove that row
    r = run("settle", "--store", no_rates, "--year", 2018, "--indicators", part, "--assume-passed")
    assert r.exit_code == 2, r.output
    out = text(r)
    assert "or settle with --assume-passed" not in out
    assert "row gives only hypertension_control_rate" in out
    assert "remove it to assume the assessment passed" in out


@pytest.fixture(scope="module")
def no_followups(store_path, tmp_path_factory) -> Path:
    """A copy of the short Youxi simulation without follow-ups (preventive visits kept)."""
    path = tmp_path_factory.mktemp("nofollowups") / "ihms.duckdb"
    shutil.copy(store_path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM followups")
    return path


def test_assume_passed_with_part_of_the_rates_says_what_is_not_scored(no_followups):
    r = run("settle", "--store", no_followups, "--year", 2018, "--assume-passed", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["inputs"]["assessment_values"] is None
    out = text(r)
    assert "gives no 2018 value of hypertension_control_rate, diabetes_control_rate" in out
    assert "its outpatient_contacts_primary_share not scored" in out
    assert "preventive" not in out and "outpatient contacts" not in out  # not blamed


def test_a_share_of_preventive_visits_is_blamed_on_their_absence(no_rates, tmp_path):
    # a rule file copied from sanming before 2026-11-26 scores the primary-care share of
    # preventive visits, which the store without them cannot give
    from ihms.payment import builtin_rules_text

    rules = tmp_path / "old-sanming.yaml"
    old = "id: healthcare_visits_primary_share"
    rules.write_text(
        builtin_rules_text("sanming").replace("id: outpatient_contacts_primary_share", old),
        "utf-8",
    )
    r = run("settle", "--store", no_rates, "--year", 2018, "--rules", rules)
    assert r.exit_code == 2, r.output
    out = text(r)
    assert "healthcare_visits_primary_share for it" in out
    assert (
        "it holds no preventive encounters in 2018, over which the primary-care share of "
        "healthcare visits is taken" in out
    )
