"""Turn whatever the caller has (CSV strings, pandas, pyarrow) into typed columns.

Each function takes a pandas Series and returns ``(values, bad)``: the typed values (as a
pandas Series with a nullable dtype) and a boolean mask of the rows whose non-empty
input could not be read. Nothing here raises; :mod:`ihms.data.dataset` turns the masks
into problem messages naming file, row and column.

Text is read as a Chinese spreadsheet writes it: full-width digits, letters, points and
signs (``３９５９``, ``２０１６－０１－１８``, ``ｔｒｕｅ``) as their ASCII forms, through the
cells' one normaliser :func:`ihms.stats._cells.normal_text` (growth and ITS read their
tables through it too); digits are ASCII ``[0-9]`` after that (another script's digits
are refused, not guessed). :func:`coerce` holds every column
kind to one rule: a non-empty cell is read or refused, never stored as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms._listing import first_of
from ihms.data._cell_text import EXCEL_ERRORS, is_blank, stripped_cells
from ihms.data._cell_text import cell_text as _text
from ihms.data._int_cells import range_int, read_whole
from ihms.data._yes_no import coerce_bool
from ihms.stats._cells import MISSING_MARKERS, normal_text, ungrouped
from ihms.stats._date_counts import date_count_reason

#: A whole number; a zero fraction (``13.0``) is the same whole number, as pandas writes
#: an integer column holding nulls (read from Parquet as float64) back to CSV.
#: Thousands separators are read by :func:`coerce` before (groups of three only, as the
#: statistics tables read them: :func:`ihms.stats._cells.ungrouped`).
_INT_RE = r"^[+-]?[0-9]+(?:\.0+)?$"
_YUAN_RE = r"^(?P<sign>[+-]?)(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]{1,2}))?$"
#: The most yuan an amount may hold: 16 digits, so that its fen fit int64 (9.2e18).
YUAN_DIGITS = 16
#: What every yuan reader says of an amount past :data:`YUAN_DIGITS` (:func:`yuan_too_large`).
YUAN_TOO_LARGE = f"too large (at most {YUAN_DIGITS} digits of whole yuan)"
#: Yuan held as a floating-point number (a Parquet or pandas float column) come back
#: exactly only with at most 15 significant digits (a double's DBL_DIG): from 10^13 yuan
#: on, cents no longer do (80000000000000.01 is stored as 80000000000000.02, below
#: even 2^53 fen). Such cells are refused, not rounded.
FLOAT_YUAN_LIMIT = 10**13
#: The significant digits a float cell is read at (:func:`float_cell_text`).
_FLOAT_DIGITS = 15
#: How far (in fen) a float yuan cell may lie from a whole fen and still be read as it:
#: a subtraction of amounts up to about 45 million yuan leaves less (2^-52 relative).
_FEN_RESIDUE = Decimal("1e-6")
YUAN_INEXACT_FLOAT = (
    f"a floating-point number of {FLOAT_YUAN_LIMIT:,} yuan or more, which cannot hold "
    "whole fen exactly; store the column as text or as integer fen"
)
#: What every yuan reader says of ``7927.63万元``: 万元 is ten thousand yuan, and an
#: amount is never scaled by guess.
YUAN_IN_WAN = (
    "an amount in 万元 (ten thousand yuan), but the column is in yuan: give it in yuan "
    "(7927.63万元 is 79276300)"
)
#: A float above 2^53 is no longer every whole number: an integer column read as floats
#: (Parquet with nulls) past it cannot be trusted to the unit.
_FLOAT_EXACT_INT = 2**53

_PANDAS_INT = {"int16": "Int16", "int32": "Int32", "int64": "Int64"}


def coerce_string(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = s.astype("string")
    if text.dtype.storage == "pyarrow":  # text.str.strip().mask(is_blank(s)), in pyarrow
        return stripped_cells(s, text), pd.Series(False, index=s.index)
    blank = is_blank(s)
    out = text.str.strip()
    out = out.mask(blank)
    return out, pd.Series(False, index=s.index)


def coerce_int(s: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    target = _PANDAS_INT[dtype]
    info = np.iinfo(dtype)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(target), pd.Series(False, index=s.index)
    if pd.api.types.is_unsigned_integer_dtype(s.dtype):  # uint64 past int64 wraps
        over = (s.astype("UInt64") > info.max).fillna(False).astype(bool)
        return range_int(s.mask(over).astype("Int64"), over, target, info)
    if pd.api.types.is_integer_dtype(s.dtype):
        values = s.astype("Int64")
    elif pd.api.types.is_float_dtype(s.dtype):
        whole = s.isna() | (s == np.floor(s))
        bad = ~whole | (s.abs() > _FLOAT_EXACT_INT).fillna(False).astype(bool)
        whole &= ~bad
        values = s.where(whole).astype("Float64").round().astype("Int64")
        return range_int(values, bad, target, info)
    else:
        blank = is_blank(s)
        text = _text(s)
        ok = text.str.fullmatch(_INT_RE).fillna(False).astype(bool)
        bad = ~blank & ~ok
        whole = text.where(ok).str.replace(r"\.0+$", "", regex=True)
        values, over = read_whole(whole, info)  # exact, and past int64 refused, not wrapped
        return range_int(values, bad | over, target, info)
    return range_int(values, pd.Series(False, index=s.index), target, info)


def coerce_float(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.astype("Float64")
        # NaN from numpy floats means "missing", never a measurement.
        return values.mask(values.isna()), pd.Series(False, index=s.index)
    blank = is_blank(s)
    values = pd.to_numeric(_text(s), errors="coerce").astype("Float64")
    bad = ~blank & values.isna()
    return values, bad.astype(bool)


#: The date forms read from text: year first, so day and month are never guessed.
#: ISO ``2016-01-18`` (also ``2016-1-18``), Chinese Excel's CSV default ``2016/1/18``,
#: ``2016.1.18``, ``2016年1月18日`` and ``20160118``; any of them may carry a time of day
#: (``2016-01-18 08:30:00``, ``2016/1/18 8:30``, ISO's ``T``), which is dropped: every
#: schema date is a calendar day, and the time does not change which day it names.
#: Time-zone offsets (``Z``, ``+08:00``) are refused: which local day they name depends
#: on a conversion the file does not state. A day first is read only with its month
#: named, as Stata's ``%td`` (``05mar2019``, what ``export delimited`` writes) and SPSS's
#: DATE11 (``05-MAR-2019``) write it: a name cannot be taken for a day.
DATE_FORMS = (
    "YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYYMMDD or with the month named "
    "(05mar2019, 05-MAR-2019), optionally with a time"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMED_DATE_RE = (
    r"^(?P<d>[0-9]{1,2})[- ]?(?P<mon>[A-Za-z]{3})[- ]?(?P<y>[0-9]{4})"
    r"(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)?$"
)
_SEPARATED = "|".join(
    rf"{a}(?P<m{i}>[0-9]{{1,2}}){b}(?P<d{i}>[0-9]{{1,2}}){c}"
    for i, (a, b, c) in enumerate(
        (("-", "-", ""), ("/", "/", ""), (r"\.", r"\.", ""), ("年", "月", "日"))
    )
)
#: RE2 (pyarrow) has no back-references, so each separator is its own alternative; the
#: groups that do not take part come back empty, and joining them gives the one that did.
_DATE_RE = (
    rf"^(?P<y>[0-9]{{4}})(?:{_SEPARATED}|(?P<m9>[0-9]{{2}})(?P<d9>[0-9]{{2}}))"
    r"(?:(?:T|\s+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]{1,9})?)?)?$"
)


def _parse_dates(text: pd.Series) -> pd.Series:
    """Strings in one of :data:`DATE_FORMS` as ``datetime64`` at midnight; NaT for
    anything else (an impossible day or time included)."""
    iso = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).astype(bool)
    values = pd.to_datetime(text.where(iso), errors="coerce", format="%Y-%m-%d")
    other = ~iso & text.notna()
    if other.any():  # the other forms (or garbage) cost a slower regex
        values = values.astype("datetime64[s]").mask(other, _parse_other_dates(text[other]))
    return values


def _parse_other_dates(text: pd.Series) -> pd.Series:
    import pyarrow.compute as pc

    named = text.str.extract(_NAMED_DATE_RE)
    month = named["mon"].str.lower().map({m: f"{k:02d}" for k, m in enumerate(_MONTHS, 1)})
    found = month.notna()
    if found.any():  # 05mar2019 as 2019-03-05 (an unknown name stays and is refused)
        day = named["d"].str.zfill(2)
        text = text.mask(found, named["y"] + "-" + month.astype("string") + "-" + day)

    strings = pa.array(text.astype(object), type=pa.string(), from_pandas=True)
    parts = pc.extract_regex(strings, _DATE_RE)
    part = {name: parts.field(name) for name in (f.name for f in parts.type)}

    def joined(prefix: str) -> pa.Array:
        return pc.binary_join_element_wise(
            *(part[n] for n in part if n[0] == prefix and n[1:].isdigit()), ""
        )

    month, day = (pc.utf8_lpad(joined(p), 2, "0") for p in "md")
    iso = pc.binary_join_element_wise(part["y"], month, day, "-")
    iso = pc.if_else(parts.is_valid(), iso, None)
    values = pd.to_datetime(
        iso.to_pandas().set_axis(text.index), errors="coerce", format="%Y-%m-%d"
    )
    bad_time = np.zeros(len(text), dtype=bool)
    for name, limit in {"H": 23, "M": 59, "S": 59}.items():
        number = pc.cast(pc.if_else(pc.equal(part[name], ""), None, part[name]), pa.int16())
        bad_time |= pc.fill_null(pc.greater(number, limit), False).to_numpy(zero_copy_only=False)
    return values.mask(bad_time).astype("datetime64[s]")


def coerce_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as ``datetime64[s]`` at midnight: datetime values and ``date`` objects as
    they are (a time of day dropped), text in one of :data:`DATE_FORMS`."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        values = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return values.dt.normalize().astype("datetime64[s]"), pd.Series(False, index=s.index)
    blank = is_blank(s)
    if s.dtype == object:
        # date / datetime objects (from pyarrow date32 or Python) pass through; anything
        # else (strings, numbers such as 20160118) is read as text.
        is_date = s.map(lambda v: isinstance(v, (date, np.datetime64))).astype(bool)
        values = pd.to_datetime(s.where(is_date), errors="coerce", format="mixed")
        if not is_date.all():
            text = s.where(~is_date & ~blank).map(str, na_action="ignore").astype("string")
            values = values.where(is_date, _parse_dates(_text(text)))
    else:
        values = _parse_dates(_text(s))
    bad = ~blank & values.isna()
    return values.dt.normalize().astype("datetime64[s]"), bad.astype(bool)


def yuan_too_large(s: pd.Series) -> pd.Series:
    """Cells with more than 16 digits of whole yuan (their fen would not fit int64):
    :func:`yuan_to_fen` refuses them with the unreadable ones; this tells them apart
    so a message can say what is wrong."""
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
        # not "> 10**16 - 1": as a float that is 1e16, and 1e16 > 1e16 is false
        large = (s.abs() >= 10**YUAN_DIGITS).fillna(False).astype(bool)
        return large & ~yuan_inexact_float(s)
    digits = _text(s).str.extract(_YUAN_RE)["int"].str.lstrip("0").str.len()
    return (digits > YUAN_DIGITS).fillna(False).astype(bool) & ~yuan_inexact_float(s)


def yuan_reasons(s: pd.Series) -> pd.Series:
    """Per cell, why an amount in yuan is refused when its form is not the whole story:
    :data:`YUAN_TOO_LARGE`, :data:`YUAN_INEXACT_FLOAT`, :data:`YUAN_IN_WAN` (``7927.63万元``),
    or None (fine, or refused for its form). Every yuan reader's message takes its words
    from here."""
    large, inexact = yuan_too_large(s).to_numpy(), yuan_inexact_float(s).to_numpy()
    wan = np.zeros(len(s), dtype=bool)
    if not pd.api.types.is_numeric_dtype(s.dtype):
        wan = s.astype("string").str.contains("万", regex=False).fillna(False).to_numpy(bool)
    reasons = [
        YUAN_INEXACT_FLOAT if f else YUAN_TOO_LARGE if g else YUAN_IN_WAN if w else None
        for f, g, w in zip(inexact, large, wan, strict=True)
    ]
    return pd.Series(reasons, index=s.index, dtype=object)


def yuan_inexact_float(s: pd.Series) -> pd.Series:
    """Floating-point cells of :data:`FLOAT_YUAN_LIMIT` yuan or more, whose cents a
    float cannot hold (:data:`YUAN_INEXACT_FLOAT`): :func:`yuan_to_fen` refuses them;
    this tells them apart so a message can say why."""
    if pd.api.types.is_float_dtype(s.dtype):
        size = s.abs()
        return ((size >= FLOAT_YUAN_LIMIT) & (size < np.inf)).fillna(False).astype(bool)
    if s.dtype != object or pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        return pd.Series(False, index=s.index)  # text (a CSV's cells): read digit by digit
    return s.map(
        lambda v: isinstance(v, (float, np.floating)) and FLOAT_YUAN_LIMIT <= abs(v) < np.inf
    ).astype(bool)


def _is_float(value: object) -> bool:
    return isinstance(value, (float, np.floating))


def float_cell_text(value: float) -> str:
    """A floating-point yuan cell as the decimal it stands for. A formula's binary residue
    is not read as a third decimal: a cell within :data:`_FEN_RESIDUE` fen of a whole fen
    is that fen (``=1234.56-1200.5`` stores 34.059999999999945, Excel shows 34.06; the
    residue grows with the amounts subtracted, not with the result, so no count of
    significant digits of the result removes it); any other cell is read at its first
    15 significant digits (a double's DBL_DIG), never an exponent, so a genuine third
    decimal such as 202.326 (0.6 fen from a whole fen) is still seen and refused.

    Examples
    --------
    >>> float_cell_text(7925.290000000001), float_cell_text(202.326), float_cell_text(1e3)
    ('7925.29', '202.326', '1000.00')
    """
    v = float(value)
    if np.isfinite(v):
        fen = Decimal(repr(v)) * 100
        whole = fen.to_integral_value(rounding=ROUND_HALF_UP)
        if abs(fen - whole) <= _FEN_RESIDUE:
            return format(whole.scaleb(-2), "f")
    return format(Decimal(f"{v:.{_FLOAT_DIGITS}g}"), "f")


def yuan_to_fen(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Exact conversion of yuan amounts with at most two decimals to integer fen.

    Strings are parsed digit by digit (no float rounding): ``"12.5"`` -> 1250,
    ``"0.07"`` -> 7; floating-point cells to the nearest fen when a formula's binary
    residue is all that separates them from it (:func:`float_cell_text`: 7925.290000000001
    is 7925.29, as Excel shows it). Numbers with more than two decimals are refused, and so are
    floating-point cells of :data:`FLOAT_YUAN_LIMIT` yuan or more (:func:`yuan_inexact_float`).
    """
    blank = is_blank(s)
    if pd.api.types.is_integer_dtype(s.dtype):
        whole = s.astype("Int64")
        too_big = yuan_too_large(whole)
        return (whole.mask(too_big) * 100), too_big
    if pd.api.types.is_float_dtype(s.dtype):
        text = s.map(lambda v: None if pd.isna(v) else float_cell_text(v)).astype("string")
    else:
        cells = s
        if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) != "string":
            # a workbook's column (text and numbers mixed): its floats as float64's are
            cells = s.map(lambda v: float_cell_text(v) if _is_float(v) and v == v else v)
        text = _text(cells)
    parts = text.str.extract(_YUAN_RE)
    # more digits would wrap around int64 when multiplied by 100
    ok = parts["int"].notna() & (parts["int"].str.lstrip("0").str.len() <= YUAN_DIGITS)
    ok &= ~yuan_inexact_float(s)
    bad = ~blank & ~ok
    whole = pd.to_numeric(parts["int"], errors="coerce").astype("Int64")
    frac = parts["frac"].fillna("").str.ljust(2, "0")
    cents = pd.to_numeric(frac.where(ok), errors="coerce").fillna(0).astype("Int64")
    fen = whole * 100 + cents
    fen = fen.where(parts["sign"] != "-", -fen)
    return fen.where(ok).astype("Int64"), bad.astype(bool)


def coerce_fen(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole fen: an amount written with a decimal point (``1234.00``, ``１２３４．００``)
    is money formatted in yuan, not a fen amount, and is refused."""
    values, bad = coerce_int(s, "int64")
    if not pd.api.types.is_numeric_dtype(s.dtype):
        dotted = _text(s).str.contains(".", regex=False).fillna(False).astype(bool)
        bad = bad | dotted
    return values, bad


def coerce(
    s: pd.Series, kind: str, *, thousands: bool = False, separated: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """``(values, bad)`` of a column of ``kind``: a schema dtype, ``"fen"`` (integer money,
    :func:`coerce_fen`) or ``"yuan"`` (given in yuan, :func:`yuan_to_fen`). Whatever the
    coercer does, a non-empty cell that comes out missing is bad: a value is read or
    refused, never dropped. With ``thousands`` (``ihms data import``), thousands
    separators in groups of three (``1,234,567.50``) in a number column are read as the
    statistics tables read them (:func:`separated_cells`; :func:`thousands_note` says so),
    and ``1,23`` is refused; without, every comma is refused (the payment tables).
    ``separated``: :func:`separated_cells` of ``s`` when the caller has it already."""
    plain = without_separators(s, separated) if thousands and kind in NUMBER_KINDS else s
    values, bad = COERCERS[kind](plain)
    return values, bad | (~is_blank(s) & values.isna()).astype(bool)


#: The column kinds whose cells are numbers with thousands separators read in them. Not
#: whole fen: an amount shown with separators is an amount formatted in yuan (the
#: payment tables' fen rule too), refused naming the ``x_yuan`` column to give.
NUMBER_KINDS = frozenset({"int16", "int32", "int64", "float64", "yuan"})


def separated_cells(s: pd.Series) -> pd.Series:
    """Each text cell written with thousands separators in groups of three (``1,234``,
    ``１，２３４．５``) as the number without them (``1234``, ``1234.5``:
    :func:`ihms.stats._cells.ungrouped`); None for every other cell.

    :func:`~ihms.stats._cells.ungrouped` runs once per distinct value
    (``pandas.factorize``, as :func:`~ihms.data._cell_text.cell_text` folds): a column
    of amounts repeats its values down a million rows (1,200.00, 35,000)."""
    found = pd.Series(None, index=s.index, dtype=object)
    if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        return found
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) not in ("string", "empty"):
        s = s.map(lambda v: v if isinstance(v, str) else None)  # a workbook's numbers: no text
    text = _text(s)
    comma = text.str.contains(",", regex=False).fillna(False).to_numpy(bool)
    if comma.any():
        codes, uniques = pd.factorize(text[comma])
        read = np.array([ungrouped(v) for v in uniques.tolist()], dtype=object)
        found[comma] = read[codes]
    return found


def grouped_cells(s: pd.Series) -> pd.Series:
    """The text cells written with thousands separators in groups of three
    (:func:`separated_cells`)."""
    return separated_cells(s).notna()


def without_separators(s: pd.Series, read: pd.Series | None = None) -> pd.Series:
    """``s`` with its cells written with thousands separators in groups of three as the
    numbers they write (``1,234.5`` as ``1234.5``; :func:`separated_cells`, or ``read`` when
    the caller has it); every other cell as it is."""
    read = separated_cells(s) if read is None else read
    grouped = read.notna()
    return s.mask(grouped, read) if grouped.any() else s


@dataclass(frozen=True)
class Regrouped:
    """Values of one number column written with thousands separators, read as numbers
    (a note of ``ihms data import``, beside :class:`~ihms.data._vocabulary.Translation`)."""

    table: str
    column: str
    count: int
    examples: tuple[str, ...]

    def __str__(self) -> str:
        return self.described(f"{self.table}.{self.column}")

    def described(self, where: str) -> str:
        """The note with the column named as ``where`` (``column 'x_yuan' of pop.csv``
        for a file's column; ``table.column`` for a store's)."""
        were = "were" if self.count != 1 else "was"
        value = "values" if self.count != 1 else "value"
        shown = first_of([f"{cell} → {ungrouped(normal_text(cell))}" for cell in self.examples], 3)
        return (
            f"{where}: {self.count:,} {value} written with thousands "
            f"separators {were} read as numbers ({shown}); separators are read only in "
            "groups of three (1,234,567), so 1,23 is refused"
        )


def thousands_note(
    s: pd.Series, kind: str, table: str, column: str, separated: pd.Series | None = None
) -> Regrouped | None:
    """The note for the cells of a column of ``kind`` that ``coerce(..., thousands=True)``
    read with thousands separators, or None (``separated`` as :func:`coerce` takes it)."""
    if kind not in NUMBER_KINDS:
        return None
    grouped = grouped_cells(s) if separated is None else separated.notna()
    if not grouped.any():
        return None
    examples = tuple(dict.fromkeys(str(v).strip() for v in s[grouped]))[:3]
    return Regrouped(table, column, int(grouped.sum()), examples)


COERCERS = {
    "string": lambda s: coerce_string(s),
    "int16": lambda s: coerce_int(s, "int16"),
    "int32": lambda s: coerce_int(s, "int32"),
    "int64": lambda s: coerce_int(s, "int64"),
    "float64": lambda s: coerce_float(s),
    "bool": lambda s: coerce_bool(s),
    "date": lambda s: coerce_date(s),
    "fen": lambda s: coerce_fen(s),
    "yuan": lambda s: yuan_to_fen(s),
}


#: Cells that stand for no number: what Excel's accounting format shows for 0 (``-``),
#: what statistical tables write for "none" or "not recorded" (``—``, ``/``, ``无``), and
#: the markers other programs write for missing. Which one a dash means (zero or not
#: recorded) cannot be told, so such a cell is refused with this reason, never stored as
#: 0 or as missing.
_PLACEHOLDERS = frozenset({"-", "--", "—", "——", "–", "/", "无", "…", "...", "……"})
#: A number with a comma that is no grouping in threes (``1,23``, ``12,5``).
_COMMA_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*,[0-9,]*(?:\.[0-9]*)?")


def placeholder_reason(
    cell: object, kind: str | None = None, *, package: str = "", column: str = ""
) -> str | None:
    """Why a cell of a column of ``kind`` (:func:`coerce`'s kinds) is refused when its
    form says more than "not a number": a placeholder, a missing-value marker, an Excel
    formula error, a comma that is no thousands separator (a number column) or a third
    decimal in yuan written with them, an Excel
    day serial (a date column) or, in a file Stata wrote (``package``, as
    :class:`~ihms.data.RowLabels` names it), a Stata day count without its ``%td``
    format (for the variable ``column``), and in one SPSS wrote its seconds from
    1582-10-14 without a date format; else None.

    Examples
    --------
    >>> placeholder_reason("－")[:40], placeholder_reason("12")
    ('a placeholder, not a value: a dash is wh', None)
    >>> placeholder_reason("45292", "date")[:60]
    'looks like an Excel day serial (45292 = 2024-01-01): the col'
    """
    if kind == "date" and (reason := date_count_reason(cell, package, column)) is not None:
        return reason
    if not isinstance(cell, str):
        return None
    text = normal_text(cell).lower()
    if kind in NUMBER_KINDS and _COMMA_NUMBER.fullmatch(text):
        if (plain := ungrouped(text)) is None:
            return (
                "a comma that is no thousands separator (those stand in groups of three: "
                "1,234,567); a decimal comma or a list cannot be told apart: write 1.23 or 123"
            )
        # right separators (1,234.567): a third decimal in yuan is the fault, else the caller's
        if kind == "yuan" and len(places := plain.partition(".")[2]) > 2:
            return f"more than two decimal places ({len(places)}): yuan are exact to the fen"
        return None
    if text in _PLACEHOLDERS:
        return (
            "a placeholder, not a value: a dash is what Excel's accounting format shows for "
            "0, and tables write -, / or 无 for none or for not recorded; write 0 if it is "
            "zero, or leave the cell empty if it was not recorded"
        )
    if text in EXCEL_ERRORS:
        return (
            f"an Excel formula error ({text.upper()}: {EXCEL_ERRORS[text]}): fix the formula "
            "in the workbook, or leave the cell empty for a value not recorded"
        )
    if text in MISSING_MARKERS:
        return "a missing-value marker: leave the cell empty for a value not recorded"
    return None
