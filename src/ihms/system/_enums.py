"""The closed vocabularies of a delivery system, and the other names analysts write.

Each enum takes its value (``county_medical_community``) and also the names a Chinese
health commission's files use: the Chinese term (县域医共体, 紧密型, 乡镇卫生院), the
English of the source studies (``tight`` for full integration, seed 003), and any case
with spaces or hyphens for underscores (``County Medical Community``). Aliases live in
:data:`ALIASES`; ``Tier("乡镇卫生院")`` is ``Tier.PRIMARY_CENTRE``.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "ALIASES",
    "Affiliation",
    "ConsortiumType",
    "CooperationForm",
    "Integration",
    "Ownership",
    "StaffActivity",
    "Tier",
    "normalise",
]


def normalise(text: str) -> str:
    """Lower case, with runs of spaces and hyphens made one underscore."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


class _Vocabulary(StrEnum):
    """A StrEnum that also accepts the aliases of :data:`ALIASES` and loose spelling."""

    @classmethod
    def _missing_(cls, value: object) -> _Vocabulary | None:
        if not isinstance(value, str):
            return None
        key = normalise(value)
        for member in cls:
            if member.value == key:
                return member
        aliases = ALIASES.get(cls.__name__, {})
        for form in _bare_forms(cls.__name__, key):
            if form in aliases:
                return cls(aliases[form])
            if form in cls._value2member_map_:
                return cls._value2member_map_[form]
        return None


# Words that come with a name without changing it: the consortium written after its
# integration degree (紧密型医联体, tight type medical alliance) and the degree before
# its type (紧密型县域医共体).
_AFFIXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Integration": (
        (),
        ("县域医疗卫生共同体", "医疗卫生共同体", "县域医疗共同体", "县域医共体", "城市医疗集团", "医疗联合体", "医疗共同体", "医联体",
         "医共体", "医疗集团", "联合体", "共同体", "_medical_alliance", "_medical_consortium",
         "_alliance", "_consortium", "_type"),
    ),
    "ConsortiumType": (("紧密型", "半紧密型", "松散型", "tight_", "semi_tight_", "loose_"), ()),
}  # fmt: skip


def type_degree(value: str) -> str | None:
    """The integration degree a consortium ``type`` is written with (``紧密型县域医共体``:
    ``full``), or ``None``: the degree is dropped from the type, so the loader compares
    it with ``integration`` (review 30 #5: a 紧密型 type read as half integrated)."""
    key = normalise(value)
    for prefix in sorted(_AFFIXES["ConsortiumType"][0], key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix):
            return Integration(prefix.rstrip("_")).value
    return None


def _bare_forms(kind: str, key: str) -> list[str]:
    """``key``, then ``key`` without the words of :data:`_AFFIXES` that may come with a
    name of ``kind`` (longest first, repeatedly: ``tight_type_medical_alliance`` →
    ``tight_type`` → ``tight``)."""
    prefixes, suffixes = _AFFIXES.get(kind, ((), ()))
    forms = [key]
    while True:
        last = forms[-1]
        for p in sorted(prefixes, key=len, reverse=True):
            if last.startswith(p) and len(last) > len(p):
                forms.append(last[len(p) :])
                break
        else:
            for x in sorted(suffixes, key=len, reverse=True):
                if last.endswith(x) and len(last) > len(x):
                    forms.append(last[: -len(x)])
                    break
            else:
                return forms


class Tier(_Vocabulary):
    """Level of care of an institution.

    ``secondary`` covers the county hospitals (CH) of seed 002; ``primary_centre`` the
    township health centres (THC) and urban community health centres (CHC);
    ``village_clinic`` the village clinics (HC) and community health stations. A private
    hospital has a tier like any other, and ``affiliation: private``.
    """

    TERTIARY = "tertiary"
    SECONDARY = "secondary"
    PRIMARY_CENTRE = "primary_centre"
    VILLAGE_CLINIC = "village_clinic"
    PUBLIC_HEALTH = "public_health"

    @property
    def rank(self) -> int:
        """Height on the referral ladder: village clinic 1 ... tertiary 4.

        Public-health institutions sit at the primary level (2); a referral to or from
        one counts in neither direction (``ihms.indicators`` calls it lateral, as one
        between two THCs): a CDC's tuberculosis or notifiable-disease referral is no
        上转 or 下转 of graded care.
        """
        return _TIER_RANK[self]

    @property
    def is_hospital(self) -> bool:
        return self in (Tier.TERTIARY, Tier.SECONDARY)

    @property
    def is_primary_care(self) -> bool:
        return self in (Tier.PRIMARY_CENTRE, Tier.VILLAGE_CLINIC)


_TIER_RANK = {
    Tier.VILLAGE_CLINIC: 1,
    Tier.PRIMARY_CENTRE: 2,
    Tier.PUBLIC_HEALTH: 2,
    Tier.SECONDARY: 3,
    Tier.TERTIARY: 4,
}


class Affiliation(_Vocabulary):
    """Who administers an institution (seed 001, section 2.2)."""

    NATIONAL = "national"  # the National Health Commission
    UNIVERSITY = "university"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"  # county and urban district (区属) alike
    PRIVATE = "private"

    @property
    def excluded_from_full_integration(self) -> bool:
        """NHC, university and provincial hospitals stay out of fully integrated
        consortia (seed 001, sections 2.1-2.3)."""
        return self in (Affiliation.NATIONAL, Affiliation.UNIVERSITY, Affiliation.PROVINCIAL)


class Ownership(_Vocabulary):
    """Who owns an institution's assets."""

    PUBLIC = "public"
    PRIVATE = "private"
    COLLECTIVE = "collective"  # e.g. village-owned clinics


class ConsortiumType(_Vocabulary):
    """The four official types (seed 001, section 1.2)."""

    URBAN_MEDICAL_GROUP = "urban_medical_group"
    COUNTY_MEDICAL_COMMUNITY = "county_medical_community"
    SPECIALIST_ALLIANCE = "specialist_alliance"
    TELEMEDICINE_NETWORK = "telemedicine_network"

    @property
    def serves_grid(self) -> bool:
        """Urban medical groups and county medical communities serve a grid."""
        return self in (
            ConsortiumType.URBAN_MEDICAL_GROUP,
            ConsortiumType.COUNTY_MEDICAL_COMMUNITY,
        )


class Integration(_Vocabulary):
    """Integration degree: full / half / flexible (Gao et al. 2022, section 1.1: "full-
    integration, half-integration, and flexible-integration") = tight / semi-compact /
    loose (the VI-HQMR policy study): shared assets and management, a contract with
    unchanged assets, or technical cooperation only."""

    FULL = "full"
    HALF = "half"
    FLEXIBLE = "flexible"


class CooperationForm(_Vocabulary):
    """Forms of technical cooperation, the chain along which resources sink from upper
    to lower tiers (seed 001 section 3; seeds 003 and 004)."""

    DISPATCHED_SPECIALISTS = "dispatched_specialists"  # specialists posted to a THC (seed 004)
    ITINERANT_SERVICES = "itinerant_services"
    REMOTE_CONSULTATION = "remote_consultation"
    JOINT_WARD = "joint_ward"
    MUTUAL_RECOGNITION = "mutual_recognition"  # of test and examination results
    TRAINING = "training"  # of the lower tier's staff (seed 001 section 3)
    TECHNICAL_GUIDANCE = "technical_guidance"  # unspecified; what a specialist alliance gives


class StaffActivity(_Vocabulary):
    """What a staff member's activity record counts for the doctors' annual-salary
    scorecard (Sanming, DOMAIN.md): a health education session held, or a day a county
    doctor spent consulting at a township health centre (the cooperation indicator)."""

    HEALTH_EDUCATION_SESSION = "health_education_session"
    THC_CONSULTATION_DAY = "thc_consultation_day"


#: Other names for each vocabulary's values, keyed by :func:`normalise`-d name.
ALIASES: dict[str, dict[str, str]] = {
    "Tier": {
        "三级医院": "tertiary",
        "三级": "tertiary",
        # the grade (甲等/乙等) within a tier does not change the tier
        "三级甲等医院": "tertiary",
        "三级乙等医院": "tertiary",
        "三甲医院": "tertiary",
        "三甲": "tertiary",
        "三乙": "tertiary",
        "二级甲等医院": "secondary",
        "二级乙等医院": "secondary",
        "二甲医院": "secondary",
        "二甲": "secondary",
        "二乙": "secondary",
        "二级医院": "secondary",
        "二级": "secondary",
        "县医院": "secondary",
        "县级医院": "secondary",
        "county_hospital": "secondary",
        "乡镇卫生院": "primary_centre",
        "卫生院": "primary_centre",
        "社区卫生服务中心": "primary_centre",
        "乡镇卫生院（社区卫生服务中心）": "primary_centre",  # as --lang zh prints the tier
        "primary_center": "primary_centre",
        "township_health_centre": "primary_centre",
        "township_health_center": "primary_centre",
        "community_health_centre": "primary_centre",
        "community_health_center": "primary_centre",
        "村卫生室": "village_clinic",
        "卫生室": "village_clinic",
        "社区卫生服务站": "village_clinic",
        "村卫生室（社区卫生服务站）": "village_clinic",
        "community_health_station": "village_clinic",
        "专业公共卫生机构": "public_health",
        "公共卫生机构": "public_health",
        "疾病预防控制中心": "public_health",
        "疾控中心": "public_health",
    },
    "Affiliation": {
        "nhc": "national",
        "国家卫生健康委": "national",
        "国家卫健委": "national",
        "委属": "national",
        "高校": "university",
        "大学": "university",
        "高校附属": "university",
        "省属": "provincial",
        "省级": "provincial",
        "province": "provincial",
        "市属": "municipal",
        "市级": "municipal",
        "city": "municipal",
        "县属": "county",
        "县级": "county",
        "区属": "county",
        "区级": "county",
        "district": "county",
        "民营": "private",
        "私立": "private",
        "社会办": "private",
    },
    "Ownership": {
        "公立": "public",
        "民营": "private",
        "私立": "private",
        "集体": "collective",
    },
    "ConsortiumType": {
        "城市医疗集团": "urban_medical_group",
        "医疗集团": "urban_medical_group",
        "urban_group": "urban_medical_group",
        "县域医共体": "county_medical_community",
        "县域医疗共同体": "county_medical_community",
        "县域医疗卫生共同体": "county_medical_community",  # the NHC's official term
        "医疗卫生共同体": "county_medical_community",
        "医共体": "county_medical_community",
        "county_community": "county_medical_community",
        "专科联盟": "specialist_alliance",
        "specialty_alliance": "specialist_alliance",
        "远程医疗协作网": "telemedicine_network",
        "远程医疗协作网络": "telemedicine_network",
        "telemedicine_collaboration_network": "telemedicine_network",
    },
    "Integration": {
        "紧密型": "full",
        "紧密": "full",
        "tight": "full",
        "半紧密型": "half",
        "半紧密": "half",
        "semi_tight": "half",
        "semi_compact": "half",
        "compact": "full",
        "close_knit": "full",
        "松散型": "flexible",
        "松散": "flexible",
        "loose": "flexible",
    },
    "CooperationForm": {
        "专家下沉": "dispatched_specialists",
        "派驻专家": "dispatched_specialists",
        "下派专家": "dispatched_specialists",
        "巡回医疗": "itinerant_services",
        "远程会诊": "remote_consultation",
        "远程医疗": "remote_consultation",
        "联合病房": "joint_ward",
        "共建病房": "joint_ward",
        "检查检验结果互认": "mutual_recognition",
        "结果互认": "mutual_recognition",
        "mutual_recognition_of_test_results": "mutual_recognition",
        "进修培训": "training",
        "培训": "training",
        "带教": "training",
        "技术指导": "technical_guidance",
    },
    "StaffActivity": {
        "健康教育": "health_education_session",
        "健康教育活动": "health_education_session",
        "健康教育讲座": "health_education_session",
        "健康讲座": "health_education_session",
        "health_education": "health_education_session",
        "下乡坐诊": "thc_consultation_day",
        "下基层坐诊": "thc_consultation_day",
        "驻点坐诊": "thc_consultation_day",
        "坐诊": "thc_consultation_day",
        "thc_consultation": "thc_consultation_day",
        "consultation_day": "thc_consultation_day",
    },
}
