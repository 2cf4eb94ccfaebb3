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
        "standard of 60%. The county's tables record no quality score. So the comparison "
        "assumes the standard was just met in 2017, 2018 and 2019 (a score of 60%, the "
        "standard itself). Any score at or above it settles the same; below it no savings "
        "would be shared."
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
    text = _all_text(cmp)
    # Deqing's family-physician fee from its rule file (session 24 review, item 17)
    assert "Deqing's CIHO pays family physicians 100.00 yuan per registered resident a year" in text
    # the settled years: 2017, the year the reform began, is the baseline
    assert "assumes the standard was just met in 2018 and 2019 (a score of 60%" in text
    # the records settled for the report are untouched by the assumed score
    recs = ctx.artefacts["payment_records"]
    assert all(r.inputs.county.quality_score is None for r in recs.values())


def test_the_assumed_score_is_the_rule_files_standard():
    # if the rule file's standard changes, the assumption follows it
    rule = load_rules("deqing-shared-savings")
    assert rule.shared_savings.quality.standard == Decimal("0.6")
    assert not rule.shared_savings.quality.sliding_scale


def _alike_tables(spent=(100, 100, 104, 100), private=()):
    """A county where Deqing's shared savings and the other-areas ratchet settle alike
    in some years, worked by hand (other-areas.yaml: budget = insured × last year's
    charged spending per head × 1.05, 50 % of a balance kept, no private reserve;
    deqing-shared-savings.yaml: benchmark = last year's total cost of care per head ×
    1.05, 50 % shared above the MSR — 2 % from 60,000 people —, cap 10 % of the
    benchmark). 100,000 insured every year, consortium care only:

    - 2016 100,000,000.00 yuan, 2017 100,000,000.00: budget = benchmark 105,000,000.00,
      savings 5,000,000.00 (4.76 % ≥ 2 %): both 2,500,000.00;
    - 2018 104,000,000.00: budget = benchmark 105,000,000.00, savings 1,000,000.00 =
      0.95 % < 2 %: Deqing shares nothing, the ratchet keeps 500,000.00;
    - 2019 100,000,000.00: budget = benchmark 1,040 × 1.05 × 100,000 = 109,200,000.00,
      savings 9,200,000.00 (8.42 %): both 4,600,000.00.

    Saving 5 % a year from 2017 (spending × 0.95, 0.95², 0.95³): 2017 95,000,000.00
    against 105,000,000.00, both 5,000,000.00; 2018 93,860,000.00 against
    99,750,000.00, both 2,945,000.00; 2019 85,737,500.00 against 98,553,000.00, both
    6,407,750.00 (cap 9,855,300.00).
    """
    from ihms.payment import SpendingTable

    million = 100_000_000  # fen
    frame = pd.DataFrame(
        {
            "year": [2016, 2017, 2018, 2019] + [2016 + i for i in range(len(private))],
            "setting": ["consortium"] * 4 + ["private"] * len(private),
            "institution_id": ["CH01"] * 4 + [f"P0{i}" for i in range(len(private))],
            "insurance_paid_fen": [m * million for m in spent] + list(private),
        }
    )
    spending = SpendingTable.from_frame(frame, source="spending.csv")
    population = PopulationTable.from_frame(
        pd.DataFrame(
            {
                "year": [2016, *YEARS],
                "insured_population": [100_000] * 4,
                "family_physician_registered": [20_000] * 4,
            }
        ),
        source="pop.csv",
    )
    return spending, population


def _alike_section(spent=(100, 100, 104, 100), private=()):
    from ihms.demo._payment_compare import compare_section
    from ihms.payment import IndicatorValues

    spending, population = _alike_tables(spent, private)
    section = compare_section(
        [load_rules("sanming"), load_rules("other-areas"), load_rules("fee-for-service")],
        spending=spending,
        population=population,
        indicators=IndicatorValues({}, source="none"),
        years=YEARS,
    )
    return section, _all_text(section)


def _all_text(section) -> str:
    """The section's paragraphs and the comparison table's notes, where the Deqing
    details went (session 24 review, item 9: short sentences, detail under the table)."""
    words = [b.text for b in section.blocks if hasattr(b, "text")]
    words += [n for t in section.tables() if t.name == "comparison" for n in t.table.notes]
    return " ".join(" ".join(words).split())


def test_the_report_says_when_deqing_settles_as_the_ratchet_does():
    section, text = _alike_section()
    assert (
        "Deqing's shared savings equal what the other-areas ratchet lets the consortium "
        "keep in 2017 and 2019 as observed and in 2017, 2018 and 2019 with the saving. Both "
        "rule files take last year's spending per insured resident grown 5% as the year's "
        "yardstick (the ratchet's budget, Deqing's benchmark). Both give the consortium 50% "
        "of what it spends below it (the ratchet's kept share, Deqing's sharing rate). So a "
        "year settles alike under both when its savings clear Deqing's minimum savings rate "
        "and its share of them stays under Deqing's cap."
    ) in text
    assert text.endswith(
        "They part in the other years. Below that rate (2018 as observed: savings 0.95% "
        "against 2%) Deqing shares nothing, while the ratchet still keeps 50% of the balance."
    )
    table = next(t for t in section.tables() if t.name == "comparison").table.to_frame()
    assert len(table) == 3 * 2 * 4  # the rows the sentence speaks of are in the table


def test_the_years_apart_are_said_apart_by_why():
    # spending 100, 100, 110 and 80 million yuan (otherwise as _alike_tables):
    # - 2017, both paths: savings 4.76 % / 9.52 %, alike (2.50 / 5.00 million yuan);
    # - 2018 as observed: 110,000,000.00 over the budget of 105,000,000.00: the ratchet's
    #   consortium bears 2,500,000.00 (the insurer pays 50 % up to 10 % of the budget),
    #   Deqing's one-sided rules charge nothing;
    # - 2018 with the saving: 110 × 0.9025 = 99,275,000.00 against 99,750,000.00, savings
    #   0.48 % < 2 %: Deqing shares nothing, the ratchet keeps 237,500.00;
    # - 2019: benchmark 115,500,000.00 against 80,000,000.00 (savings 30.7 %), and
    #   104,238,750.00 against 68,590,000.00 with the saving: 50 % of the savings is over
    #   the cap of 10 % of the benchmark (11,550,000.00 and 10,423,875.00)
    _, text = _alike_section((100, 100, 110, 80))
    assert (
        "Deqing's shared savings equal what the other-areas ratchet lets the consortium "
        "keep in 2017 as observed and in 2017 with the saving. Both rule files"
    ) in text
    assert text.endswith(
        "They part in the other years. Below that rate (2018 with the saving: savings "
        "0.48% against 2%) Deqing shares nothing, while the ratchet still keeps 50% of the "
        "balance. Deqing's cap of 10% of the benchmark binds (2019 as observed; 2019 with "
        "the saving). Spending over the yardstick (2018 as observed) is an overspend. The "
        "ratchet's consortium bears part of it; Deqing's one-sided rules leave it to the "
        "insurer."
    )


def test_years_a_few_thousand_yuan_apart_are_not_said_alike():
    # 100,000.00 yuan of private care every year (otherwise as _alike_tables), which
    # Deqing's total cost of care counts and the ratchet's charged spending does not.
    # 2017: benchmark 100,100,000.00 / 100,000 × 1.05 × 100,000 = 105,105,000.00 against
    # 100,100,000.00: Deqing shares 2,502,500.00, the ratchet keeps 2,500,000.00 of
    # 105,000,000.00 − 100,000,000.00; 2019 likewise 4,602,500.00 against 4,600,000.00.
    # Both show as 2.50 / 4.60 million yuan, but 2,500.00 yuan apart is not the fen
    # rounding of Deqing's benchmark (at most 100,000 × 0.5 fen × 50 % = 250.00 yuan).
    _, text = _alike_section(private=[10_000_000] * 4)
    assert "lets the consortium keep" not in text
    assert "yuan apart" not in text


def test_the_reason_is_given_only_where_the_yardsticks_are_the_same():
    # private care of 100,000.00 yuan in 2016 and 105,000.00 in 2017 only. 2017 as
    # observed: Deqing's benchmark 105,105,000.00 (total cost of care) against the
    # ratchet's budget 105,000,000.00 (charged spending) and 100,105,000.00 spent against
    # 100,000,000.00 charged: both 2,500,000.00, but not because the yardsticks are the
    # same; with the saving (private care stays as observed) 2017 likewise, 95,105,000.00
    # spent: both 5,000,000.00. 2019 (no private care in 2018): both 109,200,000.00, both
    # 4,600,000.00; with the saving both 98,553,000.00, both 6,407,750.00. With the saving
    # 2018: benchmark 95,105,000.00 × 1.05 = 99,860,250.00 against 93,860,000.00, Deqing
    # shares 3,000,125.00 and the ratchet keeps 2,945,000.00.
    _, text = _alike_section(private=[10_000_000, 10_500_000])
    assert (
        "Deqing's shared savings equal what the other-areas ratchet lets the consortium "
        "keep in 2017 and 2019 as observed and in 2017 and 2019 with the saving."
    ) in text
    assert "Both rule files take" not in text


def test_no_such_sentence_when_the_two_differ():
    # the example tables: Deqing's total cost of care counts private care, which the
    # ratchet's budget leaves to the insurer's reserve, so no year settles alike
    from ihms.demo._payment_compare import compare_section
    from ihms.payment import IndicatorValues, SpendingTable

    section = compare_section(
        [load_rules("sanming"), load_rules("other-areas"), load_rules("fee-for-service")],
        spending=SpendingTable.read(EX / "spending.csv"),
        population=PopulationTable.read(EX / "population.csv"),
        indicators=IndicatorValues({}, source="none"),
        years=YEARS,
    )
    text = _all_text(section)
    assert "lets the consortium keep" not in text and "They part" not in text
