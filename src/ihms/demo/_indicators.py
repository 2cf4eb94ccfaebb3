"""Demo step: the indicator catalogue for the Youxi county of ``examples/youxi.yaml``.

The data come from ``ctx.artefacts["store"]`` when an earlier step (the county
simulator) left a :class:`~ihms.data.Store` there. Until then the step builds a small
**synthetic** data set with :func:`ihms.data.synthetic.synthetic_dataset` (seeded by the
run's seed): random records with the right shape and no behaviour, so the tables show
how the indicators are laid out, not what happened in Youxi.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ihms.data import Store
from ihms.data.synthetic import synthetic_dataset
from ihms.demo import _indicators_zh as zh

# _groups_key: read here by the tests of the capacity section's notes
from ihms.demo._indicator_capacity import COUNTY, capacity_section
from ihms.demo._indicator_capacity import _groups_key as _groups_key

# _cost_table and cost_caveat: read here by the tests of the cost section
from ihms.demo._indicator_cost import _cost_table as _cost_table
from ihms.demo._indicator_cost import cost_caveat as cost_caveat
from ihms.demo._indicator_cost import cost_section
from ihms.demo._indicator_counts import counts_table
from ihms.demo._indicator_growth import year_on_year
from ihms.demo._indicator_trend import with_trend
from ihms.demo._run import DemoContext
from ihms.demo._sim_regimes import regime_run_note
from ihms.indicators import CATALOGUE, compute, yearly_table
from ihms.report import Section
from ihms.sim.load import example_file
from ihms.sources import ZHONG_2023
from ihms.summary import SummaryTable
from ihms.system import load_system

__all__ = ["indicators_sections"]

SAMPLE_SCALE = 0.05  # one synthetic resident per twenty inhabitants

TABLE_2_SEED_002 = ["physicians_per_1000", "nurses_per_1000", "beds_per_1000"]
# seed 002, Table 2: Youxi's practising physicians, registered nurses and hospital beds
# per 1,000 residents, 2016-2019, as printed.
PUBLISHED_SEED_002 = {
    "physicians_per_1000": {2016: 1.54, 2017: 1.73, 2018: 2.25, 2019: 2.34},
    "nurses_per_1000": {2016: 1.83, 2017: 2.01, 2018: 2.32, 2019: 2.63},
    "beds_per_1000": {2016: 4.16, 2017: 4.42, 2018: 4.53, 2019: 4.80},
}
# seed 002's Table 4 visits are the county's 诊疗人次, every outpatient contact
TABLE_4 = [
    "hospitalization_rate",
    "outpatient_contacts",
    "outpatient_contacts_primary_share",
]
TABLE_5 = [
    "hypertension_management_rate",
    "hypertension_control_rate",
    "diabetes_management_rate",
    "diabetes_control_rate",
]


def _youxi_file() -> Path:
    return example_file("youxi.yaml")


def _store(ctx: DemoContext) -> tuple[Store, bool]:
    given = ctx.artefacts.get("store")
    if given is not None:
        return given, False
    system = load_system(_youxi_file())
    # Valid by construction (the generator's tests validate it); skipping the check
    # keeps the demo fast.
    dataset = synthetic_dataset(system, seed=ctx.seed, scale=SAMPLE_SCALE, validate=False)
    store = Store(ctx.fresh_file("indicators.duckdb"))
    store.write(dataset)
    return store, True


def _table_2_seed_002(results, label: str, *, synthetic: bool, lang: str = "en") -> SummaryTable:
    """Staff and beds per 1,000 residents by year, each beside seed 002's figure."""
    computed = yearly_table(results, TABLE_2_SEED_002, unit=COUNTY).frame
    years = list(computed.columns)
    rows, index = [], []
    zh_ = lang == "zh"
    for indicator, row in zip(TABLE_2_SEED_002, computed.itertuples(index=False), strict=True):
        if zh_:
            name = CATALOGUE[indicator].name_zh
            index += [f"{name}，{label}", f"{name}，{ZHONG_2023}，表2"]
        else:
            name = CATALOGUE[indicator].name_en
            index += [f"{name}, {label}", f"{name}, {ZHONG_2023}, Table 2"]
        published = PUBLISHED_SEED_002[indicator]
        rows += [list(row), [published.get(int(y), float("nan")) for y in years]]
    index_name = "指标" if zh_ else "indicator"
    frame = pd.DataFrame(rows, index=pd.Index(index, name=index_name), columns=years)
    if zh_:
        title = f"{label}：每千人口卫生人员和床位数"
        return SummaryTable(
            frame, title=title, notes=zh.table_2_notes(synthetic=synthetic), digits=2, lang=lang
        )
    notes = [
        "Year-end head counts and beds of the county's own institutions over the residents "
        "present on the year's last day.",
        f"examples/youxi.yaml divides {ZHONG_2023}'s totals among Youxi's institutions, so "
        + (
            "a sample at another size has the same ratios up to whole head counts."
            if synthetic
            else "these are inputs of the simulation, not a check of it: the simulated county "
            "keeps the file's staff and beds (scaled with its population), and the rows "
            "read them back up to its register's year-end count."
        ),
    ]
    return SummaryTable(
        frame, title=f"{label}: staff and beds per 1,000 residents", notes=tuple(notes), digits=2
    )


def indicators_sections(ctx: DemoContext) -> list[Section]:
    store, synthetic = _store(ctx)
    try:
        by_county = compute(store, level="county", period="year")
        by_tier = compute(
            store,
            indicators=["cost_per_outpatient_visit", "cost_per_hospitalization"],
            level="tier",
            period="year",
        )
    finally:
        if synthetic:
            store.close()
    ctx.artefacts["indicator_results"] = by_county
    lang = ctx.lang
    label = ctx.pick(
        "Youxi (synthetic)" if synthetic else "Youxi (simulated)", zh.label(synthetic=synthetic)
    )

    source = ctx.pick(
        f"The numbers below are computed from a SYNTHETIC data set: {SAMPLE_SCALE:.0%} of Youxi's "
        "residents drawn at random from examples/youxi.yaml, with encounters, follow-ups and "
        "costs at constant made-up rates. They show how ihms lays out each table and how "
        "the indicators are defined; they say nothing about Youxi. Counts are those of the "
        "sample (one resident per twenty inhabitants), and so are the staff and beds of its "
        "institutions; rates, shares and ratios per resident do not depend on the sample "
        "size.",
        zh.source_synthetic(SAMPLE_SCALE),
    )
    if not synthetic:
        source = ctx.pick(
            "The numbers below are computed from the data the county simulator wrote to the store.",
            zh.SOURCE_SIMULATED,
        )
    intro = Section(
        "indicators",
        ctx.pick(
            "Indicators: the catalogue on a Youxi-like county", "指标：将指标目录用于一个类尤溪县"
        ),
        mirrors=ctx.pick(
            "the indicator catalogue (ihms indicators list)",
            "指标目录（`ihms indicators list --lang zh`）",
        ),
    )
    intro.text(
        ctx.pick(
            "ihms defines each indicator once, as data: a numerator and a denominator counted "
            "over the encounters, follow-ups, referrals and resources of a county, a factor and "
            "a unit, the periods and levels it can be broken down by, and the study table it "
            "comes from. The same definitions run on the embedded DuckDB store and on Spark.",
            zh.INTRO,
        )
    )
    intro.text(source)

    t2_002 = Section(
        "indicators-table2",
        ctx.pick("Staff and beds per 1,000 residents", "每千人口卫生人员和床位数"),
        mirrors=ctx.pick(f"{ZHONG_2023}, Table 2", f"{ZHONG_2023}，表2"),
    )
    t2_002.text(
        ctx.pick(
            f"{ZHONG_2023} describes Youxi's capacity by its practising physicians, registered nurses "
            "and beds per 1,000 residents. ihms counts them in the county's own institutions at "
            "year end — the county hospitals and township health centres, and the village "
            "clinics and the CDC, which have no curative beds and whose village doctors and "
            "public-health staff are not counted among the physicians and nurses — and divides "
            "by the residents on the year's last day, as the yearbook divides its resource "
            "ratios by the year-end population. The hospitals outside the county that Youxi's "
            "residents use count for their own county, not Youxi's.",
            zh.TABLE_2,
        )
    )
    if not synthetic:
        t2_002.text(
            ctx.pick(
                "In the simulated county these ratios are inputs of the simulation, not a check "
                f"of it: its staff and beds are the Table 2 totals of {ZHONG_2023} divided among Youxi's "
                "institutions, so the table shows that ihms counts them back as the study did.",
                zh.SIMULATED_TABLE_2,
            )
        )
    t2_002.table(
        "indicators_table2", _table_2_seed_002(by_county, label, synthetic=synthetic, lang=lang)
    )

    t4 = Section(
        "indicators-table4",
        ctx.pick("Hospitalization and outpatient contacts", "住院率和诊疗人次"),
        mirrors=ctx.pick(f"{ZHONG_2023}, Table 4", f"{ZHONG_2023}，表4"),
    )
    t4.text(
        ctx.pick(
            f"{ZHONG_2023} reads the reform's effect on care from its \"healthcare outpatient "
            "visits\", by their arithmetic the county's 诊疗人次 — every outpatient contact: "
            "outpatient and emergency visits, chronic-disease follow-ups and health "
            "examinations — how many there are, and what share is made in primary care. The "
            "hospitalization rate counts every admission of a county resident, "
            "inside the county or outside, over the year's average population: the mean of the "
            "residents present at its start and at its end, as China's health statistics "
            "yearbook computes the annual hospitalization rate (居民年住院率), the definition "
            f"an analyst comparing these rates with the yearbook, or with {ZHONG_2023}'s 17.0 "
            "(2016) and 16.3 (2019), will expect. It is admissions per 100 residents, not a "
            f"share of them: a resident admitted twice counts twice ({ZHONG_2023} prints it as %).",
            zh.TABLE_4,
        )
    )
    counts_title = ctx.pick(f"{label}: numerators and denominators", f"{label}：分子和分母")
    t4.table(
        "indicators_table4",
        with_trend(
            yearly_table(
                by_county,
                TABLE_4,
                unit=COUNTY,
                scale={"outpatient_contacts": 1e4},
                title=ctx.pick(
                    f"{label}: hospitalization rate and outpatient contacts",
                    f"{label}：住院率和诊疗人次",
                ),
                lang=lang,
            ),
            by_county,
            TABLE_4,
            unit=COUNTY,
            counts=["outpatient_contacts"],
            notes=regime_run_note(
                ctx.artefacts.get("regime_comparison"), ctx.artefacts.get("simulation"), lang=lang
            ),
            lang=lang,
        ),
    )
    t4.table(
        "indicators_table4_counts",
        counts_table(by_county, TABLE_4, unit=COUNTY, title=counts_title, lang=lang),
        folded=True,
    )
    t4.text(
        ctx.pick(
            "Year on year (比上年), as a health commission's bulletin reads the same rows: the "
            "visits and the hospitalization rate grow by a percentage, the shares move by "
            "percentage points — a share going from 50 % to 60 % has risen by 10 points, not "
            "by 20 % (ihms growth --yoy).",
            zh.YEAR_ON_YEAR,
        )
    )
    t4.table(
        "indicators_table4_yoy",
        year_on_year(by_county, TABLE_4, label, county=COUNTY, lang=lang),
    )

    t5 = Section(
        "indicators-table5",
        ctx.pick("Hypertension and diabetes management", "高血压和糖尿病患者管理"),
        mirrors=ctx.pick(f"{ZHONG_2023}, Table 5", f"{ZHONG_2023}，表5"),
    )
    t5.text(
        ctx.pick(
            "Management and control follow the definitions a health commission reports: a "
            "resident with hypertension or diabetes in the register and at least one follow-up "
            "in the year is under management; four or more follow-ups make it standardized "
            "management; control is judged on the last measurement of the year, as WHO HEARTS "
            "does: blood pressure below 140/90 mmHg, fasting glucose below 7.0 mmol/L.",
            zh.TABLE_5,
        )
    )
    t5.table(
        "indicators_table5",
        with_trend(
            yearly_table(
                by_county,
                TABLE_5,
                unit=COUNTY,
                title=ctx.pick(
                    f"{label}: chronic-disease management (%)", f"{label}：慢性病患者管理（%）"
                ),
                lang=lang,
            ),
            by_county,
            TABLE_5,
            unit=COUNTY,
            lang=lang,
        ),
    )
    t5.table(
        "indicators_table5_counts",
        counts_table(by_county, TABLE_5, unit=COUNTY, title=counts_title, lang=lang),
        folded=True,
    )
    t2 = capacity_section(ctx, by_county, label, synthetic=synthetic, scale=SAMPLE_SCALE)
    f6 = cost_section(ctx, by_tier, label, synthetic=synthetic)
    return [intro, t2_002, t4, t5, t2, f6]
