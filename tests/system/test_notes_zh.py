"""``ihms system check --lang zh``'s notes: each kind :func:`ihms.system.system_notes`
writes (the English as tests/system/test_grid_overlap.py, test_review30_rules.py and
tests/cli/test_system_cli.py check it) said in Chinese, ids and figures kept."""

from __future__ import annotations

import pytest
from tests.indicators.conftest import TINY_YAML
from tests.system.test_grid_overlap import SECOND

from ihms.system import parse_system, system_notes
from ihms.system._notes_zh import system_note_zh


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (
            "qingshan.yaml lines 57, 66: type '县域医共体' read as 'county_medical_community'",
            "qingshan.yaml 第 57、66 行：type '县域医共体' 读作 'county_medical_community'"
            "（县域医共体）。",
        ),
        (
            "consortium 'sa-tcm' is a specialist alliance marked fully integrated; Gao et al. "
            "2022 counts these as technical cooperation (flexible), and the rules for full "
            "consortia now apply to it — check 'integration'",
            "医联体 'sa-tcm' 是专科联盟，却标为紧密型；Gao et al. 2022 将其视为技术协作（松散型），"
            "紧密型医联体的规则现对其适用——请核对 'integration'。",
        ),
        (
            "institution 'THC2' never operates within the period 2020–2021 — check its years",
            "机构 'THC2' 在期间 2020–2021 内从未运行——请核对其年份。",
        ),
        (
            "2 primary centres have no way up in 2021 (THC1, THC2): no consortium, hospital "
            "or tertiary hospital to refer to, so their up-referrals all count as off the "
            "pathway",
            "2 家乡镇卫生院（社区卫生服务中心）在 2021 年无处上转（THC1、THC2）：没有可转诊的医联体、医院或三级医院，"
            "其上转均计为未按转诊路径转诊。",
        ),
        ("a note of a kind not known", "a note of a kind not known."),
    ],
)
def test_each_kind_of_note_in_chinese(english, chinese):
    assert system_note_zh(english) == chinese


def test_the_shared_grid_note_of_a_system():
    (note,) = system_notes(parse_system(TINY_YAML + SECOND, source="tiny.yaml"))
    assert system_note_zh(note) == (
        "网格 'g1' 在 2017 年由 2 个医联体服务（cmc 紧密型、umg 半紧密型）：Gao et al. 2022"
        "（第 2.4 节）每个网格只有一个医联体，医联体层级的指标将该网格的居民计入其中每一个。"
    )
