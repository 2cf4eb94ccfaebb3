"""``ihms payment compare --quality-score YEAR=SCORE``: each compared year's quality score
for shared-savings rule sets gated on one, validated as ``settle --quality-score``.

Hand-worked (deqing-shared-savings.yaml: benchmark = previous year's per-capita total
cost of care × 1.05; MSR 2.0 % above 60,000 people; sharing rate 50 %, standard 60 %):

- 2018: benchmark 1,000.00 × 1.05 × 100,000 = 105,000,000.00 yuan; actual 90,000,000.00 +
  8,000,000.00 + 2,000,000.00 = 100,000,000.00; savings 5,000,000.00 (4.76 % ≥ 2 %);
  score 0.92 ≥ 0.60: 50 % shared = 2,500,000.00 yuan;
- 2019: benchmark (100,000,000.00 / 100,000) × 1.05 × 100,000 = 105,000,000.00; actual
  92,000,000.00 + 8,000,000.00 + 2,000,000.00 = 102,000,000.00; savings 3,000,000.00
  (2.86 % ≥ 2 %); score 55 % < 60 %: nothing shared; score 0.92: 1,500,000.00 yuan.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


@pytest.fixture()
def tables(tmp_path):
    spending = tmp_path / "spending.csv"
    rows = ["year,setting,institution_id,insurance_paid_yuan"]
    for year, ch01 in ((2017, "92000000.00"), (2018, "90000000.00"), (2019, "92000000.00")):
        outside = "6000000.00" if year == 2017 else "8000000.00"
        rows += [f"{year},consortium,CH01,{ch01}", f"{year},outside_county,,{outside}"]
        rows += [f"{year},private,,2000000.00"]
    spending.write_text("\n".join(rows) + "\n", "utf-8")
    population = tmp_path / "population.csv"
    population.write_text(
        "year,insured_population,family_physician_registered\n"
        "2017,100000,15000\n2018,100000,20000\n2019,100000,20000\n",
        "utf-8",
    )
    return ["--spending", str(spending), "--population", str(population)]


def compare(tables, *extra, rules=("deqing-shared-savings",), years=(2018, 2019)):
    args = ["payment", "compare", "--saving", "0%", *tables]
    args += [a for r in rules for a in ("--rules", r)]
    args += [a for y in years for a in ("--year", str(y))]
    return runner.invoke(app, [*args, *extra])


def flat(result) -> str:
    return " ".join(result.output.split())


def shared(result) -> dict[int, int]:
    assert result.exit_code == 0, result.output
    return {s["year"]: s["shared_savings_fen"] for s in json.loads(result.stdout)["settlements"]}


def test_a_score_for_each_year(tables):
    r = compare(tables, "--quality-score", "2018=0.92", "--quality-score", "2019=55%", "--json")
    assert shared(r) == {2018: 250_000_000, 2019: 0}
    r = compare(tables, "--quality-score", "2018=0.92", "--quality-score", "2019=0.92", "--json")
    assert shared(r) == {2018: 250_000_000, 2019: 150_000_000}


def test_a_bare_score_when_one_year_is_compared(tables):
    r = compare(tables, "--quality-score", "92%", "--json", years=(2018,))
    assert shared(r) == {2018: 250_000_000}


def test_without_scores_the_message_offers_the_option(tables):
    r = compare(tables)
    assert r.exit_code == 2
    assert "2018 and 2019 need quality_score" in flat(r)
    assert "--quality-score YEAR=SCORE for each year" in flat(r)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (["0.92"], "--quality-score 0.92: which year? Compared: 2018, 2019"),
        (["2020=0.9", "2018=0.9"], "2020 is not compared (compared: 2018, 2019"),
        (["2018=0.9", "2018=0.8"], "2018 is given a score twice"),
        (["2018=92"], "got '92' (if 92 is a percentage, write 92% or 0.92)"),
        (["y2018=0.9"], "expected YEAR=SCORE (2018=0.92 or 2018=92%), got year 'y2018'"),
    ],
)
def test_bad_scores_are_refused_before_settling(tables, scores, message):
    r = compare(tables, *[a for s in scores for a in ("--quality-score", s)])
    assert r.exit_code == 2
    assert message in flat(r)


def test_rule_sets_reading_no_score_are_refused(tables):
    r = compare(tables, "--quality-score", "2018=0.9", rules=("sanming", "other-areas"))
    assert r.exit_code == 2
    assert "rules 'sanming' share no savings; rules 'other-areas' share no savings" in flat(r)
    # one rule set reading a score is enough for the option to count
    r = compare(
        tables,
        "--quality-score", "2018=0.92", "--quality-score", "2019=0.92", "--json",
        "--assume-passed", rules=("sanming", "deqing-shared-savings"),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    deqing = [s for s in json.loads(r.stdout)["settlements"] if s["regime"] != "sanming"]
    assert [s["shared_savings_fen"] for s in deqing] == [250_000_000, 150_000_000]


def test_a_score_the_population_file_gives_is_not_given_twice(tables, tmp_path):
    population = tmp_path / "scored.csv"
    population.write_text(
        "year,insured_population,family_physician_registered,quality_score\n"
        "2017,100000,15000,0.7\n2018,100000,20000,0.7\n2019,100000,20000,\n",
        "utf-8",
    )
    args = [tables[0], tables[1], "--population", str(population)]
    r = compare(args, "--quality-score", "2018=0.92")
    assert r.exit_code == 2
    assert "gives 2018 a quality_score of 0.7 already" in flat(r)
    assert shared(compare(args, "--quality-score", "2019=0.92", "--json")) == {
        2018: 250_000_000,
        2019: 150_000_000,
    }
