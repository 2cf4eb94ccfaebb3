"""The referral indicators (``referrals_up``, ``referrals_down``,
``off_pathway_referrals``) and the list of off-pathway referrals (``off_pathway_list``,
``ihms system off-pathway``) judge a referral in one way (session 24 leftover: the list
repeated the indicators' up/down-by-tier logic). Twelve referrals of the tiny county of
tests/indicators/conftest.py, one a month in 2017 so that each is its sender's only
referral of its month: the indicators' monthly counts by institution give each
referral's classification, which must be the list's.

Directions worked by hand from the tiers (village clinic < primary centre < secondary
< tertiary); on or off the 2017 pathway from ``ihms system show --what referrals``'s
rules: VC1 up to its parent THC1; THC1/THC2 up to the lead CH; CH up to cmc's
refers_up_to PH and down to the centres of cmc's grids; PH down to the leads referring
to it (CH); THC1 down to its clinic VC1.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ihms.data import Dataset, Period
from ihms.indicators import compute, off_pathway_list
from ihms.system import parse_system

from .conftest import TINY_YAML

# (id, sender, receiver, direction, off the pathway)
REFERRALS = [
    ("m01", "VC1", "THC1", "up", False),
    ("m02", "VC1", "CH", "up", True),  # past its centre
    ("m03", "THC1", "CH", "up", False),
    ("m04", "THC1", "THC2", "lateral", False),  # two centres: not judged
    ("m05", "CH", "PH", "up", False),
    ("m06", "CH", "VC1", "down", True),  # past the centre
    ("m07", "CH", "THC2", "down", False),
    ("m08", "PH", "CH", "down", False),
    ("m09", "PH", "THC1", "down", True),  # past the lead
    ("m10", "THC2", "VC1", "down", True),  # another centre's clinic
    ("m11", "VC1", "PH", "up", True),
    ("m12", "THC1", "VC1", "down", False),
]


@pytest.fixture
def constructed(tiny_tables) -> Dataset:
    tiny_tables["referrals"] = pd.DataFrame(
        {
            "referral_id": [r[0] for r in REFERRALS],
            "resident_id": ["r1"] * len(REFERRALS),
            "date": [date(2017, month, 15) for month in range(1, 13)],
            "from_institution_id": [r[1] for r in REFERRALS],
            "to_institution_id": [r[2] for r in REFERRALS],
        }
    )
    # an encounter each month of 2017: a month without any is one the extract lacks, and
    # its referral counts would be empty (test_referrals_incomplete.py)
    enc = tiny_tables["encounters"]
    monthly = enc[enc["encounter_id"] == "p11"].iloc[[0] * 12].copy()
    monthly["encounter_id"] = [f"e{m:02d}" for m in range(1, 13)]
    monthly["date"] = pd.to_datetime([date(2017, m, 20) for m in range(1, 13)])
    tiny_tables["encounters"] = pd.concat([enc, monthly], ignore_index=True)
    return Dataset.from_frames(tiny_tables, period=Period(date(2016, 1, 1), date(2017, 12, 31)))


def _by_indicators(data: Dataset, system) -> dict[str, tuple[str, bool]]:
    ids = ["referrals_up", "referrals_down", "off_pathway_referrals"]
    r = compute(data, indicators=ids, level="institution", period="month", system=system)
    out = {}
    for ref_id, sender, *_ in REFERRALS:
        month = f"2017-{ref_id[1:]}"

        def counted(indicator: str, sender=sender, month=month) -> bool:
            rows = r.select(indicators=[indicator], units=[sender], periods=[month])
            return bool(len(rows)) and rows.iloc[0].numerator == 1

        up, down = counted("referrals_up"), counted("referrals_down")
        assert not (up and down)
        out[ref_id] = (
            "up" if up else "down" if down else "lateral",
            counted("off_pathway_referrals"),
        )
    return out


def test_the_indicators_and_the_off_pathway_list_classify_each_referral_alike(constructed):
    system = parse_system(TINY_YAML, source="tiny.yaml")
    by_indicators = _by_indicators(constructed, system)
    assert by_indicators == {r[0]: (r[3], r[4]) for r in REFERRALS}  # the worked example
    listed = off_pathway_list(constructed, system)
    by_list = dict(zip(listed["referral_id"], listed["direction"], strict=True))
    assert by_list == {i: d for i, (d, off) in by_indicators.items() if off}


def test_the_queries_rank_tiers_as_the_system_does():
    import ibis

    from ihms.indicators._engine import tier_rank
    from ihms.system import Tier

    tiers = ibis.memtable({"tier": [t.value for t in Tier] + ["unknown"]})
    got = tiers.select(rank=tier_rank(tiers.tier)).to_pandas()["rank"].tolist()
    # village clinic 1 < primary centre = public health 2 < secondary 3 < tertiary 4
    assert got == [t.rank for t in Tier] + [0]
    assert {t.value: t.rank for t in Tier} == {
        "village_clinic": 1, "primary_centre": 2, "public_health": 2, "secondary": 3, "tertiary": 4,
    }  # fmt: skip


def test_a_referral_to_or_from_public_health_is_neither_up_nor_down(tiny_tables):
    # revind review (session 28), finding 4: public health ranks with a centre (2), so
    # VC1 -> CDC counted as up (and off the pathway) while THC1 -> CDC was lateral. A
    # CDC's tuberculosis or notifiable-disease referral is no 上转 or 下转: all four
    # below are lateral, counted in the note and in no direction.
    from ihms.data import structural_tables

    cdc = (
        "  - {id: CDC, name: CDC, tier: public_health, affiliation: county, county: c1, grid: g1}\n"
    )
    system = parse_system(TINY_YAML.replace("consortia:\n", cdc + "consortia:\n"))
    tiny_tables.update(structural_tables(system))
    pairs = [("VC1", "CDC"), ("CDC", "CH"), ("CH", "CDC"), ("PH", "CDC")]
    tiny_tables["referrals"] = pd.DataFrame(
        {
            "referral_id": [f"h{k}" for k in range(1, 5)],
            "resident_id": ["r1"] * 4,
            "date": [date(2016, 11, 19)] * 4,
            "from_institution_id": [a for a, _ in pairs],
            "to_institution_id": [b for _, b in pairs],
        }
    )
    data = Dataset.from_frames(tiny_tables, period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    ids = ["referrals_up", "referrals_down", "referrals_up_received", "off_pathway_referrals"]
    r = compute(data, indicators=ids, level="county", period="year", system=system)
    got = r.select(units=["c1"], periods=["2016"]).set_index("indicator")["numerator"].to_dict()
    # up received: no unit receives any, so the indicator is left out with that reason
    assert got == dict.fromkeys(ids[:2] + ids[3:], 0)
    assert [o.indicator for o in r.omitted] == ["referrals_up_received"]
    (note,) = [n for n in r.notes if "lateral" in n]
    assert note.startswith("referrals: 4 lateral referrals (by year: 2016 4)")
    assert "public-health institution" in note
    assert off_pathway_list(data, system).empty
