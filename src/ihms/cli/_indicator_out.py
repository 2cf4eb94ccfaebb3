"""What ``ihms indicators compute`` writes and prints whole: the long table of ``--out``
(counts as integers, a ``time`` variable for Stata and SPSS, each variable labelled) and
the rows of ``--json``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd

LABELS = {
    "indicator": "Indicator id (ihms indicators show ID)",
    "period_type": "Period type: month or year",
    "period": "Period (YYYY-MM or YYYY)",
    "period_key": "Period as a number (YYYYMM or YYYY)",
    "time": "Time for tsset: Stata monthly date (%tm; missing for yearly rows) or year",
    "year": "Year of the period",
    "level": "Level of disaggregation",
    "unit": "Unit id",
    "unit_name": "Unit name",
    "numerator": "Numerator (count or sum)",
    "denominator": "Denominator",
    "numerator_unit": "fen where the numerator is a sum of money (1 yuan = 100 fen)",
    "denominator_unit": "fen where the denominator is a sum of money (1 yuan = 100 fen)",
    "value": "Value = numerator / denominator x factor, in the indicator's unit",
    "measure_unit": "What the value is measured in (the catalogue's unit)",
    "suppressed": "1 = suppressed: a count, or a share's rest, below --min-cell",
}


def _is_count(indicator) -> bool:
    """A count (no denominator, a whole factor): its value is a whole number."""
    from ihms.indicators.results import shown_decimals

    return shown_decimals(indicator)["value"] == 0


def _counts_only(frame: pd.DataFrame, catalogue) -> bool:
    """Whether every indicator of ``frame`` is a count."""
    ids = frame["indicator"].unique()
    return len(ids) > 0 and all(_is_count(catalogue[i]) for i in ids)


def _whole_counts(frame: pd.DataFrame, suffix: str, catalogue) -> pd.DataFrame:
    """Counts and sums as integer columns, missing kept (nullable ``Int64``): the
    numerator always, the denominator when every one is whole, the value when every
    indicator is a count. An average population's half keeps the denominator a float
    column in Parquet, Stata and SPSS (one type per column); a CSV or workbook then gets
    its whole ones as integers cell by cell."""
    import pandas as pd

    frame = frame.assign(numerator=frame["numerator"].astype("Int64"))
    if _counts_only(frame, catalogue):
        frame = frame.assign(value=frame["value"].round().astype("Int64"))
    elif suffix in (".csv", ".xlsx") and len(frame):
        # a count's 22250 beside a rate's 17.1, not 22250.0: cell by cell
        count = {i: _is_count(catalogue[i]) for i in frame["indicator"].unique()}
        cells = [
            None if pd.isna(v) else round(v) if count[i] else float(v)
            for i, v in zip(frame["indicator"], frame["value"], strict=True)
        ]
        frame = frame.assign(value=pd.Series(cells, index=frame.index, dtype=object))
    den = frame["denominator"].astype("Float64")
    whole = (den.dropna() % 1 == 0).all()
    if whole:
        return frame.assign(denominator=den.astype("Int64"))
    if suffix in (".csv", ".xlsx"):
        # 12 and 12.5, not 12.0 beside 12.5
        cells = [None if pd.isna(v) else int(v) if v % 1 == 0 else float(v) for v in den]
        return frame.assign(denominator=pd.Series(cells, index=frame.index, dtype=object))
    return frame.assign(denominator=den)


def _write(frame: pd.DataFrame, out: Path, *, catalogue=None, notes=(), lang: str = "en") -> None:
    """The long table; for Stata and SPSS also a ``time`` variable to ``tsset`` on.
    ``catalogue``: the definitions computed (default the catalogue); ``notes``: on a
    sheet ``notes`` of an .xlsx, else in ``FILE-notes.csv`` beside it; ``lang="zh"``:
    the variables labelled in Chinese, their names as in English."""
    import pandas as pd

    from ihms._sheet_names import sheet_name
    from ihms._statfiles import stata_month, write_stat_file
    from ihms.indicators import CATALOGUE

    frame = _whole_counts(frame, out.suffix.lower(), catalogue or CATALOGUE)
    monthly: list[str] = []
    if out.suffix.lower() in (".dta", ".sav") and len(frame):
        frame = frame.copy()
        at = frame.columns.get_loc("period") + 1
        months = frame["period_type"] == "month"
        if months.any():
            # a Stata variable has one format: %tm for the monthly rows; yearly
            # indicators computed beside them get no month, and 'year' serves both
            frame.insert(
                at,
                "time",
                [
                    stata_month(p) if m else pd.NaT
                    for p, m in zip(frame["period"], months, strict=True)
                ],
            )
            frame.insert(at + 1, "year", frame["period"].str[:4].astype("int64"))
            monthly = ["time"]
        else:
            frame.insert(at, "time", frame["period_key"].astype("int64"))
    write_stat_file(
        frame,
        out,
        variable_labels=LABELS if lang == "en" else _labels_zh(),
        monthly=monthly,
        label="ihms indicators",
        option="--out",
        notes=notes,
        notes_sheet=sheet_name(lang, "notes"),
    )


def _json_rows(frame: pd.DataFrame, omitted, catalogue) -> list[dict]:
    """The rows, each with ``omitted`` null, then one row per indicator left out: its
    id, measure unit and the reason in ``omitted``, every other key null."""
    from ihms.cli._common import to_jsonable

    rows = to_jsonable(frame.assign(omitted=None))
    counts = {i for i in frame["indicator"].unique() if _is_count(catalogue[i])}
    for row in rows:
        # money is integer fen in --json (the payment commands' _fen keys): the frame's
        # float denominator (it can hold an average population's half) is whole for
        # every sum of money and every count, exact below 2^53
        if isinstance(row["denominator"], float) and row["denominator"].is_integer():
            row["denominator"] = int(row["denominator"])
        # a count's value is the count (times a whole factor): 3, not 3.0
        if isinstance(row["value"], float) and row["indicator"] in counts:
            row["value"] = int(row["value"])
    for o in omitted:
        blank = dict.fromkeys(frame.columns)
        unit = catalogue[o.indicator].unit
        rows.append({**blank, "indicator": o.indicator, "measure_unit": unit, "omitted": o.reason})
    return rows


def _labels_zh() -> dict[str, str]:
    from ihms.indicators._words_zh import LABELS as ZH

    return ZH
