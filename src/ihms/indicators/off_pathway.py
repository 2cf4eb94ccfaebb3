"""The referrals off the system file's referral pathway, one row each.

``off_pathway_referrals`` counts them; a planner following them up needs the list: which
referral, when, from where to where, and where the pathway would have sent it (session
22 review D, LOW 3). A referral is judged as the indicator judges it
by the same two queries: up or down by the tiers of sender and receiver, lateral ones not
at all (:func:`ihms.indicators._engine.referral_directions`), against the pathway of
the referral's year (:func:`ihms.indicators._sources.pathway_pairs`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ihms.errors import InputError
from ihms.indicators._engine import IndicatorTables
from ihms.indicators._sources import _on_pathway, pathway_pairs, referral_directions
from ihms.system._held import held_ids

if TYPE_CHECKING:
    import pandas as pd

    from ihms.data.dataset import Dataset
    from ihms.data.store import Store
    from ihms.system import System

__all__ = ["off_pathway_list", "referral_match"]

#: The list's columns, in order.
COLUMNS = [
    "referral_id",
    "date",
    "from_institution_id",
    "to_institution_id",
    "direction",
    "expected",
]


def off_pathway_list(
    data: Store | Dataset | IndicatorTables, system: System, *, year: int | None = None
) -> pd.DataFrame:
    """Every up or down referral whose receiver the pathway of its year does not name.

    Parameters
    ----------
    data
        A :class:`~ihms.data.Store`, a :class:`~ihms.data.Dataset` or
        :class:`IndicatorTables` holding the referrals.
    system
        The delivery system whose pathway judges them (:func:`ihms.system.load_system`).
    year
        Only the referrals of this year of the data's period (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per referral off the pathway, by date: ``referral_id``, ``date``,
        ``from_institution_id``, ``to_institution_id``, ``direction`` (up, down) and
        ``expected``, the sender's targets in that direction that year, space-separated
        ("" when the pathway names none: a hospital before its consortium starts, say).

    Raises
    ------
    InputError
        ``year`` lies outside the data's period, the data hold no referrals, or the
        system file lists fewer than half of the institutions the referrals name
        (:func:`referral_match`; a few unknown ones give a note in ``attrs["notes"]``).

    Examples
    --------
    >>> from ihms.data.synthetic import synthetic_dataset
    >>> from ihms.system import load_system
    >>> youxi = load_system("examples/youxi.yaml")
    >>> off = off_pathway_list(synthetic_dataset(youxi, seed=1, scale=0.002), youxi)
    >>> list(off.columns)
    ['referral_id', 'date', 'from_institution_id', 'to_institution_id', 'direction', 'expected']
    """
    from ihms.data import Dataset

    if isinstance(data, Dataset):
        from ihms.data.store import Store

        with Store(":memory:") as store:
            store.write(data)
            return off_pathway_list(store, system, year=year)
    t = data if isinstance(data, IndicatorTables) else IndicatorTables.from_store(data)
    years = list(t.period.years)
    if year is not None and year not in years:
        raise InputError(f"year: the data cover {years[0]}–{years[-1]}, got {year}")
    if not t.holds("referrals"):
        raise InputError("the data hold no referrals table: no referral to judge")
    pathway = pathway_pairs(system, [year] if year is not None else years)
    ref = t["referrals"]
    if year is not None:
        ref = ref.filter(ref.date.year() == year)
    notes = referral_match(ref, system)
    facts = referral_directions(t, ref)  # up and down as the indicators count them
    judged = _on_pathway(facts.filter(facts.direction != "lateral"), pathway)
    off = judged.filter(~judged.on_pathway).to_pandas()
    targets = pathway.groupby(["year", "from_institution_id", "direction"])["to_institution_id"]
    expected = targets.agg(" ".join)
    keys = zip(off["date"].dt.year, off["from_institution_id"], off["direction"], strict=True)
    off["expected"] = [expected.get(k, "") for k in keys]
    off["date"] = off["date"].astype("datetime64[ns]")
    off = off.sort_values(["date", "referral_id"], ignore_index=True)[COLUMNS]
    off.attrs["notes"] = notes
    return off


def referral_match(ref, system: System) -> list[str]:
    """The referrals' institution ids (both ends) checked against ``system``: refused
    (``InputError``) when the file lists fewer than half of them (another county's file
    called every referral off the pathway, review of the delivery system, session 30,
    finding 3), naming the file and the first unknown ids; else a note counting those it
    lacks (their referrals count as off the pathway). Half, as
    :func:`ihms.indicators._system_file.system_match` judges the data's institutions
    (:func:`ihms.system._held.held_ids`, the rule both apply)."""
    ends = ref.select(iid=ref.from_institution_id).union(ref.select(iid=ref.to_institution_id))
    ids = held_ids(ends.distinct().to_pandas()["iid"].dropna(), (i.id for i in system.institutions))
    if not ids.lacking:
        return []
    source = system.source or "the system file"
    if ids.too_few:
        raise InputError(
            f"{source}: lists {ids.held:,} of the {ids.named:,} institutions the "
            f"referrals name; not listed: {ids.lacking_named()} — the file of another "
            "county? Give the delivery-system file the data were built from"
        )
    return [
        f"{source}: {len(ids.lacking):,} of the {ids.named:,} institutions the referrals "
        f"name are not listed ({ids.lacking_named()}); their referrals count as off the "
        "pathway"
    ]
