from decimal import Decimal

import matplotlib.figure
import pytest

from ihms.errors import InputError
from ihms.payment import compare_regimes, load_rules, observed_path, saving_path


@pytest.fixture(scope="module")
def comparison(youxi):
    sp = youxi["spending"]
    return compare_regimes(
        [load_rules("sanming"), load_rules("other-areas")],
        population=youxi["population"],
        paths=[observed_path(sp), saving_path(sp, rate=Decimal("0.05"), from_year=2017)],
        years=[2017, 2018, 2019],
        indicators=youxi["indicators"],
    )


def test_comparison_repr_in_one_line(comparison):
    text = repr(comparison)
    # before: the generated repr printed every settlement record, 2 rule sets × 2 paths
    # × 3 years = 12 of them
    assert text == (
        f"<ComparisonResult: rules=('sanming', 'other-areas'), paths={comparison.paths!r}, "
        "years=(2017, 2018, 2019), records=12>"
    )


def test_saving_path_scales_charged_spending_only(youxi):
    sp = youxi["spending"]
    path = saving_path(sp, rate=Decimal("0.1"), from_year=2018)
    base, alt = sp.for_year(2019), path.table.for_year(2019)
    # 2019 is the second saving year: factor 0.9^2 = 0.81, rounded half up per row
    assert alt.outside_county == sum(
        round(v * 0.81)
        for v in sp.to_frame().query("year == 2019 and setting == 'outside_county'")[
            "insurance_paid_fen"
        ]
    )
    assert alt.private == base.private
    assert path.table.for_year(2017) == sp.for_year(2017)
    with pytest.raises(InputError, match="rate"):
        saving_path(sp, rate=Decimal("1.5"), from_year=2018)


def test_ratchet_shrinks_next_years_budget_sanming_does_not(comparison):
    effect = comparison.effect_of_saving().set_index(["regime", "year"])
    # Sanming: population-based budget, unchanged by last year's saving (seed 002)
    for y in (2017, 2018, 2019):
        assert effect.loc[("sanming", y), "budget_change_fen"] == 0
    # Other areas: saving in 2017 lowers the 2018 budget, and so on (the ratchet)
    assert effect.loc[("other-areas", 2017), "budget_change_fen"] == 0
    assert effect.loc[("other-areas", 2018), "budget_change_fen"] < 0
    assert (
        effect.loc[("other-areas", 2019), "budget_change_fen"]
        < effect.loc[("other-areas", 2018), "budget_change_fen"]
    )
    # so the consortium gains more from the same saving under Sanming
    assert (
        effect.loc[("sanming", 2019), "cumulative_result_change_fen"]
        > effect.loc[("other-areas", 2019), "cumulative_result_change_fen"]
        > 0
    )


def test_under_sanming_the_saving_all_goes_to_the_balance(comparison):
    effect = comparison.effect_of_saving().set_index(["regime", "year"])
    row = effect.loc[("sanming", 2019)]
    # 2019 passes the assessment on both paths, so the whole spending cut is kept
    assert row["result_change_fen"] == -row["spending_change_fen"]


def test_table_and_figure(comparison):
    frame = comparison.to_frame()
    assert len(frame) == 2 * 2 * 3
    assert set(frame["regime"]) == {"sanming", "other-areas"}
    table = comparison.summary()
    text = table.to_text()
    assert "million yuan" in text and "2017" in text
    # every row names its regime, path and year, so a table split into column blocks
    # on a narrow terminal still says which row is which
    assert table.frame.index.names == ["regime", "path", "year"]
    assert table.frame.index.is_unique
    fig = comparison.figure()
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 2
    data = comparison.get_plot_data()
    assert {"global_budget_fen", "consortium_result_fen"} <= set(data.columns)
    assert set(comparison.get_plot_data(regimes=["sanming"])["regime"]) == {"sanming"}
    with pytest.raises(InputError, match="none of"):
        comparison.figure(regimes=["mssp"])


def test_compare_input_errors(youxi):
    sp = youxi["spending"]
    with pytest.raises(InputError, match="at least one"):
        compare_regimes([], population=youxi["population"], paths=[observed_path(sp)], years=[2018])
    with pytest.raises(InputError, match="must differ"):
        compare_regimes(
            [load_rules("sanming")] * 2,
            population=youxi["population"],
            paths=[observed_path(sp)],
            years=[2018],
            assume_assessment_passed=True,
        )
    with pytest.raises(InputError, match="no spending data for 2021"):
        compare_regimes(
            [load_rules("fee-for-service")],
            population=youxi["population"],
            paths=[observed_path(sp)],
            years=[2021],
        )


@pytest.fixture(scope="module")
def tie_county():
    """Sanming on a county whose amounts fall on half a hundredth of a million yuan.

    10,000 insured × a premium of 1,005 yuan (no reserves) = a budget of 10,050,000.00
    yuan; the consortium spends exactly that in 2018, and 10% less on the saving path:
    9,045,000.00 yuan, a change of −1,005,000.00 yuan, kept as a balance of 1,005,000.00.
    """
    import pandas as pd
    import yaml

    from ihms.payment import (
        PopulationTable,
        SpendingTable,
        builtin_rules_text,
        rules_from_mapping,
    )

    data = yaml.safe_load(builtin_rules_text("sanming"))
    data["budget"]["premium"] = {"by_year_yuan": {2018: 1005}}
    data["budget"]["private_reserve_share"] = data["budget"]["risk_adjustment_share"] = "0%"
    spending = SpendingTable.from_frame(
        pd.DataFrame(
            {
                "year": [2018],
                "setting": ["consortium"],
                "institution_id": ["CH01"],
                "insurance_paid_fen": [1_005_000_000],
            }
        )
    )
    population = PopulationTable.from_frame(
        pd.DataFrame({"year": [2018], "insured_population": [10_000]})
    )
    return compare_regimes(
        [rules_from_mapping(data)],
        population=population,
        paths=[
            observed_path(spending),
            saving_path(spending, rate=Decimal("0.1"), from_year=2018),
        ],
        years=[2018],
        assume_assessment_passed=True,
    )


def test_million_yuan_tables_round_half_up_exactly(tie_county):
    table = tie_county.summary().to_frame()
    saved = table.xs("saving 10% a year from 2018", level="path").iloc[0]
    # 9,045,000.00 yuan = 9.045 million: half up 9.05 (float 9.045 is 9.04499..., "9.04")
    assert saved["charged spending"] == Decimal("9.05")
    # kept balance 10,050,000.00 − 9,045,000.00 = 1,005,000.00 yuan: 1.01 (float "1.00")
    assert saved["kept"] == Decimal("1.01")
    assert "9.05" in tie_county.summary().to_text()


def test_effect_of_the_saving_reads_as_the_comparison_does(tie_county):
    effect = tie_county.effect_summary()
    # before: the CLI printed the frame's codes (regime 'sanming', column
    # 'spending_change_myuan') and fen / 1e8 as floats
    assert effect.title == "Effect of the saving against spending as observed (million yuan)"
    frame = effect.to_frame()
    assert list(frame.index.names) == ["regime", "path", "year"]
    assert list(frame.columns) == [
        "spending change",
        "budget change",
        "result change",
        "cumulative result change",
    ]
    row = frame.loc[("Sanming IMPM", "saving 10% a year from 2018", 2018)]
    # −1,005,000.00 yuan = −1.005 million: half up (away from zero) −1.01
    assert row["spending change"] == Decimal("-1.01")
    assert row["budget change"] == Decimal("0.00")  # population-based: unchanged
    assert row["result change"] == row["cumulative result change"] == Decimal("1.01")
