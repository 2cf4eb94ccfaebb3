"""Payment rules are values (session 35, after ``FamilyPhysicianFee``): each container a
rule holds (the premium's amounts by year, a balance use's shares by year, the staff
scorecards, a card's indicators, the MSR table, the assumptions) is a read-only copy of
what was given, so nothing refused at construction can be put in afterwards, and rules
built from equal data are equal, hash equal and digest equal however the containers
were passed (a dict or a read-only mapping, a list or a tuple).

The digests of the built-in rules stay as pinned (``test_rules_role_names``,
``test_rules_citations``); :func:`test_digests_are_those_before` pins those of rules with
every kind of container, as computed before the change."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping
from dataclasses import FrozenInstanceError, replace
from decimal import Decimal
from types import MappingProxyType

import pytest
import yaml

from ihms.payment import (
    BUILTIN_RULES,
    BalanceUses,
    MsrBand,
    PremiumRule,
    Scorecard,
    ScorecardIndicator,
    SharedSavingsRule,
    StaffPay,
    ThresholdScoring,
    load_rules,
    rules_from_mapping,
)

from .conftest import sanming_text_before_36

D = Decimal

READ_ONLY = "read-only"


def _card(role="director", indicators=None):
    line = ScorecardIndicator("hypertension_control_rate", "Control", D(1), ThresholdScoring(D(0)))
    return Scorecard(role, (line,) if indicators is None else indicators, D("0.6"))


# --------------------------------------------------------------------------- refused


def test_a_premium_cannot_be_changed_after_its_check():
    given = {2019: 100_000}
    premium = PremiumRule(by_year=given)
    with pytest.raises(TypeError, match=rf"PremiumRule\.by_year is {READ_ONLY}"):
        premium.by_year[2020] = -5  # type: ignore[index]
    with pytest.raises(TypeError, match=READ_ONLY):
        del premium.by_year[2019]  # type: ignore[attr-defined]
    given[2019] = -1  # the caller's dict is not the rule's
    assert premium.for_year(2019) == 100_000
    with pytest.raises(FrozenInstanceError):
        premium.by_year = {2019: -1}  # type: ignore[misc]


def test_a_balance_use_share_by_year_cannot_be_changed_after_its_check():
    by_year = {2018: D("0.5"), 2019: D("0.5")}
    uses = BalanceUses(shares=(("staff_incentive", by_year), ("cooperation", D("0.5"))))
    share = dict(uses.shares)["staff_incentive"]
    with pytest.raises(TypeError, match=rf"BalanceUses share 'staff_incentive' is {READ_ONLY}"):
        share[2019] = D("0.9")  # type: ignore[index]
    by_year[2019] = D("0.9")  # would make 2019's shares add up to 140 %
    assert uses.share_of("staff_incentive", 2019) == D("0.5")


def test_balance_uses_given_as_lists_are_kept_as_tuples():
    uses = BalanceUses(shares=[["staff_incentive", D("0.5")], ["cooperation", D("0.5")]])
    assert uses.shares == (("staff_incentive", D("0.5")), ("cooperation", D("0.5")))
    with pytest.raises(TypeError):
        uses.shares[0] = ("staff_incentive", D("0.9"))  # type: ignore[index]


def test_a_scorecard_cannot_be_put_in_after_the_roles_are_checked():
    pay = StaffPay("annual_salary", {"院长": _card("院长")})
    assert dict(pay.scorecards) == {"director": _card()}
    with pytest.raises(TypeError, match=rf"StaffPay\.scorecards is {READ_ONLY}"):
        pay.scorecards["医生"] = _card("director")  # type: ignore[index]
    with pytest.raises(TypeError, match=READ_ONLY):
        pay.written["director"] = "director"  # type: ignore[index]
    assert pay.written == {"director": "院长"}


def test_a_cards_indicators_and_the_msr_table_are_tuples_however_given():
    line = _card().indicators[0]
    card = _card(indicators=[line])
    assert card.indicators == (line,) and card == _card()
    with pytest.raises(TypeError, match="does not support item assignment"):
        card.indicators[0] = replace(line, weight=D("0.1"))  # type: ignore[index]
    bands = [MsrBand(0, 999, D("0.03"), D("0.03")), MsrBand(1000, None, D("0.02"), D("0.02"))]
    listed = SharedSavingsRule("given", D("0.5"), D("0.1"), msr_table=bands)
    assert listed.msr_table == tuple(bands)
    assert listed == SharedSavingsRule("given", D("0.5"), D("0.1"), msr_table=tuple(bands))
    # appended after the check, an overlapping band was read by the engine
    with pytest.raises(AttributeError):
        listed.msr_table.append(MsrBand(500, 600, D("0.9"), D("0.9")))  # type: ignore[attr-defined]


def test_no_msr_table_and_one_assumption_given_plainly():
    # tuple() of None raised a bare TypeError, and of a text split it into characters
    none = SharedSavingsRule("given", D("0.5"), D("0.1"), msr_fixed=D("0.02"), msr_table=None)
    assert none.msr_table == ()
    rules = load_rules("sanming")
    one = replace(rules, assumptions="premium per insured (assumption)")
    assert one.assumptions == ("premium per insured (assumption)",)


# --------------------------------------------------------------------------- values


def test_rules_are_hashable_and_equal_rules_hash_equal():
    # a rule holding a dict could not be hashed (TypeError: unhashable type: 'dict')
    for name in BUILTIN_RULES:
        assert hash(load_rules(name)) == hash(load_rules(name))
    assert len({load_rules("sanming"), load_rules("sanming"), load_rules("mssp")}) == 2


def _by_year_rules():
    # on the sanming file as it was when the digest below was pinned (its premium and
    # assumptions changed in session 36; this premium replaces that one anyway)
    data = yaml.safe_load(sanming_text_before_36())
    data["budget"]["premium"] = {"by_year_yuan": {2018: 1000, 2019: 1100}}
    data["balance_uses"] = {
        "staff_incentive": {2018: "16%", 2019: "20%"},
        "cooperation": {2018: "24%", 2019: "20%"},
        "health_promotion": "20%",
        "institutional_development": "40%",
    }
    return rules_from_mapping(data)


def test_rules_built_from_read_only_mappings_or_lists_equal_and_digest_equal():
    rules = _by_year_rules()
    premium = rules.budget.premium
    proxied = PremiumRule(by_year=MappingProxyType({2018: 100_000, 2019: 110_000}))
    assert proxied == premium and hash(proxied) == hash(premium)
    uses = BalanceUses(
        shares=[
            (name, MappingProxyType(dict(s)) if isinstance(s, Mapping) else s)
            for name, s in rules.balance_uses.shares
        ]
    )
    again = replace(
        rules,
        budget=replace(rules.budget, premium=proxied),
        balance_uses=uses,
        staff_pay=replace(
            rules.staff_pay, scorecards=MappingProxyType(dict(rules.staff_pay.scorecards))
        ),
        assumptions=list(rules.assumptions),
    )
    # a mappingproxy could not be digested (dataclasses.asdict deep-copies it)
    assert again == rules and hash(again) == hash(rules) and again.digest == rules.digest


def test_a_rule_set_pickles_and_copies_to_an_equal_one():
    for rules in (load_rules("sanming"), load_rules("deqing-shared-savings"), _by_year_rules()):
        for other in (pickle.loads(pickle.dumps(rules)), copy.deepcopy(rules), replace(rules)):
            assert other == rules and other.digest == rules.digest
            assert other.to_dict() == rules.to_dict()
    premium = pickle.loads(pickle.dumps(_by_year_rules().budget.premium))
    with pytest.raises(TypeError, match=READ_ONLY):
        premium.by_year[2018] = -1  # type: ignore[index]


def test_digests_are_those_before():
    # the digest the code before the change gave these rules (e0df3278; re-taken at
    # 8528d58c, the re-tuned simulator's branch, whose Sanming director card scores
    # outpatient_contacts_primary_share): a stability pin, as the built-in rules' are
    # (test_rules_role_names); to_dict was compared whole too
    assert _by_year_rules().digest == "fe30780bb4ae8d04"
