"""Which year a store's spending counts in (review session 24, finding 3): by the
encounter's date (the default) or by the date its settlement closed (``claims.settled_date``,
``--date settled``), with a note either way on claims settled after 31 December.

The store is the tiny county of ``tests/indicators/conftest.py`` with one claim added: r7's
stay at the provincial hospital PH (encounter i3, 20 November 2016, insurance 1,000,000
fen at the point of service) settled on 15 January 2017 for 900,000 fen from insurance.
The reviewer's reproduction did the same on a simulated store (a 2018-12-31 encounter
settled 2019-01-15), which flipped 2018 from a balance to an overspend.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from tests.indicators.conftest import tiny_frames
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Dataset, Period, Store
from ihms.errors import InputError
from ihms.payment import late_settlement_note, spending_from_store

runner = CliRunner()


def _frames() -> dict[str, pd.DataFrame]:
    frames = tiny_frames()
    late = pd.DataFrame(
        {
            "claim_id": ["c2"],
            "encounter_id": ["i3"],
            "settled_date": [date(2017, 1, 15)],
            "insurance_paid_fen": [900000],
            "out_of_pocket_fen": [1100000],
        }
    )
    frames["claims"] = pd.concat([frames["claims"], late], ignore_index=True)
    return frames


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    data = Dataset.from_frames(_frames(), period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    path = tmp_path_factory.mktemp("dating") / "ihms.duckdb"
    with Store(path) as s:
        s.write(data)
    return path


def _paid(table, year: int, inst: str) -> int:
    f = table.frame
    return int(
        f.loc[(f["year"] == year) & (f["institution_id"] == inst), "insurance_paid_fen"].sum()
    )


def test_encounter_dating_keeps_a_late_claim_in_the_encounters_year(store_path):
    with Store(store_path, read_only=True) as s:
        sp = spending_from_store(s)
        assert sp.frame.equals(spending_from_store(s, date="encounter").frame)
        # PH 2016: o4 20,000 + i3 as settled, 900,000; PH 2017: p15 at 0
        assert (_paid(sp, 2016, "PH"), _paid(sp, 2017, "PH")) == (920000, 0)
        note = late_settlement_note(s, 2016)
        assert note is not None
        assert "1 claim" in note and "9,000.00 yuan" in note and "31 December 2016" in note
        assert "counted in 2016" in note and "--date settled" in note
        assert late_settlement_note(s, 2017) is None  # nothing of 2017 settled in 2018


def test_settled_dating_leaves_a_late_claim_to_the_year_it_was_settled(store_path):
    with Store(store_path, read_only=True) as s:
        enc = spending_from_store(s, date="encounter").frame
        sp = spending_from_store(s, date="settled")
        assert (_paid(sp, 2016, "PH"), _paid(sp, 2017, "PH")) == (20000, 900000)
        # the claim settled within its year (c1, i1 at CH) does not move
        assert _paid(sp, 2016, "CH") == 302000
        # money is only moved between years, never lost
        assert sp.frame["insurance_paid_fen"].sum() == enc["insurance_paid_fen"].sum()
        assert sp.frame["encounters"].sum() == enc["encounters"].sum()
        note = late_settlement_note(s, 2016, date="settled")
        assert "1 claim" in note and "9,000.00 yuan" in note
        assert "left to 2017" in note
        brought = late_settlement_note(s, 2017, date="settled")
        assert "1 claim" in brought and "9,000.00 yuan" in brought and "2016" in brought
        with pytest.raises(InputError, match="date: expected one of encounter, settled"):
            spending_from_store(s, date="paid")


def _settle(store_path, *extra):
    args = ["payment", "settle", "--store", str(store_path), "--county", "c1", "--year", "2016"]
    args += ["--rules", "fee-for-service", "--json", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_settle_dates_by_encounter_by_default_and_notes_the_late_claim(store_path):
    default = _settle(store_path)
    assert default == _settle(store_path, "--date", "encounter")
    settled = _settle(store_path, "--date", "settled")
    # 9,000.00 yuan less charged to 2016 when dated by settlement
    charged = (default["figures"]["charged_fen"], settled["figures"]["charged_fen"])
    assert charged[0] - charged[1] == 900000
    assert any("counted in 2016" in n for n in default["notes"])
    assert any("left to 2017" in n for n in settled["notes"])
    compared = runner.invoke(
        app,
        ["payment", "compare", "--store", str(store_path), "--county", "c1", "--year", "2016",
         "--rules", "fee-for-service", "--saving", "0%", "--date", "settled", "--json"],
    )  # fmt: skip
    assert compared.exit_code == 0, compared.output
    assert any("left to 2017" in n for n in json.loads(compared.stdout)["notes"])


def _budget(store_path, *extra):
    args = ["payment", "budget", "--store", str(store_path), "--county", "c1", "--year", "2017"]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    return result


def test_a_history_budget_notes_the_late_claims_of_the_years_it_reads(store_path):
    # other-areas: 2017's budget = 10 insured x 2016's charged spending per insured x 1.05.
    # Dated by encounter, 2016 holds the late claim: 12,945.00 / 10 x 1.05 x 10 =
    # 13,592.25 yuan; dated by settlement it moves to 2017: 3,945.00 / 10 x 1.05 x 10 =
    # 4,142.25 yuan (9,000.00 x 1.05 = 9,450.00 less). Each says so, as settle does.
    by_encounter = json.loads(_budget(store_path, "--rules", "other-areas", "--json").stdout)
    assert by_encounter["global_budget_fen"] == 1_359_225
    (noted,) = by_encounter["notes"]
    assert "2016's encounters, 9,000.00 yuan" in noted and "counted in 2016" in noted
    by_settlement = _budget(store_path, "--rules", "other-areas", "--date", "settled", "--json")
    settled = json.loads(by_settlement.stdout)
    assert settled["global_budget_fen"] == 414_225
    (noted,) = settled["notes"]
    assert "2016's encounters, 9,000.00 yuan" in noted and "left to 2017" in noted
    assert " ".join(by_settlement.stderr.split()).count("left to 2017") == 1  # on the terminal


def test_a_population_budget_reads_no_claims_and_says_the_date_changes_nothing(store_path):
    # sanming's budget is the population x the premium: no spending, no late-claims note;
    # --date settled given anyway is said to change nothing
    default = json.loads(_budget(store_path, "--json").stdout)
    assert default["notes"] == []
    dated = _budget(store_path, "--date", "settled", "--json")
    (noted,) = json.loads(dated.stdout)["notes"]
    assert noted.startswith("--date settled: rules 'sanming' set the budget from the population")
    assert json.loads(dated.stdout)["global_budget_fen"] == default["global_budget_fen"]


def test_settle_notes_the_late_claims_of_the_history_its_budget_reads(store_path):
    # settle 2017 under other-areas reads 2016's spending for the budget: the same note
    args = ["payment", "settle", "--store", str(store_path), "--county", "c1", "--year", "2017"]
    result = runner.invoke(app, [*args, "--rules", "other-areas", "--json"])
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert any("2016's encounters, 9,000.00 yuan" in n and "counted in 2016" in n for n in notes)


def test_a_budget_of_several_years_gives_each_its_notes_and_says_a_note_once(store_path):
    # --date settled given to a population budget of 2017 and 2018 (the population of
    # examples/payment: the store holds 2016-2017, and sanming's premium starts in 2017):
    # each year's budget carries the note, as budgeted alone; the terminal reads it once
    pop = Path(__file__).resolve().parents[2] / "examples" / "payment" / "population.csv"
    args = ["payment", "budget", "--store", str(store_path), "--population", str(pop)]
    args += ["--date", "settled", "--json"]
    r = runner.invoke(app, [*args, "--year", "2018", "--year", "2017"])
    assert r.exit_code == 0, r.output
    given = json.loads(r.stdout)
    assert [b["year"] for b in given] == [2017, 2018]
    alone = runner.invoke(app, [*args, "--year", "2017"])
    assert given[0] == json.loads(alone.stdout)
    assert given[1]["notes"] == given[0]["notes"] and len(given[0]["notes"]) == 1
    said = " ".join(r.stderr.split())
    assert said.count("--date settled: rules 'sanming' set the budget") == 1
