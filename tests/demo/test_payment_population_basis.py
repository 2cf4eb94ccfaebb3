"""The report says why Sanming's budget is set on the insured residents while seed 002
words it on the county's total population, and what the difference comes to (review of
the demo report, session 18, finding 2: the budget used 349,129 insured residents).

Seed 002 ("The payment policies for IHC in IMPM"): "the GB of IMPM is based on the
county's total population multiplied by the annual fixed insurance premium"; Table 1:
"How to set GB? According to population".

Golden figures by hand from the rule file (sanming.yaml: the premium is the national
minimum financing of resident medical insurance, 710 yuan in 2018, subsidy 490 +
individual 220, Xinhua 25 July 2018, and 770 yuan in 2019, 520 + 250, Xinhua 13 May 2019
for the subsidy; 3 % and 5 % reserved): each resident more adds the premium less 8 %,
within a fen of rounding for each of the two reserves.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ihms.demo._payment import payment_sections
from ihms.demo._run import DemoContext
from ihms.payment.money import million_yuan

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
PREMIUM_FEN = {2018: 71_000, 2019: 77_000}  # 490 + 220, 520 + 250 yuan


def test_the_rules_section_says_why_insured_and_what_the_total_would_add(tmp_path):
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.work_dir.mkdir(parents=True)
    sections = {s.id: s for s in payment_sections(ctx)}
    text = " ".join(
        " ".join(b.text.split()) for b in sections["payment-rules"].blocks if hasattr(b, "text")
    )
    assert "the county's total population multiplied by the annual fixed insurance premium" in text
    assert "ihms counts the insured residents" in text
    pop = pd.read_csv(EX / "population.csv").set_index("year")
    records = ctx.artefacts["payment_records"]
    for year, rec in records.items():
        extra = int(pop.loc[year, "resident_population"] - pop.loc[year, "insured_population"])
        assert rec.inputs.county.insured_population == pop.loc[year, "insured_population"]
        more = extra * PREMIUM_FEN[year] * 92 // 100
        shown = f"{million_yuan(more):,} million yuan in {year}"
        assert shown in text, (shown, text)
    year = max(records)
    residents, insured = pop.loc[year, ["resident_population", "insured_population"]]
    assert f"{insured:,} of its {residents:,} residents were insured in {year}" in text
    # the rule key that follows the seed's wording is named, with the column it reads
    assert "budget: population: residents" in text
    assert "resident_population" in text
    # and each year's budget working names the population it used
    working = records[year].budget.steps[0]
    assert working.label == "insured population (budget.population: insured)"
