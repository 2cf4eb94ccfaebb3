"""``ihms payment ... --store`` on a store lacking a month of encounters in the year
read: the same note ``ihms data import`` gives (:func:`ihms.data.month_gaps`), for that
year only — a settled year with a month missing is almost certainly incomplete data."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from tests.payment.test_cli_store import run, store_path, text  # noqa: F401 (a fixture)

NOTE = "note: encounters: none in 1 of 2018's 12 months (2018-03)"


@pytest.fixture(scope="module")
def march_missing(store_path, tmp_path_factory) -> Path:  # noqa: F811
    """A copy of the short Youxi simulation without its March 2018 encounters (and
    their claims), as an extract lacking that month would be."""
    path = tmp_path_factory.mktemp("gap") / "ihms.duckdb"
    shutil.copy(store_path, path)
    march = "date >= DATE '2018-03-01' AND date < DATE '2018-04-01'"
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"DELETE FROM claims WHERE encounter_id IN (SELECT encounter_id FROM encounters "
            f"WHERE {march})"
        )
        for table in ("referrals", "encounters"):
            con.execute(f"DELETE FROM {table} WHERE {march}")
    return path


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


def test_a_complete_year_of_the_same_store_is_not(march_missing, store_path):  # noqa: F811
    r = run("settle", "--store", march_missing, "--year", 2019)
    assert r.exit_code == 0, r.output
    assert "encounters: none" not in r.output
    r = run("settle", "--store", store_path, "--year", 2018)
    assert "encounters: none" not in r.output
