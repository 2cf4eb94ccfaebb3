"""``ihms its batch``: one ITS design over many series, as a Stata user loops ``itsa``.

Golden numbers: each series' row is the output of its own ``ihms its fit`` run (the same
options, ``--group ... --treated <series> --single`` for a long table, the column as
``--outcome`` for a wide one), whose numbers are tested against Stata's printed ``itsa``
output in ``tests/cli/test_its_cli.py::test_single_group_json_reproduces_printed_stata``
(Linden's cigsales example, power_itsa.sthlp); California's row is also checked against
those printed digits here. Adjusted p-values: statsmodels' ``multipletests``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "cigsales.csv"
SERIES = ROOT / "examples" / "series" / "county_hospital_monthly.csv"
STATES = ["Alabama", "California", "Utah"]
CIG = ["--time", "year", "--interruption", "1989"]
STATS = ("coef", "std_error", "t", "p", "ci_low", "ci_high")


def flat(output: str) -> str:
    return " ".join(output.split())


def shows_as(value: float, printed: str) -> bool:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10**-decimals + 1e-12


def run_json(args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rows_by(out: dict, column: str) -> dict[tuple[str, str], dict]:
    return {(r[column], r["effect"]): r for r in out["rows"]}


def assert_same_as_single_fit(row_of: dict, key: str, single: dict) -> None:
    """The batch's three rows of series ``key`` equal its own ``its fit --json``."""
    expected = {
        "level change": single["params"]["_x1989" if "_x1989" in single["params"] else "_x2017m10"],
        "slope change": single["params"][
            "_x_t1989" if "_x_t1989" in single["params"] else "_x_t2017m10"
        ],
        "post-trend": next(iter(single["post_trend"].values()))["treated"],
    }
    for effect, stats in expected.items():
        row = row_of[(key, effect)]
        for stat in STATS:
            assert row[stat] == pytest.approx(stats[stat], rel=1e-9, abs=1e-12), (key, effect)
        assert row["n"] == single["n"] and row["lags"] == single["lags"]


def small_cigsales(tmp_path: Path) -> Path:
    frame = pd.read_csv(GOLDEN)
    path = tmp_path / "three.csv"
    frame[frame["state_name"].isin(STATES)].to_csv(path, index=False)
    return path


OPTION_SETS = [
    ["--lags", "1"],
    ["--cov", "glm", "--lags", "2", "--level", "90"],
    ["--cov", "ols"],
    ["--cov", "prais"],
    ["--lags", "auto"],
    ["--lags", "auto", "--max-lag", "2"],  # review 21b: batch could not take --max-lag
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=" ".join)
def test_long_table_rows_are_each_series_own_its_fit(tmp_path, options):
    path = small_cigsales(tmp_path)
    out = run_json(["its", "batch", str(path), "--outcome", "cigsale", "--series", "state_name",
                    *CIG, *options])  # fmt: skip
    row_of = rows_by(out, "state_name")
    assert [r["state_name"] for r in out["rows"]] == [s for s in STATES for _ in range(3)]
    for state in STATES:
        single = run_json(["its", "fit", str(GOLDEN), "--outcome", "cigsale", *CIG,
                           "--group", "state_name", "--treated", state, "--single", *options])  # fmt: skip
        assert_same_as_single_fit(row_of, state, single)


def test_california_row_shows_stata_printed_digits():
    # itsa cigsale, single treatid(3) trperiod(1989) lag(1) posttrend: tstep -20.0581,
    # post-trend -3.274126 (power_itsa.sthlp), all 39 states in one batch
    out = run_json(["its", "batch", str(GOLDEN), "--outcome", "cigsale",
                    "--series", "state_name", *CIG, "--lags", "1"])  # fmt: skip
    row_of = rows_by(out, "state_name")
    assert out["n_series"] == 39 and len(out["rows"]) == 39 * 3
    assert shows_as(row_of[("California", "level change")]["coef"], "-20.0581")
    assert shows_as(row_of[("California", "post-trend")]["coef"], "-3.274126")
    assert row_of[("California", "level change")]["term"] == "_x1989"
    assert row_of[("California", "post-trend")]["term"] == "_t + _x_t1989"


def test_wide_table_of_indicators_with_seasonal_and_auto_lags():
    # the README's monthly example: every indicator of the county hospital at once
    columns = pd.read_csv(SERIES, nrows=0).columns[1:].tolist()
    options = ["--time", "month", "--interruption", "2017-10", "--seasonal", "--lags", "auto"]
    out = run_json(["its", "batch", str(SERIES),
                    *[a for c in columns for a in ("--outcome", c)], *options])  # fmt: skip
    assert out["series_column"] == "outcome"
    assert list(dict.fromkeys(r["outcome"] for r in out["rows"])) == columns  # order given
    row_of = rows_by(out, "outcome")
    for column in columns:
        single = run_json(["its", "fit", str(SERIES), "--outcome", column, *options])
        assert_same_as_single_fit(row_of, column, single)
        # review 21b #5: each series keeps the reason its fit gives for its lag
        choice = next(n for n in single["notes"] if "chosen by Breusch-Godfrey" in n)
        assert row_of[(column, "level change")]["lag_choice"] == choice


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_adjusted_p_is_statsmodels_multipletests_per_effect(method):
    out = run_json(["its", "batch", str(GOLDEN), "--outcome", "cigsale",
                    "--series", "state_name", *CIG, "--lags", "1", "--adjust", method])  # fmt: skip
    frame = pd.DataFrame(out["rows"])
    assert frame["effect"].nunique() == 3
    for _, rows in frame.groupby("effect"):
        expected = multipletests(rows["p"].to_numpy(), method=method)[1]
        assert rows["p_adjusted"].to_numpy() == pytest.approx(expected, rel=1e-12)
    named = {"holm": "p_adjusted: Holm,", "fdr_bh": "p_adjusted: Benjamini-Hochberg"}[method]
    assert any(note.startswith(named) for note in out["notes"])


def test_text_output_says_how_many_tests_without_an_adjustment(tmp_path):
    result = runner.invoke(app, ["its", "batch", str(small_cigsales(tmp_path)), "--outcome",
                                 "cigsale", "--series", "state_name", *CIG])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Interrupted time series of 3 series" in text
    assert (
        "with 3 series about 0.15 of each effect's tests would fall below 0.05 by chance alone "
        "if no series had an effect"
    ) in text
    assert "--adjust holm (family-wise error) or --adjust fdr_bh" in text  # the option
    assert "adjust='holm'" not in text  # the library's keyword (review 31 #13)
    assert "California 1989 post-trend -3.2741" in text


def test_a_missing_year_in_one_series_refuses_the_batch_naming_series_and_rows(tmp_path):
    frame = pd.read_csv(small_cigsales(tmp_path), dtype=str)
    gap = frame.drop(index=frame.index[(frame["state_name"] == "Utah") & (frame["year"] == "1980")])
    gap.loc[gap.index[3], "cigsale"] = "lots"  # Alabama 1973: file row 5
    path = tmp_path / "gap.csv"
    gap.to_csv(path, index=False)
    out = tmp_path / "effects.csv"
    result = runner.invoke(app, ["its", "batch", str(path), "--outcome", "cigsale",
                                 "--series", "state_name", *CIG, "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2
    text = flat(result.output)
    assert "column 'cigsale' of gap.csv row 5: expected a number, got 'lots'" in text
    assert not out.exists()
    # cells are checked first, then the grid: with the cell fixed, Utah's gap is named
    gap.loc[gap.index[3], "cigsale"] = "100.0"
    gap.to_csv(path, index=False)
    result = runner.invoke(app, ["its", "batch", str(path), "--outcome", "cigsale",
                                 "--series", "state_name", *CIG, "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2
    assert "series 'Utah': missing time point(s) 1980" in flat(result.output)
    assert not out.exists()


def test_an_empty_cell_in_one_column_of_a_wide_table_names_its_row(tmp_path):
    frame = pd.read_csv(SERIES, dtype=str)
    frame.loc[4, "hospitalizations"] = ""
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["its", "batch", str(path), "--outcome", "hospitalizations",
                                 "--outcome", "outpatient_emergency_visits", "--time", "month",
                                 "--interruption", "2017-10"])  # fmt: skip
    assert result.exit_code == 2
    text = flat(result.output)
    assert "column 'hospitalizations' of wide.csv row 6: a missing value (an empty cell)" in text
    assert "outpatient_emergency_visits" not in text


def test_a_long_table_with_excel_blank_lines_fits_as_without_them(tmp_path):
    path = small_cigsales(tmp_path)
    args = ["--outcome", "cigsale", "--series", "state_name", *CIG, "--lags", "1"]
    plain = run_json(["its", "batch", str(path), *args])
    padded = tmp_path / "padded.csv"  # an Excel export's trailing ,,, lines
    padded.write_text(path.read_text(encoding="utf-8") + ",,,\n , , ,\n", encoding="utf-8")
    result = runner.invoke(app, ["its", "batch", str(padded), *args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == plain["rows"]
    assert "skipped 2 wholly empty rows" in flat(result.stderr)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_out_writes_every_column_of_the_tidy_table(tmp_path, suffix):
    out = tmp_path / "new folder" / f"effects{suffix}"
    args = ["its", "batch", str(small_cigsales(tmp_path)), "--outcome", "cigsale",
            "--series", "state_name", *CIG, "--adjust", "holm", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Table written to" in flat(result.output)
    if suffix == ".csv":
        back = pd.read_csv(out, encoding="utf-8-sig")
        assert list(back.columns) == ["state_name", "interruption", "effect", "term", "coef",
                                      "std_error", "t", "p", "p_adjusted", "95% CI low",
                                      "95% CI high", "n", "lags"]  # fmt: skip
        assert len(back) == 9 and set(back["n"]) == {31}
        rows = run_json(args[:-2])["rows"]
        assert back["coef"].tolist() == pytest.approx([r["coef"] for r in rows], rel=1e-12)
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out)["its batch"]
        assert "Interrupted time series of 3 series" in str(sheet["A1"].value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--series", "state_name", "--adjust", "bonferroni"],
         "option '--adjust': expected one of none, holm, fdr_bh, got 'bonferroni'"),
        (["--series", "state_name", "--outcome", "state"],
         "option '--outcome': a long table (option '--series') takes one outcome column, got 2"),
        (["--outcome", "cigsale"], "option '--outcome': 'cigsale' given twice"),
        (["--series", "county"], "column(s) 'county' not found"),
        (["--series", "state_name", "--cov", "ols", "--lags", "auto"],
         "option '--lags': 'auto' applies to --cov 'newey' or 'glm'"),
        (["--series", "state_name", "--level", "0.95"], "option '--level'"),
    ],
)  # fmt: skip
def test_bad_options_exit_2_naming_the_option(tmp_path, extra, message):
    result = runner.invoke(app, ["its", "batch", str(small_cigsales(tmp_path)), "--outcome",
                                 "cigsale", *CIG, *extra])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in flat(result.output)


def test_a_row_without_its_series_is_named_by_file_row(tmp_path):
    frame = pd.read_csv(small_cigsales(tmp_path), dtype=str)
    frame.loc[40, "state_name"] = " "  # file row 42: the header is row 1
    path = tmp_path / "blank_series.csv"
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["its", "batch", str(path), "--outcome", "cigsale",
                                 "--series", "state_name", *CIG])  # fmt: skip
    assert result.exit_code == 2
    assert (
        "column 'state_name' of blank_series.csv row 42: an empty cell; every row needs "
        "the series it belongs to" in flat(result.output)
    )
