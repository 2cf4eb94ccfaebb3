"""China's provincial-level divisions: names, one-character abbreviations used in
document numbers (浙政办发 → 浙江), and GB/T 2260 two-digit codes used as the level part
of entry codes (national documents use ``00``, as the VI-HQMR policy study does)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NATIONAL_CODE",
    "PROVINCES",
    "UNKNOWN_CODE",
    "Province",
    "province_by_abbrev",
    "province_in",
    "region_code",
]

NATIONAL_CODE = "00"
UNKNOWN_CODE = "99"


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    short: str
    abbrev: tuple[str, ...]


PROVINCES: tuple[Province, ...] = (
    Province("11", "北京市", "北京", ("京",)),
    Province("12", "天津市", "天津", ("津",)),
    Province("13", "河北省", "河北", ("冀",)),
    Province("14", "山西省", "山西", ("晋",)),
    Province("15", "内蒙古自治区", "内蒙古", ("蒙",)),
    Province("21", "辽宁省", "辽宁", ("辽",)),
    Province("22", "吉林省", "吉林", ("吉",)),
    Province("23", "黑龙江省", "黑龙江", ("黑",)),
    Province("31", "上海市", "上海", ("沪",)),
    Province("32", "江苏省", "江苏", ("苏",)),
    Province("33", "浙江省", "浙江", ("浙",)),
    Province("34", "安徽省", "安徽", ("皖",)),
    Province("35", "福建省", "福建", ("闽",)),
    Province("36", "江西省", "江西", ("赣",)),
    Province("37", "山东省", "山东", ("鲁",)),
    Province("41", "河南省", "河南", ("豫",)),
    Province("42", "湖北省", "湖北", ("鄂",)),
    Province("43", "湖南省", "湖南", ("湘",)),
    Province("44", "广东省", "广东", ("粤",)),
    Province("45", "广西壮族自治区", "广西", ("桂",)),
    Province("46", "海南省", "海南", ("琼",)),
    Province("50", "重庆市", "重庆", ("渝",)),
    Province("51", "四川省", "四川", ("川", "蜀")),
    Province("52", "贵州省", "贵州", ("黔", "贵")),
    Province("53", "云南省", "云南", ("滇", "云")),
    Province("54", "西藏自治区", "西藏", ("藏",)),
    Province("61", "陕西省", "陕西", ("陕",)),
    Province("62", "甘肃省", "甘肃", ("甘", "陇")),
    Province("63", "青海省", "青海", ("青",)),
    Province("64", "宁夏回族自治区", "宁夏", ("宁",)),
    Province("65", "新疆维吾尔自治区", "新疆", ("新",)),
)

_BY_ABBREV = {a: p for p in PROVINCES for a in p.abbrev}


def province_in(text: str | None) -> Province | None:
    """The province named in ``text`` (full or short name), or None."""
    if not text:
        return None
    hits = [(text.find(p.short), p) for p in PROVINCES if p.short in text]
    if not hits:
        return None
    return min(hits, key=lambda h: h[0])[1]


def province_by_abbrev(char: str) -> Province | None:
    """The province whose document-number abbreviation is ``char`` (浙 → 浙江省)."""
    return _BY_ABBREV.get(char)


def region_code(level: str | None, issuer: str | None, region: str | None = None) -> str:
    """Two-digit level code of an entry code: ``00`` for national documents, the
    GB/T 2260 province code for local ones (from the sheet's region, else the issuer's
    name), ``99`` when the province is unknown (a city's issuer names no province:
    give the region in the metadata sheet)."""
    if level == "national":
        return NATIONAL_CODE
    province = province_in(region) or province_in(issuer)
    return province.code if province else UNKNOWN_CODE
