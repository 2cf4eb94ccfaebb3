"""Issuer levels of session 23's review (H1, M1, M2, L2), in both frameworks.

The expected levels are those of the PRC's administrative divisions (Ministry of Civil
Affairs, 中华人民共和国行政区划统计表): 遵义市, 贵阳市 and 六盘水市 are prefecture-level
cities of Guizhou; 仁怀市 and 赤水市 are county-level cities under 遵义市, 和龙市 one under
延边朝鲜族自治州 and 和田市 one under 和田地区. The 39 issuers are the reviewer's scratch
script's (/tmp/r23_issuers.py); a 社区 (community) body is no district, and 和 joining
two bodies or two cities is no part of a city's name.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from ihms.policy.codebook import derive_metadata, load_codebook, rule_value
from ihms.policy.corpus import Document

P, M, C = "provincial", "municipal", "county"
ZUNYI, YANBIAN, JINHUA = "贵州省遵义市", "吉林省延边朝鲜族自治州", "浙江省金华市"

CASES = [
    # H1: the 州 of 贵州省 begins no county-level city
    ("贵州省遵义市卫生健康局", None, M),
    ("贵州省贵阳市医疗保障局", None, M),
    ("贵州省六盘水市人民政府", None, M),
    ("贵州省卫生健康委员会", None, P),
    # M1: the region's county-level city, after the province's 州
    ("仁怀市卫生健康局", ZUNYI + "仁怀市", C),
    ("赤水市人民政府", ZUNYI + "赤水市", C),
    ("义乌市卫生健康局", JINHUA + "义乌市", C),
    ("兰溪市卫生健康局", JINHUA + "兰溪市", C),
    ("金华市卫生健康委员会", JINHUA + "义乌市", M),
    # M2: county-level cities whose names begin with 和
    (YANBIAN + "和龙市卫生健康局", None, C),
    ("新疆维吾尔自治区和田地区和田市卫生健康委员会", None, C),
    ("和龙市卫生健康局", YANBIAN + "和龙市", C),
    # L2: 社区 is no district
    ("杭州市社区卫生服务指导中心", None, M),
    # right before the fixes
    ("浙江省市场监督管理局", None, P),
    ("杭州市市场监督管理局", None, M),
    ("浙江省城市管理局", None, P),
    ("福建省泉州市晋江市卫生健康局", None, C),
    ("湖北省恩施土家族苗族自治州卫生健康委员会", None, M),
    ("内蒙古自治区锡林郭勒盟锡林浩特市", None, C),
    ("广西壮族自治区南宁市卫生健康委员会", None, M),
    ("黑龙江省大兴安岭地区行政公署", None, M),
    ("杭州市财政局与市卫生健康委员会", None, M),
    ("贵州省卫生健康委员会、贵州省财政厅", None, P),
    ("广东省广州市卫生健康委员会", None, M),
    ("浙江省住房和城乡建设厅", None, P),
    ("温州市瑞安市", None, C),
    ("宁波市鄞州区卫生健康局", None, C),
    ("杭州市卫生健康委员会", None, M),
    ("浙江省卫生健康委员会 浙江省财政厅", None, P),
    ("贵州省毕节市七星关区", None, C),
    ("贵州省黔东南苗族侗族自治州凯里市", None, C),
    ("江苏省苏州市昆山市", None, C),
    ("安徽省六安市卫生健康委员会", None, M),
    ("四川省凉山彝族自治州西昌市", None, C),
    ("湖南省湘西土家族苗族自治州吉首市", None, C),
    ("浙江省医疗保障局及浙江省财政厅", None, P),
    ("金华市人民政府办公室", None, M),
    ("中共金华市委 金华市人民政府", None, M),
    # beyond the script: 和 joining two bodies or two cities, and 区域 (a region)
    ("杭州市财政局和市卫生健康委员会", None, M),
    ("杭州市和金华市卫生健康委员会", None, M),
    ("浙江省区域医疗中心建设办公室", None, P),
    ("杭州市区域医疗中心建设办公室", None, M),
    ("杭州市西湖区社区卫生服务中心", None, C),
]


@pytest.mark.parametrize("codebook", ["6d", "symbiosis"])
@pytest.mark.parametrize(("issuer", "region", "level"), CASES)
def test_issuer_level(codebook, issuer, region, level):
    doc = Document(id="d", file="d.txt", fmt="txt", sha256="d", text="x", issuer=issuer,
                   region=region)  # fmt: skip
    assert derive_metadata(load_codebook(codebook), doc)["level"][0] == level


def test_a_named_in_rule_tries_every_match_of_its_pattern():
    # review 23 M1: a region rule whose first match the issuer does not hold (金华市
    # for 义乌市…) held for none; each match is tried, overlapping ones too
    dim = next(d for d in load_codebook("6d").derived if d.key == "level")
    dim = replace(dim, derive_rules=(("region", "[^省市]{2,3}市", "county", "issuer"),))
    doc = SimpleNamespace(issuer="义乌市卫生健康局", region="浙江省金华市义乌市")
    assert rule_value(dim, doc) == (
        "county",
        "region matches '[^省市]{2,3}市', named in the issuer",
    )
    # the first match is 浙金华市; the issuer holds the overlapping 金华市
    doc = SimpleNamespace(issuer="金华市卫生健康委员会", region="浙金华市")
    assert rule_value(dim, doc)[0] == "county"
    doc = SimpleNamespace(issuer="杭州市卫生健康委员会", region="浙江省金华市义乌市")
    assert rule_value(dim, doc) == (None, "no rule matched")
