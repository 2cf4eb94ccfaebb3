"""``ihms payment ... --store`` on a store lacking a month of encounters in the year
read: the same note ``ihms data import`` gives (:func:`ihms.data.month_gaps`), for that
year only — a settled year with a month missing is almost certainly incomplete data."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from tests.payment.test_cli_store import run, text

NOTE = "note: encounters: none in 1 of 2018's 12 months (2018-03)"


@pytest.fixture(scope="module")
def march_missing(store_path, tmp_path_factory) -> Path:
    """A copy of the short Youxi simulation without its March 2018 encounters (and
    their claims), as an extract lacking that month would be."""
    path = tmp_path_factory.mktemp("gap") / "ihms.duckdb"
    _copy_without(store_path, path, "date >= DATE '2018-03-01' AND date < DATE '2018-04-01'")
    return path


def _copy_without(store: Path, path: Path, when: str, *tables: str) -> None:
    """Copy ``store`` to ``path`` without the encounters (their claims, the referrals
    and ``tables``) whose date matches ``when``."""
    shutil.copy(store, path)
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"DELETE FROM claims WHERE encounter_id IN (SELECT encounter_id FROM encounters "
            f"WHERE {when})"
        )
        for table in ("referrals", "encounters", *tables):
            con.execute(f"DELETE FROM {table} WHERE {when}")


@pytest.mark.parametrize(
    "command",
    [
        ["settle"],
        ["distribute"],
        ["scorecard", "--consortium", "youxi-ichc"],
        ["compare", "--saving", "0%"],
    ],
)
def test_a_year_with_an_empty_month_is_noted(march_missing, command):
    r = run(*command, "--store", march_missing, "--year", 2018)
    assert r.exit_code == 0, r.output
    assert NOTE in text(r)


def test_a_complete_year_of_the_same_store_is_not(march_missing, store_path):
    r = run("settle", "--store", march_missing, "--year", 2019)
    assert r.exit_code == 0, r.output
    assert "encounters: none" not in r.output
    r = run("settle", "--store", store_path, "--year", 2018)
    assert "encounters: none" not in r.output


#: What a settlement makes of the months without encounters (appended to the note).
EFFECT = "the spending charged for those months is too low, so a balance is overstated"


@pytest.fixture(scope="module")
def ends_in_june(store_path, tmp_path_factory) -> Path:
    """A copy of the short Youxi simulation whose data end in June 2019: its period
    ends 2019-06-30 and it holds nothing later, as an extract taken mid-year would."""
    path = tmp_path_factory.mktemp("june") / "ihms.duckdb"
    later = "date >= DATE '2019-07-01'"
    _copy_without(store_path, path, later, "followups", "staff_activities")
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE _ihms_meta SET value = '2019-06-30' WHERE key = 'period_end'")
    return path


def test_a_settled_year_past_the_end_of_the_data_is_noted(ends_in_june):
    r = run("settle", "--store", ends_in_june, "--year", 2019)
    assert r.exit_code == 0, r.output
    out = text(r)
    assert "note: encounters: none in 6 of 2019's 12 months (2019-07 to 2019-12" in out
    assert EFFECT in out


def test_the_note_of_a_payment_command_says_what_it_does_to_the_settlement(march_missing):
    r = run("settle", "--store", march_missing, "--year", 2018)
    assert r.exit_code == 0, r.output
    assert EFFECT in text(r)


@pytest.mark.parametrize("command", [["settle"], ["compare", "--saving", "0%"]])
def test_a_roster_at_a_non_member_is_refused_before_any_note(march_missing, tmp_path, command):
    # session 29's closing note: notes on the tables came before the refusal of the roster
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "staff_id,role,institution_id,base_salary_fen,weight\nD-X,director,NOT-A-MEMBER,3000,1\n",
        encoding="utf-8",
    )
    r = run(*command, "--store", march_missing, "--staff", staff, "--year", 2018)
    assert r.exit_code == 2, r.output
    assert "staff 'D-X' works at 'NOT-A-MEMBER', which has no consortium spending" in text(r)
    assert "note:" not in r.output
