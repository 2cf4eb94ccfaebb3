"""The demo's comparison of payment regimes keeps Deqing's shared savings beside Sanming,
the ratchet and fee for service, and says what it assumes: Deqing's rules
(``deqing-shared-savings.yaml``: ``quality: {standard: 60%}``, no sliding scale) share
savings only when the year's quality score reaches 60 %, and a county's data store
records no quality score, so the demo takes the standard as just met (score 60 %, the
standard itself; any score at or above it settles the same). A year it cannot settle
for another reason (no family-physician registrations, no earlier year for the history
benchmark) leaves Deqing out, and the report says why."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from ihms.demo import DemoContext
from ihms.demo._payment import payment_sections
from ihms.demo._payment_compare import deqing_for_comparison
from ihms.payment import PopulationTable, load_rules

YEARS = [2017, 2018, 2019]
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"


def _population(*, scores: bool, registered: bool = True) -> PopulationTable:
    rows = {
        y: {
            "year": y,
            "insured_population": 340_000 + y,
            **({"family_physician_registered": 100_000} if registered else {}),
            **({"quality_score": "0.7"} if scores else {}),
        }
        for y in (2016, *YEARS)
    }
    return PopulationTable.from_frame(pd.DataFrame(rows.values()), source="pop.csv")


def test_deqing_is_kept_with_the_standard_taken_as_just_met():
    rules, population, text = deqing_for_comparison(_population(scores=False), YEARS)
    assert rules is not None and rules.name == "deqing-shared-savings"
    assert {y: population.rows[y].quality_score for y in YEARS} == dict.fromkeys(
        YEARS, Decimal("0.6")
    )
    assert (
        "Deqing's CIHO shares savings only in a year whose quality score reaches its "
        "standard of 60%; the county's tables record no quality score, so the comparison "
        "assumes the standard was just met in 2017, 2018 and 2019 (a score of 60%, the "
        "standard itself: any score at or above it settles the same, and below it no "
        "savings would be shared)"
    ) in text


def test_scores_the_table_gives_are_used_and_named():
    rules, population, text = deqing_for_comparison(_population(scores=True), YEARS)
    assert rules is not None
    assert population.rows[2018].quality_score == Decimal("0.7")
    assert "quality scores of pop.csv (70% in 2017, 2018 and 2019)" in text
    assert "assumes" not in text


def test_deqing_is_left_out_when_registrations_are_unknown_and_the_report_says_why():
    rules, _, text = deqing_for_comparison(_population(scores=False, registered=False), YEARS)
    assert rules is None
    assert (
        "Deqing's shared savings are left out: its rules pay a family-physician fee per "
        "registered resident, and the population table gives no registrations for 2017, "
        "2018 and 2019"
    ) in text


def test_the_demo_comparison_has_deqing_and_names_the_assumption(tmp_path):
    # the example population without its quality scores, as a store gives it
    frame = pd.read_csv(EX / "population.csv").drop(columns=["quality_score"])
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.work_dir.mkdir(parents=True)
    ctx.artefacts["payment_population"] = frame
    sections = {s.id: s for s in payment_sections(ctx)}
    cmp = sections["payment-compare"]
    table = next(t for t in cmp.tables() if t.name == "comparison").table.to_frame()
    assert "Deqing CIHO" in table.index.get_level_values("regime")
    text = " ".join(b.text for b in cmp.blocks if hasattr(b, "text"))
    assert "assumes the standard was just met in 2017, 2018 and 2019 (a score of 60%" in text
    # the records settled for the report are untouched by the assumed score
    recs = ctx.artefacts["payment_records"]
    assert all(r.inputs.county.quality_score is None for r in recs.values())


def test_the_assumed_score_is_the_rule_files_standard():
    # if the rule file's standard changes, the assumption follows it
    rule = load_rules("deqing-shared-savings")
    assert rule.shared_savings.quality.standard == Decimal("0.6")
    assert not rule.shared_savings.quality.sliding_scale
