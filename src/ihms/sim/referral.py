"""After the first contact: referral along the dualistic pathway, admission, discharge.

The way up (Gao et al. 2022 §3): a village clinic or township health centre that cannot treat
an episode refers it up — to the township health centre if that can treat it, otherwise
to the consortium's lead, the county hospital; the county hospital refers the cases it
cannot keep to a tertiary hospital outside the county. Wherever the episode ends, it may
be admitted (fee for service inflates county-hospital admissions of mild and moderate
cases); after discharge from the county hospital or from outside, an integrated
consortium refers the patient down to the township health centre for follow-up. Gao et
al. 2022 describe only the way up; the way down is ihms's modelling assumption, after the
follow-ups after discharge that Jia et al. 2021's Continuous Healthcare Center ensures.

:func:`with_primary_revisits` adds the reform's extra revisits at primary care
(``regimes.*.primary_extra_revisits``): outpatient contacts at the village clinic or
township health centre an episode ended at, never admitted, drawn from their own stream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ihms.sim._codes import CH, MODERATE, OUT, SEVERE, SEVERITIES, THC, TIERS, VC
from ihms.sim.config import SimulationConfig
from ihms.sim.episodes import (
    ADMIT,
    DELAY,
    DOWN,
    EMERGENCY_0,
    EMERGENCY_1,
    EMERGENCY_2,
    REFER_OUT,
    REVISITS,
    STAY,
    UP,
)
from ihms.sim.rng import capped_poisson_counts, poisson_counts

__all__ = ["EXTRA_REVISITS_MOST", "Pathway", "pathway", "with_primary_revisits"]

NONE = np.int8(-1)
#: At most this many extra primary-care revisits per episode (besides the 12 of
#: ``careseeking.revisits``): at the bounds' heaviest mean over Youxi's 26 months after its
#: reform, 3 * 1.5 ** (26 / 12) = 7.2, a Poisson count above it has a probability of 0.033.
EXTRA_REVISITS_MOST = 12


@dataclass(frozen=True)
class Pathway:
    """Per episode: the tiers visited, admission and discharge.

    ``hops`` is (3 × episodes): first contact, upward referral (or -1), referral out of
    the county (or -1). ``final`` is the last tier visited; ``los`` is 0 when not
    admitted; ``down`` marks a downward referral after discharge; ``revisits`` counts
    extra outpatient visits at the final tier for episodes not admitted.
    """

    hops: np.ndarray
    final: np.ndarray
    emergency: np.ndarray  # (3 × episodes) the visit at that hop is an emergency
    admitted: np.ndarray
    los: np.ndarray
    down: np.ndarray
    down_delay: np.ndarray
    revisits: np.ndarray


def pathway(
    first: np.ndarray,
    severity: np.ndarray,
    grid: np.ndarray,
    month: np.ndarray,
    *,
    config: SimulationConfig,
    ch_admission_factor: np.ndarray,
    keep_in_county: np.ndarray,
    downward_referral: np.ndarray,
    u: Callable[[int], np.ndarray],
) -> Pathway:
    """Follow each episode from its first contact to discharge.

    Parameters
    ----------
    first
        Tier code of the first contact per episode.
    severity, grid, month
        Per episode: severity code, grid index, period month index.
    ch_admission_factor
        Per month: multiplier on county-hospital admission of mild and moderate cases.
    keep_in_county, downward_referral
        Grids × months: the consortium's cut of referrals out of the county, and the
        scale of downward referral after discharge.
    u
        The episodes' own uniforms by attribute (:meth:`ihms.sim.episodes.Episodes.u`).
    """
    n = len(first)
    ref = config.referral
    adm = config.admission
    treats = np.array([SEVERITIES.index(ref.treats_up_to[t]) for t in TIERS[:3]] + [SEVERE])
    up_p = np.array([ref.upward[s] for s in SEVERITIES])
    out_p = np.array([ref.county_to_outside[s] for s in SEVERITIES])

    hops = np.full((3, n), NONE, np.int8)
    hops[0] = first
    beyond = severity > treats[first]
    goes_up = (first <= THC) & beyond & (u(UP) < up_p[severity])
    thc_can = severity <= treats[THC]
    hops[1] = np.where(goes_up, np.where((first == VC) & thc_can, THC, CH), NONE)
    at_ch = np.where(hops[1] >= 0, hops[1], hops[0]) == CH
    keep = keep_in_county[grid, month]
    goes_out = at_ch & (u(REFER_OUT) < out_p[severity] * (1 - keep))
    hops[2] = np.where(goes_out, OUT, NONE)
    final = np.where(hops[2] >= 0, hops[2], np.where(hops[1] >= 0, hops[1], hops[0])).astype(
        np.int8
    )

    em_share = np.array([adm.emergency_share[s] for s in SEVERITIES])
    hospital = (hops == CH) | (hops == OUT)
    em_u = np.stack([u(EMERGENCY_0), u(EMERGENCY_1), u(EMERGENCY_2)])
    emergency = hospital & (em_u < em_share[severity][None, :])

    p_admit = np.zeros((len(SEVERITIES), len(TIERS)))
    for s, sev in enumerate(SEVERITIES):
        for k, tier in enumerate(TIERS):
            p_admit[s, k] = adm.probability[sev].get(tier, 0.0)
    p = p_admit[severity, final]
    induced = (final == CH) & (severity <= MODERATE)
    p = np.where(induced, p * ch_admission_factor[month], p)
    admitted = u(ADMIT) < np.minimum(p, 0.98)
    los_mean = np.array([0.0] + [adm.length_of_stay_days[t] for t in TIERS[1:]])
    los_sev = np.array([adm.length_of_stay_severity[s] for s in SEVERITIES])
    mean = np.maximum(los_mean[final] * los_sev[severity], 1.0)
    stay = np.zeros(n, np.int16)
    stay[admitted] = 1 + poisson_counts(u(STAY)[admitted], mean[admitted] - 1.0, most=120)
    los = stay

    down_p = np.array([ref.downward_after_discharge[s] for s in SEVERITIES])
    eligible = admitted & ((final == CH) | (final == OUT))
    down = eligible & (u(DOWN) < down_p[severity] * downward_referral[grid, month])
    down_delay = (1 + u(DELAY) * 7).astype(np.int16)

    visits = np.array([config.careseeking.revisits[t] for t in TIERS])
    revisits = np.where(admitted, 0, poisson_counts(u(REVISITS), visits[final], most=12))
    revisits = revisits.astype(np.int16)
    return Pathway(
        hops=hops,
        final=final,
        emergency=emergency,
        admitted=admitted,
        los=los,
        down=down,
        down_delay=down_delay,
        revisits=revisits,
    )


def with_primary_revisits(
    path: Pathway, month: np.ndarray, mean: np.ndarray, u: Callable[[], np.ndarray]
) -> tuple[Pathway, int]:
    """``path`` with extra revisits at primary care added to its ``revisits``, and how
    many episodes' extra revisits the cap cut short (the run's ``Tally.capped``).

    An episode that ends unadmitted at a village clinic or township health centre gets a
    Poisson number of extra revisits there (at most :data:`EXTRA_REVISITS_MOST`), of mean
    ``mean[month]`` (:attr:`ihms.sim.regime.Behaviour.primary_extra_revisits`); none
    elsewhere, none when admitted, so they admit no one. ``u`` gives the uniforms: called
    only when some mean is positive, so a run without the mechanism draws nothing more
    and returns ``path`` itself.
    """
    if not (mean > 0).any():
        return path, 0
    at_primary = (path.final <= THC) & ~path.admitted
    means = np.where(at_primary, mean[month], 0.0)
    counts, capped = capped_poisson_counts(u(), means, most=EXTRA_REVISITS_MOST)
    return replace(path, revisits=(path.revisits + counts).astype(np.int16)), capped
