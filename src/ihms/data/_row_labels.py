"""How a table's rows and columns are named in messages, as its file numbers and heads
them (:class:`RowLabels`, re-exported by :mod:`ihms.data.dataset`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np

from ihms._column_hints import yuan_name


@dataclass(frozen=True)
class RowLabels:
    """How to name a table's rows in messages: its file, the number of its first data
    row (2 for a CSV file with a header line, as a spreadsheet shows it), the money
    columns the file gives in yuan (``yuan``: the schema's ``x_fen`` names of the
    file's ``x_yuan`` columns), so a message names the file's column and amount, and
    the file's rows left out as wholly empty (``skipped``, as the file numbers them:
    the rows after them keep their own numbers, :meth:`row`) and how many lines above
    the header were left out as the sheet's title (``title_lines``; ``title_blank``
    when they were all blank), and what the
    reader noted of the file (``notes``: an ``.xlsx``'s hidden sheets left out), and the
    statistics package that wrote it (``package``: ``"Stata"`` for a ``.dta``, ``"SPSS"``
    for a ``.sav``), whose conventions a refused cell is named by (a Stata day count),
    and the missing-value codes the file held in required columns (``missing_codes``:
    ``{column: {row number: "Stata's .a 'refused'"}}``), which a missing value there
    names, and the columns a column map renamed (``renamed``: the schema's name, or its
    ``x_yuan`` form, → the file's header; :class:`ihms.data.column_map.ColumnMap`), so a
    message names the column as the file heads it, and the map's file (``column_map``),
    where an unknown column is to be mapped, and the problems of rows the reader refused
    as a whole (``refused``: a total row, a code without its value label) and those
    rows' positions (``refused_rows``), which are not read or checked, and the file's
    rows that hold records the reader left out (``left_out``: a Synthea patient born
    after the period, a row not read), which :meth:`row` counts as it counts
    ``skipped`` but which are no empty rows."""

    file: str
    first_row: int = 1
    yuan: frozenset[str] = frozenset()
    skipped: tuple[int, ...] = ()
    title_lines: int = 0
    title_blank: bool = False
    notes: tuple[str, ...] = ()
    package: str = ""
    missing_codes: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    renamed: Mapping[str, str] = field(default_factory=dict)
    column_map: str = ""
    refused: tuple[str, ...] = ()
    refused_rows: tuple[int, ...] = ()
    left_out: tuple[int, ...] = ()
    #: a ``.dta``'s Stata ``float`` (float32) variables, whose money a message explains
    float32: frozenset[str] = frozenset()
    #: what a record read from several rows is called, by the file row that names it
    #: (a Synthea claim: ``claim 7d73…; its PAYMENT rows 3, 4``), written after the row
    records: Mapping[int, str] = field(default_factory=dict)

    def row(self, position: int) -> int:
        """The file's number of the table's row at ``position`` (0 for the first).

        Parameters
        ----------
        position
            The row's place in the table as read (0-based), after empty rows and rows
            left out were dropped; the file's rows ``skipped`` and ``left_out`` before it
            are counted back in.
        """
        number = int(position) + self.first_row
        # the k-th row left out (ascending) lies before the row when it is at most
        # number + k, i.e. skipped[k] - k <= number: a bisection, as the rows a check
        # names may lie past tens of thousands of rows left out
        return number + int(np.searchsorted(self._past_skipped, number, side="right"))

    @cached_property
    def _past_skipped(self) -> np.ndarray:
        gone = np.union1d(
            np.asarray(self.skipped, dtype=np.int64), np.asarray(self.left_out, dtype=np.int64)
        )
        return gone - np.arange(len(gone))

    def held(self, name: str, position: int) -> str:
        """``; the file holds Stata's .a 'refused' here`` when the file held a
        missing-value code at the row at ``position`` of the schema's column ``name``,
        else ``""``.

        Parameters
        ----------
        name
            A column of the schema (``sex``), looked up under the file's name for it.
        position
            The row's place in the table as read (0-based), as :meth:`row` takes it.
        """
        code = self.missing_codes.get(self.column(name), {}).get(self.row(position))
        return "" if code is None else f"; the file holds {code} here"

    def column(self, name: str) -> str:
        """The file's name for the schema's column ``name``.

        Parameters
        ----------
        name
            A column of the schema (``total_cost_fen``); the file's name is its
            ``x_yuan`` form where the file gave yuan, and the header a column map
            renamed it from.
        """
        given = (yuan_name(name) if name in self.yuan else None) or name
        return self.renamed.get(given, given)

    def money(self, name: str, fen: int) -> str:
        """An amount of the schema's fen column ``name`` as the file writes it:
        ``-15.00 yuan`` for a yuan column, ``-1,500 fen`` otherwise.

        Parameters
        ----------
        name
            A money column of the schema (``x_fen``).
        fen
            The amount in integer fen.
        """
        if name in self.yuan:
            return f"{Decimal(int(fen)).scaleb(-2):,.2f} yuan"
        return f"{int(fen):,} fen"
