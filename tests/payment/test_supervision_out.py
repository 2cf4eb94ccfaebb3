"""``ihms payment supervision --out FILE.xlsx|.csv``: the two tables the command prints
(the indicators to date, the card totals) with their notes, a sheet each, every figure a
number cell equal to the one printed and given by ``--json``; written whole, another
suffix refused. Golden figures: doctor A's card to 30 April 2016 on the hand-worked store
of ``test_staff_from_store`` (3 health-education sessions, 7.9344 due = 24 × 121 / 366;
43.8 points to date, 51.3 at this pace, pass mark 60; ``test_supervision``)."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pandas as pd
from tests.payment.test_supervision import _command
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

RATE = "2016,A,health_management_rate,0.92\n"


def _figure(cell) -> Decimal | None:
    """A figure cell read back: a number (never text), or empty for none."""
    if cell.value is None:
        return None
    assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    return Decimal(str(cell.value))


def _json_figure(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_the_workbook_holds_both_tables_with_the_printed_figures(tmp_path):
    args, ind = _command(tmp_path, RATE)
    out = tmp_path / "sup.xlsx"
    r = runner.invoke(app, [*args, "--indicators", ind, "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert f"Tables written to {out}" in " ".join(r.stdout.split())
    printed = json.loads(runner.invoke(app, [*args, "--indicators", ind, "--json"]).stdout)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["indicators", "totals"]
    ws = book["indicators"]
    assert ws["A1"].value == "Scorecard indicators of 2016 to 2016-04-30"
    header = [c.value for c in ws[2]]
    assert header == ["Staff", "Indicator", "Value", "Due by now", "Year's target", "On track"]
    rows = [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=3)][
        : len(printed["lines"])
    ]
    for line, row in zip(printed["lines"], rows, strict=True):
        assert (row["Staff"].value, row["Indicator"].value) == (line["staff_id"], line["indicator"])
        for key, column in (("value", "Value"), ("due", "Due by now"), ("target", "Year's target")):
            assert _figure(row[column]) == _json_figure(line[key]), (line, column)
    sessions = next(r for r in rows if r["Indicator"].value == "health_education_sessions")
    assert _figure(sessions["Due by now"]) == Decimal("7.9344")  # 24 x 121 / 366
    notes = [row[0].value for row in ws.iter_rows(min_row=3 + len(rows)) if row[0].value]
    assert notes == ["Due by now: a count's target for the year pro rata to the day; a rate "
                     "is compared with its target as it stands."]  # fmt: skip
    totals = book["totals"]
    assert totals["A1"].value == "Scorecard totals of 2016 to 2016-04-30"
    header = [c.value for c in totals[2]]
    card = dict(zip(header, totals[3], strict=True))
    assert (card["Staff"].value, card["Card"].value) == ("A", "doctor")
    assert (
        _figure(card["Points to date"]) == Decimal("43.8") == Decimal(printed["cards"][0]["points"])
    )
    assert _figure(card["Points at this pace"]) == Decimal("51.3")
    assert _figure(card["Pass mark"]) == Decimal("60")
    assert card["Verdict"].value == "would not pass at this pace"
    assert totals["A4"].value.startswith("Points to date: the card scoring the values")


def test_a_missing_figure_is_an_empty_cell_and_the_csv_reads_back_exactly(tmp_path):
    # the indicator file left out: no health_management_rate, so the card has no total
    # (printed "—", null in --json) and the rate's line no value
    args, _ = _command(tmp_path, RATE)
    out = tmp_path / "sup.csv"
    r = runner.invoke(app, [*args, "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    printed = json.loads(r.stdout)
    assert f"tables written to {out}, {tmp_path / 'sup-totals.csv'}" in " ".join(r.stderr.split())
    lines = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert len(lines) == len(printed["lines"])
    for line, (_, row) in zip(printed["lines"], lines.iterrows(), strict=True):
        for key, column in (("value", "Value"), ("due", "Due by now"), ("target", "Year's target")):
            written = None if row[column] == "" else Decimal(row[column])
            assert written == _json_figure(line[key])
    rate = lines.set_index("Indicator").loc["health_management_rate"]
    assert rate["Value"] == "" and rate["On track"] == "no value"
    totals = pd.read_csv(tmp_path / "sup-totals.csv", dtype=str, encoding="utf-8-sig",
                         keep_default_na=False)  # fmt: skip
    assert printed["cards"][0]["points"] is None
    assert totals.loc[0, "Points to date"] == "" and totals.loc[0, "Pass mark"] == "60"
    book_out = tmp_path / "sup.xlsx"
    assert runner.invoke(app, [*args, "--out", str(book_out)]).exit_code == 0
    ws = openpyxl.load_workbook(book_out)["totals"]
    assert ws["C3"].value is None and ws["C3"].data_type == "n"


def test_another_suffix_is_refused_before_the_store_is_read(tmp_path):
    args, ind = _command(tmp_path, RATE)
    out = tmp_path / "sup.json"
    r = runner.invoke(app, [*args, "--indicators", ind, "--out", str(out)])
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert "--out" in said and "sup.json" in said and ".xlsx" in said and ".csv" in said
    assert not out.exists()


def test_a_whole_figure_of_hundreds_is_written_and_given_in_plain_digits(tmp_path):
    # 300 consultation days given by file: a Decimal normalized to 4 places is 3E+2,
    # which --json gave as "3E+2"; every output says 300
    args, ind = _command(tmp_path, RATE + "2016,A,thc_consultation_days,300\n")
    out = tmp_path / "sup.csv"
    r = runner.invoke(app, [*args, "--indicators", ind, "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    line = next(ln for ln in json.loads(r.stdout)["lines"]
                if ln["indicator"] == "thc_consultation_days")  # fmt: skip
    assert line["value"] == "300"
    written = pd.read_csv(out, dtype=str, encoding="utf-8-sig").set_index("Indicator")
    assert written.loc["thc_consultation_days", "Value"] == "300"
    printed = runner.invoke(app, [*args, "--indicators", ind]).stdout
    row = next(r for r in printed.splitlines() if "thc_consultation_days" in r)
    assert [c for c in row.split() if c != "│"][2:5] == ["300", "3.9672", "12"]
