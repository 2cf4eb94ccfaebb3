"""A text longer than an Excel cell holds (32,767 characters) is cut in a workbook the
policy commands write, with a note naming the cell, instead of pandas' bare warning
(review finding 17 of the auto-coder, a 67,800-character segment in a review sheet)."""

import warnings

import pandas as pd

from ihms.cli.policy import EXCEL_CELL, _write_frame


def test_a_long_text_is_cut_to_an_excel_cell_with_a_note(tmp_path, capsys):
    long = "政" * 67_800
    frame = pd.DataFrame({"segment": ["a", "b"], "text": ["短", long]}, index=[10, 11])
    out = tmp_path / "sheet.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' "Cell contents too long" no longer leaks
        _write_frame(frame, out)
    back = pd.read_excel(out, dtype=str)
    assert len(back.loc[1, "text"]) == EXCEL_CELL and back.loc[1, "text"].endswith("…")
    assert back.loc[0, "text"] == "短"
    err = " ".join(capsys.readouterr().err.split())
    assert "1 cell longer than an Excel cell's 32,767 characters cut short" in err
    assert "column 'text' row 3" in err and "write a .csv to keep them whole" in err
    assert len(frame.loc[11, "text"]) == 67_800  # the caller's frame is left alone

    csv = tmp_path / "sheet.csv"
    _write_frame(frame, csv)
    assert len(pd.read_csv(csv, dtype=str).loc[1, "text"]) == 67_800
    assert "cut short" not in capsys.readouterr().err
