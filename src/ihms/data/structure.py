"""The structural tables of a data set, derived from a :class:`~ihms.system.System`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.system import RESOURCE_FIELDS, System

__all__ = ["resources_table", "scale_resources", "structural_tables"]

#: The resource columns that are head counts or beds (scaled with the population).
HEAD_COUNTS: tuple[str, ...] = ("beds", "gps", "specialists", "nurses", "health_workers")


def structural_tables(system: System) -> dict[str, pd.DataFrame]:
    """``counties``, ``grids``, ``institutions``, ``consortia``, ``consortium_members``
    and ``consortium_grids`` for ``system``, ready for :meth:`Dataset.from_frames`.

    Parameters
    ----------
    system
        The delivery system description (:func:`ihms.system.load_system`).

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per structural table, in the data schema's columns.
    """
    study = set(system.study_counties)
    counties = pd.DataFrame(
        {
            "county_id": [c.id for c in system.counties],
            "name": [c.name for c in system.counties],
            "city": [c.city for c in system.counties],
            "kind": [c.kind for c in system.counties],
            "study": [c.id in study for c in system.counties],
        }
    )
    grids = pd.DataFrame(
        {
            "grid_id": [g.id for g in system.grids],
            "name": [g.name for g in system.grids],
            "county_id": [g.county for g in system.grids],
        }
    )
    insts = system.institutions
    institutions = pd.DataFrame(
        {
            "institution_id": [i.id for i in insts],
            "name": [i.name for i in insts],
            "tier": [i.tier.value for i in insts],
            "affiliation": [i.affiliation.value for i in insts],
            "ownership": [i.ownership.value for i in insts],
            "county_id": [i.county for i in insts],
            "grid_id": [i.grid for i in insts],
            "active_from": pd.array([i.active_from for i in insts], dtype="Int16"),
            "active_to": pd.array([i.active_to for i in insts], dtype="Int16"),
        }
    )
    cons = system.consortia
    consortia = pd.DataFrame(
        {
            "consortium_id": [c.id for c in cons],
            "name": [c.name for c in cons],
            "type": [c.type.value for c in cons],
            "integration": [c.integration.value for c in cons],
            "lead_institution_id": [c.lead for c in cons],
            "start_year": pd.array([c.start_year for c in cons], dtype="Int16"),
            "end_year": pd.array([c.end_year for c in cons], dtype="Int16"),
        }
    )
    members = pd.DataFrame(
        [(c.id, m) for c in cons for m in c.members], columns=["consortium_id", "institution_id"]
    )
    consortium_grids = pd.DataFrame(
        [(c.id, g) for c in cons for g in c.grids], columns=["consortium_id", "grid_id"]
    )
    return {
        "counties": counties,
        "grids": grids,
        "institutions": institutions,
        "consortia": consortia,
        "consortium_members": members,
        "consortium_grids": consortium_grids,
    }


def resources_table(system: System, *, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """The yearly resources the system description gives, one row per institution-year
    (only years in ``years`` if given).

    Parameters
    ----------
    system
        The delivery system description.
    years
        Calendar years to keep; None keeps every year the description gives.

    Returns
    -------
    pandas.DataFrame
        ``institution_id``, ``year`` and the resource fields (beds and staff as counts,
        money as integer fen: ``revenue_fen`` …), nullable ``Int64``.
    """
    rows = []
    for inst in system.institutions:
        for year, res in sorted(inst.resources.items()):
            if years is not None and year not in years:
                continue
            rows.append(
                {
                    "institution_id": inst.id,
                    "year": year,
                    **{f: getattr(res, f) for f in RESOURCE_FIELDS},
                }
            )
    frame = pd.DataFrame(rows, columns=["institution_id", "year", *RESOURCE_FIELDS])
    for f in RESOURCE_FIELDS:
        frame[f] = pd.array(frame[f], dtype="Int64")
    return frame


def scale_resources(frame: pd.DataFrame, system: System, *, scale: float) -> pd.DataFrame:
    """Head counts and beds for a county of ``scale`` times the system's population.

    So that ratios per resident stay the county's when its population is simulated or
    sampled at another size, :data:`HEAD_COUNTS` are scaled: each county's yearly total
    is scaled and rounded half up, then shared among its institutions by largest
    remainder (ties to the earlier row). Rounding each institution on its own would
    round every small one down to nothing in a small sample (a THC's 9 physicians at
    1 %). Empty cells stay empty; money is left as it is.

    Parameters
    ----------
    frame
        Resources, one row per ``institution_id`` and ``year`` (as
        :func:`resources_table` gives them); not modified.
    system
        Places each institution in its county.
    scale
        Residents of the data per inhabitant of the system (1 changes nothing).

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the head counts scaled.
    """
    out = frame.copy()
    if scale == 1.0 or out.empty:
        return out
    county_of = {inst.id: inst.county for inst in system.institutions}
    groups = [out["year"].to_numpy(), out["institution_id"].map(county_of).to_numpy()]
    for col in HEAD_COUNTS:
        if col in out.columns:
            out[col] = out[col].groupby(groups).transform(_apportion, scale=scale)
    return out


def _apportion(counts: pd.Series, *, scale: float) -> pd.Series:
    """``counts × scale`` in whole numbers adding up to the total's scaled count rounded
    half up (largest remainder, ties to the earlier row); empty cells stay empty."""
    known = counts.notna().to_numpy()
    exact = counts[known].to_numpy(dtype=float) * scale
    whole = np.floor(exact).astype(np.int64)
    short = int(np.floor(exact.sum() + 0.5)) - int(whole.sum())
    order = np.argsort(-(exact - whole), kind="stable")
    whole[order[:short]] += 1
    out = pd.array(np.full(len(counts), pd.NA), dtype="Int64")
    out[known] = whole
    return pd.Series(out, index=counts.index)
