"""Write the illustrative Youxi-like payment example (spending, population, indicators,
staff, and the monthly spending `payment track --spending` reads). The numbers are invented for the project, shaped to be plausible for a county of
about 360,000 people (seed 002 Table 2) whose residents' insurance-paid spending is about
200 million yuan a year; they are not Youxi's accounts. Run from the repository root:

    .venv/bin/python examples/payment/generate.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
rng = np.random.default_rng(20171001)

YEARS = [2016, 2017, 2018, 2019]
RESIDENTS = {2016: 358_000, 2017: 361_000, 2018: 362_000, 2019: 363_000}  # seed 002 Table 2
COVERAGE = 0.96
# Insurance-paid spending, million yuan: county hospitals, primary care, outside the county,
# private hospitals. Outside-county care falls after the reform; primary care grows.
PLAN = {
    2016: (112.0, 38.0, 52.0, 6.0),
    2017: (116.0, 44.0, 50.0, 6.3),
    2018: (117.0, 53.0, 42.0, 6.5),
    2019: (119.0, 61.0, 39.0, 6.8),
}
CH_SPLIT = {"CH01": 0.70, "CH02": 0.20, "CH03": 0.10}
REIMBURSED = {"CH": 0.60, "THC": 0.75, "VC": 0.80, "OUT": 0.50, "PRIV": 0.55}
PAID_PER_ENCOUNTER = {"CH": 420.0, "THC": 95.0, "VC": 35.0, "OUT": 2600.0, "PRIV": 380.0}


def thcs(year: int) -> list[str]:
    n = 18 if year <= 2017 else 23  # seed 002 Table 2: 18 THCs, 23 from 2018
    return [f"THC{i:02d}" for i in range(1, n + 1)]


def row(year, setting, inst, paid_yuan, kind, primary=False):
    paid = round(paid_yuan * 100)
    total = round(paid / REIMBURSED[kind])
    return {
        "year": year,
        "setting": setting,
        "institution_id": inst,
        "insurance_paid_fen": paid,
        "total_cost_fen": total,
        "out_of_pocket_fen": total - paid,
        "encounters": round(paid_yuan / PAID_PER_ENCOUNTER[kind]),
        "primary_care": "true" if primary else "false",
    }


def spending() -> pd.DataFrame:
    rows = []
    thc_weights = rng.dirichlet(np.full(23, 6.0))
    for y in YEARS:
        ch, pc, out, priv = PLAN[y]
        for inst, share in CH_SPLIT.items():
            rows.append(
                row(y, "consortium", inst, ch * 1e6 * share * rng.uniform(0.98, 1.02), "CH")
            )
        names = thcs(y)
        w = thc_weights[: len(names)] / thc_weights[: len(names)].sum()
        for inst, share in zip(names, w, strict=True):
            rows.append(row(y, "consortium", inst, pc * 1e6 * 0.85 * share, "THC", primary=True))
        rows.append(row(y, "consortium", "VC-ALL", pc * 1e6 * 0.15, "VC", primary=True))
        rows.append(row(y, "outside_county", "OUT-FUZHOU", out * 1e6 * 0.72, "OUT"))
        rows.append(row(y, "outside_county", "OUT-OTHER", out * 1e6 * 0.28, "OUT"))
        rows.append(row(y, "private", "PRIV01", priv * 1e6 * 0.6, "PRIV"))
        rows.append(row(y, "private", "PRIV02", priv * 1e6 * 0.4, "PRIV"))
    return pd.DataFrame(rows)


def population() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": YEARS,
            "resident_population": [RESIDENTS[y] for y in YEARS],
            "insured_population": [int(RESIDENTS[y] * COVERAGE) for y in YEARS],
            "family_physician_registered": [86_000, 118_000, 151_000, 172_000],
            "quality_score": ["0.70", "0.73", "0.77", "0.80"],
        }
    )


# Consortium indicators 2017-2019 from Zhong et al. 2023 Table 5 (control rates, the
# health promotion indicators of the directors' card) and Table 4 (primary-care share of
# healthcare outpatient visits, the county's outpatient contacts); staff values are
# illustrative.
CONSORTIUM = {
    "hypertension_control_rate": {2017: "0.658", 2018: "0.718", 2019: "0.684"},
    "diabetes_control_rate": {2017: "0.650", 2018: "0.659", 2019: "0.725"},
    "outpatient_contacts_primary_share": {2017: "0.630", 2018: "0.608", 2019: "0.692"},
}
STAFF = [
    ("D-CH01", "director", "CH01", 380_000),
    ("D-CH02", "director", "CH02", 300_000),
    ("D-CH03", "director", "CH03", 280_000),
    ("D-THC01", "director", "THC01", 160_000),
    ("D-THC07", "director", "THC07", 150_000),
    ("DR-CH01-A", "doctor", "CH01", 210_000),
    ("DR-CH01-B", "doctor", "CH01", 190_000),
    ("DR-CH02-A", "doctor", "CH02", 180_000),
    ("DR-THC01-A", "doctor", "THC01", 110_000),
    ("DR-THC03-A", "doctor", "THC03", 105_000),
    ("DR-THC07-A", "doctor", "THC07", 100_000),
    ("DR-THC12-A", "doctor", "THC12", 100_000),
]


def indicators() -> pd.DataFrame:
    rows = []
    for y in (2017, 2018, 2019):
        for ind, by_year in CONSORTIUM.items():
            rows.append({"year": y, "subject": "consortium", "indicator": ind, "value": by_year[y]})
        for sid, role, _inst, _base in STAFF:
            if role == "director":
                for ind, by_year in CONSORTIUM.items():
                    v = float(by_year[y]) + rng.normal(0, 0.03)
                    rows.append(
                        {
                            "year": y,
                            "subject": sid,
                            "indicator": ind,
                            "value": f"{min(v, 0.99):.3f}",
                        }
                    )
            else:
                lift = (y - 2017) * 0.05
                rows.append(
                    {
                        "year": y,
                        "subject": sid,
                        "indicator": "health_education_sessions",
                        "value": str(int(rng.integers(8, 20) + 4 * (y - 2017))),
                    }
                )
                rows.append(
                    {
                        "year": y,
                        "subject": sid,
                        "indicator": "health_management_rate",
                        "value": f"{min(rng.uniform(0.55, 0.8) + lift, 0.95):.3f}",
                    }
                )
                days = int(rng.integers(4, 16)) + (
                    6 if sid.startswith("DR-CH") and y >= 2018 else 0
                )
                rows.append(
                    {
                        "year": y,
                        "subject": sid,
                        "indicator": "thc_consultation_days",
                        "value": str(days),
                    }
                )
    return pd.DataFrame(rows)


def staff() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"staff_id": s, "role": r, "institution_id": i, "base_salary_fen": b * 100, "weight": 1}
            for s, r, i, b in STAFF
        ]
    )


# Share of a year's insurance-paid spending paid in each month, per mille (invented): a
# winter peak of respiratory illness, a low February (the Spring Festival), even otherwise.
SEASON = (95, 70, 85, 80, 80, 80, 85, 85, 80, 80, 85, 95)
#: The monthly table: 2017 whole (the projection's profile), 2018 to June (the year tracked).
MONTHS = [(2017, m) for m in range(1, 13)] + [(2018, m) for m in range(1, 7)]


def by_season(fen: int) -> list[int]:
    """``fen`` split over the twelve months by :data:`SEASON`, largest remainder (ties to
    the earlier month), so the months add up to the year to the fen."""
    exact = [fen * w for w in SEASON]  # in thousandths of a fen
    parts = [e // 1000 for e in exact]
    short = fen - sum(parts)
    for m in sorted(range(12), key=lambda m: (-(exact[m] % 1000), m))[:short]:
        parts[m] += 1
    return parts


def monthly_spending(yearly: pd.DataFrame) -> pd.DataFrame:
    """Each institution's yearly insurance paid in ``yearly`` (the spending table) spread
    over the months of :data:`MONTHS` by :func:`by_season`: 2017's months add up to
    spending.csv's 2017, 2018's first six months are its share of 2018's."""
    rows = []
    for (year, setting, inst), fen in yearly.set_index(["year", "setting", "institution_id"])[
        "insurance_paid_fen"
    ].items():
        parts = by_season(int(fen))
        for y, m in MONTHS:
            if y == year:
                rows.append((f"{y}-{m:02d}", setting, inst, parts[m - 1]))
    frame = pd.DataFrame(rows, columns=["month", "setting", "institution_id", "insurance_paid_fen"])
    return frame.sort_values(["month", "setting", "institution_id"], kind="stable")


if __name__ == "__main__":
    spending().to_csv(HERE / "spending.csv", index=False)
    population().to_csv(HERE / "population.csv", index=False)
    indicators().to_csv(HERE / "indicators.csv", index=False)
    staff().to_csv(HERE / "staff.csv", index=False)
    yearly = pd.read_csv(HERE / "spending.csv")
    monthly_spending(yearly).to_csv(HERE / "monthly_spending.csv", index=False)
    print("wrote", ", ".join(p.name for p in sorted(HERE.glob("*.csv"))))
