"""``write_stat_file``'s ``FILE-notes.csv``: put in place with its data file, and an
earlier write's removed when a later one has no notes (review of session 28's diff,
finding 5)."""

from __future__ import annotations

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
