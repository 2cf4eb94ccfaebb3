"""A file that is not a project is refused with an InputError naming it and what was
expected, and left byte for byte as it was (another SQLite database was switched to WAL
before it was refused; a text file gave a raw ``DatabaseError`` traceback)."""

import sqlite3

import pytest

from ihms.errors import InputError
from ihms.policy.project import Project


def _refused(path):
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        Project(path)
    assert path.read_bytes() == before
    assert {p.name for p in path.parent.iterdir()} == {path.name}  # no -wal, no -shm
    message = str(err.value)
    assert message.startswith(f"{path}: not an ihms policy project (")
    assert "expected a project file made by `ihms policy init`" in message
    return message


def test_a_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notdb.sqlite"
    path.write_text("hello\n")
    assert "(file is not a database)" in _refused(path)


def test_a_workbook_given_for_the_project_is_refused_untouched(tmp_path):
    import pandas as pd

    path = tmp_path / "metadata.xlsx"
    pd.DataFrame({"id": ["N01"]}).to_excel(path, index=False)
    assert "(file is not a database)" in _refused(path)


def test_another_programs_database_is_refused_and_stays_in_its_journal_mode(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("create table t(x)")
    conn.commit()
    conn.close()
    assert "(no such table: meta)" in _refused(path)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_an_empty_file_stays_empty(tmp_path):
    path = tmp_path / "zero.sqlite"
    path.touch()
    _refused(path)
    assert path.stat().st_size == 0


def test_a_project_still_opens_in_wal_mode(project):
    again = Project(project.path)
    assert again.query("PRAGMA journal_mode")[0][0] == "wal"
    assert again.query("PRAGMA foreign_keys")[0][0] == 1
    again.close()
