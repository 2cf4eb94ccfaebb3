"""The plausibility check's balance and overspend thresholds on a budget set on the
county's residents (``budget.population: residents``) with a low insured share (user
review, task 5): the budget then pays for residents who charge nothing, so the balance
is measured against the budget's share for the insured, not the whole budget.

Worked by hand on the example tables, 2018 under sanming (premium 678.40 yuan, 3 %
private reserve, 5 % risk fund), with 868,800 residents of whom the example's 347,520
(40 %) are insured: pooled fund 868,800 x 678.40 = 589,393,920.00 yuan, global budget
589,393,920.00 - 17,681,817.60 - 29,469,696.00 = 542,242,406.40 yuan; its share for the
insured 542,242,406.40 x 347,520 / 868,800 = 216,896,962.56 yuan (the insured-basis
budget of tests/payment/test_plausibility.py). Charged 211,974,013.23 yuan: a balance of
330,268,393.17 yuan = 60.9 % of the budget, yet 97.7 % of the insured's share spent —
an ordinary year, no unit slip.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

from .conftest import sanming_text_before_36
from .test_plausibility import _yuan_in_fen_columns

runner = CliRunner()
# the figures here were worked by hand with the premium before session 36 (640 yuan in
# 2017 grown 6 %): the former rule text (conftest.former_sanming_rules says why)
SANMING = sanming_text_before_36()
RESIDENTS = SANMING.replace("  population: insured\n", "  population: residents\n")


def _files(tmp_path: Path, *, basis: str, shrink: int = 1) -> tuple[Path, Path, Path]:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RESIDENTS if basis == "residents" else SANMING, encoding="utf-8")
    pop = tmp_path / "population.csv"
    pop.write_text(
        "year,resident_population,insured_population\n2018,868800,347520\n", encoding="utf-8"
    )
    sp = _yuan_in_fen_columns(tmp_path, lambda v: v // shrink)
    return rules, pop, sp


def _notes(tmp_path: Path, *, basis: str, shrink: int = 1) -> tuple[dict, list[str]]:
    rules, pop, sp = _files(tmp_path, basis=basis, shrink=shrink)
    args = ["payment", "settle", "--year", "2018", "--rules", str(rules)]
    args += ["--spending", str(sp), "--population", str(pop), "--assume-passed", "--json"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    return out, [n for n in out["notes"] if "global budget" in n or "insured" in n]


@pytest.mark.usefixtures("former_sanming_rules")
def test_an_ordinary_year_on_a_residents_budget_is_not_warned(tmp_path):
    out, warned = _notes(tmp_path, basis="residents")
    assert out["figures"]["global_budget_fen"] == 54_224_240_640
    assert out["figures"]["balance_fen"] == 33_026_839_317  # 60.9 % of the budget
    assert warned == []


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_same_year_on_an_insured_budget_is_not_warned(tmp_path):
    out, warned = _notes(tmp_path, basis="insured")
    assert out["figures"]["global_budget_fen"] == 21_689_696_256
    assert warned == []


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("basis", ["residents", "insured"])
def test_half_the_insureds_spending_is_warned_on_either_basis(tmp_path, basis):
    # 211,974,013.23 / 2 = 105,987,006.61 yuan charged: 48.9 % of the insured's share
    # (216,896,962.56 yuan) on either basis; 292.49 yuan per insured person is no slip
    _, warned = _notes(tmp_path, basis=basis, shrink=2)
    (text,) = warned
    if basis == "insured":
        assert text.startswith("The balance is 51.1% of the global budget")
    else:
        assert text.startswith(
            "The charged spending is 48.9% of the global budget's share for the 347,520 "
            "insured (40.0% of 868,800 residents)"
        )
    assert "per insured person" not in text and "covers the whole year" in text


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_yuan_in_fen_slip_is_still_warned_on_a_residents_budget(tmp_path):
    _, warned = _notes(tmp_path, basis="residents", shrink=100)
    (text,) = warned
    assert "6.10 yuan per insured person" in text
    assert "1.0% of the global budget's share for the 347,520 insured" in text
