"""The data tables of ihms: schemas, validated data sets, the DuckDB store, imports.

* :data:`SCHEMAS` — the table schemas (version :data:`SCHEMA_VERSION`), the contract
  between importers, the county simulator, the indicators and the payment engine;
  :func:`schema_markdown` renders them as a data dictionary.
* :class:`Dataset` — every table typed and validated as a whole
  (:meth:`Dataset.from_frames` builds one from pandas or pyarrow tables).
* :class:`Store` — one DuckDB file per project; :meth:`Store.write` replaces its data
  set in one transaction; tables come back as Ibis tables or pandas.
* :func:`import_folder` — CSV / Parquet / Synthea folders in, pseudonymised on the way;
  :func:`read_column_map` — a source system's own column names read as the schema's
  (:class:`ColumnMap`, ``ihms data import --columns``).
* :func:`data_gaps` — what a valid data set lacks that leaves indicators missing or
  zero (institution-years without resources, months without encounters, record tables
  without rows); :func:`dataset_notes` — those after what the reading did (values read
  as codes, wholly empty rows left out); :func:`month_gaps` — the months without
  encounters of a data set or a store, for the years a command reads.
* :func:`settled_encounters` — encounters with settled claims applied: the residents'
  insurance spending the payment engine reads.
"""

from ihms.data._dictionary import schema_markdown
from ihms.data.column_map import ColumnMap, read_column_map
from ihms.data.dataset import ID_SCHEMES, Dataset, Period, RowLabels
from ihms.data.gaps import data_gaps, dataset_notes, month_gaps
from ihms.data.io import import_folder, pseudonymise_dataset, read_folder, read_tables
from ihms.data.pseudonym import ENV_VAR, ID_COLUMNS, Pseudonymiser
from ihms.data.schema import (
    ENCOUNTER_TYPES,
    RECORD_TABLES,
    SCHEMA_VERSION,
    SCHEMAS,
    STRUCTURAL_TABLES,
    Column,
    TableSchema,
)
from ihms.data.settled import settled_encounters
from ihms.data.store import DEFAULT_STORE, Store, StoreInfo
from ihms.data.structure import resources_table, scale_resources, structural_tables

__all__ = [
    "DEFAULT_STORE",
    "ENCOUNTER_TYPES",
    "ENV_VAR",
    "ID_COLUMNS",
    "ID_SCHEMES",
    "RECORD_TABLES",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "STRUCTURAL_TABLES",
    "Column",
    "ColumnMap",
    "Dataset",
    "Period",
    "Pseudonymiser",
    "RowLabels",
    "Store",
    "StoreInfo",
    "TableSchema",
    "data_gaps",
    "dataset_notes",
    "import_folder",
    "month_gaps",
    "pseudonymise_dataset",
    "read_column_map",
    "read_folder",
    "read_tables",
    "resources_table",
    "scale_resources",
    "schema_markdown",
    "settled_encounters",
    "structural_tables",
]
