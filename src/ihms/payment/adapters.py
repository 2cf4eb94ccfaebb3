"""Derive a spending table from a pandas frame of encounters (:func:`spending_from_encounters`).

For a data-layer store, see :mod:`ihms.payment.from_store`. The frame has the columns
of the data layer's encounter table (money in integer fen)::

    resident_id, institution_id, date, type,
    total_cost_fen, insurance_paid_fen, out_of_pocket_fen

and a table of institutions saying where each one sits for payment purposes
(``setting``: ``consortium``, ``outside_county`` or ``private``; optional
``primary_care``, yes/no as ``ihms data import`` reads it, no cell empty). Other
column names can be mapped with ``columns``. Only ``institution_id``, ``date`` (a date
or ISO 8601 text) and ``insurance_paid_fen`` are required; a money column may be given
in yuan instead (``insurance_paid_yuan``, at most two decimal places, converted
exactly), never both, nor beside the same amount without its unit; the frame is never
modified.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ihms._column_hints import both_units, yuan_name
from ihms.errors import DataError, IhmsWarning
from ihms.payment._collector import Collector
from ihms.payment._names import SETTING_NAMES
from ihms.payment._parse import YUAN_EXPECTED, file_row, read_yuan
from ihms.payment.tables import SETTINGS, SpendingTable

__all__ = ["ENCOUNTER_COLUMNS", "spending_from_encounters"]

#: The encounter columns this adapter reads (data layer names).
ENCOUNTER_COLUMNS = (
    "resident_id",
    "institution_id",
    "date",
    "type",
    "total_cost_fen",
    "insurance_paid_fen",
    "out_of_pocket_fen",
)

_MAX_LISTED = 200


def _rows(mask: np.ndarray, first_row: int) -> list[int]:
    return [first_row + int(i) for i in np.flatnonzero(mask)[:_MAX_LISTED]]


def _institution_settings(
    institutions: pd.DataFrame | Mapping[str, str], problems: list[str], notes: list[str]
) -> tuple[dict[str, str], dict[str, bool]]:
    if isinstance(institutions, Mapping):
        frame = pd.DataFrame(
            {"institution_id": list(institutions), "setting": list(institutions.values())}
        )
    else:
        frame = institutions
    # the payment tables' column checks (ihms._column_hints): a required column given
    # under another name is named; a misspelt primary_care is refused, not ignored
    table = Collector("institutions", first_row=file_row(frame, 0))
    table.require_columns(frame, ("institution_id", "setting"))
    table.reads("primary_care")
    table.check_unread("institutions table")
    settings: dict[str, str] = {}
    table.duplicates(
        [str(i).strip() for i in frame["institution_id"].tolist()],
        column="institution_id",
        describe=lambda i: f"institution {i!r}",
    )
    # as the spending table's: an empty cell refused, not read as "not primary care"
    flags = table.yes_no(frame, "primary_care", default=False, empty_is_unknown=False)
    # 医共体 / 县外 / 民营医院 as the spending table reads them, with its note
    coded = table.coded(frame, "setting", SETTING_NAMES, table="institutions", allowed=SETTINGS)
    problems += table.problems
    notes += table.notes  # primary_care written 是/否, settings in Chinese
    primary: dict[str, bool] = {}
    for pos, row in enumerate(frame.itertuples(index=False)):
        inst = str(row.institution_id).strip()
        settings[inst] = coded[pos]
        primary[inst] = bool(flags[pos])
    return settings, primary


def spending_from_encounters(
    encounters: pd.DataFrame,
    institutions: pd.DataFrame | Mapping[str, str],
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "encounters",
) -> SpendingTable:
    """Sum insurance-paid spending by year and institution into a spending table.

    Parameters
    ----------
    encounters
        One row per encounter (see the module docstring). Not modified.
    institutions
        ``institution_id → setting`` (a mapping), or a frame with ``institution_id``,
        ``setting`` and optionally ``primary_care``.
    columns
        ``{our name: your column}`` for encounter columns named differently.
    source
        Name used in error messages.

    Raises
    ------
    DataError
        Listing every problem: missing columns (naming the column probably given for
        one), a misspelt optional column (``primary_care``, ``total_cost_fn``) or an
        amount without its unit (``out_of_pocket``), unparseable dates, negative or
        fractional amounts, insurance paid above total cost, institutions not in
        ``institutions``.
    """
    rename = {v: k for k, v in (columns or {}).items()}
    frame = encounters.rename(columns=rename) if rename else encounters
    # the payment tables' check: a column given under another name is named; a misspelt
    # or unitless amount (total_cost_fn, out_of_pocket) is refused, not left out unsaid
    table = Collector(source, first_row=file_row(frame, 0))
    table.require_columns(frame, ("institution_id", "date", "insurance_paid_fen"))
    amounts = ("total_cost_fen", "out_of_pocket_fen", "insurance_paid_fen")
    table.reads(*ENCOUNTER_COLUMNS, *amounts, *(yuan_name(c) or c for c in amounts))
    table.check_unread("encounters")
    problems: list[str] = list(table.problems)
    notes: list[str] = []
    settings, primary = _institution_settings(institutions, problems, notes)

    dates = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
    bad = dates.isna().to_numpy()
    if bad.any():
        problems.append(
            f"{source}: column 'date': {int(bad.sum()):,} row(s) without a valid date, rows {_rows(bad, table.first_row)}"
        )

    def money(col: str) -> pd.Series | None:
        in_yuan = yuan_name(col)
        if in_yuan in frame.columns:
            if col in frame.columns:
                problems.append(f"{source}: {both_units(col)}")
                return None
            return yuan(in_yuan)
        if col not in frame.columns:
            return None
        values = pd.to_numeric(frame[col], errors="coerce")
        arr = values.to_numpy(dtype="float64", na_value=np.nan)
        wrong = np.isnan(arr) | (arr < 0) | (np.floor(arr) != arr)
        if wrong.any():
            problems.append(
                f"{source}: column {col!r}: {int(wrong.sum()):,} row(s) not whole fen >= 0, rows {_rows(wrong, table.first_row)}"
            )
        return values

    def yuan(col: str) -> pd.Series:
        # the data layer's converter, as the payment tables read yuan
        from ihms.data._coerce import yuan_reasons

        cells = frame[col].reset_index(drop=True)
        values, bad, note = read_yuan(cells, f"{source}: column {col!r}")
        if note is not None:
            notes.append(note)
        sizes = yuan_reasons(cells)
        large = sizes.notna().to_numpy(dtype=bool)
        for reason in sizes.dropna().unique():
            rows = (sizes == reason).to_numpy(dtype=bool)
            problems.append(
                f"{source}: column {col!r}: {int(rows.sum()):,} row(s) {reason}, rows {_rows(rows, table.first_row)}"
            )
        wrong = (bad | values.isna() | (values < 0).fillna(False)).to_numpy(dtype=bool) & ~large
        if wrong.any():
            problems.append(
                f"{source}: column {col!r}: {int(wrong.sum()):,} row(s) not {YUAN_EXPECTED}, "
                f"rows {_rows(wrong, table.first_row)}"
            )
        return values.set_axis(frame.index)

    paid = money("insurance_paid_fen")
    total = money("total_cost_fen")
    oop = money("out_of_pocket_fen")
    if total is not None and paid is not None:
        over = (paid > total).to_numpy(dtype=bool, na_value=False)
        if over.any():
            problems.append(
                f"{source}: column 'insurance_paid_fen': {int(over.sum()):,} row(s) pay more than "
                f"the total cost, rows {_rows(over, table.first_row)}"
            )
    inst = frame["institution_id"].astype(str).str.strip()
    unknown = ~inst.isin(list(settings)).to_numpy()
    if unknown.any():
        names = sorted(set(inst[unknown]))[:20]
        problems.append(
            f"{source}: column 'institution_id': {int(unknown.sum()):,} row(s) name institutions "
            f"missing from the institutions table ({', '.join(names)}), rows {_rows(unknown, table.first_row)}"
        )
    if problems:
        raise DataError(f"{source}: cannot derive a spending table", problems)
    from ihms.data._notes_zh import note_zh

    for note in notes:
        warnings.warn(IhmsWarning(note, zh=note_zh(note)), stacklevel=2)

    work = pd.DataFrame(
        {
            "year": dates.dt.year.to_numpy(),
            "institution_id": inst.to_numpy(),
            "insurance_paid_fen": paid.to_numpy(dtype="int64"),
            "total_cost_fen": (total if total is not None else paid).to_numpy(dtype="int64"),
            "out_of_pocket_fen": (
                oop if oop is not None else pd.Series(0, index=frame.index)
            ).to_numpy(dtype="int64"),
        }
    )
    agg = (
        work.groupby(["year", "institution_id"], sort=True)
        .agg(
            insurance_paid_fen=("insurance_paid_fen", "sum"),
            total_cost_fen=("total_cost_fen", "sum"),
            out_of_pocket_fen=("out_of_pocket_fen", "sum"),
            encounters=("insurance_paid_fen", "size"),
        )
        .reset_index()
    )
    agg.insert(1, "setting", agg["institution_id"].map(settings))
    agg["primary_care"] = agg["institution_id"].map(primary).fillna(False).astype(bool)
    agg.loc[agg["setting"] != "consortium", "primary_care"] = False
    if total is None:
        agg = agg.drop(columns="total_cost_fen")
    if oop is None:
        agg = agg.drop(columns="out_of_pocket_fen")
    return SpendingTable.from_frame(agg, source=f"spending derived from {source}")
