"""The indicators step's capacity section: seed 004's Table 2 (twelve capacity and
finance indicators of the township health centres, with their average annual growth
beside the national rates) on the county, in English or Chinese (``ctx.lang``)."""

from __future__ import annotations

from pathlib import Path

from ihms.demo import _indicators_zh as zh
from ihms.demo._run import DemoContext
from ihms.indicators import CATALOGUE, growth_layout
from ihms.report import Section
from ihms.sources import JIA_2021

__all__ = ["capacity_section"]

COUNTY = "youxi"  # the county of examples/youxi.yaml the indicators step reads

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


def _unknown(results, indicators: list[str]) -> list[str]:
    """The indicators with no value for the county in any year (inputs not recorded)."""
    frame = results.select(indicators=indicators, units=[COUNTY])
    known = frame.groupby("indicator")["value"].apply(lambda v: v.notna().any())
    return [i for i in indicators if not known.get(i, False)]


def _groups_file(ctx: DemoContext) -> str | None:
    """The config file the simulation step read (``ctx.artefacts["sim_config_file"]``),
    shown relative to the working folder when inside it, else to the repository when it
    is its example; None when the step left none."""
    used = ctx.artefacts.get("sim_config_file")
    if used is None:
        return None
    path = Path(used)
    repository = Path(__file__).resolve().parents[3]  # where the bundled examples are
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    elif path.is_absolute() and path.is_relative_to(repository):
        # the repository's example run from elsewhere: not the build machine's path
        path = path.relative_to(repository)
    return path.as_posix()


def _groups_key(ctx: DemoContext) -> str:
    """Where the diagnosis groups are set: the config file the simulation step read
    (:func:`_groups_file`), else the simulation's config."""
    path = _groups_file(ctx)
    if path is None:
        return "illness.diagnosis_groups of the simulation's config"
    return f"illness.diagnosis_groups in {path}"


def _spectra_note(results, ctx: DemoContext) -> str:
    """Why a simulated county's disease spectra are left out: they count the model's
    diagnosis groups (a constant of its config), not diseases."""
    # (lowest, highest, 0 ambulatory care / 1 hospitalization), as shown: two values
    # that round alike are one (10.66 and 10.74 are not "10.7 to 10.7")
    spans = []
    for where, indicator in enumerate(DISEASE_SPECTRA):
        series = results.series(indicator, COUNTY).dropna()
        if not series.empty:
            spans.append((f"{series.min():.1f}", f"{series.max():.1f}", where))
    sim = ctx.artefacts.get("simulation")
    groups = getattr(
        getattr(getattr(sim, "config", None), "illness", None), "diagnosis_groups", None
    )
    count = len({g for by_group in (groups or {}).values() for g in by_group})
    if ctx.zh:
        return zh.spectra_note(spans, count, _groups_file(ctx), DEQING_AMBULATORY_SPECTRUM)
    values = []
    for low, high, where in spans:
        shown = f"{low} every year" if low == high else f"{low} to {high}"
        values.append(f"{shown} in {('ambulatory care', 'hospitalization')[where]}")
    model = f"its {count} stylised diagnosis groups" if count else "its stylised diagnosis groups"
    low, high = DEQING_AMBULATORY_SPECTRUM
    return (
        "Left out here: the disease spectra (distinct diagnosis groups per THC). The "
        f"simulator gives each episode one of {model} (ICD-10 chapters, "
        f"{_groups_key(ctx)}), so the spectra count those "
        f"groups{' (' + '; '.join(values) + ')' if values else ''}, not diseases, and cannot "
        f"be set beside {JIA_2021}'s (Deqing's THCs: {low} to {high} in ambulatory care, Table 2)."
    )


def capacity_section(
    ctx: DemoContext, by_county, label: str, *, synthetic: bool, scale: float
) -> Section:
    """Seed 004's Table 2 on the county: the THCs' capacity and its average growth;
    ``label`` names the data in the table's title, ``scale`` is a synthetic sample's
    share of the county's residents."""
    t2 = Section(
        "indicators-capacity",
        ctx.pick("Capacity of township health centres", "乡镇卫生院的服务能力"),
        mirrors=ctx.pick(f"{JIA_2021}, Table 2", f"{JIA_2021}，表2"),
    )
    t2.text(
        ctx.pick(
            f"{JIA_2021} judged Deqing's reform by twelve capacity and finance indicators of its "
            "township health centres, each with its average annual growth; for six of them "
            "the table also prints the national average growth (the right-hand column, from "
            f"{JIA_2021}; blank for the other six).",
            zh.CAPACITY,
        )
    )
    years = sorted(by_county.to_frame()["period"].astype(str).unique())
    notes = [
        f"Reference growth: national average growth rates printed in {JIA_2021}, Table 2 (National Healthcare Annual Statistics 2017-2019).",
        f"The growth here runs {years[0]}-{years[-1]}; {JIA_2021} set Deqing's 2016-2018 "
        "against the national rates, so they are a reference, not a like-for-like comparison.",
    ]
    if ctx.zh:
        notes = zh.capacity_notes(years[0], years[-1])
    rows = TABLE_2
    if synthetic:
        rows = [i for i in TABLE_2 if i not in SAMPLE_DEPENDENT]
        notes.append(
            ctx.pick(
                "Left out here: beds and revenue per THC and the disease spectra, which shrink "
                f"with the sample (its THCs have {scale:.0%} of the county's beds, staff "
                "and visits).",
                zh.sample_left_out(scale),
            )
        )
    else:
        rows = [i for i in TABLE_2 if i not in DISEASE_SPECTRA]
        notes.append(_spectra_note(by_county, ctx))
        notes.append(
            ctx.pick(
                "Total revenue per THC is what the simulated centre charged for the county's "
                "residents, its medical income: the simulator pays no government subsidy "
                "(财政补助), much of a real centre's revenue, so the figure is below a real "
                "centre's and grows only with its services.",
                zh.SIMULATED_CAPACITY,
            )
        )
    unknown = _unknown(by_county, rows)
    if unknown and ctx.zh:
        names = [CATALOGUE[i].name_zh for i in unknown]
        notes.append(zh.unknown_note(names, synthetic=synthetic))
    elif unknown:
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
            title=ctx.pick(
                f"{label}: THC capacity, with average annual growth",
                f"{label}：乡镇卫生院服务能力及年均增长率",
            ),
            notes=notes,
            lang=ctx.lang,
        ),
    )
    return t2
