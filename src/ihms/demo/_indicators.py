"""Demo step: the indicator catalogue for the Youxi county of ``examples/youxi.yaml``.

The data come from ``ctx.artefacts["store"]`` when an earlier step (the county
simulator) left a :class:`~ihms.data.Store` there. Until then the step builds a small
**synthetic** data set with :func:`ihms.data.synthetic.synthetic_dataset` (seeded by the
run's seed): random records with the right shape and no behaviour, so the tables show
how the indicators are laid out, not what happened in Youxi.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from ihms.data import Store
from ihms.data.synthetic import synthetic_dataset
from ihms.demo._indicator_counts import counts_table
from ihms.demo._indicator_growth import year_on_year
from ihms.demo._indicator_trend import with_trend
from ihms.demo._run import DemoContext
from ihms.demo._sim_regimes import regime_run_note
from ihms.indicators import CATALOGUE, compute, growth_layout, yearly_table
from ihms.report import Section
from ihms.sim.load import example_file
from ihms.sources import JIA_2021, ZHONG_2023
from ihms.summary import SummaryTable
from ihms.system import load_system

__all__ = ["indicators_sections"]

SAMPLE_SCALE = 0.05  # one synthetic resident per twenty inhabitants
COUNTY = "youxi"

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
TABLE_2 = [
    "thc_gps_per_10k",
    "thc_gp_specialist_ratio",
    "thc_nurse_doctor_ratio",
    "thc_beds_per_institution",
    "thc_average_length_of_stay",
    "thc_bed_occupancy_rate",
    "thc_disease_spectrum_ambulatory",
    "thc_disease_spectrum_inpatient",
    "thc_revenue_per_institution",
    "thc_consultation_fee_share",
    "thc_personnel_cost_share",
    "thc_income_per_physician",
]
# Indicators that grow with the sample's size: a THC's beds and revenue (the synthetic
# data scale staff and beds with the residents, so ratios per resident and occupancy
# stay the county's) and the distinct diagnoses it sees (fewer visits, fewer groups).
SAMPLE_DEPENDENT = (
    "thc_beds_per_institution",
    "thc_disease_spectrum_ambulatory",
    "thc_disease_spectrum_inpatient",
    "thc_revenue_per_institution",
)
DISEASE_SPECTRA = ("thc_disease_spectrum_ambulatory", "thc_disease_spectrum_inpatient")
# seed 004, Table 2: Deqing's THCs, disease spectrum in ambulatory care 2016-2018
DEQING_AMBULATORY_SPECTRUM = (62.2, 74.3)
# seed 004, Table 2, "National average growth rate" column (source: National Healthcare
# Annual Statistics 2017-2019), as fractions; blank cells are left out.
NATIONAL_GROWTH_SEED_004 = {
    "thc_gps_per_10k": 0.213,
    "thc_average_length_of_stay": 0.0,
    "thc_bed_occupancy_rate": -0.008,
    "thc_revenue_per_institution": 0.099,
    "thc_personnel_cost_share": 0.015,
    "thc_income_per_physician": 0.061,
}


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


def _unknown(results, indicators: list[str]) -> list[str]:
    """The indicators with no value for the county in any year (inputs not recorded)."""
    frame = results.select(indicators=indicators, units=[COUNTY])
    known = frame.groupby("indicator")["value"].apply(lambda v: v.notna().any())
    return [i for i in indicators if not known.get(i, False)]


def _table_2_seed_002(results, label: str, *, synthetic: bool) -> SummaryTable:
    """Staff and beds per 1,000 residents by year, each beside seed 002's figure."""
    computed = yearly_table(results, TABLE_2_SEED_002, unit=COUNTY).frame
    years = list(computed.columns)
    rows, index = [], []
    for indicator, row in zip(TABLE_2_SEED_002, computed.itertuples(index=False), strict=True):
        name = CATALOGUE[indicator].name_en
        index += [f"{name}, {label}", f"{name}, {ZHONG_2023}, Table 2"]
        published = PUBLISHED_SEED_002[indicator]
        rows += [list(row), [published.get(int(y), float("nan")) for y in years]]
    frame = pd.DataFrame(rows, index=pd.Index(index, name="indicator"), columns=years)
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


def _groups_key(ctx: DemoContext) -> str:
    """Where the diagnosis groups are set: the config file the simulation step read
    (``ctx.artefacts["sim_config_file"]``, shown relative to the working folder when
    inside it, else to the repository when it is its example), else the simulation's
    config."""
    used = ctx.artefacts.get("sim_config_file")
    if used is None:
        return "illness.diagnosis_groups of the simulation's config"
    path = Path(used)
    repository = Path(__file__).resolve().parents[3]  # where the bundled examples are
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    elif path.is_absolute() and path.is_relative_to(repository):
        # the repository's example run from elsewhere: not the build machine's path
        path = path.relative_to(repository)
    return f"illness.diagnosis_groups in {path.as_posix()}"


def _spectra_note(results, ctx: DemoContext) -> str:
    """Why a simulated county's disease spectra are left out: they count the model's
    diagnosis groups (a constant of its config), not diseases."""
    values = []
    for indicator, where in zip(
        DISEASE_SPECTRA, ("ambulatory care", "hospitalization"), strict=True
    ):
        series = results.series(indicator, COUNTY).dropna()
        if series.empty:
            continue
        low, high = series.min(), series.max()
        shown = f"{low:.1f} every year" if low == high else f"{low:.1f} to {high:.1f}"
        values.append(f"{shown} in {where}")
    sim = ctx.artefacts.get("simulation")
    groups = getattr(
        getattr(getattr(sim, "config", None), "illness", None), "diagnosis_groups", None
    )
    count = len({g for by_group in (groups or {}).values() for g in by_group})
    model = f"its {count} stylised diagnosis groups" if count else "its stylised diagnosis groups"
    low, high = DEQING_AMBULATORY_SPECTRUM
    return (
        "Left out here: the disease spectra (distinct diagnosis groups per THC). The "
        f"simulator gives each episode one of {model} (ICD-10 chapters, "
        f"{_groups_key(ctx)}), so the spectra count those "
        f"groups{' (' + '; '.join(values) + ')' if values else ''}, not diseases, and cannot "
        f"be set beside {JIA_2021}'s (Deqing's THCs: {low} to {high} in ambulatory care, Table 2)."
    )


def _figure_6(by_tier):
    """Seed 004, Figure 6 layout: cost per visit and per stay at THCs and CHs."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    panels = (
        ("cost_per_outpatient_visit", "Outpatient and emergency visit"),
        ("cost_per_hospitalization", "Hospitalization"),
    )
    for ax, (indicator, title) in zip(axes, panels, strict=True):
        for tier, label in (
            ("primary_centre", "Township health centres"),
            ("secondary", "County hospitals"),
        ):
            series = by_tier.series(indicator, tier)
            ax.plot(series.index, series.to_numpy(), marker="o", label=label)
        ax.set_title(title)
        ax.set_ylabel("yuan")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _cost_table(by_tier, label: str) -> SummaryTable:
    """The numbers :func:`_figure_6` draws, by level of care and year."""
    rows = {}
    for indicator, what in (
        ("cost_per_outpatient_visit", "per outpatient and emergency visit"),
        ("cost_per_hospitalization", "per hospitalization"),
    ):
        for tier, where in (("primary_centre", "THCs"), ("secondary", "county hospitals")):
            rows[f"Cost {what}, {where} (yuan)"] = by_tier.series(indicator, tier)
    frame = pd.DataFrame(rows).T
    frame.columns = [str(c) for c in frame.columns]
    frame.index.name = "indicator"
    return SummaryTable(
        frame,
        title=f"{label}: cost per visit and per stay by level of care (the figure's numbers)",
        digits=2,  # yuan to the fen
        notes=(
            "Total cost of the visits (or stays) at the level's institutions over their "
            "number, in the year (ihms indicators show cost_per_outpatient_visit, "
            "cost_per_hospitalization).",
        ),
    )


def cost_caveat(calibration) -> str:
    """A sentence for the cost section when the county hospitals' cost per stay jumps at
    the reform by more than Youxi's (the calibration's level change departs): that jump
    is the model's, and the section's figures must not read as a finding. Empty when it
    agrees or no calibration ran. Every number is read from ``calibration.frame``."""
    key = "ch_cost_per_stay_level_change"
    if calibration is None or key not in calibration.frame.index:
        return ""
    row = calibration.frame.loc[key]
    if bool(row["agrees"]):
        return ""
    return (
        f" The county hospitals' cost per stay jumps at the reform in the model: its ITS "
        f"level change is {float(row['simulated']):,.1f} yuan against Youxi's "
        f"{float(row['target']):,.1f} ({ZHONG_2023}, Table 3), "
        f"{float(row['ratio']):.1f} times as large. 'Calibration' names this a limit of the "
        "model, so the county hospitals' cost per stay after the reform is not a finding."
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
    label = "Youxi (synthetic)" if synthetic else "Youxi (simulated)"

    source = (
        f"The numbers below are computed from a SYNTHETIC data set: {SAMPLE_SCALE:.0%} of Youxi's "
        "residents drawn at random from examples/youxi.yaml, with encounters, follow-ups and "
        "costs at constant made-up rates. They show how ihms lays out each table and how "
        "the indicators are defined; they say nothing about Youxi. Counts are those of the "
        "sample (one resident per twenty inhabitants), and so are the staff and beds of its "
        "institutions; rates, shares and ratios per resident do not depend on the sample "
        "size."
        if synthetic
        else "The numbers below are computed from the data the county simulator wrote to the store."
    )
    intro = Section(
        "indicators",
        "Indicators: the catalogue on a Youxi-like county",
        mirrors="the indicator catalogue (ihms indicators list)",
    )
    intro.text(
        "ihms defines each indicator once, as data: a numerator and a denominator counted "
        "over the encounters, follow-ups, referrals and resources of a county, a factor and "
        "a unit, the periods and levels it can be broken down by, and the study table it "
        "comes from. The same definitions run on the embedded DuckDB store and on Spark."
    )
    intro.text(source)

    t2_002 = Section(
        "indicators-table2", "Staff and beds per 1,000 residents", mirrors=f"{ZHONG_2023}, Table 2"
    )
    t2_002.text(
        f"{ZHONG_2023} describes Youxi's capacity by its practising physicians, registered nurses "
        "and beds per 1,000 residents. ihms counts them in the county's own institutions at "
        "year end — the county hospitals and township health centres, and the village "
        "clinics and the CDC, which have no curative beds and whose village doctors and "
        "public-health staff are not counted among the physicians and nurses — and divides "
        "by the residents on the year's last day, as the yearbook divides its resource "
        "ratios by the year-end population. The hospitals outside the county that Youxi's "
        "residents use count for their own county, not Youxi's."
    )
    if not synthetic:
        t2_002.text(
            "In the simulated county these ratios are inputs of the simulation, not a check "
            f"of it: its staff and beds are the Table 2 totals of {ZHONG_2023} divided among Youxi's "
            "institutions, so the table shows that ihms counts them back as the study did."
        )
    t2_002.table("indicators_table2", _table_2_seed_002(by_county, label, synthetic=synthetic))

    t4 = Section(
        "indicators-table4",
        "Hospitalization and outpatient contacts",
        mirrors=f"{ZHONG_2023}, Table 4",
    )
    t4.text(
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
        f"share of them: a resident admitted twice counts twice ({ZHONG_2023} prints it as %)."
    )
    t4.table(
        "indicators_table4",
        with_trend(
            yearly_table(
                by_county,
                TABLE_4,
                unit=COUNTY,
                scale={"outpatient_contacts": 1e4},
                title=f"{label}: hospitalization rate and outpatient contacts",
            ),
            by_county,
            TABLE_4,
            unit=COUNTY,
            counts=["outpatient_contacts"],
            notes=regime_run_note(
                ctx.artefacts.get("regime_comparison"), ctx.artefacts.get("simulation")
            ),
        ),
    )
    t4.table(
        "indicators_table4_counts",
        counts_table(
            by_county, TABLE_4, unit=COUNTY, title=f"{label}: numerators and denominators"
        ),
        folded=True,
    )
    t4.text(
        "Year on year (比上年), as a health commission's bulletin reads the same rows: the "
        "visits and the hospitalization rate grow by a percentage, the shares move by "
        "percentage points — a share going from 50 % to 60 % has risen by 10 points, not "
        "by 20 % (ihms growth --yoy)."
    )
    t4.table("indicators_table4_yoy", year_on_year(by_county, TABLE_4, label, county=COUNTY))

    t5 = Section(
        "indicators-table5",
        "Hypertension and diabetes management",
        mirrors=f"{ZHONG_2023}, Table 5",
    )
    t5.text(
        "Management and control follow the definitions a health commission reports: a "
        "resident with hypertension or diabetes in the register and at least one follow-up "
        "in the year is under management; four or more follow-ups make it standardized "
        "management; control is judged on the last measurement of the year, as WHO HEARTS "
        "does: blood pressure below 140/90 mmHg, fasting glucose below 7.0 mmol/L."
    )
    t5.table(
        "indicators_table5",
        with_trend(
            yearly_table(
                by_county, TABLE_5, unit=COUNTY, title=f"{label}: chronic-disease management (%)"
            ),
            by_county,
            TABLE_5,
            unit=COUNTY,
        ),
    )
    t5.table(
        "indicators_table5_counts",
        counts_table(
            by_county, TABLE_5, unit=COUNTY, title=f"{label}: numerators and denominators"
        ),
        folded=True,
    )

    t2 = Section(
        "indicators-capacity", "Capacity of township health centres", mirrors=f"{JIA_2021}, Table 2"
    )
    t2.text(
        f"{JIA_2021} judged Deqing's reform by twelve capacity and finance indicators of its "
        "township health centres, each with its average annual growth; for six of them "
        "the table also prints the national average growth (the right-hand column, from "
        f"{JIA_2021}; blank for the other six)."
    )
    years = sorted(by_county.to_frame()["period"].astype(str).unique())
    notes = [
        f"Reference growth: national average growth rates printed in {JIA_2021}, Table 2 (National Healthcare Annual Statistics 2017-2019).",
        f"The growth here runs {years[0]}-{years[-1]}; {JIA_2021} set Deqing's 2016-2018 "
        "against the national rates, so they are a reference, not a like-for-like comparison.",
    ]
    rows = TABLE_2
    if synthetic:
        rows = [i for i in TABLE_2 if i not in SAMPLE_DEPENDENT]
        notes.append(
            "Left out here: beds and revenue per THC and the disease spectra, which shrink "
            f"with the sample (its THCs have {SAMPLE_SCALE:.0%} of the county's beds, staff "
            "and visits)."
        )
    else:
        rows = [i for i in TABLE_2 if i not in DISEASE_SPECTRA]
        notes.append(_spectra_note(by_county, ctx))
        notes.append(
            "Total revenue per THC is what the simulated centre charged for the county's "
            "residents, its medical income: the simulator pays no government subsidy "
            "(财政补助), much of a real centre's revenue, so the figure is below a real "
            "centre's and grows only with its services."
        )
    unknown = _unknown(by_county, rows)
    if unknown:
        why = (
            "the data record none of their inputs"
            if synthetic
            else "the simulator records each centre's revenue, medical income and personnel "
            "cost, not the consultation fees within that income nor its total expense"
        )
        notes.append(
            f"Not available from the {'data' if synthetic else 'simulation'}: "
            f"{'; '.join(CATALOGUE[i].name_en for i in unknown)} ({why}); shown as missing, "
            "not as 0."
        )
    t2.table(
        "indicators_capacity",
        growth_layout(
            by_county,
            rows,
            unit=COUNTY,
            reference=NATIONAL_GROWTH_SEED_004,
            title=f"{label}: THC capacity, with average annual growth",
            notes=notes,
        ),
    )

    f6 = Section(
        "indicators-cost",
        "Cost per visit and per stay by level of care",
        mirrors=f"{JIA_2021}, Figure 6",
    )
    f6.text(
        f"{JIA_2021} followed costs separately at the two levels of the county organisation: "
        "township health centres and county hospitals, outpatient and inpatient."
        + cost_caveat(ctx.artefacts.get("calibration"))
    )
    f6.figure(
        "indicators_cost_by_level",
        _figure_6(by_tier),
        caption="Cost per outpatient visit and per hospitalization (yuan), THCs and county "
        f"hospitals, {label.split(' ')[1].strip('()')} data.",
    )
    f6.table("indicators_cost_by_level", _cost_table(by_tier, label))
    return [intro, t2_002, t4, t5, t2, f6]
