"""Exceptions and warnings shared by every part of ihms.

Every error ihms raises on purpose derives from :class:`IhmsError`. Errors caused by
what the caller passed in (a file, a column, a parameter) are :class:`InputError`,
which is also a :class:`ValueError`, so callers may catch either.

A message names where the problem is (file, row, column, parameter), what was
allowed and what was received, for example::

    column 'cost' of claims.csv row 1204: expected a number >= 0, got '-12.5'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from ihms._width import written_alike_key

__all__ = [
    "ConfigError",
    "DataError",
    "IhmsError",
    "IhmsWarning",
    "InputError",
    "Problem",
    "StatisticalWarning",
    "did_you_mean",
    "format_location",
    "problem_details",
]


class IhmsError(Exception):
    """Root of every error ihms raises on purpose."""


class InputError(ValueError, IhmsError):
    """The caller's input (data, file, parameter) cannot be used as given."""


class ConfigError(InputError):
    """A configuration file (YAML rules, county description, codebook) is invalid."""


class DataError(InputError):
    """A data table fails validation.

    Parameters
    ----------
    message
        A one-line summary.
    problems
        Every individual failure found, each already naming file, row and field.
        Validation collects all of them before raising, so the user can fix a file in
        one pass.

    The error's text is ``message`` followed by the first 50 problems; ``summary``
    keeps ``message`` as given, so a caller rewording it needs no text surgery.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.summary: str = message
        self.problems: list[str] = list(problems or [])
        full = message
        if self.problems:
            shown = self.problems[:50]
            full += "\n" + "\n".join(f"  - {p}" for p in shown)
            if len(self.problems) > len(shown):
                full += f"\n  ... and {len(self.problems) - len(shown):,} more"
        super().__init__(full)


class Problem(str):
    """One problem's text — a ``str``, so a list of problems stays a list of strings —
    with the pieces it names kept apart for a program (``ihms data check --json``'s
    ``problem_details``): ``file``, ``row`` (the number shown), ``column`` (the file's
    name for it), ``value`` (the cell as read) and ``expected``; ``None`` where the
    check does not know one. :meth:`at` writes the text from the pieces.

    Examples
    --------
    >>> p = Problem.at("expected a number, got 'x'", file="a.csv", row=1204, column="cost",
    ...                value="x", expected="a number")
    >>> p
    "column 'cost' of a.csv row 1204: expected a number, got 'x'"
    >>> p.row, p.details()["expected"]
    (1204, 'a number')
    """

    file: str | None
    row: int | None
    column: str | None
    value: Any
    expected: str | None

    def __new__(
        cls,
        message: str,
        *,
        file: object = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> Problem:
        self = super().__new__(cls, message)
        self.file = None if file is None else str(file)
        self.row = None if row is None else int(row)
        self.column = None if column is None else str(column)
        self.value = _plain(value)
        self.expected = expected
        return self

    @classmethod
    def at(cls, what: str, **pieces: Any) -> Problem:
        """``what`` after :func:`format_location` of the pieces (``file``, ``row``,
        ``column``; ``value`` and ``expected`` are kept, not written)."""
        file = pieces.get("file")
        where = format_location(
            file=None if file is None else str(file),
            row=pieces.get("row"),
            field=pieces.get("column"),
        )
        return cls(f"{where}: {what}", **pieces)

    def details(self) -> dict[str, Any]:
        """The pieces and the text (``message``), as JSON takes them."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
            "message": str(self),
        }


def _plain(value: object) -> Any:
    """A cell as JSON takes it: text, a whole or decimal number, true/false or ``None``
    (a missing cell); a date as ISO; anything else as its text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing, not imported here
        return None
    if type(value).__name__ in ("datetime64", "timedelta64"):  # item() may give an int
        return str(value)
    if hasattr(value, "item") and not isinstance(value, tuple):  # numpy's scalars
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
        if value is None or isinstance(value, bool | int | str):
            return value
    if isinstance(value, float):
        if value != value:  # NaN: missing
            return None
        return str(value) if value in (float("inf"), float("-inf")) else value  # JSON has no inf
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def problem_details(problems: Iterable[str]) -> list[dict[str, Any]]:
    """Each problem as an object: a :class:`Problem`'s pieces, ``None`` for those a
    plain string does not keep apart (its text is ``message``).

    Examples
    --------
    >>> problem_details(["a.csv: no header"])
    [{'file': None, 'row': None, 'column': None, 'value': None, 'expected': None, \
'message': 'a.csv: no header'}]
    """
    return [p.details() if isinstance(p, Problem) else Problem(str(p)).details() for p in problems]


class IhmsWarning(UserWarning):
    """Root of the warnings ihms emits.

    Its text (``str(warning)``) is English. One the command line prints as a note may
    carry its Chinese too, ``zh``, given where it is warned: ``warnings.warn(
    IhmsWarning(text, zh=text_zh), stacklevel=...)``; the CLI prints that under
    ``--lang zh`` (:mod:`ihms.cli._notes`), the English where there is none.

    Examples
    --------
    >>> w = IhmsWarning("a.csv: row 1 left out", zh="a.csv：第 1 行未读入")
    >>> str(w), w.zh
    ('a.csv: row 1 left out', 'a.csv：第 1 行未读入')
    >>> IhmsWarning("no Chinese yet").zh is None
    True
    """

    def __init__(self, *args: object, zh: str | None = None) -> None:
        super().__init__(*args)
        #: The text in Chinese, or None where ihms has none for it.
        self.zh = zh


class StatisticalWarning(IhmsWarning):
    """A statistical caveat: the numbers are computed but deserve care."""


def format_location(
    *, file: str | None = None, row: int | None = None, field: str | None = None
) -> str:
    """Render ``column 'x' of file.csv row 12`` from whichever parts are known.

    Rows are numbered as a spreadsheet user sees them (the first data row is 2 when the
    file has a header); callers pass the number they want shown.

    Examples
    --------
    >>> format_location(file="claims.csv", row=1204, field="cost")
    "column 'cost' of claims.csv row 1204"
    """
    parts: list[str] = []
    if field is not None:
        parts.append(f"column '{field}'")
    where = []
    if file is not None:
        where.append(str(file))
    if row is not None:
        where.append(f"row {row}")
    if where:
        parts.append(("of " if field is not None else "") + " ".join(where))
    return " ".join(parts) if parts else "input"


def did_you_mean(
    bad: object, valid: Iterable[object], *, cutoff: float = 0.5, similar: bool = True
) -> str:
    """`` — did you mean 'x'?`` naming the nearest of ``valid``, or ``""`` if none is near.

    A value that is a valid one written differently — in case or width, ``thc-s`` or
    ``ＴＨＣ-Ｓ`` for ``THC-S`` — is named first; otherwise, when ``similar``, the closest
    by :func:`difflib.get_close_matches`, searched only among at most 5,000 values.

    Pass ``similar=False`` for identifiers (resident, institution, encounter ids): two
    ids that look alike are two residents, and naming ``'R0124'`` for ``'R0123'`` sends
    the user to the wrong record. Names from a closed vocabulary (columns, tables,
    categories, codes, keys) keep ``similar``: a near one there is what was meant.

    Examples
    --------
    >>> did_you_mean("thc-s", ["THC-N", "THC-S"])
    " — did you mean 'THC-S'?"
    >>> did_you_mean("quality_scor", ["quality_score", "population"])
    " — did you mean 'quality_score'?"
    >>> did_you_mean("zzz", ["quality_score"])
    ''
    >>> did_you_mean("YX-CH02", ["YX-CH01"], similar=False)
    ''
    >>> did_you_mean("ｙｘ-ｃｈ01", ["YX-CH01"], similar=False)
    " — did you mean 'YX-CH01'?"
    """
    values = [str(v) for v in valid]
    text = str(bad)
    folded = written_alike_key(text)
    same = next((v for v in values if v != text and written_alike_key(v) == folded), None)
    if same is not None:
        return f" — did you mean {same!r}?"
    if not similar or len(values) > 5000:
        return ""
    near = difflib.get_close_matches(text, values, n=1, cutoff=cutoff)
    return f" — did you mean {near[0]!r}?" if near and near[0] != text else ""
