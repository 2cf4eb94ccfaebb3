"""The primary-care share of outpatient and emergency visits (基层就诊率), worked by hand
from the tiny county of tests/indicators/conftest.py."""

from __future__ import annotations

import pytest
from tests.indicators.test_compute import value as _row

from ihms.indicators import CATALOGUE, compute


def test_primary_care_share_of_outpatient_visits(tiny_dataset):
    r = compute(
        tiny_dataset, indicators=["outpatient_primary_care_share"], level="county", period="year"
    )
    # County c1 2016: outpatient and emergency visits at its institutions o1 (CH), o2
    # (THC1), o3 (CH, emergency); o4 is at PH, of county 'out'. Primary care: o2 alone
    # -> 1 / 3 = 33.33 %. The preventive visits p1-p5 at VC1 and THC1 are not counted.
    row = _row(r, "outpatient_primary_care_share", "c1", 2016)
    assert (row.numerator, row.denominator) == (1, 3)
    assert row.value == pytest.approx(100 / 3, rel=1e-12)
    # 2017: o5 at VC1 (a village clinic is primary care) and o6 at CH -> 1 / 2 = 50 %.
    row = _row(r, "outpatient_primary_care_share", "c1", 2017)
    assert (row.numerator, row.denominator) == (1, 2)
    assert row.value == pytest.approx(50.0, rel=1e-12)


def test_primary_care_share_of_outpatient_visits_in_total(tiny_dataset):
    r = compute(
        tiny_dataset, indicators=["outpatient_primary_care_share"], level="total", period="year"
    )
    # 2016 with PH's o4: 1 of 4 = 25 %.
    assert _row(r, "outpatient_primary_care_share", "total", 2016).value == pytest.approx(
        25.0, rel=1e-12
    )


def test_residents_primary_care_share_counts_their_visits_wherever_made(tiny_dataset):
    # The residents' 基层就诊率: of the outpatient and emergency visits of the unit's
    # residents, wherever made, the share at primary-care institutions. By hand, c1's
    # residents in 2016: o1 (r1 at CH), o2 (r2 at THC1, primary), o3 (r7 at CH,
    # emergency) and o4 (r8 at PH, outside the county) -> 1 / 4 = 25 %, where the
    # facility-side share above counts the county's institutions' 1 / 3 and not o4.
    # 2017: o5 (r5 at VC1, primary), o6 (r6 at CH) -> 1 / 2. By grid, 2016: g1 (r1-r6)
    # o1, o2 -> 1 / 2; g2 (r7-r10) o3, o4 -> 0 / 2.
    ids = ["resident_outpatient_primary_care_share"]
    r = compute(tiny_dataset, indicators=ids, level="county", period="year")
    row = _row(r, ids[0], "c1", 2016)
    assert (row.numerator, row.denominator) == (1, 4)
    assert row.value == pytest.approx(25.0, rel=1e-12)
    row = _row(r, ids[0], "c1", 2017)
    assert (row.numerator, row.denominator) == (1, 2)
    grids = compute(tiny_dataset, indicators=ids, level="grid", period="year")
    assert (
        _row(grids, ids[0], "g1", 2016).numerator,
        _row(grids, ids[0], "g1", 2016).denominator,
    ) == (1, 2)
    assert (
        _row(grids, ids[0], "g2", 2016).numerator,
        _row(grids, ids[0], "g2", 2016).denominator,
    ) == (0, 2)
    ind = CATALOGUE[ids[0]]
    assert "基层就诊率" in ind.name_zh and "wherever" in ind.description


def test_primary_care_share_is_named_in_both_languages():
    ind = CATALOGUE["outpatient_primary_care_share"]
    assert "primary care" in ind.name_en.lower()
    assert "基层就诊率" in ind.name_zh


def test_two_way_referral_balance(tiny_dataset):
    # 下转/上转: the tiny county's referrals x1 CH -> PH (up, 2016), x2 VC1 -> THC1 (up,
    # 2017), x3 CH -> THC1 (down, 2017). 2016: 0 down / 1 up = 0; 2017: 1 / 1 = 1.
    r = compute(tiny_dataset, indicators=["referral_down_up_ratio"], level="total", period="year")
    row = _row(r, "referral_down_up_ratio", "total", 2016)
    assert (row.numerator, row.denominator, row.value) == (0, 1, 0.0)
    row = _row(r, "referral_down_up_ratio", "total", 2017)
    assert (row.numerator, row.denominator) == (1, 1)
    assert row.value == pytest.approx(1.0, rel=1e-12)
    assert "下转" in CATALOGUE["referral_down_up_ratio"].name_zh
