"""Random streams: one independent generator per component, resident block and year.

Every draw the simulator makes comes from ``stream(seed, component, block, year)``. The
stream depends only on those keys, never on how many blocks are processed together, so
results are identical whatever chunk size is used, and changing one component (say, the
care-seeking model) leaves the draws of the others untouched.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CARE",
    "CHRONIC",
    "COSTS",
    "EPISODES",
    "HEALTHCARE",
    "LAYOUT",
    "POPULATION",
    "REFERRAL",
    "draw_categories",
    "stream",
]

LAYOUT, POPULATION, EPISODES, CARE, REFERRAL, COSTS, HEALTHCARE, CHRONIC = range(8)


def stream(seed: int, component: int, *keys: int) -> np.random.Generator:
    """A generator for ``component`` keyed by ``keys`` (e.g. block index, year)."""
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(component, *map(int, keys)))
    return np.random.Generator(np.random.PCG64(seq))


def draw_categories(cumulative: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One category per row of ``cumulative`` (rows of cumulative weights, not
    necessarily normalised): the index of the first bin a uniform draw falls into."""
    draw = rng.random(len(cumulative)) * cumulative[:, -1]
    return (draw[:, None] > cumulative[:, :-1]).sum(axis=1).astype(np.int8)
