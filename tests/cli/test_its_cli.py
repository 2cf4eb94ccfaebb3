"""``ihms its``: golden numbers through the CLI, JSON shape, figures, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "cigsales.csv"
SERIES = Path(__file__).resolve().parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
CIG = [
    "its",
    "fit",
    str(GOLDEN),
    "--outcome",
    "cigsale",
    "--time",
    "year",
    "--interruption",
    "1989",
]


def shows_as(value: float, printed: str) -> bool:
    if printed.startswith("<"):  # a p-value below what three decimals show
        return value < float(printed[1:])
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10**-decimals + 1e-12


def flat(output: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(output.split())


def run_json(args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_single_group_json_reproduces_printed_stata():
    # itsa cigsale, single treatid(3) trperiod(1989) lag(1) posttrend; printed values
    # from Linden's power_itsa.sthlp (SSC, 2025): tint, tpre, tstep, tpost.
    out = run_json(
        [*CIG, "--group", "state_name", "--treated", "California", "--single", "--lags", "1"]
    )
    p = out["params"]
    assert list(p) == ["_t", "_x1989", "_x_t1989", "_cons"]
    assert set(p["_t"]) == {"coef", "std_error", "t", "p", "ci_low", "ci_high"}
    assert shows_as(p["_cons"]["coef"], "132.2258")
    assert shows_as(p["_t"]["coef"], "-1.779474")
    assert shows_as(p["_x1989"]["coef"], "-20.0581")
    assert shows_as(out["post_trend"]["1989"]["treated"]["coef"], "-3.274126")
    assert out["n"] == 31 and out["df_resid"] == 27 and out["lags"] == 1


def test_multiple_group_json_reproduces_printed_stata():
    # itsa cigsale, treatid(3) trperiod(1989) lag(1) posttrend (itsa 3.x, glm): printed
    # in power_itsa.sthlp: cint, cpre, cstep, _z_x, tpost, cpost, P = 0.136 and 0.631.
    out = run_json([*CIG, "--group", "state", "--treated", "3", "--lags", "1", "--cov", "glm"])
    p = out["params"]
    assert shows_as(p["_cons"]["coef"], "135.4995")
    assert shows_as(p["_t"]["coef"], "-.5477701")
    assert shows_as(p["_x1989"]["coef"], "-17.25168")
    assert shows_as(p["_z_x1989"]["coef"], "-2.806417")
    assert shows_as(p["_cons"]["coef"] + p["_z"]["coef"], "132.2258")
    assert shows_as(p["_z_x_t1989"]["p"], "0.136")
    assert shows_as(p["_z_x1989"]["p"], "0.631")
    trend = out["post_trend"]["1989"]
    assert shows_as(trend["treated"]["coef"], "-3.274126")
    assert shows_as(trend["controls"]["coef"], "-1.051279")
    assert set(trend) == {"treated", "controls", "difference"}
    assert out["n"] == 1209 and out["df_resid"] == 1201


def test_text_output_and_controls():
    result = runner.invoke(
        app,
        [
            *CIG,
            "--group",
            "state",
            "--treated",
            "3",
            "--control",
            "4",
            "--control",
            "8",
            "--control",
            "19",
            "--lags",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "_z_x_t1989" in result.output and "Post-interruption" in flat(result.output)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_written(tmp_path, suffix):
    target = tmp_path / f"visits{suffix}"
    result = runner.invoke(
        app,
        [
            "its",
            "fit",
            str(SERIES),
            "--outcome",
            "outpatient_emergency_visits",
            "--time",
            "month",
            "--interruption",
            "2017-10",
            "--seasonal",
            "--lags",
            "auto",
            "--plot",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Figure written to" in flat(result.output)
    head = target.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head or b"<?xml" in head


def test_lags_table_and_json():
    args = [
        "its",
        "lags",
        str(SERIES),
        "--outcome",
        "hospitalizations",
        "--time",
        "month",
        "--interruption",
        "2017-10",
        "--seasonal",
        "--max-lag",
        "6",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Breusch-Godfrey" in flat(result.output)
    out = run_json(args)
    assert [row["lag"] for row in out["tests"]] == [1, 2, 3, 4, 5, 6]
    assert isinstance(out["suggested_lag"], int)


def bad(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


def yearly_csv(rows: list[tuple[str, str]]) -> str:
    return "year,y\n" + "".join(f"{a},{b}\n" for a, b in rows)


GOOD_ROWS = [(str(2000 + i), str(10 + i)) for i in range(12)]


@pytest.mark.parametrize(
    ("rows", "extra", "message"),
    [
        (
            [*GOOD_ROWS[:4], ("2004", "lots"), *GOOD_ROWS[5:]],
            [],
            "column 'y' of bad.csv row 6: expected a number, got 'lots'",
        ),
        ([*GOOD_ROWS, ("2003", "13")], [], "time point 2003 appears 2 times"),
        (GOOD_ROWS[:5] + GOOD_ROWS[6:], [], "missing time point(s) 2005"),
        # the messages name the options typed, not the library's parameters
        (GOOD_ROWS, ["--interruption", "2020"], "option '--interruption': 2020 is outside"),
        (
            GOOD_ROWS,
            ["--interruption", "2010"],
            "option '--interruption': the segment from 2010 on has 2 time point(s)",
        ),
        (GOOD_ROWS, ["--lags", "x"], "option '--lags'"),
        (GOOD_ROWS, ["--lags", "12"], "option '--lags': 12 is not below the 12 time points"),
        (GOOD_ROWS, ["--cov", "robust"], "option '--cov': expected one of newey, glm"),
        (GOOD_ROWS, ["--cov", "prais", "--lags", "1"], "option '--lags': --cov 'prais' takes no"),
        (GOOD_ROWS, ["--robust"], "'--twostep', '--rhotype' and '--robust' apply to --cov 'prais'"),
        (
            GOOD_ROWS,
            ["--cov", "prais", "--rhotype", "theill"],
            "option '--rhotype': expected one of regress, freg, tscorr, dw, theil, nagar",
        ),
        (GOOD_ROWS, ["--treated", "3"], "options '--treated'/'--control' need option '--group'"),
        (GOOD_ROWS, ["--seasonal"], "option '--seasonal': seasonal adjustment needs monthly"),
        (GOOD_ROWS, ["--plot", "out.pdf"], "expected a .png or .svg"),
        (GOOD_ROWS, ["--level", "0.95"], "option '--level'"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, rows, extra, message):
    path = bad(tmp_path, yearly_csv(rows))
    interruption = [] if "--interruption" in extra else ["--interruption", "2006"]
    result = runner.invoke(
        app, ["its", "fit", str(path), "--outcome", "y", "--time", "year", *interruption, *extra]
    )
    assert result.exit_code == 2, result.output
    assert message in flat(result.output)
    assert "Traceback" not in result.output
    assert "parameter '" not in result.output


def test_missing_file_and_too_short_seasonal(tmp_path):
    result = runner.invoke(
        app,
        [
            "its",
            "fit",
            str(tmp_path / "nope.csv"),
            "--outcome",
            "y",
            "--time",
            "year",
            "--interruption",
            "2006",
        ],
    )
    assert result.exit_code == 2 and "nope.csv': not found" in flat(result.output)
    months = "month,y\n" + "".join(f"2016-{m:02d},{100 + m}\n" for m in range(1, 13))
    months += "".join(f"2017-{m:02d},{110 + m}\n" for m in range(1, 10))
    path = bad(tmp_path, months)
    result = runner.invoke(
        app,
        [
            "its",
            "lags",
            str(path),
            "--outcome",
            "y",
            "--time",
            "month",
            "--interruption",
            "2016-08",
            "--seasonal",
        ],
    )
    assert result.exit_code == 2
    assert "at least 2 full cycles (24 months), got 21" in flat(result.output)


def _fit_with_plot(target):
    return runner.invoke(
        app,
        ["its", "fit", str(SERIES), "--outcome", "outpatient_emergency_visits",
         "--time", "month", "--interruption", "2017-10", "--plot", str(target)],
    )  # fmt: skip


def test_plot_into_a_new_folder_creates_it(tmp_path):
    target = tmp_path / "figures" / "2017" / "visits.png"
    result = _fit_with_plot(target)
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_an_unwritable_plot_path_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    target = tmp_path / "afile" / "visits.png"
    result = _fit_with_plot(target)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    said = flat(result.output)
    # refused before the fit, naming what stands in the way
    assert "option '--plot'" in said and "afile' is a file, not a folder" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]  # nothing left behind


def test_a_gbk_table_with_chinese_headers_reads_like_utf8(tmp_path):
    # a CSV saved by Excel on a Chinese Windows machine: GBK, Chinese column names
    text = SERIES.read_text(encoding="utf-8")
    text = text.replace("month", "月份").replace("hospitalizations", "住院人次")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    fit = ["its", "fit", "--interruption", "2017-10"]
    got = run_json([*fit, str(gbk), "--outcome", "住院人次", "--time", "月份"])
    want = run_json([*fit, str(SERIES), "--outcome", "hospitalizations", "--time", "month"])
    assert got["params"] == want["params"] and got["post_trend"] == want["post_trend"]


@pytest.mark.parametrize("suffix", [".dta", ".sav", ".xlsx", ".parquet"])
def test_a_stata_or_spss_file_fits_like_the_csv(tmp_path, suffix):
    # the series as a Stata user holds it: months as a %tm date (SPSS: a MOYR date)
    import pandas as pd

    from ihms._statfiles import stata_month, write_stat_file

    frame = pd.read_csv(SERIES)
    frame["month"] = [stata_month(m) for m in frame["month"]]
    path = write_stat_file(frame, tmp_path / f"series{suffix}", monthly=["month"])
    fit = ["its", "fit", "--interruption", "2017-10", "--outcome", "hospitalizations"]
    got = run_json([*fit, str(path), "--time", "month", "--lags", "1"])
    want = run_json([*fit, str(SERIES), "--time", "month", "--lags", "1"])
    assert got["params"] == want["params"] and got["post_trend"] == want["post_trend"]


def test_a_damaged_stata_file_is_a_message(tmp_path):
    bad = tmp_path / "series.dta"
    bad.write_bytes(b"not a stata file at all")
    result = runner.invoke(app, ["its", "fit", str(bad), "--outcome", "y", "--time", "t",
                                 "--interruption", "2017-10"])  # fmt: skip
    assert result.exit_code == 2
    assert "cannot be read as a Stata file" in flat(result.output)


def test_a_stata_yearly_time_variable_reads_as_years(tmp_path):
    # tsset state year, yearly: Stata stores %ty as the year itself
    import pandas as pd

    frame = pd.read_csv(GOLDEN)
    frame["year"] = pd.to_datetime(frame["year"].astype(str), format="%Y")
    path = tmp_path / "cig.dta"
    frame.to_stata(path, write_index=False, version=118, convert_dates={"year": "ty"})
    args = ["--group", "state_name", "--treated", "California", "--single", "--lags", "1"]
    got = run_json(["its", "fit", str(path), *CIG[3:], *args])
    want = run_json([*CIG, *args])
    assert got["params"] == want["params"]


def test_an_old_excel_or_tab_file_is_named_not_decoded(tmp_path):
    old = tmp_path / "series.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 an OLE2 workbook")
    result = runner.invoke(app, ["its", "fit", str(old), "--outcome", "y", "--time", "t",
                                 "--interruption", "2017-10"])  # fmt: skip
    assert result.exit_code == 2 and "a .xls file is not read here" in flat(result.output)


def test_a_covariate_enters_the_regression_as_itsa_indepvars(tmp_path):
    # itsa cigsale neighbour, single trperiod(1989) lag(1): California's sales with a
    # covariate (Arizona's sales, state 2), against statsmodels' OLS with
    # Newey-West errors (HAC, n/(n-k)) on the regressors written out by hand.
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm

    cig = pd.read_csv(GOLDEN)
    ca = cig[cig["state"] == 3].sort_values("year").reset_index(drop=True)
    other = cig[cig["state"] == 2].sort_values("year")["cigsale"].to_numpy()
    path = tmp_path / "ca.csv"
    ca.assign(neighbour=other)[["year", "cigsale", "neighbour"]].to_csv(path, index=False)
    out = run_json([*CIG[:2], str(path), *CIG[3:], "--covariate", "neighbour", "--lags", "1"])
    t = ca["year"].to_numpy() - 1970.0
    post = (ca["year"].to_numpy() >= 1989).astype(float)
    X = np.column_stack([t, post, (ca["year"].to_numpy() - 1989) * post, other, np.ones(31)])
    ref = sm.OLS(ca["cigsale"].to_numpy(), X).fit(
        cov_type="HAC", use_t=True, cov_kwds={"maxlags": 1, "use_correction": True}
    )
    terms = ["_t", "_x1989", "_x_t1989", "neighbour", "_cons"]
    assert list(out["params"]) == terms
    np.testing.assert_allclose([out["params"][k]["coef"] for k in terms], ref.params, rtol=1e-9)
    np.testing.assert_allclose([out["params"][k]["std_error"] for k in terms], ref.bse, rtol=1e-9)
    lags = runner.invoke(app, ["its", "lags", str(path), *CIG[3:], "--covariate", "neighbour"])
    assert lags.exit_code == 0, lags.output
    bad = runner.invoke(app, [*CIG[:2], str(path), *CIG[3:], "--covariate", "year"])
    assert bad.exit_code == 2 and "singular design: regressor(s) year" in flat(bad.output)


def _fullwidth(text: str) -> str:
    """Digits and the decimal point as a Chinese input method types them (１２．５)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "." else c for c in text)


YEARLY_FIT = ["--outcome", "y", "--time", "year", "--interruption", "2006"]


def _fit_json(path: Path) -> dict:
    result = runner.invoke(app, ["its", "fit", str(path), *YEARLY_FIT, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# a series with a break (levels 10.5, 11.5, ... then a jump), so every coefficient is
# estimated; the reading of cells, not the numbers, is what is tested
SERIES_ROWS = [
    (str(2000 + i), f"{10.5 + i + (4 if i >= 6 else 0) + 0.25 * (i % 3)}") for i in range(12)
]


def test_full_width_and_percent_outcomes_read_as_growth_reads_them(tmp_path):
    plain_fit = _fit_json(bad(tmp_path, yearly_csv(SERIES_ROWS)))
    wide = tmp_path / "wide.csv"
    wide.write_text(yearly_csv([(y, _fullwidth(v)) for y, v in SERIES_ROWS]), encoding="utf-8")
    assert _fit_json(wide)["params"] == plain_fit["params"]
    percent = tmp_path / "percent.csv"  # 12.5% is 12.5, as ihms growth reads it
    percent.write_text(yearly_csv([(y, f"{v}%") for y, v in SERIES_ROWS]), encoding="utf-8")
    assert _fit_json(percent)["params"] == plain_fit["params"]


def test_a_column_bad_in_every_row_is_one_message_naming_the_first_rows(tmp_path):
    path = bad(tmp_path, yearly_csv([(y, f"{v}元") for y, v in SERIES_ROWS]))
    result = runner.invoke(
        app, ["its", "fit", str(path), "--outcome", "y", "--time", "year", "--interruption", "2006"]
    )
    assert result.exit_code == 2, result.output
    text = flat(result.output)
    assert "1 problem(s)" in text
    assert (
        "column 'y' of bad.csv: expected a number in 12 rows (rows 2, 3, 4, 5, 6 and 7 more), "
        "got '10.5元', '11.75元', '13.0元' and 9 more"
    ) in text
    assert text.count("expected a number") == 1
    # a few bad cells are still named one by one
    few = bad(tmp_path, yearly_csv([*SERIES_ROWS[:10], ("2010", "x"), ("2011", "y")]))
    result = runner.invoke(
        app, ["its", "fit", str(few), "--outcome", "y", "--time", "year", "--interruption", "2006"]
    )
    assert result.exit_code == 2
    assert "column 'y' of bad.csv row 12: expected a number, got 'x'" in flat(result.output)
    assert "column 'y' of bad.csv row 13: expected a number, got 'y'" in flat(result.output)


def test_a_month_written_as_a_date_or_in_chinese_is_a_month(tmp_path):
    months = [f"2019-{m:02d}" for m in range(1, 13)]
    written = [f"2019/{m}/1" if m % 2 else f"２０１９年{m}月" for m in range(1, 13)]
    rows = [(t, v) for t, (_, v) in zip(months, SERIES_ROWS, strict=True)]
    dashed = tmp_path / "dashed.csv"
    dashed.write_text("month,y\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    dated = tmp_path / "dated.csv"
    dated.write_text(
        "month,y\n" + "".join(f"{a},{b}\n" for a, (_, b) in zip(written, rows, strict=True)),
        encoding="utf-8",
    )
    args = ["--outcome", "y", "--time", "month", "--interruption", "2019-07", "--json"]
    first = runner.invoke(app, ["its", "fit", str(dashed), *args])
    second = runner.invoke(app, ["its", "fit", str(dated), *args])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert json.loads(second.stdout)["params"] == json.loads(first.stdout)["params"]


def test_wholly_empty_rows_are_skipped_with_a_note_partly_empty_ones_refused(tmp_path):
    expected = _fit_json(bad(tmp_path, yearly_csv(SERIES_ROWS)))
    padded = tmp_path / "padded.csv"  # an Excel export's trailing ,,, lines
    padded.write_text(yearly_csv(SERIES_ROWS) + ",\n , \n", encoding="utf-8")
    result = runner.invoke(app, ["its", "fit", str(padded), *YEARLY_FIT, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["params"] == expected["params"]
    assert "skipped 2 wholly empty rows (rows 14, 15)" in flat(result.stderr)
    partly = tmp_path / "partly.csv"
    partly.write_text(yearly_csv(SERIES_ROWS) + "2012,\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["its", "fit", str(partly), "--outcome", "y", "--time", "year", "--interruption", "2006"],
    )
    assert result.exit_code == 2
    assert "column 'y' of partly.csv row 14: a missing value (an empty cell)" in flat(result.output)


MONTHLY = [
    "its", "fit", str(SERIES), "--outcome", "outpatient_emergency_visits", "--time", "month",
    "--interruption", "2017-10", "--interruption", "2019-01",
    "--covariate", "cost_per_outpatient_visit", "--lags", "1",
]  # fmt: skip
GLM = [*CIG, "--group", "state", "--treated", "3", "--lags", "1", "--cov", "glm"]


@pytest.fixture
def terminal_width(monkeypatch):
    """The CLI's console sized by COLUMNS at each call, as in a terminal (a width fixed
    when the console was made, e.g. by a COLUMNS in the test's environment, is undone)."""
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)


def _numbers_shown(output: str) -> list[str]:
    return [n.replace(",", "") for n in re.findall(r"<?-?[0-9][0-9,]*\.[0-9]+", output)]


@pytest.mark.parametrize("args", [MONTHLY, GLM], ids=["monthly-covariate", "multi-group"])
@pytest.mark.parametrize("width", [80, 120])
def test_coefficient_tables_fit_the_terminal_and_keep_every_number(args, width, terminal_width):
    out = run_json(args)
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    assert not any("(continued)" in line for line in lines)  # never split into blocks
    shown = _numbers_shown(result.output)
    rows = [*out["params"].values(), *(g for t in out["post_trend"].values() for g in t.values())]
    for row in rows:
        for value in row.values():
            assert any(shows_as(value, s) for s in shown), (value, result.output)
    if width == 120:  # the full layout: one line per term with all its numbers, boxed
        assert "std_error" in result.output and "│" in result.output
        for term, row in out["params"].items():
            line = next(line for line in lines if f"│ {term} " in line)
            assert sum(shows_as(v, s) for v in row.values() for s in _numbers_shown(line)) >= 6
