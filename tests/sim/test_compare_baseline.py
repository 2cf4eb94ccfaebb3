"""``sim compare`` and the reform's baseline year (session 19 brief, item 2).

Its 2017 staff-incentive rows showed the whole 2017 settlement's incentive while the
personnel cost counted 3/12 of it (``resources.AnnualSalary``: October-December under an
October 2017 reform). The comparison now settles the whole years of the reform only, as
``sim run`` and the demo do (:func:`ihms.sim.regime.first_settled_year`): 2017 is the
baseline year, its incentive is left out of both rows alike, and a note says so.
"""

from __future__ import annotations

import pytest

from ihms.sim.compare import compare_regimes


@pytest.fixture(scope="module")
def sanming(small_config, youxi_system):
    return compare_regimes(small_config, regimes=("sanming",), residents=3000, system=youxi_system)


def test_the_baseline_years_incentive_is_left_out_of_every_row(sanming):
    run = sanming.runs["sanming"]
    assert sorted(sanming.settlements["sanming"]) == sorted(run.settlements) == [2018, 2019]
    frame = sanming.frame.set_index(["year", "figure"])["value"]
    assert frame[2017, "staff_incentive"] == 0
    assert frame[2017, "incentive_per_physician"] == 0
    assert frame[2017, "balance_kept"] == 0
    # the personnel cost of 2017 holds no incentive either: the run settled no 2017
    assert 2017 not in run.settlements


def test_the_table_says_which_year_is_the_baseline(sanming):
    notes = " ".join(sanming.summary(2017).notes)
    assert (
        "2017 (from October) is the baseline year of the reform: not settled, so its money "
        "rows hold no budget, balance or staff incentive" in notes
    )
    assert "its personnel cost pays the 3 of 12 months under the annual salary" in notes
    assert "settled: 2018, 2019" in notes


def test_a_january_reform_has_no_baseline_note(small_config, youxi_system):
    config = small_config.model_copy(
        update={"reform": small_config.reform.model_copy(update={"date": "2018-01"})}
    )
    result = compare_regimes(config, regimes=("sanming",), residents=2000, system=youxi_system)
    assert sorted(result.settlements["sanming"]) == [2018, 2019]
    assert "baseline year" not in " ".join(result.summary().notes)
