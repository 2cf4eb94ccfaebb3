"""The table schemas: the data contract of ihms (version :data:`SCHEMA_VERSION`).

Every data set (a user's import, a Synthea conversion, the county simulator's output)
is a set of these tables. Column names, types, units and allowed values are fixed here;
:func:`ihms.data.schema_markdown` (:mod:`ihms.data._dictionary`) renders them as the data
dictionary (``ihms data schema``).

Conventions
-----------
* Money is **integer fen** (1 yuan = 100 fen) in columns ending ``_fen``.
* Dates are calendar dates (no time of day, no time zone). Text is read in the year-first
  forms of :data:`ihms.data._coerce.DATE_FORMS`; a time of day is dropped.
* Ids are strings. Resident ids and record ids are pseudonymous after an import (a keyed
  hash, see :mod:`ihms.data.pseudonym`); a simulator writes synthetic ids.
* Structural tables (``counties`` ... ``consortium_grids``) describe the delivery
  system; :func:`ihms.data.structural_tables` derives them from a
  :class:`~ihms.system.System`.

The schema version follows ``MAJOR.MINOR``: a minor bump only adds optional columns or
whole tables, or makes a required column optional; a store written under another major version is refused, one written under
an earlier minor version reads with the added columns null and the added tables empty
(:meth:`ihms.data.Store.absent_columns` and :meth:`~ihms.data.Store.absent_tables` say
which). History: 1.0; 1.1 added ``residents.fp_registered_date``; 1.2 added the
``staff_activities`` table; 1.3 made ``residents.sex`` optional (null: not known).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ihms.data._columns import Column, TableSchema
from ihms.data._tables import CONDITIONS as CONDITIONS
from ihms.data._tables import ENCOUNTER_TYPES
from ihms.data._tables import MAX_ENCOUNTER_COST_FEN as MAX_ENCOUNTER_COST_FEN
from ihms.data._tables import TABLES as _TABLES

__all__ = [
    "ENCOUNTER_TYPES",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "Column",
    "TableSchema",
]

SCHEMA_VERSION = "1.3"


#: Tables added by a minor version, with that version: a store written before it lacks
#: them and reads them empty (:meth:`ihms.data.Store.absent_tables`).
TABLES_ADDED: Mapping[str, str] = MappingProxyType({"staff_activities": "1.2"})

SCHEMAS: Mapping[str, TableSchema] = MappingProxyType({t.name: t for t in _TABLES})
"""Every table schema, by table name, in dependency order (referenced tables first)."""

STRUCTURAL_TABLES: tuple[str, ...] = tuple(t.name for t in _TABLES if t.structural)
RECORD_TABLES: tuple[str, ...] = tuple(t.name for t in _TABLES if not t.structural)


def __getattr__(name: str):
    # The renderer imports this module, so it is re-exported lazily.
    if name == "schema_markdown":
        from ihms.data._dictionary import schema_markdown

        return schema_markdown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
