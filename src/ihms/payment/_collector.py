"""The payment input tables' one checker (:class:`Collector`): it reads each column with
the cell parsers of :mod:`ihms.payment._parse` and records every problem naming file,
row and column (rows counted as a spreadsheet shows them: the header is row 1, the
first data row row 2, or lower under title lines: :func:`ihms.payment._parse.file_row`),
then raises them as one DataError."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import InvalidOperation
from typing import Any

import pandas as pd

from ihms._column_hints import (
    both_units,
    fen_name,
    missing_column_hints,
    unit_hint,
    unitless_beside,
    yuan_name,
)
from ihms._warnings import caller_stacklevel
from ihms.errors import DataError, IhmsWarning, did_you_mean, format_location
from ihms.payment._parse import YUAN_EXPECTED, is_missing, parse_count, parse_int, read_yuan


def _non_negative(v: Any) -> bool:
    return v >= 0


def _strip(v: Any) -> str:
    return str(v).strip()


def _year_ok(y: int) -> bool:
    return 1900 <= y <= 2200


#: Chinese headers in a table lacking the payment tables' own: how to map them.
_CJK = re.compile(r"[\u3400-\u9fff]")
_COLUMNS_HINT = (
    "; map your headers to these names with --columns FILE.yaml, one mapping per table "
    "(e.g. population: {年份: year, 参保人数: insured_population})"
)


class Collector:
    """Collects problems for one table; :meth:`raise_if_any` raises one DataError.
    ``renamed``: the table's columns a column map renamed → the file's headers, which
    the problems name them by; ``first_row``: the file's row of the table's first record
    (``file_row(frame, 0)``: 2, or more under title lines), from which :meth:`row`
    numbers the others."""

    def __init__(
        self, source: str, renamed: Mapping[str, str] | None = None, *, first_row: int = 2
    ) -> None:
        self.source = source
        self.renamed = dict(renamed or {})
        self.first_row = first_row
        self.problems: list[str] = []
        #: What was read but deserves a word (amounts written with thousands separators):
        #: :meth:`raise_if_any` warns of each when the table has no problem.
        self.notes: list[str] = []
        #: The table's columns (set by :meth:`require_columns`) and those read from it.
        self._given: list[str] = []
        self._asked: set[str] = set()

    def add(self, row: int | None, column: str | None, message: str) -> None:
        where = format_location(file=self.source, row=row, field=self.header(column))
        self.problems.append(f"{where}: {message}")

    def row(self, pos: int) -> int:
        """The file's row of the record at position ``pos`` (0-based) of the table."""
        return self.first_row + pos

    def header(self, column: str | None) -> str | None:
        """The file's header of the table's ``column``: the map's source for a renamed one."""
        return None if column is None else self.renamed.get(column, column)

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
            row = self.row(pos)
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
        ``x_yuan`` for ``x_fen`` (:func:`ihms._column_hints.yuan_name`), converted exactly as ``ihms data
        import`` converts them; a table giving both is refused (which one is right cannot
        be told)."""
        in_yuan = yuan_name(name)
        self._asked.update((name, in_yuan or name))
        if in_yuan in frame.columns:
            if name in frame.columns:
                given = (self.header(name), self.header(in_yuan))
                shown = "" if given == (name, in_yuan) else " — in the file '{}' and '{}'"
                self.add(None, None, both_units(name) + shown.format(*given))
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
        fen, bad, note = read_yuan(
            cells, format_location(file=self.source, field=self.header(name))
        )
        if note is not None:
            self.notes.append(note)
        sizes = yuan_reasons(cells).tolist()
        out: list[Any] = []
        for pos, (value, amount, refused) in enumerate(
            zip(frame[name].tolist(), fen.tolist(), bad.tolist(), strict=True)
        ):
            if is_missing(value):
                if required:
                    self.add(self.row(pos), name, f"expected {YUAN_EXPECTED}, got an empty cell")
                out.append(None)
            elif sizes[pos] is not None:
                self.add(self.row(pos), name, f"{sizes[pos]}, got {value!r}")
                out.append(None)
            elif refused or amount is pd.NA or amount < 0:
                # a comma not in groups of three, a dash: why, in the data import's words
                why = placeholder_reason(value, "yuan") or f"expected {YUAN_EXPECTED}"
                self.add(self.row(pos), name, f"{why}, got {value!r}")
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
        """A column of whole numbers >= ``minimum``. Thousands separators in groups of
        three (``228,500``, as a spreadsheet saves a population) are read as ``ihms data
        import`` reads a count, with its note; ``228,50`` is refused saying why."""
        from ihms.data._coerce import placeholder_reason, thousands_note

        if name in frame.columns:
            grouped = thousands_note(frame[name].reset_index(drop=True), "int64", "", "")
            if grouped is not None:
                where = format_location(file=self.source, field=self.header(name))
                self.notes.append(grouped.described(where))

        def why(cell: Any) -> str:
            reason = placeholder_reason(cell, "int64")
            return "" if reason is None else f": {reason}"

        return self.column(
            frame,
            name,
            parse_count,
            expected=f"a whole number {'> 0' if minimum == 1 else f'>= {minimum}'} (digits, "
            "thousands separators only in groups of three: 228,500; no decimal point)",
            required=required,
            default=default,
            check=lambda v: v >= minimum,
            hint=why,
        )

    def yes_no(
        self, frame: pd.DataFrame, name: str, *, default: bool | None, empty_is_unknown: bool
    ) -> list[bool | None]:
        """An optional yes/no column read as ``ihms data import`` reads one
        (:func:`ihms.data._yes_no.coerce_bool`: 是/否, 有/无, TRUE/FALSE, 1/0, ...);
        ``default`` for every row when the table has no such column. Words other than
        true/false (是/否, 1/0) are a note (:attr:`notes`), as the data import notes them.

        An empty cell is refused (read as "no" it would change an amount unsaid), unless
        ``empty_is_unknown``: then it is None, for a fact not yet determined that the
        caller asks for where it is needed (the population table's quality flags).
        """
        from ihms.data._yes_no import YES_NO_FORMS, coerce_bool, yes_no_note

        self._asked.add(name)
        if name not in frame.columns:
            return [default] * len(frame)
        cells = frame[name].reset_index(drop=True)
        answers, refused = coerce_bool(cells)
        read = yes_no_note(cells, "", name)
        if read is not None:  # the data import's note, the column named as the file has it
            where = format_location(file=self.source, field=self.header(name))
            self.notes.append(where + str(read).removeprefix(f".{name}"))
        out: list[bool | None] = []
        for pos, (value, answer, bad) in enumerate(
            zip(cells.tolist(), answers.tolist(), refused.tolist(), strict=True)
        ):
            if bad:
                self.add(self.row(pos), name, f"expected {YES_NO_FORMS}, got {value!r}")
                out.append(None)
            elif answer is pd.NA:
                if not empty_is_unknown:
                    self.add(self.row(pos), name, f"expected {YES_NO_FORMS}, got an empty cell")
                out.append(None)
            else:
                out.append(bool(answer))
        return out

    def coded(
        self,
        frame: pd.DataFrame,
        name: str,
        names: Mapping[str, str],
        *,
        table: str,
        allowed: tuple[str, ...] | None = None,
        expected: str | None = None,
    ) -> list[Any]:
        """A column of codes whose ``names`` (Chinese, loose spelling) are read as their
        codes, as ``ihms data import`` reads a closed vocabulary's
        (:func:`ihms.data._vocabulary.read_codes`), with its note naming file and column;
        with ``allowed``, any other value is refused naming the codes and the names read;
        without, it is kept as written (a role the rules may name), and an empty cell is
        refused as ``expected`` (default ``a <name>``)."""
        from ihms.data._vocabulary import read_codes

        if name not in frame.columns:
            return self.text(frame, name)
        cells = frame[name].map(lambda v: v if is_missing(v) else _strip(v))
        read, translation = read_codes(cells, table, name, names=names)
        if translation is not None:
            where = format_location(file=self.source, field=self.header(name))
            self.notes.append(where + str(translation).removeprefix(f"{table}.{name}"))
        frame = frame.assign(**{name: read})
        if allowed is None:
            return self.text(frame, name, expected=expected or f"a {name}")
        shown = "/".join(k for k in names if not k.isascii())
        shown = "/".join(shown.split("/")[:3])
        return self.column(
            frame,
            name,
            _strip,
            expected=f"one of {', '.join(allowed)} ({shown}... are read too)",
            check=lambda v: v in allowed,
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
                f"(has: {', '.join(str(self.header(str(c))) for c in frame.columns) or 'no columns'})"
                + "".join(f"; '{m}'{hints[m][1]}" for m in missing if m in hints)
                + (_COLUMNS_HINT if any(_CJK.search(c) for c in self._given) else "")
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
            shown = [self.row(p) for p in positions]
            if len(shown) == 2:
                times = f"twice (first on row {shown[0]})"
            else:
                listed = ", ".join(str(r) for r in shown[:-1])
                times = f"{len(shown)} times (rows {listed} and {shown[-1]})"
            for pos in positions[1:]:
                self.add(self.row(pos), column, f"{describe(key)} appears {times}{hint}")
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
        from ihms.data._notes_zh import note_zh

        for note in self.notes:
            warnings.warn(IhmsWarning(note, zh=note_zh(note)), stacklevel=caller_stacklevel())

    def reads(self, *names: str) -> None:
        """Note optional columns the caller reads itself, so :meth:`check_unread` takes
        them as read, and a near miss of one as misspelt."""
        self._asked.update(names)

    def check_unread(self, what: str) -> None:
        """Add a problem for each column given but never read that is a near miss of one
        the table reads (:meth:`raise_if_any`'s check, for a caller that raises itself).
        A near miss of a column the frame already has (an ``institution`` name beside
        ``institution_id``) is another column, ignored; but an amount without its unit is
        refused even beside the same amount with one (``out_of_pocket`` beside
        ``out_of_pocket_fen``: which one is right cannot be told), as the data import
        refuses it."""
        given = set(self._given)
        lacking = sorted(self._asked - given)
        for name in self._given:
            if name in self._asked:
                continue
            amount = fen_name(name)
            if amount in self._asked:  # an amount without its unit: never ignored
                beside = [c for c in (amount, yuan_name(amount)) if c in given]
                if beside:  # and given with its unit too: which is right cannot be told
                    self.add(None, None, unitless_beside(name, str(self.header(beside[0]))))
                else:
                    self.add(None, name, f"not a column of the {what}{unit_hint(name, amount)}")
                continue
            hint = did_you_mean(name, lacking, cutoff=0.85)
            if hint:
                self.add(
                    None,
                    name,
                    f"not a column of the {what} (a column ihms does not read is ignored, "
                    f"but this one looks misspelt){hint}",
                )
