"""The time a policy project records on its rows (one rule for every table that stamps one)."""

from __future__ import annotations

import datetime as dt


def utc_now() -> str:
    """Now in UTC, to the second, ISO 8601 (``2026-11-26T03:21:00+00:00``)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
