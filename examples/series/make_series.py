"""Write county_hospital_monthly.csv: a synthetic monthly series for the ITS demo.

The series is written for ihms, not taken from any source. It is shaped like the county
hospitals (CHs) of a Youxi-like county consortium in seed 002 (Zhong et al. 2023,
Table 3): 46 months from February 2016 to November 2019, the integrated payment reform
from October 2017 (month 21), and, per month, these pre-reform slopes, level changes and
slope changes:

| outcome                      | pre slope | level change | slope change |
|------------------------------|-----------|--------------|--------------|
| outpatient + emergency visits|   +578.3  |   -2,470.3   |    -459.9    |
| hospitalizations             |    +17.9  |     -286.0   |     -18.1    |
| cost per outpatient visit    |     -0.9  |      +15.9   |      +2.0    |
| cost per hospitalization     |     +6.4  |     +100.1   |     +18.7    |

Each outcome is ``(line + AR(1) noise) * seasonal index of the month``: a Spring
Festival dip in February, a winter peak in December and January. Starting levels are
plausible for three county hospitals serving ~360,000 people; they are not Youxi's.

Run from the repository root: ``python examples/series/make_series.py``. The seed is
fixed, so the CSV is reproducible byte for byte.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20171001
MONTHS = 46
START_YEAR, START_MONTH = 2016, 2
REFORM_INDEX = 20  # 0-based: October 2017 is month 21

# name: (start level, pre slope, level change, slope change, noise sd share, decimals)
OUTCOMES = {
    "outpatient_emergency_visits": (46_000.0, 578.3, -2470.3, -459.9, 0.012, 0),
    "hospitalizations": (2_300.0, 17.9, -286.0, -18.1, 0.015, 0),
    "cost_per_outpatient_visit": (128.0, -0.9, 15.9, 2.0, 0.008, 2),
    "cost_per_hospitalization": (5_600.0, 6.4, 100.1, 18.7, 0.030, 2),
}
#            Jan   Feb   Mar   Apr   May   Jun   Jul   Aug   Sep   Oct   Nov   Dec
SEASONS = {
    "outpatient_emergency_visits": [
        1.02,
        0.86,
        1.03,
        0.99,
        0.98,
        0.97,
        1.02,
        1.03,
        0.98,
        0.96,
        1.04,
        1.12,
    ],
    "hospitalizations": [1.08, 0.85, 1.02, 0.98, 0.97, 0.96, 1.01, 1.02, 0.97, 0.97, 1.04, 1.13],
    "cost_per_outpatient_visit": [
        1.01,
        1.03,
        0.99,
        0.99,
        1.00,
        1.00,
        0.99,
        0.99,
        1.00,
        1.01,
        0.99,
        1.00,
    ],
    "cost_per_hospitalization": [
        1.02,
        1.03,
        0.99,
        0.99,
        0.99,
        1.00,
        0.99,
        0.99,
        1.00,
        1.00,
        0.99,
        1.01,
    ],
}
AR_RHO = 0.3


def months() -> list[tuple[int, int]]:
    out = []
    year, month = START_YEAR, START_MONTH
    for _ in range(MONTHS):
        out.append((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def series(rng: np.random.Generator, name: str) -> np.ndarray:
    level, slope, jump, slope_change, noise_share, _ = OUTCOMES[name]
    t = np.arange(MONTHS, dtype=float)
    post = (t >= REFORM_INDEX).astype(float)
    line = level + slope * t + jump * post + slope_change * (t - REFORM_INDEX) * post
    shocks = rng.normal(0.0, noise_share * level, MONTHS)
    noise = np.zeros(MONTHS)
    for i in range(MONTHS):
        noise[i] = (AR_RHO * noise[i - 1] if i else 0.0) + shocks[i]
    season = np.array(SEASONS[name]) / np.mean(SEASONS[name])
    month_of = np.array([m for _, m in months()])
    return (line + noise) * season[month_of - 1]


def main(path: Path | None = None) -> Path:
    path = path or Path(__file__).with_name("county_hospital_monthly.csv")
    rng = np.random.default_rng(SEED)
    columns = {name: series(rng, name) for name in OUTCOMES}
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["month", *OUTCOMES])
        for i, (year, month) in enumerate(months()):
            row = [f"{year}-{month:02d}"]
            for name, values in columns.items():
                decimals = OUTCOMES[name][-1]
                row.append(f"{values[i]:.{decimals}f}")
            writer.writerow(row)
    return path


if __name__ == "__main__":
    print(f"wrote {main()}")
