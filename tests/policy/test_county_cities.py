"""A county-level city (县级市: 义乌市, 晋江市, 昆山市) is a county-level body, not a
prefecture-level city's (user review A's left-alone list, session 21).

The issuer rules read it from the text when the issuer (or the metadata sheet's
region) names the prefecture above it — 金华市义乌市, 泉州市晋江市, 延边州延吉市, 阿克苏地区
阿克苏市: a city named after a prefecture-level unit is a county-level city (the
administrative divisions of the PRC: a prefecture holds counties, districts and
county-level cities, never another prefecture-level city). An issuer naming the
county-level city alone (义乌市卫生健康局) cannot be told from a prefecture-level city's
by its name: the metadata sheet's level says it, overriding the rules, and the import
notes what the rules would have guessed.
"""

from __future__ import annotations

import pytest

from ihms.policy._metadata_aliases import overridden_rules
from ihms.policy.codebook import derive_metadata, load_codebook
from ihms.policy.corpus import Document


def _doc(doc_id: str, **meta) -> Document:
    return Document(id=doc_id, file=f"{doc_id}.txt", fmt="txt", sha256=doc_id, text="x", **meta)


@pytest.mark.parametrize("codebook", ["6d", "symbiosis"])
@pytest.mark.parametrize(
    ("issuer", "level"),
    [
        ("金华市义乌市卫生健康局", "county"),
        ("福建省泉州市晋江市人民政府", "county"),
        ("苏州市张家港市卫生健康委员会", "county"),  # a three-character name
        ("延边朝鲜族自治州延吉市卫生健康局", "county"),  # under an autonomous prefecture
        ("阿克苏地区阿克苏市人民政府", "county"),  # under a 地区
        ("锡林郭勒盟锡林浩特市卫生健康委员会", "county"),  # under a 盟
        # prefecture-level bodies whose names hold 市 twice
        ("中共金华市委金华市人民政府", "municipal"),
        ("杭州市市场监督管理局", "municipal"),
        ("杭州市城市管理局", "municipal"),
        ("杭州市卫生健康委员会、杭州市财政局", "municipal"),
        ("杭州市卫生健康委员会 杭州市医疗保障局", "municipal"),
        # a prefecture named after its province is municipal, not provincial
        ("福建省泉州市卫生健康委员会", "municipal"),
        ("内蒙古自治区鄂尔多斯市卫生健康委员会", "municipal"),
        ("浙江省市场监督管理局", "provincial"),  # 市场 is no city
        ("贵州省卫生健康委员会", "provincial"),  # the 州 of 贵州 is before 省
        ("义乌市卫生健康局", "municipal"),  # no prefecture named: the sheet must say
        # review 22a M1: a joint issuer's second body (贵州省's 州) and 城市 are no
        # prefecture under the province, and 市 … 市 across two bodies no city under a city
        ("贵州省卫生健康委员会、贵州省财政厅", "provincial"),
        ("贵州省卫生健康委员会 贵州省财政厅", "provincial"),
        ("浙江省城市管理局", "provincial"),
        ("湖北省卫生健康委员会、湖北省恩施州", "municipal"),  # the lowest level named
        ("杭州市财政局与市卫生健康委员会", "municipal"),
        # autonomous prefectures' long names under their province
        ("湖南省湘西土家族苗族自治州卫生健康委员会", "municipal"),
        ("贵州省黔西南布依族苗族自治州人民政府", "municipal"),
        ("吉林省延边朝鲜族自治州延吉市卫生健康局", "county"),
    ],
)
def test_a_city_named_under_its_prefecture_is_county_level(codebook, issuer, level):
    cb = load_codebook(codebook)
    assert derive_metadata(cb, _doc("d", issuer=issuer))["level"][0] == level


@pytest.mark.parametrize("codebook", ["6d", "symbiosis"])
def test_the_sheets_region_names_the_prefecture(codebook):
    cb = load_codebook(codebook)
    doc = _doc("d", issuer="义乌市卫生健康局", region="浙江省金华市义乌市")
    assert derive_metadata(cb, doc)["level"][0] == "county"
    # a region naming the prefecture alone says nothing of the issuer's city
    doc = _doc("d", issuer="义乌市卫生健康局", region="浙江省金华市")
    assert derive_metadata(cb, doc)["level"][0] == "municipal"


def test_a_metadata_level_overrides_the_rules_and_says_what_they_guessed():
    cb = load_codebook("6d")
    doc = _doc("Y1", issuer="义乌市卫生健康局", level="县级")
    value, how = derive_metadata(cb, doc)["level"]
    assert value == "county"
    assert how == "level '县级' (the issuer rules give municipal)"
    docs = [doc, _doc("Y2", issuer="晋江市人民政府", level="county"),
            _doc("H1", issuer="杭州市卫生健康委员会", level="市级"),  # agrees: not said
            _doc("N1", level="国家级")]  # fmt: skip  # no issuer: no guess
    assert overridden_rules(cb, docs) == [
        "level '县级' of 1 document(s) (Y1) overrides the codebook's rules, which give "
        "市级 (municipal) from the issuer",
        "level 'county' of 1 document(s) (Y2) overrides the codebook's rules, which give "
        "市级 (municipal) from the issuer",
    ]


@pytest.mark.parametrize("codebook", ["6d", "symbiosis"])
def test_the_region_s_city_is_read_only_for_its_own_issuer(codebook):
    # review 22a M2: a study of one county-level city fills the region column with its
    # site for every row; the province's and the prefecture's own bodies keep their
    # level, and only the city the region names reads as county
    cb = load_codebook(codebook)
    issuers = (
        "浙江省卫生健康委员会",
        "金华市卫生健康委员会",
        "义乌市卫生健康局",
        "国家卫生健康委员会",
    )
    levels = {
        issuer: derive_metadata(cb, _doc("d", issuer=issuer, region="浙江省金华市义乌市"))
        for issuer in issuers
    }
    assert {issuer: level["level"][0] for issuer, level in levels.items()} == {
        "浙江省卫生健康委员会": "provincial",
        "金华市卫生健康委员会": "municipal",
        "义乌市卫生健康局": "county",
        "国家卫生健康委员会": "national",
    }


def test_a_note_on_many_documents_names_five_and_counts_the_rest():
    # review 22a L5: the ids are listed as every list of ihms lists them
    # (ihms._listing.first_of), not with a bare "..."
    cb = load_codebook("6d")
    docs = [_doc(f"Y{i}", issuer="义乌市卫生健康局", level="县级") for i in range(1, 8)]
    assert overridden_rules(cb, docs) == [
        "level '县级' of 7 document(s) (Y1, Y2, Y3, Y4, Y5 and 2 more) overrides the "
        "codebook's rules, which give 市级 (municipal) from the issuer",
    ]
