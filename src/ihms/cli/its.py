"""``ihms its``: interrupted time-series analysis of a CSV file (Stata ``itsa``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import IhmsGroup, console, print_json
from ihms.cli._stats_options import ITS_OPTIONS, as_options, note_blank_rows
from ihms.errors import InputError

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Interrupted time series as Stata's itsa: fit, Breusch-Godfrey lag tests.",
)

DataArg = Annotated[
    Path,
    typer.Argument(
        help="CSV (or Stata .dta, SPSS .sav, .xlsx, .parquet) file, one row per unit and time point."
    ),
]
OutcomeOpt = Annotated[str, typer.Option("--outcome", help="Outcome column.")]
TimeOpt = Annotated[
    str, typer.Option("--time", help="Time column: integers (1989) or months (2017-10).")
]
InterruptionOpt = Annotated[
    list[str],
    typer.Option("--interruption", help="First period of an intervention; repeat for several."),
]
GroupOpt = Annotated[str | None, typer.Option("--group", help="Unit column (several units).")]
TreatedOpt = Annotated[str | None, typer.Option("--treated", help="The treated unit's value.")]
ControlOpt = Annotated[
    list[str] | None,
    typer.Option("--control", help="A control unit (repeat); default: all other units."),
]
SingleOpt = Annotated[
    bool, typer.Option("--single", help="Analyse the treated unit alone (itsa's single).")
]
CovariateOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--covariate",
        help="A numeric column added to the regression (itsa's indepvars); repeat for several.",
    ),
]
SeasonalOpt = Annotated[
    bool, typer.Option("--seasonal", help="Seasonally adjust first (ratio to 2x12 moving average).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the results as JSON.")]


def _read_csv(path: Path):
    """The series table as text cells: a CSV decoded as every ihms reader decodes
    (UTF-8 with or without BOM, GBK/GB18030, ...), or a Stata ``.dta``, SPSS ``.sav``,
    Excel ``.xlsx`` or ``.parquet`` file, whose monthly dates become ``YYYY-MM``."""
    import pandas as pd

    from ihms._decode import read_csv

    if path.is_dir():
        raise InputError(f"file {str(path)!r}: is a folder, expected a data file")
    if not path.is_file():
        raise InputError(f"file {str(path)!r}: not found")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".tsv", ".txt", ".json", ".jsonl", ".sas7bdat"):
        raise InputError(
            f"file {str(path)!r}: a {suffix} file is not read here; save the series as .csv "
            "(or .dta, .sav, .xlsx, .parquet)"
        )
    if suffix in (".dta", ".sav", ".xlsx", ".parquet"):
        frame = _read_binary(path, suffix)
        if suffix == ".xlsx":
            _check_sheet(frame, path)
        return _as_text(frame)
    try:
        return read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"file {str(path)!r}: cannot be read as CSV ({exc})") from exc


def _check_sheet(frame, path: Path) -> None:
    """A sheet's title lines above its header (``2019年…统计表``) and a column name given
    twice (hidden columns too) as errors naming them, as the CSV reader words them."""
    import pandas as pd

    from ihms._layout import duplicate_names, looks_renamed, title_lines, title_message

    label = f"file {str(path)!r}"
    rows = [list(frame.columns), *frame.head(7).to_numpy().tolist()]
    if frame.shape[1] >= 2 and (count := title_lines(rows)):
        raise InputError(title_message(label, rows, count))
    if looks_renamed(frame.columns):
        header = pd.read_excel(path, header=None, nrows=1).iloc[0].tolist()
        if message := duplicate_names(label, header):
            raise InputError(message)


def _read_binary(path: Path, suffix: str):
    import pandas as pd

    try:
        if suffix == ".dta":
            import pyreadstat

            frame, meta = pyreadstat.read_dta(str(path), disable_datetime_conversion=True)
            return _stata_dates(frame, meta.original_variable_types)
        if suffix == ".sav":
            import pyreadstat

            return pyreadstat.read_sav(str(path), extra_date_formats=["MOYR"])[0]
        if suffix == ".xlsx":
            # cells as Excel holds them: pandas' default parses text again, so a month
            # typed as text "2019.10" became the number 2019.1 (January) and "001" 1
            return pd.read_excel(path, dtype=object).infer_objects()
        return pd.read_parquet(path)
    except Exception as exc:  # each reader raises its own types for a damaged file
        kind = {".dta": "a Stata", ".sav": "an SPSS", ".xlsx": "an Excel", ".parquet": "a Parquet"}
        raise InputError(
            f"file {str(path)!r}: cannot be read as {kind[suffix]} file ({exc})"
        ) from exc


def _stata_dates(frame, formats: dict):
    """Stata's time formats as the CSV reader would give them: ``%tm`` months as
    ``YYYY-MM``, ``%ty`` years as the year, ``%td`` days as ISO dates. Other time
    formats (``%tq``, ``%th``, ``%tw``, ``%tc``) keep Stata's own count, which is still
    evenly spaced (give the interruption in the same count)."""
    import pandas as pd

    frame = frame.copy()
    for col, fmt in formats.items():
        values = frame[col]
        if not str(fmt).startswith("%t") or not pd.api.types.is_numeric_dtype(values):
            continue
        kind = str(fmt)[2:3]
        if kind == "m":
            frame[col] = [
                None if pd.isna(v) else f"{1960 + int(v) // 12:04d}-{int(v) % 12 + 1:02d}"
                for v in values
            ]
        elif kind == "d":
            day0 = pd.Timestamp(1960, 1, 1)
            frame[col] = [
                None if pd.isna(v) else (day0 + pd.Timedelta(days=int(v))).strftime("%Y-%m-%d")
                for v in values
            ]
    return frame


def _as_text(frame):
    """Cells as the CSV reader gives them: months as ``YYYY-MM`` (a Stata ``%tm`` or SPSS
    date on the first of the month), other dates ISO, whole numbers without ``.0``,
    missing as ``""``."""
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_datetime64_any_dtype(col):
            days = col.dropna()
            fmt = (
                "%Y-%m"
                if (days.dt.day == 1).all() and (days.dt.normalize() == days).all()
                else "%Y-%m-%d"
            )
            out[c] = col.dt.strftime(fmt)
        elif pd.api.types.is_float_dtype(col) and (col.dropna() % 1 == 0).all():
            out[c] = col.astype("Int64").astype(str)
        else:
            out[c] = col.astype(str)
        out[c] = out[c].where(col.notna(), "")
    return out


def _model(data, outcome, time, interruption, group, treated, control, single, seasonal, covariate):
    from ihms.stats import ITSModel

    frame = _read_csv(data)
    note_blank_rows(frame, data)
    return ITSModel(
        frame,
        outcome=outcome,
        time=time,
        interruptions=interruption,
        group=group,
        treated=treated,
        controls=control or None,
        single=single,
        covariates=covariate or (),
        seasonal=seasonal,
        source=data.name,
    )


def _lags(value: str) -> int | str:
    if value.strip().lower() == "auto":
        return "auto"
    try:
        lags = int(value)
    except ValueError:
        raise InputError(
            f"option '--lags': expected an integer >= 0 or 'auto', got {value!r}"
        ) from None
    if lags < 0:
        raise InputError(f"option '--lags': expected an integer >= 0 or 'auto', got {value!r}")
    return lags


@app.command("fit")
def fit(
    data: DataArg,
    outcome: OutcomeOpt,
    time: TimeOpt,
    interruption: InterruptionOpt,
    group: GroupOpt = None,
    treated: TreatedOpt = None,
    control: ControlOpt = None,
    single: SingleOpt = False,
    covariate: CovariateOpt = None,
    lags: Annotated[
        str, typer.Option("--lags", help="Newey-West lag, or 'auto' (Breusch-Godfrey).")
    ] = "0",
    cov: Annotated[
        str, typer.Option("--cov", help="newey (itsa 2), glm (itsa 3 default), ols or prais.")
    ] = "newey",
    level: Annotated[float, typer.Option("--level", help="Confidence level, percent.")] = 95.0,
    seasonal: SeasonalOpt = False,
    json_out: JsonOpt = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the figure to FILE (.png or .svg).")
    ] = None,
) -> None:
    """Fit an interrupted time series and print the itsa coefficient table."""
    if not 50 <= level < 100:
        raise InputError(f"option '--level': expected a percentage in [50, 100), got {level:g}")
    if plot is not None:
        from ihms.stats import check_figure_path

        check_figure_path(plot, option="option '--plot'")
    model = _model(
        data, outcome, time, interruption, group, treated, control, single, seasonal, covariate
    )
    with as_options(ITS_OPTIONS):
        results = model.fit(cov_type=cov, lags=_lags(lags), level=level / 100)  # type: ignore[arg-type]
    if plot is not None:
        from ihms.stats import plot_its, save_figure

        save_figure(plot_its(results), plot, option="option '--plot'")
    if json_out:
        print_json(results.to_dict())
        return
    console.print(results.summary())
    console.print(results.post_trend_summary())
    if plot is not None:
        console.print(f"Figure written to [bold]{plot}[/bold]")


@app.command("lags")
def lag_tests(
    data: DataArg,
    outcome: OutcomeOpt,
    time: TimeOpt,
    interruption: InterruptionOpt,
    group: GroupOpt = None,
    treated: TreatedOpt = None,
    control: ControlOpt = None,
    single: SingleOpt = False,
    covariate: CovariateOpt = None,
    max_lag: Annotated[int, typer.Option("--max-lag", help="Highest order tested.")] = 12,
    seasonal: SeasonalOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Breusch-Godfrey tests of the OLS residuals for lags 1..max (estat bgodfrey)."""
    model = _model(
        data, outcome, time, interruption, group, treated, control, single, seasonal, covariate
    )
    with as_options(ITS_OPTIONS):
        tests = model.lag_tests(max_lag=max_lag)
    if json_out:
        print_json(tests.to_dict())
        return
    console.print(tests.summary())
