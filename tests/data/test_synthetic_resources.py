"""Sizes drawn for institutions the system file gives no resources for: each one's draw
depends on the seed and its id alone."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.data._synthetic_resources import absent_resources
from ihms.system import load_system

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
YOUXI = load_system(EXAMPLES / "youxi.yaml")
YEARS = YOUXI.years
# the institutions examples/youxi.yaml gives no resources for: the two tertiary
# hospitals outside Youxi, its CDC and (a sample of) its village clinics -- every tier
# absent_resources draws for
ABSENT = [inst for inst in YOUXI.institutions if not inst.resources]
SAMPLE = [i for i in ABSENT if i.tier.value != "village_clinic"] + [
    i for i in ABSENT if i.tier.value == "village_clinic"
][:12]


def _rows(system, seeds, **kw) -> dict[str, pd.DataFrame]:
    frame = absent_resources(system, YEARS, seeds, **kw)
    return {
        inst: rows.drop(columns="institution_id").reset_index(drop=True)
        for inst, rows in frame.groupby("institution_id", sort=False)
    }


def _seeds(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(3,))


def test_the_sample_covers_every_drawn_tier():
    kinds = {inst.tier.value for inst in SAMPLE}
    assert kinds == {"tertiary", "public_health", "village_clinic"}


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    order=st.permutations(SAMPLE),
    keep=st.lists(st.booleans(), min_size=len(SAMPLE), max_size=len(SAMPLE)),
)
def test_a_draw_does_not_move_when_other_institutions_come_go_or_move(seed, order, keep):
    full = _rows(dataclasses.replace(YOUXI, institutions=tuple(SAMPLE)), _seeds(seed))
    # another system: the same institutions in another order, some left out
    kept = tuple(inst for inst, k in zip(order, keep, strict=True) if k)
    other = _rows(dataclasses.replace(YOUXI, institutions=kept), _seeds(seed))
    assert set(other) == {inst.id for inst in kept}
    for inst_id, rows in other.items():
        pd.testing.assert_frame_equal(rows, full[inst_id], check_dtype=True)
    # drawing for a subset only gives the same rows as drawing for all
    only = {inst.id for inst in kept}
    chosen = _rows(
        dataclasses.replace(YOUXI, institutions=tuple(SAMPLE)), _seeds(seed), institutions=only
    )
    assert set(chosen) == only
    for inst_id, rows in chosen.items():
        pd.testing.assert_frame_equal(rows, full[inst_id])


def test_the_draw_follows_the_seed_and_the_id():
    system = dataclasses.replace(YOUXI, institutions=tuple(SAMPLE))
    a, b = _rows(system, _seeds(1)), _rows(system, _seeds(2))
    tertiary = [i.id for i in SAMPLE if i.tier.value == "tertiary"]
    # another seed moves a tertiary hospital's size (1,000 to 3,000 beds drawn)
    assert any(not a[i].equals(b[i]) for i in tertiary)
    # the two tertiary hospitals, same tier and seed, are drawn from different streams
    assert not a[tertiary[0]]["beds"].equals(a[tertiary[1]]["beds"])
