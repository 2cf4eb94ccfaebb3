"""Demo step, payment part: which population Sanming's budget is set on, and why.

Seed 002 words the budget as "the county's total population multiplied by the annual
fixed insurance premium". The built-in Sanming rules multiply the premium by the insured
residents (``budget.population: insured``): the premium is what each insured resident's
contribution and government subsidy bring into the insurance fund, the budget is that
fund less the insurer's reserves, and the consortium pays for insured residents' care
only, so a budget over every resident would hand out money the fund never pooled. They
stay so because the simulator's own population table (``ihms.sim.funding``, which
``sim run`` and ``sim compare`` settle on) gives no resident population. A rule file may
follow the seed's wording with ``budget.population: residents``. The report says so and,
where the county's resident population is known, what counting every resident would have
added to each year's budget (worked with :func:`ihms.payment.global_budget` under the same
rules with ``population="residents"``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from ihms._listing import in_words
from ihms.demo._payment_text import million
from ihms.demo._payment_text_zh import in_words_zh
from ihms.payment import PaymentRules, PopulationTable, SettlementRecord, global_budget
from ihms.sources import ZHONG_2023

__all__ = ["SEED_WORDS", "basis_text", "residents_by_year"]

#: Seed 002, "The payment policies for IHC in IMPM".
SEED_WORDS = "the county's total population multiplied by the annual fixed insurance premium"
#: :data:`SEED_WORDS` in Chinese.
SEED_WORDS_ZH = "县域总人口乘以年度固定人均筹资"


def residents_by_year(population: PopulationTable, simulation) -> dict[int, int]:
    """The county's residents by year: the population table's ``resident_population``
    (a simulated store's, the examples' table) where it gives them; else the simulated
    county's (mean over the year's months, rounded half up, as the store counts them) when
    ``simulation`` has its accounts; else none."""
    given = {
        y: row.resident_population
        for y, row in population.rows.items()
        if row.resident_population is not None
    }
    if given:
        return given
    return {
        a.year: int(Decimal(str(a.population)).quantize(Decimal(1), ROUND_HALF_UP))
        for a in getattr(simulation, "accounts", None) or ()
    }


def basis_text(
    rules: PaymentRules,
    records: Mapping[int, SettlementRecord],
    residents: Mapping[int, int],
    *,
    lang: str = "en",
) -> str:
    """The sentences saying which population the budget is set on and why, and what
    every resident would have added to each settled year's budget (``lang="zh"``: in
    Chinese)."""
    zh = lang == "zh"
    text = (
        f"{ZHONG_2023} 将三明的总额预算表述为“{SEED_WORDS_ZH}”。ihms 改按参保人数计算"
        "（`budget.population: insured`，即各年度总额预算计算过程的第一行）：人均筹资是每名参保"
        "居民的个人缴费和财政补助进入医保基金的金额，总额预算是该基金扣除医保部门各项预留后的"
        "部分，而医共体只支付参保居民的医疗费用，因此按全体居民核定预算，就会分出医保基金从未"
        "筹集到的资金。按常住人口核定人均筹资的县，可在规则文件中写 "
        "`budget: population: residents`，并在人口表的 `resident_population` 列给出县域常住人口。"
        if zh
        else f"{ZHONG_2023} words Sanming's budget as “{SEED_WORDS}”. ihms counts the insured "
        "residents instead (budget.population: insured, the first row of each year's "
        "budget working): the premium is what each insured "
        "resident's contribution and government subsidy bring into the insurance fund, the "
        "budget is that fund less the insurer's reserves, and the consortium pays only for "
        "insured residents' care, so a budget over every resident would hand out money the "
        "fund never pooled. A county whose premium is set per resident writes "
        "budget: population: residents in its rule file, and gives the county's residents "
        "in the population table's resident_population column."
    )
    years = [
        y
        for y in sorted(records)
        if y in residents
        and records[y].budget is not None
        and residents[y] >= records[y].inputs.county.insured_population
    ]
    if not years or rules.budget is None or rules.budget.method != "population":
        return text
    on_residents = dataclasses.replace(rules.budget, population="residents")
    more = {}
    for y in years:
        rec = records[y]
        county = dataclasses.replace(rec.inputs.county, resident_population=residents[y])
        whole = global_budget(on_residents, county=county)
        more[y] = whole.global_budget_fen - rec.budget.global_budget_fen
    last = years[-1]
    insured, everyone = records[last].inputs.county.insured_population, residents[last]
    share = Decimal(insured * 100) / Decimal(everyone)
    added = in_words([f"{million(fen)} in {y}" for y, fen in more.items()])
    shown = share.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if zh:
        added = in_words_zh([f"{y} 年 {million(fen, lang='zh')}" for y, fen in more.items()])
        return text + (
            f"本县 {last} 年 {everyone:,} 名常住居民中有 {insured:,} 人参保（{shown} %）；若按"
            f"全体常住居民核定，总额预算将分别增加：{added}。"
            if all(fen > 0 for fen in more.values())
            else ""
        )
    return text + (
        f" In this county {insured:,} of its {everyone:,} residents were insured in {last} "
        f"({shown} %); a budget over every resident "
        f"would have been higher by {added}."
        if all(fen > 0 for fen in more.values())
        else ""
    )
