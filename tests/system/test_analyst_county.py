"""Qingshan county (tests/system/data/qingshan.yaml), as its analyst reads it: coverage,
the two chains of seed 001 section 3, worked out by hand from the file's table."""

from __future__ import annotations

from pathlib import Path

import pytest

from ihms.system import Integration, cooperation_chain, coverage, load_system, referral_pathway

QINGSHAN = Path(__file__).parent / "data" / "qingshan.yaml"


@pytest.fixture(scope="module")
def qingshan():
    return load_system(QINGSHAN)


def test_the_chinese_names_of_the_file_are_read(qingshan):
    assert qingshan.consortium("cmc-ch").integration is Integration.FULL  # 紧密型
    assert qingshan.consortium("cmc-tcm").integration is Integration.HALF  # 半紧密型


def test_coverage_2022(qingshan):
    cov = coverage(qingshan, year=2022)
    # G1 121,000 + G2 80,500 + G3 39,500 = 241,000; G1 and G2 are served (201,500),
    # G1 alone by a fully integrated consortium (cmc-tcm is semi-tight); G3 by none.
    assert (cov.population, cov.population_covered, cov.population_in_full) == (
        241_000,
        201_500,
        121_000,
    )
    assert cov.population_uncovered == 39_500
    assert cov.grids_uncovered == ("G3",)
    assert round(100 * cov.share_population_covered, 2) == 83.61  # 201,500 / 241,000
    # Institutions of Qingshan in 2022: 3 hospitals, 3 centres, the CDC and 8 clinics
    # (VC2-003 closed after 2021) = 15; the two provincial-capital hospitals stand outside
    # the study county and are not counted. In a consortium: CH, TCM, THC1-3, VC1-001..004,
    # VC2-001..002 = 11; in the fully integrated cmc-ch: CH, THC1, VC1-001..004 = 6.
    assert (cov.institutions, cov.institutions_covered, cov.institutions_in_full) == (15, 11, 6)
    # hospitals: CH, TCM, PRIV; the private hospital is in no consortium
    assert (cov.hospitals, cov.hospitals_not_involved) == (3, ("QS-PRIV",))
    # one county, running a fully integrated county medical community; no urban district
    # is studied, so no city is counted (before: "0 of 2 cities", Linhai and the capital)
    assert (cov.counties, cov.counties_active, cov.cities) == (1, 1, 0)
    text = cov.summary().to_text()
    assert "Active cities" not in text
    assert "Population in no consortium's grid" in text


def test_coverage_2021_before_the_tcm_community(qingshan):
    cov = coverage(qingshan, year=2021)
    # only G1 (120,000 of 240,000) is served in 2021
    assert (cov.population, cov.population_covered, cov.population_in_full) == (
        240_000,
        120_000,
        120_000,
    )
    assert cov.grids_uncovered == ("G2", "G3")
    # 16 institutions (VC2-003 still open); in a consortium: cmc-ch's 6, TCM (sa-uh) and
    # THC3 (tm-ph) = 8
    assert (cov.institutions, cov.institutions_covered, cov.institutions_in_full) == (16, 8, 6)


def test_referral_pathway_follows_the_dualistic_pattern(qingshan):
    path = referral_pathway(qingshan)
    # primary care -> the consortium's lead -> the top tertiary hospitals outside
    assert path.up("VC1-001") == ("QS-THC1",)
    assert path.up("QS-THC1") == ("QS-CH",)
    assert path.up("QS-CH") == ("PV-PH", "UH")
    assert path.up("QS-THC2") == ("QS-TCM",)
    assert path.up("QS-TCM") == ("UH",)
    # THC3's grid has no consortium: the county's public hospitals, not the private one
    # (before: QS-CH, QS-TCM and QS-PRIV)
    assert path.up("QS-THC3") == ("QS-CH", "QS-TCM")
    # a CDC treats and refers no patients: no derived targets (session 22 review D,
    # LOW 1; it had the county's public hospitals, so a CDC record counted as on the way up)
    assert path.up("QS-CDC") == ()
    # and down, for rehabilitation and chronic follow-up
    assert path.down("QS-CH") == ("QS-THC1",)
    assert path.down("QS-THC1") == ("VC1-001", "VC1-002", "VC1-003", "VC1-004")
    # UH: cmc-ch refers up to it, TCM is its alliance's member going up to it, and the
    # private hospital, in no consortium, has it as its default way up (the tier above)
    assert path.down("UH") == ("QS-CH", "QS-TCM", "QS-PRIV")
    assert path.up("QS-PRIV") == ("PV-PH", "UH")  # the file's order
    assert path.down("QS-PRIV") == ()  # no centre's default: the county has public hospitals


def test_referral_pathway_of_a_year(qingshan):
    # 2021: cmc-tcm has not started, so THC2 refers to the county's public hospitals and
    # the TCM hospital, in no grid consortium, to the lead of its specialist alliance and
    # the tertiary hospitals (before: the year was ignored and both looked as in 2022);
    # the county's public hospitals, the default way up of THC2 and THC3, take them down
    path = referral_pathway(qingshan, year=2021)
    assert path.up("QS-THC2") == ("QS-CH", "QS-TCM")
    assert path.up("QS-TCM") == ("UH", "PV-PH")
    assert path.down("QS-TCM") == ("QS-THC2", "QS-THC3")
    assert "VC2-003" in path.routes
    assert "VC2-003" not in referral_pathway(qingshan, year=2022).routes


def test_cooperation_chain(qingshan):
    rows = {
        (r.provider, r.recipient, r.form.value, r.source) for r in cooperation_chain(qingshan).rows
    }
    assert rows == {
        # declared (派驻专家 = dispatched specialists, 巡回医疗 = itinerant services)
        ("QS-CH", "QS-THC1", "dispatched_specialists", "declared"),
        ("QS-CH", "QS-THC1", "joint_ward", "declared"),
        ("QS-CH", "QS-THC3", "itinerant_services", "declared"),
        # implied by the flexible consortia of the tertiary hospitals outside
        ("UH", "QS-CH", "technical_guidance", "sa-uh"),
        ("UH", "QS-TCM", "technical_guidance", "sa-uh"),
        ("PV-PH", "QS-CH", "remote_consultation", "tm-ph"),
        ("PV-PH", "QS-THC3", "remote_consultation", "tm-ph"),
    }
    # the itinerant services start in 2022
    assert len(cooperation_chain(qingshan, year=2021).rows) == 6
