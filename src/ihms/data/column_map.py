"""A column map: a source system's own column names read as the schema's.

A county hospital information system (HIS) exports its tables under its own names
(``就诊日期``, ``机构编码``, ``总费用``); ``ihms data import FOLDER --columns MAP`` reads
them through a map written once and reused with every month's export, as Stata's
``rename`` or pandas' ``DataFrame.rename`` would, without editing the files.

A map is YAML, one mapping per table from the file's column to the schema's::

    encounters:
      就诊日期: date
      机构编码: institution_id
      总费用: total_cost_yuan   # a money column x_fen may be given in yuan as x_yuan
      备注: ~                   # left out: a column the schema has no place for

or a CSV table (any encoding :func:`ihms._decode.read_text` tells, as Excel saves it)
with the header ``table,source,target``, or ``source,target`` with the source written
``TABLE.COLUMN``; an empty target leaves the column out (as ``~`` does in YAML, Stata's
``drop``). ``--rename TABLE.SOURCE=TARGET`` (repeatable; ``TABLE.SOURCE=`` leaves it
out) adds one-off entries to the map, replacing the map's entries for the same source
and target.

The map is checked before any table is read (:func:`read_column_map`: tables and target
columns the schema has, one source per target, each source once), and against each
file as it is read (:meth:`ColumnMap.apply`: every source is a column of the file, no
target is a column the file has already); each problem names the map's file and line
(or the ``--rename``). A map naming a table the folder has no file for is not used for
it. The data set records the map used by its digest (:attr:`ColumnMap.digest`: the
same for the same entries, whether written as YAML or CSV).

The payment commands read their tables through the same maps (``ihms payment settle
--spending FILE --columns MAP``): :func:`read_column_map` checks such a map against the
tables and columns the caller names (``tables=``, :data:`ihms.payment.TABLE_COLUMNS`)
instead of the schema's, and each table's reader applies it (:meth:`ColumnMap.apply`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd
import yaml

from ihms._column_hints import YUAN, fen_name, unit_hint, yuan_name
from ihms._decode import read_text
from ihms._layout import is_unnamed
from ihms._listing import first_of
from ihms.data.dataset import RowLabels
from ihms.data.schema import SCHEMAS
from ihms.errors import ConfigError, DataError, InputError, did_you_mean
from ihms.system._messages import yaml_error

__all__ = ["ColumnMap", "read_column_map"]

#: The headers a CSV map may have.
_CSV_HEADERS = (("table", "source", "target"), ("source", "target"))


class _Entry(NamedTuple):
    """One entry of a map, where it is written, and where its table is named (a YAML
    map's table key stands lines above its columns)."""

    table: str
    source: str
    target: str | None
    where: str
    table_where: str


@dataclass(frozen=True)
class ColumnMap:
    """Which column of a table's file is which of the schema's, by table.

    Attributes
    ----------
    renames
        ``{table: {file's column: schema's column}}``; a money column ``x_fen`` may be
        targeted as ``x_yuan`` (the file's amounts in yuan); ``None`` leaves the file's
        column out.
    origin
        Where the map came from, for notes and the record (``his_map.yaml``,
        ``his_map.yaml + --rename``, ``--rename``).
    file
        The map file's name, ``None`` when only ``--rename`` gave entries: where a
        message tells the user to map a column.
    places
        Where each entry is written, ``(table, source)`` → ``his_map.yaml line 4`` or
        ``--rename encounters.就诊日期=date``, for messages.
    """

    renames: Mapping[str, Mapping[str, str | None]]
    origin: str
    places: Mapping[tuple[str, str], str] = field(default_factory=dict, repr=False)
    file: str | None = None

    def __post_init__(self) -> None:
        frozen = {t: MappingProxyType(dict(m)) for t, m in self.renames.items()}
        object.__setattr__(self, "renames", MappingProxyType(frozen))
        object.__setattr__(self, "places", MappingProxyType(dict(self.places)))

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` of the entries (canonical JSON, keys sorted), so a later
        reader can tell whether two imports used the same map."""
        content = {t: dict(m) for t, m in self.renames.items() if m}
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def record(self) -> str:
        """What the data set records of the map: its origin and digest."""
        return f"{self.origin} {self.digest}"

    def file_names(self, table: str, names: Iterable[str]) -> set[str]:
        """The names the columns ``names`` of ``table`` (the schema's, or their ``x_yuan``
        forms) may have in the table's file: each itself unless the map renames another
        column to it or renames it away, and each source the map gives it.

        Parameters
        ----------
        table
            A table name (``encounters``).
        names
            Column names of the schema (or a money column's ``x_yuan`` form).

        Returns
        -------
        set of str
            Header names of the file that are read as one of ``names``.
        """
        mapping = self.renames.get(table, {})
        wanted = set(names)
        taken = {t for t in mapping.values() if t is not None}
        return {n for n in wanted if n not in taken and n not in mapping} | {
            s for s, t in mapping.items() if t in wanted
        }

    def apply(
        self, frames: Mapping[str, pd.DataFrame], labels: Mapping[str, RowLabels]
    ) -> tuple[dict[str, pd.DataFrame], dict[str, RowLabels]]:
        """``frames`` with their columns renamed, and ``labels`` noting the renames and
        naming each renamed column by the file's header (:attr:`RowLabels.renamed`).

        Parameters
        ----------
        frames
            Each table's frame as read, by table name; not modified.
        labels
            Each table's :class:`RowLabels` by table name; one is made for a table
            without.

        Returns
        -------
        tuple of dict
            The renamed frames (copies; the map's columns with target None dropped) and
            the labels with a note per renamed or dropped column.

        Raises
        ------
        DataError
            For a source the file has no column of (naming the file's columns) or a
            target the file has a column of already; nothing is renamed.
        """
        frames, labels = dict(frames), dict(labels)
        problems = []
        for table, mapping in self.renames.items():
            if table not in frames or not mapping:
                continue  # this month's folder has no such file: nothing to rename
            label = labels.get(table) or RowLabels(table)
            given = [str(c) for c in frames[table].columns]
            listed = False  # the file's columns, once per file
            for source, target in mapping.items():
                where = self.places.get((table, source), self.origin)
                if target is None:
                    continue  # nothing to leave out in this month's file is no problem
                if source not in given:
                    # only the same name written differently (width, case): two Chinese
                    # headers a character apart (日期, 类型) are no guess
                    named = [name for name in given if not is_unnamed(name)]
                    hint = did_you_mean(source, named, similar=False)
                    if target in given:
                        hint += f"; it has '{target}' itself (take the entry out of the map)"
                    elif not listed:
                        hint += f" (its columns: {first_of(named, 12)}{_unnamed(given)})"
                        listed = True
                    problems.append(
                        f"{where}: {table}.{source}: {label.file} has no such column{hint}"
                    )
                elif target in given and target not in mapping:
                    problems.append(
                        f"{where}: {label.file} has a column '{target}' already; map one "
                        f"of them, not both to '{target}'"
                    )
        if problems:
            raise DataError(
                f"{len(problems)} problem(s) with the column map ({self.origin}) and the "
                "files' columns",
                problems,
            )
        for table, mapping in self.renames.items():
            if table not in frames or not mapping:
                continue
            # as text, as a workbook's header cell 2019 is matched (a copy: never the caller's)
            frame = frames[table].set_axis([str(c) for c in frames[table].columns], axis=1)
            dropped = [s for s, t in mapping.items() if t is None and s in frame.columns]
            kept = {s: t for s, t in mapping.items() if t is not None}
            frames[table] = frame.drop(columns=dropped).rename(columns=kept)
            label = labels.get(table) or RowLabels(table)
            notes = []
            if kept:
                done = ", ".join(f"{s} → {t}" for s, t in kept.items())
                notes.append(f"{label.file}: {_columns(kept)} renamed by {self.origin}: {done}")
            if dropped:
                notes.append(
                    f"{label.file}: {_columns(dropped)} left out by {self.origin}: "
                    + ", ".join(dropped)
                )
            labels[table] = replace(
                label,
                notes=(*label.notes, *notes),
                renamed={t: s for s, t in kept.items() if s != t},
                column_map=self.file or "--rename",
            )
        return frames, labels


def read_column_map(
    path: str | Path | None,
    *,
    renames: Iterable[str] = (),
    tables: Mapping[str, Sequence[str]] | None = None,
) -> ColumnMap:
    """The column map in ``path`` (YAML, or CSV by its ``.csv`` suffix), with the
    one-off ``renames`` (``TABLE.SOURCE=TARGET``) added, checked against the schema, or
    against ``tables`` (``{table: its columns}``, a money column ``x_fen`` also
    targeted as ``x_yuan``) for tables read elsewhere (the payment tables,
    :data:`ihms.payment.TABLE_COLUMNS`).

    Parameters
    ----------
    path
        A YAML map (``table: {source: target}``, target ``~`` to leave a column out) or
        a CSV with header ``table,source,target`` (or ``source,target``, the source as
        ``TABLE.COLUMN``; an empty target leaves it out); None for ``renames`` alone.
    renames
        One-off entries ``TABLE.SOURCE=TARGET`` (the CLI's ``--rename``); each replaces
        the file's entries of its source and of its target.
    tables
        ``{table: its columns}`` to check against instead of the data schema.

    Raises
    ------
    InputError
        A file that cannot be read, or is not a map (naming the line); a
        :class:`~ihms.errors.ConfigError` for a YAML file that is not valid YAML (naming
        line and column, :func:`ihms.system._messages.yaml_error`).
    DataError
        Every entry naming no table, or no column of its table (did-you-mean), two
        sources for one target, or one source twice, each by its line.

    Examples
    --------
    >>> read_column_map(None, renames=["encounters.就诊日期=date"]).renames["encounters"]
    mappingproxy({'就诊日期': 'date'})
    """
    entries: list[_Entry] = []
    origins = []
    label = str(path) if path is not None else "--rename"
    if path is not None:
        path = Path(path)
        origins.append(path.name)
        text = read_text(path)
        read = _csv_entries if path.suffix.lower() == ".csv" else _yaml_entries
        entries += read(text, path.name)
    extra = [_rename_entry(r) for r in renames]
    if extra:
        origins.append("--rename")
    # a one-off rename replaces the map's entries for its source and for its target
    # (this month's export calls 就诊日期 门诊日期: --rename encounters.门诊日期=date)
    sources = {(e.table, e.source) for e in extra}
    targets = {(e.table, _amount(e.target)) for e in extra if e.target is not None}
    entries = [
        e
        for e in entries
        if (e.table, e.source) not in sources
        and (e.target is None or (e.table, _amount(e.target)) not in targets)
    ] + extra
    problems = _check(entries, tables)
    if problems:
        raise DataError(
            f"{label}: {len(problems)} problem(s) in the column map (no table was read)",
            problems,
        )
    out: dict[str, dict[str, str]] = {}
    places = {}
    for table, source, target, where, _ in entries:
        out.setdefault(table, {})[source] = target
        places[(table, source)] = where
    return ColumnMap(
        out,
        origin=" + ".join(origins),
        places=places,
        file=None if path is None else path.name,
    )


def _rename_entry(text: str) -> _Entry:
    where = f"--rename {text}"
    left, eq, target = str(text).partition("=")
    table, dot, source = left.partition(".")
    if not (eq and dot and table.strip() and source.strip()):
        raise InputError(
            f"{where}: expected TABLE.SOURCE=TARGET (encounters.就诊日期=date; "
            "TABLE.SOURCE= leaves the column out), one column of one table's file per "
            "--rename"
        )
    return _Entry(table.strip(), source.strip(), target.strip() or None, where, where)


def _yaml_entries(text: str, name: str) -> list[_Entry]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        # line, column and the tab hint, as the system and simulation files say it
        raise ConfigError(yaml_error(exc, name)) from None
    if root is None:
        raise InputError(f"{name}: the column map is empty")
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            f"{name}: expected tables mapping the file's columns to the schema's "
            "(encounters: {就诊日期: date, ...}), got a "
            + ("list" if isinstance(root, yaml.SequenceNode) else "single value")
        )
    entries = []
    for key, value in root.value:
        table = str(key.value)
        line = f"{name} line {key.start_mark.line + 1}"
        if not isinstance(value, yaml.MappingNode):
            raise InputError(
                f"{line}: {table}: expected the file's columns mapped to the table's "
                "(就诊日期: date), one per line"
            )
        for src, dst in value.value:
            where = f"{name} line {src.start_mark.line + 1}"
            if isinstance(dst, yaml.ScalarNode) and dst.tag == "tag:yaml.org,2002:null":
                entries.append(_Entry(table, str(src.value), None, where, line))
                continue
            if not isinstance(dst, yaml.ScalarNode) or dst.tag != "tag:yaml.org,2002:str":
                raise InputError(
                    f"{where}: {table}.{src.value}: expected the name of a column of table "
                    f"'{table}' (or ~ to leave it out), got {_node_text(dst)}"
                )
            entries.append(_Entry(table, str(src.value), str(dst.value), where, line))
    return entries


def _node_text(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else "a list or mapping"


def _csv_entries(text: str, name: str) -> list[_Entry]:
    reader = csv.reader(io.StringIO(text))
    header = tuple(c.strip().lower() for c in next(reader, []))
    if header not in _CSV_HEADERS:
        raise InputError(
            f"{name}: expected a header 'table,source,target' (or 'source,target' with the "
            f"source as TABLE.COLUMN), got {','.join(header) or 'an empty file'!r}"
        )
    entries = []
    for row in reader:
        where = f"{name} line {reader.line_num}"
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))  # an empty target: Excel drops its comma
        if len(cells) != len(header) or not all(cells[:-1]):
            raise InputError(
                f"{where}: expected {len(header)} cells ({','.join(header)}), all filled "
                "but the target (empty: the column is left out)"
            )
        if len(header) == 2:
            table, dot, source = cells[0].partition(".")
            if not dot or not table or not source:
                raise InputError(f"{where}: expected the source as TABLE.COLUMN, got {cells[0]!r}")
            cells = [table, source, cells[1]]
        entries.append(_Entry(cells[0], cells[1], cells[2] or None, where, where))
    return entries


def _targets(columns: Sequence[str]) -> list[str]:
    """The names a column of a table's file may be mapped to: ``columns``, each money
    column also in yuan."""
    return [*columns, *(y for y in map(yuan_name, columns) if y is not None)]


def _check(entries: list[_Entry], tables: Mapping[str, Sequence[str]] | None) -> list[str]:
    columns = tables if tables is not None else {t: s.column_names for t, s in SCHEMAS.items()}

    # the schema's tables (the nearest named), or the few the caller reads (all listed)
    def no_table(table: str) -> str:
        if tables is None:
            return f"of the schema{did_you_mean(table, SCHEMAS)}"
        return f"of those read here ({', '.join(tables)})"

    problems = []
    bad_tables: set[str] = set()
    seen: dict[tuple[str, str], str] = {}
    aimed: dict[tuple[str, str], tuple[str, str]] = {}
    for table, source, target, where, table_where in entries:
        if table not in columns:
            if table not in bad_tables:
                problems.append(f"{table_where}: '{table}' is no table {no_table(table)}")
                bad_tables.add(table)
            continue
        if (table, source) in seen:
            problems.append(
                f"{where}: {table}.{source} is mapped twice ({_line(seen[(table, source)], where)} "
                "too); keep one"
            )
            continue
        seen[(table, source)] = where
        if target is None:
            continue  # left out
        targets = _targets(columns[table])
        if target not in targets:
            # an amount without its unit names both units, not the nearer one
            if fen_name(target) in targets:
                hint = unit_hint(target, fen_name(target))
            else:
                hint = did_you_mean(target, targets)
            problems.append(
                f"{where}: {table}.{source} → '{target}': no column of table '{table}'{hint}"
            )
            continue
        amount = _amount(target)
        if (table, amount) in aimed:
            other, first = aimed[(table, amount)]
            problems.append(
                f"{where}: {table}.{source} → '{target}': {_line(first, where)} maps {other} to "
                f"'{target}' already; one column of the file per column of the table"
            )
            continue
        aimed[(table, amount)] = (source, where)
    return problems


def _unnamed(given: Sequence[str]) -> str:
    """The header cells a file leaves empty, by number (never pandas' ``Unnamed: 2``)."""
    empty = [str(number) for number, name in enumerate(given, 1) if is_unnamed(name)]
    if not empty:
        return ""
    which = f"column {empty[0]} has" if len(empty) == 1 else f"columns {first_of(empty, 5)} have"
    return f"; {which} no name in the header: a header over two rows with merged cells?"


def _columns(items) -> str:
    return f"{len(items)} column{'s' if len(items) != 1 else ''}"


def _amount(target: str) -> str:
    """The schema's column ``target`` names: ``x_fen`` for ``x_yuan``."""
    return fen_name(target.removesuffix(YUAN)) if target.endswith(YUAN) else target


def _line(first: str, where: str) -> str:
    """``line 6`` for ``map.yaml line 6`` named at another line of ``map.yaml``, else the
    whole place."""
    file, _, line = first.rpartition(" line ")
    same = file and where.rpartition(" line ")[0] == file
    return f"line {line}" if same else first
