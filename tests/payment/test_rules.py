"""What a user sees of a rule set at a prompt: one line naming it, not every section."""

from __future__ import annotations

import dataclasses

import pytest

from ihms.payment import BUILTIN_RULES, load_rules


@pytest.mark.parametrize("name", sorted(BUILTIN_RULES))
def test_rules_repr_is_one_line_naming_the_rule_set(name):
    rules = load_rules(name)
    text = repr(rules)
    # before: the generated repr printed every section, scorecards included (~3,700
    # characters for Sanming's rules)
    assert "\n" not in text and len(text) < 200
    assert text == (
        f"<PaymentRules: name={rules.name!r}, version={rules.version!r}, "
        f"kind={rules.kind!r}, digest={rules.digest!r}>"
    )
    assert str(rules) == text


def test_a_brief_repr_leaves_equality_and_the_data_as_they_were():
    rules = load_rules("sanming")
    assert rules == load_rules("sanming") and rules != load_rules("other-areas")
    changed = dataclasses.replace(rules, version="2018.2")
    assert changed != rules and changed.digest != rules.digest
    assert rules.to_dict()["balance_uses"] == {
        "shares": [[name, str(share)] for name, share in rules.balance_uses.shares]
    }
