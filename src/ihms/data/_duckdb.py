"""DuckDB connections as ihms opens them: without DuckDB's progress bar.

DuckDB draws its progress bar for any query slower than about two seconds, and it draws
it on stdout: ahead of a ``--json`` document (which must be stdout's only text), into a
printed table and into a pipe, and only when a query happens to be slow, so a script
reading the JSON fails now and then (the payment review of 2026-11-25, on a 300 MB
store). Every connection ihms opens is therefore quiet: the store's
(:class:`ihms.data.Store`, which the Ibis tables share) and the indicator engine's over
Parquet files (:mod:`ihms.indicators._parquet`). The setting is the session's, so the
cursors a connection hands out are quiet too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__all__ = ["PROGRESS_BAR_OFF", "quiet"]

#: The statement turning the progress bar off; DuckDB refuses it as a ``config`` entry
#: of ``duckdb.connect`` ("cannot be set as a global option").
PROGRESS_BAR_OFF = "SET enable_progress_bar = false"


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` with DuckDB's progress bar off (module docstring); returns ``con``."""
    con.execute(PROGRESS_BAR_OFF)
    return con
