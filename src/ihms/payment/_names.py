"""The names a county's export writes for the payment tables' codes (review P #6).

Read as ``ihms data import`` reads a closed vocabulary's names
(:func:`ihms.data._vocabulary.read_codes`: width-folded, lower case, with a note naming
file and column): a spending row's ``setting``, a roster's ``role`` and an indicator
table's ``subject`` naming the consortium (:data:`CONSORTIUM_NAMES`, the spending
table's names of the setting, so ``医共体`` means the consortium in both). Each name means
one code only, so reading it is no guess. Left out on purpose: a bare 主任, which is a
department's head (科主任, a doctor) as often as a centre's director (中心主任, read), and
a bare 医院, which may be any setting.
"""

from __future__ import annotations

from types import MappingProxyType

from ihms._width import fold_width

__all__ = ["CONSORTIUM_NAMES", "CONSORTIUM_SUBJECT", "ROLE_NAMES", "SETTING_NAMES", "role_code"]


def _with_spellings(names: dict[str, str]) -> MappingProxyType[str, str]:
    """``names`` and each code in loose spelling (``Outside county``, ``outside-county``)."""
    loose = {code.replace("_", sep): code for code in names.values() for sep in (" ", "-", "_")}
    return MappingProxyType({**loose, **names})


#: Where residents were treated (``SETTINGS``): the consortium's members, outside the
#: county, a private hospital.
SETTING_NAMES = _with_spellings(
    {
        "医共体": "consortium", "县域医共体": "consortium", "医共体内": "consortium",
        "县域内": "consortium", "县内": "consortium",
        "县外": "outside_county", "县域外": "outside_county", "外县": "outside_county",
        "市外": "outside_county", "县外就医": "outside_county", "异地就医": "outside_county",
        "民营": "private", "民营医院": "private", "民营医疗机构": "private",
        "私立": "private", "私立医院": "private", "社会办医": "private",
        "社会办医疗机构": "private",
    }
)  # fmt: skip

#: Subject under which the indicator values table holds the consortium's own indicators.
CONSORTIUM_SUBJECT = "consortium"

#: The names an indicator table's ``subject`` may give the consortium: those the spending
#: table reads as its ``consortium`` setting (payment review 2026-11-25, 2: rows under
#: 医共体 were left unread, and the assessment taken as given no values).
CONSORTIUM_NAMES = MappingProxyType({k: v for k, v in SETTING_NAMES.items() if v == "consortium"})

#: The built-in rule sets' scorecards (``director``, ``doctor``); a role no name here
#: gives is kept as written, for a county's rules naming other cards.
ROLE_NAMES = _with_spellings(
    {
        "院长": "director", "总院长": "director", "医院院长": "director",
        "卫生院院长": "director", "中心主任": "director", "社区卫生服务中心主任": "director",
        "医生": "doctor", "医师": "doctor", "执业医师": "doctor", "临床医生": "doctor",
        "全科医生": "doctor", "家庭医生": "doctor", "乡村医生": "doctor",
        "主任医师": "doctor", "副主任医师": "doctor", "主治医师": "doctor",
        "住院医师": "doctor",
    }
)  # fmt: skip


def role_code(role: str) -> str:
    """The scorecard a role name means, read as a roster's ``role`` cell is read (width
    folded, lower case): ``医生`` and ``Doctor`` → ``doctor``; a name :data:`ROLE_NAMES`
    does not give is kept as written (a county's own card). The rules' scorecard keys are
    read so too, or a card keyed ``医生`` would find none of a roster's 医生.

    Examples
    --------
    >>> role_code("院长"), role_code("ＤＯＣＴＯＲ"), role_code("nurse")
    ('director', 'doctor', 'nurse')
    """
    return ROLE_NAMES.get(fold_width(str(role)).strip().lower(), role)
