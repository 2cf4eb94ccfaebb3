"""Whether a rule set resets its budget or benchmark every year from the spending just
before it — the ratchet — said in a sentence for ``ihms payment compare``.

Zhong et al. 2023 name the ratchet as what Sanming left behind: where a budget follows
the previous years' spending ("other areas"), a consortium that spends less is given
less. ``deqing-shared-savings`` sets its shared-savings benchmark the same way, from
the previous year's cost of care (the rule file's assumption: Jia et al. 2021 publish
no rates), so a saving that lasts is measured against a benchmark it has itself
lowered, and earns less each year: the comparison's figures show it (Deqing's saving
path earns less in its second year, Sanming's more), and this note says why. It
describes the rules compared; it changes none.
"""

from __future__ import annotations

from ihms.payment.money import format_rate
from ihms.payment.rules import PaymentRules

__all__ = ["rebasing_note"]


def rebasing_note(rules: PaymentRules, label: str) -> str | None:
    """The sentence saying ``rules`` (shown as ``label``, a built-in set's short title)
    reset their global budget or shared-savings benchmark every year from the actual
    spending of the years before (a ratchet); None when they do not (a budget set on
    the population and premium, a benchmark given by the payer, fee for service).

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> print(rebasing_note(load_rules("deqing-shared-savings"), "Deqing CIHO"))
    Deqing CIHO (deqing-shared-savings) resets its shared-savings benchmark every year from the previous year's actual cost of care per assigned resident (trended forward 5% a year): a ratchet — a saving that lasts lowers the next year's benchmark, so it earns less each year it lasts.
    >>> rebasing_note(load_rules("sanming"), "Sanming IMPM") is None
    True
    """
    if rules.budget is not None and rules.budget.method == "history":
        years, growth = rules.budget.history_years, rules.budget.history_growth
        what, spent = "global budget", "charged spending per insured person"
    elif rules.shared_savings is not None and rules.shared_savings.benchmark_method == "history":
        years, growth = rules.shared_savings.history_years, rules.shared_savings.history_growth
        what, spent = "shared-savings benchmark", "cost of care per assigned resident"
    else:
        return None
    who = label if label == rules.name else f"{label} ({rules.name})"
    span = "the previous year's" if years == 1 else f"the mean of the previous {years} years'"
    trend = f" (trended forward {format_rate(growth)} a year)" if growth else ""
    return (
        f"{who} resets its {what} every year from {span} actual {spent}{trend}: a ratchet — "
        f"a saving that lasts lowers the next year's {what.split()[-1]}, so it earns less "
        "each year it lasts."
    )
