"""``ihms payment compare`` says plainly which rule sets reset their benchmark or budget
every year from the spending before it (payment review 2026-11-25, finding 9): Deqing's
shared-savings benchmark is the previous year's actual cost of care trended forward 5 %
(``deqing-shared-savings.yaml``, an assumption there), a ratchet, so a lasting saving
earns less each year. A note, not a change of rule: the figures are as before.

Figures (examples/payment, a 5 % saving a year from 2018, the command's own run): the
saving path spends 10,598,700.65 yuan less in 2018 and 21,382,850.90 less in 2019
(compounded). Sanming's consortium keeps all of it both years; Deqing shares 50 % of the
2018 saving (sharing rate 50 %, under the 10 % cap), 5,299,350.32 yuan, but in 2019 only
7,072,439.00 of 21,382,850.90 (33.1 %), its benchmark lowered by the 2018 saving.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import load_rules
from ihms.payment._rebasing import rebasing_note
from ihms.payment._words_zh import said_note

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
runner = CliRunner()
DEQING = (
    "Deqing CIHO (deqing-shared-savings) resets its shared-savings benchmark every year from "
    "the previous year's actual cost of care per assigned resident (trended forward 5% a "
    "year): a ratchet — a saving that lasts lowers the next year's benchmark, so it earns "
    "less each year it lasts."
)


def _compare(*rules: str, extra: tuple[str, ...] = ("--json",)):
    args = ["payment", "compare", "--year", "2018", "--year", "2019"]
    args += [f"--{t}={EX / f'{t}.csv'}" for t in ("spending", "population", "indicators")]
    args += [a for r in rules for a in ("--rules", r)]
    return runner.invoke(app, [*args, *extra])


def test_compare_says_deqings_benchmark_ratchets():
    r = _compare("sanming", "deqing-shared-savings")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["notes"] == [DEQING]
    # the figures it explains: Sanming keeps every yuan saved, Deqing a falling share
    effect = {(e["regime"], e["year"]): e for e in out["effect_of_saving"]}
    for year in (2018, 2019):
        saved = -effect[("sanming", year)]["spending_change_fen"]
        assert effect[("sanming", year)]["result_change_fen"] == saved
    assert [effect[("deqing-shared-savings", y)]["result_change_fen"] for y in (2018, 2019)] == [
        529_935_032,
        707_243_900,
    ]
    assert -effect[("deqing-shared-savings", 2019)]["spending_change_fen"] == 2_138_285_090
    # the table says it under the figures
    shown = " ".join(_compare("sanming", "deqing-shared-savings", extra=()).output.split())
    assert DEQING in shown


def test_rules_that_do_not_ratchet_get_no_such_note():
    r = _compare("sanming", "fee-for-service")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["notes"] == []
    assert rebasing_note(load_rules("sanming"), "Sanming IMPM") is None


def test_other_areas_budget_is_said_to_ratchet_too():
    note = rebasing_note(load_rules("other-areas"), "Other areas of China")
    assert note == (
        "Other areas of China (other-areas) resets its global budget every year from the "
        "previous year's actual charged spending per insured person (trended forward 5% a "
        "year): a ratchet — a saving that lasts lowers the next year's budget, so it earns "
        "less each year it lasts."
    )


def test_the_note_in_chinese():
    said = said_note(DEQING)
    assert said.startswith("德清医共体结余分成（deqing-shared-savings）每年按上一年实际")
    assert "（每年增长 5%）重新核定结余分成基准" in said and "棘轮效应" in said


def test_the_rule_file_shown_says_it():
    r = runner.invoke(app, ["payment", "rules", "deqing-shared-savings"])
    assert r.exit_code == 0, r.output
    shown = " ".join(line.lstrip("# ") for line in r.stdout.splitlines())
    assert "The benchmark is reset every year from the previous year's actual cost of care" in (
        shown
    )
    assert "a saving that lasts lowers the next year's benchmark" in shown
