"""``write_stat_file``'s ``FILE-notes.csv``: put in place with its data file (both or
neither), and an earlier write's removed when a later one has no notes (review of
session 28's diff, finding 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from ihms._statfiles import write_stat_file
from ihms.errors import InputError


def _notes(path: Path) -> list[str]:
    return list(pd.read_csv(path, encoding="utf-8-sig")["note"])


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".dta"])
def test_a_write_without_notes_removes_the_notes_an_earlier_write_left(tmp_path, suffix):
    out = tmp_path / f"table{suffix}"
    write_stat_file(pd.DataFrame({"a": [1]}), out, notes=["suppressed below 5"])
    beside = tmp_path / "table-notes.csv"
    assert _notes(beside) == ["suppressed below 5"]
    write_stat_file(pd.DataFrame({"a": [2]}), out)
    # the notes described the earlier numbers: beside the new ones they would mislead
    assert not beside.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_a_users_own_notes_file_is_left_alone(tmp_path):
    beside = tmp_path / "table-notes.csv"
    beside.write_text("column,meaning\na,visits\n", encoding="utf-8")
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "table.csv")
    assert beside.read_text(encoding="utf-8") == "column,meaning\na,visits\n"


def test_an_xlsx_write_leaves_a_notes_file_beside_it_alone(tmp_path):
    # table-notes.csv is table.csv's (an .xlsx keeps its notes on a sheet)
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "table.csv", notes=["n"])
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "table.xlsx")
    assert _notes(tmp_path / "table-notes.csv") == ["n"]


def test_a_data_file_that_cannot_be_replaced_leaves_the_earlier_notes(tmp_path, monkeypatch):
    out = tmp_path / "table.parquet"
    write_stat_file(pd.DataFrame({"a": [1]}), out, notes=["earlier"])
    replace = Path.replace

    def locked(self, target):  # the data file open in a program that locks it
        if Path(target) == out:
            raise PermissionError(13, "Permission denied", str(target))
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(InputError, match=r"table\.parquet: cannot be written"):
        write_stat_file(pd.DataFrame({"a": [2]}), out, notes=["later"])
    # the earlier data and its notes, together; no hidden file left
    assert _notes(tmp_path / "table-notes.csv") == ["earlier"]
    assert pd.read_parquet(out)["a"].tolist() == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table-notes.csv", "table.parquet"]


def test_notes_of_another_format_under_the_same_stem_are_kept(tmp_path):
    # review of session 29's diff: r.csv with notes, then r.dta without, removed the
    # notes r.csv still needed
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv", notes=["by month"])
    write_stat_file(pd.DataFrame({"a": [2]}), tmp_path / "r.dta")
    assert _notes(tmp_path / "r-notes.csv") == ["by month"]


def test_notes_that_cannot_be_replaced_leave_the_earlier_data_and_notes(tmp_path, monkeypatch):
    # review of session 29's diff: the data file was renamed in first, and a notes file
    # held open elsewhere then left the new data beside the earlier notes; now the data
    # file is put back (ihms._atomic.staged) and the error names the notes file
    out = tmp_path / "t.csv"
    write_stat_file(pd.DataFrame({"a": [1]}), out, notes=["first"])
    replace = Path.replace

    def refuse_notes(self, target):
        if Path(target).name == "t-notes.csv":
            raise PermissionError(13, "Permission denied", str(self), None, str(target))
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", refuse_notes)
    with pytest.raises(
        InputError,
        match=r"t\.csv: cannot be written: its notes .*t-notes\.csv "
        r"cannot be replaced \(Permission denied\); nothing was changed",
    ):
        write_stat_file(pd.DataFrame({"a": [2]}), out, notes=["second"])
    monkeypatch.undo()
    assert list(pd.read_csv(out, encoding="utf-8-sig")["a"]) == [1]
    assert _notes(tmp_path / "t-notes.csv") == ["first"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-notes.csv", "t.csv"]


def test_notes_that_would_replace_another_formats_notes_are_refused(tmp_path):
    # review of session 29's diff: r.csv and r.parquet written with notes shared
    # r-notes.csv, the second write's replacing the first's beside r.csv
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv", notes=["by month"])
    with pytest.raises(InputError) as caught:
        write_stat_file(
            pd.DataFrame({"a": [2]}), tmp_path / "r.parquet", notes=["by year"], option="--out"
        )
    said = str(caught.value)
    assert said.startswith(f"--out {tmp_path / 'r.parquet'}: its notes would replace ")
    assert f"{tmp_path / 'r-notes.csv'}, which may be the notes of {tmp_path / 'r.csv'}" in said
    assert _notes(tmp_path / "r-notes.csv") == ["by month"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-notes.csv", "r.csv"]
    # the same file written again with its notes, the common case, replaces them
    write_stat_file(pd.DataFrame({"a": [3]}), tmp_path / "r.csv", notes=["by quarter"])
    assert _notes(tmp_path / "r-notes.csv") == ["by quarter"]


def test_a_second_format_whose_stem_has_no_notes_file_writes_one(tmp_path):
    # r.csv without notes has no r-notes.csv to lose: r.parquet's notes go there
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv")
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.parquet", notes=["by year"])
    assert _notes(tmp_path / "r-notes.csv") == ["by year"]


def test_the_same_write_run_again_replaces_its_own_notes_beside_a_later_file(tmp_path):
    # review of session 30's diff, finding 4: r.dta with notes, then r.csv without (a
    # copy kept beside it), then the same r.dta command again was refused, as though
    # r-notes.csv could be r.csv's; r.csv is newer than the notes, so it did not write them
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.dta", notes=["by month"])
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv")
    write_stat_file(pd.DataFrame({"a": [2]}), tmp_path / "r.dta", notes=["by quarter"])
    assert _notes(tmp_path / "r-notes.csv") == ["by quarter"]
    # r.dta again without notes removes its own earlier ones, r.csv beside it or not
    write_stat_file(pd.DataFrame({"a": [3]}), tmp_path / "r.dta")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.dta"]


def test_notes_owned_by_the_older_file_are_still_refused_to_a_third_format(tmp_path):
    # r-notes.csv is r.dta's: neither r.parquet (new) nor r.csv (written after the notes,
    # without any) may replace them
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.dta", notes=["by month"])
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv")
    for name in ("r.parquet", "r.csv"):
        with pytest.raises(InputError, match=r"may be the notes of .*r\.dta"):
            write_stat_file(pd.DataFrame({"a": [2]}), tmp_path / name, notes=["by year"])
    assert _notes(tmp_path / "r-notes.csv") == ["by month"]


@pytest.mark.parametrize(
    "csv_gap", [0.0, 1.0], ids=["csv in the notes second", "csv in the data second"]
)
def test_notes_whose_writer_the_times_cannot_tell_are_refused(tmp_path, csv_gap):
    # a file system keeping whole seconds (r.csv written in the same second as r.dta's
    # notes), or a folder copied without its times: r.csv may own the notes, so r.dta's
    # notes are refused rather than replacing them
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.dta", notes=["by month"])
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv")
    at = 1_700_000_000
    os.utime(tmp_path / "r.dta", (at, at))
    os.utime(tmp_path / "r-notes.csv", (at + 1, at + 1))
    os.utime(tmp_path / "r.csv", (at + 1 - csv_gap, at + 1 - csv_gap))
    with pytest.raises(InputError, match=r"may be the notes of .*r\.csv"):
        write_stat_file(pd.DataFrame({"a": [2]}), tmp_path / "r.dta", notes=["by year"])
    assert _notes(tmp_path / "r-notes.csv") == ["by month"]


def test_the_same_notes_for_another_format_are_written(tmp_path):
    # session 30: the same result as r.csv and r.parquet (tests/cli/
    # test_indicators_empty_periods.py) was refused; word-for-word notes lose nothing
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.csv", notes=["by month", "n"])
    write_stat_file(pd.DataFrame({"a": [1]}), tmp_path / "r.parquet", notes=["by month", "n"])
    assert pd.read_csv(tmp_path / "r-notes.csv")["note"].tolist() == ["by month", "n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-notes.csv", "r.csv", "r.parquet"]
