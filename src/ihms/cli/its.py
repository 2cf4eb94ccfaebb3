"""``ihms its``: interrupted time-series analysis of a CSV file (Stata ``itsa``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms._words import said
from ihms.cli._common import (
    FileEncodingOpt,
    FileSheetOpt,
    IhmsGroup,
    console,
    lang_option,
    note,
    print_json,
    print_path,
)
from ihms.cli._notes import notes_on_stderr
from ihms.cli._stats_options import ITS_OPTIONS, as_options, note_blank_rows
from ihms.cli._tables import read_data_table
from ihms.errors import InputError

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Interrupted time series as Stata's itsa: fit, Breusch-Godfrey and Cumby-Huizinga lag tests.",
)

DataArg = Annotated[
    Path,
    typer.Argument(
        help="CSV (or Stata .dta, SPSS .sav, .xlsx, .parquet) file, one row per unit and time point."
    ),
]
OutcomeOpt = Annotated[str, typer.Option("--outcome", help="Outcome column.")]
TimeOpt = Annotated[
    str,
    typer.Option(
        "--time",
        help="Time column: integers (1989; years also as every date 1 January, or every one "
        "31 December), "
        "months (2017-10; 2017.1 is Excel's October where its year writes 2017.09, else "
        "January), quarters (2017Q3, or every date a quarter's first day, 2017-07-01, "
        "or every one its last, 2017-09-30), half-years (2017H1) or Stata weeks (2017w40).",
    ),
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
    bool,
    typer.Option(
        "--seasonal",
        help="Seasonally adjust first (ratio to 2x12 moving average; quarters: 2x4).",
    ),
]
DeltaOpt = Annotated[
    int,
    typer.Option(
        "--delta",
        help="Period of the time column in its units, Stata's tsset year, delta(2): 2 for a "
        "survey every 2 years. Lags count periods; slopes stay per year (itsa's _t).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the results as JSON.")]
LangOpt = lang_option("The tables' titles, headers, rows and notes, and the figure's words,")
LagsOpt = Annotated[
    str, typer.Option("--lags", help="Newey-West lag, or 'auto' (Breusch-Godfrey).")
]
CovOpt = Annotated[
    str, typer.Option("--cov", help="newey (itsa 2), glm (itsa 3 default), ols or prais.")
]
RhotypeOpt = Annotated[
    str,
    typer.Option(
        "--rhotype",
        help="With --cov prais: how rho is estimated, Stata's rhotype(): regress (default), "
        "freg, tscorr, dw, theil or nagar.",
    ),
]
RobustOpt = Annotated[
    bool,
    typer.Option(
        "--robust",
        help="With --cov prais: robust standard errors of the transformed regression "
        "(Stata's vce(robust)).",
    ),
]
TwostepOpt = Annotated[
    bool,
    typer.Option(
        "--twostep",
        help="With --cov prais: stop after the first rho and transformation instead of "
        "iterating to convergence (Stata's prais twostep).",
    ),
]
LevelOpt = Annotated[float, typer.Option("--level", help="Confidence level, percent.")]
MaxLagOpt = Annotated[
    int | None,
    typer.Option(
        "--max-lag",
        help="With --lags auto: the highest order tested (default 12, or a quarter of "
        "the time points if fewer).",
    ),
]


def _model(
    data, outcome, time, interruption, group, treated, control, single, seasonal, covariate, sheet,
    encoding, delta=1,
):  # fmt: skip
    from ihms.stats import ITSModel

    frame = read_data_table(data, sheet=sheet, encoding=encoding, panel=group, titles="skip")
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
        delta=delta,
    )


#: The model's column parameters as a missing column's message names them, and the options.
_COLUMN_OPTIONS: tuple[tuple[str, str], ...] = tuple(
    (f"(parameter '{name}')", f"(option '--{option}')")
    for name, option in (
        ("outcome", "outcome"),
        ("time", "time"),
        ("covariates", "covariate"),
        ("group", "group"),
    )
)


def _check_level(level: float) -> None:
    if not 50 <= level < 100:
        raise InputError(f"option '--level': expected a percentage in [50, 100), got {level:g}")


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
    lags: LagsOpt = "0",
    max_lag: MaxLagOpt = None,
    cov: CovOpt = "newey",
    rhotype: RhotypeOpt = "regress",
    robust: RobustOpt = False,
    twostep: TwostepOpt = False,
    level: LevelOpt = 95.0,
    seasonal: SeasonalOpt = False,
    delta: DeltaOpt = 1,
    json_out: JsonOpt = False,
    sheet: FileSheetOpt = None,
    encoding: FileEncodingOpt = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the figure to FILE (.png or .svg).")
    ] = None,
    predict: Annotated[
        Path | None,
        typer.Option(
            "--predict",
            help="Write observed, fitted and counterfactual values per time point to FILE "
            "(.csv, .xlsx, .dta, .sav, .parquet), as Stata's predict after itsa.",
        ),
    ] = None,
    lang: LangOpt = "en",
) -> None:
    """Fit an interrupted time series and print the itsa coefficient table."""
    from ihms._words import check_lang
    from ihms.cli._stats_zh import in_lang

    check_lang(lang)
    _check_level(level)
    if plot is not None:
        from ihms._atomic import check_folder
        from ihms.stats import check_figure_path

        check_figure_path(plot, option="option '--plot'")
        check_folder(plot, where=f"option '--plot' {plot}")  # made when written
    if predict is not None:
        _check_predict_path(predict)
    model = _model(data, outcome, time, interruption, group, treated, control, single,
                   seasonal, covariate, sheet, encoding, delta)  # fmt: skip
    with as_options(_COLUMN_OPTIONS + ITS_OPTIONS), notes_on_stderr():
        results = model.fit(
            cov_type=cov,  # type: ignore[arg-type]
            lags=_lags(lags),
            confidence=level / 100,
            max_lag=max_lag,
            prais_rhotype=rhotype,
            prais_robust=robust,
            prais_twostep=twostep,
        )
    if plot is not None:
        from ihms.stats import plot_its, save_figure

        save_figure(plot_its(results, lang=lang), plot, option="option '--plot'")
    if predict is not None:
        _write_predictions(results, predict)
    if json_out:
        print_json(results.to_dict())
        return
    console.print(in_lang(results.summary(), lang))
    console.print(in_lang(results.post_trend_summary(), lang))
    if plot is not None:
        print_path(said(lang, "figure written to"), plot)
    if predict is not None:
        print_path(said(lang, "predictions written to"), predict)


def _check_predict_path(path: Path) -> None:
    """Refuse a file name the predictions cannot be written to before fitting."""
    from ihms._atomic import check_folder
    from ihms._statfiles import STAT_FORMATS

    if path.suffix.lower() not in STAT_FORMATS:
        raise InputError(
            f"option '--predict' {path}: expected a file name ending in "
            f"{', '.join(STAT_FORMATS)}; got {path.suffix or 'no suffix'!r}"
        )
    check_folder(path, where=f"option '--predict' {path}")  # made when written


def _write_predictions(results, path: Path) -> None:
    """The values the figure draws, one row per series and time point; monthly time is a
    Stata ``%tm`` / SPSS ``MOYR`` date in .dta and .sav, quarters ``%tq`` / ``QYR``,
    half-years and weeks Stata's ``%th`` and ``%tw`` (text in .sav: SPSS's weeks are
    not Stata's). Months, quarters or years the column wrote as their first or last days
    are written as those days (a ``%td`` / ``DATE11`` date), so they merge back."""
    from ihms._stat_dates import STATA_PERIODS
    from ihms._statfiles import SAV_FORMATS, stata_month, write_stat_file

    frame = results.get_plot_data()
    codes = frame.pop("time_code")
    monthly: list[str] = []
    periods: dict[str, str] = {}
    axis = results.design.axis
    letter = STATA_PERIODS[axis.kind][1] if axis.kind in STATA_PERIODS else None
    suffix = path.suffix.lower()
    days: list[str] = []
    if axis.day is not None:  # periods or years the column wrote as their first/last days
        frame["time"] = [axis.written(c) for c in codes]
        days = ["time"] if suffix in (".dta", ".sav") else []
    elif (
        suffix in (".dta", ".sav") and frame["time"].astype(str).str.fullmatch(r"\d{4}-\d{2}").all()
    ):
        frame["time"] = [stata_month(t) for t in frame["time"]]
        monthly = ["time"]
    elif letter and (suffix == ".dta" or (suffix == ".sav" and f"t{letter}" in SAV_FORMATS)):
        frame["time"] = [axis.start(c) for c in codes]
        periods = {"time": letter}
    labels = {
        "series": "treated, or controls (their mean)",
        "time": "Time point",
        "segment": "0 before the first interruption, 1 after it, ...",
        "observed": f"Observed {results.design.outcome}",
        "observed_adjusted": "Observed / seasonal_index (what was fitted)",
        "seasonal_index": "Seasonal index of the period (treated unit)",
        "fitted": "Fitted by the model",
        "counterfactual": "Pre-interruption trend carried forward (treated, from the first "
        "interruption on)",
    }
    write_stat_file(
        frame,
        path,
        variable_labels=labels,
        monthly=monthly,
        periods=periods,
        days=days,
        label="ihms its fit --predict",
        option="option '--predict'",
    )


def _lags_cov(cov: str | None, lang: str = "en") -> None:
    """Refuse a fit ``its lags`` does not test the residuals of (prais), and say for glm
    that its residuals are the OLS ones tested (Stata's actest itself refuses glm)."""
    if cov is None or cov in ("newey", "ols"):
        return
    if cov == "prais":
        raise InputError(
            "option '--cov': its lags tests the OLS residuals, as Stata's estat bgodfrey "
            "(after regress) and actest (after regress or newey; it refuses prais) do: "
            "run it without --cov prais — autocorrelated OLS residuals are what --cov "
            "prais or a Newey-West lag answer; its fit --cov prais prints the "
            "Durbin-Watson statistic of the transformed residuals"
        )
    if cov != "glm":
        raise InputError(f"option '--cov': expected newey, glm, ols or prais, got {cov!r}")
    note(said(lang, "glm lags"), lang)


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
    max_lag: Annotated[
        int | None,
        typer.Option(
            "--max-lag",
            help="Highest order tested (default 12, or a quarter of the time points if fewer).",
        ),
    ] = None,
    seasonal: SeasonalOpt = False,
    delta: DeltaOpt = 1,
    actest: Annotated[
        bool,
        typer.Option(
            "--actest",
            help="Also the Cumby-Huizinga tests for lags 1..max (Stata's actest, "
            "lags(max)): lags 1..j jointly and lag j alone.",
        ),
    ] = False,
    robust: Annotated[
        bool,
        typer.Option("--robust", help="With --actest: robust to heteroskedasticity."),
    ] = False,
    q0: Annotated[
        bool,
        typer.Option("--q0", help="With --actest: test lag j alone against no serial correlation."),
    ] = False,
    bp: Annotated[
        bool,
        typer.Option("--bp", help="With --actest: the modified Box-Pierce form."),
    ] = False,
    cov: Annotated[
        str | None,
        typer.Option(
            "--cov",
            help="The fit the tests are for: newey, glm and ols share the OLS residuals "
            "tested here; prais is refused (actest runs after regress or newey).",
        ),
    ] = None,
    json_out: JsonOpt = False,
    sheet: FileSheetOpt = None,
    encoding: FileEncodingOpt = None,
    lang: LangOpt = "en",
) -> None:
    """Breusch-Godfrey tests of the OLS residuals for lags 1..max (estat bgodfrey), and
    with --actest the Cumby-Huizinga tests (Baum and Schaffer's actest after regress or
    newey). The residuals are those of the OLS coefficients, which --cov newey, glm and
    ols share; a Prais-Winsten fit is checked by the Durbin-Watson statistics its fit
    --cov prais prints."""
    from ihms._words import check_lang
    from ihms.cli._stats_zh import in_lang

    check_lang(lang)
    for flag, given in (("--robust", robust), ("--q0", q0), ("--bp", bp)):
        if given and not actest:
            raise InputError(f"option '{flag}': only with --actest")
    _lags_cov(cov, lang)
    model = _model(data, outcome, time, interruption, group, treated, control, single,
                   seasonal, covariate, sheet, encoding, delta)  # fmt: skip
    with as_options(_COLUMN_OPTIONS + ITS_OPTIONS), notes_on_stderr():
        tests = model.lag_tests(max_lag=max_lag)
        ch = None
        if actest:
            lags = len(tests.table)
            with as_options((("parameters 'bp' and 'robust'", "options '--bp' and '--robust'"),)):
                ch = model.actest(lags=lags, q0=q0, robust=robust, bp=bp)
    if json_out:
        out = tests.to_dict()
        if ch is not None:
            out["cumby_huizinga"] = ch.to_dict()
        print_json(out)
        return
    console.print(in_lang(tests.summary(), lang))
    if ch is not None:
        console.print(in_lang(ch.summary(), lang))
