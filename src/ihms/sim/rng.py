"""Random numbers: streams per component and block, and uniforms keyed by event.

Two kinds of draws, both depending only on the seed and on keys — never on how many
blocks are processed together — so results are identical whatever the chunk size:

- :func:`stream` is a generator for one component, resident block and year (population,
  chronic traits, costs: draws whose number does not depend on behaviour);
- :class:`KeyedUniforms` gives the uniform of an event from its key (resident, month,
  slot, attribute) through a counter-based generator — the SplitMix64 finaliser applied
  to the key mixed with a seeded salt. An event's draws therefore do not move when
  another event appears or disappears: two runs that differ only in a behavioural
  parameter (or a payment regime) share every illness, choice and admission draw except
  where the parameter itself changes the outcome (common random numbers). This is what
  makes regime comparisons and the calibration's finite differences smooth.
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
    "PRIMARY_REVISITS",
    "REFERRAL",
    "RESOURCES",
    "STAFF",
    "KeyedUniforms",
    "capped_poisson_counts",
    "categories",
    "poisson_counts",
    "stream",
]

LAYOUT, POPULATION, EPISODES, CARE, REFERRAL, COSTS, HEALTHCARE, CHRONIC, RESOURCES, STAFF = range(
    10
)
#: The reform's extra primary-care revisits (``regimes.*.primary_extra_revisits``): their
#: own keyed uniforms, one per illness episode (its key), so a run with none draws
#: nothing else differently — every other component's draws are those of a run without
#: the key.
PRIMARY_REVISITS = 10

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def stream(seed: int, component: int, *keys: int) -> np.random.Generator:
    """A generator for ``component`` keyed by ``keys`` (e.g. block index, year)."""
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(component, *map(int, keys)))
    return np.random.Generator(np.random.PCG64(seq))


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective avalanche of 64 bits."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


class KeyedUniforms:
    """Uniforms on [0, 1) addressed by integer keys, for one seed and component.

    ``u(keys, attribute)`` returns one uniform per key; the same key and attribute always
    give the same number, different ones independent-looking numbers (53-bit).

    Examples
    --------
    >>> draws = KeyedUniforms(seed=1, component=2)
    >>> a = draws.u(np.array([10, 11]), 0)
    >>> bool((draws.u(np.array([11]), 0) == a[1]).all())
    True
    """

    def __init__(self, seed: int, component: int) -> None:
        state = np.random.SeedSequence(entropy=seed, spawn_key=(component,)).generate_state(
            2, np.uint64
        )
        self._salt = state

    def bits(self, keys: np.ndarray, attribute: int) -> np.ndarray:
        """64 random-looking bits (uint64) per key: what :meth:`u` takes its uniform from."""
        keys = np.asarray(keys, dtype=np.uint64)
        with np.errstate(over="ignore"):
            z = _mix(keys * _GOLDEN + self._salt[0] + np.uint64(attribute) * _M2)
            return _mix(z ^ self._salt[1])

    def u(self, keys: np.ndarray, attribute: int) -> np.ndarray:
        return (self.bits(keys, attribute) >> np.uint64(11)).astype(np.float64) * (1.0 / 2.0**53)


def categories(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One category per row of ``cumulative`` (rows of cumulative weights, not
    necessarily normalised) from the uniforms ``u``: the first bin ``u`` falls into."""
    draw = u * cumulative[:, -1]
    return (draw[:, None] > cumulative[:, :-1]).sum(axis=1).astype(np.int8)


def poisson_counts(u: np.ndarray, mean: np.ndarray, *, most: int) -> np.ndarray:
    """Poisson counts by inversion of the distribution function (capped at ``most``).

    Each count moves only when its uniform crosses a threshold, so a small change of
    ``mean`` changes few counts (and no other draw).
    """
    return capped_poisson_counts(u, mean, most=most)[0]


def capped_poisson_counts(u: np.ndarray, mean: np.ndarray, *, most: int) -> tuple[np.ndarray, int]:
    """:func:`poisson_counts` and how many of them the cap cut short (their uniform lies
    beyond the distribution function at ``most``: the draw would have been larger)."""
    mean = np.broadcast_to(np.asarray(mean, dtype=np.float64), u.shape)
    p = np.exp(-mean)
    cdf = p.copy()
    count = np.zeros(u.shape, np.int16)
    for k in range(1, most + 1):
        beyond = u >= cdf
        if not beyond.any():
            return count, 0
        count += beyond
        p = p * mean / k
        cdf = cdf + p
    return count, int((u >= cdf).sum())
