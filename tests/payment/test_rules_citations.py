"""The built-in rule files cite their studies by author and year ("Zhong et al. 2023"),
as ihms.sources does, where they said "seed 002"; a rule set's digest is computed on
the wording it had, so the built-in rules, and every ledger posted with them, keep
their digests."""

from __future__ import annotations

import copy

import pytest
import yaml

from ihms.payment import BUILTIN_RULES, builtin_rules_text, load_rules, rules_from_mapping

from .conftest import (
    SANMING_DIGEST,
    SANMING_DIGEST_BEFORE_32,
    SANMING_DIGEST_BEFORE_35,
    SANMING_DIGEST_BEFORE_36,
    sanming_text_before_24,
    sanming_text_before_32,
    sanming_text_before_35,
    sanming_text_before_36,
)

# computed on main (0ae8a9a), whose rule files said "Seed 002, ..." and "seed 004 ..."
DIGESTS_BEFORE = {
    "sanming": "a371f149a6b56a9a",
    "other-areas": "d253ee0b60a96025",
    "fee-for-service": "cfae63d8b4b5d97b",
    "deqing-shared-savings": "89f041cb52611882",
    "mssp": "ee41253694e069a5",
}


# sanming.yaml changed in session 24 (staff_pay.other_roles and three assumptions,
# review 24 #1, #2, #5), 32 (the director's control rates), 35 (its share of all
# outpatient contacts) and 36 (the premium): its digest is new; the file without them
# keeps the old one
DIGESTS_NOW = {**DIGESTS_BEFORE, "sanming": SANMING_DIGEST}


def test_every_built_in_rule_set_is_pinned():
    assert set(DIGESTS_BEFORE) == set(BUILTIN_RULES)


@pytest.mark.parametrize("name", BUILTIN_RULES)
def test_built_in_digests_are_those_of_the_old_wording(name):
    assert load_rules(name).digest == DIGESTS_NOW[name]


def test_sanming_with_its_former_health_promotion_lines_keeps_its_former_digest():
    # session 32: the director's card scores the hypertension and diabetes control rates
    # Zhong et al. 2023 name (Discussion), not the management rates; the file as it was
    # has the digest pinned from session 24 to 31, and the change gives another
    before = rules_from_mapping(yaml.safe_load(sanming_text_before_32()))
    assert before.digest == SANMING_DIGEST_BEFORE_32
    assert [i.id for i in before.staff_pay.scorecards["director"].indicators][1:3] == [
        "hypertension_management_rate",
        "diabetes_management_rate",
    ]
    assert load_rules("sanming").digest != SANMING_DIGEST_BEFORE_32


def test_sanming_with_its_former_cooperation_line_keeps_its_former_digest():
    # session 35: the director's card scores the primary-care share of all outpatient
    # contacts (Zhong et al. 2023's Table 4, the county's 诊疗人次), not of preventive
    # visits; the file as it was has the digest pinned from session 32 to 34
    before = rules_from_mapping(yaml.safe_load(sanming_text_before_35()))
    assert before.digest == SANMING_DIGEST_BEFORE_35
    ids = [i.id for i in before.staff_pay.scorecards["director"].indicators]
    assert "healthcare_visits_primary_share" in ids
    assert load_rules("sanming").digest == SANMING_DIGEST != SANMING_DIGEST_BEFORE_35


def test_sanming_with_its_former_premium_keeps_its_former_digest():
    # session 36: the premium is the national minimum financing of resident medical
    # insurance, 630 / 710 / 770 yuan in 2017-2019 (Xinhua 2018-07-25: 450 + 180 and
    # 490 + 220; 2019: 520 + 250), not 640 yuan in 2017 grown 6 %; the file as it was has
    # the digest pinned in session 35
    before = rules_from_mapping(yaml.safe_load(sanming_text_before_36()))
    assert before.digest == SANMING_DIGEST_BEFORE_36
    assert [before.budget.premium.for_year(y) for y in (2017, 2018, 2019)] == [
        64_000,
        67_840,
        71_910,
    ]
    now = load_rules("sanming")
    assert [now.budget.premium.for_year(y) for y in (2017, 2018, 2019)] == [
        63_000,
        71_000,
        77_000,
    ]
    # after 2019 the growth rule goes on from 2019's amount: 770 x 1.06 = 816.20 yuan
    assert now.budget.premium.for_year(2020) == 81_620
    assert now.digest == SANMING_DIGEST != SANMING_DIGEST_BEFORE_36


def test_sanming_without_the_session_24_additions_keeps_its_old_digest():
    before = rules_from_mapping(yaml.safe_load(sanming_text_before_24()))
    assert before.digest == DIGESTS_BEFORE["sanming"]


def test_the_template_cites_by_author_and_year():
    text = builtin_rules_text("sanming")
    assert "Zhong et al. 2023" in text and "eed 002" not in text
    rules = load_rules("sanming")
    assert rules.source.startswith('Zhong et al. 2023, "The payment policies for IHC in IMPM"')
    assert "(Zhong et al. 2023 gives no figure)" in rules.assumptions[0]


def test_a_copy_in_either_wording_has_the_same_digest():
    # a county's file copied from an older template says "Seed 002"; from this one,
    # "Zhong et al. 2023": the same rules, the same digest
    new = yaml.safe_load(builtin_rules_text("sanming"))
    old = copy.deepcopy(new)
    old["source"] = new["source"].replace("Zhong et al. 2023", "Seed 002", 1)
    old["assumptions"][0] = new["assumptions"][0].replace("Zhong et al. 2023", "seed 002")
    assert old != new
    assert rules_from_mapping(old).digest == rules_from_mapping(new).digest


def test_other_words_in_the_source_still_change_the_digest():
    new = yaml.safe_load(builtin_rules_text("sanming"))
    other = copy.deepcopy(new)
    other["source"] = new["source"].replace("Zhong et al. 2023", "Jia et al. 2021", 1)
    assert rules_from_mapping(other).digest != rules_from_mapping(new).digest
    other["source"] = new["source"] + " Read again in 2026."
    assert rules_from_mapping(other).digest != rules_from_mapping(new).digest
