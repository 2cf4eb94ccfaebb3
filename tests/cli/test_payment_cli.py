import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import builtin_rules_text

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
TABLES = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]
MORE = ["--indicators", str(EX / "indicators.csv"), "--staff", str(EX / "staff.csv")]


def run(*args):
    return runner.invoke(app, ["payment", *args])


def text(result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def test_rules_list_and_show():
    r = run("rules")
    assert r.exit_code == 0 and "sanming" in text(r) and "mssp" in text(r)
    r = run("rules", "other-areas")
    assert r.exit_code == 0 and "method: history" in text(r)
    r = run("rules", "sanmin")
    assert r.exit_code == 2 and "did you mean 'sanming'" in text(r)


def test_budget_json_matches_worked_example():
    # 347,520 insured x 710.00 yuan (the built-in 2018 premium: subsidy 490 + individual
    # 220, Xinhua, 25 July 2018) = 246,739,200.00; less 3% (7,402,176.00) and 5%
    # (12,336,960.00) = 227,000,064.00 yuan
    r = run("budget", "--population", str(EX / "population.csv"), "--year", "2018", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["pooled_fund_fen"] == 24_673_920_000
    assert out["global_budget_fen"] == 22_700_006_400
    # the working, as settle --json gives it: each step's money in fen
    steps = {s["step"]: s for s in out["steps"]}
    assert out["rules"] == "sanming"
    assert steps["reserve for private hospitals"]["amount_fen"] == 740_217_600
    assert steps["risk-adjustment fund"]["amount_fen"] == 1_233_696_000
    assert steps["premium per capita"]["working"] == "given for the year"


def test_budget_history_needs_spending():
    r = run(
        "budget",
        "--rules",
        "other-areas",
        "--population",
        str(EX / "population.csv"),
        "--year",
        "2018",
    )
    assert r.exit_code == 2 and "give --spending" in text(r)
    r = run("budget", "--rules", "other-areas", *TABLES, "--year", "2018")
    assert r.exit_code == 0 and "Global budget 2018 (history-based)" in text(r)


def test_settle_tables_and_ledger(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    args = ["settle", *TABLES, *MORE, "--year", "2018", "--ledger", str(ledger), "--steps"]
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert "Settlement 2018 (Sanming IMPM)" in text(r) and "posted" in text(r)
    assert "fund balance rate" in text(r)  # the working
    r = run(*args)
    assert r.exit_code == 0 and "unchanged (batch 1, 0 posting(s) written)" in text(r)
    r = run("settle", *TABLES, "--rules", "other-areas", "--year", "2018", "--ledger", str(ledger))
    assert r.exit_code == 0 and "replaced" in text(r)
    r = run("ledger", "--ledger", str(ledger), "--json")
    assert [b["status"] for b in json.loads(r.output)] == ["reversed", "reversal", "active"]
    r = run(
        "ledger", "--ledger", str(ledger), "--year", "2018", "--institution", "CH01", "--postings"
    )
    assert r.exit_code == 0 and "Ledger audit 2018, CH01" in text(r) and "Postings" in text(r)


def test_settle_json_is_complete():
    r = run("settle", *TABLES, *MORE, "--year", "2019", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)  # stderr notes the sample roster's incentives
    figures = out["figures"]
    # the uses' amounts sit under allocations_fen: every amount in --json is fen under a
    # key ending _fen (they sat beside total_fen, unmarked, before)
    assert figures["retained_fen"] == sum(out["distribution"]["allocations_fen"].values())
    assert out["assessment"]["passed"] is True
    assert out["rules"]["name"] == "sanming"
    assert out["steps"][0]["step"].startswith("spending at")


def test_distribute_and_scorecard():
    r = run("distribute", *TABLES, *MORE, "--year", "2019")
    assert r.exit_code == 0 and "Staff incentive" in text(r) and "Annual salaries" in text(r)
    r = run("distribute", *TABLES, *MORE, "--year", "2019", "--json")
    out = json.loads(r.stdout)
    assert sum(out["allocations_fen"].values()) == out["total_fen"]
    assert out["allocations_fen"]["staff_incentive"] == out["salaries"]["pool_fen"]
    r = run("scorecard", *TABLES, *MORE, "--year", "2019", "--json")
    assert r.exit_code == 0
    cards = json.loads(r.stdout)["scorecards"]
    assert cards[0]["subject"] == "consortium" and len(cards) == 1 + 12
    r = run("scorecard", *MORE, "--year", "2019")
    assert r.exit_code == 2 and "give --spending and --population" in text(r)
    r = run("scorecard", "--rules", "other-areas", *MORE, "--year", "2019")
    assert r.exit_code == 2 and "by volume" in text(r)


def test_compare_writes_figure(tmp_path):
    fig = tmp_path / "cmp.png"
    r = run(
        "compare",
        *TABLES,
        "--indicators",
        str(EX / "indicators.csv"),
        "--year",
        "2017",
        "--year",
        "2018",
        "--year",
        "2019",
        "--figure",
        str(fig),
    )
    assert r.exit_code == 0, r.output
    assert fig.stat().st_size > 10_000 and fig.read_bytes()[:4] == b"\x89PNG"
    # the effect table reads as the comparison above it: titles, headers in words
    # (before: regime 'sanming' and columns 'spending_change_myuan', ...)
    out = text(r)
    assert "Effect of the saving against spending as observed (million yuan)" in out
    assert "cumulative" in out and "_myuan" not in out and "_fen" not in out
    assert "│ sanming" not in r.output and "│ other-areas" not in r.output
    r = run(
        "compare",
        *TABLES,
        "--assume-passed",
        "--year",
        "2018",
        "--year",
        "2019",
        "--saving",
        "0",
        "--json",
    )
    out = json.loads(r.stdout)  # stderr: how to include Deqing's rules
    assert {row["regime"] for row in out["settlements"]} == {"sanming", "other-areas"}
    assert out["effect_of_saving"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["settle", *TABLES, "--year", "2015"], "no spending data for 2015"),
        (["settle", *TABLES, "--year", "2018"], "--assume-passed"),
        (["settle", *TABLES, "--year", "2018", "--rules", "nowhere.yaml"], "not found"),
        (["compare", *TABLES, "--year", "2018", "--saving", "lots"], "expected a rate"),
        (
            ["settle", *TABLES, "--year", "2018", "--ledger", "l.sqlite", "--scope", " "],
            "--scope ' ': expected a name for the settlement series",
        ),
        (["compare", *TABLES, "--year", "2018", "--saving", "-5%"], "at least 0% and under 100%"),
        (
            ["ledger", "--ledger", "missing.sqlite"],
            "missing.sqlite: no ledger file (a settlement posted with ihms payment settle "
            "--ledger FILE",
        ),
    ],
)
def test_bad_input_exit_code_2(args, message):
    r = run(*args)
    assert r.exit_code == 2
    assert message in text(r)
    assert "Traceback" not in text(r)


def test_bad_rule_file_and_bad_table(tmp_path):
    rules = tmp_path / "county.yaml"
    yaml_text = builtin_rules_text("sanming")
    rules.write_text(
        yaml_text.replace("cooperation: 24%", "cooperation: 25%").replace(
            "balance_uses:", "balance_usess:"
        )
    )
    r = run("settle", *TABLES, "--rules", str(rules), "--year", "2018", "--assume-passed")
    assert r.exit_code == 2 and "did you mean 'balance_uses'" in text(r)
    rules.write_text(yaml_text.replace("cooperation: 24%", "cooperation: 25%"))
    r = run("settle", *TABLES, "--rules", str(rules), "--year", "2018", "--assume-passed")
    assert r.exit_code == 2 and "add up to 100%" in text(r)
    bad = tmp_path / "spending.csv"
    bad.write_text(
        "year,setting,insurance_paid_fen\n2018,consortium,-3\n2018,hospital,5\n", "utf-8"
    )
    r = run(
        "settle",
        "--spending",
        str(bad),
        "--population",
        str(EX / "population.csv"),
        "--year",
        "2018",
    )
    assert r.exit_code == 2
    assert "3 problems" in text(r) and "row 2" in text(r) and "row 3" in text(r)
