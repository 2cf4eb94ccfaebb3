"""The building blocks of the table schemas: :class:`Column` and :class:`TableSchema`.

:mod:`ihms.data.schema` re-exports both; the tables themselves are declared in
:mod:`ihms.data._tables`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

__all__ = ["Column", "TableSchema"]


def _version() -> str:
    # schema.py imports this module, so the version is looked up when first needed
    from ihms.data.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


_ARROW = {
    "string": pa.string(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes
    ----------
    name
        Column name (lower case, ``snake_case``; money columns end in ``_fen``).
    dtype
        One of ``string``, ``int16``, ``int32``, ``int64``, ``float64``, ``bool``,
        ``date``.
    description
        What the column holds.
    required
        Whether every row must have a value (no nulls).
    unit
        Unit of measure, e.g. ``"fen"``, ``"mmHg"``, ``"days"``.
    allowed
        The only values allowed, if restricted.
    min, max
        Inclusive bounds for numbers.
    references
        ``"table.column"`` this column's values must exist in (a foreign key).
    """

    name: str
    dtype: str
    description: str
    required: bool = True
    unit: str = ""
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    references: str | None = None

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW[self.dtype]


@dataclass(frozen=True)
class TableSchema:
    """A table: its columns, primary key and meaning."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    structural: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Parameters
        ----------
        name
            A column name of this table, as the schema spells it (``cost_fen``).

        Raises
        ------
        KeyError
            The table has no such column.
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def to_arrow(self) -> pa.Schema:
        """The pyarrow schema (nullable exactly where the column is optional)."""
        return pa.schema(
            [pa.field(c.name, c.arrow_type, nullable=not c.required) for c in self.columns],
            metadata={"ihms_table": self.name, "ihms_schema_version": _version()},
        )
