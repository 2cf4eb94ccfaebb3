"""Money and scores on their way out: tables, the CLI and ``--json`` print every fen of
any amount (no float on the way), and scorecards round for display only, the same way
in the table and in JSON, never across the pass mark."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.payment import (
    Distribution,
    Ledger,
    LinearScoring,
    SalaryLine,
    SalaryResult,
    Scorecard,
    ScorecardIndicator,
    score_card,
    yuan_column,
)
from ihms.payment.money import yuan_cell

D = Decimal
runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"

# 2**53 + 1 = 9,007,199,254,740,993 fen: the first whole number a float cannot hold.
# Exact: 90,071,992,547,409.93 yuan (the last two digits are the fen).
# Through float (fen / 100): 90,071,992,547,409.94 — one fen wrong.
BIG_FEN = 2**53 + 1
BIG_YUAN = "90,071,992,547,409.93"


def test_the_golden_amount_is_one_a_float_gets_wrong():
    # the test below would pass by luck if a float printed this amount right
    assert f"{BIG_FEN / 100:,.2f}" != BIG_YUAN
    assert yuan_cell(yuan_column([BIG_FEN])[0]) == BIG_YUAN


def test_yuan_cells_refuse_floats():
    with pytest.raises(InputError, match="float"):
        yuan_cell(1234.5)


def test_distribution_table_is_exact_to_the_fen():
    # the whole balance to one use (100%), none to the other: 2**53 + 1 fen and 0
    dist = Distribution(
        BIG_FEN,
        {"staff_incentive": BIG_FEN, "cooperation": 0},
        {"staff_incentive": D(1), "cooperation": D(0)},
    )
    table = dist.summary()
    assert table.title == f"Distribution of {BIG_YUAN} yuan"
    assert [yuan_cell(v) for v in table.frame["Amount (yuan)"]] == [BIG_YUAN, "0.00"]
    assert BIG_YUAN in table.to_text().split("\n", 1)[1]  # the cell, not only the title
    assert list(table.frame["Share (%)"]) == [D("100.00"), D("0.00")]


def test_salary_table_is_exact_to_the_fen():
    line = SalaryLine("s", "doctor", "i", BIG_FEN, D(1), True, D(1), BIG_FEN, D(1), 0)
    text = SalaryResult((line,), (), 0, 0).summary().to_text()
    assert text.count(BIG_YUAN) == 2  # base and annual salary (factor 1)


def _big_tables(folder: Path) -> list[str]:
    (folder / "spending.csv").write_text(
        f"year,setting,institution_id,insurance_paid_fen\n2018,consortium,CH01,{BIG_FEN}\n",
        "utf-8",
    )
    (folder / "population.csv").write_text("year,insured_population\n2018,1\n", "utf-8")
    return [
        "--spending",
        str(folder / "spending.csv"),
        "--population",
        str(folder / "population.csv"),
    ]


def test_cli_settle_and_ledger_print_every_fen(tmp_path):
    args = _big_tables(tmp_path)
    ledger = tmp_path / "l.sqlite"
    r = runner.invoke(
        app,
        ["payment", "settle", *args, "--year", "2018", "--assume-passed", "--ledger", str(ledger)],
    )
    assert r.exit_code == 0, r.output
    # spending in the consortium (and charged to the budget): every fen, not ...409.94
    assert BIG_YUAN in r.output and "547,409.94" not in r.output
    r = runner.invoke(app, ["payment", "settle", *args, "--year", "2018", "--json"])
    out = json.loads(r.stdout)  # stderr: 2**53 fen is warned as implausible for the budget
    # --json: money is integer fen under keys ending _fen, exact
    assert out["figures"]["consortium_fen"] == BIG_FEN
    assert out["inputs"]["spending"]["consortium_fen"] == {"CH01": BIG_FEN}
    r = runner.invoke(
        app, ["payment", "ledger", "--ledger", str(ledger), "--year", "2018", "--postings"]
    )
    assert r.exit_code == 0, r.output
    # the consortium's spending is posted as one claim of 2**53 + 1 fen: in the postings
    # list it shows exactly (the net by account of CH01 is the same amount)
    assert BIG_YUAN in r.output
    # and the net by account is exact: a float on the way (pandas' aligned subtraction of
    # what an account received and paid) made CH01's net one fen off, the year's sum
    # -0.01 and, judged on that net, the audit rule fail CH01
    with Ledger(ledger, read_only=True) as led:
        view = led.audit(2018)
        balances = led.balances(year=2018)
    net = dict(zip(view.net["account"], view.net["net_fen"], strict=True))
    assert int(net["institution:CH01"]) == BIG_FEN
    assert sum(int(v) for v in net.values()) == 0
    assert dict(zip(balances["account"], balances["net_fen"], strict=True)) == net
    assert view.passed, view.failing


def test_scorecard_json_and_table_round_alike_worked_example():
    # one indicator, linear from 0 to 3, weight 1, pass mark 0.6; value 2:
    # score = 2/3 = 0.666... -> 0.6667 (4 decimals, half up); points 66.666... -> 66.6667
    # per line; the card's total points 66.7 (1 decimal)
    card = Scorecard(
        "doctor", (ScorecardIndicator("x", "x", D(1), LinearScoring(D(0), D(3))),), D("0.6")
    )
    res = score_card(card, {"x": D(2)}, subject="A")
    assert res.total == D(2) / D(3)  # exact inside (28 digits)
    data = res.to_dict()
    assert (data["total"], data["points"], data["passed"]) == ("0.6667", "66.7", True)
    line = data["lines"][0]
    assert (line["weight"], line["value"], line["score"], line["points"]) == (
        "1.0000",
        "2.0000",
        "0.6667",
        "66.6667",
    )
    row = res.summary().frame.iloc[0]
    assert [str(v) for v in row] == ["1.0000", "2.0000", "0.6667", "66.6667"]
    assert res.summary().title == "doctor scorecard, A: 66.7 points (passed)"


def test_a_failed_card_is_never_shown_at_the_pass_mark():
    # linear 0..1, value 0.59996: total 0.59996 < 0.6, failed. Rounded to 1 decimal the
    # points (59.996) would read 60.0 and the total (4 decimals) 0.6000 — as if passed;
    # more decimals are shown until the figure is below the mark: 59.996 and 0.59996
    card = Scorecard(
        "doctor", (ScorecardIndicator("x", "x", D(1), LinearScoring(D(0), D(1))),), D("0.6")
    )
    res = score_card(card, {"x": D("0.59996")}, subject="B")
    assert not res.passed
    assert res.to_dict()["points"] == "59.996" and res.to_dict()["total"] == "0.59996"
    assert res.summary().title == "doctor scorecard, B: 59.996 points (failed)"


def test_cli_scorecard_json_has_no_decimal_noise():
    tables = [f"--{n}" if i % 2 == 0 else str(EX / f"{n}.csv") for n in ("spending", "population", "indicators", "staff") for i in (0, 1)]  # fmt: skip
    r = runner.invoke(app, ["payment", "scorecard", *tables, "--year", "2018", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)  # stderr notes the sample roster's large incentive
    consortium = out["scorecards"][0]
    # before: "total": "0.7896290623218951545284378555" (Decimal division noise); now
    # 4 decimals, and the points are that total × 100 to one decimal (the card's value
    # itself is not the point here: the scoring tests work cards by hand)
    assert re.fullmatch(r"\d\.\d{4}", consortium["total"]), consortium["total"]
    assert D(consortium["points"]) == (D(consortium["total"]) * 100).quantize(D("0.1"))
    assert re.fullmatch(r"\d+\.\d", consortium["points"])
    numbers = [
        v
        for card in out["scorecards"]
        for ln in card["lines"]
        for k, v in ln.items()
        if k != "indicator"
    ]
    assert numbers and all(len(v.split(".")[1]) == 4 for v in numbers)
    for ln in out["salaries"]["lines"]:
        # the shown factor re-multiplies: base x factor, half up, is the salary to the fen
        assert (
            int((D(ln["base_salary_fen"]) * D(ln["factor"])).quantize(D(1), "ROUND_HALF_UP"))
            == ln["annual_salary_fen"]
        )


def test_scorecard_alone_names_every_missing_value_with_file_and_year(tmp_path):
    # without --spending nothing computes fund_balance_rate: the consortium and each of the
    # five directors lack it, and (a second gap, removed here) DR-CH01-B its consultation
    # days — seven subjects, all in one message; before: only the consortium's gap,
    # without file or year
    ind = tmp_path / "indicators.csv"
    body = (EX / "indicators.csv").read_text("utf-8")
    ind.write_text(body.replace("2019,DR-CH01-B,thc_consultation_days,11\n", ""), "utf-8")
    r = runner.invoke(
        app,
        [
            "payment",
            "scorecard",
            "--indicators",
            str(ind),
            "--staff",
            str(EX / "staff.csv"),
            "--year",
            "2019",
        ],
    )
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert f"{ind}: 7 subjects lack scorecard values for 2019" in out
    assert "give --spending and --population (or --store)" in out
    for subject in ("consortium", "D-CH01", "D-CH02", "D-CH03", "D-THC01", "D-THC07"):
        assert f"{ind}: 2019, subject '{subject}' (director scorecard): no fund_balance_rate" in out
    assert f"{ind}: 2019, subject 'DR-CH01-B' (doctor scorecard): no thc_consultation_days" in out
