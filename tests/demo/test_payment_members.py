"""The settlement tables' member institutions fall from 413 (2018) to 389 (2019): the
text says why (session 24 review, item 15) — the county file follows seed 002's village
clinics, 387 then 363 (Zhong et al. 2023, Table 2: Number of HCs 350, 354, 387, 363)."""

from types import SimpleNamespace

from ihms.demo._payment_text import members_text


def _record(year, ids):
    spending = SimpleNamespace(consortium=dict.fromkeys(ids, 100))
    return SimpleNamespace(year=year, inputs=SimpleNamespace(spending=spending))


def _ids(clinics):
    """Youxi's shape: 3 county hospitals, 23 township health centres, ``clinics``
    village clinics (seed 002, Table 2, 2018-2019)."""
    ids = [f"CH{i}" for i in range(3)] + [f"THC{i}" for i in range(23)]
    return ids + [f"VC{i}" for i in range(clinics)]


TIERS = {
    **{f"CH{i}": "secondary" for i in range(3)},
    **{f"THC{i}": "primary_centre" for i in range(23)},
    **{f"VC{i}": "village_clinic" for i in range(400)},
}


def test_a_change_in_member_institutions_is_said_with_the_kind_that_changed():
    text = members_text(_record(2019, _ids(363)), _record(2018, _ids(387)), TIERS)
    assert "389 member institutions in 2019, against 413 in 2018" in text
    assert "its village clinics go from 387 to 363" in text
    assert "township health centres" not in text  # 23 both years
    assert "Zhong et al. 2023, Table 2" in text


def test_no_sentence_when_the_members_are_the_same_or_there_is_no_year_before():
    assert members_text(_record(2019, _ids(387)), _record(2018, _ids(387)), TIERS) == ""
    assert members_text(_record(2018, _ids(387)), None, TIERS) == ""


def test_the_seed_is_named_only_when_its_counts_are_the_ones_shown():
    text = members_text(_record(2019, _ids(360)), _record(2018, _ids(387)), TIERS)
    assert "its village clinics go from 387 to 360" in text
    assert "Zhong et al. 2023" not in text
