from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from tests.indicators.conftest import tiny_dataset_of_2016
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store
from ihms.data.synthetic import synthetic_dataset
from ihms.payment.indicator_values import INDICATOR_ALIASES
from ihms.system import load_system

runner = CliRunner()


def flat(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("ind") / "ihms.duckdb"
    with Store(path) as s:
        s.write(synthetic_dataset(load_system("examples/youxi.yaml"), seed=5, scale=0.002))
    return path


def test_list_and_show():
    result = runner.invoke(app, ["indicators", "list", "--json"])
    ids = [i["id"] for i in json.loads(result.output)]
    assert "hypertension_control_rate" in ids and len(ids) == 50
    result = runner.invoke(app, ["indicators", "show", "hypertension_control_rate", "--json"])
    assert "140/90" in json.loads(result.output)["description"]
    result = runner.invoke(app, ["indicators", "show", "hypertension_contrl_rate"])
    assert result.exit_code == 2
    assert "did you mean 'hypertension_control_rate'" in flat(result.output)


def test_compute_writes_a_suppressed_table(store, tmp_path):
    out = tmp_path / "ind.csv"
    result = runner.invoke(
        app,
        [
            "indicators",
            "compute",
            "--store",
            str(store),
            "--level",
            "institution",
            "--period",
            "month",
            "-i",
            "hospitalizations",
            "-i",
            "cost_per_hospitalization",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    small = frame[frame["suppressed"]]
    assert len(small) > 0
    assert small["numerator"].isna().all() and small["value"].isna().all()
    shown = frame[~frame["suppressed"] & (frame["indicator"] == "hospitalizations")]
    # missing: a township centre or village clinic before it opens (youxi.yaml: from 2018)
    counts = shown["numerator"]
    assert (counts.isna() | (counts == 0) | (counts >= 5)).all()


def test_compute_json_for_one_unit(store):
    result = runner.invoke(
        app,
        [
            "indicators",
            "compute",
            "--store",
            str(store),
            "-i",
            "hospitalization_rate",
            "--unit",
            "youxi",
            "--json",
            "--min-cell",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["period"] for r in rows] == ["2016", "2017", "2018", "2019"]
    assert all(r["suppressed"] is False for r in rows)


def test_compute_bad_input(store, tmp_path):
    result = runner.invoke(
        app, ["indicators", "compute", "--store", str(store), "--level", "prefecture"]
    )
    assert result.exit_code == 2 and "option '--level': expected one of" in flat(result.output)
    result = runner.invoke(app, ["indicators", "compute", "--store", str(store), "--unit", "Youxi"])
    assert result.exit_code == 2
    assert "no rows for unit 'Youxi' at level 'county' — did you mean 'youxi'?" in flat(
        result.output
    )
    result = runner.invoke(app, ["indicators", "compute", "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no store file there" in flat(result.output)
    result = runner.invoke(
        app,
        [
            "indicators",
            "compute",
            "--store",
            str(store),
            "-i",
            "hospitalizations",
            "--out",
            str(tmp_path / "x.txt"),
        ],
    )
    assert result.exit_code == 2 and "ending in .sav, .dta, .xlsx, .csv, .parquet" in flat(
        result.output
    )
    assert not (tmp_path / "x.txt").exists()


def test_compute_for_stata_and_spss_has_a_time_variable_to_tsset(store, tmp_path):
    import pyreadstat

    args = ["indicators", "compute", "--store", str(store), "-i", "hospitalizations"]
    dta = tmp_path / "months.dta"
    result = runner.invoke(app, [*args, "--period", "month", "--out", str(dta)])
    assert result.exit_code == 0, result.output
    with pd.io.stata.StataReader(dta) as reader:
        raw = reader.read(convert_dates=False)
        labels = reader.variable_labels()
    first = raw[raw["period"] == "2016-01"].iloc[0]
    # Stata's %tm counts months from 1960m1: 2016m1 = (2016 - 1960) * 12 = 672
    assert first["time"] == 672
    assert raw.loc[raw["period"] == "2017-10", "time"].iloc[0] == 672 + 21
    assert labels["time"].startswith("Time for tsset")
    # every indicator by month: the yearly-only ones come as years beside the monthly
    # ones; their rows get no month, and a year serves every row
    mixed = tmp_path / "mixed.dta"
    result = runner.invoke(
        app,
        ["indicators", "compute", "--store", str(store), "--period", "month", "--out", str(mixed)],
    )
    assert result.exit_code == 0, result.output
    with pd.io.stata.StataReader(mixed) as reader:
        raw = reader.read(convert_dates=False)
    yearly = raw["period_type"] == "year"
    assert yearly.any() and raw.loc[yearly, "time"].isna().all()
    assert raw.loc[~yearly, "time"].min() == 672
    assert raw["year"].between(2016, 2019).all()
    sav = tmp_path / "years.sav"
    result = runner.invoke(app, [*args, "--out", str(sav)])
    assert result.exit_code == 0, result.output
    data, meta = pyreadstat.read_sav(sav)
    assert sorted(set(data["time"])) == [2016, 2017, 2018, 2019]
    assert meta.column_names_to_labels["suppressed"].startswith("1 = suppressed")


def test_unrecorded_money_is_null_in_json_not_zero(tmp_path):
    # The county simulator's resources: revenue recorded, consultation fees not.
    path = tmp_path / "nofees.duckdb"
    with Store(path) as s:
        s.write(synthetic_dataset(load_system("examples/youxi.yaml"), seed=5, scale=0.002))
        s.backend.raw_sql("UPDATE resources SET consultation_income_fen = NULL")
    result = runner.invoke(
        app,
        [
            "indicators",
            "compute",
            "--store",
            str(path),
            "--level",
            "county",
            "--period",
            "year",
            "--indicator",
            "thc_consultation_fee_share",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 4
    assert all(r["value"] is None and r["numerator"] is None for r in rows)
    assert all(r["denominator"] > 0 for r in rows)


def test_compute_says_what_each_value_is_measured_in(store):
    # The table's 'unit' column held the county id, and nothing said that the cost
    # numerator is in fen while its value is yuan per visit (5,978,941,741 over
    # 1,315,410 printed as 45.45); the catalogue's units are shown, the column is
    # named by the level.
    args = [
        "indicators",
        "compute",
        "--store",
        str(store),
        "-i",
        "cost_per_outpatient_visit",
        "-i",
        "hospitalization_rate",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "cost_per_outpatient_visit: yuan per visit (numerator in fen)" in out
    assert "hospitalization_rate: admissions per 100 residents, average population;" not in out
    assert "hospitalization_rate: admissions per 100 residents, average population." in out
    assert "┃ county" in result.output and "┃ unit" not in result.output
    assert "False" not in result.output  # suppressed: yes/no, as system show prints booleans
    # --json rows carried no unit of measure: 'unit' stays the place, 'measure_unit'
    # is the catalogue's unit of the value
    result = runner.invoke(app, [*args, "--unit", "youxi", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["unit"] for r in rows} == {"youxi"}
    assert {(r["indicator"], r["measure_unit"]) for r in rows} == {
        ("cost_per_outpatient_visit", "yuan per visit"),
        ("hospitalization_rate", "admissions per 100 residents, average population"),
    }
    assert all(r["omitted"] is None for r in rows)


@pytest.fixture(scope="module")
def no_followups(store, tmp_path_factory):
    """The store with its follow-ups, referrals and claims emptied."""
    import shutil

    import duckdb

    path = tmp_path_factory.mktemp("nofu") / "ihms.duckdb"
    shutil.copy(store, path)
    con = duckdb.connect(str(path))
    for name in ("followups", "referrals", "claims"):
        con.execute(f"DELETE FROM {name}")
    con.close()
    return path


def test_compute_says_which_indicators_it_left_out_and_why(no_followups):
    # 32 of the 38 indicators came out and nothing said why the other 6 were missing
    args = ["indicators", "compute", "--store", str(no_followups), "--unit", "youxi"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert (
        "Not computed, table followups has no rows: hypertension_management_rate, "
        "hypertension_control_rate, diabetes_management_rate, diabetes_control_rate."
    ) in out
    # the synthetic encounters carry referral marks, which no indicator reads: said so
    assert re.search(
        r"Not computed, table referrals has no rows; the encounters carry [\d,]+ referral "
        r"marks \(referred_from_id [\d,]+, referred_to_id [\d,]+\), which no indicator "
        r"reads: .*: referrals_up, referrals_down, referrals_up_received, "
        r"referrals_down_received, off_pathway_referrals, referral_down_up_ratio\.",
        out,
    )
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)  # notes (suppressed cells) on stderr
    left_out = {r["indicator"]: r for r in rows if r["omitted"] is not None}
    assert sorted(left_out) == sorted(
        [
            "hypertension_management_rate",
            "hypertension_control_rate",
            "diabetes_management_rate",
            "diabetes_control_rate",
            "referrals_up",
            "referrals_down",
            "referrals_up_received",
            "referrals_down_received",
            "off_pathway_referrals",
            "referral_down_up_ratio",
        ]
    )
    row = left_out["hypertension_control_rate"]
    assert row["omitted"] == "table followups has no rows"
    assert row["measure_unit"] == "%" and row["value"] is None and row["period"] is None
    computed = {r["indicator"] for r in rows if r["omitted"] is None}
    # 50 - 10 left out: cost_per_resident and insurance_paid_per_insured among the 40
    assert len(computed) == 40 and not computed & set(left_out)


def test_a_named_indicator_that_cannot_be_computed_is_an_error(no_followups, tmp_path):
    out = tmp_path / "ind.csv"
    result = runner.invoke(
        app,
        [
            "indicators",
            "compute",
            "--store",
            str(no_followups),
            "-i",
            "hospitalizations",
            "-i",
            "hypertension_control_rate",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert (
        f"--indicator: cannot compute from {no_followups}: hypertension_control_rate "
        "(table followups has no rows) — import the records or leave the indicator out"
    ) in flat(result.output)
    assert not out.exists()


def test_a_named_indicator_no_unit_at_the_level_has_is_an_error_naming_the_level(tmp_path):
    # The tiny county's consortium runs from 2017: a 2016 store has records, but none of
    # a consortium. The records are there, so the advice is another level, not an import.
    path = tmp_path / "y2016.duckdb"
    with Store(path) as s:
        s.write(tiny_dataset_of_2016())
    args = ["indicators", "compute", "--store", str(path), "-i", "hospitalizations"]
    result = runner.invoke(app, [*args, "--level", "consortium"])
    assert result.exit_code == 2
    assert (
        f"--indicator: cannot compute from {path}: hospitalizations (no consortium has "
        "records for it in the period) — ask for another --level or leave the indicator out"
    ) in flat(result.output)
    assert runner.invoke(app, [*args, "--level", "county"]).exit_code == 0


def test_the_value_comes_before_its_numerator_and_denominator(store):
    """At 80 columns the table is split into blocks: the first block held the
    numerator, not the value (walk16: 'cost_per_outpatient_visit 2016 youxi
    10,361,312,113' was the numerator in fen; the yuan per visit came pages later)."""
    result = runner.invoke(
        app, ["indicators", "compute", "--store", str(store), "-i", "cost_per_outpatient_visit"]
    )
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "┃ indicator" in line)
    assert "value" in header
    assert header.index("value") < header.index("numerator")


# A former indicator id (INDICATOR_ALIASES: the scorecards' old
# primary_care_healthcare_share is the catalogue's healthcare_visits_primary_share) is
# taken wherever the command line takes an indicator id, with a note naming the id it
# now has; the results carry that id.
OLD, NEW = "primary_care_healthcare_share", "healthcare_visits_primary_share"


def test_the_alias_is_the_one_these_tests_use():
    assert INDICATOR_ALIASES[OLD] == NEW


NOTE = (
    f"note: --indicator {OLD} is the former id of {NEW}; computed as {NEW} (use that id "
    "from now on)"
)


def test_compute_takes_the_former_id_with_a_note(store):
    r = runner.invoke(app, ["indicators", "compute", "--store", str(store), "-i", OLD, "--json"])
    assert r.exit_code == 0, r.output
    assert {row["indicator"] for row in json.loads(r.stdout)} == {NEW}
    assert NOTE in flat(r.stderr)


def test_both_names_compute_the_measure_once(store):
    r = runner.invoke(
        app, ["indicators", "compute", "--store", str(store), "-i", OLD, "-i", NEW, "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {row["indicator"] for row in rows} == {NEW}
    assert len(rows) == len({(row["period"], row["unit"]) for row in rows})


def test_show_takes_the_former_id_with_a_note():
    r = runner.invoke(app, ["indicators", "show", OLD, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["id"] == NEW
    assert (
        f"note: {OLD} is the former id of {NEW}; showing {NEW} (use that id from now on)"
    ) in flat(r.stderr)


def test_compute_at_80_columns_takes_at_most_two_blocks_the_value_in_the_first(store):
    # found 2026-11-23: the blocks repeated indicator, period and county (about 54 cells)
    # so each held one figure and the default indicators took 4 blocks at 80 columns
    # every row (no row cap): the layout of the whole table, each long id in it
    result = runner.invoke(app, ["indicators", "compute", "--store", str(store)],
                           env={"COLUMNS": "80", "IHMS_MAX_ROWS": "0"})  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert sum("Indicators by county and year (continued)" in line for line in lines) <= 1
    first_header = next(line for line in lines if "indicator" in line and "┃" in line)
    assert [c.strip() for c in first_header.strip("┃ ").split("┃")][:4] == [
        "indicator",
        "period",
        "county",
        "value",
    ]
    # every figure is still printed, a long id folded in its column, not cut
    assert "numerator" in result.output and "denominator" in result.output
    assert "outpatient_emergency_" in result.output


def test_bad_options_are_refused_before_the_store_is_read(tmp_path):
    # Before: a bad --out or --level was found only after every indicator was computed
    # (minutes on a county's store), and --level's message said "level:", no option.
    absent = str(tmp_path / "none.duckdb")
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    cases = [
        (["--out", str(tmp_path / "x.txt")], "--out"),
        (
            ["--level", "institutions"],
            "option '--level': expected one of total, province, city, county",
        ),
        (["--period", "quarter"], "option '--period': expected one of month, year"),
        # review 20A L5: a file where --out's folder would be, found before computing
        (["--out", str(afile / "sub" / "x.csv")], "afile' is a file, not a folder"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["indicators", "compute", "--store", absent, *args])
        assert result.exit_code == 2
        assert message in flat(result.output) and "no such file" not in result.output


def test_indicators_computed_at_another_level_or_period_are_named_so(store):
    # Before: under "Indicators by institution and month" a column headed 'institution'
    # held grid ids (hospitalization_rate, by grid: its finest level) and yearly rows
    # (the capacity indicators) sat among the monthly ones, with no word of either.
    args = ["indicators", "compute", "--store", str(store)]
    result = runner.invoke(app, [*args, "--level", "institution"], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "┃ indicator ┃ period ┃ institution ┃" not in out
    assert "┃ indicator ┃ period ┃ unit ┃" in out
    assert "Not by institution (the finest level their definitions allow): by grid:" in out
    assert "hospitalization_rate" in out.split("by grid:")[1].split(".")[0]
    result = runner.invoke(app, [*args, "--period", "month"], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "┃ indicator ┃ period ┃ county ┃" in out  # every row is a county's
    note = out.split("Not by month (defined by year only): ")[1].split(".")[0]
    assert "beds_per_1000" in note and "hospitalizations" not in note


def _values(output: str, indicator: str) -> list[str]:
    """The value cells of ``indicator``'s rows in the printed table."""
    rows = [line for line in output.splitlines() if line.startswith(f"│ {indicator} ")]
    return [[c.strip() for c in row.strip("│").split("│")][3] for row in rows]


@pytest.mark.parametrize("level", ["county", "institution"])
@pytest.mark.parametrize("others", [[], ["-i", "cost_per_outpatient_visit"]])
def test_a_count_prints_as_a_whole_number_at_every_level(store, level, others):
    # walk17: visits printed 250 by institution and 145.00 by county: the value column
    # took its format from whichever values shared it (shown_decimals now)
    args = ["indicators", "compute", "--store", str(store), "--level", level]
    args += ["-i", "outpatient_emergency_visits", *others, "--min-cell", "1"]
    # every row printed (no row cap): each count's cell is checked
    result = runner.invoke(app, args, env={"COLUMNS": "200", "IHMS_MAX_ROWS": "0"})
    assert result.exit_code == 0, result.output
    values = _values(result.output, "outpatient_emergency_visits")
    # "—": an institution before it opens (youxi.yaml: THCs 19-23 from 2018), not 0
    assert values and all(v == "—" or v.replace(",", "").isdigit() for v in values), values
    assert any(v != "—" for v in values)
    if others:
        costs = _values(result.output, "cost_per_outpatient_visit")
        assert costs and all(len(v.rsplit(".", 1)[-1]) == 2 for v in costs if v != "—")


def test_out_and_json_say_which_cells_were_suppressed(store, tmp_path):
    """Session 19 review F14: with --out the suppression note was printed only for the
    console table, so a user saw empty cells in the file without a word."""
    out = tmp_path / "ind.csv"
    args = ["indicators", "compute", "--store", str(store), "--level", "institution",
            "--period", "month", "-i", "hospitalizations"]  # fmt: skip
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    n = int(pd.read_csv(out)["suppressed"].sum())
    assert n > 0
    said = flat(result.stderr)
    assert f"{n:,} cell(s) with counts from 1 to 4 suppressed" in said
    assert "--min-cell 1" in said
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert sum(r["suppressed"] for r in json.loads(result.stdout)) == n
    assert f"{n:,} cell(s) with counts from 1 to 4 suppressed" in flat(result.stderr)
    # nothing suppressed, nothing said
    result = runner.invoke(app, [*args, "--out", str(out), "--min-cell", "1"])
    assert "suppressed" not in flat(result.stderr)
