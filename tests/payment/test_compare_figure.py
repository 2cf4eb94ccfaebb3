"""The regimes figure as a reader sees it (review of the demo report, session 18,
finding 15: its legends named the rule sets by their ids, "sanming — as observed", and
the budget panel's axis started near 195 million yuan, so gaps of a few per cent looked
several times their size)."""

from decimal import Decimal

import pytest

from ihms.payment import compare_regimes, load_rules, observed_path, saving_path


@pytest.fixture
def figure(youxi):
    rules = [load_rules("sanming"), load_rules("other-areas")]
    comparison = compare_regimes(
        rules,
        population=youxi["population"],
        paths=[
            observed_path(youxi["spending"]),
            saving_path(youxi["spending"], rate=Decimal("0.05"), from_year=2018),
        ],
        years=[2018, 2019],
        assume_assessment_passed=True,
    )
    return rules, comparison.figure()


def test_the_legends_name_the_rule_sets_by_their_titles(figure):
    rules, fig = figure
    # a built-in rule file's title before its dash: "Sanming IMPM", "Other areas of China"
    titles = [r.title.split(" — ")[0] for r in rules]
    for ax in fig.axes:
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        for rule, title in zip(rules, titles, strict=True):
            assert any(label.startswith(f"{title} — ") for label in labels), labels
            assert not any(label.startswith(f"{rule.name} — ") for label in labels), labels


def test_the_budget_axis_starts_at_zero(figure):
    _, fig = figure
    budget, result = fig.axes
    assert budget.get_ylim()[0] == 0
    low, high = result.get_ylim()
    assert low <= 0 <= high
