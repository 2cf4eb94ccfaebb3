"""Resources of the synthetic data (:mod:`ihms.data.synthetic`): a row for every
institution in every year it operates, with plausible figures where the system file
gives none, scaled with the data's population."""

from __future__ import annotations

import hashlib
from collections.abc import Collection

import numpy as np
import pandas as pd

from ihms.data.structure import resources_table, scale_resources
from ihms.system import RESOURCE_FIELDS, System

# Sizes drawn for an institution the system file gives no resources for, by tier:
# beds, then physicians, nurses and all health personnel per bed, and the GPs' share of
# the physicians. ILLUSTRATIVE, not published figures. Tertiary: a provincial or city
# general hospital, above China's basic standard for a tertiary general hospital (at
# least 500 beds, 0.4 nurses and 1.03 health technicians per bed: 医疗机构基本标准,
# 1994). Secondary and primary centres: around examples/youxi.yaml's county hospitals
# and THCs (its split of seed 002 Table 2), the primary centres' GP share from seed 004
# Table 2's GPs/specialists ratio of 0.36-0.55 (a share of 0.26-0.35).
_SIZES = {
    "tertiary": {
        "beds": (1_000, 3_000),
        "physicians": (0.30, 0.40),
        "nurses": (0.55, 0.70),
        "health_workers": (1.40, 1.70),
        "gp_share": (0.01, 0.03),
    },
    "secondary": {
        "beds": (100, 800),
        "physicians": (0.25, 0.35),
        "nurses": (0.35, 0.50),
        "health_workers": (1.10, 1.40),
        "gp_share": (0.02, 0.05),
    },
    "primary_centre": {
        "beds": (15, 90),
        "physicians": (0.30, 0.60),
        "nurses": (0.30, 0.60),
        "health_workers": (1.50, 2.20),
        "gp_share": (0.26, 0.35),
    },
}
# Village clinics and public-health institutions have no curative beds, and their staff
# are not among seed 002 Table 2's practising physicians and registered nurses (the
# county file's hospitals and THCs alone reproduce those ratios; the simulator records
# them the same way): 0 of each. Their staff are health personnel: one or two village
# doctors per clinic; a CDC's staff 1.0 to 1.5 per 10,000 residents of its county
# (illustrative; China's 2014 staffing guideline for CDCs sets 1.75 per 10,000 for a
# province's CDCs of every level together).
_VILLAGE_DOCTORS = (1, 2)
_CDC_STAFF_PER_10K = (1.0, 1.5)
_CDC_STAFF_MIN = 10
# Money where the system file gives none, per head (yuan a year): medical income per
# practising physician, or per health worker where there is none (illustrative).
_INCOME_PER_PHYSICIAN = (35e4, 60e4)
_INCOME_PER_HEALTH_WORKER = (5e4, 10e4)


def institution_stream(seeds: np.random.SeedSequence, institution_id: str) -> np.random.Generator:
    """The random stream of one institution: ``seeds`` extended by a key of its id.

    The key is the first 8 bytes of the id's BLAKE2b digest, so an institution's draws
    depend only on the seed and its id, never on which other institutions exist or in
    what order the system lists them.
    """
    key = int.from_bytes(hashlib.blake2b(institution_id.encode(), digest_size=8).digest())
    seq = np.random.SeedSequence(seeds.entropy, spawn_key=(*seeds.spawn_key, key))
    return np.random.Generator(np.random.PCG64(seq))


def absent_resources(
    system: System,
    years: tuple[int, ...],
    seeds: np.random.SeedSequence,
    *,
    institutions: Collection[str] | None = None,
) -> pd.DataFrame:
    """Head counts and beds for each institution-year in which the institution operates
    and the system file gives no resources (no money yet). Each institution's size is
    drawn once, by tier, and kept over the years; a CDC's staff follow its county's
    population. The simulator draws its outside hospitals' sizes here too.

    Parameters
    ----------
    system : System
        The delivery system; institutions with resources for a year are left out.
    years : tuple of int
        The years to draw for.
    seeds : numpy.random.SeedSequence
        The seed; each institution draws from its own stream
        (:func:`institution_stream`), so its size depends on the seed and its id alone,
        not on the other institutions or their order.
    institutions : collection of str, optional
        Draw for these institutions only (default: every institution of the system).
    """
    population: dict[tuple[str, int], int] = {}
    for g in system.grids:
        for y, n in g.population.items():
            population[(g.county, y)] = population.get((g.county, y), 0) + n
    rows = []
    for inst in system.institutions:
        absent = [y for y in years if inst.active_in(y) and y not in inst.resources]
        if not absent or (institutions is not None and inst.id not in institutions):
            continue
        rng = institution_stream(seeds, inst.id)
        tier = inst.tier.value
        if tier in _SIZES:
            size = _SIZES[tier]
            beds = int(rng.integers(size["beds"][0], size["beds"][1] + 1))
            physicians = round(beds * rng.uniform(*size["physicians"]))
            nurses = round(beds * rng.uniform(*size["nurses"]))
            gps = round(physicians * rng.uniform(*size["gp_share"]))
            workers = round(beds * rng.uniform(*size["health_workers"]))
            counts = {
                "beds": beds,
                "gps": gps,
                "specialists": physicians - gps,
                "nurses": nurses,
                "health_workers": max(workers, physicians + nurses + 1),
            }
            staff = {y: counts for y in absent}
        else:
            none = dict.fromkeys(("beds", "gps", "specialists", "nurses"), 0)
            if tier == "village_clinic":
                doctors = int(rng.integers(_VILLAGE_DOCTORS[0], _VILLAGE_DOCTORS[1] + 1))
                staff = {y: {**none, "health_workers": doctors} for y in absent}
            else:
                per_10k = rng.uniform(*_CDC_STAFF_PER_10K)
                staff = {
                    y: {
                        **none,
                        "health_workers": max(
                            round(population.get((inst.county, y), 0) * per_10k / 10_000),
                            _CDC_STAFF_MIN,
                        ),
                    }
                    for y in absent
                }
        rows.extend({"institution_id": inst.id, "year": y, **staff[y]} for y in absent)
    frame = pd.DataFrame(rows, columns=["institution_id", "year", *RESOURCE_FIELDS])
    for f in RESOURCE_FIELDS:
        frame[f] = pd.array(frame[f], dtype="Int64")
    return frame


def _resources(
    system: System, years: tuple[int, ...], rng: np.random.Generator, scale: float
) -> pd.DataFrame:
    """A row for every institution in every year it operates: the system file's figures,
    drawn ones where it gives none (:func:`absent_resources`), head counts and beds
    scaled with the data's population (:func:`~ihms.data.scale_resources`), and the
    money the file leaves empty filled in per head."""
    given = resources_table(system, years=years)
    drawn = absent_resources(system, years, rng.bit_generator.seed_seq.spawn(1)[0])
    frame = pd.concat([given, drawn], ignore_index=True) if len(drawn) else given
    if frame.empty:
        return frame
    order = {inst.id: k for k, inst in enumerate(system.institutions)}
    frame = frame.sort_values(
        ["institution_id", "year"], key=lambda c: c.map(order) if c.name == "institution_id" else c
    ).reset_index(drop=True)
    frame = scale_resources(frame, system, scale=scale)
    phys = (frame["gps"].fillna(0) + frame["specialists"].fillna(0)).astype(float).to_numpy()
    workers = frame["health_workers"].fillna(0).astype(float).to_numpy()
    n = len(frame)
    income_per_phys = rng.uniform(*_INCOME_PER_PHYSICIAN, n) * 100  # fen
    income_per_worker = rng.uniform(*_INCOME_PER_HEALTH_WORKER, n) * 100
    medical = np.rint(np.where(phys > 0, phys * income_per_phys, workers * income_per_worker))
    revenue = np.rint(medical * rng.uniform(1.2, 1.5, n))
    consult = np.rint(medical * rng.uniform(0.12, 0.22, n))
    expense = np.rint(revenue * rng.uniform(0.9, 1.0, n))
    personnel = np.rint(expense * rng.uniform(0.30, 0.42, n))
    for col, values in (
        ("medical_income_fen", medical),
        ("revenue_fen", revenue),
        ("consultation_income_fen", consult),
        ("expense_fen", expense),
        ("personnel_cost_fen", personnel),
    ):
        filled = pd.array(values.astype(np.int64), dtype="Int64")
        frame[col] = frame[col].where(frame[col].notna(), pd.Series(filled, index=frame.index))
    return frame
