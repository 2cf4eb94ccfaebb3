"""Cell parsers shared by the payment input tables: each returns the parsed value or
records a problem naming file, row and column (rows counted as a spreadsheet shows them:
the header is row 1, the first data row is row 2)."""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd

from ihms._column_hints import missing_column_hints, unit_hint
from ihms._decode import read_csv
from ihms.errors import DataError, IhmsWarning, InputError, did_you_mean, format_location

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and value.strip() == ""


_INT_TEXT = re.compile(r"[+-]?\d+")


#: What a yuan cell must hold (the data layer's rule: :func:`ihms.data._coerce.yuan_to_fen`,
#: thousands separators as ``ihms data import`` reads them, :func:`ihms.stats._cells.ungrouped`).
YUAN_EXPECTED = (
    "an amount in yuan >= 0 with at most two decimal places (1234.57 or 1,234.57: digits, "
    "thousands separators only in groups of three, no 元)"
)


def read_yuan(cells: pd.Series, where: str) -> tuple[pd.Series, pd.Series, str | None]:
    """``(fen, refused, note)`` of a column of amounts in yuan, read as ``ihms data
    import`` reads them (:func:`ihms.data._coerce.coerce` with ``thousands``): thousands
    separators in groups of three are read, with a note naming the column (``where``);
    ``1,23`` is refused. A fen column takes no separators: a grouped amount is yuan."""
    from ihms.data._coerce import coerce, thousands_note

    fen, bad = coerce(cells, "yuan", thousands=True)
    grouped = thousands_note(cells, "yuan", "", "")
    note = None if grouped is None else grouped.described(where)
    return fen, bad, note


def yuan_name(name: str) -> str | None:
    """The column that gives fen column ``x_fen``'s amounts in yuan: ``x_yuan``."""
    return f"{name[: -len('_fen')]}_yuan" if name.endswith("_fen") else None


def parse_int(value: Any) -> int:
    """An integer from an int, an integral float (a Parquet float column) or text of
    digits with an optional sign. Text with a decimal point (even ``.0``), an exponent or
    thousands separators is refused, as ``ihms data check`` refuses it: ``"380,000.00"``
    in a fen column is yuan, not fen."""
    if isinstance(value, bool):
        raise ValueError("a boolean")
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
        if isinstance(value, int):
            return value
    if isinstance(value, float):
        # past 2^53 a float is no longer every whole number: the one meant is unknown
        if not value.is_integer() or abs(value) > 2**53:
            raise ValueError("not a whole number")
        return int(value)
    text = str(value).strip()
    if not _INT_TEXT.fullmatch(text):
        raise ValueError("not a whole number")
    return int(text)


def parse_rate(text: str) -> Decimal:
    """A rate written as a fraction (``"0.16"``) or a percentage (``"16%"``, or with the
    full-width ``％`` a Chinese keyboard types), exact: ``"16%"`` → ``Decimal('0.16')``.
    What a rule file's rates, ``--quality-score`` and the population table's
    ``quality_score`` (:func:`parse_score`) are read with; the caller checks the range.

    Raises
    ------
    ValueError
        ``text`` is no number, with or without ``%``.
    """
    t = text.strip().replace("％", "%")
    try:
        return Decimal(t[:-1].strip()) / 100 if t.endswith("%") else Decimal(t)
    except InvalidOperation:
        raise ValueError(f"expected a number or a percentage like '16%', got {text!r}") from None


#: What a quality score must be (the population table's ``quality_score``).
SCORE_EXPECTED = "a score between 0 and 1, as a fraction (0.92) or a percentage (92%)"


def parse_score(value: Any) -> Decimal:
    """A quality score between 0 and 1 from a table cell, read as :func:`parse_rate`
    reads ``--quality-score``: ``0.92``, ``"92%"`` and ``"92 %"`` are the same score; a
    Parquet float as written (``0.92`` → ``Decimal('0.92')``). No thousands separators:
    ``"0,92"`` is a decimal comma, not 92 (:func:`score_hint` says so).

    Raises
    ------
    ValueError
        No number, not finite, or outside [0, 1].
    """
    if isinstance(value, bool):
        raise ValueError("a boolean")
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    text = repr(value) if isinstance(value, float) else str(value)
    score = parse_rate(text)
    if not score.is_finite() or not 0 <= score <= 1:
        raise ValueError("not between 0 and 1")
    return score


def score_hint(value: Any) -> str:
    """What a refused quality score was probably meant as: a bare ``92`` a percentage,
    ``0,92`` a decimal comma, ``92,5`` both; ``""`` when nothing likely (a bare ``1.5``
    is no likely percentage: only 2 to 100 are taken as one)."""
    text = str(value).strip()
    dotted = text.replace(",", ".")
    try:
        if "," in text:
            return f" (write the decimal point as '.': {parse_score(dotted)})"
    except ValueError:
        pass  # out of range with the point too: perhaps a percentage (92,5)
    try:
        number = parse_rate(dotted)
    except ValueError:
        return ""
    if number.is_finite() and 2 <= number <= 100 and not text.endswith(("%", "％")):
        return f" (if {text} is a percentage, write {dotted}% or {(number / 100).normalize()})"
    return ""


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a boolean")
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not finite")
        return Decimal(repr(value))
    text = str(value).strip()
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    dec = Decimal(text.replace(",", ""))
    if not dec.is_finite():
        raise ValueError("not finite")
    return dec


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
        if isinstance(value, bool):
            return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("not true/false")


def _non_negative(v: Any) -> bool:
    return v >= 0


def _strip(v: Any) -> str:
    return str(v).strip()


def _year_ok(y: int) -> bool:
    return 1900 <= y <= 2200


class Collector:
    """Collects problems for one table; :meth:`raise_if_any` raises one DataError."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        #: What was read but deserves a word (amounts written with thousands separators):
        #: :meth:`raise_if_any` warns of each when the table has no problem.
        self.notes: list[str] = []
        #: The table's columns (set by :meth:`require_columns`) and those read from it.
        self._given: list[str] = []
        self._asked: set[str] = set()

    def add(self, row: int | None, column: str | None, message: str) -> None:
        where = format_location(file=self.source, row=row, field=column)
        self.problems.append(f"{where}: {message}")

    def column(
        self,
        frame: pd.DataFrame,
        name: str,
        parser: Callable[[Any], Any],
        *,
        expected: str,
        required: bool = True,
        default: Any = None,
        check: Callable[[Any], bool] | None = None,
        hint: Callable[[Any], str] | None = None,
    ) -> list[Any]:
        """Parse every cell of a column; a missing optional column gives ``default``;
        ``hint(cell)`` is appended to a refused cell's problem (what it was likely meant
        as)."""
        self._asked.add(name)
        if name not in frame.columns:
            return [default] * len(frame)
        out: list[Any] = []
        for pos, value in enumerate(frame[name].tolist()):
            row = pos + 2
            if is_missing(value):
                if required:
                    self.add(row, name, f"expected {expected}, got an empty cell")
                out.append(default)
                continue
            refused = f"expected {expected}, got {value!r}"
            try:
                parsed = parser(value)
            except (ValueError, InvalidOperation, TypeError, ArithmeticError):
                self.add(row, name, refused + (hint(value) if hint else ""))
                out.append(default)
                continue
            if check is not None and not check(parsed):
                self.add(row, name, refused + (hint(value) if hint else ""))
                out.append(default)
                continue
            out.append(parsed)
        return out

    def fen(self, frame: pd.DataFrame, name: str, *, required: bool = True) -> list[Any]:
        """A column of whole fen >= 0, or the same amounts in yuan under the name
        ``x_yuan`` for ``x_fen`` (:func:`yuan_name`), converted exactly as ``ihms data
        import`` converts them; a table giving both is refused (which one is right cannot
        be told)."""
        in_yuan = yuan_name(name)
        self._asked.update((name, in_yuan or name))
        if in_yuan in frame.columns:
            if name in frame.columns:
                self.add(
                    None,
                    None,
                    f"columns '{name}' and '{in_yuan}' both give the same amount; keep one "
                    f"('{name}' in whole fen or '{in_yuan}' in yuan)",
                )
                return [None] * len(frame)
            return self._yuan(frame, in_yuan, required=required)
        return self.column(
            frame,
            name,
            parse_int,
            expected="whole fen >= 0 (the column is in fen, 1 yuan = 100 fen: digits only, "
            f"no decimal point or thousands separators; give yuan in a column '{in_yuan}')",
            required=required,
            check=_non_negative,
        )

    def _yuan(self, frame: pd.DataFrame, name: str, *, required: bool) -> list[Any]:
        # the data layer's reader, so a cell `ihms data import` takes is taken here too
        from ihms.data._coerce import placeholder_reason, yuan_reasons

        cells = frame[name].reset_index(drop=True)
        fen, bad, note = read_yuan(cells, format_location(file=self.source, field=name))
        if note is not None:
            self.notes.append(note)
        sizes = yuan_reasons(cells).tolist()
        out: list[Any] = []
        for pos, (value, amount, refused) in enumerate(
            zip(frame[name].tolist(), fen.tolist(), bad.tolist(), strict=True)
        ):
            if is_missing(value):
                if required:
                    self.add(pos + 2, name, f"expected {YUAN_EXPECTED}, got an empty cell")
                out.append(None)
            elif sizes[pos] is not None:
                self.add(pos + 2, name, f"{sizes[pos]}, got {value!r}")
                out.append(None)
            elif refused or amount is pd.NA or amount < 0:
                # a comma not in groups of three, a dash: why, in the data import's words
                why = placeholder_reason(value, "yuan") or f"expected {YUAN_EXPECTED}"
                self.add(pos + 2, name, f"{why}, got {value!r}")
                out.append(None)
            else:
                out.append(int(amount))
        return out

    def count(
        self,
        frame: pd.DataFrame,
        name: str,
        *,
        required: bool = True,
        default: Any = None,
        minimum: int = 0,
    ) -> list[Any]:
        """A column of whole numbers >= ``minimum``."""
        return self.column(
            frame,
            name,
            parse_int,
            expected=f"a whole number {'> 0' if minimum == 1 else f'>= {minimum}'} (digits only, no decimal point or "
            "thousands separators)",
            required=required,
            default=default,
            check=lambda v: v >= minimum,
        )

    def text(self, frame: pd.DataFrame, name: str, *, expected: str = "an id") -> list[Any]:
        """A column of non-empty text."""
        return self.column(frame, name, _strip, expected=expected, check=bool)

    def year(self, frame: pd.DataFrame) -> list[Any]:
        """The ``year`` column."""
        return self.column(frame, "year", parse_int, expected="a year (e.g. 2018)", check=_year_ok)

    def require_columns(self, frame: pd.DataFrame, required: tuple[str, ...]) -> None:
        """Refuse a table lacking a required column; a fen column may be given in yuan.
        Every table calls it first, so it also notes the columns given, for
        :meth:`raise_if_any` to find a misspelt one."""
        self._given = [str(c) for c in frame.columns]
        self._asked.update(required)
        missing = [
            c for c in required if c not in frame.columns and yuan_name(c) not in frame.columns
        ]
        if missing:
            # a column given under another name (`visit_date`, `base_salary`): name it
            known = {*required, *filter(None, map(yuan_name, required))}
            hints = missing_column_hints(missing, [c for c in self._given if c not in known])
            raise DataError(
                f"{self.source}: missing required column(s) {', '.join(missing)} "
                f"(has: {', '.join(map(str, frame.columns)) or 'no columns'})"
                + "".join(f"; '{m}'{hints[m][1]}" for m in missing if m in hints)
            )

    def duplicates(
        self,
        keys: Sequence[Hashable | None],
        *,
        column: str,
        describe: Callable[[Any], str],
        hint: str = "",
    ) -> set[int]:
        """Report every key given on more than one row; the tables' one duplicate check.

        Parameters
        ----------
        keys : sequence
            One key per data row, in file order; None (a row whose key cells did not
            parse, already reported) is skipped.
        column : str
            The column each problem points at.
        describe : callable
            ``key → text`` naming the key in words (``"year 2018"``).
        hint : str, default ""
            Appended to each problem (how to fix it).

        Returns
        -------
        set of int
            The positions (0-based) of the repeats, the first row of each key excluded.

        Examples
        --------
        Each repeat is one problem at its own row, naming the rows of the key's every
        occurrence:

        >>> c = Collector("pop.csv")
        >>> sorted(c.duplicates([2018, 2019, 2018, None, 2018], column="year",
        ...                     describe=lambda y: f"year {y}"))
        [2, 4]
        >>> c.problems[0]
        "column 'year' of pop.csv row 4: year 2018 appears 3 times (rows 2, 4 and 6)"
        """
        rows: dict[Hashable, list[int]] = {}
        for pos, key in enumerate(keys):
            if key is not None:
                rows.setdefault(key, []).append(pos)
        repeats: set[int] = set()
        for key, positions in rows.items():
            if len(positions) < 2:
                continue
            shown = [p + 2 for p in positions]
            if len(shown) == 2:
                times = f"twice (first on row {shown[0]:,})"
            else:
                listed = ", ".join(f"{r:,}" for r in shown[:-1])
                times = f"{len(shown)} times (rows {listed} and {shown[-1]:,})"
            for pos in positions[1:]:
                self.add(pos + 2, column, f"{describe(key)} appears {times}{hint}")
                repeats.add(pos)
        return repeats

    def raise_if_any(self, what: str) -> None:
        """Raise the problems collected as one DataError; a column given but never read
        that is a near miss of one the table reads (``total_cost_fn``, ``insurance_paid``
        without its unit) is one too: ignored, it would leave its amounts out unnoticed.
        Other columns (an institution's name) are ignored."""
        self.check_unread(what)
        if self.problems:
            n = len(self.problems)
            raise DataError(
                f"{self.source}: {n} problem{'s' if n != 1 else ''} in the {what}", self.problems
            )
        for note in self.notes:
            warnings.warn(note, IhmsWarning, stacklevel=3)

    def reads(self, *names: str) -> None:
        """Note optional columns the caller reads itself, so :meth:`check_unread` takes
        them as read, and a near miss of one as misspelt."""
        self._asked.update(names)

    def check_unread(self, what: str) -> None:
        """Add a problem for each column given but never read that is a near miss of one
        the table reads (:meth:`raise_if_any`'s check, for a caller that raises itself).
        A near miss of a column the frame already has (an ``institution`` name beside
        ``institution_id``; ``out_of_pocket`` beside ``out_of_pocket_fen``) is another
        column, ignored."""
        given = set(self._given)
        lacking = sorted(self._asked - given)
        for name in self._given:
            if name in self._asked:
                continue
            amount = f"{name}_fen"
            if amount in self._asked:  # an amount without its unit: never ignored
                if amount not in given and yuan_name(amount) not in given:
                    hint = unit_hint(name, amount)
                    self.add(None, name, f"not a column of the {what}{hint}")
                continue
            hint = did_you_mean(name, lacking, cutoff=0.85)
            if hint:
                self.add(
                    None,
                    name,
                    f"not a column of the {what} (a column ihms does not read is ignored, "
                    f"but this one looks misspelt){hint}",
                )


def read_frame(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, GBK or GB18030, as
    :func:`ihms._decode.read_csv` tells; every column as text so money stays exact) or a
    Parquet file. A title above the header and total or note rows below the data are
    refused, naming their rows."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a .csv or .parquet file")
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    suffix = p.suffix.lower()
    if suffix not in (".parquet", ".pq", ".csv", ".txt", ""):
        raise InputError(f"{p}: expected a .csv or .parquet file, got {suffix!r}")
    try:
        if suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(p)
        else:
            frame = read_csv(p, name=str(p), dtype=str, keep_default_na=False)
    except InputError:
        raise
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise InputError(f"{p}: cannot read the table ({exc})") from None
    _refuse_summary_rows(frame, str(p))
    return frame


def _refuse_summary_rows(frame: pd.DataFrame, source: str) -> None:
    """A sheet's total (``合计``) and note (``注：…``) rows as one DataError naming each:
    a total read as a row would count the table twice."""
    from ihms._layout import summary_message, summary_rows

    found = summary_rows(frame)
    if found:
        problems = [
            summary_message(format_location(file=source, row=pos + 2), kind, text)
            for pos, kind, text in found
        ]
        n = len(problems)
        raise DataError(f"{source}: {n} total or note row{'s' if n != 1 else ''}", problems)
