"""The files ``ihms its fit`` (--plot, --predict) and ``ihms growth --out`` write go
into a folder created when missing, as ``ihms indicators compute --out`` creates its
own; a folder that cannot be made (a file stands in its way) is refused before the
work, and nothing is left half-written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SERIES = Path(__file__).resolve().parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
FIT = ["its", "fit", str(SERIES), "--outcome", "hospitalizations", "--time", "month",
       "--interruption", "2017-10"]  # fmt: skip


def flat(output: str) -> str:
    return " ".join(output.split())


def test_its_writes_plot_and_predictions_into_new_folders(tmp_path):
    plot = tmp_path / "figures" / "its.svg"
    predict = tmp_path / "tables" / "2017" / "its.xlsx"
    result = runner.invoke(app, [*FIT, "--plot", str(plot), "--predict", str(predict)])
    assert result.exit_code == 0, result.output
    assert plot.read_text("utf-8").lstrip().startswith("<?xml")
    assert len(pd.read_excel(predict, sheet_name="data")) > 0
    assert sorted(p.name for p in predict.parent.iterdir()) == ["its.xlsx"]


def test_its_refuses_a_folder_it_cannot_make_before_writing_anything(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    plot = tmp_path / "figures" / "its.png"
    predict = tmp_path / "afile" / "sub" / "its.csv"
    result = runner.invoke(app, [*FIT, "--plot", str(plot), "--predict", str(predict)])
    assert result.exit_code == 2, result.output
    said = flat(result.output)
    assert "option '--predict'" in said and "afile" in said and "not a folder" in said
    # refused before the fit: the figure was not written either, no folder made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_growth_out_creates_its_folder_or_refuses_one_it_cannot_make(tmp_path):
    table = tmp_path / "g.csv"
    table.write_text("year,value\n2016,100\n2019,133.1\n", encoding="utf-8")
    out = tmp_path / "reports" / "growth.xlsx"
    result = runner.invoke(app, ["growth", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    # (133.1 / 100) ** (1/3) - 1 = 10% a year
    frame = pd.read_excel(out, header=None)
    assert frame.astype(str).apply(lambda c: c.str.contains("10.0")).any().any()
    assert sorted(p.name for p in out.parent.iterdir()) == ["growth.xlsx"]
    (tmp_path / "afile").write_text("x")
    blocked = tmp_path / "afile" / "growth.csv"
    result = runner.invoke(app, ["growth", str(table), "--out", str(blocked)])
    assert result.exit_code == 2
    assert "option '--out'" in flat(result.output) and "not a folder" in flat(result.output)
