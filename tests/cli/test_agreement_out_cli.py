"""``ihms agreement --out``: the report's table written for a paper (.xlsx, with its
title and notes) or for reading back (.csv), as ``ihms policy agreement --out`` writes."""

import json

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

# four segments, two coders agreeing on three: Cohen's kappa by hand (Cohen 1960):
# po = 3/4; A says x on 2 of 4, B on 1 of 4, pe = 1/2 * 1/4 + 1/2 * 3/4 = 1/2;
# kappa = (3/4 - 1/2) / (1 - 1/2) = 0.5
CODINGS = "segment,coder,code\ns1,A,x\ns1,B,x\ns2,A,y\ns2,B,y\ns3,A,x\ns3,B,y\ns4,A,y\ns4,B,y\n"


def _run(*args):
    return runner.invoke(app, ["agreement", *map(str, args)])


def test_the_workbook_has_the_table_its_title_and_its_notes(tmp_path):
    (tmp_path / "c.csv").write_text(CODINGS, encoding="utf-8")
    shown = _run(tmp_path / "c.csv", "--unit", "segment", "--json")
    assert shown.exit_code == 0, shown.output
    notes = json.loads(shown.output)["notes"]
    result = _run(tmp_path / "c.csv", "--unit", "segment", "--out", tmp_path / "ag.xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "ag.xlsx")
    assert book.sheetnames == ["agreement"]
    cells = [[c for c in r if c is not None] for r in book["agreement"].iter_rows(values_only=True)]
    assert cells[0][0].startswith("Inter-coder agreement")
    assert cells[1][:3] == ["dimension / category", "n", "agree"]
    header, kappa = book["agreement"].iter_rows(min_row=2, max_row=3, values_only=True)
    assert abs(kappa[header.index("kappa")] - 0.5) < 1e-12
    shown_as = book["agreement"].cell(row=3, column=header.index("kappa") + 1).number_format
    assert shown_as == "0.000"  # the number, shown to the decimals the table prints
    assert "Mean kappa over dimensions: 0.500." in [r[0] for r in cells[3:]]
    assert set(notes) <= {r[0] for r in cells[3:]}
    csv = _run(tmp_path / "c.csv", "--unit", "segment", "--out", tmp_path / "ag.csv")
    assert csv.exit_code == 0, csv.output
    frame = pd.read_csv(tmp_path / "ag.csv", encoding="utf-8-sig")
    assert frame.loc[0, "kappa"] == 0.5 and frame.columns[0] == "dimension / category"


def test_an_output_it_cannot_write_is_refused_before_the_work(tmp_path):
    (tmp_path / "c.csv").write_text(CODINGS, encoding="utf-8")
    result = _run(tmp_path / "c.csv", "--unit", "segment", "--out", tmp_path / "ag.txt")
    assert result.exit_code == 2
    assert "option '--out': " in result.output and "expected a .xlsx or .csv" in result.output
    assert not (tmp_path / "ag.txt").exists()


def test_an_output_in_a_folder_that_does_not_exist_makes_the_folder(tmp_path):
    # new-user review, session 31: the README's `agreement ... --out out/agreement.xlsx`
    # was refused in a folder without out/, while its, growth and indicators compute
    # make their --out folder
    (tmp_path / "c.csv").write_text(CODINGS, encoding="utf-8")
    out = tmp_path / "nowhere" / "deeper" / "a.xlsx"
    result = _run(tmp_path / "c.csv", "--unit", "segment", "--out", out)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["agreement"]


def test_an_output_whose_folder_cannot_be_made_is_refused_before_the_work(tmp_path):
    """It was refused after the work, naming the hidden temporary (``.a.tmp.xlsx``)."""
    (tmp_path / "c.csv").write_text(CODINGS, encoding="utf-8")
    (tmp_path / "afile").write_text("", encoding="utf-8")
    out = tmp_path / "afile" / "a.xlsx"
    result = _run(tmp_path / "c.csv", "--unit", "segment", "--out", out)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert said.startswith("error: option '--out': ") and "is a file, not a folder" in said
    assert ".tmp" not in said and "Inter-coder agreement" not in said
