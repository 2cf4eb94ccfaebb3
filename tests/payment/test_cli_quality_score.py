"""``ihms payment settle|distribute --quality-score``: the settled year's quality score
for a shared-savings rule set gated on one (``deqing-shared-savings``: standard 60 points,
no sliding scale), instead of a ``quality_score`` column in ``--population``.

Hand-worked year (deqing-shared-savings.yaml: benchmark = previous year's per-capita total
cost of care × 1.05; MSR 2.0 % above 60,000 people; sharing rate 50 %, cap 10 % of the
benchmark; outside-county care charged; 100 yuan per registered resident):

- 2017: 100,000 insured, total cost of care 100,000,000.00 yuan → 1,000.00 yuan a head;
- 2018: benchmark 1,000.00 × 1.05 = 1,050.00 a head × 100,000 = 105,000,000.00 yuan;
  actual 90,000,000.00 (CH01) + 8,000,000.00 (outside the county) + 2,000,000.00
  (private) = 100,000,000.00; savings 5,000,000.00 = 4.76 % ≥ MSR 2 %;
- quality 0.92 ≥ 0.60: 50 % × 5,000,000.00 = 2,500,000.00 yuan shared (cap
  10,500,000.00 not reached); quality 0.55 < 0.60: nothing shared;
- family-physician fee 100 yuan × 20,000 registered = 2,000,000.00 yuan.
"""

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


@pytest.fixture()
def tables(tmp_path):
    spending = tmp_path / "spending.csv"
    spending.write_text(
        "year,setting,institution_id,insurance_paid_yuan\n"
        "2017,consortium,CH01,92000000.00\n"
        "2017,outside_county,,6000000.00\n"
        "2017,private,,2000000.00\n"
        "2018,consortium,CH01,90000000.00\n"
        "2018,outside_county,,8000000.00\n"
        "2018,private,,2000000.00\n",
        "utf-8",
    )
    population = tmp_path / "population.csv"
    population.write_text(
        "year,insured_population,family_physician_registered\n"
        "2017,100000,15000\n2018,100000,20000\n",
        "utf-8",
    )
    return ["--spending", str(spending), "--population", str(population)]


def settle(tables, *extra, command="settle"):
    return runner.invoke(
        app,
        ["payment", command, "--rules", "deqing-shared-savings", "--year", "2018", *tables,
         *extra],
    )  # fmt: skip


def flat(result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize(
    ("score", "shared_fen"), [("0.92", 250_000_000), ("92%", 250_000_000), ("0.55", 0)]
)
def test_the_score_gates_the_hand_worked_shared_savings(tables, score, shared_fen):
    r = settle(tables, "--quality-score", score, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["inputs"]["county"]["quality_score"] == "0.92" if shared_fen else "0.55"
    ss = out["shared_savings"]
    assert ss["benchmark_fen"] == 10_500_000_000
    assert ss["actual_fen"] == 10_000_000_000
    assert ss["shared_savings_fen"] == shared_fen
    assert out["figures"]["family_physician_fee_fen"] == 200_000_000
    # the kept savings are the distribution's whole: 30 / 30 / 40 %
    assert out["distribution"]["total_fen"] == shared_fen


def test_the_working_shows_the_gate_and_distribute_takes_it_too(tables):
    r = settle(tables, "--quality-score", "0.92", "--json")
    assert r.exit_code == 0, r.output
    steps = {s["step"]: s for s in json.loads(r.output)["steps"]}
    assert steps["final sharing rate"]["working"] == "quality score 92% ≥ standard 60%"
    assert steps["shared savings"]["amount_fen"] == 250_000_000
    d = settle(tables, "--quality-score", "0.92", "--json", command="distribute")
    assert d.exit_code == 0, d.output
    # 30 % cooperation, 30 % health promotion, 40 % institutional development
    assert json.loads(d.output)["allocations_fen"] == {
        "cooperation": 75_000_000,
        "health_promotion": 75_000_000,
        "institutional_development": 100_000_000,
    }


def test_without_a_score_the_message_offers_the_option(tables):
    r = settle(tables)
    assert r.exit_code == 2
    assert "2018 needs quality_score" in flat(r) and "or --quality-score" in flat(r)


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("92", "got '92' (if 92 is a percentage, write 92% or 0.92)"),
        ("1.2", "expected a score between 0 and 1"),
        ("-0.1", "expected a score between 0 and 1"),
        ("high", "got 'high'"),
        ("nan", "got 'nan'"),
        ("0,92", "got '0,92' (write the decimal point as '.': 0.92)"),
    ],
)
def test_a_score_out_of_range_is_refused(tables, score, message):
    r = settle(tables, "--quality-score", score)
    assert r.exit_code == 2
    assert "--quality-score: " in flat(r) and message in flat(r)


def test_rule_sets_reading_no_score_refuse_it(tables):
    r = runner.invoke(
        app, ["payment", "settle", "--rules", "sanming", "--year", "2018", *tables,
              "--quality-score", "0.9"],
    )  # fmt: skip
    assert r.exit_code == 2
    assert (
        "--quality-score: rules 'sanming' share no savings, so a quality score would change "
        "nothing; it applies to shared-savings rule sets gated on a score "
        "(deqing-shared-savings, mssp)"
    ) in flat(r)


def test_a_population_file_giving_the_score_conflicts(tmp_path, tables):
    population = tmp_path / "population-q.csv"
    population.write_text(
        "year,insured_population,family_physician_registered,quality_score\n"
        "2017,100000,15000,0.7\n2018,100000,20000,0.8\n",
        "utf-8",
    )
    r = settle([*tables[:2], "--population", str(population)], "--quality-score", "0.9", "--json")
    assert r.exit_code == 2
    out = json.loads(r.output)
    assert out["ok"] is False
    assert f"--population {population} gives 2018 a quality_score of 0.8 already" in out["error"]
