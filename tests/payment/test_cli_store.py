"""``ihms payment ... --store``: the CLI reads its inputs from a data store.

A short Youxi simulation (3,000 residents) is written to a DuckDB file as ``ihms sim run``
does (``store_path``, built once a session by conftest); the CLI's settlement must equal the one assembled in Python with the adapters, its
consortium assessment must carry the rates the indicator catalogue computes from the
store, files given as well take precedence, and bad input gives one line and exit code 2.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store
from ihms.indicators import compute
from ihms.payment import (
    ASSESSMENT_INDICATORS,
    indicator_values_from_results,
    population_from_store,
    settle_year,
    settlement_inputs,
    spending_from_store,
)

from .conftest import former_sanming

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONSORTIUM = "youxi-ichc"  # examples/youxi.yaml: the county medical community
runner = CliRunner()
# the settlement of examples/payment under the sanming rules before session 36, whose
# premium (640 yuan in 2017 grown 6 %) the figures here were worked with (conftest)
pytestmark = pytest.mark.usefixtures("former_sanming_rules")


def run(*args):
    return runner.invoke(app, ["payment", *map(str, args)])


def text(result) -> str:
    """All output (stdout and stderr) with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def reference(store_path):
    """Settle 2018 in Python with the adapters: the path the CLI must reproduce."""
    rules = former_sanming()  # the premium the figures were worked with (conftest)
    with Store(store_path, read_only=True) as store:
        spending = spending_from_store(store)
        population = population_from_store(store)
        rates = compute(
            store,
            indicators=list(ASSESSMENT_INDICATORS.values()),
            level="consortium",
            period="year",
        )
    values = indicator_values_from_results(rates, unit=CONSORTIUM)
    inputs = settlement_inputs(
        rules, 2018, spending=spending, population=population, indicators=values
    )
    frame = rates.to_frame()
    return {
        "record": settle_year(rules, inputs),
        "spending": spending.frame,
        "rates": frame[(frame["unit"] == CONSORTIUM) & (frame["period"] == "2018")],
    }


def _assessment(out) -> dict[str, Decimal]:
    # the exact values scored are the inputs'; the scorecard's lines show them rounded
    # to 4 decimals, as its table does (they gave 28 digits before)
    exact = {k: Decimal(v) for k, v in out["inputs"]["assessment_values"].items()}
    for ln in out["assessment"]["lines"]:
        if ln["indicator"] in exact:
            assert Decimal(ln["value"]) == exact[ln["indicator"]].quantize(
                Decimal("0.0001"), rounding="ROUND_HALF_UP"
            )
    return exact


def _store_rate(reference, scorecard_id: str) -> float:
    rows = reference["rates"]
    row = rows[rows["indicator"] == ASSESSMENT_INDICATORS[scorecard_id]].iloc[0]
    return row["numerator"] / row["denominator"]


def test_settle_from_store_equals_the_adapters_in_python(store_path, reference):
    r = run("settle", "--store", store_path, "--year", 2018, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    record = reference["record"]
    assert out["input_digest"] == record.input_digest
    assert out["budget"] == record.budget.to_dict()
    assert out["figures"]["global_budget_fen"] == record.budget.global_budget_fen
    # the consortium's spending is the store's 2018 insurance-paid fen at its members
    sp = reference["spending"]
    at_members = sp[(sp["year"] == 2018) & (sp["setting"] == "consortium")]
    assert out["figures"]["consortium_fen"] == int(at_members["insurance_paid_fen"].sum())
    # the assessment scores the youxi-ichc rates (numerator / denominator of the
    # catalogue's 2018 rows), chosen although fjph-alliance also counts YX-CH01: it is
    # the consortium serving the county's grids
    got = _assessment(out)
    for ours in ASSESSMENT_INDICATORS:
        assert float(got[ours]) == pytest.approx(_store_rate(reference, ours), rel=1e-12)
    assert out["assessment"]["computed"] == ["fund_balance_rate"]


def test_budget_reads_the_store_or_its_directory(store_path, reference):
    record = reference["record"]
    for where in (store_path, store_path.parent):  # ihms sim run --out DIR: DIR/ihms.duckdb
        r = run("budget", "--store", where, "--year", 2018, "--json")
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        # budget --json adds the rule set, the working (with money in fen) and the notes
        # (a population-based budget reads no claims: none) to the figures
        assert out.pop("rules") == "sanming" and out.pop("steps") and out.pop("notes") == []
        assert out == record.budget.to_dict()
    # Sanming 2018: insured x 678.40 yuan (640 yuan x 1.06, seed 002's premium rule as
    # in rulesets/sanming.yaml), in fen
    assert out["pooled_fund_fen"] == out["insured_population"] * 67_840


def test_files_given_with_the_store_take_precedence(store_path, reference, tmp_path):
    population = tmp_path / "population.csv"
    population.write_text("year,insured_population\n2018,5000\n", "utf-8")
    indicators = tmp_path / "indicators.csv"
    indicators.write_text(
        "year,subject,indicator,value\n"
        "2018,consortium,hypertension_control_rate,0.9\n"
        "2018,DR-1,health_education_sessions,24\n"
        "2018,DR-1,health_management_rate,0.9\n"
        "2018,DR-1,thc_consultation_days,12\n",
        "utf-8",
    )
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "staff_id,role,institution_id,base_salary_fen\nDR-1,doctor,YX-CH01,10000000\n", "utf-8"
    )
    r = run(
        "settle",
        "--store",
        store_path,
        "--population",
        population,
        "--indicators",
        indicators,
        "--staff",
        staff,
        "--year",
        2018,
        "--json",
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    # the population file replaces the store's: 5,000 x 678.40 yuan = 339,200,000 fen,
    # less the 3% private reserve (10,176,000) and the 5% risk fund (16,960,000)
    assert out["inputs"]["county"]["insured_population"] == 5000
    assert out["budget"]["global_budget_fen"] == 339_200_000 - 10_176_000 - 16_960_000
    # spending still comes from the store
    assert out["figures"]["consortium_fen"] == reference["record"].headline()["consortium_fen"]
    # the file's consortium value wins for its indicator; the others are the store's
    got = _assessment(out)
    assert got["hypertension_control_rate"] == Decimal("0.9")
    for ours in ("diabetes_control_rate", "outpatient_contacts_primary_share"):
        assert float(got[ours]) == pytest.approx(_store_rate(reference, ours), rel=1e-12)
    assert "note:" in r.stderr and "hypertension_control_rate for 2018" in r.stderr
    # the file's staff rows score the roster: 24 sessions (capped at the target 24),
    # 90 % managed (linear 50-90 %) and 12 days (at least 12) each score 1 in
    # rulesets/sanming.yaml, so DR-1 passes with 1 and, alone, takes the whole pool
    (line,) = out["salaries"]["lines"]
    assert (line["staff_id"], Decimal(line["score"]), line["passed"]) == ("DR-1", 1, True)
    assert line["incentive_fen"] == out["salaries"]["pool_fen"] > 0


def test_scorecard_distribute_and_compare_read_the_store(store_path, reference):
    record = reference["record"]
    r = run(
        "scorecard", "--store", store_path, "--consortium", CONSORTIUM, "--year", 2018, "--json"
    )
    assert r.exit_code == 0, r.output
    (card,) = json.loads(r.stdout)["scorecards"]
    assert card == record.assessment.to_dict()
    r = run("distribute", "--store", store_path, "--year", 2018, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["allocations_fen"] == dict(record.distribution.allocations)
    r = run("compare", "--store", store_path, "--year", 2018, "--saving", "0%", "--json")
    assert r.exit_code == 0, r.output
    rows = {row["regime"]: row for row in json.loads(r.stdout)["settlements"]}
    assert rows["sanming"]["global_budget_fen"] == record.budget.global_budget_fen


@pytest.fixture(scope="module")
def two_serving(store_path, tmp_path_factory) -> Path:
    """A copy of the store in which the specialist alliance also serves a county grid."""
    path = tmp_path_factory.mktemp("two") / "ihms.duckdb"
    shutil.copy(store_path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO consortium_grids VALUES ('fjph-alliance', 'G01')")
    return path


EX = EXAMPLES / "payment"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["settle", "--store", "{dir}/none.duckdb"], "no store file there"),
        (["settle", "--store", "{dir}"], "a folder without ihms.duckdb"),
        (["settle", "--store", "{store}", "--county", "nowhere"], "no county 'nowhere'"),
        (["budget", "--store", "{store}", "--county", "sanming-urban"], "has no grids"),
        (["settle", "--store", "{store}", "--consortium", "nope"], "no consortium 'nope'"),
        (["settle", "--store", "{two}"], "fjph-alliance, youxi-ichc"),
        (
            ["settle", "--store", "{store}", "--consortium", "fjph-alliance"],
            "gives no 2018 value of hypertension_control_rate, diabetes_control_rate",
        ),
        (["settle", "--population", EX / "population.csv"], "give --spending and --population"),
        (["budget"], "give --population, or --store"),
        (["scorecard"], "give --indicators, or --store"),
        (
            ["settle", "--population", EX / "population.csv", "--county", "youxi"],
            "give --store too",
        ),
    ],
)
def test_bad_store_input_is_one_line_and_exit_code_2(
    args, message, store_path, two_serving, tmp_path
):
    places = {"dir": tmp_path, "store": store_path, "two": two_serving}
    r = run(*[str(a).format(**places) for a in args], "--year", 2018)
    assert r.exit_code == 2, r.output
    assert message in text(r)
    assert text(r).startswith("error:") and "Traceback" not in r.output


def test_ambiguous_consortium_names_the_choices(two_serving):
    r = run("settle", "--store", two_serving, "--year", 2018)
    assert r.exit_code == 2
    assert "2 consortia have member institutions in county youxi" in text(r)
    assert "(choose one with --consortium)" in text(r)


@pytest.fixture(scope="module")
def fee_rules(tmp_path_factory) -> Path:
    """Sanming's rules plus a family-physician fee of 100 yuan per member-year."""
    path = tmp_path_factory.mktemp("rules") / "sanming-fp.yaml"
    r = runner.invoke(app, ["payment", "rules", "sanming"])
    path.write_text(r.stdout + "family_physician_fee:\n  per_member_per_year_yuan: 100\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def schema_1_0(store_path, tmp_path_factory) -> Path:
    """A copy of the store as ihms 1.0 wrote it: no residents.fp_registered_date."""
    path = tmp_path_factory.mktemp("v10") / "ihms.duckdb"
    shutil.copy(store_path, path)
    with duckdb.connect(str(path)) as con:
        con.execute('ALTER TABLE residents DROP COLUMN "fp_registered_date"')
        con.execute("UPDATE _ihms_meta SET value = '1.0' WHERE key = 'schema_version'")
    return path


def test_a_family_physician_fee_is_paid_on_the_stores_registrations(store_path, fee_rules):
    with Store(store_path, read_only=True) as store:
        registered = population_from_store(store).for_year(2018).family_physician_registered
    assert registered > 0
    r = run("settle", "--rules", fee_rules, "--store", store_path, "--year", 2018, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["inputs"]["county"]["family_physician_registered"] == registered
    # the store gives month-end registrations: the fee is paid on member-months,
    # 100 yuan = 10,000 fen per member-year, so member-months x 10,000 / 12 half up;
    # the year's registered count is their mean, rounded half up
    months = out["inputs"]["county"]["family_physician_members"]["by_institution"]
    member_months = sum(sum(counts) for counts in months.values())
    assert (2 * member_months + 12) // 24 == registered
    assert out["figures"]["family_physician_fee_fen"] == (member_months * 10_000 * 2 + 12) // 24
    # paid to the institutions holding the contracts, and the ledger says so
    by_inst = out["family_physician_fee_by_institution_fen"]
    assert by_inst and set(by_inst) <= set(months)


def test_a_fee_on_a_store_without_registration_dates_stops(schema_1_0, fee_rules):
    r = run("settle", "--rules", fee_rules, "--store", schema_1_0, "--year", 2018)
    assert r.exit_code == 2, r.output
    assert "pay a family-physician fee per registered resident" in text(r)
    assert "written under data schema 1.0, without fp_registered_date" in text(r)
    assert "--population with family_physician_registered" in text(r)
    # rules without the fee settle from the same store, with a note
    r = run("settle", "--store", schema_1_0, "--year", 2018, "--json")
    assert r.exit_code == 0, r.output
    note = " ".join(r.stderr.split())  # rich's line wrapping undone
    assert "note: store" in note and "family_physician_registered is left out" in note
    assert json.loads(r.stdout)["inputs"]["county"]["family_physician_registered"] is None


def test_a_year_the_store_does_not_hold_is_named_with_the_years_it_holds(store_path):
    r = run("settle", "--store", store_path, "--year", "2015")
    assert r.exit_code == 2, r.output
    # examples/youxi_sim.yaml simulates 2016 to 2019
    assert "no spending data for 2015; the store holds 2016, 2017, 2018, 2019" in text(r)
    assert "hypertension_control_rate" not in text(r)  # not blamed on the rates


def _deqing_fixed_msr(tmp_path) -> Path:
    """deqing-shared-savings with a fixed 2% MSR, as the simulated county's 3,000 residents
    are below the MSR table's 5,000."""
    rules = tmp_path / "deqing-fixed-msr.yaml"
    body = runner.invoke(app, ["payment", "rules", "deqing-shared-savings"]).stdout
    head, tail = body.split("  minimum_savings_rate_table:", 1)
    tail = tail[tail.index("  two_sided:") :]
    rules.write_text(head + "  minimum_savings_rate: 2%\n" + tail, "utf-8")
    return rules


def test_shared_savings_from_a_store_say_how_to_give_the_quality_score(store_path, tmp_path):
    r = run("settle", "--store", store_path, "--rules", "deqing-shared-savings", "--year", "2018")
    assert r.exit_code == 2, r.output
    assert "2018 needs quality_score" in text(r)
    assert "give --population FILE with year, insured_population" in text(r)
    # following the advice: a population file with the quality score
    rules = _deqing_fixed_msr(tmp_path)
    pop = tmp_path / "population.csv"
    pop.write_text(
        "year,insured_population,family_physician_registered,quality_score\n"
        "2017,3000,1000,0.7\n2018,3000,1500,0.8\n",
        "utf-8",
    )
    r = run("settle", "--store", store_path, "--rules", rules, "--population", pop,
            "--year", "2018")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "minimum savings rate 2.00%" in text(r)


def test_a_store_settles_shared_savings_with_the_quality_score_option(store_path, tmp_path):
    # the store's population (no quality measure) with --quality-score for the year
    rules = _deqing_fixed_msr(tmp_path)
    r = run("settle", "--store", store_path, "--rules", rules, "--year", "2018",
            "--quality-score", "55%", "--json")  # fmt: skip
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["inputs"]["county"]["quality_score"] == "0.55"
    steps = {s["step"]: s["working"] for s in out["steps"]}
    assert steps["final sharing rate"] == "quality score 55% < standard 60%"
    assert out["shared_savings"]["shared_savings_fen"] == 0


# A card scoring healthcare_visits_primary_share (a rule file saved from sanming before
# 2026-11-26) meant the share of all outpatient contacts; the store computes the id as it
# counts now, preventive encounters only (payment.indicator_values.CHANGED_MEASURES, the
# note `sim compare` gives too). Was settled without a word.
CHANGED_SAID = (
    "scorecard 'director' scores 'healthcare_visits_primary_share', which since 2026-11-26 "
    "counts the primary-care share of preventive encounters (health examinations) only; a "
    "card naming it before then meant the share of all outpatient contacts, which the "
    "built-in card scores as 'outpatient_contacts_primary_share'"
)


@pytest.mark.parametrize(
    "command",
    [
        ("settle", "--year", 2018),
        ("distribute", "--year", 2018),
        ("scorecard", "--year", 2018),
        ("compare", "--year", 2018, "--saving", "0%"),
    ],
)
def test_a_card_scoring_the_changed_measure_is_settled_from_a_store_with_a_note(
    store_path, tmp_path, command
):
    from ihms.payment import builtin_rules_text

    rules = tmp_path / "old-sanming.yaml"
    text = builtin_rules_text("sanming")
    assert text.count("id: outpatient_contacts_primary_share") == 1
    rules.write_text(
        text.replace(
            "id: outpatient_contacts_primary_share", "id: healthcare_visits_primary_share"
        ),
        "utf-8",
    )
    r = run(*command, "--store", store_path, "--rules", rules, "--json")
    assert r.exit_code == 0, r.output
    stderr = " ".join(r.stderr.split())
    assert "note: rules sanming v" in stderr and CHANGED_SAID in stderr
    assert stderr.count(CHANGED_SAID) == 1
    assert f"The rate computed from store {store_path} is what the id counts now" in stderr
    r = run(*command, "--store", store_path, "--json")  # the built-in card: no such note
    assert r.exit_code == 0, r.output
    assert "since 2026-11-26" not in r.stderr
