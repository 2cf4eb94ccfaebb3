"""Grouped open answers in the codebook (seed 003's symbiotic environment): how a coder
types one, how it is stored, named and ordered, and what a codebook may declare."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ihms.errors import ConfigError, InputError
from ihms.policy.codebook import load_codebook, parse_codebook


@pytest.fixture(scope="module")
def env():
    return load_codebook("symbiosis").dimension("共生环境")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("政策环境：多点执业", "policy:多点执业"),  # full-width colon, the group's Chinese name
        ("政策: 医师多点执业", "policy:多点执业"),  # an alias, a synonym
        ("Policy: Multi-site practice", "policy:多点执业"),  # English names both sides
        ("technology:远程会诊系统", "technology:远程医疗"),  # the key
        ("Technological environment：互联网诊疗。", "technology:互联网医院"),
        ("economy: 省级财政补助", "economy:财政补助"),
        ("社会环境：舆论宣传", "society:舆论宣传"),  # an answer outside the dictionary
    ],
)
def test_a_typed_answer_is_stored_with_its_group(env, typed, stored):
    assert env.parse_answer(typed) == stored
    assert env.normalize(typed) == stored
    assert env.normalize(stored) == stored  # stored answers read back as themselves
    assert env.split_answer(stored) == tuple(stored.split(":", 1))


def test_one_answer_may_sit_in_two_groups(env):
    # seed 003 §3.2.3: telemedicine is a core policy (with its payment) and a technology
    assert env.parse_answer("政策环境：远程医疗") == "policy:远程医疗"
    assert env.parse_answer("技术环境：远程医疗") == "technology:远程医疗"
    assert env.group_of("policy:远程医疗").key == "policy"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("多点执业", "answer '多点执业' has no group; write it as '<group>: 多点执业'"),
        ("政策环境", "'政策环境' names group 'policy' but no answer"),
        ("政策环境：", "names group 'policy' but no answer"),
        ("legal: 多点执业", "names unknown group 'legal'; groups: policy"),
    ],
)
def test_an_answer_without_a_known_group_is_refused(env, typed, message):
    with pytest.raises(InputError, match=message):
        env.parse_answer(typed)


def test_a_list_may_carry_its_group_over(env):
    assert env.parse_answer("编制", group="政策环境") == "policy:编制与职称晋升"
    assert env.parse_answer("技术：信息平台", group="policy") == "technology:信息化"
    with pytest.raises(InputError, match="unknown group 'law'"):
        env.parse_answer("编制", group="law")


def test_labels_and_order_follow_the_framework(env):
    values = [
        "economy:专项资金",
        "policy:新政策",
        "technology:远程医疗",
        "policy:多点执业",
        "policy",
    ]
    # groups in the codebook's order, the group-level code first, then the synonym
    # dictionary's order, then answers it does not list
    assert sorted(values, key=env.sort_key) == [
        "policy", "policy:多点执业", "policy:新政策", "technology:远程医疗", "economy:专项资金"
    ]  # fmt: skip
    assert env.value_label("technology:远程医疗") == "Technology: Telemedicine"
    assert env.value_label("policy:新政策") == "Policy: 新政策"
    assert env.value_label("economy", "zh") == "经济环境"


_ENV = load_codebook("symbiosis").dimension("symbiotic_environment")


@settings(deadline=None)
@given(st.text(alphabet="政策环境技术远程医疗多点执业编制：:;、, ab", max_size=12))
@example(";政策::")  # found by hypothesis: the group was looked for before the ';' went
def test_normalising_is_idempotent(text):
    env = _ENV
    once = env.normalize(text)
    assert env.normalize(once) == once


def test_a_grouped_answer_with_punctuation_before_it_keeps_its_group():
    # a stray separator left by hand-splitting a cell ("…；；政策环境：多点执业")
    assert _ENV.normalize("；政策环境：多点执业") == "policy:多点执业"
    assert _ENV.normalize(", 政策环境：多点执业。") == "policy:多点执业"


GROUPED = """
name: mini
dimensions:
  - key: env
    en: Environment
    zh: 环境
    kind: open
    multi: true
    groups:
      - {key: policy, en: Policy, zh: 政策环境, aliases: [政策]}
      - {key: money, en: Economy, zh: 经济环境}
    synonyms:
      多点执业: [医师多点执业]
"""


def test_a_user_codebook_may_group_open_answers():
    dim = parse_codebook(GROUPED).dimension("环境")
    assert dim.parse_answer("经济环境：财政") == "money:财政"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("key: money", "key: 'money:x'"), "without spaces or colons"),
        (
            lambda t: t.replace("zh: 经济环境", "zh: 政策"),
            "group name '政策' of 'money' also names",
        ),
        (
            lambda t: t.replace(
                "    multi: true\n", "    source: metadata\n    derive: {field: level}\n"
            ),
            "an open dimension with groups is coded",
        ),
        (lambda t: t.replace("kind: open", "kind: year"), "a year dimension has no groups"),
    ],
)
def test_grouped_open_dimensions_validate(edit, message):
    with pytest.raises(ConfigError, match=message):
        parse_codebook(edit(GROUPED))
