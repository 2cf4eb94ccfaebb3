"""Library messages in the command line's words, for the ``ihms its``, ``trend`` and
``growth`` commands.

``ihms.stats`` names its Python parameters (``parameter 'interruptions'``); a user of
the command typed ``--interruption``. :func:`as_options` rewrites those names in an
:class:`~ihms.errors.InputError` raised inside it, so the message names what to change
on the command line. Errors that name a file, row or column pass through unchanged;
a :class:`~ihms.errors.DataError` stays one, each problem renamed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ihms._listing import first_of
from ihms.cli._common import note
from ihms.errors import ConfigError, DataError, InputError

__all__ = [
    "GROWTH_OPTIONS",
    "ITS_OPTIONS",
    "OVERWRITE_OPTION",
    "REPLACE_OPTION",
    "TREND_OPTIONS",
    "as_options",
    "note_blank_rows",
]

# (library wording, command-line wording), most specific first
ITS_OPTIONS: tuple[tuple[str, str], ...] = (
    (
        "parameter 'treated'/'controls' needs parameter 'group' (the unit column)",
        "options '--treated'/'--control' need option '--group' (the unit column)",
    ),
    ("parameters 'single' and 'controls'", "options '--single' and '--control'"),
    ("pass single=True for", "give --single for"),
    ("parameter 'interruptions'", "option '--interruption'"),
    ("parameter 'lags': 'auto' applies to cov_type", "option '--lags': 'auto' applies to --cov"),
    ("parameter 'lags': cov_type", "option '--lags': --cov"),
    ("parameter 'lags'", "option '--lags'"),
    ("parameter 'cov_type'", "option '--cov'"),
    ("parameter 'treated'", "option '--treated'"),
    ("parameter 'controls'", "option '--control'"),
    ("parameter 'seasonal'", "option '--seasonal'"),
    ("parameter 'max_lag'", "option '--max-lag'"),
    (
        "parameters 'prais_twostep', 'prais_rhotype' and 'prais_robust' apply to cov_type",
        "options '--twostep', '--rhotype' and '--robust' apply to --cov",
    ),
    ("parameter 'prais_rhotype'", "option '--rhotype'"),
    ("parameter 'delta'", "option '--delta'"),
)
TREND_OPTIONS: tuple[tuple[str, str], ...] = (("parameter 'form'", "option '--form'"),)
GROWTH_OPTIONS: tuple[tuple[str, str], ...] = (
    (
        "parameters 'start_year' and 'end_year': expected end_year after start_year",
        "options '--start-year' and '--end-year': expected --end-year after --start-year",
    ),
    ("parameter 'start_year'", "option '--start-year'"),
    ("parameter 'end_year'", "option '--end-year'"),
    ("parameters 'indicator_col' and 'value_col'", "options '--indicator-col' and '--value-col'"),
    ("parameter 'value_col'", "option '--value-col'"),
    ("parameter 'frequency'", "option '--by'"),
    ("parameter 'rates'", "option '--rate'"),
    ("parameter 'rate_unit'", "option '--rate-unit'"),
    ("parameter 'base_period'", "option '--base-period'"),
    ("parameter 'given'", "option '--given'"),
    ("parameter 'to'", "option '--to'"),
    ("parameter 'ratios'", "option '--ratio'"),
    ("parameter 'scale'", "option '--ratio-scale'"),
    ("parameter 'price_base'", "option '--price-base'"),
)
#: The library's advice to replace what is there, as the commands' options say it.
OVERWRITE_OPTION: tuple[tuple[str, str], ...] = (("pass overwrite=True", "pass --overwrite"),)
REPLACE_OPTION: tuple[tuple[str, str], ...] = (("pass replace=True", "pass --replace"),)


@contextmanager
def as_options(names: Sequence[tuple[str, str]]) -> Iterator[None]:
    """Re-raise an :class:`InputError` from the block with the library's parameter
    names replaced by the command's options (``names``: pairs of old and new text).

    The error keeps its class, and a :class:`DataError` each of its problems (renamed
    one by one), so ``--json`` still lists every problem with its file, row and column,
    past the 50 its text shows."""
    try:
        yield
    except InputError as exc:
        if isinstance(exc, DataError):
            summary = exc.summary
            problems = [_renamed(p, names) for p in exc.problems]
            if _renamed(summary, names) == summary and problems == exc.problems:
                raise
            raise DataError(_renamed(summary, names), problems) from exc
        text = _renamed(str(exc), names)
        if text == str(exc):
            raise
        # a subclass with its own arguments is re-raised as the InputError it also is
        kind = type(exc) if type(exc) in (InputError, ConfigError) else InputError
        raise kind(text) from exc


def _renamed(text: str, names: Sequence[tuple[str, str]]) -> str:
    for old, new in names:
        text = text.replace(old, new)
    return text


def note_blank_rows(frame: Any, path: Path | str) -> None:
    """Say on stderr how many wholly empty rows of ``frame`` (read from ``path``) the
    library skips: the ``,,,`` lines an Excel export leaves are no data, not an error,
    but the user should see they were passed over."""
    import numpy as np

    from ihms.stats._cells import blank_rows, first_row

    rows = np.flatnonzero(blank_rows(frame)) + first_row(frame)  # as the file numbers them
    if len(rows):
        word = "row" if len(rows) == 1 else "rows"
        note(
            f"{path}: skipped {len(rows):,} wholly empty {word} ({word} {first_of(rows.tolist(), 5)})"
        )
