"""The data store a command reads (``--store``), opened read-only; a missing file is
refused saying how to get one, in one wording for every command that reads a store
(``indicators compute``, ``data export``, ``system off-pathway``, ``payment … --store``).

The library's :class:`~ihms.data.Store` refuses a missing file too, but in Python's
terms; a user of the command line needs the options and commands that make a store.
"""

from __future__ import annotations

from pathlib import Path

from ihms.errors import InputError

__all__ = ["missing_store", "read_store"]

#: where ``ihms demo`` (and so ``make demo``) leaves its simulated county's store, from
#: the folder it was run in (``<out>-work/sim.duckdb`` beside the default ``out/demo``)
DEMO_STORE = "out/demo-work/sim.duckdb"


def missing_store(path: Path | str, *, option: str = "--store") -> str:
    """The message for a store file that does not exist: what to give ``option``, and
    the commands that write a store (``path`` given to them when it is not the default)."""
    from ihms.data.store import DEFAULT_STORE

    folder = Path(path).is_dir()  # payment's --store DIR reads DIR/ihms.duckdb
    made = Path(path, DEFAULT_STORE) if folder else path
    there = "" if str(made) == DEFAULT_STORE else f" --store {made}"
    what = f"a folder without {DEFAULT_STORE}" if folder else "no store file there"
    return (
        f"{option} {path}: {what}. Point {option} at a store, or make one: "
        f"ihms data import FOLDER --system COUNTY.yaml{there} (your county's tables); "
        f"ihms data generate --system examples/youxi.yaml --scale 0.05{there} (made-up "
        f"data, a small county in under a minute); ihms sim run --out DIR (DIR/ihms.duckdb); or "
        f"ihms demo (or make demo), then {option} {DEMO_STORE} (a simulated Youxi county)"
    )


def read_store(path: Path | str, *, option: str = "--store"):
    """``path``'s :class:`~ihms.data.Store`, read-only; a missing file refused with
    :func:`missing_store`."""
    from ihms.data import Store

    if not Path(path).exists():
        raise InputError(missing_store(path, option=option))
    return Store(path, read_only=True)
