"""The regimes figure as a reader sees it (review of the demo report, session 18,
finding 15: its legends named the rule sets by their ids, "sanming — as observed", and
the budget panel's axis started near 195 million yuan, so gaps of a few per cent looked
several times their size)."""

from decimal import Decimal

import pytest

from ihms.payment import compare_regimes, load_rules, observed_path, saving_path


@pytest.fixture
def comparison(youxi):
    rules = [load_rules("sanming"), load_rules("other-areas")]
    return rules, compare_regimes(
        rules,
        population=youxi["population"],
        paths=[
            observed_path(youxi["spending"]),
            saving_path(youxi["spending"], rate=Decimal("0.05"), from_year=2018),
        ],
        years=[2018, 2019],
        assume_assessment_passed=True,
    )


@pytest.fixture
def figure(comparison):
    rules, compared = comparison
    return rules, compared.figure()


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


def test_the_budget_panel_writes_the_saving_paths_budget_change_beside_it(comparison):
    # review of the demo, 2026-11-25, finding 10: on an axis from zero the ratchet's cut
    # (11.06 million yuan in the demo) is invisible between near-coincident lines: the
    # last year's change against the observed path is written beside the point, the
    # axis left whole. The figures are effect_of_saving's, the table the text reads.
    rules, comparison = comparison
    budget, _ = comparison.figure().axes
    assert budget.get_ylim()[0] == 0
    written = [t.get_text() for t in budget.texts]
    effect = comparison.effect_of_saving().set_index(["regime", "year"])
    path = comparison.paths[0]
    for rule in rules:
        change = int(effect.loc[(rule.name, 2019), "budget_change_fen"])
        said = f"{change / 1e8:+,.2f} million yuan vs {path}".replace("-", "−")
        if round(change / 1e8, 2):
            assert said in written, written
    # the ratchet cuts the budget after a saving; Sanming's stays as it was
    assert len(written) == 1
