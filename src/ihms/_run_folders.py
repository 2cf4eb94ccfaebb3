"""Hidden working folders that a later run can recognise when a killed process left them.

A writer that builds a folder of files (a simulation's Parquet tables, a store's export)
builds it in a hidden folder beside or inside its target and renames the files into
place when complete. A process killed with SIGKILL runs no clean-up, so the hidden
folder stayed for good. :func:`working_folder` names it ``.<stem>-ihms<pid>-<random>``
(``tempfile.mkdtemp``'s eight random characters), and :func:`left_by_dead_runs` finds the
folders of that naming whose process is gone — never a user's file or folder, nor a
folder of a run still going (on a system where a process cannot be asked whether it is
alive, nothing is ever taken as left behind). The data readers skip hidden names, so
none of these is ever read as data.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

__all__ = ["REPLACED", "clear_dead_runs", "left_by_dead_runs", "working_folder"]

REPLACED = "-replaced"
"""Suffix of a working folder's name for the earlier folder it set aside to take its
place (the earlier data, whole)."""


def working_folder(parent: str | Path, stem: str, *, private: bool = True) -> Path:
    """A new hidden folder ``<parent>/.<stem>-ihms<pid>-<random>`` for this process:
    private (``mkdtemp``'s 0700), or with ``private=False`` made as ``mkdir`` makes one
    (its mode from the umask: a folder meant to be read by others once in place)."""
    if private:
        return Path(tempfile.mkdtemp(prefix=f".{stem}-ihms{os.getpid()}-", dir=parent))
    while True:
        path = Path(parent) / f".{stem}-ihms{os.getpid()}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl-C on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def left_by_dead_runs(parent: str | Path, stem: str) -> list[Path]:
    """The folders in ``parent`` named by :func:`working_folder` for ``stem`` (and those
    ending :data:`REPLACED`) whose process no longer runs, sorted by name."""
    parent = Path(parent)
    if not parent.is_dir():
        return []
    named = re.compile(rf"\.{re.escape(stem)}-ihms(\d+)-[a-z0-9_]{{8}}(?:{REPLACED})?")
    found = []
    for path in parent.iterdir():
        match = named.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink() and not _alive(int(match[1])):
            found.append(path)
    return sorted(found)


def clear_dead_runs(folder: Path) -> list[Path]:
    """Remove the working folders a killed run left beside ``folder`` and return them;
    one killed between its two renames left ``folder`` set aside whole and absent
    (:data:`REPLACED`), so that is put back (and not returned)."""
    folder = Path(folder)
    removed = []
    for left in left_by_dead_runs(folder.parent, folder.name):
        if left.name.endswith(REPLACED) and not folder.exists() and not folder.is_symlink():
            left.rename(folder)
        else:
            shutil.rmtree(left, ignore_errors=True)
            removed.append(left)
    return removed
