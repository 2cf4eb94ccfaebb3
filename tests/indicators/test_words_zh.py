"""The indicators' Chinese words (``--lang zh``, :mod:`ihms.indicators._words_zh`):
every unit, level and period of the catalogue has one, and the reasons an indicator is
left out (as :mod:`ihms.indicators.compute` writes them) are said in Chinese."""

from __future__ import annotations

import pytest

from ihms.indicators import CATALOGUE
from ihms.indicators._system_file import NO_PATHWAY, REGISTER_ONLY, for_cli
from ihms.indicators._words_zh import LEVELS, PERIODS, UNITS, reason_zh, unit_cell
from ihms.indicators.catalogue import LEVELS as CATALOGUE_LEVELS
from ihms.indicators.catalogue import PERIODS as CATALOGUE_PERIODS
from ihms.indicators.compute import _lacking_text


def test_every_unit_level_and_period_has_chinese_words():
    assert {i.unit for i in CATALOGUE} <= UNITS.keys()
    assert set(CATALOGUE_LEVELS) == LEVELS.keys()
    assert set(CATALOGUE_PERIODS) == PERIODS.keys()
    assert all(i.name_zh for i in CATALOGUE)  # the row labels of compute --lang zh


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        (_lacking_text(["follow_ups"], "empty"), "表 follow_ups 无记录"),
        (
            _lacking_text(["staff", "beds"], "absent") + "; " + _lacking_text(["x"], "empty"),
            "表 staff、beds 缺失；表 x 无记录",
        ),
        ("no consortium has records for it in the period", "期间内没有任何医联体有其记录"),
        (
            for_cli(REGISTER_ONLY),
            "其人口为参保居民，体系文件的网格人口不含此数；仅按居民登记计算（--population register）",
        ),
        (
            for_cli(NO_PATHWAY),
            "其按卫生服务体系文件的转诊路径判断转诊，而数据中没有该文件（请给出 --system FILE）",
        ),
        ("a reason of another kind", "a reason of another kind"),
    ],
)
def test_reasons_in_chinese(reason, chinese):
    assert reason_zh(reason) == chinese


def test_unit_cells():
    assert [unit_cell(v) for v in ("secondary", "primary_centre", "village_clinic", "total")] == [
        "县级医院",
        # one tier: the township and the urban community institution (review zh33 #13)
        "乡镇卫生院（社区卫生服务中心）",
        "村卫生室（社区卫生服务站）",
        "合计",
    ]
    assert unit_cell("youxi") == "youxi"  # a county's id stays
