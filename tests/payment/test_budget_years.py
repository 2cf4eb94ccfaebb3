"""``ihms payment budget`` over several years (``--year`` repeated; payment review #15):
one table, a row per year, exact Decimal yuan (:func:`ihms.payment.budgets_summary`),
``--json`` a list of what each year budgeted alone gives, ``--out`` the table as numbers.

Golden figures, worked by hand from examples/payment/population.csv and the sanming rule
set (premium 640.00 yuan in 2017 grown 6 % a year, rounded half up; 3 % reserved for
private hospitals, 5 % for the risk-adjustment fund): 2017, 346,560 insured × 640.00 =
221,798,400.00 yuan; 2019, 348,480 × 719.10 (640 × 1.06² = 719.104) = 250,591,968.00,
less 7,517,759.04 and 12,529,598.40 = 230,544,610.56 yuan; on the residents, 2019,
363,000 × 719.10 = 261,033,300.00 yuan."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.payment import (
    SpendingTable,
    budgets_summary,
    county_year,
    global_budget,
    load_rules,
    past_years,
)
from ihms.payment.tables import CountyYear, PopulationTable

from .test_budget_population_basis import _residents_rules

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
POP = ["--population", str(EX / "population.csv")]


def _budget(*args):
    return runner.invoke(app, ["payment", "budget", *POP, *args])


@pytest.mark.usefixtures("former_sanming_rules")
def test_several_years_are_one_table_a_row_per_year_and_json_a_list_in_year_order():
    r = _budget("--year", "2019", "--year", "2017", "--year", "2018", "--json")
    assert r.exit_code == 0, r.output
    given = json.loads(r.stdout)
    assert [b["year"] for b in given] == [2017, 2018, 2019]
    assert given[0]["pooled_fund_fen"] == 22_179_840_000
    last = given[2]
    assert (last["premium_fen"], last["pooled_fund_fen"]) == (71_910, 25_059_196_800)
    assert (last["private_reserve_fen"], last["risk_adjustment_fen"]) == (
        751_775_904,
        1_252_959_840,
    )
    assert last["global_budget_fen"] == 23_054_461_056
    printed = _budget("--year", "2017", "--year", "2019")
    assert printed.exit_code == 0, printed.output
    said = " ".join(re.sub(r"[│┃]", " ", printed.stdout).split())
    assert said.startswith("Global budgets 2017–2019 (population-based)")
    for figure in ("348,480", "719.10", "250,591,968.00", "12,529,598.40", "230,544,610.56"):
        assert figure in said
    # the table's text, whole: a row per year
    text = budgets_summary(
        [global_budget(load_rules("sanming"), county=CountyYear(y, n)) for y, n in
         ((2017, 346_560), (2019, 348_480))]
    ).to_text()  # fmt: skip
    assert " ".join(text.splitlines()[5].split()) == (
        "2019 348,480 719.10 250,591,968.00 7,517,759.04 12,529,598.40 230,544,610.56"
    )


def test_each_year_of_the_list_is_what_budgeting_it_alone_gives():
    ratchet = ["--rules", "other-areas", "--spending", str(EX / "spending.csv")]
    alone = [json.loads(_budget(*ratchet, "--year", str(y), "--json").stdout) for y in (2018, 2019)]
    both = _budget(*ratchet, "--year", "2018", "--year", "2019", "--json")
    assert both.exit_code == 0, both.output
    assert json.loads(both.stdout) == alone  # the working and the notes of each year too
    assert all(b["steps"] and b["method"] == "history" for b in alone)


def test_a_year_given_twice_is_budgeted_once_as_one_year():
    r = _budget("--year", "2018", "--year", "2018", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == json.loads(_budget("--year", "2018", "--json").stdout)


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_years_table_is_written_as_numbers(tmp_path):
    out = tmp_path / "budgets.xlsx"
    r = _budget("--year", "2017", "--year", "2019", "--out", str(out))
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["budgets"]
    ws = book["budgets"]
    assert ws["A1"].value == "Global budgets 2017–2019 (population-based)"
    header = [c.value for c in ws[2]]
    assert header[:3] == ["Year", "Insured population", "Premium (yuan)"]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in ws.iter_rows(3, 4)}
    assert sorted(rows) == [2017, 2019]
    year = rows[2019]["Year"]
    assert (year.value, year.number_format) == (2019, "General")  # a year, not 2,019
    assert rows[2019]["Insured population"].value == 348_480
    gb = rows[2019]["Global budget (yuan)"]
    assert (Decimal(str(gb.value)), gb.number_format) == (Decimal("230544610.56"), "#,##0.00")
    assert Decimal(str(rows[2017]["Pooled fund (yuan)"].value)) == Decimal("221798400.00")
    csv = tmp_path / "budgets.csv"
    assert _budget("--year", "2017", "--year", "2019", "--out", str(csv)).exit_code == 0
    written = pd.read_csv(csv, dtype=str, encoding="utf-8-sig").set_index("Year")
    assert written.loc["2019", "Global budget (yuan)"] == "230544610.56"
    assert written.loc["2019", "Premium (yuan)"] == "719.10"


def test_a_year_the_inputs_lack_stops_the_command_before_anything_is_shown(tmp_path):
    out = tmp_path / "budgets.xlsx"
    r = _budget("--year", "2018", "--year", "2031", "--out", str(out), "--json")
    assert r.exit_code == 2
    assert "no population for 2031" in " ".join(r.output.split())
    assert json.loads(r.stdout)["ok"] is False  # --json's error, no year's budget
    assert "pooled_fund_fen" not in r.stdout and not out.exists()


@pytest.mark.usefixtures("former_sanming_rules")
def test_budgets_summary_holds_numbers_and_the_population_each_basis_reads(tmp_path):
    pop = PopulationTable.read(EX / "population.csv")
    rules = _residents_rules(tmp_path)
    table = budgets_summary(
        [global_budget(rules, county=county_year(rules, y, population=pop)) for y in (2018, 2019)]
    )
    frame = table.to_frame()
    assert frame.index.tolist() == [2018, 2019] and frame.index.name == "Year"
    assert frame.loc[2019, "Insured population"] == 348_480
    assert frame.loc[2019, "Resident population"] == 363_000
    assert frame.loc[2019, "Pooled fund (yuan)"] == Decimal("261033300.00")
    assert table.title == "Global budgets 2018–2019 (population-based)"
    # a history-based budget has no premium, and a budget on the insured no residents
    ratchet = load_rules("other-areas")
    history = past_years(ratchet, 2018, spending=SpendingTable.read(EX / "spending.csv"),
                         population=pop)  # fmt: skip
    alone = budgets_summary(
        [global_budget(ratchet, county=county_year(ratchet, 2018, population=pop), history=history)]
    )
    assert alone.frame.columns.tolist() == [
        "Insured population",
        "Pooled fund (yuan)",
        "Private reserve (yuan)",
        "Risk-adjustment fund (yuan)",
        "Global budget (yuan)",
    ]
    assert alone.title == "Global budgets 2018 (history-based)"
    with pytest.raises(InputError, match="at least one year"):
        budgets_summary([])
