"""``settle --json`` gives each staff member's exact score beside the rounded one, so the
salary factor and the annual salary can be worked again from the JSON (review 24 #6;
DOMAIN §3: every settlement reproducible). D-CH01, 2018 (review 24; its card's
health-promotion lines the control rates since session 32): shown score "0.6624", factor
0.99745744, annual salary 379,033.83 yuan — which 0.6 + 0.6 × 0.6624 (379,027.20 yuan)
does not give; the exact score 0.6624291 does."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment.money import round_fen

runner = CliRunner()


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_exact_score_reworks_every_salary(example_dir):
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files += [f"--{t}={example_dir / f'{t}.csv'}" for t in ("indicators", "staff")]
    result = runner.invoke(app, ["payment", "settle", *files, "--year", "2018", "--json"])
    assert result.exit_code == 0, result.output
    lines = {ln["staff_id"]: ln for ln in json.loads(result.stdout)["salaries"]["lines"]}
    d = lines["D-CH01"]
    assert (d["score"], d["annual_salary_fen"]) == ("0.6624", 37_903_383)
    assert Decimal(d["score_exact"]).quantize(Decimal("0.0000001")) == Decimal("0.6624291")
    for ln in lines.values():
        # sanming: factor 0.6 at score 0 to 1.2 at full score (scores above 1 capped)
        factor = Decimal("0.6") + Decimal("0.6") * min(Decimal(ln["score_exact"]), Decimal(1))
        assert round_fen(ln["base_salary_fen"] * factor) == ln["annual_salary_fen"]
        shown = Decimal(ln["score"])  # half up, to 4 decimals or more near the pass mark
        exact = Decimal(ln["score_exact"])
        assert exact.quantize(shown, rounding=ROUND_HALF_UP) == shown
