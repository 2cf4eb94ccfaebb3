"""Rows of one block-year: encounters and referrals as columns, linked by position.

:class:`Rows` collects encounter rows (one call per kind of row) and the referrals made
at them; positions returned by :meth:`Rows.add` are what a referral names as the
encounter it was made at. :func:`episode_rows` lays out an illness episode's pathway:
the visit at each hop (with where it was referred from and to), further visits at the
final tier, the admission, and the follow-up at the township health centre after a
downward referral.
"""

from __future__ import annotations

import numpy as np

from ihms.sim._codes import EMERGENCY, INPATIENT, OUTPATIENT, THC
from ihms.sim.episodes import Episodes
from ihms.sim.referral import Pathway

__all__ = ["ENCOUNTER_COLUMNS", "Rows", "episode_rows"]

ENCOUNTER_COLUMNS = (
    "resident",
    "institution",
    "tier",
    "date",
    "kind",
    "severity",
    "diagnosis",
    "episode",
    "los",
    "referred_from",
    "referred_to",
)
_DEFAULTS = {"severity": -1, "episode": -1, "los": 0, "referred_from": -1, "referred_to": -1}


class Rows:
    """Encounter and referral rows of one block-year, as growing lists of columns."""

    def __init__(self) -> None:
        self._enc: list[dict[str, np.ndarray]] = []
        self._ref: list[dict[str, np.ndarray]] = []
        self.n = 0

    def add(self, mask: np.ndarray, **cols) -> np.ndarray:
        """Append the rows where ``mask`` holds.

        Columns are arrays as long as ``mask`` or scalars; columns left out take their
        defaults (no severity, episode, stay or referral). Returns, for every element of
        ``mask``, the position of its row (-1 where none was added).
        """
        n = int(np.count_nonzero(mask))
        part = {}
        for name in ENCOUNTER_COLUMNS:
            value = cols.get(name, _DEFAULTS.get(name))
            if value is None:
                raise TypeError(f"column {name!r} is required")
            part[name] = value[mask] if isinstance(value, np.ndarray) else np.full(n, value)
        self._enc.append(part)
        pos = np.full(len(mask), -1, np.int64)
        pos[mask] = np.arange(self.n, self.n + n)
        self.n += n
        return pos

    def refer(self, mask: np.ndarray, **cols) -> None:
        """Record referrals where ``mask`` holds: ``resident``, ``date``, ``source``
        (position of the encounter it was made at), ``src`` and ``dst`` institutions,
        ``diagnosis``, ``down``."""
        self._ref.append(
            {
                k: (v[mask] if isinstance(v, np.ndarray) else np.full(mask.sum(), v))
                for k, v in cols.items()
            }
        )

    def encounters(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in self._enc]) for k in ENCOUNTER_COLUMNS}

    def referrals(self) -> dict[str, np.ndarray]:
        keys = ("resident", "date", "source", "src", "dst", "diagnosis", "down")
        if not self._ref:
            return {k: np.zeros(0, np.int64) for k in keys}
        return {k: np.concatenate([p[k] for p in self._ref]) for k in keys}


def episode_rows(
    rows: Rows,
    ep: Episodes,
    path: Pathway,
    *,
    hop_institution: list[np.ndarray],
    township_centre: np.ndarray,
    episode_id: np.ndarray,
    date: np.ndarray,
    month_end: np.ndarray,
    leave: np.ndarray,
) -> None:
    """Add an episode's visits, admission and downward referral to ``rows``.

    ``leave`` is, per episode, the first day the resident is no longer in the county (or
    the day after the period): a follow-up visit after discharge happens only before it.
    """
    r, sev, dx = ep.resident, ep.severity, ep.diagnosis
    common = {"resident": r, "severity": sev, "diagnosis": dx, "episode": episode_id}
    none = np.full(len(r), -1, np.int32)
    exists = path.hops >= 0
    inst = [np.where(exists[h], hop_institution[h], -1) for h in range(3)]
    # The hop before and after each hop that happened (a county hospital seen first
    # refers out directly: hop 1 is skipped).
    before = [none, inst[0], np.where(exists[1], inst[1], inst[0])]
    after = [np.where(exists[1], inst[1], inst[2]), inst[2], none]
    hop_pos = []
    for h in range(3):
        hop_pos.append(
            rows.add(
                exists[h],
                **common,
                institution=hop_institution[h],
                tier=path.hops[h],
                date=date,
                kind=np.where(path.emergency[h], EMERGENCY, OUTPATIENT),
                referred_from=before[h],
                referred_to=after[h],
            )
        )
    for h in (1, 2):
        source = hop_pos[h - 1] if h == 1 else np.where(exists[1], hop_pos[1], hop_pos[0])
        rows.refer(
            exists[h],
            resident=r,
            date=date,
            source=source,
            src=before[h],
            dst=hop_institution[h],
            diagnosis=dx,
            down=np.zeros(len(r), bool),
        )

    last = np.where(path.hops[2] >= 0, 2, np.where(path.hops[1] >= 0, 1, 0))
    final = np.choose(last, hop_institution)
    # Further outpatient visits at the final tier, three days apart within the month.
    rep = np.repeat(np.arange(len(r)), path.revisits)
    nth = np.arange(len(rep)) - np.repeat(np.cumsum(path.revisits) - path.revisits, path.revisits)
    rows.add(
        np.ones(len(rep), bool),
        resident=r[rep],
        severity=sev[rep],
        diagnosis=dx[rep],
        episode=episode_id[rep],
        institution=final[rep],
        tier=path.final[rep],
        date=np.minimum(date[rep] + (3 * (nth + 1)).astype("timedelta64[D]"), month_end[rep]),
        kind=OUTPATIENT,
    )
    discharge = date + path.los.astype("timedelta64[D]")
    down_date = discharge + path.down_delay.astype("timedelta64[D]")
    down = path.down & (down_date < leave)
    stay = rows.add(
        path.admitted,
        **common,
        institution=final,
        tier=path.final,
        date=date,
        kind=INPATIENT,
        los=path.los,
        referred_to=np.where(down, township_centre, -1),
    )
    rows.add(
        down,
        **common,
        institution=township_centre,
        tier=np.full(len(r), THC, np.int8),
        date=down_date,
        kind=OUTPATIENT,
        referred_from=final,
    )
    rows.refer(
        down,
        resident=r,
        date=discharge,
        source=stay,
        src=final,
        dst=township_centre,
        diagnosis=dx,
        down=np.ones(len(r), bool),
    )
